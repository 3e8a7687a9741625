/**
 * Holm's step-down procedure: sort the p-values, compare the j-th smallest
 * with α / (m − j + 1), stop at the first that is larger. Controls the
 * family-wise error rate at α under any dependence between the tests.
 */
export interface HolmResult {
  rejected: boolean[];
  /** Holm-adjusted p-values (compare with α directly). */
  adjusted: number[];
  /**
   * The per-test level each hypothesis was judged at: α / (m − j + 1) at
   * its own step when rejected, the level of the step where the procedure
   * stopped otherwise. An interval at this level agrees with the decision.
   */
  levels: number[];
}

export function holm(pValues: readonly number[], alpha: number): HolmResult {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p: Number.isNaN(p) ? 1 : p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const rejected = new Array<boolean>(m).fill(false);
  const adjusted = new Array<number>(m).fill(1);
  const levels = new Array<number>(m).fill(alpha);
  let stopped = false;
  let stopLevel = alpha;
  let running = 0;
  order.forEach(({ p, i }, j) => {
    const level = alpha / (m - j);
    running = Math.max(running, Math.min(1, (m - j) * p));
    adjusted[i] = running;
    if (!stopped && p <= level) {
      rejected[i] = true;
      levels[i] = level;
    } else if (!stopped) {
      stopped = true;
      stopLevel = level;
    }
  });
  for (let i = 0; i < m; i++) if (!rejected[i]) levels[i] = stopLevel;
  return { rejected, adjusted, levels };
}

/** Bonferroni: each test at α / m. */
export function bonferroni(pValues: readonly number[], alpha: number): boolean[] {
  return pValues.map((p) => p <= alpha / pValues.length);
}
