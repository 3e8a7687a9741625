import { ts } from "ts-morph";
import { memberName, type DeclarationIndex } from "./node-collector.js";

/**
 * Dynamic dispatch. A call through an interface or abstract method has an
 * edge to that declaration; where the program has classes that implement
 * it, the call may run any of them, so each gets a `dispatch` edge. The
 * implementation table maps a member to the members that implement or
 * override it directly; dispatch follows it transitively (an interface
 * method, the abstract class that implements it, the concrete overrides).
 */

import type { ImplementationTable } from "./dispatch-edges.js";

export type { ImplementationTable } from "./dispatch-edges.js";

/** Finds, for every class with `extends`/`implements`, which base members its own members implement. */
export function collectImplementations(sf: ts.SourceFile, checker: ts.TypeChecker, index: DeclarationIndex, table: ImplementationTable): void {
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node) && node.heritageClauses !== undefined) {
      const bases: ts.Type[] = [];
      for (const clause of node.heritageClauses) for (const t of clause.types) bases.push(checker.getTypeAtLocation(t));
      for (const m of node.members) {
        const id = index.byDeclaration.get(m);
        const name = memberName(m.name);
        if (id === undefined || name === undefined || ts.isConstructorDeclaration(m)) continue;
        for (const base of bases) {
          const prop = base.getProperty(name);
          for (const d of prop?.declarations ?? []) {
            const baseId = index.byDeclaration.get(d);
            if (baseId === undefined || baseId === id) continue;
            // A getter implements a getter, a setter a setter.
            if (ts.isGetAccessorDeclaration(m) !== ts.isGetAccessorDeclaration(d) && (ts.isGetAccessorDeclaration(d) || ts.isSetAccessorDeclaration(d))) continue;
            const list: string[] = (table[baseId] ??= []);
            if (!list.includes(id)) list.push(id);
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
