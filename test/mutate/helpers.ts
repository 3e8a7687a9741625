import { expect } from "vitest";
import { generateVariants } from "../../src/mutate/engine.js";
import { locateFunction, parseSource } from "../../src/mutate/source.js";
import type { Operator } from "../../src/mutate/types.js";

/**
 * Operator tables in the style of Stryker's `expectVariants`: a module's
 * source, the node to rewrite (default `f`), and the node's exact text in
 * every variant the operator makes — or, where it must not apply, the reason.
 */

function run(op: Operator, code: string, name: string) {
  const result = generateVariants(
    { node: `src/m.ts#${name}`, file: "src/m.ts", qualifiedName: name, source: code, mutations: [op.id], algorithm: [] },
    { operators: [op], depth: 1 },
  );
  if (result.unavailable !== undefined) throw new Error(result.unavailable);
  return result;
}

/** The operator makes exactly these variants of the node (its new text, in order). */
export function expectVariants(op: Operator, code: string, expected: string[], name = "f"): void {
  const result = run(op, code, name);
  expect(result.notApplied.filter((n) => n.reason.startsWith("cdlc bug"))).toEqual([]);
  expect(result.variants.map((v) => v.nodeText)).toEqual(expected);
  const fn = locateFunction(parseSource("src/m.ts", code), name);
  if ("reason" in fn) throw new Error(fn.reason);
  const [start, end] = [fn.node.start!, fn.node.end!];
  for (const v of result.variants) {
    // Outside the node, the file is byte-identical.
    expect(v.source.slice(0, start)).toBe(code.slice(0, start));
    expect(v.source.slice(start + v.nodeText.length)).toBe(code.slice(end));
  }
}

/** The operator makes no variant of the node, and says why. */
export function expectNoVariant(op: Operator, code: string, reason: RegExp, name = "f"): void {
  const result = run(op, code, name);
  expect(result.variants.map((v) => v.nodeText)).toEqual([]);
  expect(result.notApplied.map((n) => n.reason).join("\n")).toMatch(reason);
}
