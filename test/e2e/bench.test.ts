/**
 * `cdlc bench --baseline` end to end, through the built CLI: a node made
 * fifty times slower is a regression (exit 1), the reverse an improvement,
 * and the same code again neither (exit 0).
 *
 * Fifty, not two or ten: the comparison is across runs made at different
 * times (stored samples), and on a busy machine runs of one build differ
 * several-fold; the test is about the verdicts, not the detection limit
 * (bench/README-stats.md measures that). The budget in bench.cdl holds for
 * every version, so the exit code answers for the comparison alone. The
 * comparison bootstraps over runs: the 2 s budget is for a loaded machine
 * to fit the four runs bench makes at least (1 s fitted two).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cdlc, copyFixture, removeTempDirs, smallSortFixture } from "../helpers/built-cli.js";

afterAll(removeTempDirs);

interface Comparison {
  node: string;
  verdict: string;
  change: number;
  interval: [number, number];
  method: string;
}

const FAST = "return [...values].sort((a, b) => a - b);";
const SLOW = "for (let k = 0; k < 49; k++) [...values].sort((a, b) => (k % 2 === 0 ? b - a : a - b));\n  " + FAST;

/** Runs `cdlc bench` on the fixture copy; `--report json:<report>` keeps the run as a later baseline. */
async function bench(dir: string, report: string, baseline?: string) {
  const args = ["bench", "bench.cdl", "-p", "tsconfig.json", "--time-budget", "2s", "--format", "json", "--report", `json:${report}`];
  const r = await cdlc(baseline === undefined ? args : [...args, "--baseline", baseline], { cwd: dir });
  expect(r.err).toBe("");
  const out = JSON.parse(r.out) as { command: string; comparisons?: Comparison[] };
  expect(out.command).toBe("bench");
  const sort = out.comparisons?.find((c) => c.node === "src/work.ts#sortMany");
  return { code: r.code, sort };
}

describe("cdlc bench --baseline (built)", () => {
  it("flags a regression (exit 1), an improvement and no change (exit 0)", { timeout: 180_000 }, async () => {
    const dir = smallSortFixture();
    const source = join(dir, "src/work.ts");
    const fast = readFileSync(source, "utf8");
    const slow = fast.replace(FAST, SLOW);
    expect(slow, "the measure-check source changed: update the test").not.toBe(fast);
    const base = await bench(dir, join(dir, "fast.json"));
    expect(base.code).toBe(0);
    expect(base.sort).toBeUndefined();

    const same = await bench(dir, join(dir, "same.json"), "fast.json");
    expect(same.sort, JSON.stringify(same.sort)).toMatchObject({ method: "stored-samples" });
    expect(["no-change", "inconclusive"]).toContain(same.sort!.verdict);
    expect(same.code).toBe(0);

    writeFileSync(source, slow);
    const slower = await bench(dir, join(dir, "slow.json"), "fast.json");
    expect(slower.sort, JSON.stringify(slower.sort)).toMatchObject({ verdict: "regression", method: "stored-samples" });
    expect(slower.sort!.change).toBeGreaterThan(2);
    expect(slower.sort!.interval[0]).toBeGreaterThan(0);
    expect(slower.code).toBe(1);

    writeFileSync(source, fast);
    const faster = await bench(dir, join(dir, "again.json"), "slow.json");
    expect(faster.sort, JSON.stringify(faster.sort)).toMatchObject({ verdict: "improvement", method: "stored-samples" });
    expect(faster.sort!.change).toBeLessThan(-0.5);
    expect(faster.sort!.interval[1]).toBeLessThan(0);
    expect(faster.code).toBe(0);
  });

  it("rejects a baseline that is not a cdlc report", async () => {
    const dir = copyFixture("measure-check");
    writeFileSync(join(dir, "bad.json"), "{\"hello\": 1}");
    const r = await cdlc(["bench", "constraints.cdl", "-p", "tsconfig.json", "--baseline", "bad.json"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err).toContain("not a cdlc report");
  });
});
