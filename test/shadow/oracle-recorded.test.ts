import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProject, type LoadedProject } from "../../src/graph/project-loader.js";
import { encodeCase } from "../../src/measure/case-encoding.js";
import { judgeVariants, type OracleInput } from "../../src/shadow/oracle.js";
import { copyFixture, removeTempDirs } from "../helpers/built-cli.js";

/**
 * The oracle with recorded cases (`optimize --recording`): they run after
 * the workload's, with their origin, and inputs derived from each by small
 * changes run too, reporting which recorded case they came from.
 */

let root: string;
let project: LoadedProject;
let lists: string;

beforeAll(() => {
  root = copyFixture("shadow-oracle");
  project = loadProject(join(root, "tsconfig.json"), { displayPath: (p) => p }).value!;
  lists = readFileSync(join(root, "src/lists.ts"), "utf8");
});
afterAll(removeTempDirs);

const BODY = "    if (!out.includes(x)) out.push(x);";

function input(variants: string[], recorded: unknown[][]): OracleInput {
  expect(lists).toContain(BODY);
  return {
    projectRoot: root,
    project,
    node: "src/lists.ts#dedupe",
    file: join(root, "src/lists.ts"),
    qualifiedName: "dedupe",
    original: lists,
    variants: variants.map((body, i) => ({ id: i + 1, source: lists.replace(BODY, body) })),
    canaries: [],
    recorded: recorded.map((args) => encodeCase(args).encoded),
  };
}

describe("the oracle on recorded cases", () => {
  it("runs recorded cases with their origin, and catches on them what they show", { timeout: 60_000 }, async () => {
    // Keeps the last of each value instead of the first: [3, 1, 3] tells them apart.
    const report = await judgeVariants(input(["    if (!out.includes(x)) out.push(x); else { out.splice(out.indexOf(x), 1); out.push(x); }"], [[[3, 1, 3]], [[1, 2]]]), { generated: 0, silenceLimitMs: 5_000 });
    const [verdict] = report.verdicts;
    expect(verdict!.kind).toBe("not-equivalent");
    expect(verdict!.difference).toMatchObject({ origin: "recorded", caseIndex: 0 });
    expect(report.cases.recorded).toBe(2);
  });

  it("catches, on inputs derived from a recorded case, what the recorded case alone does not show", { timeout: 60_000 }, async () => {
    // Drops zeros: the recorded [1.5, 2.5, 1.5] cannot tell; an input derived from it with a zero can.
    const report = await judgeVariants(input(["    if (x !== 0 && !out.includes(x)) out.push(x);"], [[[1.5, 2.5, 1.5]]]), { generated: 0, silenceLimitMs: 5_000 });
    const [verdict] = report.verdicts;
    expect(verdict!.kind).toBe("not-equivalent");
    expect(verdict!.difference).toMatchObject({ origin: "generated", derivedFrom: 0 });
    expect(verdict!.difference!.input).toMatch(/\b0\b/);
    expect(report.cases.generated).toBeGreaterThan(0);
  });

  it("judges a correct variant equivalent on recorded and derived cases", { timeout: 60_000 }, async () => {
    const report = await judgeVariants(input(["    if (!out.some((y) => Object.is(y, x) || (y === 0 && x === 0))) out.push(x);"], [[[1, 1, 2]], [[0, -0, NaN, NaN]]]), { generated: 0, silenceLimitMs: 5_000 });
    expect(report.verdicts.map((v) => v.kind)).toEqual(["equivalent"]);
    expect(report.cases.recorded).toBe(2);
  });
});
