import { normalCdf, normalQuantile, studentTCdf, studentTQuantile } from "./distributions.js";
import { mean, runMeanEstimate, tBounds, tTest, variance } from "./mean.js";
import type { Rng } from "./prng.js";
import { median } from "./select.js";

/**
 * Comparisons of two versions of the same code. Timings are compared as
 * ratios (current / baseline): costs scale multiplicatively, and on the log
 * scale run-to-run noise is close to symmetric.
 */
export interface RatioEstimate {
  /** Point estimate of current / baseline. */
  ratio: number;
  /** Confidence bounds of the ratio with one-sided error levels. */
  interval(alphaLower: number, alphaUpper: number): [number, number];
  /** One-sided p-values: H0 "ratio ≤ 1" (small ⇒ slower) and H0 "ratio ≥ 1" (small ⇒ faster). */
  pSlower: number;
  pFaster: number;
  method: "paired-log-ratio" | "cluster-bootstrap" | "bootstrap";
  /** Pairs, or resampled units (runs or samples) of the smaller side. */
  units: number;
}

/**
 * Interleaved paired runs: each pair is a baseline run and a current run
 * taken back to back, so slow drifts of the machine (thermal, other load)
 * hit both. The log of each pair's ratio of run statistics is one
 * replicate; a t interval on their mean gives the geometric-mean ratio.
 */
export function pairedLogRatio(pairs: readonly { baseline: number; current: number }[]): RatioEstimate {
  const d = pairLogs(pairs);
  const e = runMeanEstimate(d.map((x) => [x]));
  const { pAbove, pBelow } = tTest(e, 0);
  return {
    ratio: Math.exp(e.estimate),
    interval: (a, b) => {
      const [lo, hi] = tBounds(e, a, b);
      return [Math.exp(lo), Math.exp(hi)];
    },
    pSlower: pAbove,
    pFaster: pBelow,
    method: "paired-log-ratio",
    units: d.length,
  };
}

function pairLogs(pairs: readonly { baseline: number; current: number }[]): number[] {
  return pairs.filter((p) => p.baseline > 0 && p.current > 0).map((p) => Math.log(p.current / p.baseline));
}

/** Standard deviation of paired log ratios (for power planning); NaN below two pairs. */
export function pairedLogSd(pairs: readonly { baseline: number; current: number }[]): number {
  return Math.sqrt(variance(pairLogs(pairs)));
}

export interface BootstrapOptions {
  rng: Rng;
  resamples?: number;
  /** The statistic of pooled samples; median by default. */
  statistic?: (values: Float64Array) => number;
}

/**
 * Ratio of a statistic (median by default) between two sets of stored
 * samples. The standard error of each side's log statistic comes from a
 * bootstrap — of whole runs when the side has two or more (a cluster
 * bootstrap, which keeps run-to-run variation), of single samples
 * otherwise (which assumes independent draws: optimistic for timings,
 * and `method` says so). The interval is log-ratio ± t·SE with
 * Welch–Satterthwaite degrees of freedom over the runs, bootstrap
 * variances inflated by R/(R−1) for few runs. We use the bootstrap for the
 * standard error rather than percentile endpoints because the levels after
 * Holm and error spending (1e-4 and below) would need far more resamples
 * than a report can afford.
 */
export function bootstrapRatio(baselineRuns: readonly (readonly number[])[], currentRuns: readonly (readonly number[])[], options: BootstrapOptions): RatioEstimate {
  const scratch = new Float64Array(0);
  let work = scratch;
  const stat =
    options.statistic ??
    ((v: Float64Array) => {
      if (work.length < v.length) work = new Float64Array(v.length);
      return median(v, work);
    });
  const B = options.resamples ?? 1000;
  const side = (runs: readonly (readonly number[])[]) => {
    const used = runs.filter((r) => r.length > 0).map((r) => Float64Array.from(r));
    const total = used.reduce((n, r) => n + r.length, 0);
    const longest = used.reduce((n, r) => Math.max(n, r.length), 0);
    const pooled = new Float64Array(total);
    used.reduce((at, r) => (pooled.set(r, at), at + r.length), 0);
    const point = Math.log(stat(pooled));
    const cluster = used.length >= 2;
    const logs: number[] = [];
    const buffer = new Float64Array(cluster ? used.length * longest : total);
    for (let i = 0; i < B; i++) {
      let len = 0;
      if (cluster) {
        for (let j = 0; j < used.length; j++) {
          const r = used[options.rng.int(used.length)]!;
          buffer.set(r, len);
          len += r.length;
        }
      } else {
        for (; len < total; len++) buffer[len] = pooled[options.rng.int(total)]!;
      }
      logs.push(Math.log(stat(buffer.subarray(0, len))));
    }
    const R = cluster ? used.length : pooled.length;
    const v = variance(logs) * (cluster ? R / (R - 1) : 1);
    return { point, v, df: cluster ? R - 1 : Infinity, cluster, units: R };
  };
  const a = side(baselineRuns);
  const b = side(currentRuns);
  const est = b.point - a.point;
  const v = a.v + b.v;
  const se = Math.sqrt(v);
  const dfPart = (s: { v: number; df: number }) => (Number.isFinite(s.df) ? (s.v * s.v) / s.df : 0);
  const denom = dfPart(a) + dfPart(b);
  const df = denom > 0 ? (v * v) / denom : Infinity;
  const q = (p: number) => (Number.isFinite(df) ? studentTQuantile(p, df) : normalQuantile(p));
  const cdf = (x: number) => (Number.isFinite(df) ? studentTCdf(x, df) : normalCdf(x));
  const t = se > 0 ? est / se : est > 0 ? Infinity : est < 0 ? -Infinity : 0;
  return {
    ratio: Math.exp(est),
    interval: (lo, hi) => (se > 0 ? [Math.exp(est - q(1 - lo) * se), Math.exp(est + q(1 - hi) * se)] : [Math.exp(est), Math.exp(est)]),
    pSlower: se > 0 ? 1 - cdf(t) : est > 0 ? 0 : 1,
    pFaster: se > 0 ? cdf(t) : est < 0 ? 0 : 1,
    method: a.cluster && b.cluster ? "cluster-bootstrap" : "bootstrap",
    units: Math.min(a.units, b.units),
  };
}

/** Mean of per-run medians: the per-arm summary printed next to a ratio. */
export function meanOfRunMedians(runs: readonly (readonly number[])[]): number {
  return mean(runs.filter((r) => r.length > 0).map((r) => median(Float64Array.from(r))));
}
