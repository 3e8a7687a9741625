import { describe, expect, it } from "vitest";
import { runSequential, type BoundSpec, type ProgressState } from "../../src/measure/decide/index.js";
import { FakeSampler, here, target } from "./fake-sampler.js";

const LN20 = Math.log(20); // p95 of exponential(1)

function timeBound(node: string, limit: number, percentile = "p95", op: BoundSpec["op"] = "<="): BoundSpec {
  return { node, metric: "execution_time", op, limit, unit: "ns", percentile, severity: "error", source: here };
}

describe("runSequential", () => {
  it("passes a node clearly under its limit, fails one clearly over, and leaves one at the limit inconclusive", async () => {
    const scale = 1000;
    const sampler = new FakeSampler(
      {
        fast: { time: (r) => r.exponential(1) * scale * 0.5 },
        slow: { time: (r) => r.exponential(1) * scale * 2 },
        edge: { time: (r) => r.exponential(1) * scale },
      },
      42,
    );
    const limit = scale * LN20;
    const bounds = ["fast", "slow", "edge"].map((n) => timeBound(n, limit));
    const states: ProgressState[] = [];
    const out = await runSequential(sampler, ["fast", "slow", "edge"].map(target), bounds, { timeBudgetMs: 1000, maxLooks: 8, onProgress: (s) => states.push(s) });
    const status = Object.fromEntries(out.results.map((r) => [r.node, r.status]));
    expect(status).toEqual({ fast: "pass", slow: "fail", edge: "inconclusive" });
    for (const r of out.results) {
      // The verdict agrees with the interval it reports.
      const [lo, hi] = r.interval!;
      if (r.status === "pass") expect(hi).toBeLessThanOrEqual(limit);
      if (r.status === "fail") expect(lo).toBeGreaterThan(limit);
      if (r.status === "inconclusive") expect(lo <= limit && limit <= hi).toBe(true);
      expect(r.confidence).toBeGreaterThan(0.99);
    }
    // Clear cases stop early; the undecided node uses every look.
    const looks = Object.fromEntries(out.nodes.map((n) => [n.node, n.runs!.length]));
    expect(looks.fast).toBeLessThan(8);
    expect(looks.slow).toBeLessThan(8);
    expect(looks.edge).toBe(8);
    expect(out.nodes.find((n) => n.node === "edge")!.timesNs.length).toBe(800);
    expect(states[0]!.event.kind).toBe("start");
    expect(states.at(-1)!.event.kind).toBe("done");
    expect(states.at(-1)!.nodes.every((n) => n.status === "done" && n.verdicts !== undefined)).toBe(true);
  });

  it("makes at least minLooks runs, for decided nodes and nodes without bounds", async () => {
    const sampler = new FakeSampler({ fast: { time: (r) => r.exponential(1) * 10 }, free: { time: (r) => r.exponential(1) } }, 5);
    const bounds = [timeBound("fast", 1000 * LN20)];
    const once = await runSequential(sampler, ["fast", "free"].map(target), bounds, { timeBudgetMs: 1000, maxLooks: 8 });
    // Decided early, or nothing to decide: fewer runs than four.
    expect(once.nodes[0]!.runs!.length).toBeLessThan(4);
    expect(once.nodes[1]!.runs!.length).toBe(1);
    const states: ProgressState[] = [];
    const four = await runSequential(sampler, ["fast", "free"].map(target), bounds, { timeBudgetMs: 1000, maxLooks: 8, minLooks: 4, onProgress: (s) => states.push(s) });
    expect(four.nodes.map((n) => n.runs!.length)).toEqual([4, 4]);
    // Progress shows each node's own limit from the start: the node without bounds stops at the minimum.
    expect(states[0]!.nodes.map((n) => n.maxLooks)).toEqual([8, 4]);
    expect(four.results[0]!.status).toBe("pass");
  });

  it("never exceeds the time budget and splits it over the looks", async () => {
    const sampler = new FakeSampler({ a: { time: (r) => r.exponential(1), wallTimeMs: 300 } }, 1);
    const out = await runSequential(sampler, [target("a")], [timeBound("a", LN20)], { timeBudgetMs: 1000, maxLooks: 8 });
    expect(out.nodes[0]!.runs!.length).toBe(4); // 300 + 300 + 300 + 300 ≥ 1000 after the fourth
    expect(sampler.requests[0]!.timeBudgetMs).toBe(125);
    expect(out.results[0]!.status).toBe("inconclusive");
  });

  it("asks every run to fill its slice, with memory samples only where a memory bound needs them", async () => {
    const sampler = new FakeSampler({ a: { time: (r) => r.exponential(1) }, m: { time: (r) => r.exponential(1), memory: () => 10 } }, 2);
    const memory: BoundSpec = { node: "m", metric: "memory_usage", op: "<=", limit: 100, unit: "B", severity: "error", source: here };
    await runSequential(sampler, [target("a"), target("m")], [timeBound("a", 100), memory], { timeBudgetMs: 800 });
    expect(sampler.requests.every((r) => r.until === "budget")).toBe(true);
    expect(new Set(sampler.requests.map((r) => `${r.target.node}:${r.memory}`))).toEqual(new Set(["a:false", "m:true"]));
    const bench = new FakeSampler({ a: { time: (r) => r.exponential(1) } }, 2);
    await runSequential(bench, [target("a")], [], { timeBudgetMs: 800, memoryForAll: true });
    expect(bench.requests.every((r) => r.memory === true)).toBe(true);
  });

  it("hands the time of nodes decided early to undecided ones, within twice their own slice", async () => {
    const sampler = new FakeSampler({ fast: { time: (r) => r.exponential(1), wallTimeMs: 100, samplesPerRun: 400 }, edge: { time: (r) => r.exponential(1), wallTimeMs: 100 } }, 4);
    const out = await runSequential(sampler, [target("fast"), target("edge")], [timeBound("fast", 1000), timeBound("edge", LN20)], { timeBudgetMs: 800, maxLooks: 8 });
    // `fast` is decided at once but stops after its second run (one process cannot show the spread between processes).
    expect(out.nodes.map((n) => n.runs!.length)).toEqual([2, 8]);
    const edge = sampler.requests.filter((r) => r.target.node === "edge").map((r) => r.timeBudgetMs);
    // A first run gets the node's own slice (800 / 8); once `fast` stops, the 600 ms it left
    // go to `edge`, whose runs grow to twice its slice, no further.
    expect(edge[0]).toBe(100);
    expect(edge[1]).toBeGreaterThan(100);
    expect(edge.slice(2)).toEqual([200, 200, 200, 200, 200, 200]);
    // The run's total stays within the two nodes' budgets.
    expect(out.nodes.reduce((t, n) => t + n.wallTimeMs, 0)).toBeLessThanOrEqual(1600);
  });

  it("gives up on an error rate that cannot be decided in the time left, and says so", async () => {
    // Exactly at its limit, an error rate is never decided: no point spending seven more runs on it.
    const sampler = new FakeSampler({ n: { time: (r) => r.exponential(1), errorRate: 0.01 } }, 6);
    const states: ProgressState[] = [];
    const bounds: BoundSpec[] = [timeBound("n", 100), { node: "n", metric: "error_rate", op: "<", limit: 0.01, unit: "ratio", severity: "error", source: here }];
    const out = await runSequential(sampler, [target("n")], bounds, { timeBudgetMs: 800, maxLooks: 8, onProgress: (s) => states.push(s) });
    expect(out.nodes[0]!.runs!.length).toBeLessThan(8);
    expect(out.results.map((r) => r.status)).toEqual(["pass", "inconclusive"]);
    expect(states.at(-1)!.nodes[0]!.gaveUp).toMatch(/cannot be decided in the time left/);
    // A rate far from its limit is decided, not given up.
    const clear = await runSequential(new FakeSampler({ n: { time: (r) => r.exponential(1), errorRate: 0 } }, 6), [target("n")], bounds, { timeBudgetMs: 800 });
    expect(clear.results[1]!.status).toBe("pass");
  });

  it("decides every metric: error rate (Wilson), memory (mean), throughput, mean and max", async () => {
    const sampler = new FakeSampler(
      {
        n: { time: (r) => 1000 + r.normal(0, 50), memory: (r) => 500 + r.normal(0, 20), errorRate: 0.05 },
      },
      3,
    );
    const b = (x: Partial<BoundSpec>): BoundSpec => ({ node: "n", metric: "execution_time", op: "<=", limit: 0, unit: "ns", severity: "error", source: here, ...x });
    const bounds = [
      b({ metric: "error_rate", op: "<", limit: 0.01, unit: "ratio" }),
      b({ metric: "error_rate", op: "<", limit: 0.2, unit: "ratio" }),
      b({ metric: "memory_usage", limit: 1000, unit: "B" }),
      b({ metric: "memory_usage", limit: 400, unit: "B" }),
      b({ metric: "throughput", op: ">=", limit: 500_000, unit: "per_s" }),
      b({ metric: "throughput", op: ">=", limit: 2_000_000, unit: "per_s" }),
      b({ limit: 1100, percentile: "mean" }),
      b({ limit: 900, percentile: "max" }),
      b({ limit: 5000, percentile: "max" }),
    ];
    const out = await runSequential(sampler, [target("n")], bounds, { timeBudgetMs: 2000 });
    expect(out.results.map((r) => r.status)).toEqual(["fail", "pass", "pass", "fail", "pass", "fail", "pass", "fail", "inconclusive"]);
    expect(out.results[0]!.method).toBe("wilson");
    expect(out.results[4]!.measured!).toBeCloseTo(1e6, -4);
    expect(out.results[8]!.reason).toMatch(/never below/);
    expect(out.results[8]!.interval![1]).toBe(Infinity);
  });

  it("checks flow bounds on the caller's edges", async () => {
    const sampler = new FakeSampler({ a: { time: (r) => r.exponential(1), edges: [{ to: "b", calls: 120, volume: 2000, latency: (r) => 50 + r.exponential(0.1) }] } }, 5);
    const flow = (metric: BoundSpec["metric"], limit: number, unit: BoundSpec["unit"]): BoundSpec => ({ node: "a", metric, op: "<=", limit, unit, severity: "error", source: here, edge: { from: "a", to: "b" }, ...(metric === "latency" ? { percentile: "p95" } : {}) });
    const out = await runSequential(sampler, [target("a")], [flow("calls", 100, "count"), flow("volume", 64_000, "B"), flow("latency", 1000, "ns")], { timeBudgetMs: 1000 });
    expect(out.results.map((r) => r.status)).toEqual(["fail", "pass", "pass"]);
    expect(out.results[0]!.measured).toBe(120);
    expect(out.edges).toHaveLength(1);
  });

  it("reports a failed run as unmeasured with the reason, and skips Holm for it", async () => {
    const sampler = new FakeSampler({ bad: { time: () => 1, failure: { kind: "crashed", message: "segfault" } }, ok: { time: (r) => r.exponential(1) } }, 9);
    const out = await runSequential(sampler, [target("bad"), target("ok")], [timeBound("bad", 10), timeBound("ok", 100)], { timeBudgetMs: 1000 });
    expect(out.results[0]).toMatchObject({ status: "unmeasured", measured: null, interval: null });
    expect(out.results[0]!.reason).toMatch(/crashed: segfault/);
    expect(out.results[1]!.status).toBe("pass");
    expect(out.nodes[0]!.failure?.kind).toBe("crashed");
  });

  it("controls the error rate under repeated looks (simulation at the limit)", async () => {
    // Every bound sits exactly at its limit, so any pass or fail is an error.
    // α = 0.1 so that the check has teeth with S = 400 simulated runs; with
    // 8 looks, testing each look at the full α would err far more often.
    const alpha = 0.1;
    const S = 400;
    let errors = 0;
    let naive = 0;
    for (let s = 0; s < S; s++) {
      const sampler = new FakeSampler({ x: { time: (r) => r.lognormal(0, 0.5), samplesPerRun: 40 } }, 1000 + s);
      const limitMedian = 1; // median of lognormal(0, σ) is 1
      const out = await runSequential(sampler, [target("x")], [timeBound("x", limitMedian, "p50")], { alpha, timeBudgetMs: 800, maxLooks: 8 });
      if (out.results[0]!.status !== "inconclusive") errors++;
      // The naive rule: stop at the first look whose own 1 − α interval excludes the limit.
      const { quantileSignTest, sortAscending } = await import("../../src/measure/stats/index.js");
      const runs: number[] = [];
      const again = new FakeSampler({ x: { time: (r) => r.lognormal(0, 0.5), samplesPerRun: 40 } }, 1000 + s);
      for (let k = 0; k < 8; k++) {
        runs.push(...(await again.sample({ target: target("x"), minSamples: 40, timeBudgetMs: 100 })).timesNs);
        const t = quantileSignTest(sortAscending(runs), 0.5, limitMedian);
        if (Math.min(t.pAbove, t.pBelow) <= alpha / 2) {
          naive++;
          break;
        }
      }
    }
    const tolerance = 3 * Math.sqrt((alpha * (1 - alpha)) / S);
    expect(errors / S).toBeLessThanOrEqual(alpha + tolerance);
    // The uncorrected rule inflates the error well beyond α: the correction is doing work.
    expect(naive / S).toBeGreaterThan(errors / S);
    expect(naive / S).toBeGreaterThan(alpha);
  });

  it("controls the family-wise error over many bounds with Holm", async () => {
    const alpha = 0.1;
    const S = 300;
    let anyError = 0;
    for (let s = 0; s < S; s++) {
      const nodes = ["a", "b", "c", "d", "e"];
      const sampler = new FakeSampler(Object.fromEntries(nodes.map((n) => [n, { time: (r: import("../../src/measure/stats/index.js").Rng) => r.exponential(1), samplesPerRun: 60 }])), 5000 + s);
      const bounds = nodes.flatMap((n) => [timeBound(n, Math.LN2, "p50"), timeBound(n, 1, "mean")]);
      const out = await runSequential(sampler, nodes.map(target), bounds, { alpha, timeBudgetMs: 600, maxLooks: 6 });
      if (out.results.some((r) => r.status !== "inconclusive")) anyError++;
    }
    expect(anyError / S).toBeLessThanOrEqual(alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / S));
  });
});
