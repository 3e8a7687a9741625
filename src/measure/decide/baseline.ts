import { plural } from "../../diagnostics/index.js";
import { bootstrapRatio, meanOfRunMedians, type RatioEstimate } from "../stats/compare.js";
import { createRng } from "../stats/prng.js";
import type { Comparison, MeasureReport, NodeMeasurement } from "../types.js";
import { DEFAULT_ALPHA } from "./decide.js";
import { decideDirections } from "./directions.js";
import { splitRuns } from "./measurement.js";
import { armMean, comparePairedSequential, type PairedOptions, type PairedOutcome, type RunSource } from "./paired.js";

export interface CompareOptions {
  /** Family-wise error rate over all nodes compared (default 0.01). */
  alpha?: number;
  /**
   * Changes within ±negligible (relative) whose interval lies wholly inside
   * that band are reported as `no-change`; default 0.03.
   */
  negligible?: number;
}

/** One node's comparison before the run-wide correction. */
interface Candidate {
  node: string;
  looks: RatioEstimate[];
  weights: readonly number[];
  baseline: number;
  current: number;
  method: Comparison["method"];
  statistic: string;
  reason?: string;
}

function finish(candidates: readonly Candidate[], o: CompareOptions): Comparison[] {
  const alpha = o.alpha ?? DEFAULT_ALPHA;
  const negligible = o.negligible ?? 0.03;
  const usable = candidates.filter((c) => c.looks.length > 0);
  const decisions = decideDirections(
    usable.map((c) => ({ sides: [{ side: "regression", perLook: c.looks.map((l) => l.pSlower) }, { side: "improvement", perLook: c.looks.map((l) => l.pFaster) }], weights: c.weights }) as const),
    alpha,
  );
  const decisionIndex = new Map(usable.map((c, k) => [c, k]));
  return candidates.map((c): Comparison => {
    const k = decisionIndex.get(c);
    if (k === undefined) {
      return { node: c.node, metric: "execution_time", statistic: c.statistic, baseline: c.baseline, current: c.current, change: NaN, interval: [NaN, NaN], verdict: "inconclusive", method: c.method, reason: c.reason ?? "not enough data to compare" };
    }
    const { side, look, tail, pValue } = decisions[k]!;
    const est = c.looks[look]!;
    const [lo, hi] = est.interval(tail, tail);
    let verdict: Comparison["verdict"] = side ?? "inconclusive";
    if (side === undefined && lo >= 1 - negligible && hi <= 1 + negligible) verdict = "no-change";
    const out: Comparison = {
      node: c.node,
      metric: "execution_time",
      statistic: c.statistic,
      baseline: c.baseline,
      current: c.current,
      change: est.ratio - 1,
      interval: [lo - 1, hi - 1],
      verdict,
      method: c.method,
      confidence: 1 - 2 * tail,
      pValue,
      units: est.units,
    };
    if (c.reason !== undefined) out.reason = c.reason;
    else if (verdict === "inconclusive") out.reason = `the interval contains no change but reaches beyond ±${(negligible * 100).toFixed(0)}%`;
    return out;
  });
}

export interface StoredCompareOptions extends CompareOptions {
  /** Seed of the bootstrap (results are reproducible); default 1. */
  seed?: number;
  resamples?: number;
}

/**
 * Compares each node present in both reports from the stored samples:
 * ratio of medians, bootstrap standard errors over runs (see
 * {@link bootstrapRatio}), Holm over all nodes. Prefer
 * {@link compareInterleaved} when both versions can still be run: stored
 * samples from another day carry the machine's drift into the comparison.
 */
export function compareToBaseline(current: MeasureReport | readonly NodeMeasurement[], baseline: MeasureReport | readonly NodeMeasurement[], o: StoredCompareOptions = {}): Comparison[] {
  const cur = "nodes" in current ? current.nodes : current;
  const base = new Map(("nodes" in baseline ? baseline.nodes : baseline).map((n) => [n.node, n]));
  const rng = createRng(o.seed ?? 1);
  const candidates: Candidate[] = [];
  for (const n of cur) {
    const b = base.get(n.node);
    if (!b) continue;
    const runsA = splitRuns(b).map((r) => r.timesNs);
    const runsB = splitRuns(n).map((r) => r.timesNs);
    const c: Candidate = { node: n.node, looks: [], weights: [1], baseline: meanOfRunMedians(runsA), current: meanOfRunMedians(runsB), method: "stored-samples", statistic: "median" };
    if (b.failure || n.failure) c.reason = `a side failed: ${(n.failure ?? b.failure)!.message}`;
    else if (runsA.flat().length < 2 || runsB.flat().length < 2) c.reason = "too few samples on a side";
    else {
      const est = bootstrapRatio(runsA, runsB, { rng, resamples: o.resamples ?? 1000 });
      c.looks.push(est);
      if (est.method === "bootstrap") c.reason = "a side has a single run: samples were treated as independent, which understates run-to-run variation";
    }
    candidates.push(c);
  }
  return finish(candidates, o);
}

export interface InterleavedOptions extends CompareOptions, Omit<PairedOptions, "stopLevel"> {
  onNodeDone?: (node: string, outcome: PairedOutcome) => void;
}

/**
 * Compares nodes by interleaved paired runs of the baseline and current
 * versions (one {@link RunSource} per node), sequentially with early
 * stopping, then Holm over all nodes.
 */
export async function compareInterleaved(sources: readonly { node: string; source: RunSource }[], o: InterleavedOptions): Promise<Comparison[]> {
  const alpha = o.alpha ?? DEFAULT_ALPHA;
  const stopLevel = alpha / Math.max(1, 2 * sources.length);
  const candidates: Candidate[] = [];
  for (const { node, source } of sources) {
    const out = await comparePairedSequential(source, { ...o, stopLevel });
    o.onNodeDone?.(node, out);
    const c: Candidate = { node, looks: out.looks.map((l) => l.estimate), weights: out.weights, baseline: armMean(out.pairs, "baseline"), current: armMean(out.pairs, "current"), method: "interleaved", statistic: "median" };
    if (out.failure !== undefined) {
      c.looks = [];
      c.reason = `a run failed (${out.failure})`;
    } else if (out.looks.length === 0) c.reason = `the time budget allowed ${plural(out.pairs.length, "pair")}; at least 3 are needed`;
    candidates.push(c);
  }
  return finish(candidates, o);
}
