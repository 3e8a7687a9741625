import { describe, expect, it } from "vitest";
import { createRng, runMeanEstimate, scoreTest, tBounds, tTest, wilsonInterval } from "../../src/measure/stats/index.js";
import { coverageFloor, draws, references } from "./helpers.js";

describe("mean of runs", () => {
  for (const ref of references) {
    it(`t on run means covers the mean of ${ref.name}`, () => {
      const rng = createRng(31);
      const S = 1000;
      const a = 0.025;
      let covered = 0;
      for (let s = 0; s < S; s++) {
        // Five runs of 40 draws: run means are close to normal by the CLT.
        const runs = Array.from({ length: 5 }, () => draws(rng, ref, 40));
        const [lo, hi] = tBounds(runMeanEstimate(runs), a, a);
        if (lo <= ref.mean && ref.mean <= hi) covered++;
      }
      expect(covered / S).toBeGreaterThanOrEqual(coverageFloor(0.95, S));
    });
  }

  it("keeps coverage when runs differ (random run effects)", () => {
    const rng = createRng(5);
    const S = 1000;
    let covered = 0;
    for (let s = 0; s < S; s++) {
      const runs = Array.from({ length: 6 }, () => {
        const shift = rng.normal(0, 0.3);
        return draws(rng, references[0]!, 50).map((x) => x + shift);
      });
      const [lo, hi] = tBounds(runMeanEstimate(runs), 0.025, 0.025);
      if (lo <= 1 && 1 <= hi) covered++;
    }
    expect(covered / S).toBeGreaterThanOrEqual(coverageFloor(0.95, S));
  });

  it("uses batch means for a single run and refuses to guess from one value", () => {
    const rng = createRng(8);
    const e = runMeanEstimate([draws(rng, references[2]!, 200)]);
    expect(e.method).toBe("batch-means");
    expect(e.df).toBe(9);
    expect(tBounds(runMeanEstimate([[5]]), 0.05, 0.05)).toEqual([-Infinity, Infinity]);
  });

  it("t-test p-values are dual to the bounds", () => {
    const rng = createRng(9);
    for (let s = 0; s < 200; s++) {
      const e = runMeanEstimate(Array.from({ length: 4 }, () => draws(rng, references[1]!, 30)));
      const limit = rng.uniform(1, 2.5);
      const [lo, hi] = tBounds(e, 0.01, 0.01);
      const p = tTest(e, limit);
      expect(lo > limit).toBe(p.pAbove < 0.01);
      expect(hi < limit).toBe(p.pBelow < 0.01);
    }
  });
});

describe("Wilson interval", () => {
  // Newcombe (1998), Statistics in Medicine 17:857–872, Table I, method 3 (score, no continuity correction).
  const table: [number, number, number, number][] = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  for (const [x, n, lo, hi] of table) {
    it(`matches the textbook 95% interval for ${x}/${n}`, () => {
      const [l, h] = wilsonInterval(x, n, 0.025);
      expect(l).toBeCloseTo(lo, 4);
      expect(h).toBeCloseTo(hi, 4);
    });
  }

  it("score-test p-values are dual to the interval", () => {
    for (const [x, n] of [
      [3, 1000],
      [40, 500],
      [0, 300],
    ]) {
      const [lo, hi] = wilsonInterval(x!, n!, 0.005);
      for (const limit of [0.001, 0.005, 0.01, 0.05, 0.1]) {
        const p = scoreTest(x!, n!, limit);
        expect(lo > limit + 1e-12).toBe(p.pAbove < 0.005);
        expect(hi < limit - 1e-12).toBe(p.pBelow < 0.005);
      }
    }
  });

  it("covers a true rate of 1% at ≥ nominal", () => {
    const rng = createRng(77);
    const S = 2000;
    let covered = 0;
    for (let s = 0; s < S; s++) {
      let x = 0;
      for (let i = 0; i < 500; i++) if (rng.next() < 0.01) x++;
      const [lo, hi] = wilsonInterval(x, 500, 0.025);
      if (lo <= 0.01 && 0.01 <= hi) covered++;
    }
    // Wilson's coverage oscillates around nominal for discrete data; 2 points is its known worst case at this n·p.
    expect(covered / S).toBeGreaterThanOrEqual(coverageFloor(0.95, S) - 0.02);
  });
});
