import { bucketIndex, DEFAULT_BITS, type HistogramJson } from "./histogram.js";

/**
 * The recorder's histogram: the same buckets as {@link LogHistogram} (so its
 * JSON is one), kept in a flat array instead of a map, because it is
 * updated on the user's hot path. Values up to 2^48 ns (3 days) get their
 * own bucket; anything longer is counted in the last one.
 */
export class TimeHistogram {
  private counts: Float64Array | undefined;
  private zero = 0;
  count = 0;
  private static readonly SIZE = 48 << DEFAULT_BITS;

  record(value: number): void {
    this.count++;
    if (!(value >= 1)) {
      this.zero++;
      return;
    }
    const counts = (this.counts ??= new Float64Array(TimeHistogram.SIZE));
    counts[Math.min(TimeHistogram.SIZE - 1, bucketIndex(value, DEFAULT_BITS))]!++;
  }

  copy(): TimeHistogram {
    const h = new TimeHistogram();
    h.counts = this.counts?.slice();
    h.zero = this.zero;
    h.count = this.count;
    return h;
  }

  /** Keeps each counted value with chance `keep` (a uniform sample at share s becomes one at s × keep). */
  thin(keep: number, random: () => number): void {
    const draw = (count: number): number => binomial(count, keep, random);
    const zero = draw(this.zero);
    let count = zero;
    if (this.counts !== undefined) {
      for (let i = 0; i < this.counts.length; i++) {
        if (this.counts[i]! > 0) count += this.counts[i] = draw(this.counts[i]!);
      }
    }
    this.zero = zero;
    this.count = count;
  }

  toJSON(): HistogramJson {
    const buckets: [number, number][] = [];
    if (this.counts !== undefined) this.counts.forEach((c, i) => c > 0 && buckets.push([i, c]));
    return { version: 1, bits: DEFAULT_BITS, zero: this.zero, buckets };
  }
}

/** A binomial draw: exact (one Bernoulli per value) for small counts, the normal approximation above 64. */
export function binomial(count: number, p: number, random: () => number): number {
  if (count <= 64) {
    let kept = 0;
    for (let i = 0; i < count; i++) if (random() < p) kept++;
    return kept;
  }
  const gauss = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.min(count, Math.max(0, Math.round(count * p + gauss * Math.sqrt(count * p * (1 - p)))));
}
