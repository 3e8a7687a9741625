import { ts } from "./typescript.js";
import { indexProgram } from "./build-graph.js";
import type { DeclarationIndex } from "./node-collector.js";
import type { LoadedProject } from "./project-loader.js";

/**
 * What binding asks the TypeScript checker: whether an alternative's type is
 * assignable to a node's type, and what a workload module exports. Created
 * lazily: a graph read from the cache needs a program only when the CDL
 * file lists alternatives or workloads.
 */
export interface TypeQueries {
  /** Undefined when either node has no declaration with a type (module top levels). */
  assignable(alternativeId: string, nodeId: string): { ok: boolean; alternativeType: string; nodeType: string } | undefined;
  /** The names a module exports (following `export *`), or undefined when TypeScript cannot read it as a module. */
  exportsOf(modulePath: string): Set<string> | undefined;
}

export function createTypeQueries(project: LoadedProject, workloads: readonly string[]): TypeQueries {
  let state: { program: ts.Program; checker: ts.TypeChecker; index: DeclarationIndex } | undefined;
  const get = (): NonNullable<typeof state> => {
    if (state === undefined) {
      const program = project.programWith(workloads);
      state = { program, checker: program.getTypeChecker(), index: indexProgram(program, project.root).index };
    }
    return state;
  };
  const typeOf = (id: string): ts.Type | undefined => {
    const { checker, index } = get();
    const decl = index.declarationOf.get(id);
    if (decl === undefined || ts.isSourceFile(decl)) return undefined;
    return checker.getTypeAtLocation(decl);
  };
  const show = (t: ts.Type): string => get().checker.typeToString(t, undefined, ts.TypeFormatFlags.NoTruncation);
  return {
    assignable(alternativeId, nodeId) {
      const source = typeOf(alternativeId);
      const target = typeOf(nodeId);
      if (source === undefined || target === undefined) return undefined;
      return { ok: get().checker.isTypeAssignableTo(source, target), alternativeType: show(source), nodeType: show(target) };
    },
    exportsOf(modulePath) {
      const { program, checker } = get();
      const sf = program.getSourceFile(modulePath);
      if (sf === undefined) return undefined;
      const symbol = checker.getSymbolAtLocation(sf);
      if (symbol === undefined) return new Set();
      return new Set(checker.getExportsOfModule(symbol).map((s) => s.name));
    },
  };
}
