import { afterAll, describe, expect, it } from "vitest";
import { createProcessSampler, type MeasureTarget } from "../../src/measure/sampler.js";
import { describeBatch, fixture, median, quickLimits, target } from "./helpers.js";

// Counts and kinds are asserted exactly; times by comparison, or by bounds that load cannot break:
// a lower bound for code that waits a known time, an upper bound far above a trivial call.
const root = fixture("measure-program");
const flow = { from: "src/orders.ts#Orders.place", to: "src/orders.ts#Store.take" };
const targets: Record<string, MeasureTarget> = {
  add: target(root, "src/shapes.ts#Counter.add", "add"),
  twice: target(root, "src/shapes.ts#Counter.twice", "twice"),
  secret: target(root, "src/shapes.ts#Counter.#secret", "secret"),
  fetchDouble: target(root, "src/shapes.ts#fetchDouble", "fetchDouble"),
  hidden: target(root, "src/shapes.ts#hidden", "hidden"),
  label: target(root, "src/shapes.ts#handlers.label", "label"),
  arrow: target(root, "src/shapes.ts#arrow", "arrow"),
  checkout: target(root, "src/orders.ts#Orders.checkout", "checkout", [flow]),
  slowSort: target(root, "src/work.ts#slowSort", "slowSort"),
  trivial: target(root, "src/work.ts#trivial", "trivial"),
  allocates: target(root, "src/work.ts#allocates", "allocates"),
  leaks: target(root, "src/work.ts#leaks", "leaks"),
  spins: target(root, "src/work.ts#spins", "spins"),
  sleeps: target(root, "src/work.ts#sleeps", "sleeps"),
};
const sampler = createProcessSampler({ projectRoot: root, timeoutMs: 5_000, maxOldSpaceMb: 256, targets: Object.values(targets), limits: quickLimits });
afterAll(() => sampler.close());

// A run stops at minSamples (or at 75% of its budget with fewer): the budget is generous so that
// a loaded machine still reaches minSamples; an idle one stops far earlier.
const run = (name: string, minSamples = 10, timeBudgetMs = 3_000) => sampler.sample({ target: targets[name]!, minSamples, timeBudgetMs });

describe("process sampler on a program", () => {
  it("builds the instrumented program once for every target", async () => {
    const build = await sampler.prepare();
    expect(build.missing).toEqual([]);
    expect(new Set(build.exposed)).toEqual(new Set([...Object.values(targets).map((t) => t.node), flow.from, flow.to]));
    expect(build.untracked).toEqual([]);
  });

  for (const name of ["add", "twice", "secret", "hidden", "label", "arrow"]) {
    it(`measures ${targets[name]!.node} without errors`, async () => {
      const batch = await run(name);
      expect(batch.failure, describeBatch(batch)).toBeUndefined();
      expect(batch.errors).toBe(0);
      expect(batch.timesNs.length).toBeGreaterThanOrEqual(10);
      expect(batch.calls).toBeGreaterThanOrEqual(batch.timesNs.length);
      expect(batch.timesNs.every((t) => Number.isFinite(t) && t >= 0)).toBe(true);
      expect(batch.batchSize).toBeGreaterThanOrEqual(1);
    });
  }

  it("awaits an async function", async () => {
    const batch = await run("fetchDouble");
    expect(batch.failure, describeBatch(batch)).toBeUndefined();
    expect(batch.errors).toBe(0);
    expect(batch.details?.async).toBe(true);
    expect(batch.details?.cases).toBe(3);
  });

  it("shows the first cases as text when asked (for optimize --proposer), and only then", async () => {
    expect((await run("fetchDouble")).casesShown).toBeUndefined();
    const showing = createProcessSampler({ projectRoot: root, timeoutMs: 5_000, maxOldSpaceMb: 256, targets: [targets.fetchDouble!], limits: quickLimits, previewCases: 2 });
    try {
      const batch = await showing.sample({ target: targets.fetchDouble!, minSamples: 5, timeBudgetMs: 3_000 });
      expect(batch.failure, describeBatch(batch)).toBeUndefined();
      expect(batch.casesShown).toEqual({ total: 3, shown: [{ args: "[1]", truncated: false }, { args: "[2]", truncated: false }] });
    } finally {
      await showing.close();
    }
  });

  it("waits for each call of an async function before timing the next", async () => {
    // Each call resolves 2 ms after it starts: a runner that did not await would time microseconds.
    const batch = await run("sleeps", 5);
    expect(batch.failure, describeBatch(batch)).toBeUndefined();
    expect(batch.details?.async).toBe(true);
    expect(batch.batchSize).toBe(1);
    expect(Math.min(...batch.timesNs)).toBeGreaterThanOrEqual(2_000_000);
  });

  it("times one call at its own scale: 201 µs of spinning measures at least 200 µs", async () => {
    const batch = await run("spins", 10);
    expect(batch.failure, describeBatch(batch)).toBeUndefined();
    expect(median(batch.timesNs)).toBeGreaterThanOrEqual(200_000);
  });

  it("divides a batch's time by its calls: a trivial function measures well under 1 µs per call", async () => {
    const batch = await run("trivial", 30);
    expect(batch.failure, describeBatch(batch)).toBeUndefined();
    // Batches last at least a microsecond (DEFAULT_LIMITS.minBatchNs); one call of x + 1 takes nanoseconds.
    expect(batch.batchSize).toBeGreaterThan(10);
    expect(median(batch.timesNs)).toBeLessThan(200);
  });

  it("counts flow calls per case only while the caller is on the stack", async () => {
    const batch = await run("checkout");
    expect(batch.failure, describeBatch(batch)).toBeUndefined();
    expect(batch.edges).toHaveLength(1);
    const edge = batch.edges[0]!;
    expect(edge.from).toBe(flow.from);
    expect(edge.to).toBe(flow.to);
    // Cases place 2 and 5 items; the `bag` taken outside `place` is not counted.
    expect(edge.callsPerCase.length % 2).toBe(0);
    expect(edge.callsPerCase.length).toBeGreaterThan(0);
    edge.callsPerCase.forEach((n, i) => expect(n).toBe(i % 2 === 0 ? 2 : 5));
    const calls = edge.callsPerCase.reduce((a, b) => a + b, 0);
    expect(edge.latencyNs).toHaveLength(calls);
    expect(edge.volumeBytes).toHaveLength(calls);
    // One short string argument: a few bytes as a structured clone.
    expect(edge.volumeBytes.every((v) => v > 0 && v < 64)).toBe(true);
  });

  it("times a clearly slow function far above a trivial one", async () => {
    // A smaller budget: a run spends part of it warming up, and each call takes tens of milliseconds.
    const slow = await run("slowSort", 3, 1_000);
    const fast = await run("trivial");
    expect(slow.failure, describeBatch(slow)).toBeUndefined();
    expect(fast.failure, describeBatch(fast)).toBeUndefined();
    expect(median(slow.timesNs)).toBeGreaterThan(10 * median(fast.timesNs));
    expect(fast.batchSize).toBeGreaterThan(1);
    expect(slow.batchSize).toBe(1);
  });

  it("measures memory as the heap a call retains", async () => {
    const allocates = await run("allocates");
    const trivial = await run("trivial");
    const leaks = await run("leaks");
    // 10,000 doubles: 80,000 bytes of elements plus a small header.
    expect(median(allocates.memoryBytes)).toBeGreaterThan(78_000);
    expect(median(allocates.memoryBytes)).toBeLessThan(90_000);
    expect(Math.abs(median(trivial.memoryBytes))).toBeLessThan(16);
    // One small object per call stays in module state.
    expect(median(leaks.memoryBytes)).toBeGreaterThan(24);
    expect(median(leaks.memoryBytes)).toBeLessThan(200);
  });

  it("gives independent runs: each sample() is a new process", async () => {
    const a = await run("add", 5);
    const b = await run("add", 5);
    expect(a.failure ?? b.failure).toBeUndefined();
    expect(a.timesNs.length).toBeGreaterThanOrEqual(5);
    expect(b.timesNs.length).toBeGreaterThanOrEqual(5);
  });
});
