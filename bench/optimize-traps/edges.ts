// For each trap of src/, argument lists on which the obvious rewrite (naive.ts) behaves differently
// from the function as written. A benchmark replays every variant the optimizer accepted on them,
// in order, on fresh module state (some traps need a sequence of calls), and compares everything
// observable — results, errors, the arguments after each call, which results are the same object
// as an earlier one, and what `probes` reads — with the original: any difference is a wrong accept.
// Every value here has its parameter's declared type; only the shape is unusual (NaN, -0, a gap
// of a sparse array, an object that is a copy, an extra key, a getter that counts).
/* eslint-disable no-sparse-arrays */
import { CacheEntry } from "./src/cache.js";

const copyOf = <T extends object>(x: T): T => ({ ...x });
const ada = { id: 1, name: "Ada" };
const grace = { id: 2, name: "Grace" };

export const edges: Record<string, unknown[][]> = {
  // `indexOf` never finds NaN: every failed reading would be kept.
  dedupeReadings: [[[NaN, 1, NaN, 2, NaN]], [[0, -0, NaN, -0, NaN]]],
  // A Map finds NaN under NaN; `===` never matches it.
  readingAt: [[[NaN, 1], [{ t: NaN, value: 7 }, { t: 1, value: 8 }]]],
  // `for…in` skips the gap and visits the extra key "-1"; an index loop reads the gap and misses the key.
  sumPresent: [[[1, , 3]], [Object.assign([1, 2], { "-1": 10 })]],
  // With NaN, `a - b` says "equal" where the insertion sort's `>` says "not greater": another order.
  // A gap: the built-in sort moves it last, the insertion sort leaves it where it is.
  medianOf: [[[2, 1, NaN, 0]], [[4, 3, NaN, 2, 1]], [[0, , 0]]],
  // A negative score before others: ranks count kept entries, not visited ones.
  rankValid: [[[{ name: "a", score: -1 }, { name: "b", score: 5 }, { name: "c", score: 7 }]]],
  // A gap before the first match, and a gap with no match at all: `find` passes `undefined` to the predicate.
  firstOverdue: [
    [[, { id: 1, due: "2024-01-01", paid: false }], "2025-01-01"],
    [[{ id: 2, due: "2026-01-01", paid: false }, ,], "2025-01-01"],
  ],
  // A gap reads as `undefined` in `for…of` ("/undefined"); `join` writes "" for it.
  toPath: [[["a", , "b"]]],
  // `null` is "null" to `+=` and "" to `join`.
  cacheKey: [[["user", null, 42]], [[null]]],
  // No lines, and a depth `repeat` rejects: nothing to indent, nothing thrown.
  indentLines: [[[], -1], [[], Infinity]],
  // Two titles, one slug.
  uniqueSlugs: [[["Hello World", "hello  world", "Other"]]],
  // A copy of a user is another user to `===`; and the first session of a user is the one found.
  sessionsFor: [
    [[copyOf(ada)], [{ user: ada, startedAt: "2025-01-01T08:00:00.000Z" }]],
    [[grace], [{ user: grace, startedAt: "2025-01-01T08:00:00.000Z" }, { user: grace, startedAt: "2025-01-02T08:00:00.000Z" }]],
  ],
  // A gap among the orders when there are no customers (`order.customerId` is never read), and a gap
  // among the customers after the match (`find` never reaches it).
  labelsFor: [
    [[,], []],
    [[{ id: 1, customerId: "a" }], [{ id: "a", name: "Ann" }, ,]],
  ],
  // The same purchase twice, and a purchase that crosses the volume threshold in between.
  volumePrice: [["A", 60], ["A", 60], ["B", 10], ["B", 95], ["B", 10]],
  // The same plan twice: two baskets, not one basket twice.
  starterBasket: [["basic"], ["basic"]],
  // Overrides, then none: the second call must see the untouched defaults.
  withDefaults: [[[{ pageSize: 50 }]], [[]], [[{ locale: "de" }]], [[{ currency: "USD" }]]],
  // Any two entries: the keys are read a different number of times.
  sortByBucket: [[[new CacheEntry("a", 150), new CacheEntry("b", 920), new CacheEntry("c", 510)], 100]],
};

/**
 * State the comparison of arguments cannot see, read after each call of a trap: here the hit
 * counts of cache entries, kept in a `#private` field.
 */
export const probes: Record<string, (args: unknown[]) => unknown> = {
  sortByBucket: (args) => (args[0] as CacheEntry[]).map((e) => e.hits),
};
