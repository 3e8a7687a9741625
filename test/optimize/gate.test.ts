import { describe, expect, it } from "vitest";
import type { BoundSpec } from "../../src/measure/decide/spec.js";
import { createRng } from "../../src/measure/stats/prng.js";
import type { MeasureTarget, SampleBatch, SampleRequest, Sampler } from "../../src/measure/sampler.js";
import { runGate, type GateNode } from "../../src/optimize/gate.js";
import { splitCases } from "../../src/optimize/splits.js";

/**
 * A seeded stand-in for the runner: per-call time depends on the variant and
 * on which workload cases a run was given, so a variant can be made fast on
 * some cases only — the overfitting the gate exists to catch.
 */
class CaseSampler implements Sampler {
  readonly requests: SampleRequest[] = [];
  private readonly rng = createRng(7);
  constructor(
    private readonly costNs: (variant: number, caseIndex: number) => number,
    private readonly retainedBytes: (variant: number) => number = () => 100,
    private readonly crashes: (variant: number) => boolean = () => false,
  ) {}

  async sample(request: SampleRequest): Promise<SampleBatch> {
    this.requests.push(request);
    if (this.crashes(request.variant ?? 0)) return { timesNs: [], memoryBytes: [], calls: 0, errors: 0, batchSize: 1, edges: [], wallTimeMs: 50, failure: { kind: "crashed", message: "segfault" } };
    const cases = request.cases ?? [0];
    const timesNs = Array.from({ length: 200 }, (_, i) => this.costNs(request.variant ?? 0, cases[i % cases.length]!) * this.rng.lognormal(0, 0.05));
    const memoryBytes = request.memory === true ? Array.from({ length: 20 }, () => this.retainedBytes(request.variant ?? 0) * this.rng.lognormal(0, 0.05)) : [];
    return { timesNs, memoryBytes, calls: 2000, errors: 0, batchSize: 1, edges: [], wallTimeMs: 100 };
  }
  async close(): Promise<void> {}
}

const here = { file: "constraints.cdl", line: 1, column: 1 };
const bound = (node: string, limitNs: number): BoundSpec => ({ node, metric: "execution_time", op: "<=", limit: limitNs, unit: "ns", percentile: "p95", severity: "error", source: here });
const target = (node: string): MeasureTarget => ({ node, file: "src/f.ts", qualifiedName: "f", workloadModule: "bench/w.ts", workloadExport: "f", edges: [], variants: ["/* 1 */", "/* 2 */", "/* 3 */"] });

function gateNode(node: string, cases: number, candidates: number[]): GateNode {
  return {
    node,
    target: target(node),
    candidates: candidates.map((id) => ({ slot: id, id })),
    split: splitCases(node, cases),
    bounds: [bound(node, 1_000_000)],
    before: [{ ...bound(node, 1_000_000), measured: 2_000_000, interval: [1_900_000, 2_100_000], status: "fail", samples: 100 }],
  };
}
const options = (sampler: Sampler) => ({ sampler, alpha: 0.01, trainMs: 2_000, validationMs: 2_000, testMs: 2_000 });

describe("the speed gate", () => {
  it("accepts a variant faster on every split, and reports the speedup measured on the test cases", async () => {
    const node = gateNode("src/f.ts#f", 8, [1]);
    const sampler = new CaseSampler((v) => (v === 1 ? 500_000 : 2_000_000));
    const [d] = await runGate([node], options(sampler));
    expect(d!.accepted).toBe(true);
    expect(d!.speedup!.measuredOn).toBe("test");
    expect(d!.speedup!.estimate).toBeGreaterThan(3.5);
    expect(d!.speedup!.estimate).toBeLessThan(4.5);
    // Each stage ran on its own cases: train, then validation, then test — never mixed.
    const casesSeen = new Set(sampler.requests.map((r) => JSON.stringify(r.cases)));
    expect(casesSeen).toEqual(new Set([node.split.train, node.split.validation, node.split.test].map((c) => JSON.stringify(c))));
    expect(d!.bounds!.find((b) => b.metric === "execution_time")!.status).toBe("pass");
  });

  it("rejects a variant that is faster on the train cases only, as not-faster, and says so", async () => {
    const node = gateNode("src/f.ts#f", 8, [1]);
    const train = new Set(node.split.train);
    // Variant 1 is tuned to the train cases: fast there, slower than the original elsewhere.
    const sampler = new CaseSampler((v, c) => (v === 1 ? (train.has(c) ? 500_000 : 2_400_000) : 2_000_000));
    const [d] = await runGate([node], options(sampler));
    expect(d!.accepted).toBe(false);
    expect(d!.chosen).toBe(1);
    expect(d!.reason).toMatch(/faster on the train cases .* but not significantly on the validation cases .*not-faster/);
    expect(d!.test).toBeUndefined();
  });

  it("ranks on train and takes the fastest significant variant to validation", async () => {
    const node = gateNode("src/f.ts#f", 8, [1, 2]);
    const sampler = new CaseSampler((v) => (v === 2 ? 400_000 : v === 1 ? 1_000_000 : 2_000_000));
    const [d] = await runGate([node], options(sampler));
    expect(d!.train.map((t) => t.comparison.verdict)).toEqual(["improvement", "improvement"]);
    expect(d!.chosen).toBe(2);
    expect(d!.accepted).toBe(true);
  });

  it("marks the speedup not-held-out when the node has fewer than three cases", async () => {
    const node = gateNode("src/f.ts#f", 2, [1]);
    const [d] = await runGate([node], options(new CaseSampler((v) => (v === 1 ? 500_000 : 2_000_000))));
    expect(d!.accepted).toBe(true);
    expect(d!.speedup!.measuredOn).toBe("not-held-out");
  });

  it("rejects a variant no faster than the original on train, without timing it further", async () => {
    const node = gateNode("src/f.ts#f", 8, [1]);
    const sampler = new CaseSampler(() => 2_000_000);
    const [d] = await runGate([node], options(sampler));
    expect(d!.accepted).toBe(false);
    expect(d!.chosen).toBeUndefined();
    expect(d!.reason).toMatch(/no variant was significantly faster than the original on the train cases/);
    expect(sampler.requests.every((r) => JSON.stringify(r.cases) === JSON.stringify(node.split.train))).toBe(true);
  });

  it("rejects a faster variant that breaks a memory bound the original met (a cache that retains too much)", async () => {
    const node = gateNode("src/f.ts#f", 8, [1]);
    const memory: BoundSpec = { node: node.node, metric: "memory_usage", op: "<=", limit: 10_000, unit: "B", severity: "error", source: here };
    node.bounds.push(memory);
    node.before.push({ ...memory, measured: 100, interval: [90, 110], status: "pass", samples: 60 });
    const sampler = new CaseSampler((v) => (v === 1 ? 500_000 : 2_000_000), (v) => (v === 1 ? 50_000 : 100));
    const [d] = await runGate([node], options(sampler));
    expect(d!.accepted).toBe(false);
    expect(d!.reason).toMatch(/fails memory_usage <= 10000 B, which the original met/);
    // Memory was sampled on the validation cases, by runs of the variant that asked for it.
    expect(sampler.requests.filter((r) => r.memory === true).every((r) => r.variant === 1 && JSON.stringify(r.cases) === JSON.stringify(node.split.validation))).toBe(true);
  });

  it("stops timing a node's variants after two whose runs crashed (circuit breaker), and accepts none of them", async () => {
    const node = gateNode("src/f.ts#f", 8, [1, 2, 3]);
    const sampler = new CaseSampler((v) => (v === 0 ? 2_000_000 : 500_000), undefined, (v) => v === 1 || v === 2);
    const [d] = await runGate([node], options(sampler));
    expect(d!.accepted).toBe(false);
    expect(sampler.requests.some((r) => r.variant === 3)).toBe(false);
    expect(d!.train.find((t) => t.id === 3)!.comparison.reason).toMatch(/circuit breaker opened after 2/);
  });

  it("starts no comparison once the run's budget is spent, and says so", async () => {
    const nodes = [gateNode("src/f.ts#f", 8, [1]), gateNode("src/g.ts#g", 8, [1])];
    const sampler = new CaseSampler((v) => (v === 1 ? 500_000 : 2_000_000));
    const decisions = await runGate(nodes, { ...options(sampler), deadline: performance.now() - 1 });
    expect(sampler.requests).toEqual([]);
    for (const d of decisions) {
      expect(d.accepted).toBe(false);
      expect(d.outOfBudget).toBe(true);
      expect(d.reason).toMatch(/budget was spent before the train stage/);
    }
  });
});
