import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";

/**
 * TypeScript → JavaScript, one file at a time (`transpileModule`: no type
 * checking, so a build takes milliseconds per file). The project's own
 * compiler options are kept where they change run-time semantics (class
 * field semantics, decorators, JSX); the module format is forced to ESM and
 * the target to at least ES2022, so classes and methods stay recognisable
 * for the instrumenter.
 */

/** Reads the project's compiler options (missing or broken tsconfig: defaults). */
export function loadCompilerOptions(projectRoot: string, tsconfigPath?: string): ts.CompilerOptions {
  const path = tsconfigPath ?? join(projectRoot, "tsconfig.json");
  let options: ts.CompilerOptions = {};
  if (existsSync(path)) {
    const read = ts.readConfigFile(path, ts.sys.readFile);
    if (read.config !== undefined) options = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(path)).options;
  }
  return buildOptions(options);
}

function buildOptions(project: ts.CompilerOptions): ts.CompilerOptions {
  const projectTarget = project.target ?? ts.ScriptTarget.ES2022;
  // Class fields keep the semantics the project compiles with: [[Define]] from ES2022 on unless set.
  const useDefineForClassFields = project.useDefineForClassFields ?? projectTarget >= ts.ScriptTarget.ES2022;
  return {
    target: Math.max(projectTarget, ts.ScriptTarget.ES2022),
    module: ts.ModuleKind.ESNext,
    useDefineForClassFields,
    experimentalDecorators: project.experimentalDecorators ?? false,
    emitDecoratorMetadata: project.emitDecoratorMetadata ?? false,
    jsx: project.jsx ?? ts.JsxEmit.ReactJSX,
    ...(project.jsxImportSource !== undefined ? { jsxImportSource: project.jsxImportSource } : {}),
    esModuleInterop: true,
    verbatimModuleSyntax: false,
    isolatedModules: true,
    sourceMap: false,
    inlineSourceMap: false,
    declaration: false,
    removeComments: false,
  };
}

/** One file's JavaScript, or the syntax errors that prevent it. */
export function transpileFile(source: string, fileName: string, options: ts.CompilerOptions): { code: string; errors: string[] } {
  const out = ts.transpileModule(source, { compilerOptions: options, fileName, reportDiagnostics: true });
  const errors = (out.diagnostics ?? [])
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const where = d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      return where === undefined ? message : `${where.line + 1}:${where.character + 1}: ${message}`;
    });
  return { code: out.outputText, errors };
}

/** A serialisable fingerprint of the options, for the build hash. */
export function optionsFingerprint(options: ts.CompilerOptions): string {
  return JSON.stringify(Object.keys(options).sort().map((k) => [k, options[k]]));
}
