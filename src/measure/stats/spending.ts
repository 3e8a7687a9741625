/**
 * Error spending across repeated looks at accumulating data.
 *
 * We use a Lan–DeMets-style spending function of the power family,
 * f(t) = t^ρ on the information fraction t = k / K (K the maximum number
 * of looks, fixed before any data is seen), and spend the increments by
 * Bonferroni: look k tests at level α·(f(k/K) − f((k−1)/K)). With ρ = 1 this
 * is the Pocock-like equal split α / K. Bonferroni over looks ignores the
 * correlation between looks, so it is slightly conservative, but it is
 * valid for any dependence and any data-driven stopping rule — which we
 * need, because timing samples are neither normal nor independent across
 * looks in the way exact group-sequential boundaries assume.
 */
export function spendingWeights(maxLooks: number, rho = 1): number[] {
  const K = Math.max(1, Math.floor(maxLooks));
  const f = (t: number) => t ** rho;
  return Array.from({ length: K }, (_, i) => f((i + 1) / K) - f(i / K));
}

/**
 * The sequential p-value of a test observed at several looks:
 * min over looks of p_k / w_k (capped at 1). Under H0, P(p* ≤ u) ≤ u·Σw ≤ u,
 * so it can go into Holm like any valid p-value; looks never taken only
 * make it larger.
 */
export function sequentialPValue(pValues: readonly number[], weights: readonly number[]): { p: number; look: number } {
  let best = 1;
  let look = Math.max(0, pValues.length - 1);
  pValues.forEach((p, k) => {
    const w = weights[k] ?? 0;
    const q = w > 0 ? Math.min(1, p / w) : 1;
    if (q < best) {
      best = q;
      look = k;
    }
  });
  return { p: best, look };
}
