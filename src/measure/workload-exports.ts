import { readFileSync } from "node:fs";
import ts from "typescript";

/**
 * Which workload module provides an export, found by reading the modules'
 * syntax (no user code runs in the parent): a CDL file may name several
 * workload modules, while a `MeasureTarget` names the one to load.
 */

/** The names a module exports, as far as its own syntax says; `reExportsAll` when it has `export * from`. */
export function listExports(path: string): { names: Set<string>; reExportsAll: boolean } {
  const file = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, false);
  const names = new Set<string>();
  let reExportsAll = false;
  const exported = (node: ts.Node): boolean => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement) && exported(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && exported(statement) && statement.name) {
      names.add(statement.name.text);
    } else if (ts.isExportDeclaration(statement)) {
      if (statement.exportClause === undefined) reExportsAll = true;
      else if (ts.isNamedExports(statement.exportClause)) for (const e of statement.exportClause.elements) names.add(e.name.text);
      else names.add(statement.exportClause.name.text);
    }
  }
  return { names, reExportsAll };
}

/**
 * The first module that exports `name`; failing that, the first with an
 * `export *` (it may); failing that, undefined (the caller reports the
 * missing workload, or lets the run report `workload-error`).
 */
export function pickWorkloadModule(paths: string[], name: string): string | undefined {
  const listed = paths.map((path) => ({ path, ...listExports(path) }));
  return listed.find((m) => m.names.has(name))?.path ?? listed.find((m) => m.reExportsAll)?.path;
}
