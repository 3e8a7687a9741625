import { describe, expect, it } from "vitest";
import { createRng, quantileBounds, quantileSignTest, quantileSorted, runDesignEffect, sortAscending } from "../../src/measure/stats/index.js";
import { coverageFloor, draws, references } from "./helpers.js";

describe("quantile estimation", () => {
  it("type 7 quantiles match R's default", () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantileSorted(x, 0.5)).toBe(5.5);
    expect(quantileSorted(x, 0.95)).toBeCloseTo(9.55, 12);
    expect(quantileSorted(x, 0)).toBe(1);
    expect(quantileSorted(x, 1)).toBe(10);
  });

  it("order-statistic bounds are the textbook ranks (n = 20, median, 95%)", () => {
    // Classical table: for n = 20 the 95% interval for the median is (X₍₆₎, X₍₁₅₎), coverage 95.86%.
    const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
    const b = quantileBounds(sorted, 0.5, 0.025, 0.025);
    expect(b.lowerRank).toBe(6);
    expect(b.upperRank).toBe(15);
  });

  it("is open-ended when n is too small for the tail", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i);
    const b = quantileBounds(sorted, 0.999, 0.005, 0.005);
    expect(b.upper).toBe(Infinity);
    expect(Number.isFinite(b.lower)).toBe(true);
  });

  for (const ref of references) {
    for (const [p, n] of [
      [0.5, 50],
      [0.95, 200],
      [0.99, 1000],
    ] as const) {
      it(`covers the true p${Math.round(p * 100)} of ${ref.name} at ≥ nominal (n = ${n})`, () => {
        const rng = createRng(1234 + n);
        const S = 1000;
        const alpha = 0.025;
        const truth = ref.quantile(p);
        let covered = 0;
        let lowerMiss = 0;
        let upperMiss = 0;
        for (let s = 0; s < S; s++) {
          const sorted = sortAscending(draws(rng, ref, n));
          const b = quantileBounds(sorted, p, alpha, alpha);
          if (b.lower <= truth && truth <= b.upper) covered++;
          if (b.lower > truth) lowerMiss++;
          if (b.upper < truth) upperMiss++;
        }
        expect(covered / S).toBeGreaterThanOrEqual(coverageFloor(1 - 2 * alpha, S));
        // Each tail separately (one-sided levels matter for the verdicts).
        expect(lowerMiss / S).toBeLessThanOrEqual(alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / S));
        expect(upperMiss / S).toBeLessThanOrEqual(alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / S));
      });
    }
  }

  it("sign-test p-values are exactly dual to the bounds", () => {
    const rng = createRng(7);
    for (let s = 0; s < 200; s++) {
      const sorted = sortAscending(draws(rng, references[1]!, 150));
      const limit = rng.uniform(0.5, 8);
      const a = 0.01;
      const b = quantileBounds(sorted, 0.9, a, a);
      const t = quantileSignTest(sorted, 0.9, limit);
      expect(b.lower > limit).toBe(t.pAbove <= a);
      expect(b.upper < limit).toBe(t.pBelow <= a);
    }
  });

  it("the run design effect is ~1 for identical runs and large when runs are shifted", () => {
    const rng = createRng(11);
    const same = Array.from({ length: 6 }, () => draws(rng, references[0]!, 200));
    expect(runDesignEffect(same, 0.693, 0.5)).toBeLessThan(2);
    const shifted = Array.from({ length: 6 }, (_, i) => draws(rng, references[0]!, 200).map((x) => x + i * 0.5));
    const pooled = sortAscending(shifted.flat());
    expect(runDesignEffect(shifted, quantileSorted(pooled, 0.5), 0.5)).toBeGreaterThan(10);
  });

  it("runs of one sample each are independent draws: the design effect is exactly 1", () => {
    // Five separate processes, one timing each, all far above a limit: the
    // sign test must be free to use all five (this once read as 1 of 5).
    const runs = [[15.1], [15.6], [14.9], [16.2], [15.3]];
    expect(runDesignEffect(runs, quantileSorted(sortAscending(runs.flat()), 0.95), 0.95)).toBeCloseTo(1, 12);
    expect(runDesignEffect(runs, 15.3, 0.95)).toBeCloseTo(1, 12);
  });

  it("with run-level shifts, the design effect restores coverage that the iid interval loses", () => {
    const rng = createRng(99);
    const S = 400;
    let naive = 0;
    let adjusted = 0;
    // 8 runs of 100 exponential draws, each run scaled by a lognormal run effect (sd 0.1).
    // The true median of the mixture is found from a large simulation.
    const truthSample = sortAscending(Array.from({ length: 400_000 }, () => rng.exponential(1) * Math.exp(rng.normal(0, 0.1))));
    const truth = quantileSorted(truthSample, 0.5);
    for (let s = 0; s < S; s++) {
      const runs = Array.from({ length: 8 }, () => {
        const k = Math.exp(rng.normal(0, 0.1));
        return draws(rng, references[0]!, 100).map((x) => x * k);
      });
      const sorted = sortAscending(runs.flat());
      const b0 = quantileBounds(sorted, 0.5, 0.025, 0.025);
      if (b0.lower <= truth && truth <= b0.upper) naive++;
      const deff = runDesignEffect(runs, quantileSorted(sorted, 0.5), 0.5);
      const b1 = quantileBounds(sorted, 0.5, 0.025, 0.025, deff);
      if (b1.lower <= truth && truth <= b1.upper) adjusted++;
    }
    expect(adjusted).toBeGreaterThan(naive);
    // Eight clusters give a noisy design effect; we ask for near-nominal, not exact.
    expect(adjusted / S).toBeGreaterThanOrEqual(0.9);
  });
});
