/**
 * `cdlc check --measure` end to end, in-process, on a fixture with a
 * clearly fast and a clearly slow node: verdicts, not timings.
 */
import { describe, expect, it } from "vitest";
import { createMemoryIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";
import { warmStart } from "../../src/graph/warm-start.js";

const fixture = new URL("../fixtures/measure-check/", import.meta.url).pathname;

describe("cdlc check --measure", () => {
  it("passes the fast node, fails the slow one, and exits 1", async () => {
    const io = createMemoryIo({ cwd: fixture });
    const code = await run(["check", "constraints.cdl", "--project", "tsconfig.json", "--measure", "--time-budget", "2s", "--format", "json", "--no-cache"], io);
    const report = JSON.parse(io.out);
    const verdict = (node: string) => report.results.find((r: { node: string; metric: string; edge?: unknown }) => r.node === node && r.metric === "execution_time" && r.edge === undefined);
    expect(verdict("src/work.ts#addOne")).toMatchObject({ status: "pass", op: "<=", limit: 1_000_000, unit: "ns" });
    expect(verdict("src/work.ts#sortMany")).toMatchObject({ status: "fail", limit: 10_000 });
    expect(verdict("src/work.ts#sortMany").measured).toBeGreaterThan(10_000);
    expect(verdict("src/work.ts#sortMany").source).toMatchObject({ file: "constraints.cdl", line: 4 });
    expect(report.environment.node).toBe(process.version);
    expect(report.nodes.find((n: { node: string }) => n.node === "src/work.ts#addOne").timesNs.length).toBeGreaterThan(0);
    expect(code).toBe(1);
  });

  it("needs --project", async () => {
    const io = createMemoryIo({ cwd: fixture });
    expect(await run(["check", "constraints.cdl", "--measure"], io)).toBe(2);
    expect(io.err).toContain("--project");
  });
});

describe("cdlc calibrate", () => {
  it("runs A/A comparisons through the real runner and reports the error rate and the detectable change", async () => {
    const io = createMemoryIo({ cwd: fixture });
    expect(await run(["calibrate", "--experiments", "2", "--time-budget", "1s", "--format", "json"], io)).toBe(0);
    const result = JSON.parse(io.out);
    expect(result).toMatchObject({ experiments: 2, alpha: 0.01, power: 0.95, environment: { node: process.version } });
    expect(result.falsePositiveRate).toBe(result.falsePositives / 2);
    // Identical runs through the real runner: some noise, and a finite detectable change. How small both
    // are depends on the machine's load (a 1 s budget on a busy machine gave 1.9), so that is for
    // `cdlc calibrate` itself and bench/README-stats.md to report, not for a test to assert.
    expect(result.logRatioSd).toBeGreaterThan(0);
    expect(Number.isFinite(result.logRatioSd)).toBe(true);
    expect(result.minimumDetectableEffect).toBeGreaterThan(0);
    expect(Number.isFinite(result.minimumDetectableEffect)).toBe(true);
    expect(result.meanPairs).toBeGreaterThanOrEqual(3);
  });
});

describe("cdlc graph --measure", () => {
  it("attaches measured metrics to nodes and flow statistics to edges", async () => {
    const io = createMemoryIo({ cwd: fixture });
    expect(await run(["graph", "constraints.cdl", "--project", "tsconfig.json", "--measure", "--time-budget", "1s", "--no-cache"], io)).toBe(0);
    const graph = JSON.parse(io.out);
    const addOne = graph.nodes.find((n: { id: string }) => n.id === "src/work.ts#addOne");
    expect(addOne.metrics.timeNs.samples).toBeGreaterThan(0);
    expect(addOne.metrics.verdicts.map((v: { metric: string }) => v.metric)).toContain("execution_time");
    const edge = graph.edges.find((e: { from: string; to: string }) => e.from === "src/work.ts#countUp" && e.to === "src/work.ts#addOne");
    // Three and seven calls per case, exactly: counted by the instrumentation.
    expect(edge.calls.perCase.p50).toBeGreaterThanOrEqual(3);
    expect(edge.calls.perCase.max).toBe(7);
  });
});

describe("flow bounds", () => {
  it("decides max_calls per case exactly: 7 calls in one case exceed 5", async () => {
    const io = createMemoryIo({ cwd: fixture });
    await run(["check", "constraints.cdl", "--project", "tsconfig.json", "--measure", "--time-budget", "1s", "--format", "json", "--no-cache"], io);
    const calls = JSON.parse(io.out).results.find((r: { metric: string }) => r.metric === "calls");
    expect(calls).toMatchObject({ node: "src/work.ts#countUp", edge: { from: "src/work.ts#countUp", to: "src/work.ts#addOne" }, limit: 5, status: "fail" });
  });
});

describe("measuring from a cached graph", () => {
  it("needs no loaded program: a file without workloads reports every bound unmeasured, twice", async () => {
    const { cpSync, mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "cdlc-warm-"));
    cpSync(fixture, dir, { recursive: true });
    writeFileSync(join(dir, "constraints.cdl"), "constraint \"src/work.ts#addOne\" { max_execution_time: 1ms }\n");
    for (let i = 0; i < 2; i++) {
      const io = createMemoryIo({ cwd: dir });
      const code = await run(["check", "constraints.cdl", "--project", "tsconfig.json", "--measure", "--time-budget", "200ms", "--format", "json"], io);
      expect(io.err).toBe("");
      expect(code).toBe(0);
      expect(JSON.parse(io.out).results).toMatchObject([{ node: "src/work.ts#addOne", status: "unmeasured", reason: "the CDL file names no workload module" }]);
      // After the first run the project is answered from the cache, without TypeScript: the case under test.
      if (i === 0) expect(warmStart(join(dir, "tsconfig.json")).graph).toBeDefined();
    }
  });
});
