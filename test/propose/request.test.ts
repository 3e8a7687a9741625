import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import type { IrConstraint } from "../../src/cdl/compile.js";
import { encodeCase } from "../../src/measure/case-encoding.js";
import { caseText } from "../../src/measure/case-preview.js";
import type { MutationTarget } from "../../src/mutate/types.js";
import { nodeSpan } from "../../src/propose/candidates.js";
import { buildRequest } from "../../src/propose/request.js";
import { repoRoot } from "./doc-examples.js";

/**
 * The requests cdlc itself builds fit the request schema (docs/), say where
 * the node is, and give its signature up to its body whatever the
 * parameters look like.
 */
const validRequest = new Ajv2020({ allErrors: true }).compile(JSON.parse(readFileSync(join(repoRoot, "docs", "proposer-request.schema.json"), "utf8")) as object);

const FILE = `export function pick({ a, b }: { a: number; b: number }, opts: { deep: boolean } = { deep: false }): number {
  return opts.deep ? a : b;
}

export const twice = (x: number): number => x * 2;

export class Box {
  size(): number {
    return 1;
  }
}
`;
const target = (qualifiedName: string): MutationTarget => ({ node: `src/a.ts#${qualifiedName}`, file: "src/a.ts", qualifiedName, source: FILE, mutations: ["set_membership"], algorithm: [] });
const constraint = { bounds: [{ metric: "execution_time", op: "<=", value: 2_000_000, unit: "ns", percentile: "p95" }] } as IrConstraint;

function request(qualifiedName: string, extra: Partial<Parameters<typeof buildRequest>[0]> = {}) {
  const span = nodeSpan(target(qualifiedName));
  if ("reason" in span) throw new Error(span.reason);
  return buildRequest({ target: target(qualifiedName), span, constraints: [constraint], violated: ["execution_time p95 <= 2000000 ns"], tried: [], round: 1, limits: { maxCandidates: 5, maxSourceBytes: 65_536, timeoutMs: 60_000 }, ...extra });
}

describe("cases as text", () => {
  it.each([
    [[1, "a", null], '[1,"a",null]'],
    [[new Map([["k", new Set([1])]]), 2n], '[{"Map":[["k",{"Set":[1]}]]},"2n"]'],
    [[undefined], "[null]"],
  ])("writes %o as %s", (args, text) => {
    expect(caseText(args)).toEqual({ args: text, truncated: false });
  });

  it("cuts long ones, and says why it cannot show one", () => {
    expect(caseText(["x".repeat(50)], 10)).toEqual({ args: '["xxxxxxxx', truncated: true });
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(caseText([loop]).args).toMatch(/^\(cannot be shown: .*circular/i);
  });
});

describe("the request cdlc writes to a proposer", () => {
  it.each([
    ["pick", "function pick({ a, b }: { a: number; b: number }, opts: { deep: boolean } = { deep: false }): number"],
    ["twice", "(x: number): number =>"],
    ["Box.size", "size(): number"],
  ])("gives %s's signature up to its body", (name, signature) => {
    const r = request(name);
    expect(r.node.signature).toBe(signature);
    expect(validRequest(r)).toBe(true);
  });

  it("says where the node is (the end just past its last character), and what bounds it has", () => {
    const r = request("Box.size");
    expect(r.node.source).toBe("size(): number {\n    return 1;\n  }");
    expect(r.node.start).toEqual({ line: 8, column: 3 });
    expect(r.node.end).toEqual({ line: 10, column: 4 });
    expect(r.constraint).toEqual({ bounds: ["execution_time p95 ≤ 2 ms"], violated: ["execution_time p95 <= 2000000 ns"], mutations: ["set_membership"], algorithm: [] });
  });

  it("shows recorded cases as JSON, with what JSON cannot hold described and long ones cut, and still fits the schema", () => {
    const recorded = [encodeCase([[1, 2, 3], new Map([["k", 1n]])]), encodeCase(["x".repeat(5_000)]), ...Array.from({ length: 6 }, (_, i) => encodeCase([i]))].map((c) => c.encoded);
    const r = request("pick", {
      recorded,
      before: { metric: "execution_time", statistic: "p95", value: 4e6, interval: [3e6, 5e6], unit: "ns" },
      tried: [{ id: 1, origin: "operator", operators: ["set_membership"], verdict: "pending", reason: "not judged yet", source: "function pick() {}" }],
    });
    expect(r.cases.total).toBe(8);
    expect(r.cases.shown).toHaveLength(5);
    // Workload cases, as the measurement child showed them, come first.
    const both = request("pick", { recorded, workload: { total: 6, shown: [{ args: "[[9]]", truncated: false }] } });
    expect(both.cases.total).toBe(14);
    expect(both.cases.shown.map((c) => c.args).slice(0, 2)).toEqual(["[[9]]", '[[1,2,3],{"Map":[["k","1n"]]}]']);
    expect(r.cases.shown[0]).toEqual({ args: '[[1,2,3],{"Map":[["k","1n"]]}]', truncated: false });
    expect(r.cases.shown[1]!.truncated).toBe(true);
    expect(r.cases.shown[1]!.args.length).toBe(2_000);
    expect(validRequest(r), JSON.stringify(validRequest.errors)).toBe(true);
  });
});
