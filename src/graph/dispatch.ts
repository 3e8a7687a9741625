import { resolveAlias, ts } from "./typescript.js";
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

/**
 * The type a heritage clause names, for looking up members by name: the
 * declared type of the class or interface when the clause names one (the
 * members' declarations are the same whatever the type arguments, and the
 * checker then needs not instantiate the base), else what the checker says.
 */
function heritageType(t: ts.ExpressionWithTypeArguments, checker: ts.TypeChecker): ts.Type {
  const e = t.expression;
  const name = ts.isIdentifier(e) ? e : ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name) ? e.name : undefined;
  const s = resolveAlias(checker, name === undefined ? undefined : checker.getSymbolAtLocation(name));
  if (s !== undefined && s.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface) && !(s.flags & (ts.SymbolFlags.Variable | ts.SymbolFlags.TypeAlias))) return checker.getDeclaredTypeOfSymbol(s);
  return checker.getTypeAtLocation(t);
}

/**
 * Finds, for every class with `extends`/`implements`, which base members its
 * own members implement. `classes` are the file's classes that have heritage
 * clauses (the node collector lists them, so the file is not walked again).
 */
export function collectImplementations(classes: Iterable<ts.ClassLikeDeclaration>, checker: ts.TypeChecker, index: DeclarationIndex, table: ImplementationTable): void {
  for (const node of classes) {
    if (node.heritageClauses === undefined) continue;
    const bases: ts.Type[] = [];
    for (const clause of node.heritageClauses) for (const t of clause.types) bases.push(heritageType(t, checker));
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
}
