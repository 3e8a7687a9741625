import { binomialCdf, binomialSf } from "./distributions.js";

/**
 * Quantiles and distribution-free confidence intervals for them.
 *
 * The interval is the classical order-statistic interval: for n
 * independent draws of a continuous variable, the number B of draws below
 * the true p-quantile ξ is Bin(n, p), so P(X₍ᵣ₎ > ξ) = P(B ≤ r − 1) and
 * P(X₍ₛ₎ < ξ) = P(B ≥ s). We pick the innermost r and s whose tail
 * probabilities stay within the requested one-sided levels. When samples
 * come from several runs that differ from each other, the binomial is
 * taken on an effective sample size n / deff (Woodruff-style design
 * effect; deff = 1 gives the exact interval).
 */

/** Sample quantile, Hyndman–Fan type 7 (linear interpolation; R's default). `sorted` ascending. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (p <= 0) return sorted[0]!;
  if (p >= 1) return sorted[n - 1]!;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Ascending copy. */
export function sortAscending(values: readonly number[]): number[] {
  return Array.from(Float64Array.from(values).sort());
}

export interface QuantileBounds {
  /** X₍ᵣ₎, or −Infinity when no order statistic is low enough for the level. */
  lower: number;
  /** X₍ₛ₎, or +Infinity when no order statistic is high enough for the level. */
  upper: number;
  /** 1-based ranks (0 / n+1 when open). */
  lowerRank: number;
  upperRank: number;
}

/**
 * Order-statistic confidence bounds for the p-quantile with one-sided
 * error levels `alphaLower` (P(ξ < lower) ≤ alphaLower) and `alphaUpper`.
 */
export function quantileBounds(sorted: readonly number[], p: number, alphaLower: number, alphaUpper: number, deff = 1): QuantileBounds {
  const n = sorted.length;
  const { lowerRank, upperRank } = quantileRanks(n, p, alphaLower, alphaUpper, deff);
  return {
    lower: lowerRank >= 1 ? sorted[lowerRank - 1]! : -Infinity,
    upper: upperRank <= n ? sorted[upperRank - 1]! : Infinity,
    lowerRank,
    upperRank,
  };
}

/**
 * The ranks of {@link quantileBounds} for `n` values (1-based; 0 and n+1 when
 * open): data kept as a histogram looks the order statistics up by rank.
 */
export function quantileRanks(n: number, p: number, alphaLower: number, alphaUpper: number, deff = 1): { lowerRank: number; upperRank: number } {
  const nEff = n / Math.max(1, deff);
  const scale = n / nEff;
  // r − 1 = the largest k in [0, n−1] with P(B_eff ≤ k / deff) ≤ alphaLower.
  let lowerRank = 0;
  {
    let lo = -1;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (binomialCdf(mid / scale, nEff, p) <= alphaLower) lo = mid;
      else hi = mid - 1;
    }
    lowerRank = lo + 1;
  }
  // s = the smallest k in [1, n] with P(B_eff ≥ k / deff) ≤ alphaUpper.
  let upperRank = n + 1;
  {
    let lo = 1;
    let hi = n + 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (binomialSf(mid / scale, nEff, p) <= alphaUpper) hi = mid;
      else lo = mid + 1;
    }
    upperRank = lo;
  }
  return { lowerRank, upperRank };
}

/** Number of values ≤ x and < x in an ascending array. */
export function countBelow(sorted: readonly number[], x: number): { le: number; lt: number } {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  const lt = lo;
  hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return { le: lo, lt };
}

/**
 * Sign-test p-values for the p-quantile against a limit, exactly dual to
 * {@link quantileBounds}: `pAbove` tests H0 "ξ ≤ limit" (small when the
 * quantile is shown above the limit), `pBelow` tests H0 "ξ ≥ limit".
 * `lower > limit` ⇔ `pAbove ≤ alphaLower` and `upper < limit` ⇔ `pBelow ≤ alphaUpper`.
 */
export function quantileSignTest(sorted: readonly number[], p: number, limit: number, deff = 1): { pAbove: number; pBelow: number } {
  const n = sorted.length;
  if (n === 0) return { pAbove: 1, pBelow: 1 };
  const scale = Math.max(1, deff);
  const nEff = n / scale;
  const { le, lt } = countBelow(sorted, limit);
  const pAbove = le >= n ? 1 : binomialCdf(le / scale, nEff, p);
  const pBelow = lt <= 0 ? 1 : binomialSf(lt / scale, nEff, p);
  return { pAbove, pBelow };
}

/**
 * Design effect of clustering by runs for the proportion of values at or
 * below `threshold`: the cluster-robust variance of that proportion over
 * its variance under independent draws, f(1−f)/(N−1). Floored at 1 (we never claim runs make
 * the data more informative than independent draws); 1 with fewer than two runs.
 */
export function runDesignEffect(runs: readonly (readonly number[])[], threshold: number, p: number): number {
  const used = runs.filter((r) => r.length > 0);
  if (used.length < 2) return 1;
  let total = 0;
  let below = 0;
  const counts = used.map((r) => {
    let k = 0;
    for (const x of r) if (x <= threshold) k++;
    total += r.length;
    below += k;
    return { k, n: r.length };
  });
  const f = below / total;
  let ss = 0;
  for (const c of counts) ss += (c.k - f * c.n) ** 2;
  if (f <= 0 || f >= 1) return 1;
  const R = used.length;
  const clusterVar = ((R / (R - 1)) * ss) / (total * total);
  // Kish's design effect: against the variance of the same proportion under
  // independent draws, both unbiased, so that runs of one sample each (which
  // are independent) give exactly 1. Comparing with p(1−p) instead inflated
  // it whenever few samples put f far from p.
  const independentVar = (f * (1 - f)) / (total - 1);
  return Math.max(1, clusterVar / independentVar);
}
