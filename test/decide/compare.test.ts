import { describe, expect, it } from "vitest";
import { calibrate, compareInterleaved, compareToBaseline, lookSchedule, poolRuns, type RunSource } from "../../src/measure/decide/index.js";
import { createRng, type Rng } from "../../src/measure/stats/index.js";

/** A run whose statistic is the median of a noisy run around `cost`; 50 ms of "wall time". */
function fakeSource(seed: number, baselineCost: number, currentCost: number, runSd = 0.02): RunSource {
  const rng = createRng(seed);
  let drift = 0;
  return (arm) => {
    drift += rng.normal(0, 0.01); // the machine wanders; pairing cancels it
    const cost = arm === "baseline" ? baselineCost : currentCost;
    return { statistic: cost * Math.exp(drift + rng.normal(0, runSd)), wallTimeMs: 50, samples: 100 };
  };
}

function storedRuns(rng: Rng, scale: number, runs: number) {
  return poolRuns(
    "n",
    Array.from({ length: runs }, () => {
      const k = scale * Math.exp(rng.normal(0, 0.02));
      return { timesNs: Array.from({ length: 100 }, () => k * rng.lognormal(0, 0.2)), memoryBytes: [], calls: 100, errors: 0, batchSize: 1, edges: [], wallTimeMs: 10 };
    }),
  );
}

describe("comparisons with a baseline", () => {
  it("makes atLeastPairs pairs even when runs cost more than the whole budget, and no more", async () => {
    const slow: RunSource = (arm) => ({ statistic: arm === "baseline" ? 2_000 : 100, wallTimeMs: 5_000, samples: 100 });
    const stopped = await compareInterleaved([{ node: "n", source: slow }], { timeBudgetMs: 1_000, minPairs: 3, maxPairs: 10 });
    expect(stopped[0]!.verdict).toBe("inconclusive");
    const [c] = await compareInterleaved([{ node: "n", source: slow }], { timeBudgetMs: 1_000, minPairs: 3, maxPairs: 10, atLeastPairs: 3 });
    expect(c!.units).toBe(3);
    expect(c!.verdict).toBe("improvement");
  });

  it("schedules looks geometrically", () => {
    expect(lookSchedule(4, 40, 6)).toEqual([4, 6, 10, 16, 25, 40]);
    expect(lookSchedule(3, 3, 5)).toEqual([3]);
  });

  it("flags a regression and an improvement from interleaved runs, and stays quiet on A/A", async () => {
    const out = await compareInterleaved(
      [
        { node: "slower", source: fakeSource(1, 100, 120) },
        { node: "faster", source: fakeSource(2, 100, 80) },
        { node: "same", source: fakeSource(3, 100, 100) },
      ],
      { timeBudgetMs: 4000 },
    );
    expect(out.map((c) => c.verdict)).toEqual(["regression", "improvement", expect.stringMatching(/no-change|inconclusive/)]);
    expect(out[0]!.change).toBeCloseTo(0.2, 1);
    expect(out[0]!.interval[0]).toBeGreaterThan(0);
    expect(out[1]!.interval[1]).toBeLessThan(0);
    expect(out[2]!.interval[0]).toBeLessThanOrEqual(0);
    expect(out[2]!.interval[1]).toBeGreaterThanOrEqual(0);
    expect(out[0]!.method).toBe("interleaved");
    // Clear cases stop well before the 40-pair maximum.
    expect(out[0]!.units!).toBeLessThan(40);
  });

  it("compares stored samples with a cluster bootstrap", () => {
    const rng = createRng(5);
    const base = [storedRuns(rng, 100, 6)];
    const cur = [storedRuns(rng, 125, 6)];
    const [c] = compareToBaseline(cur, base, { seed: 2 });
    expect(c!.verdict).toBe("regression");
    expect(c!.method).toBe("stored-samples");
    expect(c!.change).toBeGreaterThan(0.15);
    const [same] = compareToBaseline([storedRuns(rng, 100, 6)], base, { seed: 2 });
    expect(same!.verdict).not.toBe("regression");
    expect(same!.verdict).not.toBe("improvement");
  });

  it("calibrates: A/A false positives stay within α and the detectable effect is reported", async () => {
    const alpha = 0.05;
    let seed = 100;
    const sources: RunSource = (() => {
      let current = fakeSource(seed, 100, 100, 0.03);
      let calls = 0;
      return (arm, budget) => {
        // A fresh noise stream per experiment (40 pairs × 2 arms at most).
        if (calls++ % 80 === 0) current = fakeSource(++seed, 100, 100, 0.03);
        return current(arm, budget);
      };
    })();
    const r = await calibrate(sources, { alpha, experiments: 150, timeBudgetMs: 4000 });
    expect(r.experiments).toBe(150);
    expect(r.falsePositiveRate).toBeLessThanOrEqual(alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / 150));
    expect(r.logRatioSd).toBeGreaterThan(0.03);
    expect(r.logRatioSd).toBeLessThan(0.07);
    expect(r.minimumDetectableEffect).toBeGreaterThan(0);
    expect(r.minimumDetectableEffect).toBeLessThan(0.2);
  });
});
