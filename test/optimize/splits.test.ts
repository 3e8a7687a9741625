import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MIN_CASES_TO_HOLD_OUT, splitCases } from "../../src/optimize/splits.js";

describe("splitCases", () => {
  it("splits n ≥ 3 cases into three disjoint non-empty sets that cover them all", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: MIN_CASES_TO_HOLD_OUT, max: 200 }), (node, n) => {
        const s = splitCases(node, n);
        expect(s.heldOut).toBe(true);
        for (const set of [s.train, s.validation, s.test]) expect(set.length).toBeGreaterThan(0);
        const all = [...s.train, ...s.validation, ...s.test].sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
        // Validation and test get a quarter each (at least one); train the rest.
        expect(s.validation.length).toBe(Math.max(1, Math.floor(n / 4)));
        expect(s.test.length).toBe(s.validation.length);
      }),
    );
  });

  it("is a function of the node id and the count: the same split every run, different nodes differ", () => {
    expect(splitCases("src/a.ts#f", 12)).toEqual(splitCases("src/a.ts#f", 12));
    const others = ["src/a.ts#g", "src/b.ts#f", "src/a.ts#h"].map((n) => JSON.stringify(splitCases(n, 12)));
    expect(new Set([JSON.stringify(splitCases("src/a.ts#f", 12)), ...others]).size).toBeGreaterThan(1);
  });

  it.each([0, 1, 2])("holds nothing out with %i cases: every set is every case", (n) => {
    const s = splitCases("src/a.ts#f", n);
    expect(s.heldOut).toBe(false);
    const all = Array.from({ length: n }, (_, i) => i);
    expect([s.train, s.validation, s.test]).toEqual([all, all, all]);
  });
});
