/**
 * The TextMate grammar (grammar/cdl.tmLanguage.json) is valid JSON with the
 * fields editors need, every regex compiles, includes resolve, and the
 * patterns that encode CDL's lexical rules tokenize samples as the compiler
 * does. Regexes are compiled with JavaScript's RegExp: the grammar keeps to
 * syntax that Oniguruma (what editors use) and JavaScript read alike, and
 * avoids Oniguruma-only constructs (`\h`, `\G`, `\A`, `\z`, `(?x)`,
 * possessive quantifiers, atomic groups `(?>…)`, `\p{…}` without the `u`
 * flag); the last test enforces that.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { itemKeywords } from "../../src/cdl/tokens.js";
import { units } from "../../src/cdl/units.js";

interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, Rule>;
  beginCaptures?: Record<string, Rule>;
  endCaptures?: Record<string, Rule>;
}

interface Grammar extends Rule {
  scopeName: string;
  fileTypes: string[];
  repository: Record<string, Rule>;
}

const text = readFileSync(new URL("../../grammar/cdl.tmLanguage.json", import.meta.url), "utf8");
const grammar = JSON.parse(text) as Grammar;

/** Every rule of the grammar, with a path for messages. */
function rules(): { path: string; rule: Rule }[] {
  const out: { path: string; rule: Rule }[] = [];
  const visit = (rule: Rule, path: string) => {
    out.push({ path, rule });
    rule.patterns?.forEach((r, i) => visit(r, `${path}.patterns[${i}]`));
    for (const key of ["captures", "beginCaptures", "endCaptures"] as const) {
      for (const [group, r] of Object.entries(rule[key] ?? {})) visit(r, `${path}.${key}[${group}]`);
    }
  };
  visit(grammar, "$");
  for (const [name, rule] of Object.entries(grammar.repository)) visit(rule, `repository.${name}`);
  return out;
}

const regexes = () =>
  rules().flatMap(({ path, rule }) => (["match", "begin", "end"] as const).filter((k) => rule[k] !== undefined).map((k) => ({ path: `${path}.${k}`, source: rule[k]! })));

const regex = (name: string) => new RegExp(grammar.repository[name]!.match!, "g");

describe("TextMate grammar", () => {
  it("is JSON with the required fields", () => {
    expect(grammar.scopeName).toBe("source.cdl");
    expect(grammar.fileTypes).toEqual(["cdl"]);
    expect(grammar.patterns?.length).toBeGreaterThan(0);
    expect(typeof grammar.repository).toBe("object");
  });

  it("has regexes that compile", () => {
    const list = regexes();
    expect(list.length).toBeGreaterThan(10);
    for (const { path, source } of list) expect(() => new RegExp(source), path).not.toThrow();
  });

  it("avoids Oniguruma-only syntax", () => {
    for (const { path, source } of regexes()) expect(source, path).not.toMatch(/\\[hHGAzZK]|\(\?[x>]|[*+?}][+]|\\p\{/);
  });

  it("includes only repository entries that exist", () => {
    for (const { path, rule } of rules()) {
      if (rule.include === undefined) continue;
      expect(rule.include, path).toMatch(/^#/);
      expect(grammar.repository, path).toHaveProperty(rule.include.slice(1));
    }
  });

  it("names a scope for every rule that matches", () => {
    for (const { path, rule } of rules()) {
      if (rule.match !== undefined) expect(rule.name !== undefined || rule.captures !== undefined, path).toBe(true);
    }
  });

  /** [whole match, number, unit] of the first quantity in `s`. */
  const quantity = (s: string) => {
    const m = regex("quantity").exec(s);
    return m && [m[0], m[1], m[2] ?? m[3]];
  };

  it("reads units as the compiler does", () => {
    expect(quantity("10ms")).toEqual(["10ms", "10", "ms"]);
    expect(quantity("10 ms")).toEqual(["10 ms", "10", "ms"]);
    expect(quantity("0.1%")).toEqual(["0.1%", "0.1", "%"]);
    expect(quantity("50000/s")).toEqual(["50000/s", "50000", "/s"]);
    expect(quantity("1_000_000")).toEqual(["1_000_000", "1_000_000", undefined]);
    expect(quantity("1e3 ns")).toEqual(["1e3 ns", "1e3", "ns"]);
    // A word followed by `:` is the next property's key, and an item keyword is never a unit.
    expect(quantity("max_calls: 100 max_volume: 1KB")).toEqual(["100", "100", undefined]);
    expect(quantity("100 constraint")).toEqual(["100", "100", undefined]);
    // Unknown units are still units (the checker reports them).
    expect(quantity("10 parsecs")).toEqual(["10 parsecs", "10", "parsecs"]);
    for (const unit of units.keys()) {
      expect(quantity(`5${unit}`), unit).toEqual([`5${unit}`, "5", unit]);
      expect(quantity(`5 ${unit}`), unit).toEqual([`5 ${unit}`, "5", unit]);
    }
  });

  it("highlights property keys, keywords and escapes", () => {
    const key = regex("property-key").exec("  max_execution_time: 10ms");
    expect(key?.[1]).toBe("max_execution_time");
    const keywordRules = JSON.stringify(grammar.repository.items);
    for (const kw of itemKeywords) expect(keywordRules, kw).toContain(kw);
    const [escape, invalid] = grammar.repository.strings!.patterns!;
    for (const ok of ['\\"', "\\\\", "\\/", "\\n", "\\u00b5"]) expect(new RegExp(`^(?:${escape!.match})$`).test(ok), ok).toBe(true);
    expect(new RegExp(`^(?:${escape!.match})`).test("\\x")).toBe(false);
    expect(new RegExp(`^(?:${invalid!.match})`).test("\\x")).toBe(true);
  });
});
