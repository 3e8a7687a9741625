import { compareInterleaved } from "../measure/decide/baseline.js";
import { decideBounds } from "../measure/decide/decide.js";
import { evaluateBound } from "../measure/decide/evidence.js";
import { samplerRunSource, type RunSource, type SamplerArm } from "../measure/decide/paired.js";
import type { BoundSpec } from "../measure/decide/spec.js";
import type { MeasureTarget, SampleBatch, Sampler } from "../measure/sampler.js";
import type { BoundResult, Comparison } from "../measure/types.js";

/**
 * A/B timing of a node's variants against its original, on a chosen set of
 * its workload cases: interleaved paired runs (each a fresh child process
 * of the measurement build, which hosts the variants behind the schemata
 * switch), decided by the measurement statistics (`compareInterleaved`:
 * sequential looks, Holm over the comparisons of one call). Nothing here
 * decides what to accept: the optimizer's gate chains these calls over
 * its train, validation and test cases.
 */

/** One comparison to make: a variant (its slot in `target.variants`, 1-based) against the original, on `cases`. */
export interface AbPair {
  /** A key for the comparison (e.g. the node id, or node and variant). */
  key: string;
  target: MeasureTarget;
  slot: number;
  cases: number[];
}

export interface AbOptions {
  sampler: Sampler;
  alpha: number;
  /** Time for each comparison (both arms), ms. */
  timeBudgetMs: number;
  /** Paired runs before the first look (default 3: a t with two degrees of freedom; made even beyond the budget) and at most (default 10). */
  minPairs?: number;
  maxPairs?: number;
  onPairDone?: (key: string) => void;
  /**
   * Circuit breaker: once this many comparisons of the call had a run crash or
   * time out, the remaining ones run nothing and fail at once (for a call
   * whose pairs are one node's variants: a node whose runs keep failing).
   */
  breakAfterFailures?: number;
}

export interface AbResult {
  key: string;
  comparison: Comparison;
  /** The variant's runs (its arm's raw batches), for checking its bounds on the same cases. */
  variantRuns: SampleBatch[];
}

/** Compares each pair (variant vs original) by interleaved paired runs; Holm over the pairs of this call. */
export async function comparePairs(pairs: readonly AbPair[], o: AbOptions): Promise<AbResult[]> {
  const runs = new Map<string, SampleBatch[]>(pairs.map((p) => [p.key, []]));
  let failures = 0;
  const sources = pairs.map((p) => {
    const original: SamplerArm = { target: p.target, cases: p.cases };
    const variant: SamplerArm = { target: p.target, variant: p.slot, cases: p.cases };
    const keep = (arm: "baseline" | "current", batch: SampleBatch) => {
      if (arm === "current" && batch.failure === undefined) runs.get(p.key)!.push(batch);
    };
    const source = samplerRunSource(o.sampler, original, variant, 30, keep);
    const guarded: RunSource = async (arm, budgetMs) => {
      if (o.breakAfterFailures !== undefined && failures >= o.breakAfterFailures) {
        return { statistic: NaN, wallTimeMs: 0, samples: 0, failure: `not run: the circuit breaker opened after ${failures} comparisons whose runs crashed or timed out` };
      }
      const r = await source(arm, budgetMs);
      if (r.failure !== undefined) failures++;
      return r;
    };
    return { node: p.key, source: guarded };
  });
  const minPairs = o.minPairs ?? 3;
  const comparisons = await compareInterleaved(sources, {
    alpha: o.alpha,
    timeBudgetMs: o.timeBudgetMs,
    minPairs,
    maxPairs: o.maxPairs ?? 10,
    // Every comparison gets its first look, even when runs cost more than its budget.
    atLeastPairs: minPairs,
    ...(o.onPairDone !== undefined ? { onNodeDone: (key: string) => o.onPairDone!(key) } : {}),
  });
  return comparisons.map((comparison, i) => ({ key: pairs[i]!.key, comparison, variantRuns: runs.get(pairs[i]!.key)! }));
}

/** Speedup (original ÷ variant) and its interval from a comparison's relative change (variant ÷ original − 1). */
export function speedupOf(c: Comparison): { estimate: number; interval: [number, number] } {
  return { estimate: 1 / (1 + c.change), interval: [1 / (1 + c.interval[1]), 1 / (1 + c.interval[0])] };
}

/**
 * The node's bounds decided on a variant's runs (Holm over them at `alpha`):
 * time, throughput and error rate from the comparison's runs, memory from
 * `memoryRuns` (runs that took memory samples). Flows are not re-measured.
 */
export function boundsOnRuns(bounds: readonly BoundSpec[], runs: readonly SampleBatch[], alpha: number, memoryRuns: readonly SampleBatch[] = []): BoundResult[] {
  const timed = new Set<BoundSpec["metric"]>(["execution_time", "throughput", "error_rate"]);
  const checkable = bounds.filter((b) => b.edge === undefined && (timed.has(b.metric) || (b.metric === "memory_usage" && memoryRuns.length > 0)));
  return decideBounds(
    checkable.map((spec) => {
      const ev = evaluateBound(spec, spec.metric === "memory_usage" ? memoryRuns : runs);
      return ev === undefined ? { spec, looks: [], weights: [1], unmeasuredReason: "no samples" } : { spec, looks: [ev], weights: [1] };
    }),
    alpha,
  );
}

/** Runs a mean of memory samples needs (see evidence.ts: a mean is decided from three runs at least). */
const MEMORY_RUNS = 3;

/** Short runs of a variant that take memory samples, on `cases`: enough for a `memory_usage` bound's mean. */
export async function memoryRuns(sampler: Sampler, target: MeasureTarget, slot: number, cases: number[], runMs = 400): Promise<SampleBatch[]> {
  const out: SampleBatch[] = [];
  for (let i = 0; i < MEMORY_RUNS; i++) {
    const batch = await sampler.sample({ target, variant: slot, cases, minSamples: 10, timeBudgetMs: runMs, memory: true });
    if (batch.failure === undefined) out.push(batch);
  }
  return out;
}
