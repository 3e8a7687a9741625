import { normalCdf, normalQuantile } from "./distributions.js";

/**
 * Wilson score interval for a binomial proportion, with one-sided error
 * levels (equal levels give the usual two-sided interval at 1 − 2α).
 * Unlike the Wald interval it behaves at 0 and 1 and for small n.
 */
export function wilsonInterval(successes: number, trials: number, alphaLower: number, alphaUpper = alphaLower): [number, number] {
  if (trials <= 0) return [0, 1];
  return [wilsonBound(successes, trials, normalQuantile(1 - alphaLower), -1), wilsonBound(successes, trials, normalQuantile(1 - alphaUpper), 1)];
}

function wilsonBound(x: number, n: number, z: number, sign: 1 | -1): number {
  const p = x / n;
  const z2 = z * z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const b = center + sign * half;
  // The exact endpoints are 0 and 1 when x is 0 or n.
  if (sign < 0 && x <= 0) return 0;
  if (sign > 0 && x >= n) return 1;
  return Math.min(1, Math.max(0, b));
}

/**
 * Score-test p-values dual to the Wilson interval: `pAbove` tests H0
 * "rate ≤ limit", `pBelow` tests H0 "rate ≥ limit".
 */
export function scoreTest(successes: number, trials: number, limit: number): { pAbove: number; pBelow: number } {
  if (trials <= 0) return { pAbove: 1, pBelow: 1 };
  const p = successes / trials;
  if (limit <= 0) return { pAbove: successes > 0 ? 0 : 1, pBelow: 1 };
  if (limit >= 1) return { pAbove: 1, pBelow: successes < trials ? 0 : 1 };
  const z = (p - limit) / Math.sqrt((limit * (1 - limit)) / trials);
  return { pAbove: 1 - normalCdf(z), pBelow: normalCdf(z) };
}
