import { holm } from "../stats/holm.js";
import { sequentialPValue } from "../stats/spending.js";

/**
 * The decision procedure shared by bounds (decide.ts) and comparisons
 * (baseline.ts): each unit has two opposite directional hypotheses, each
 * with a p-value at every look taken; a hypothesis's sequential p-value is
 * the minimum over looks of p_k / w_k, and Holm's step-down runs over all
 * hypotheses of all units together, so the probability of any wrong
 * directional verdict in the run stays at `alpha`.
 */

/** One unit (a bound, a node's comparison): its two sides' p-values per look. */
export interface DirectionalLooks<Side extends string> {
  sides: readonly [{ side: Side; perLook: readonly number[] }, { side: Side; perLook: readonly number[] }];
  /** Error-spending weight of each possible look (Σ ≤ 1). */
  weights: readonly number[];
}

export interface DirectionalDecision<Side extends string> {
  /** The side whose hypothesis was rejected (the smaller p-value if both were); undefined when neither. */
  side: Side | undefined;
  /** The look to report: where the decision was made, else the last one. */
  look: number;
  /** One-sided tail probability of the interval to report at that look: the Holm level spent there. */
  tail: number;
  /** Holm-adjusted p-value of the decided side, else the smaller of the two. */
  pValue: number;
}

export function decideDirections<Side extends string>(units: readonly DirectionalLooks<Side>[], alpha: number): DirectionalDecision<Side>[] {
  const hypotheses = units.flatMap((u) => u.sides.map((s) => ({ side: s.side, ...sequentialPValue(s.perLook, u.weights) })));
  const h = holm(
    hypotheses.map((x) => x.p),
    alpha,
  );
  return units.map((u, unit) => {
    // A unit's two hypotheses sit at 2·unit and 2·unit + 1 (found, not searched for: runs have thousands of bounds).
    const mine = [2 * unit, 2 * unit + 1].map((j) => ({ ...hypotheses[j]!, j }));
    const decided = mine.filter((x) => h.rejected[x.j]).sort((a, b) => a.p - b.p)[0];
    const look = decided !== undefined ? decided.look : u.sides[0].perLook.length - 1;
    return {
      side: decided?.side,
      look,
      tail: h.levels[(decided ?? mine[0]!).j]! * (u.weights[look] ?? 0),
      pValue: decided !== undefined ? h.adjusted[decided.j]! : Math.min(...mine.map((x) => h.adjusted[x.j]!)),
    };
  });
}
