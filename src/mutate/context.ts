import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { generate } from "../measure/babel-util.js";
import type { FunctionLike, OperatorContext } from "./types.js";

/** Prints a node as source, keeping non-ASCII text as written and TypeScript syntax. */
export function printNode(node: t.Node): string {
  return generate(node, { jsescOption: { minimal: true } }).code;
}

/** Every identifier name the function uses or can see: a new name must clash with none of them. */
function namesInReach(fn: NodePath<FunctionLike>): Set<string> {
  const names = new Set<string>();
  for (let scope: typeof fn.scope | undefined = fn.scope; scope !== undefined && scope !== null; scope = scope.parent) {
    for (const name of Object.keys(scope.bindings)) names.add(name);
  }
  fn.traverse({
    Identifier(p) {
      names.add(p.node.name);
    },
  });
  for (const name of Object.keys((fn.scope.getProgramParent() as unknown as { globals: Record<string, unknown> }).globals ?? {})) names.add(name);
  return names;
}

/** The context an operator gets for one node (`file`: the node's file relative to the project root). */
export function createOperatorContext(fn: NodePath<FunctionLike>, source: string, alternatives: readonly string[], file: string): OperatorContext {
  let taken: Set<string> | undefined;
  return {
    fn,
    source,
    alternatives,
    file,
    text: (node) => source.slice(node.start!, node.end!),
    print: printNode,
    freshName(hint) {
      taken ??= namesInReach(fn);
      const base = t.isValidIdentifier(hint) ? hint : "value";
      let name = base;
      for (let k = 2; taken.has(name); k++) name = `${base}${k}`;
      taken.add(name);
      return name;
    },
  };
}
