/**
 * `cdlc check --measure` end to end, in-process, on a fixture with a
 * clearly fast and a clearly slow node: verdicts, not timings.
 */
import { describe, expect, it, vi } from "vitest";
import { createMemoryIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";
import { warmStart } from "../../src/graph/warm-start.js";

const fixture = new URL("../fixtures/measure-check/", import.meta.url).pathname;

/** Counts the TypeScript programs loaded, to prove that a cached graph needs none. */
const programs = vi.hoisted(() => ({ loaded: 0 }));
vi.mock("../../src/graph/project-loader.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/graph/project-loader.js")>();
  return {
    ...real,
    loadProject: (...args: Parameters<typeof real.loadProject>) => {
      programs.loaded++;
      return real.loadProject(...args);
    },
  };
});

// Verdicts of check --measure through the built CLI: measure-cli.test.ts.
describe("cdlc check --measure", () => {
  it("needs --project", async () => {
    const io = createMemoryIo({ cwd: fixture });
    expect(await run(["check", "constraints.cdl", "--measure"], io)).toBe(2);
    expect(io.err).toContain("--project");
  });
});

describe("cdlc calibrate", () => {
  it("runs A/A comparisons through the real runner at the given --alpha, and reports each one", async () => {
    const io = createMemoryIo({ cwd: fixture, env: { CI: "true" } });
    expect(await run(["calibrate", "--experiments", "2", "--time-budget", "1s", "--alpha", "0.05", "--format", "json"], io)).toBe(0);
    const result = JSON.parse(io.out);
    expect(result).toMatchObject({ experiments: 2, alpha: 0.05, power: 0.95, environment: { node: process.version } });
    // In CI, one line per comparison: what it declared must add up to the reported count.
    const lines = io.err.split("\n").filter((l) => l.startsWith("A/A comparison "));
    expect(lines.map((l) => /^A\/A comparison (\d+)\/2: /.exec(l)?.[1])).toEqual(["1", "2"]);
    expect(lines.filter((l) => l.includes("declared different")).length).toBe(result.falsePositives);
    expect(result.meanPairs).toBeGreaterThanOrEqual(1);
    // Identical runs through the real runner: some noise. How much, and how small a change is then detectable,
    // depends on the machine's load and on how many pairs fit in the budget (a busy machine may fit only one,
    // and one pair has no spread: null); that is for `cdlc calibrate` itself and bench/README-stats.md to
    // report. The statistics behind it are tested on known noise in test/decide/compare.test.ts.
    if (result.logRatioSd !== null) expect(result.logRatioSd).toBeGreaterThan(0);
  });
});

describe("cdlc graph --measure", () => {
  it("attaches measured metrics to nodes and flow statistics to edges", async () => {
    const io = createMemoryIo({ cwd: fixture });
    expect(await run(["graph", "constraints.cdl", "--project", "tsconfig.json", "--measure", "--time-budget", "500ms", "--no-cache"], io)).toBe(0);
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

describe("measuring from a cached graph", () => {
  it("needs no loaded program: a file without workloads reports every bound unmeasured, twice", async () => {
    const before = programs.loaded;
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
      if (i === 0) {
        expect(programs.loaded).toBe(before + 1);
        expect(warmStart(join(dir, "tsconfig.json")).graph).toBeDefined();
      }
    }
    expect(programs.loaded, "the second run loaded a TypeScript program").toBe(before + 1);
  });
});
