import { compareInterleaved } from "../measure/decide/baseline.js";
import { decideBounds } from "../measure/decide/decide.js";
import { evaluateBound } from "../measure/decide/evidence.js";
import { samplerRunSource, type SamplerArm } from "../measure/decide/paired.js";
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
  const sources = pairs.map((p) => {
    const original: SamplerArm = { target: p.target, cases: p.cases };
    const variant: SamplerArm = { target: p.target, variant: p.slot, cases: p.cases };
    const keep = (arm: "baseline" | "current", batch: SampleBatch) => {
      if (arm === "current" && batch.failure === undefined) runs.get(p.key)!.push(batch);
    };
    return { node: p.key, source: samplerRunSource(o.sampler, original, variant, 30, keep) };
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
 * the bounds those runs can speak to — time, throughput and error rate.
 * Memory and flows are not sampled in comparison runs, so they are left out.
 */
export function boundsOnRuns(bounds: readonly BoundSpec[], runs: readonly SampleBatch[], alpha: number): BoundResult[] {
  const checkable = bounds.filter((b) => b.edge === undefined && (b.metric === "execution_time" || b.metric === "throughput" || b.metric === "error_rate"));
  return decideBounds(
    checkable.map((spec) => {
      const ev = evaluateBound(spec, runs);
      return ev === undefined ? { spec, looks: [], weights: [1], unmeasuredReason: "no samples" } : { spec, looks: [ev], weights: [1] };
    }),
    alpha,
  );
}
