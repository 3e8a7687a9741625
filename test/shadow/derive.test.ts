import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deriveArgs, derivedArbitrary } from "../../src/shadow/derive.js";

describe("inputs derived from a recorded case", () => {
  it("are reproducible from their seed, and as many as asked", () => {
    const recorded = [[3, 1, 3], "abc", { k: 2, name: "x" }];
    expect(deriveArgs(recorded, 10, 42)).toEqual(deriveArgs(recorded, 10, 42));
    expect(deriveArgs(recorded, 10, 42)).toHaveLength(10);
    expect(deriveArgs([], 10, 1)).toEqual([]);
  });

  it("keep each argument's kind: numbers stay numbers, strings strings, arrays arrays, plain objects keep their keys", () => {
    fc.assert(
      fc.property(fc.tuple(fc.double(), fc.string(), fc.array(fc.integer(), { maxLength: 6 }), fc.record({ a: fc.integer(), b: fc.string() })), fc.integer(), (args, seed) => {
        for (const [n, s, xs, o] of deriveArgs(args, 5, seed) as [unknown, unknown, unknown, Record<string, unknown>][]) {
          expect(typeof n).toBe("number");
          expect(typeof s).toBe("string");
          expect(Array.isArray(xs)).toBe(true);
          expect(Object.keys(o).sort()).toEqual(["a", "b"]);
        }
      }),
      { numRuns: 50 },
    );
  });

  it("reach the edges next to a recorded number (zero, its negation) and shorter and longer arrays", () => {
    const seen = fc.sample(derivedArbitrary([7, 8]), { seed: 3, numRuns: 300 }) as number[][];
    expect(seen.some((xs) => xs.includes(0))).toBe(true);
    expect(seen.some((xs) => xs.includes(-7) || xs.includes(-8))).toBe(true);
    expect(seen.some((xs) => xs.length < 2)).toBe(true);
    expect(seen.some((xs) => xs.length > 2)).toBe(true);
  });

  it("leave values they cannot change as they are (class instances, functions)", () => {
    class Point {
      constructor(readonly x: number) {}
    }
    const p = new Point(1);
    const fn = () => 1;
    for (const [a, b] of deriveArgs([p, fn], 5, 1)) {
      expect(a).toBe(p);
      expect(b).toBe(fn);
    }
  });
});
