import { pairedLogRatio, type RatioEstimate } from "../stats/compare.js";
import { mean } from "../stats/mean.js";
import { median } from "../stats/select.js";
import { spendingWeights } from "../stats/spending.js";
import type { MeasureTarget, SampleBatch, Sampler } from "../sampler.js";

/** One run of one arm, reduced to its statistic. */
export interface RunOutcome {
  /** The run's statistic (by default the median time per call, ns). */
  statistic: number;
  wallTimeMs: number;
  samples: number;
  failure?: string;
}

/** Produces one run of an arm within a suggested budget; a sampler or an in-process loop. */
export type RunSource = (arm: "baseline" | "current", budgetMs: number) => Promise<RunOutcome> | RunOutcome;

/** One arm of a comparison run through the sampler: a target, and which of its variants and workload cases. */
export interface SamplerArm {
  target: MeasureTarget;
  /** The hosted variant to run (see `MeasureTarget.variants`); default the original. */
  variant?: number;
  /** Workload case indices (a split); default every case. */
  cases?: number[];
}

/**
 * A {@link RunSource} over the runner: each run is a fresh child process that
 * times the node for its whole slice (no memory samples: a comparison is of
 * time); the statistic is the run's median. `onBatch` sees every run's raw
 * batch (the speed gate checks a variant's bounds on them).
 */
export function samplerRunSource(
  sampler: Sampler,
  baseline: MeasureTarget | SamplerArm,
  current: MeasureTarget | SamplerArm,
  minSamples = 30,
  onBatch?: (arm: "baseline" | "current", batch: SampleBatch) => void,
): RunSource {
  const arms = { baseline: asArm(baseline), current: asArm(current) };
  return async (arm, budgetMs) => {
    const { target, variant, cases } = arms[arm];
    const batch = await sampler.sample({
      target,
      minSamples,
      timeBudgetMs: Math.max(MIN_RUN_MS, budgetMs),
      until: "budget",
      memory: false,
      ...(variant !== undefined ? { variant } : {}),
      ...(cases !== undefined ? { cases } : {}),
    });
    onBatch?.(arm, batch);
    const out: RunOutcome = { statistic: median(batch.timesNs), wallTimeMs: batch.wallTimeMs, samples: batch.timesNs.length };
    if (batch.failure) out.failure = `${batch.failure.kind}: ${batch.failure.message}`;
    return out;
  };
}

function asArm(x: MeasureTarget | SamplerArm): SamplerArm {
  return "target" in x ? x : { target: x };
}

/**
 * The shortest sampling budget given to one child-process run, ms: a new
 * process needs time to warm up and settle before its samples mean
 * anything; below that, runs measure the JIT's progress rather than the code.
 */
export const MIN_RUN_MS = 150;

export interface PairedOptions {
  /** Time budget for the whole comparison (both arms), ms. */
  timeBudgetMs: number;
  /** Pairs before the first look (≥ 3, so the t has two degrees of freedom); default 4. */
  minPairs?: number;
  /** Pairs at most; default 40. */
  maxPairs?: number;
  /** Looks at most, spread geometrically between minPairs and maxPairs; default 6. */
  maxLooks?: number;
  /**
   * Pairs made even when the budget is spent (each run then gets the shortest
   * slice): a comparison that must decide something, like the optimizer's
   * gate, gets its first look whatever the runs cost. Default 0.
   */
  atLeastPairs?: number;
  spendingRho?: number;
  /**
   * Early stop: stop when a direction's p-value at this look is at most
   * `stopLevel` × the look's spending weight. The caller passes a level at
   * which the final correction is sure to decide (α / (2m) for Holm over m
   * comparisons); 0 disables early stopping.
   */
  stopLevel: number;
}

/** Everything one paired comparison observed. */
export interface PairedOutcome {
  pairs: { baseline: number; current: number }[];
  /** Evidence at each look (cumulative pairs), with the pair count of each. */
  looks: { pairs: number; estimate: RatioEstimate }[];
  weights: number[];
  usedMs: number;
  /** Time until the early-stopping rule decided, or undefined when it never did. */
  decidedAtMs?: number;
  failure?: string;
}

/** The pair counts at which to look: geometric from minPairs to maxPairs, at most maxLooks. */
export function lookSchedule(minPairs: number, maxPairs: number, maxLooks: number): number[] {
  const lo = Math.max(3, Math.floor(minPairs));
  const hi = Math.max(lo, Math.floor(maxPairs));
  const K = Math.max(1, Math.floor(maxLooks));
  if (K === 1 || lo === hi) return [hi];
  const out = new Set<number>();
  for (let k = 0; k < K; k++) out.add(Math.round(lo * (hi / lo) ** (k / (K - 1))));
  return [...out].sort((a, b) => a - b);
}

/**
 * Interleaves baseline and current runs (alternating which goes first in
 * a pair, so neither arm always runs on a warmer machine), looks at the
 * paired log ratios on a fixed schedule, and stops early once a direction
 * is decided at the stop level.
 */
export async function comparePairedSequential(source: RunSource, o: PairedOptions): Promise<PairedOutcome> {
  const schedule = lookSchedule(o.minPairs ?? 4, o.maxPairs ?? 40, o.maxLooks ?? 6);
  const weights = spendingWeights(schedule.length, o.spendingRho ?? 1);
  const maxPairs = schedule[schedule.length - 1]!;
  const out: PairedOutcome = { pairs: [], looks: [], weights, usedMs: 0 };
  while (out.pairs.length < maxPairs) {
    const remaining = o.timeBudgetMs - out.usedMs;
    if (remaining <= 0 && out.pairs.length >= (o.atLeastPairs ?? 0)) break;
    const per = Math.max(0, remaining) / (2 * (maxPairs - out.pairs.length));
    const order: ("baseline" | "current")[] = out.pairs.length % 2 === 0 ? ["baseline", "current"] : ["current", "baseline"];
    const got: Partial<Record<"baseline" | "current", number>> = {};
    for (const arm of order) {
      const r = await source(arm, per);
      out.usedMs += Math.max(0, r.wallTimeMs);
      if (r.failure !== undefined) {
        out.failure = r.failure;
        return out;
      }
      got[arm] = r.statistic;
    }
    out.pairs.push({ baseline: got.baseline!, current: got.current! });
    const k = schedule.indexOf(out.pairs.length);
    if (k >= 0) {
      const estimate = pairedLogRatio(out.pairs);
      out.looks.push({ pairs: out.pairs.length, estimate });
      const w = weights[k]!;
      if (o.stopLevel > 0 && Math.min(estimate.pSlower, estimate.pFaster) <= o.stopLevel * w) {
        out.decidedAtMs = out.usedMs;
        break;
      }
    }
  }
  // Budget ran out between looks: take one last look at what there is (it spends the next look's share).
  if (out.pairs.length >= 3 && out.looks[out.looks.length - 1]?.pairs !== out.pairs.length && out.looks.length < schedule.length) {
    out.looks.push({ pairs: out.pairs.length, estimate: pairedLogRatio(out.pairs) });
  }
  return out;
}

/** Mean of the arm's run statistics. */
export function armMean(pairs: readonly { baseline: number; current: number }[], arm: "baseline" | "current"): number {
  return mean(pairs.map((p) => p[arm]));
}
