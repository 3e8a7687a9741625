/**
 * A log-bucketed histogram of positive values (per-call times in ns), laid
 * out like an HDR histogram: each power of two is split into 2^bits equal
 * sub-buckets, so a bucket's width is at most 2^-bits of its lower edge.
 * With the default 7 bits any recorded value is known to within 0.79% (its
 * bucket's width relative to the value), at any magnitude: enough for a
 * p999 of a recording of millions of calls, in a few hundred buckets.
 * Values below 1 (and 0) share one bucket. Storage is sparse, so memory
 * grows with the spread of the values, not with their count.
 *
 * `cdlc record` keeps one per node and edge; `check --recording` decides
 * percentile bounds from them (see {@link countAtOrBelow}).
 */

export const DEFAULT_BITS = 7;

export interface HistogramJson {
  version: 1;
  bits: number;
  /** Values below 1. */
  zero: number;
  /** [bucket index, count] pairs, by index. */
  buckets: [number, number][];
}

/** 2^e for the exponents of values below 2^64 (one division by an exact power of two per value). */
const POW2 = Float64Array.from({ length: 64 }, (_, e) => 2 ** e);

/**
 * The bucket of a value ≥ 1 at `bits` precision: its power of two, then its
 * sub-bucket within it. On the recorder's hot path: below 2^31 (2 s in ns)
 * the power of two is found with `clz32`, not a logarithm.
 */
export function bucketIndex(value: number, bits: number): number {
  let e: number;
  if (value < 2147483648) e = 31 - Math.clz32(value);
  else {
    const exponent = Math.floor(Math.log2(value));
    // Math.log2 can be off by one at exact powers of two: correct it.
    e = 2 ** exponent > value ? exponent - 1 : 2 ** (exponent + 1) <= value ? exponent + 1 : exponent;
  }
  const per = 1 << bits;
  const sub = Math.min(per - 1, Math.floor((value / (e < 64 ? POW2[e]! : 2 ** e) - 1) * per));
  return e * per + sub;
}

export class LogHistogram {
  private readonly counts = new Map<number, number>();
  private zero = 0;
  private total = 0;

  constructor(readonly bits = DEFAULT_BITS) {
    if (!Number.isInteger(bits) || bits < 1 || bits > 12) throw new RangeError(`a histogram's precision is 1 to 12 bits (got ${bits})`);
  }

  get count(): number {
    return this.total;
  }

  /** Records `count` occurrences of `value` (NaN and negative values are refused: a time is never either). */
  record(value: number, count = 1): void {
    if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`cannot record ${value} in a histogram of times`);
    this.total += count;
    if (value < 1) {
      this.zero += count;
      return;
    }
    const i = this.indexOf(value);
    this.counts.set(i, (this.counts.get(i) ?? 0) + count);
  }

  /** Adds another histogram of the same precision (runs recorded in several processes). */
  merge(other: LogHistogram): void {
    if (other.bits !== this.bits) throw new RangeError(`cannot merge histograms of ${other.bits} and ${this.bits} bits`);
    this.zero += other.zero;
    this.total += other.total;
    for (const [i, c] of other.counts) this.counts.set(i, (this.counts.get(i) ?? 0) + c);
  }

  /** The bucket of a value ≥ 1: its power of two, then its sub-bucket within it. */
  indexOf(value: number): number {
    return bucketIndex(value, this.bits);
  }

  /** `[low, high)` of a bucket. */
  bounds(index: number): [number, number] {
    const per = 1 << this.bits;
    const e = Math.floor(index / per);
    const sub = index - e * per;
    const base = 2 ** e;
    return [base * (1 + sub / per), base * (1 + (sub + 1) / per)];
  }

  /**
   * The p-quantile (0 < p ≤ 1) as the nearest-rank order statistic's bucket:
   * its range, and its midpoint as the estimate.
   */
  quantile(p: number): { estimate: number; range: [number, number] } | undefined {
    if (this.total === 0) return undefined;
    const range = this.rangeAtRank(Math.max(1, Math.ceil(p * this.total)));
    return range === undefined ? undefined : { estimate: range[1] === 1 && range[0] === 0 ? 0 : (range[0] + range[1]) / 2, range };
  }

  /** The range of the bucket holding the `rank`-th smallest value (1-based), or undefined outside 1…count. */
  rangeAtRank(rank: number): [number, number] | undefined {
    if (rank < 1 || rank > this.total) return undefined;
    if (rank <= this.zero) return [0, 1];
    let seen = this.zero;
    for (const [i, c] of this.sorted()) {
      seen += c;
      if (seen >= rank) return this.bounds(i);
    }
    return undefined;
  }

  /**
   * How many recorded values are at or below `limit`: `certain` counts the
   * buckets wholly at or below it, `possible` adds the one that straddles it.
   * A decision that the bound holds uses `certain`, one that it fails uses
   * `possible`: the bucket's imprecision never favours a verdict.
   */
  countAtOrBelow(limit: number): { certain: number; possible: number } {
    let certain = limit >= 1 ? this.zero : 0;
    let possible = limit >= 0 ? this.zero : 0;
    for (const [i, c] of this.counts) {
      const [lo, hi] = this.bounds(i);
      if (hi <= limit) certain += c;
      if (lo <= limit) possible += c;
    }
    return { certain, possible };
  }

  toJSON(): HistogramJson {
    return { version: 1, bits: this.bits, zero: this.zero, buckets: this.sorted() };
  }

  static fromJSON(json: HistogramJson): LogHistogram {
    if (json.version !== 1) throw new RangeError(`unknown histogram version ${String(json.version)}`);
    const h = new LogHistogram(json.bits);
    h.zero = json.zero;
    h.total = json.zero;
    for (const [i, c] of json.buckets) {
      h.counts.set(i, (h.counts.get(i) ?? 0) + c);
      h.total += c;
    }
    return h;
  }

  private sorted(): [number, number][] {
    return [...this.counts].sort((a, b) => a[0] - b[0]);
  }
}
