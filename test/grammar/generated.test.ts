/**
 * grammar/diagrams.html is generated from the parser by `npm run gen`; this
 * fails when the checked-in copy no longer matches the parser. The EBNF is
 * written by hand: the checks here keep its word lists in step with the
 * implementation.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CdlParser } from "../../src/cdl/parser.js";
import { itemKeywords } from "../../src/cdl/tokens.js";
import { units } from "../../src/cdl/units.js";
import { diagramsHtml, outputs, repoRoot } from "../../scripts/generate-lib.mjs";

const read = (path: string) => readFileSync(join(repoRoot, path), "utf8");

describe("syntax diagrams", () => {
  const productions = new CdlParser().getSerializedGastProductions();
  const html = diagramsHtml(productions);

  it("are up to date with the parser (run `npm run gen`)", () => {
    expect(read(outputs.diagrams)).toBe(html);
  });

  it("show every parser rule and load nothing from the network", () => {
    expect(productions.length).toBeGreaterThan(5);
    for (const rule of productions) expect(html).toContain(`"name": "${(rule as unknown as { name: string }).name}"`);
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/);
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
  });
});

describe("EBNF", () => {
  const ebnf = read("grammar/cdl.ebnf");

  it("lists the item keywords of the lexer", () => {
    const rule = /KEYWORD\s*=([^;]*);/.exec(ebnf)?.[1] ?? "";
    const listed = [...rule.matchAll(/"([a-z]+)"/g)].map((m) => m[1]);
    expect(new Set(listed)).toEqual(new Set(itemKeywords));
  });

  it("lists every unit the checker knows", () => {
    const section = ebnf.slice(ebnf.indexOf("Known units"));
    for (const unit of units.keys()) expect(section, unit).toMatch(new RegExp(`(^|\\s)${unit.replace(/[/%]/g, "\\$&")}(\\s|$)`, "m"));
  });
});
