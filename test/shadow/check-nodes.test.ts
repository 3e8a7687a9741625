import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkCdlFileWithProject, checkVariants, createNodeHost, type TargetVariants } from "../../src/index.js";
import { copyFixture, removeTempDirs } from "../helpers/built-cli.js";

/** From a CDL file to the oracle's reports, through the library calls `cdlc variants --check` makes. */
afterAll(removeTempDirs);

const DEDUPE_BODY = "  const out: number[] = [];\n  for (const x of xs) {\n    if (!out.includes(x)) out.push(x);\n  }\n  return out;";
/** The same values, last-seen order instead of first-seen. */
const LAST_SEEN = "  return xs.filter((x, i) => xs.lastIndexOf(x) === i);";

async function judgeLastSeen(equivalence: string) {
  const root = copyFixture("shadow-oracle");
  writeFileSync(join(root, "constraints.cdl"), `workload "bench/workloads.ts"\nconstraint dedupe { max_execution_time: 1ms, mutations: none${equivalence} }\n`);
  const checked = await checkCdlFileWithProject(join(root, "constraints.cdl"), join(root, "tsconfig.json"), createNodeHost(root), root, { cache: false });
  expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const source = readFileSync(join(root, "src/lists.ts"), "utf8");
  expect(source).toContain(DEDUPE_BODY);
  // A hand-made variant, listed as the engine lists its own.
  const listed: TargetVariants[] = [{ node: "src/lists.ts#dedupe", notApplied: [], variants: [{ id: 1, parent: null, operators: ["algorithm_swap"], risk: 0, summary: [], source: source.replace(DEDUPE_BODY, LAST_SEEN), nodeText: "", diff: "" }] }];
  // Workload cases only: generated sparse arrays tell this variant apart whatever the comparison (holes read as undefined in the original).
  const [report] = await checkVariants(checked.run, listed, { cwd: root, generated: 0 });
  return report!;
}

describe("checkVariants and the constraint's equivalence", () => {
  it("by default compares everything: another order of the same values differs", { timeout: 120_000 }, async () => {
    const report = await judgeLastSeen("");
    expect(report.verdicts.map((v) => v.kind)).toEqual(["not-equivalent"]);
  });

  it("with a comparison function of the user's, judges results by it (and still everything else by the encoder)", { timeout: 120_000 }, async () => {
    const report = await judgeLastSeen(', equivalence: "bench/compare.ts#sameMembers"');
    expect(report.untestable).toBeUndefined();
    expect(report.verdicts.map((v) => [v.kind, v.reason])).toEqual([["equivalent", expect.stringMatching(/behaves like the original on \d+ cases/)]]);
  });

  it("says so when the comparison function is missing", { timeout: 120_000 }, async () => {
    const report = await judgeLastSeen(', equivalence: "bench/compare.ts#nothing"');
    expect(report.untestable).toMatch(/has no function `nothing`/);
    expect(report.trusted).toBe(false);
  });
});
