import { catalog, createDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import type { Bound } from "./model.js";

/** Whether some value satisfies both bounds. */
function compatible(a: Bound, b: Bound): boolean {
  let low = -Infinity;
  let lowStrict = false;
  let high = Infinity;
  let highStrict = false;
  for (const x of [a, b]) {
    if (x.op === ">" || x.op === ">=" || x.op === "==") {
      const strict = x.op === ">";
      if (x.value > low || (x.value === low && strict)) {
        low = x.value;
        lowStrict = strict;
      }
    }
    if (x.op === "<" || x.op === "<=" || x.op === "==") {
      const strict = x.op === "<";
      if (x.value < high || (x.value === high && strict)) {
        high = x.value;
        highStrict = strict;
      }
    }
  }
  return low < high || (low === high && !lowStrict && !highStrict);
}

/**
 * Two bounds on the same node contradict when no measurement satisfies both.
 * Without a program, "the same node" means the same selector text; bounds
 * on `execution_time` (or `latency`) are compared only at the same
 * percentile, since p50 ≤ 1ms and p99 ≥ 2ms can both hold.
 *
 * Constraints are added by their row in the checker's ConstraintTable, with
 * whether they bound one metric twice; only the constraints that can
 * contradict (those, and repeated selectors) are made into objects, at the
 * end. Most selectors are constrained once, so instead of a Map keyed by every
 * selector's text (hashing thousands of fresh strings, growing the table)
 * repeats are found with an open-addressing table of indexes in a typed
 * array; only the repeats allocate.
 */
export class ContradictionFinder {
  private count = 0;
  /** Open addressing: a row index per slot, -1 when empty; at most half full. */
  private readonly slots: Int32Array;
  /** Each constraint's selector hash, by row. */
  private readonly hashes: Int32Array;
  /** First index of each repeated selector → the indexes of all its constraints. */
  private readonly repeats = new Map<number, number[]>();
  /** Constraints bounding one metric twice: the only ones that can contradict themselves. */
  private readonly selfOverlapping: number[] = [];

  /**
   * `rows`: how many rows will be added (the tables are sized for them
   * once); `textOf` gives a row's selector text, `boundsOf` the bounds in
   * effect on it (called only for rows that may contradict).
   */
  constructor(
    rows: number,
    private readonly textOf: (row: number) => string,
    private readonly boundsOf: (row: number) => readonly Bound[],
  ) {
    let slots = 16;
    while (slots < rows * 2 + 2) slots *= 2;
    this.slots = new Int32Array(slots).fill(-1);
    this.hashes = new Int32Array(rows);
  }

  /** Adds the next row (rows come in order from 0); `sharesMetric`: whether it bounds one metric twice. */
  add(sharesMetric: boolean): void {
    const i = this.count++;
    if (i >= this.hashes.length) throw new Error(`ContradictionFinder: row ${i} added, but ${this.hashes.length} were announced`);
    const first = this.insert(i);
    if (first === i) {
      if (sharesMetric) this.selfOverlapping.push(i);
      return;
    }
    let group = this.repeats.get(first);
    if (group === undefined) {
      group = [first];
      this.repeats.set(first, group);
    }
    group.push(i);
  }

  /** Every contradiction found: within single constraints, then among those repeating a selector. */
  finish(): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const i of this.selfOverlapping) {
      if (!this.repeats.has(i)) out.push(...contradictionsAmong(this.textOf(i), this.boundsOf(i)));
    }
    this.repeats.forEach((group, first) => {
      out.push(...contradictionsAmong(this.textOf(first), group.flatMap((i) => this.boundsOf(i))));
    });
    return out;
  }

  /**
   * Puts constraint `i` in the table; returns the index of the first
   * constraint with its selector (`i` when new). Strings are compared only
   * when the full hashes agree: reading old constraints again is what is slow.
   */
  private insert(i: number): number {
    const key = this.textOf(i);
    const hash = quickHash(key);
    this.hashes[i] = hash;
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const j = this.slots[slot]!;
      if (j < 0) {
        this.slots[slot] = i;
        return i;
      }
      if (this.hashes[j] === hash && this.textOf(j) === key) return j;
    }
  }
}

/** A hash of a string's length and up to 16 characters spread over it, always with its last (where numbered names differ). */
function quickHash(s: string): number {
  const n = s.length;
  let h = n | 0;
  const step = n > 16 ? n >> 4 : 1;
  for (let k = 0; k < n; k += step) h = Math.imul(h ^ s.charCodeAt(k), 0x9e3779b1);
  if (n > 0) h = Math.imul(h ^ s.charCodeAt(n - 1), 0x85ebca6b);
  return h ^ (h >>> 15);
}

/** Reports each contradicting pair among bounds known to apply to one node, once per metric. */
export function contradictionsAmong(node: string, bounds: readonly Bound[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let reported: Set<string> | undefined;
  for (let i = 0; i < bounds.length; i++) {
    for (let j = i + 1; j < bounds.length; j++) {
      const a = bounds[i]!;
      const b = bounds[j]!;
      if (a.metric !== b.metric || a.percentile !== b.percentile || a.origin === b.origin || compatible(a, b)) continue;
      const slot = `${a.metric}@${a.percentile ?? ""}`;
      if (reported?.has(slot)) continue;
      (reported ??= new Set()).add(slot);
      // Point at the one written later; show the other as related.
      const [first, second] = a.origin.location.file === b.origin.location.file && a.origin.location.start > b.origin.location.start ? [b, a] : [a, b];
      diagnostics.push(
        createDiagnostic(catalog.semantic.contradiction, { node, first: `\`${first.origin.text}\``, second: `\`${second.origin.text}\`` }, second.origin.location, {
          label: "contradicts the other bound",
          related: [{ location: first.origin.location, message: "the other bound is here" }],
          help: "relax one of the bounds, or give them different `percentile`s if they are meant for different statistics",
        }),
      );
    }
  }
  return diagnostics;
}
