import { errorRateEvidence, type Evidence } from "../measure/decide/evidence.js";
import { formatQuantity } from "../report/format.js";
import type { LogHistogram } from "./histogram.js";

/**
 * Evidence from recorded calls for the statistics that
 * `recordedQuantileEvidence` (./evidence.ts) does not cover: means, maxima,
 * error rates, and quantities a recording knows only as a range (calls per
 * call of a flow's caller, the largest argument size). Each treats a value
 * as lying anywhere in its bucket and counts that against whichever verdict
 * is being tested, so a histogram never decides what its exact values
 * would not.
 */

/** One bucket of a histogram: `[low, high)` and how many values fell in it. */
export interface Bucket {
  low: number;
  high: number;
  count: number;
}

/** The non-empty buckets of a histogram, ascending; values below 1 as `[0, 1)`. */
export function histogramBuckets(h: LogHistogram): Bucket[] {
  const json = h.toJSON();
  const out: Bucket[] = json.zero > 0 ? [{ low: 0, high: 1, count: json.zero }] : [];
  for (const [index, count] of json.buckets) {
    if (count <= 0) continue;
    const [low, high] = h.bounds(index);
    out.push({ low, high, count });
  }
  return out;
}

/** The mean with every value at its bucket's midpoint (values below 1 as 0, as `quantile` estimates them); undefined when empty. */
export function histogramMean(h: LogHistogram): number | undefined {
  if (h.count === 0) return undefined;
  let sum = 0;
  for (const b of histogramBuckets(h)) sum += (b.low === 0 ? 0 : (b.low + b.high) / 2) * b.count;
  return sum / h.count;
}

/**
 * A lower bound of the mean of a non-negative variable that holds whenever
 * the true distribution function lies at most `eps` above the empirical one
 * (Anderson's bound): mean = ∫ P(X > x) dx ≥ ∫ max(0, share of values > x − eps) dx.
 * Each value is taken at its bucket's lower edge, which only lowers the bound.
 */
export function meanLowerBound(buckets: readonly Bucket[], eps: number): number {
  const n = buckets.reduce((s, b) => s + b.count, 0);
  if (n === 0) return 0;
  let above = n;
  let previous = 0;
  let sum = 0;
  for (const b of buckets) {
    // For x in [previous, b.low) the values above x are those of this bucket and the ones after it.
    sum += (b.low - previous) * Math.max(0, above / n - eps);
    previous = b.low;
    above -= b.count;
  }
  return sum;
}

/**
 * The one-sided Dvoretzky–Kiefer–Wolfowitz band P(sup (F − Fₙ) > ε) ≤ exp(−2nε²)
 * (Massart's constant) holds where that probability is at most ½; larger
 * levels get no bound (ε = ∞), which keeps every p-value and interval valid.
 */
function dkwEpsilon(n: number, alpha: number): number {
  return alpha > 0.5 || !(alpha > 0) ? Infinity : Math.sqrt(Math.log(1 / alpha) / (2 * n));
}

function dkwLevel(n: number, eps: number): number {
  const p = Math.exp(-2 * n * eps * eps);
  return p > 0.5 ? 1 : p;
}

/**
 * A mean bound from recorded calls. A recording is one stretch of calls,
 * not independent runs, so the t interval on run means that `--measure`
 * uses has nothing to stand on; instead a distribution-free lower bound
 * (above): it can show a mean above a limit, never below it, since finitely
 * many calls bound no tail.
 */
export function recordedMeanEvidence(h: LogHistogram, limit: number): Evidence | undefined {
  const n = h.count;
  const measured = histogramMean(h);
  if (n === 0 || measured === undefined) return undefined;
  const buckets = histogramBuckets(h);
  return {
    measured,
    samples: n,
    pAbove: meanAbovePValue(buckets, n, limit),
    pBelow: 1,
    interval: (alphaLower) => [meanLowerBound(buckets, dkwEpsilon(n, alphaLower)), Infinity],
    method: "distribution-free lower bound (recorded calls, histogram)",
    note: `a mean can be shown above a limit from ${n} recorded calls, never below it (they bound no tail)`,
  };
}

/** The p-value of "mean ≤ limit": the level at which the lower bound reaches the limit, rounded towards 1. */
function meanAbovePValue(buckets: readonly Bucket[], n: number, limit: number): number {
  if (meanLowerBound(buckets, 0) <= limit) return 1;
  // The bound falls continuously from the lowered sample mean (eps = 0) to 0 (eps = 1): bisect for where it meets the limit.
  let inside = 0; // the bound is above the limit here
  let outside = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (inside + outside) / 2;
    if (meanLowerBound(buckets, mid) > limit) inside = mid;
    else outside = mid;
  }
  return dkwLevel(n, inside);
}

/** A maximum from recorded calls: the top bucket's lower edge is a call certainly that long; nothing shows a maximum below a limit. */
export function recordedMaxEvidence(h: LogHistogram, limit: number, unit: "ns" | "B"): Evidence | undefined {
  const top = h.quantile(1);
  if (top === undefined) return undefined;
  const [low, high] = top.range;
  return {
    measured: top.estimate,
    samples: h.count,
    pAbove: low > limit ? 0 : 1,
    pBelow: 1,
    interval: () => [low, Infinity],
    method: "maximum (recorded calls, histogram)",
    note: `the largest of ${h.count} recorded calls lies in [${formatQuantity(low, unit)}, ${formatQuantity(high, unit)}); a maximum can be shown above a limit but never below it`,
  };
}

/**
 * A quantity known for certain to lie in `[low, high]`, with no sampling
 * error (counts and sizes): compared with the limit directly, and decided
 * only when the whole range is on one side of it (a point when `low = high`).
 */
export function rangeEvidence(low: number, high: number, measured: number, samples: number, limit: number, method: string, note: string): Evidence {
  if (low === high) return { measured: low, samples, pAbove: low > limit ? 0 : 1, pBelow: low < limit ? 0 : 1, interval: () => [low, low], method, note, exact: true };
  return { measured, samples, pAbove: low > limit ? 0 : 1, pBelow: high < limit ? 0 : 1, interval: () => [low, high], method, note };
}

/**
 * The largest whole number of bytes in a histogram of sizes: in the top
 * bucket, so at least its lower edge rounded up and below its upper edge.
 * Small sizes have buckets narrower than a byte, so they come out exact.
 * When the histogram holds the sizes of only some of `ofCalls` calls (a
 * sample), the largest of all may lie beyond it: it can then be shown above
 * a limit, never below it.
 */
export function largestSizeEvidence(h: LogHistogram, limit: number, ofCalls?: number): Evidence | undefined {
  const top = h.quantile(1);
  if (top === undefined) return undefined;
  const [lowEdge, highEdge] = top.range;
  const low = Math.ceil(lowEdge);
  const high = ofCalls === undefined ? Math.max(low, Math.ceil(highEdge) - 1) : Infinity;
  const method = "largest argument size per call (recorded calls, histogram)";
  if (ofCalls !== undefined) {
    const note = `the largest argument of the ${h.count} sized of ${ofCalls} recorded calls is at least ${low} B; the largest of all can be shown above a limit, never below it`;
    return { measured: top.estimate, samples: h.count, pAbove: low > limit ? 0 : 1, pBelow: 1, interval: () => [low, high], method, note };
  }
  const largest = low === high ? `${low} B` : `between ${low} B and ${high} B`;
  return rangeEvidence(low, high, top.estimate, h.count, limit, method, `the largest argument of ${h.count} recorded calls: ${largest}`);
}

/** An error rate of recorded calls: the same score test and Wilson interval as measured calls. */
export function recordedErrorRateEvidence(errors: number, calls: number, limit: number): Evidence {
  return { ...errorRateEvidence(errors, calls, limit), method: "wilson (recorded calls)", note: `${errors} of ${calls} recorded calls failed` };
}
