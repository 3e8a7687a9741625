import { parse } from "@babel/parser";
import * as t from "@babel/types";
import { posix } from "node:path";
import type ts from "typescript";
import { generate } from "../measure/babel-util.js";
import { findNode } from "../measure/find-node.js";
import { transpileFile } from "../measure/transpile.js";

/**
 * Variant schemata: the instrumented build hosts every variant of a node
 * behind the runtime switch (`instrumentModule`'s `variants`), as bodies in
 * JavaScript under the original's parameters. A variant is written in
 * TypeScript as a whole file; this turns it into that body: the file is
 * transpiled exactly as the build transpiles the original, the node is found
 * in the output, and its body is printed. A variant whose parameters differ
 * from the original's after transpiling cannot share the original's
 * function, and is refused with the reason.
 */

export type HostedBody = { body: string } | { reason: string };

export function variantBodies(file: string, qualifiedName: string, original: string, variants: readonly string[], options: ts.CompilerOptions): HostedBody[] {
  const base = functionIn(original, file, qualifiedName, options);
  return variants.map((source) => {
    if ("reason" in base) return { reason: `the original cannot be built: ${base.reason}` };
    const fn = functionIn(source, file, qualifiedName, options);
    if ("reason" in fn) return fn;
    if (fn.params !== base.params) return { reason: `the variant changes the parameter list (${fn.params} instead of ${base.params}), which one build cannot host` };
    if (fn.kind !== base.kind) return { reason: "the variant changes whether the function is async or a generator" };
    return { body: fn.body };
  });
}

interface Printed {
  params: string;
  kind: string;
  body: string;
}

function functionIn(source: string, file: string, qualifiedName: string, options: ts.CompilerOptions): Printed | { reason: string } {
  let code = source;
  if (/\.(ts|tsx|mts|cts)$/.test(file) && !file.endsWith(".d.ts")) {
    const out = transpileFile(source, posix.basename(file), options);
    if (out.errors.length > 0) return { reason: `it does not transpile: ${out.errors[0]}` };
    code = out.code;
  }
  let ast: t.File;
  try {
    ast = parse(code, { sourceType: "module", plugins: ["importAttributes"] });
  } catch (e) {
    return { reason: `its JavaScript does not parse: ${(e as Error).message}` };
  }
  const found = findNode(ast.program, qualifiedName);
  if ("reason" in found) return found;
  const fn = found.fn;
  if (fn === undefined) return { reason: found.untrackedReason ?? "the node is not a function literal in its module" };
  const print = (node: t.Node): string => generate(node, { comments: true }).code;
  const body = t.isBlockStatement(fn.body) ? fn.body.body.map(print).join("\n") : print(t.returnStatement(fn.body));
  return { params: fn.params.map(print).join(", "), kind: `${fn.async ? "async " : ""}${fn.generator ? "generator" : "function"}`, body };
}
