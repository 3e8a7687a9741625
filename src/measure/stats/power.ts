import { studentTQuantile } from "./distributions.js";

/**
 * Power planning for the paired log-ratio comparison. With n pairs whose
 * log ratios have standard deviation `sd`, a one-sided test at level
 * `alpha` detects a true log-ratio δ with probability `power` when
 * δ ≥ (t₁₋α + t_power) · sd / √n (t with n − 1 degrees of freedom).
 */
export function minimumDetectableEffect(o: { sd: number; pairs: number; alpha: number; power?: number }): number {
  const n = o.pairs;
  if (!(n >= 2) || !(o.sd >= 0)) return Infinity;
  const power = o.power ?? 0.95;
  const delta = (studentTQuantile(1 - o.alpha, n - 1) + studentTQuantile(power, n - 1)) * (o.sd / Math.sqrt(n));
  return Math.exp(delta) - 1;
}

/** The smallest number of pairs whose minimum detectable relative change is ≤ `effect` (Infinity past `max`). */
export function pairsForEffect(o: { sd: number; effect: number; alpha: number; power?: number; max?: number }): number {
  const max = o.max ?? 1_000_000;
  if (minimumDetectableEffect({ ...o, pairs: max }) > o.effect) return Infinity;
  let lo = 2;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (minimumDetectableEffect({ ...o, pairs: mid }) <= o.effect) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
