import type { Evidence } from "../measure/decide/evidence.js";
import { binomialCdf, binomialSf } from "../measure/stats/distributions.js";
import { quantileRanks } from "../measure/stats/quantile.js";
import type { LogHistogram } from "./histogram.js";

/**
 * The evidence for a percentile bound from recorded calls (`check
 * --recording`): the same sign test and order-statistic interval as for
 * measured samples, on the histogram's counts. A bucket that straddles the
 * limit is counted against whichever verdict is being tested, and an
 * interval end is its bucket's outer edge, so the histogram's precision
 * never makes a verdict easier than exact values would.
 */
export function recordedQuantileEvidence(h: LogHistogram, p: number, limit: number): Evidence | undefined {
  const n = h.count;
  const q = h.quantile(p);
  if (n === 0 || q === undefined) return undefined;
  const { certain, possible } = h.countAtOrBelow(limit);
  return {
    measured: q.estimate,
    samples: n,
    // "ξ ≤ limit" is rejected only if even the most values that may lie at or below it are too few.
    pAbove: possible >= n ? 1 : binomialCdf(possible, n, p),
    // "ξ ≥ limit" is rejected only on values certainly below it.
    pBelow: certain <= 0 ? 1 : binomialSf(certain, n, p),
    interval: (alphaLower, alphaUpper) => {
      const { lowerRank, upperRank } = quantileRanks(n, p, alphaLower, alphaUpper);
      return [h.rangeAtRank(lowerRank)?.[0] ?? -Infinity, h.rangeAtRank(upperRank)?.[1] ?? Infinity];
    },
    method: "order-statistic (recorded calls, histogram)",
    note: `decided on ${n} recorded calls; values known to within ${(100 * 2 ** -h.bits).toFixed(2)}%`,
  };
}
