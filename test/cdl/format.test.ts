import { describe, expect, it } from "vitest";
import { formatCdl } from "../../src/cdl/format.js";
import { parseCdl } from "../../src/cdl/parse.js";

const fmt = (text: string) => formatCdl(parseCdl(text, "t.cdl").ast, text);

describe("fmt", () => {
  it("lays the seed's one-liner out canonically", () => {
    expect(fmt("constraint node_1 { max_execution_time: 10ms, max_memory_usage: 1MB, error_rate: < 0.1%, algorithm: [sort_a, sort_b] }")).toBe(
      "constraint node_1 {\n  max_execution_time: 10ms\n  max_memory_usage: 1MB\n  error_rate: < 0.1%\n  algorithm: [sort_a, sort_b]\n}\n",
    );
  });

  it("normalizes spacing, units, separators, strings and blank lines between blocks", () => {
    const text = 'import   "a.cdl" ;\nworkload "w\\u0041.ts"\ndefaults{error_rate:<0.1 %;}\nconstraint "src/x.ts#A.b"{execution_time : 1 ms..2ms ,mutations:[ map_index , ]}\nflow a->b{max_calls:3}';
    expect(fmt(text)).toBe(
      'import "a.cdl"\nworkload "wA.ts"\n\ndefaults {\n  error_rate: < 0.1%\n}\n\nconstraint "src/x.ts#A.b" {\n  execution_time: 1ms..2ms\n  mutations: [map_index]\n}\n\nflow a -> b {\n  max_calls: 3\n}\n',
    );
  });

  it("keeps leading, trailing and inner comments, and single blank lines", () => {
    const text = "// budgets\n\nconstraint a { // the hot path\n  max_execution_time: 1ms, // p95\n\n  /* memory */ max_memory_usage: 1MB\n  // end of a\n}\n// tail\n";
    expect(fmt(text)).toBe(
      "// budgets\n\nconstraint a { // the hot path\n  max_execution_time: 1ms // p95\n\n  /* memory */\n  max_memory_usage: 1MB\n  // end of a\n}\n// tail\n",
    );
  });

  it("keeps a blank line between comments only where the comments are adjacent", () => {
    // Found by the property "is idempotent": the blank line before `constraint b` was taken as one
    // between the `//` of block a and the `/* x */` of block b, and printed inside block b.
    const text = "constraint a { //\n}\n\nconstraint b {\n  /* x */\n  severity: error\n}\n";
    expect(fmt(text)).toBe(text);
    expect(fmt("constraint a {\n  /* a */\n\n  p: 1ms\n  /* b */ q: 2ms\n}\n")).toBe("constraint a {\n  /* a */\n\n  p: 1ms\n  /* b */\n  q: 2ms\n}\n");
    expect(fmt("constraint a { // x\n\n  /* c */ p: 1ms\n}\n")).toBe("constraint a { // x\n\n  /* c */\n  p: 1ms\n}\n");
  });

  it("prints an empty block on one line and an empty file as nothing", () => {
    expect(fmt("constraint a {   }")).toBe("constraint a {}\n");
    expect(fmt("  \n\n")).toBe("");
    expect(fmt("// only a comment")).toBe("// only a comment\n");
  });
});
