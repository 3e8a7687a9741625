import { describe, expect, it } from "vitest";
import { bootstrapRatio, createRng, median, minimumDetectableEffect, pairedLogRatio, pairsForEffect, selectKth } from "../../src/measure/stats/index.js";
import { coverageFloor } from "./helpers.js";

describe("selection", () => {
  it("quickselect agrees with sorting", () => {
    const rng = createRng(3);
    const x = Array.from({ length: 101 }, () => rng.normal());
    const sorted = [...x].sort((a, b) => a - b);
    expect(selectKth(x, 17)).toBe(sorted[17]);
    expect(median(x)).toBe(sorted[50]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe("paired log ratio", () => {
  it("covers the true ratio at ≥ nominal", () => {
    const rng = createRng(21);
    const S = 1000;
    let covered = 0;
    for (let s = 0; s < S; s++) {
      const pairs = Array.from({ length: 10 }, () => {
        const drift = Math.exp(rng.normal(0, 0.2)); // shared by both arms of a pair
        return { baseline: 100 * drift * Math.exp(rng.normal(0, 0.03)), current: 110 * drift * Math.exp(rng.normal(0, 0.03)) };
      });
      const [lo, hi] = pairedLogRatio(pairs).interval(0.025, 0.025);
      if (lo <= 1.1 && 1.1 <= hi) covered++;
    }
    expect(covered / S).toBeGreaterThanOrEqual(coverageFloor(0.95, S));
  });

  it("pairing removes drift shared by a pair", () => {
    const rng = createRng(4);
    const pairs = Array.from({ length: 8 }, () => {
      const drift = Math.exp(rng.normal(0, 0.5));
      return { baseline: 100 * drift, current: 105 * drift * Math.exp(rng.normal(0, 0.005)) };
    });
    const e = pairedLogRatio(pairs);
    expect(e.ratio).toBeCloseTo(1.05, 2);
    expect(e.pSlower).toBeLessThan(1e-6);
  });
});

describe("bootstrap ratio of medians", () => {
  it("covers the true ratio with runs as clusters", () => {
    const rng = createRng(12);
    const S = 200;
    let covered = 0;
    const run = (scale: number) => {
      const k = scale * Math.exp(rng.normal(0, 0.05));
      return Array.from({ length: 60 }, () => k * rng.lognormal(0, 0.3));
    };
    for (let s = 0; s < S; s++) {
      const a = Array.from({ length: 6 }, () => run(1));
      const b = Array.from({ length: 6 }, () => run(1.2));
      const e = bootstrapRatio(a, b, { rng, resamples: 300 });
      expect(e.method).toBe("cluster-bootstrap");
      const [lo, hi] = e.interval(0.025, 0.025);
      if (lo <= 1.2 && 1.2 <= hi) covered++;
    }
    // 200 draws × 300 resamples keeps the suite fast; the floor widens accordingly.
    expect(covered / S).toBeGreaterThanOrEqual(coverageFloor(0.95, S));
  });

  it("says when it had to treat samples as independent", () => {
    const rng = createRng(1);
    const e = bootstrapRatio([[1, 2, 3, 4, 5]], [[2, 3, 4, 5, 6]], { rng, resamples: 200 });
    expect(e.method).toBe("bootstrap");
  });
});

describe("power", () => {
  it("the minimum detectable effect is detected with the requested power", () => {
    const sd = 0.04;
    const pairs = 12;
    const alpha = 0.005;
    const mde = minimumDetectableEffect({ sd, pairs, alpha, power: 0.95 });
    const rng = createRng(44);
    const S = 2000;
    let detected = 0;
    for (let s = 0; s < S; s++) {
      const ps = Array.from({ length: pairs }, () => ({ baseline: 1, current: (1 + mde) * Math.exp(rng.normal(0, sd)) }));
      if (pairedLogRatio(ps).pSlower <= alpha) detected++;
    }
    // The t-quantile sum is an approximation of the noncentral t power (slightly conservative).
    expect(detected / S).toBeGreaterThanOrEqual(0.93);
    expect(detected / S).toBeLessThanOrEqual(0.99);
  });

  it("more pairs detect smaller effects", () => {
    const a = minimumDetectableEffect({ sd: 0.05, pairs: 5, alpha: 0.001 });
    const b = minimumDetectableEffect({ sd: 0.05, pairs: 50, alpha: 0.001 });
    expect(b).toBeLessThan(a);
    const n = pairsForEffect({ sd: 0.05, effect: 0.05, alpha: 0.001 });
    expect(minimumDetectableEffect({ sd: 0.05, pairs: n, alpha: 0.001 })).toBeLessThanOrEqual(0.05);
    expect(minimumDetectableEffect({ sd: 0.05, pairs: n - 1, alpha: 0.001 })).toBeGreaterThan(0.05);
  });
});
