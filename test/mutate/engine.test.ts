import { describe, expect, it } from "vitest";
import { allowedOperators, generateVariants } from "../../src/mutate/engine.js";
import type { MutationTarget, Operator } from "../../src/mutate/types.js";

/** Test operators: each rewrites the first match of a literal text inside the node. */
function replacing(id: Operator["id"], from: string, to: string, o: Partial<Operator> = {}): Operator {
  return {
    id,
    risk: 0.1,
    byNameOnly: false,
    apply(ctx) {
      const body = ctx.source.slice(ctx.fn.node.start!, ctx.fn.node.end!);
      const at = body.indexOf(from);
      if (at === -1) return { reason: `no \`${from}\`` };
      const start = ctx.fn.node.start! + at;
      return { rewrites: [{ edits: [{ start, end: start + from.length, text: to }], summary: `${from} → ${to}` }] };
    },
    ...o,
  };
}

const source = "// head\nexport function f(x: number) {\n  return x + 1 + 2;\n}\n// tail\n";
const target = (o: Partial<MutationTarget> = {}): MutationTarget => ({ node: "src/m.ts#f", file: "src/m.ts", qualifiedName: "f", source, mutations: "all", algorithm: [], ...o });
const a = replacing("early_exit", "+ 1", "+ 10");
const b = replacing("index_loop", "+ 2", "+ 20");

describe("allowedOperators", () => {
  const memo = replacing("memoize", "x", "y", { byNameOnly: true });
  it("all: every operator not applied only by name, in the spec's order", () => expect(allowedOperators("all", [b, memo, a]).map((o) => o.id)).toEqual(["early_exit", "index_loop"]));
  it("none: no operator", () => expect(allowedOperators("none", [a, b])).toEqual([]));
  it("a list: those named, by-name-only ones included", () => expect(allowedOperators(["memoize", "index_loop"], [a, b, memo]).map((o) => o.id)).toEqual(["index_loop", "memoize"]));
});

describe("generateVariants", () => {
  it("applies each operator, then chains the others on each variant, with lineage and the largest risk", () => {
    const r = generateVariants(target(), { operators: [a, replacing("index_loop", "+ 2", "+ 20", { risk: 0.3 })] });
    expect(r.variants.map((v) => [v.id, v.parent, v.operators, v.risk, v.nodeText])).toEqual([
      [1, null, ["early_exit"], 0.1, "function f(x: number) {\n  return x + 10 + 2;\n}"],
      [2, null, ["index_loop"], 0.3, "function f(x: number) {\n  return x + 1 + 20;\n}"],
      [3, 1, ["early_exit", "index_loop"], 0.3, "function f(x: number) {\n  return x + 10 + 20;\n}"],
    ]);
    // The same file reached by another order is one variant, not two.
    expect(new Set(r.variants.map((v) => v.source)).size).toBe(3);
    expect(r.variants[2]!.source).toBe("// head\nexport function f(x: number) {\n  return x + 10 + 20;\n}\n// tail\n");
    expect(r.variants[0]!.diff).toBe("--- a/src/m.ts\n+++ b/src/m.ts\n@@ -1,5 +1,5 @@\n // head\n export function f(x: number) {\n-  return x + 1 + 2;\n+  return x + 10 + 2;\n }\n // tail\n");
  });

  it("stops at depth 1 and at the limit", () => {
    expect(generateVariants(target(), { operators: [a, b], depth: 1 }).variants).toHaveLength(2);
    expect(generateVariants(target(), { operators: [a, b], limit: 1 }).variants).toHaveLength(1);
  });

  it("says why an operator did not apply, and which allowed operators this version lacks", () => {
    const r = generateVariants(target({ mutations: ["early_exit", "sort_keys"] }), { operators: [replacing("early_exit", "nothing", "x")] });
    expect(r.notApplied).toEqual([
      { operator: "early_exit", reason: "no `nothing`" },
      { operator: "sort_keys", reason: "not available in this version of cdlc yet" },
    ]);
  });

  it("drops a rewrite that edits outside the node or does not parse, naming it a cdlc bug", () => {
    const outside: Operator = { ...a, apply: () => ({ rewrites: [{ edits: [{ start: 0, end: 2, text: "" }], summary: "s" }] }) };
    const broken = replacing("index_loop", "+ 2", "+ (");
    const r = generateVariants(target(), { operators: [outside, broken] });
    expect(r.variants).toEqual([]);
    expect(r.notApplied.map((n) => n.reason).filter((n) => n.startsWith("cdlc bug"))).toEqual([expect.stringMatching(/^cdlc bug: early_exit made an edit outside the node/), expect.stringMatching(/^cdlc bug: index_loop produced code that does not parse/)]);
  });

  it("reports a node it cannot rewrite", () => {
    expect(generateVariants(target({ qualifiedName: "g", node: "src/m.ts#g" }), { operators: [a] }).unavailable).toMatch(/no top-level function, class or variable named `g`/);
    expect(generateVariants(target({ source: "export function f( {" }), { operators: [a] }).unavailable).toMatch(/does not parse/);
  });
});
