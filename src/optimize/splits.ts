import { createHash } from "node:crypto";
import { createRng } from "../measure/stats/prng.js";

/**
 * The honest gate's three disjoint sets of a node's workload cases:
 * variants are ranked on `train`, accepted on `validation`, and the speedup
 * the user sees is measured on `test`, which played no part in choosing.
 * Generated inputs never enter validation or test (they are not workload
 * cases, so they are not split at all: the oracle uses them, timing does not).
 */
export interface CaseSplit {
  train: number[];
  validation: number[];
  test: number[];
  /** False when the node has too few cases to hold any out: every set is every case. */
  heldOut: boolean;
}

/** Cases a node needs so that train, validation and test each get one. */
export const MIN_CASES_TO_HOLD_OUT = 3;

/**
 * Splits cases `0 … n-1` deterministically, seeded by the node id: a quarter
 * (at least one) each to validation and test, the rest to train. The same
 * node and case count always give the same split, so a run can be repeated
 * and a report traced back to the cases behind each figure.
 */
export function splitCases(node: string, count: number): CaseSplit {
  const all = Array.from({ length: count }, (_, i) => i);
  if (count < MIN_CASES_TO_HOLD_OUT) return { train: all, validation: all, test: all, heldOut: false };
  const rng = createRng(seedOf(node));
  // Fisher–Yates with the node's own generator.
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  const held = Math.max(1, Math.floor(count / 4));
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
  return { validation: sorted(all.slice(0, held)), test: sorted(all.slice(held, 2 * held)), train: sorted(all.slice(2 * held)), heldOut: true };
}

function seedOf(node: string): number {
  return createHash("sha256").update(node).digest().readUInt32LE(0);
}
