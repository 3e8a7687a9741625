import type * as t from "@babel/types";

/**
 * Babel node checks by type name, without loading `@babel/types` at run
 * time: the recorder instruments code inside the user's own processes, and
 * that package alone takes 60–100 ms to load there (the parser, 20 ms).
 */

type NodeOfType<K extends t.Node["type"]> = Extract<t.Node, { type: K }>;

export function is<K extends t.Node["type"]>(node: t.Node | null | undefined, type: K): node is NodeOfType<K> {
  return node?.type === type;
}

const FUNCTION_TYPES = new Set<string>(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression", "ObjectMethod", "ClassMethod", "ClassPrivateMethod"]);

/** What `t.isFunction` accepts. */
export function isFunction(node: t.Node | null | undefined): node is t.Function {
  return node !== null && node !== undefined && FUNCTION_TYPES.has(node.type);
}

/** What `t.isClass` accepts. */
export function isClass(node: t.Node | null | undefined): node is t.Class {
  return node?.type === "ClassDeclaration" || node?.type === "ClassExpression";
}

/** Position and comment fields: never child nodes worth visiting. */
const NOT_CHILDREN = new Set(["loc", "start", "end", "range", "extra", "leadingComments", "trailingComments", "innerComments", "type"]);

/** A node's child nodes: every field that holds a node or a list of them (in no promised order). */
export function childNodes(node: t.Node): t.Node[] {
  const out: t.Node[] = [];
  for (const key of Object.keys(node)) {
    if (NOT_CHILDREN.has(key)) continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    for (const c of Array.isArray(value) ? value : [value]) {
      if (c !== null && typeof c === "object" && typeof (c as { type?: unknown }).type === "string") out.push(c as t.Node);
    }
  }
  return out;
}
