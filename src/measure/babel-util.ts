import generatorModule from "@babel/generator";
import traverseModule from "@babel/traverse";
import type * as t from "@babel/types";

/**
 * Babel's generator and traverse are CommonJS modules whose default export
 * sits on `.default` when imported from ESM; unwrap once here.
 */
type Generate = typeof import("@babel/generator").default;
type Traverse = typeof import("@babel/traverse").default;
export const generate: Generate = ((generatorModule as unknown as { default?: Generate }).default ?? generatorModule) as Generate;
export const traverse: Traverse = ((traverseModule as unknown as { default?: Traverse }).default ?? traverseModule) as Traverse;

/** Prints an AST back to JavaScript, keeping non-ASCII text as written. */
export function generateCode(ast: t.File): string {
  return generate(ast, { jsescOption: { minimal: true } }).code;
}

/** Rewrites the string specifiers of static imports, re-exports and `import("…")` calls. */
export function rewriteSpecifiers(ast: t.File, rewrite: (specifier: string) => string | undefined): void {
  const apply = (literal: t.StringLiteral | null | undefined): void => {
    if (literal === null || literal === undefined) return;
    const next = rewrite(literal.value);
    if (next !== undefined && next !== literal.value) {
      literal.value = next;
      // Drop the original raw text so the generator prints the new value.
      delete literal.extra;
    }
  };
  traverse(ast, {
    ImportDeclaration: (path) => apply(path.node.source),
    ExportAllDeclaration: (path) => apply(path.node.source),
    ExportNamedDeclaration: (path) => apply(path.node.source),
    CallExpression: (path) => {
      const arg = path.node.arguments[0];
      if (path.node.callee.type === "Import" && arg?.type === "StringLiteral") apply(arg);
    },
  });
}
