import { studentTCdf, studentTQuantile } from "./distributions.js";

/** Arithmetic mean (NaN for an empty array). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Sample variance with n − 1 in the denominator (NaN below two values). */
export function variance(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return NaN;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  return ss / (n - 1);
}

/** A location estimate with a t-based standard error. */
export interface TEstimate {
  estimate: number;
  standardError: number;
  /** Degrees of freedom of the t reference distribution (0 when undefined). */
  df: number;
  /** How the replicates were formed. */
  method: "run-means" | "batch-means" | "single";
  replicates: number;
}

/**
 * The mean of values observed in independent runs. Within one run the
 * values are serially dependent (JIT tiers, GC, caches), so the unit of
 * replication is the run: with two or more runs the estimate is the mean
 * of the run means and its standard error comes from their spread (t with
 * R − 1 degrees of freedom). With a single run we fall back on the method
 * of non-overlapping batch means (consecutive blocks of the run), which
 * tolerates short-range dependence but cannot see run-to-run variation.
 */
export function runMeanEstimate(runs: readonly (readonly number[])[], blocks = 10): TEstimate {
  const used = runs.filter((r) => r.length > 0);
  if (used.length >= 2) {
    const means = used.map((r) => mean(r));
    return { estimate: mean(means), standardError: Math.sqrt(variance(means) / means.length), df: means.length - 1, method: "run-means", replicates: means.length };
  }
  const only = used[0] ?? [];
  const n = only.length;
  if (n === 0) return { estimate: NaN, standardError: Infinity, df: 0, method: "single", replicates: 0 };
  const b = Math.min(blocks, Math.floor(n / 2));
  if (b < 2) return { estimate: mean(only), standardError: Infinity, df: 0, method: "single", replicates: 1 };
  const size = Math.floor(n / b);
  const means: number[] = [];
  for (let i = 0; i < b; i++) means.push(mean(only.slice(i * size, i === b - 1 ? n : (i + 1) * size)));
  return { estimate: mean(only), standardError: Math.sqrt(variance(means) / b), df: b - 1, method: "batch-means", replicates: b };
}

/** Confidence bounds from a t estimate with one-sided error levels. */
export function tBounds(e: TEstimate, alphaLower: number, alphaUpper: number): [number, number] {
  if (!(e.df > 0) || !Number.isFinite(e.standardError)) return [-Infinity, Infinity];
  if (e.standardError === 0) return [e.estimate, e.estimate];
  return [e.estimate - studentTQuantile(1 - alphaLower, e.df) * e.standardError, e.estimate + studentTQuantile(1 - alphaUpper, e.df) * e.standardError];
}

/** One-sided t-test p-values against a limit: `pAbove` for H0 "μ ≤ limit", `pBelow` for H0 "μ ≥ limit". */
export function tTest(e: TEstimate, limit: number): { pAbove: number; pBelow: number } {
  if (!(e.df > 0) || !Number.isFinite(e.standardError)) return { pAbove: 1, pBelow: 1 };
  if (e.standardError === 0) return { pAbove: e.estimate > limit ? 0 : 1, pBelow: e.estimate < limit ? 0 : 1 };
  const t = (e.estimate - limit) / e.standardError;
  return { pAbove: 1 - studentTCdf(t, e.df), pBelow: studentTCdf(t, e.df) };
}
