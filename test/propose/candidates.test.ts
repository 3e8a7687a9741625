import { describe, expect, it } from "vitest";
import type { MutationTarget } from "../../src/mutate/types.js";
import type { ProposedCandidate } from "../../src/propose/protocol.js";
import { candidateVariant, nodeSpan, operatorsOnProposal, PROPOSAL_RISK } from "../../src/propose/candidates.js";

/**
 * A proposer's candidate becomes a variant only if it parses in place and
 * replaces the node's own text and nothing else: the rest of the file is
 * kept byte for byte. A table in the style of the operators' tables.
 */
const FILE = `import { norm } from "./norm.js";

/** Tags without repeats. */
export function uniqueTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const tag of tags) if (!out.includes(tag)) out.push(tag);
  return out;
}

export class Cart {
  lines: number[] = [];
  total(): number {
    let s = 0;
    for (const l of this.lines) s += l;
    return s;
  }
}

export const double = (x: number): number => x * 2;
`;

const target = (qualifiedName: string): MutationTarget => ({ node: `src/tags.ts#${qualifiedName}`, file: "src/tags.ts", qualifiedName, source: FILE, mutations: "all", algorithm: [] });
const origin = { proposer: "node replay.mjs", name: "set", rationale: "a Set makes the lookup constant-time" };
const spanOf = (t: MutationTarget) => nodeSpan(t) as { start: number; end: number };
/** The variant a candidate makes of the node `name` of FILE. */
const variantOf = (name: string, candidate: ProposedCandidate, id: number, o: typeof origin) => candidateVariant(target(name), spanOf(target(name)), candidate, id, o);
const SET_VERSION = `function uniqueTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const tag of tags) if (!seen.has(tag)) (seen.add(tag), out.push(tag));
  return out;
}`;

describe("a proposer's candidate as a variant", () => {
  it("replaces the node's text, keeps every other byte, and carries who proposed it", () => {
    const made = variantOf("uniqueTags", { source: SET_VERSION }, 3, origin);
    expect("variant" in made).toBe(true);
    if (!("variant" in made)) return;
    const v = made.variant;
    const span = nodeSpan(target("uniqueTags")) as { start: number; end: number };
    expect(v.source).toBe(FILE.slice(0, span.start) + SET_VERSION + FILE.slice(span.end));
    expect(v).toMatchObject({ id: 3, parent: null, operators: [], risk: PROPOSAL_RISK, nodeText: SET_VERSION, proposal: origin });
    expect(v.diff).toContain("+  const seen = new Set<string>();");
    expect(v.summary).toEqual(["set, proposed by `node replay.mjs`"]);
  });

  it.each([
    ["a whole declaration with `export`, which the file keeps", "uniqueTags", `export ${SET_VERSION}`, true],
    ["surrounding blank lines", "uniqueTags", `\n\n${SET_VERSION}\n`, true],
    ["a method, as written in its class", "Cart.total", "total(): number {\n    return this.lines.reduce((a, b) => a + b, 0);\n  }", true],
    ["an arrow, from its parameters", "double", "(x: number): number => x + x", true],
  ])("accepts %s", (_what, name, source, ok) => {
    expect("variant" in variantOf(name, { source }, 1, origin)).toBe(ok);
  });

  it.each([
    ["text that does not parse", "uniqueTags", "function uniqueTags(tags) { return [", /does not parse/],
    ["the node unchanged", "uniqueTags", FILE.slice(FILE.indexOf("function uniqueTags"), FILE.indexOf("\n}\n") + 2), /unchanged/],
    ["a second declaration after the function", "uniqueTags", `${SET_VERSION}\nfunction helper() {}`, /more than uniqueTags's own text/],
    ["a statement before the function", "uniqueTags", `console.log(1);\n${SET_VERSION}`, /more than uniqueTags's own text|does not parse|no longer found/],
    ["another function's name", "uniqueTags", SET_VERSION.replace("uniqueTags", "distinctTags"), /no longer found/],
    ["a method that closes its class early", "Cart.total", "total(): number { return 0; } }\nclass Other {\n  x() {}", /does not parse|more than/],
  ])("refuses %s", (_what, name, source, reason) => {
    const made = variantOf(name, { source }, 1, origin);
    expect("reason" in made && made.reason).toMatch(reason);
  });
});

describe("lineage of a proposal", () => {
  it("keeps the tried variant a candidate says it builds on as its parent", () => {
    const made = variantOf("uniqueTags", { source: SET_VERSION, parent: 2 }, 3, origin);
    expect("variant" in made && made.variant.parent).toBe(2);
  });
});

describe("operators on top of a proposal", () => {
  it("apply as the constraint allows, with the proposal as parent and the diff against the original file", () => {
    const loop = `function uniqueTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i]!;
    if (!out.includes(tag)) out.push(tag);
  }
  return out;
}`;
    const t = { ...target("uniqueTags"), mutations: ["set_membership"] as const };
    const made = candidateVariant(t, spanOf(t), { source: loop, name: "index-loop" }, 4, origin);
    if (!("variant" in made)) throw new Error(made.reason);
    const derived = operatorsOnProposal(t, made.variant, 5);
    expect(derived.length).toBeGreaterThan(0);
    for (const [i, d] of derived.entries()) {
      expect(d).toMatchObject({ id: 5 + i, parent: 4, operators: ["set_membership"], proposal: origin, risk: PROPOSAL_RISK });
      expect(d.diff).toContain("-  for (const tag of tags) if (!out.includes(tag)) out.push(tag);");
      expect(d.source).toContain("for (let i = 0; i < tags.length; i++)");
      expect(d.source).not.toContain("out.includes(tag)");
    }
    expect(operatorsOnProposal({ ...t, mutations: "none" }, made.variant, 5)).toEqual([]);
  });
});
