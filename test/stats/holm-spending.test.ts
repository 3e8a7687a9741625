import { describe, expect, it } from "vitest";
import { bonferroni, holm, sequentialPValue, spendingWeights } from "../../src/measure/stats/index.js";

describe("Holm", () => {
  it("matches a hand-computed example", () => {
    // α = 0.05, m = 4. Sorted: 0.005 ≤ 0.05/4 ✓, 0.01 ≤ 0.05/3 ✓, 0.03 > 0.05/2 ✗ → stop.
    const r = holm([0.01, 0.04, 0.03, 0.005], 0.05);
    expect(r.rejected).toEqual([true, false, false, true]);
    // Adjusted: 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, max(0.06, 1·0.04) = 0.06.
    expect(r.adjusted[3]).toBeCloseTo(0.02, 12);
    expect(r.adjusted[0]).toBeCloseTo(0.03, 12);
    expect(r.adjusted[2]).toBeCloseTo(0.06, 12);
    expect(r.adjusted[1]).toBeCloseTo(0.06, 12);
    expect(r.levels[3]).toBeCloseTo(0.0125, 12);
    expect(r.levels[0]).toBeCloseTo(0.05 / 3, 12);
    expect(r.levels[1]).toBeCloseTo(0.025, 12);
    expect(r.levels[2]).toBeCloseTo(0.025, 12);
  });

  it("stops at the first non-rejection even when later p-values are small enough for their own step", () => {
    // Sorted 0.01 ≤ 0.0125 ✓, 0.02 > 0.0167 ✗: 0.024 ≤ 0.025 is not rejected.
    const r = holm([0.01, 0.02, 0.024, 0.04], 0.05);
    expect(r.rejected).toEqual([true, false, false, false]);
  });

  it("rejects everything Bonferroni rejects, and sometimes more", () => {
    const p = [0.001, 0.012, 0.013, 0.2];
    const b = bonferroni(p, 0.05);
    const h = holm(p, 0.05);
    expect(b).toEqual([true, true, false, false]);
    expect(h.rejected).toEqual([true, true, true, false]);
  });

  it("handles ties and the empty family", () => {
    expect(holm([0.02, 0.02], 0.05).rejected).toEqual([true, true]);
    expect(holm([], 0.05).rejected).toEqual([]);
  });
});

describe("error spending", () => {
  it("splits α equally with ρ = 1 and back-loads it with ρ > 1", () => {
    const w = spendingWeights(4);
    expect(w).toEqual([0.25, 0.25, 0.25, 0.25]);
    const w3 = spendingWeights(4, 3);
    expect(w3.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(w3[0]!).toBeLessThan(w3[3]!);
  });

  it("the sequential p-value is the smallest p/w", () => {
    expect(sequentialPValue([0.5, 0.002, 0.01], [0.25, 0.25, 0.25])).toEqual({ p: 0.008, look: 1 });
    expect(sequentialPValue([0.9], [1]).p).toBe(0.9);
    expect(sequentialPValue([0.9, 0.8], [0.5, 0.5]).p).toBe(1);
  });
});
