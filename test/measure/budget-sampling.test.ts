import { afterAll, describe, expect, it } from "vitest";
import { createProcessSampler, type MeasureTarget, type ProcessSampleBatch } from "../../src/measure/sampler.js";
import { describeBatch, fixture, quickLimits, target } from "./helpers.js";

// A run asked to sample `until: "budget"` spends its slice timing the node, keeps a
// bounded uniform subsample, skips memory when not asked, and counts every call it makes.
const program = fixture("measure-program");
const failures = fixture("measure-failures");
const trivial = target(program, "src/work.ts#trivial", "trivial");
const spins = target(program, "src/work.ts#spins", "spins");
const throws = target(failures, "src/bad.ts#alwaysThrows", "alwaysThrows");
const programSampler = createProcessSampler({ projectRoot: program, timeoutMs: 5_000, maxOldSpaceMb: 256, targets: [trivial, spins], limits: { ...quickLimits, keptSamples: 500 } });
const failureSampler = createProcessSampler({ projectRoot: failures, timeoutMs: 5_000, maxOldSpaceMb: 256, targets: [throws], limits: quickLimits });
afterAll(async () => {
  await programSampler.close();
  await failureSampler.close();
});

const details = (batch: ProcessSampleBatch) => {
  expect(batch.failure, describeBatch(batch)).toBeUndefined();
  return batch.details!;
};
const sample = (t: MeasureTarget, timeBudgetMs: number, extra: { memory?: boolean; until?: "samples" | "budget" } = {}) =>
  (t === throws ? failureSampler : programSampler).sample({ target: t, minSamples: 10, timeBudgetMs, ...extra });

describe("sampling until the run's slice ends", () => {
  it("times the node for most of its slice instead of stopping at minSamples", async () => {
    const budget = 600;
    const d = details(await sample(spins, budget, { until: "budget", memory: false }));
    expect(d.stoppedBy).toBe("budget");
    // Warm-up may take up to 30% of the slice and loading some more on a busy machine; the rest is sampling.
    expect(d.phasesMs.sampling).toBeGreaterThan(0.25 * budget);
    expect(d.timedBatches).toBeGreaterThan(10);
    const quick = details(await sample(spins, budget, { until: "samples", memory: false }));
    expect(quick.stoppedBy).toBe("samples");
    expect(quick.timedBatches).toBe(10);
  });

  it("keeps a uniform subsample of at most keptSamples, in the order the batches were timed", async () => {
    const batch = await sample(trivial, 400, { until: "budget", memory: false });
    const d = details(batch);
    // A trivial call is batched to about a microsecond: far more batches than the cap.
    expect(d.timedBatches).toBeGreaterThan(500);
    expect(batch.timesNs).toHaveLength(500);
    expect(d.sampleCases).toHaveLength(500);
  });

  it("skips memory samples when not asked, and gives their share to timing", async () => {
    const without = await sample(spins, 400, { until: "budget", memory: false });
    expect(without.memoryBytes).toEqual([]);
    expect(details(without).callsByPhase!.memory).toBe(0);
    const withMemory = await sample(spins, 400, { until: "budget" });
    expect(withMemory.memoryBytes.length).toBeGreaterThan(0);
    expect(details(withMemory).callsByPhase!.memory).toBeGreaterThan(0);
  });

  it("counts every call and every error of the run, warm-up and memory samples included", async () => {
    const batch = await sample(throws, 400, { until: "budget" });
    const d = details(batch);
    const phases = d.callsByPhase!;
    expect(phases.probe).toBeGreaterThan(0);
    expect(phases.warmup).toBeGreaterThan(0);
    expect(phases.sampling).toBeGreaterThan(0);
    expect(phases.memory).toBeGreaterThan(0);
    expect(batch.calls).toBe(phases.probe + phases.sizing + phases.warmup + phases.sampling + phases.memory);
    expect(batch.errors).toBe(batch.calls);
  });
});
