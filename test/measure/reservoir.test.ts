import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Reservoir } from "../../src/measure/reservoir.js";

describe("Reservoir", () => {
  it("keeps everything up to its capacity, then exactly capacity items, in stream order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 300 }), fc.integer(), (capacity, n, seed) => {
        const r = new Reservoir<number>(capacity, seed);
        for (let i = 0; i < n; i++) r.add(i);
        const kept = r.items();
        expect(r.offered).toBe(n);
        expect(kept).toHaveLength(Math.min(capacity, n));
        // A subsequence of the stream: increasing, no duplicates.
        for (let i = 1; i < kept.length; i++) expect(kept[i]!).toBeGreaterThan(kept[i - 1]!);
        if (n <= capacity) expect(kept).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
    );
  });

  it("keeps every position with the same probability (capacity / stream length)", () => {
    const capacity = 10;
    const n = 100;
    const trials = 4_000;
    const counts = new Array<number>(n).fill(0);
    for (let t = 0; t < trials; t++) {
      const r = new Reservoir<number>(capacity, t + 1);
      for (let i = 0; i < n; i++) r.add(i);
      for (const i of r.items()) counts[i]!++;
    }
    // Expected 400 per position (sd ≈ 19): early, middle and late thirds alike, each within 6%.
    const third = (from: number, to: number) => counts.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);
    for (const mean of [third(0, 33), third(33, 66), third(66, 100)]) expect(Math.abs(mean / 400 - 1)).toBeLessThan(0.06);
  });
});
