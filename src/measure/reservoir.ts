/**
 * A uniform random subsample of at most `capacity` items from a stream of
 * unknown length (Vitter's algorithm R), returned in stream order.
 *
 * A run that samples for its whole time slice may time far more batches than
 * a report can hold; keeping a uniform subsample keeps the distribution the
 * statistics see unchanged (unlike larger batches, which would narrow its
 * tails) and spreads the kept samples over the whole slice, so slow periodic
 * effects (a collection every few hundred ms) stay in proportion.
 */
export class Reservoir<T> {
  private readonly kept: { index: number; item: T }[] = [];
  private seen = 0;
  private state: number;

  constructor(
    readonly capacity: number,
    seed = 0x9e3779b9,
  ) {
    // Its own generator: user code may replace or seed Math.random.
    this.state = seed >>> 0 || 1;
  }

  add(item: T): void {
    const slot = this.admit();
    if (slot >= 0) this.put(slot, item);
  }

  /**
   * Counts one more item and says where it goes: a slot, or -1 when the
   * sample does not take it. Lets a caller skip preparing items (copying
   * them) that would not be kept.
   */
  admit(): number {
    const index = this.seen++;
    if (index < this.capacity) return index;
    const j = Math.floor(this.next() * (index + 1));
    return j < this.capacity ? j : -1;
  }

  /** Puts the item most recently admitted into the slot `admit` gave. */
  put(slot: number, item: T): void {
    this.kept[slot] = { index: this.seen - 1, item };
  }

  /** Items offered so far. */
  get offered(): number {
    return this.seen;
  }

  /** The kept items, in the order they were offered. */
  items(): T[] {
    // A slot admitted but never filled (the caller could not prepare its item) is a hole.
    return this.kept.filter((k) => k !== undefined).sort((a, b) => a.index - b.index).map((k) => k.item);
  }

  /** xorshift32, in [0, 1). */
  private next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }
}
