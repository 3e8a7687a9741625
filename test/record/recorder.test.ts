import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { seeded } from "../helpers/seeded.js";
import { LogHistogram, type HistogramJson } from "../../src/record/histogram.js";
import type { RecordPlan } from "../../src/record/plan.js";
import { createRecorder, type RecorderApi } from "../../src/record/recorder.js";
import { readRecording, type Recording } from "../../src/record/recording.js";
import { volumeOf } from "../../src/record/volume.js";

/**
 * The recorder, driven as instrumented code drives it (`e` on entry, `x` on
 * a throw, `l` on leaving), with an injected clock and random source so
 * that every count is exact or within a stated binomial tolerance.
 */

const root = mkdtempSync(join(tmpdir(), "cdlc-recorder-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `run-${dirs++}`);

const ID = ["src/a.ts#caller", "src/a.ts#callee", "src/b.ts#other"] as const;

function planOf(edges: { from: number; to: number }[] = [], extra: Partial<RecordPlan> = {}): RecordPlan {
  return { version: 1, nodes: ID.map((id) => ({ id, file: `/project/${id.split("#")[0]}`, qualifiedName: id.split("#")[1]! })), edges, outDir: freshDir(), ...extra };
}


/** A recorder on a fake clock: `run` makes one call of a node last `ns`, and its timing read `ns + clockNs` (the clock's own cost). */
function harness(plan: RecordPlan, clockNs: number, seed = 1) {
  let ms = 1_000;
  const recorder = createRecorder(plan, { now: () => ms, random: seeded(seed), clockNs });
  const tokens: unknown[] = [];
  const enter = (node: number, args?: unknown[], receiver?: unknown): unknown => {
    const token = recorder.e(node, args, receiver);
    tokens.push(token);
    return token;
  };
  const leave = (node: number, token: unknown, ns: number, threw = false): void => {
    ms += (ns + clockNs) / 1e6;
    if (threw) recorder.x(node);
    recorder.l(node, token as never);
  };
  const run = (node: number, ns: number, options: { threw?: boolean; args?: unknown[]; inside?: () => void } = {}): void => {
    const token = enter(node, options.args);
    options.inside?.();
    leave(node, token, ns, options.threw);
  };
  /** Calls whose `e` chose to time them (the probe's are all timed). */
  const timedCalls = (): number => tokens.filter((t) => t !== -1).length;
  return { recorder, run, enter, leave, timedCalls };
}

const recordFile = (plan: RecordPlan): string => join(plan.outDir, `${process.pid}-${threadId}.json`);

function flushed(recorder: RecorderApi, plan: RecordPlan): Recording {
  recorder.flush();
  expect(recorder.problems).toEqual([]);
  return readRecording(recordFile(plan));
}

const total = (h: HistogramJson): number => LogHistogram.fromJSON(h).count;

/** The mean of a histogram's values, each read as its bucket's midpoint (within 0.4% of the value). */
function meanOf(h: HistogramJson): number {
  const histogram = LogHistogram.fromJSON(h);
  let sum = 0;
  for (const [index, count] of h.buckets) {
    const [low, high] = histogram.bounds(index);
    sum += ((low + high) / 2) * count;
  }
  return sum / histogram.count;
}

/** |observed − expected| within `z` standard deviations of a Binomial(n, p) count. */
function expectBinomial(observed: number, n: number, p: number, z = 5): void {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(observed - n * p)).toBeLessThanOrEqual(z * sd + 1);
}

describe("recorder: counts", () => {
  it("counts every call and every error exactly, timed or not, and leaves uncalled nodes out", () => {
    const plan = planOf();
    const { recorder, run } = harness(plan, 50);
    for (let i = 0; i < 5_000; i++) run(0, 5, { threw: i % 7 === 0 });
    for (let i = 0; i < 3; i++) run(1, 1_000_000);
    const recording = flushed(recorder, plan);
    expect(recording.nodes[ID[0]]).toMatchObject({ calls: 5_000, errors: 715 });
    expect(recording.nodes[ID[1]]).toMatchObject({ calls: 3, errors: 0 });
    expect(Object.keys(recording.nodes).sort()).toEqual([ID[1], ID[0]]);
    expect(recording.edges).toEqual({});
    expect(recording.processes).toBe(1);
  });

  it("keeps each time as measured, the clock's own cost included (never shorter than the call was), and says how much that is at most", () => {
    const plan = planOf();
    const { recorder, run } = harness(plan, 50);
    for (let i = 0; i < 10; i++) run(0, 3_000);
    const recording = flushed(recorder, plan);
    const time = LogHistogram.fromJSON(recording.nodes[ID[0]]!.timeNs);
    expect(time.count).toBe(10);
    const median = time.quantile(0.5)!;
    expect(median.range[0]).toBeLessThanOrEqual(3_050);
    expect(median.range[1]).toBeGreaterThan(3_050);
    expect(recording.nodes[ID[0]]!.clockNs).toBe(50);
  });
});

describe("recorder: probe, then a share of calls", () => {
  it("times every call of the probe, and says share 1 while it lasts", () => {
    const plan = planOf();
    const { recorder, run, timedCalls } = harness(plan, 50);
    for (let i = 0; i < 40; i++) run(0, 1);
    const recording = flushed(recorder, plan);
    expect(timedCalls()).toBe(40);
    expect(total(recording.nodes[ID[0]]!.timeNs)).toBe(40);
    expect(recording.nodes[ID[0]]!.timedShare).toBe(1);
    // Snapshots fold the probe into copies: the next one counts the probe once, not twice.
    for (let i = 0; i < 10; i++) run(0, 1);
    expect(total(flushed(recorder, plan).nodes[ID[0]]!.timeNs)).toBe(50);
  });

  // The share: min(1, max(1/64, 0.02 × the warm probe calls' median time as read / (2 × clock + 40))).
  const shareOf = (ns: number, clockNs: number): number => Math.min(1, Math.max(1 / 64, (0.02 * (ns + clockNs)) / (2 * clockNs + 40)));

  it.each([
    // [what, ns per call, clock cost ns]
    ["a slow node keeps share 1", 1_000_000, 50],
    ["a node at the budget's edge", 6_950, 50],
    ["a middling node", 1_000, 50],
    ["a fast node", 100, 50],
    ["a very fast node is still timed 1 call in 64", 10, 50],
    ["a node faster than the clock", 0, 70],
  ])("%s", (_what, ns, clockNs) => {
    const plan = planOf();
    const calls = 20_000;
    const share = shareOf(ns, clockNs);
    const { recorder, run, timedCalls } = harness(plan, clockNs, 7);
    for (let i = 0; i < calls; i++) run(0, ns);
    const node = flushed(recorder, plan).nodes[ID[0]]!;
    expect(node.timedShare).toBeCloseTo(share, 9);
    expect(node.calls).toBe(calls);
    if (share === 1) {
      expect(total(node.timeNs)).toBe(calls);
      expect(timedCalls()).toBe(calls);
    } else {
      // After the probe, each call is timed with chance `share`; the probe's 64 are kept with that chance.
      expectBinomial(timedCalls() - 64, calls - 64, share);
      expectBinomial(total(node.timeNs), calls, share);
    }
  });

  it("does not over-represent the warm-up: the probe, and what was kept before the code got faster, are thinned to the share chosen later", () => {
    const plan = planOf();
    const { recorder, run } = harness(plan, 100, 3);
    // The probe's 64 calls take 2 µs (share 0.02 × 2100 / 240 = 0.175), the later ones 200 ns (share 0.025 once reviewed).
    const durations = Array.from({ length: 30_000 }, (_, i) => (i < 64 ? 2_000 : 200));
    for (const ns of durations) run(0, ns);
    const node = flushed(recorder, plan).nodes[ID[0]]!;
    expect(node.timedShare).toBeCloseTo(shareOf(200, 100), 9);
    expectBinomial(total(node.timeNs), durations.length, node.timedShare!);
    const trueMean = durations.reduce((a, b) => a + b, 0) / durations.length + 100;
    // Keeping the whole probe would add about 160 ns to the kept mean.
    expect(meanOf(node.timeNs)).toBeGreaterThan(trueMean * 0.9);
    expect(meanOf(node.timeNs)).toBeLessThan(trueMean * 1.1);
  });

  it("keeps a uniform sample of all calls whatever the times do over the run (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 200, max: 5_000 }),
        fc.integer({ min: 100, max: 5_000 }),
        fc.integer({ min: 0, max: 1_500 }),
        fc.constantFrom("warm-up", "trend", "steps"),
        (seed, first, later, switchAt, shape) => {
          const plan = planOf();
          const clockNs = 20;
          const { recorder, run } = harness(plan, clockNs, seed);
          const calls = 4_000;
          const duration = (i: number): number =>
            shape === "warm-up" ? (i < switchAt ? first : later) : shape === "trend" ? first + ((later - first) * i) / calls : i % 500 < 250 ? first : later;
          let sum = 0;
          let sumSquares = 0;
          for (let i = 0; i < calls; i++) {
            const ns = duration(i);
            // As read: the clock's cost included.
            sum += ns + clockNs;
            sumSquares += (ns + clockNs) ** 2;
            run(0, ns);
          }
          const node = flushed(recorder, plan).nodes[ID[0]]!;
          const kept = total(node.timeNs);
          const mean = sum / calls;
          const sd = Math.sqrt(Math.max(0, sumSquares / calls - mean * mean));
          expectBinomial(kept, calls, node.timedShare ?? 1);
          // The kept mean is within 5 standard errors (and the buckets' 0.4%) of the mean of all the calls.
          expect(Math.abs(meanOf(node.timeNs) - mean)).toBeLessThanOrEqual((5 * sd) / Math.sqrt(kept) + 0.005 * mean);
        },
      ),
      { numRuns: 40 },
    );
  });

  // Once a bug: only `l` drew the next gap, so while a timed call was in flight (recursion, overlapping async calls)
  // every call entered meanwhile was timed: a node recursing 20 deep at share ≈ 0.11 had about 64% of its calls timed.
  it("times recursive (nested) calls at the node's share too", () => {
    const plan = planOf();
    const { recorder, enter, leave } = harness(plan, 50, 11);
    const depth = 20;
    for (let outer = 0; outer < 1_000; outer++) {
      const tokens = Array.from({ length: depth }, () => enter(0));
      for (const token of tokens.reverse()) leave(0, token, 10);
    }
    const node = flushed(recorder, plan).nodes[ID[0]]!;
    expect(node.timedShare).toBeLessThan(1);
    expectBinomial(total(node.timeNs), 20_000, node.timedShare!);
  });
});

describe("recorder: flow edges", () => {
  const edge = `${ID[0]} -> ${ID[1]}`;

  it("counts a callee's calls only while the caller runs, and per outermost caller call", () => {
    const plan = planOf([{ from: 0, to: 1 }]);
    const { recorder, run } = harness(plan, 50);
    const callee = () => run(1, 1_000_000);
    callee(); // not inside the caller
    run(0, 10, { inside: () => (callee(), callee()) }); // 2
    run(0, 10); // 0
    run(0, 10, { inside: () => (run(0, 10, { inside: callee }), callee()) }); // recursion of the caller: 2, once
    run(2, 10, { inside: callee }); // another node is not the caller
    run(0, 10, { threw: true, inside: callee }); // a caller call that throws still ends: 1
    const recording = flushed(recorder, plan);
    expect(recording.nodes[ID[1]]!.calls).toBe(7);
    expect(recording.nodes[ID[0]]!.calls).toBe(5);
    const e = recording.edges[edge]!;
    expect(e.calls).toBe(5);
    const perCall = LogHistogram.fromJSON(e.callsPerCallerCall!);
    expect(perCall.count).toBe(4); // outermost caller calls only
    expect(e.callsPerCallerCall!.zero).toBe(1);
    expect(perCall.countAtOrBelow(1.5).certain).toBe(2); // the 0 and the 1
    expect(perCall.countAtOrBelow(2).possible).toBe(4);
    expect(perCall.quantile(1)!.range[0]).toBe(2);
    // Latency of the 5 callee calls made from the caller (all timed: a slow callee keeps share 1).
    expect(total(e.latencyNs)).toBe(5);
    expect(e.sampledShare).toBe(1);
    expect(Object.keys(recording.edges)).toEqual([edge]);
  });

  it("counts overlapping (async) calls of the caller as one caller call", () => {
    const plan = planOf([{ from: 0, to: 1 }]);
    const { recorder, run, enter, leave } = harness(plan, 50);
    const first = enter(0);
    const second = enter(0);
    run(1, 100);
    leave(0, first, 100);
    run(1, 100); // the second call still runs
    leave(0, second, 100);
    run(1, 100); // no caller call runs any more
    const e = flushed(recorder, plan).edges[edge]!;
    expect(e.calls).toBe(2);
    expect(LogHistogram.fromJSON(e.callsPerCallerCall!).count).toBe(1);
    expect(LogHistogram.fromJSON(e.callsPerCallerCall!).quantile(1)!.range[0]).toBe(2);
  });

  it("records argument volume (as check --measure sizes it) and latency on timed callee calls", () => {
    const plan = planOf([{ from: 0, to: 1 }]);
    const { recorder, run } = harness(plan, 50);
    const args = [1, "two", { three: [3] }];
    run(0, 10, { inside: () => run(1, 4_000, { args }) });
    run(0, 10, { inside: () => run(1, 4_000) }); // no arguments handed over: latency only
    const e = flushed(recorder, plan).edges[edge]!;
    expect(total(e.latencyNs)).toBe(2);
    expect(total(e.volumeBytes)).toBe(1);
    const bytes = volumeOf(args);
    const volume = LogHistogram.fromJSON(e.volumeBytes).quantile(1)!.range;
    expect(bytes).toBeGreaterThanOrEqual(volume[0]);
    expect(bytes).toBeLessThan(volume[1]);
    const latency = LogHistogram.fromJSON(e.latencyNs).quantile(1)!.range;
    expect(4_050).toBeGreaterThanOrEqual(latency[0]);
    expect(4_050).toBeLessThan(latency[1]);
  });

  it("samples a fast callee's latency at its share, and says so", () => {
    const plan = planOf([{ from: 0, to: 1 }]);
    const { recorder, run } = harness(plan, 50, 5);
    const calls = 20_000;
    run(0, 10, { inside: () => { for (let i = 0; i < calls; i++) run(1, 10); } });
    const recording = flushed(recorder, plan);
    const e = recording.edges[edge]!;
    expect(e.calls).toBe(calls);
    expect(e.sampledShare).toBeCloseTo(1 / 64, 9);
    expect(e.sampledShare).toBe(recording.nodes[ID[1]]!.timedShare);
    expectBinomial(total(e.latencyNs), calls, 1 / 64);
    expect(LogHistogram.fromJSON(e.callsPerCallerCall!).quantile(1)!.range[0]).toBeLessThanOrEqual(calls);
  });
});

describe("recorder: flush", () => {
  it("writes a recording readable by readRecording, readable by its owner only, with the notes of loaded files", () => {
    const plan = planOf();
    const { recorder, run } = harness(plan, 50);
    recorder.noteFile({ instrumented: [1, 0], skipped: [{ index: 2, reason: "a generator" }] });
    run(0, 100);
    const recording = flushed(recorder, plan);
    expect(statSync(recordFile(plan)).mode & 0o777).toBe(0o600);
    expect(recording.tool.name).toBe("cdlc");
    expect(recording.notes).toEqual({ instrumented: [ID[1], ID[0]], skipped: [{ node: ID[2], reason: "a generator" }], problems: [] });
    expect(recording.nodes[ID[0]]!.calls).toBe(1);
  });

  it("writes nothing when nothing changed since the last write", () => {
    const plan = planOf();
    const { recorder, run } = harness(plan, 50);
    recorder.flush();
    expect(existsSync(recordFile(plan))).toBe(false); // a process that never called a watched node leaves no file
    run(0, 100);
    recorder.flush();
    expect(existsSync(recordFile(plan))).toBe(true);
    rmSync(recordFile(plan));
    recorder.flush();
    expect(existsSync(recordFile(plan))).toBe(false);
    run(0, 100);
    recorder.flush();
    expect(readRecording(recordFile(plan)).nodes[ID[0]]!.calls).toBe(2);
    rmSync(recordFile(plan));
    recorder.noteFile({ instrumented: [2], skipped: [] });
    recorder.flush();
    expect(readRecording(recordFile(plan)).notes!.instrumented).toEqual([ID[2]]);
  });

  it("keeps a write's failure in problems, once, and never throws it into the program", () => {
    const blocker = join(root, `blocker-${dirs++}`);
    writeFileSync(blocker, "a file where the folder should be");
    const plan = planOf([], { outDir: join(blocker, "records") });
    const { recorder, run } = harness(plan, 50);
    run(0, 100);
    expect(() => recorder.flush()).not.toThrow();
    expect(() => recorder.flush()).not.toThrow();
    expect(recorder.problems).toHaveLength(1);
    expect(recorder.problems[0]).toMatch(new RegExp(`could not write the records of process ${process.pid}: `));
    // The calls are not lost: they are still counted for a later write.
    run(0, 100);
    expect(recorder.problems).toHaveLength(1);
  });

  it("keeps a sample of argument lists with --capture-args", () => {
    const plan = planOf([], { captureArgs: { maxCount: 3, maxBytes: 1_000 } });
    const { recorder, run } = harness(plan, 50);
    for (let i = 0; i < 10; i++) run(0, 100, { args: [i] });
    run(0, 100, { args: ["x".repeat(2_000)] });
    const args = flushed(recorder, plan).nodes[ID[0]]!.args!;
    expect(args.seen).toBe(11);
    expect(args.kept).toHaveLength(3);
    expect(args.notCloneable).toBe(0);
  });
});
