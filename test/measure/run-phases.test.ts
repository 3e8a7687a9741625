import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { RunDetails, RunPhases } from "../../src/measure/protocol.js";
import { createProcessSampler, withParentPhases, type ProcessSampleBatch } from "../../src/measure/sampler.js";
import { describeBatch, fixture, quickLimits, target } from "./helpers.js";

// Where a run's wall time goes: every phase reported, none negative, together the run's wall time;
// the time inside timed batches is part of the sampling phase. Times are bounded only from below
// by code that spins a known time, or by the run's own wall time: load cannot break either.
const root = fixture("measure-program");
const flow = { from: "src/orders.ts#Orders.place", to: "src/orders.ts#Store.take" };
const spins = target(root, "src/work.ts#spins", "spins");
const checkout = target(root, "src/orders.ts#Orders.checkout", "checkout", [flow]);
const sleeps = target(root, "src/work.ts#sleeps", "sleeps");
const sampler = createProcessSampler({ projectRoot: root, timeoutMs: 5_000, maxOldSpaceMb: 256, targets: [spins, checkout, sleeps], limits: quickLimits });
afterAll(() => sampler.close());

const phaseNames: (keyof RunPhases)[] = ["spawn", "boot", "request", "load", "workload", "probe", "timer", "sizing", "warmup", "sampling", "memory", "flows", "answer", "exit", "idle"];
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

function phasesOf(batch: ProcessSampleBatch): RunDetails & { phasesMs: RunPhases } {
  expect(batch.failure, describeBatch(batch)).toBeUndefined();
  expect(batch.details?.phasesMs).toBeDefined();
  return batch.details!;
}

describe("phases of a child run", () => {
  it("accounts for a run's wall time phase by phase, and times user code inside the sampling phase", async () => {
    // 1,000 samples of a call that spins 201 µs: at least 200 ms of sampling, so the run lasts over 200 ms.
    const batch = await sampler.sample({ target: spins, minSamples: 1_000, timeBudgetMs: 4_000 });
    const details = phasesOf(batch);
    const phases = details.phasesMs;
    expect(Object.keys(phases).sort()).toEqual([...phaseNames].sort());
    for (const name of phaseNames) expect(phases[name], name).toBeGreaterThanOrEqual(0);
    // Every process starts, loads the build and samples: those phases take time.
    for (const name of ["boot", "load", "workload", "sampling", "memory"] as const) expect(phases[name], name).toBeGreaterThan(0);
    const total = sum(phaseNames.map((n) => phases[n]));
    expect(batch.wallTimeMs).toBeGreaterThanOrEqual(200);
    expect(total).toBeLessThanOrEqual(batch.wallTimeMs + 1e-6);
    expect(total - phases.idle).toBeGreaterThanOrEqual(0.8 * batch.wallTimeMs);

    // Each sample is one batch of one call of at least 201 µs: the batches' time is at least theirs,
    // and no more than the phase that ran them.
    expect(batch.timesNs.length).toBeGreaterThanOrEqual(1_000);
    expect(details.batchMs.sampling).toBeGreaterThanOrEqual((batch.timesNs.length * 201_000) / 1e6);
    expect(details.batchMs.sampling).toBeLessThanOrEqual(phases.sampling);
    expect(details.batchMs.warmup).toBeLessThanOrEqual(phases.warmup);
    expect(details.batchMs.sizing).toBeLessThanOrEqual(phases.sizing);
    expect(details.batchMs.warmup).toBeGreaterThan(0);
  });

  it("times the flow phase of a node with a flow, and an async node's batches", async () => {
    const withFlow = phasesOf(await sampler.sample({ target: checkout, minSamples: 10, timeBudgetMs: 3_000 }));
    expect(withFlow.phasesMs.flows).toBeGreaterThan(0);
    const async = await sampler.sample({ target: sleeps, minSamples: 5, timeBudgetMs: 3_000 });
    const details = phasesOf(async);
    expect(details.async).toBe(true);
    // Five awaited calls of at least 2 ms each.
    expect(details.batchMs.sampling).toBeGreaterThanOrEqual(async.timesNs.length * 2);
    expect(details.batchMs.sampling).toBeLessThanOrEqual(details.phasesMs.sampling);
    expect(sum(phaseNames.map((n) => details.phasesMs[n]))).toBeLessThanOrEqual(async.wallTimeMs + 1e-6);
  });
});

describe("withParentPhases", () => {
  const childPhases = (ms: Partial<RunPhases>): RunPhases => ({ spawn: 0, boot: 0, request: 0, load: 0, workload: 0, probe: 0, timer: 0, sizing: 0, warmup: 0, sampling: 0, memory: 0, flows: 0, answer: 0, exit: 0, idle: 0, ...ms });
  const details = (phasesMs: RunPhases, processStart: number, answered: number): RunDetails => ({
    timerResolutionNs: 1, timerOverheadNs: 1, batchSizes: [1], sampleCases: [0], cases: 1, warmupRounds: 1, warmupStable: true, async: false,
    memoryCallsPerSample: [1], memoryBaselineBytes: 0, gcCalls: 1, stoppedBy: "samples",
    phasesMs, batchMs: { sizing: 0, warmup: 0, sampling: 0 }, clockMs: { processStart, answered },
  });

  it.each([
    // forked at 1000; the child's process started at 1004 and answered at 1090; the run ended at 1100.
    { name: "contiguous child phases", child: { boot: 30, request: 1, sampling: 55 }, forked: 1_000, start: 1_004, answered: 1_090, wall: 100, spawn: 4, exit: 10, idle: 0 },
    // The child accounts for 80 of its 86 ms: the 6 left over are idle.
    { name: "a gap in the child's phases", child: { boot: 30, sampling: 50 }, forked: 1_000, start: 1_004, answered: 1_090, wall: 100, spawn: 4, exit: 10, idle: 6 },
    // Clocks that disagree by a hair never give a negative phase.
    { name: "a child clock a hair early", child: { boot: 30 }, forked: 1_000, start: 999.99, answered: 1_030, wall: 30, spawn: 0, exit: 0, idle: 0 },
  ])("$name", ({ child, forked, start, answered, wall, spawn, exit, idle }) => {
    const placed = withParentPhases(details(childPhases(child), start, answered), forked, wall).phasesMs;
    expect(placed.spawn).toBeCloseTo(spawn, 9);
    expect(placed.exit).toBeCloseTo(exit, 9);
    expect(placed.idle).toBeCloseTo(idle, 9);
    expect(placed.boot).toBe(child.boot);
  });

  it("passes through the details of a child that does not time its phases", () => {
    const old = { ...details(childPhases({}), 0, 0) } as Partial<RunDetails>;
    delete old.phasesMs;
    delete old.clockMs;
    expect(withParentPhases(old as RunDetails, 5, 10)).toEqual(old);
  });

  it("adds up to the wall time when the child's phases cover its life", () => {
    const phase = fc.double({ min: 0, max: 1_000, noNaN: true });
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), fc.array(phase, { minLength: 12, maxLength: 12 }), fc.double({ min: 0, max: 50, noNaN: true }), (forked, spawn, parts, exit) => {
        const names = phaseNames.filter((n) => n !== "spawn" && n !== "exit" && n !== "idle");
        const child = childPhases(Object.fromEntries(names.map((n, i) => [n, parts[i]!])));
        const lived = sum(parts);
        const wall = spawn + lived + exit;
        const placed = withParentPhases(details(child, forked + spawn, forked + spawn + lived), forked, wall).phasesMs;
        const total = sum(phaseNames.map((n) => placed[n]));
        expect(phaseNames.every((n) => placed[n] >= 0)).toBe(true);
        expect(Math.abs(total - wall)).toBeLessThan(1e-6 * Math.max(1, forked));
        expect(placed.idle).toBeLessThan(1e-6 * Math.max(1, forked));
      }),
    );
  });
});
