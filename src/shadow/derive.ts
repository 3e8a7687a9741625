import fc from "fast-check";

/**
 * Inputs near a recorded one: fast-check arbitraries that keep a recorded
 * value's shape and change it a little — a number nudged or replaced by an
 * edge value, a string cut or extended, an array shortened, reordered or
 * with one element changed, an object with its values derived in turn. The
 * oracle runs them beside the recorded case (`derivedFrom`), because the
 * inputs a program really sees are where a wrong rewrite hurts, and their
 * neighbours are where it hides. They only ever join the equivalence check,
 * never a speed claim.
 */
export function derivedArbitrary(value: unknown, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 4) return fc.constant(value);
  switch (typeof value) {
    case "number":
      // Edges first: where a rewrite that is right on the recorded value goes wrong next to it.
      return Number.isInteger(value)
        ? fc.oneof({ weight: 1, arbitrary: fc.constant(value) }, { weight: 3, arbitrary: fc.constantFrom(value + 1, value - 1, 0, -0, -value, Number.MAX_SAFE_INTEGER) }, { weight: 1, arbitrary: fc.integer() })
        : fc.oneof({ weight: 1, arbitrary: fc.constant(value) }, { weight: 3, arbitrary: fc.constantFrom(0, -0, -value, value * 2, Number.NaN, Infinity, -Infinity) }, { weight: 1, arbitrary: fc.double() });
    case "string":
      return fc.oneof(fc.constant(value), fc.nat(value.length).map((n) => value.slice(0, n)), fc.string({ maxLength: 4 }).map((s) => value + s), fc.constant(value.toUpperCase()));
    case "boolean":
      return fc.boolean();
    case "bigint":
      return fc.oneof(fc.constant(value), fc.constantFrom(value + 1n, value - 1n, 0n));
  }
  if (Array.isArray(value)) return derivedArray(value, depth);
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return fc.constant(value);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return fc.constant(value);
  return fc.tuple(...entries.map(([, v]) => fc.oneof({ weight: 3, arbitrary: fc.constant(v) }, { weight: 1, arbitrary: derivedArbitrary(v, depth + 1) }))).map((vs) => Object.fromEntries(entries.map(([k], i) => [k, vs[i]])));
}

/**
 * An array changed in one to three steps, each one of: one element
 * derived (the likeliest), shortened, reordered, one element repeated, all
 * repeated — so that changes can meet (a derived value and its duplicate).
 */
function derivedArray(value: readonly unknown[], depth: number): fc.Arbitrary<unknown> {
  if (value.length === 0) return fc.constant([]);
  const step = (xs: readonly unknown[]): fc.Arbitrary<unknown[]> => {
    if (xs.length === 0) return fc.constant([]);
    const index = fc.nat(xs.length - 1);
    return fc.oneof(
      { weight: 3, arbitrary: index.chain((i) => derivedArbitrary(xs[i], depth + 1).map((v) => xs.map((x, j) => (j === i ? v : x)))) },
      { weight: 1, arbitrary: fc.subarray([...xs]) },
      { weight: 1, arbitrary: fc.shuffledSubarray([...xs], { minLength: xs.length }) },
      { weight: 1, arbitrary: index.map((i) => [...xs.slice(0, i + 1), xs[i], ...xs.slice(i + 1)]) },
      { weight: 1, arbitrary: fc.constant([...xs, ...xs]) },
    ) as fc.Arbitrary<unknown[]>;
  };
  return fc.integer({ min: 1, max: 3 }).chain((steps) => {
    let arb = step(value);
    for (let k = 1; k < steps; k++) arb = arb.chain(step);
    return arb;
  });
}

/** `count` argument lists derived from a recorded one, reproducibly from `seed`. */
export function deriveArgs(args: readonly unknown[], count: number, seed: number): unknown[][] {
  if (args.length === 0 || count <= 0) return [];
  return fc.sample(fc.tuple(...args.map((a) => derivedArbitrary(a))), { seed, numRuns: count });
}
