import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundSpecsForFlow, boundSpecsForNode, decideBound, decideBounds, evidenceFor, percentileLevel, poolRuns, splitRuns, type BoundSpec, type RunData } from "../../src/measure/decide/index.js";
import type { ConstraintSpec, FlowSpec } from "../../src/cdl/model.js";
import { createRng } from "../../src/measure/stats/index.js";
import { here } from "./fake-sampler.js";

const loc = (line: number) => ({ file: "c.cdl", start: 0, end: 1, line, column: 3, endLine: line, endColumn: 9 });

function runsOf(seed: number, count: number, n: number, draw: (r: ReturnType<typeof createRng>) => number): RunData[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => ({ timesNs: Array.from({ length: n }, () => draw(rng)), memoryBytes: [], calls: n, errors: 0, batchSize: 1, edges: [] }));
}

describe("decideBound", () => {
  it("names percentiles", () => {
    expect(percentileLevel("p50")).toBe(0.5);
    expect(percentileLevel("p999")).toBe(0.999);
    expect(percentileLevel("mean")).toBeUndefined();
  });

  it("decides a single bound from complete data", () => {
    const runs = runsOf(1, 5, 200, (r) => r.exponential(1) * 100);
    const spec: BoundSpec = { node: "n", metric: "execution_time", op: "<=", limit: 1000, unit: "ns", percentile: "p95", severity: "error", source: here };
    const r = decideBound(spec, runs);
    expect(r.status).toBe("pass");
    expect(r.samples).toBe(1000);
    // One bound = two directional hypotheses; Holm decides the first at α/2 = 0.005 per tail.
    expect(r.confidence).toBeCloseTo(0.99, 10);
    expect(r.measured!).toBeGreaterThan(250);
    expect(decideBound({ ...spec, limit: 100 }, runs).status).toBe("fail");
    expect(decideBound({ ...spec, op: ">=", limit: 100 }, runs).status).toBe("pass");
  });

  it("explains batching when percentiles come from batch means", () => {
    const runs = runsOf(2, 3, 100, (r) => r.exponential(1)).map((r) => ({ ...r, batchSize: 16 }));
    const r = decideBound({ node: "n", metric: "execution_time", op: "<=", limit: 0.01, unit: "ns", percentile: "p99", severity: "error", source: here }, runs);
    expect(r.reason).toMatch(/batches of 16 calls/);
  });

  it("marks bounds without data unmeasured", () => {
    const r = decideBound({ node: "n", metric: "memory_usage", op: "<=", limit: 10, unit: "B", severity: "error", source: here }, runsOf(3, 3, 10, () => 1));
    expect(r).toMatchObject({ status: "unmeasured", measured: null, interval: null });
  });

  it("property: every verdict agrees with the interval it reports", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 0.2, max: 5, noNaN: true }), fc.constantFrom("p50", "p90", "p99", "mean"), fc.constantFrom<BoundSpec["op"]>("<=", ">="), (seed, limit, percentile, op) => {
        const runs = runsOf(seed, 4, 80, (r) => r.lognormal(0, 0.6));
        const specs: BoundSpec[] = [
          { node: "n", metric: "execution_time", op, limit, unit: "ns", percentile, severity: "error", source: here },
          { node: "n", metric: "execution_time", op, limit: limit * 1.5, unit: "ns", percentile: "p75", severity: "error", source: here },
        ];
        for (const r of decideBounds(specs.map((s) => evidenceFor(s, runs)), 0.05)) {
          const [lo, hi] = r.interval!;
          const above = lo > r.limit;
          const below = hi < r.limit;
          const wrongSide = r.op === "<=" ? above : below;
          const rightSide = r.op === "<=" ? below : above;
          if (r.status === "fail") expect(wrongSide).toBe(true);
          if (r.status === "pass") expect(rightSide).toBe(true);
          if (r.status === "inconclusive") expect(lo <= r.limit && r.limit <= hi).toBe(true);
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});

describe("bound specs from the constraint model", () => {
  it("applies the constraint's percentile and severity", () => {
    const constraint = {
      bounds: [
        { metric: "execution_time", op: "<=", value: 1e6, unit: "ns", origin: { location: loc(2), text: "max_execution_time: 1ms" } },
        { metric: "error_rate", op: "<", value: 0.001, unit: "ratio", origin: { location: loc(3), text: "error_rate: < 0.1%" } },
      ],
      severity: "warning",
      percentile: "p99",
    } as unknown as ConstraintSpec;
    const specs = boundSpecsForNode(constraint, "src/a.ts#f", { file: "src/a.ts", line: 4, column: 1 });
    expect(specs[0]).toEqual({ node: "src/a.ts#f", metric: "execution_time", op: "<=", limit: 1e6, unit: "ns", percentile: "p99", severity: "warning", source: { file: "c.cdl", line: 2, column: 3 }, declaration: { file: "src/a.ts", line: 4, column: 1 } });
    expect(specs[1]!.percentile).toBeUndefined();
    const flow = { bounds: [{ metric: "calls", op: "<=", value: 100, unit: "count", origin: { location: loc(5), text: "max_calls: 100" } }], severity: "error" } as unknown as FlowSpec;
    expect(boundSpecsForFlow(flow, { from: "a", to: "b" })[0]).toMatchObject({ node: "a", edge: { from: "a", to: "b" }, metric: "calls" });
  });
});

describe("pooling runs", () => {
  it("round-trips run boundaries through the report", () => {
    const batches = [1, 2, 3].map((k) => ({ timesNs: Array(k * 2).fill(k), memoryBytes: Array(k).fill(-k), calls: k * 10, errors: k, batchSize: k, edges: [], wallTimeMs: 5 }));
    const m = poolRuns("n", batches);
    expect(m.timesNs).toHaveLength(12);
    expect(m.calls).toBe(60);
    expect(m.batchSize).toBe(3);
    const back = splitRuns(m);
    expect(back.map((r) => r.timesNs)).toEqual(batches.map((b) => b.timesNs));
    expect(back.map((r) => r.memoryBytes)).toEqual(batches.map((b) => b.memoryBytes));
  });
});
