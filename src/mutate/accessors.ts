import * as t from "@babel/types";
import type { MutationOperator } from "./types.js";

/**
 * Getters are code that runs on a property read. Operators treat reads as
 * free of side effects, yet several of them change how often a read runs
 * (a key computed once instead of per comparison, a value hoisted out of a
 * loop, a scan that stops early, a lookup that replaces a predicate), and a
 * getter that counts or caches makes that observable — possibly only
 * through state the oracle cannot see (a `#private` field). So a node that
 * reads a property by a name this file declares as an accessor is not given
 * to those operators. Accessors of other modules stay a limit of the
 * static checks (see the operators' risks).
 */

/** Operators whose rewrite changes how many times the node's property reads run. */
export const READ_COUNT_CHANGING: ReadonlySet<MutationOperator> = new Set<MutationOperator>(["sort_keys", "hoist_invariant", "loop_fusion", "early_exit", "map_index", "memoize", "algorithm_swap"]);

/** Names the file declares as getters or setters: class and object accessors, `Object.defineProperty(…, "name", …)`. */
export function accessorNames(ast: t.File): Set<string> {
  const names = new Set<string>();
  const keyName = (key: t.Node, computed: boolean): string | undefined => {
    if (!computed && t.isIdentifier(key)) return key.name;
    return t.isStringLiteral(key) ? key.value : undefined;
  };
  walk(ast.program, (node) => {
    if ((t.isClassMethod(node) || t.isObjectMethod(node)) && (node.kind === "get" || node.kind === "set")) {
      const name = keyName(node.key, node.computed);
      if (name !== undefined) names.add(name);
    }
    if (t.isCallExpression(node) && t.isMemberExpression(node.callee) && t.isIdentifier(node.callee.object, { name: "Object" }) && t.isIdentifier(node.callee.property, { name: "defineProperty" })) {
      const name = node.arguments[1];
      if (t.isStringLiteral(name)) names.add(name.value);
    }
  });
  return names;
}

/** The first property read in `node` whose name is one of `names` (`a.value`, `a["value"]`, `{ value } = a`), or undefined. */
export function readOfAccessor(node: t.Node, names: ReadonlySet<string>): { name: string; line: number | undefined } | undefined {
  if (names.size === 0) return undefined;
  let found: { name: string; line: number | undefined } | undefined;
  walk(node, (n) => {
    if (found !== undefined) return;
    if (t.isMemberExpression(n) || t.isOptionalMemberExpression(n)) {
      const name = !n.computed && t.isIdentifier(n.property) ? n.property.name : t.isStringLiteral(n.property) ? n.property.value : undefined;
      if (name !== undefined && names.has(name)) found = { name, line: n.loc?.start.line };
    } else if (t.isObjectPattern(n)) {
      for (const p of n.properties) {
        if (t.isObjectProperty(p) && !p.computed && t.isIdentifier(p.key) && names.has(p.key.name)) found = { name: p.key.name, line: p.loc?.start.line };
      }
    }
  });
  return found;
}

/** Calls `visit` on `node` and every node below it. */
function walk(node: t.Node | null | undefined, visit: (n: t.Node) => void): void {
  if (node === null || node === undefined || typeof node !== "object" || typeof node.type !== "string") return;
  visit(node);
  for (const key of t.VISITOR_KEYS[node.type] ?? []) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) for (const c of child) walk(c as t.Node, visit);
    else walk(child as t.Node | null | undefined, visit);
  }
}
