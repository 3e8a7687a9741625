// A cache whose entries count how often their value is read.

export class CacheEntry {
  #hits = 0;

  constructor(
    readonly key: string,
    private readonly amount: number,
  ) {}

  /** The cached value; every read counts as a hit. */
  get value(): number {
    this.#hits++;
    return this.amount;
  }

  /** How often the value was read. */
  get hits(): number {
    return this.#hits;
  }
}

/**
 * The entries in a coarse order: by their value rounded to a multiple of `size`, in their order
 * where that ties. The key reads `value`, a getter that counts: computing each key once per entry
 * instead of at every comparison changes the counts, which only `hits` shows.
 */
export function sortByBucket(entries: CacheEntry[], size: number): CacheEntry[] {
  return [...entries].sort((a, b) => Math.round(a.value / size) - Math.round(b.value / size));
}
