import { describe, expect, it } from "vitest";
import { SourceText } from "../../src/diagnostics/index.js";
import { parseCdl, parseSource } from "../../src/cdl/parse.js";

const at = (text: string) => parseCdl(text, "t.cdl").diagnostics.map((d) => `${d.code}@${d.location.line}:${d.location.column}`);

describe("parser", () => {
  it("parses the seed's one-line constraint", () => {
    const r = parseCdl("constraint node_1 { max_execution_time: 10ms, max_memory_usage: 1MB, error_rate: < 0.1%, algorithm: [sort_a, sort_b] }", "t.cdl");
    expect(r.diagnostics).toEqual([]);
    const item = r.ast.items[0]!;
    expect(item.kind).toBe("constraint");
    if (item.kind !== "constraint") return;
    expect(item.block.properties.map((p) => p.key)).toEqual(["max_execution_time", "max_memory_usage", "error_rate", "algorithm"]);
    expect(item.block.properties[2]!.value).toMatchObject({ kind: "comparison", op: "<", operand: { kind: "quantity", text: "0.1", unit: "%" } });
  });

  it("accepts every separator form of the grammar", () => {
    for (const body of ["a: 1 b: 2", "a: 1, b: 2,", "a: 1; b: 2;", "a: 1\n b: 2\n", ""]) {
      expect(at(`constraint x { ${body} }`)).toEqual([]);
    }
    expect(at("constraint x { a: [1, 2,] }")).toEqual([]);
    expect(at('import "a.cdl"; workload "w.ts";')).toEqual([]);
    expect(at('flow "src/a.ts#A.run" -> B.go { max_calls: 1 }')).toEqual([]);
  });

  it("reports every syntax error of a file in one run, each at its line and column", () => {
    const text = [
      "constraint a {",
      "  max_execution_time 10ms", // missing colon
      "}",
      "constraint b { x: }", // missing value
      "?? constraint c { y: 1 }", // junk
      "constraint d { z: [1, 2 }", // unclosed list
      "flow e -> { }", // missing selector
    ].join("\n");
    expect(at(text)).toEqual(["CDL0010@2:22", "CDL0011@4:19", "CDL0001@5:1", "CDL0010@6:25", "CDL0010@7:11"]);
  });

  it("recovers the items around an error", () => {
    const r = parseCdl("constraint a { x: 1 }\nconstraint b { y: }\nconstraint c { z: 2 }", "t.cdl");
    expect(r.ast.items.map((i) => (i.kind === "constraint" ? i.selector : undefined)).map((s) => s && s.kind === "name" && s.parts[0])).toEqual(["a", "b", "c"]);
  });

  it("skips junk at the top level with one diagnostic per run", () => {
    expect(at("} } constraint a { x: 1 } ; ;")).toEqual(["CDL0012@1:1", "CDL0012@1:27"]);
  });

  it("is reusable: parsing twice gives the same result", () => {
    const text = "constraint a { x: 1 y: }";
    expect(JSON.stringify(parseCdl(text, "t"))).toBe(JSON.stringify(parseCdl(text, "t")));
  });

  it("hands items to a taker as they are parsed, keeping the rest and, then, no comments", () => {
    const text = '// head\nimport "x.cdl"\nconstraint a { x: 1 } /* mid */\nconstraint b { y: 2 }\n';
    const taken: string[] = [];
    const r = parseSource(new SourceText("t", text), (item) => item.kind === "constraint" && taken.push(text.slice(item.start, item.end)) > 0);
    expect(taken).toEqual(["constraint a { x: 1 }", "constraint b { y: 2 }"]);
    expect(r.ast.items.map((i) => i.kind)).toEqual(["import"]);
    expect(r.ast.comments).toEqual([]);
    // Line starts are still found past a block comment, which the scanner skips either way.
    expect(r.source.position(text.indexOf("constraint b")).line).toBe(4);
    expect(parseSource(new SourceText("t", text)).ast.comments.map((c) => c.text)).toEqual(["// head", "/* mid */"]);
  });
});
