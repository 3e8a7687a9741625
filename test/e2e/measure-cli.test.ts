/**
 * Measurement through the built CLI, as users run it: `dist/cli.js` with
 * the shipped `dist/measure-child.js`. Verdicts and exit codes only where
 * load cannot change them (a quadratic function against a 2 ms budget, a
 * hang, a crash); never a count of samples.
 */
import { cpSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cdlc, copyFixture, ensureCurrentBuild, removeTempDirs, repoRoot, smallSortFixture, tempDir } from "../helpers/built-cli.js";

afterAll(removeTempDirs);

interface Result {
  node: string;
  metric: string;
  status: string;
  measured: number | null;
  confidence?: number;
  reason?: string;
  edge?: unknown;
  severity: string;
}

const find = (results: Result[], node: string, metric = "execution_time") => {
  const r = results.find((x) => x.node === node && x.metric === metric);
  if (r === undefined) throw new Error(`no ${metric} result for ${node} in ${JSON.stringify(results.map((x) => `${x.node} ${x.metric}`))}`);
  return r;
};

/** The README's quick-start command, as the README writes it. */
function quickStartArgs(): string[] {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("## Running the tests"));
  const line = /npx cdlc (check [^\n`]*--measure[^\n`]*)/.exec(section);
  if (line === null) throw new Error("the README's quick start has no `npx cdlc check … --measure` command");
  return line[1]!.trim().split(/\s+/);
}

/** The example shop, copied with the layout the README's command expects (it writes `.cdl/`). */
function exampleCheckout(): string {
  const dir = tempDir("cdlc-quick-start-");
  cpSync(join(repoRoot, "examples"), join(dir, "examples"), { recursive: true, filter: (src) => !src.includes("/.cdl") });
  return dir;
}

describe("cdlc check --measure (built)", () => {
  it("runs the README's quick start: dedupeSkus fails, the flow makes 40 calls, exit 1", async () => {
    const args = quickStartArgs();
    expect(args).toEqual(["check", "examples/shop/constraints.cdl", "--project", "examples/shop/tsconfig.json", "--measure"]);
    const dir = exampleCheckout();
    // A short budget (the README's default is 5 s): enough for dedupeSkus's few slow calls on a busy machine.
    const r = await cdlc([...args, "--time-budget", "1s", "--report", "json:report.json"], { cwd: dir });
    expect(r.err).toBe("");
    expect(r.out).toMatch(/src\/catalog\.ts#dedupeSkus +execution_time p95 ≤ 2 ms .*✗ fail/);
    expect(r.out).toMatch(/\d+ passed, \d+ failed, \d+ inconclusive \(α = 0\.01, /);
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as { results: Result[] };
    expect(find(report.results, "src/catalog.ts#dedupeSkus").status).toBe("fail");
    expect(find(report.results, "src/checkout.ts#Checkout.run", "calls")).toMatchObject({ status: "pass", measured: 40 });
    // 0.2–1.5 µs against 5 µs: a wrong time scale (a batch's time taken for one call's) makes this a false fail.
    expect(find(report.results, "src/inventory.ts#Inventory.reserve").status).not.toBe("fail");
    expect(r.code).toBe(1);
  });

  it("reports a hang, a crash and heap exhaustion as unmeasured with the reason, and decides the healthy node", async () => {
    const dir = copyFixture("measure-failures");
    const r = await cdlc(["check", "constraints.cdl", "--project", "tsconfig.json", "--measure", "--time-budget", "1s", "--timeout", "2s", "--max-old-space-size", "64", "--alpha", "0.2", "--format", "json"], { cwd: dir });
    expect(r.err).toBe("");
    const report = JSON.parse(r.out) as { alpha: number; results: Result[] };
    const results = report.results;
    expect(find(results, "src/bad.ts#fine")).toMatchObject({ status: "pass" });
    // --timeout reaches the runner: a run's hard limit is its share of the 1 s budget plus 2 s (the default is 30 s).
    const hang = find(results, "src/bad.ts#hang");
    expect(hang).toMatchObject({ status: "unmeasured", measured: null, reason: expect.stringContaining("timeout: the run did not finish within") });
    const limitMs = Number(/within (\d+) ms/.exec(hang.reason!)![1]);
    expect(limitMs).toBeGreaterThanOrEqual(2_000);
    expect(limitMs).toBeLessThanOrEqual(3_000);
    expect(find(results, "src/bad.ts#killsItself")).toMatchObject({ status: "unmeasured", reason: expect.stringContaining("killed by SIGKILL") });
    // --max-old-space-size reaches the children.
    expect(find(results, "src/bad.ts#eatsMemory")).toMatchObject({ status: "unmeasured", reason: expect.stringContaining("limit of 64 MB") });
    expect(find(results, "src/bad.ts#alwaysThrows", "error_rate")).toMatchObject({ status: "fail", severity: "warning", measured: 1 });
    // --alpha reaches the decisions: at 0.2 no interval is as wide as the default 0.01 makes them (≥ 99%).
    expect(report.alpha).toBe(0.2);
    const decided = results.filter((x) => x.confidence !== undefined);
    expect(decided.length).toBeGreaterThanOrEqual(2);
    for (const x of decided) expect(x.confidence).toBeLessThan(0.99);
    // Unmeasured bounds and a failed warning do not fail the build without --strict.
    expect(r.code).toBe(0);
  });

  it("decides pass, fail and inconclusive; gates CI: failed warnings exit 0, an inconclusive error 0, and 1 with --strict", async () => {
    const args = ["check", "gate.cdl", "--project", "tsconfig.json", "--measure", "--time-budget", "1s", "--format", "json"];
    const [lenient, strict] = await Promise.all([cdlc(args, { cwd: smallSortFixture() }), cdlc([...args, "--strict"], { cwd: smallSortFixture() })]);
    for (const r of [lenient, strict]) {
      expect(r.err).toBe("");
      const report = JSON.parse(r.out) as { results: (Result & { limit: number; source: object })[]; environment: { node: string }; nodes: { node: string; timesNs: number[] }[] };
      const results = report.results;
      expect(find(results, "src/work.ts#addOne")).toMatchObject({ status: "pass", op: "<=", limit: 1_000_000, unit: "ns" });
      const sort = find(results, "src/work.ts#sortMany");
      expect(sort).toMatchObject({ status: "fail", severity: "warning", limit: 10_000, source: { file: "gate.cdl", line: 8 } });
      expect(sort.measured).toBeGreaterThan(10_000);
      expect(find(results, "src/work.ts#sortMany", "error_rate")).toMatchObject({ status: "inconclusive", severity: "error" });
      expect(find(results, "src/work.ts#countUp", "calls")).toMatchObject({ edge: { from: "src/work.ts#countUp", to: "src/work.ts#addOne" }, limit: 5, measured: 7, status: "fail", severity: "warning" });
      expect(report.environment.node).toBe(process.version);
      expect(report.nodes.find((n) => n.node === "src/work.ts#addOne")!.timesNs.length).toBeGreaterThan(0);
    }
    expect(lenient.code).toBe(0);
    expect(strict.code).toBe(1);
  });

  it("exits 3 with a message that says it is a bug when the install is broken", async () => {
    // A copy of dist/ without the measurement child (dependencies resolve through a link).
    ensureCurrentBuild();
    const copy = tempDir("cdlc-broken-");
    cpSync(join(repoRoot, "dist"), join(copy, "dist"), { recursive: true });
    rmSync(join(copy, "dist/measure-child.js"));
    symlinkSync(join(repoRoot, "node_modules"), join(copy, "node_modules"), "dir");
    // calibrate needs the child and no program: the quickest command to reach it.
    const r = await cdlc(["calibrate", "--experiments", "1", "--time-budget", "200ms", "--format", "json"], { cwd: copy, cli: join(copy, "dist/cli.js") });
    expect(r.code).toBe(3);
    expect(r.out).toBe("");
    expect(r.err).toContain("error: internal error");
    expect(r.err).toContain("This is a bug in cdlc");
    expect(r.err).toContain("cannot find the measurement child");
  });
});
