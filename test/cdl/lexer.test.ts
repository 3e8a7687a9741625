import { describe, expect, it } from "vitest";
import { lex, type CdlToken } from "../../src/cdl/lexer.js";
import { SourceText } from "../../src/diagnostics/index.js";

function tokens(text: string) {
  const r = lex(new SourceText("t.cdl", text));
  return { r, list: (r.tokens as CdlToken[]).map((t) => `${t.tokenType.name}:${t.image}${t.unit ? `[${t.unit}]` : ""}`) };
}

describe("lexer", () => {
  it("folds a unit into its number, directly or after spaces on the same line", () => {
    expect(tokens("a: 10ms").list).toEqual(["Identifier:a", "Colon::", "NumberLit:10[ms]"]);
    expect(tokens("a: 10 ms").list).toEqual(["Identifier:a", "Colon::", "NumberLit:10[ms]"]);
    expect(tokens("a: 0.1 %").list).toEqual(["Identifier:a", "Colon::", "NumberLit:0.1[%]"]);
    expect(tokens("a: 50000/s").list).toEqual(["Identifier:a", "Colon::", "NumberLit:50000[/s]"]);
    expect(tokens("a: 5µs, b: 5μs").list).toEqual(["Identifier:a", "Colon::", "NumberLit:5[µs]", "Comma:,", "Identifier:b", "Colon::", "NumberLit:5[μs]"]);
  });

  it("reads a word after a number as the next key when a colon follows or a line break precedes", () => {
    expect(tokens("max_calls: 100 max_volume: 1KB").list).toEqual([
      "Identifier:max_calls", "Colon::", "NumberLit:100", "Identifier:max_volume", "Colon::", "NumberLit:1[KB]",
    ]);
    expect(tokens("a: 100\nparsecs").list).toEqual(["Identifier:a", "Colon::", "NumberLit:100", "Identifier:parsecs"]);
    expect(tokens("a: 10 parsecs").list).toEqual(["Identifier:a", "Colon::", "NumberLit:10[parsecs]"]);
    expect(tokens("a: 1 /* c */ : 2").list[2]).toBe("NumberLit:1");
  });

  it("scans numbers with fractions, exponents, underscores and signs, and ranges", () => {
    expect(tokens("1_000_000 0.5 1e3 2.5E-2 -3").list).toEqual(["NumberLit:1_000_000", "NumberLit:0.5", "NumberLit:1e3", "NumberLit:2.5E-2", "NumberLit:-3"]);
    expect(tokens("1..5ms").list).toEqual(["NumberLit:1", "DotDot:..", "NumberLit:5[ms]"]);
    expect(tokens("a.b").list).toEqual(["Identifier:a", "Dot:.", "Identifier:b"]);
  });

  it("reports malformed underscores but still yields the number", () => {
    const { r, list } = tokens("1__0 2_");
    expect(list).toEqual(["NumberLit:1__0", "NumberLit:2_"]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["CDL0005", "CDL0005"]);
  });

  it("decodes JSON escapes and reports bad ones and unterminated strings", () => {
    const ok = lex(new SourceText("t", '"a\\"b\\u00b5\\n"'));
    expect([...ok.strings.values()]).toEqual(['a"bµ\n']);
    const bad = lex(new SourceText("t", '"x\\q" "open\n'));
    expect(bad.diagnostics.map((d) => [d.code, d.location.line, d.location.column])).toEqual([
      ["CDL0003", 1, 3],
      ["CDL0002", 1, 7],
    ]);
  });

  it("keeps comments for the formatter and reports an unterminated block comment", () => {
    const r = lex(new SourceText("t", "// one\na /* two */ b /* open"));
    expect(r.comments.map((c) => c.text)).toEqual(["// one", "/* two */", "/* open"]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["CDL0004"]);
  });

  it("keywords are their own token types but still names", () => {
    expect(tokens("constraint defaults import workload flow all none true").list).toEqual([
      "Constraint:constraint", "Defaults:defaults", "Import:import", "Workload:workload", "Flow:flow", "Identifier:all", "Identifier:none", "Identifier:true",
    ]);
  });

  it("reports one diagnostic per run of unknown characters, and a lone `=`", () => {
    const { r } = tokens("a !!@ b = c");
    expect(r.diagnostics.map((d) => [d.code, d.location.column, d.location.endColumn])).toEqual([
      ["CDL0001", 3, 6],
      ["CDL0001", 9, 10],
    ]);
  });
});
