import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { recordingOf } from "../helpers/recordings.js";
import { seeded } from "../helpers/seeded.js";
import { LogHistogram } from "../../src/record/histogram.js";
import { mergedArgs, mergeRecordings, readRecording, RecordingError, thinned, writeRecording, type Recording } from "../../src/record/recording.js";

const dir = mkdtempSync(join(tmpdir(), "cdlc-recording-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const histogram = (...values: number[]) => {
  const h = new LogHistogram();
  for (const v of values) h.record(v);
  return h.toJSON();
};

function recording(o: Partial<Recording> = {}): Recording {
  return recordingOf({
    processes: 1,
    nodes: { "src/a.ts#f": { calls: 3, errors: 1, timeNs: histogram(100, 200, 300) } },
    edges: { "src/a.ts#f -> src/a.ts#g": { calls: 2, volumeBytes: histogram(16, 32), latencyNs: histogram(50, 60) } },
    ...o,
  });
}

describe("recordings", () => {
  it("round-trip through a file only its owner can read", () => {
    const path = join(dir, "r.json");
    writeRecording(path, recording());
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readRecording(path)).toEqual(recording());
  });

  it.each([
    ["not JSON", "{", /not a cdlc recording \(not JSON\)/],
    ["another tool's file", JSON.stringify({ version: 1, tool: { name: "other" } }), /is not a cdlc recording/],
    ["a newer format", JSON.stringify({ ...recording(), version: 2 }), /format 2; this cdlc reads format 1/],
    ["more errors than calls", JSON.stringify(recording({ nodes: { "src/a.ts#f": { calls: 1, errors: 2, timeNs: histogram(1) } } })), /record of src\/a\.ts#f is not valid/],
  ])("refuse %s with a reason", (_what, text, message) => {
    const path = join(dir, "bad.json");
    writeFileSync(path, text);
    expect(() => readRecording(path)).toThrow(RecordingError);
    expect(() => readRecording(path)).toThrow(message);
  });

  it("merge the records of several processes: counts add, histograms merge, the time span widens", () => {
    const child = recording({
      startedAt: "2026-12-02T09:59:59.000Z",
      nodes: { "src/a.ts#f": { calls: 2, errors: 0, timeNs: histogram(400, 500) }, "src/b.ts#h": { calls: 1, errors: 0, timeNs: histogram(7) } },
      edges: {},
    });
    const merged = mergeRecordings(recording(), child);
    expect(merged.processes).toBe(2);
    expect(merged.startedAt).toBe("2026-12-02T09:59:59.000Z");
    expect(merged.nodes["src/a.ts#f"]).toMatchObject({ calls: 5, errors: 1 });
    expect(LogHistogram.fromJSON(merged.nodes["src/a.ts#f"]!.timeNs).count).toBe(5);
    expect(merged.nodes["src/b.ts#h"]!.calls).toBe(1);
    expect(merged.edges["src/a.ts#f -> src/a.ts#g"]!.calls).toBe(2);
  });

  it("merge argument samples so that every call keeps the same chance of being in the sample", () => {
    // Process A kept all 10 of its calls, process B 10 of its 1,000: B's calls must not be outweighed.
    const a = { kept: Array.from({ length: 10 }, (_, i) => `a${i}`), seen: 10, notCloneable: 0, overCap: 0 };
    const b = { kept: Array.from({ length: 10 }, (_, i) => `b${i}`), seen: 1_000, notCloneable: 2, overCap: 1 };
    const m = mergedArgs(a, b);
    // The common share is 1%: A contributes 0 of 10 calls (0.1, floored), B 10 of 1,000.
    expect(m.kept.filter((k) => k.startsWith("a"))).toHaveLength(0);
    expect(m.kept).toHaveLength(10);
    expect(m).toMatchObject({ seen: 1_010, notCloneable: 2, overCap: 1 });
  });
});


/** `count` values spread over many buckets (and some below 1), as a time histogram of that many calls. */
const spread = (count: number, offset = 0) => histogram(...Array.from({ length: count }, (_, i) => (i % 10 === 0 ? 0.5 : 100 + ((i * 37 + offset) % 5_000))));
const total = (h: Parameters<typeof LogHistogram.fromJSON>[0]) => LogHistogram.fromJSON(h).count;

/** |observed − expected| within `z` standard deviations of a Binomial(n, p) count. */
function expectBinomial(observed: number, n: number, p: number, z = 5): void {
  expect(Math.abs(observed - n * p)).toBeLessThanOrEqual(z * Math.sqrt(n * p * (1 - p)) + 1);
}

describe("recordings sampled at different shares", () => {
  const F = "src/a.ts#f";
  const E = "src/a.ts#f -> src/a.ts#g";
  const one = (calls: number, timed: number, share: number | undefined): Recording =>
    recording({ nodes: { [F]: { calls, errors: 1, timeNs: spread(timed), ...(share !== undefined ? { timedShare: share } : {}) } }, edges: {} });

  it("thin the sample of the larger share to the smaller, whichever side it is on (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 200, max: 3_000 }),
        fc.integer({ min: 200, max: 3_000 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (seed, timedA, timedB, shareA, shareB) => {
          fc.pre(shareA !== shareB);
          const a = one(10_000, timedA, shareA === 1 ? undefined : shareA);
          const b = one(20_000, timedB, shareB === 1 ? undefined : shareB);
          const merged = mergeRecordings(a, b, seeded(seed)).nodes[F]!;
          const [small, kept, thinnedSide, keep] = shareA < shareB ? [shareA, timedA, timedB, shareA / shareB] : [shareB, timedB, timedA, shareB / shareA];
          expect(merged.timedShare).toBe(small);
          // Calls and errors are every call's, never a sample: they add exactly.
          expect(merged).toMatchObject({ calls: 30_000, errors: 2 });
          const n = total(merged.timeNs);
          expect(n).toBeGreaterThanOrEqual(kept);
          expectBinomial(n - kept, thinnedSide, keep);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("keep both samples whole when they were taken at the same share", () => {
    const merged = mergeRecordings(one(100, 40, 0.25), one(300, 70, 0.25), () => 0.999).nodes[F]!;
    expect(merged.timedShare).toBe(0.25);
    expect(total(merged.timeNs)).toBe(110);
    const whole = mergeRecordings(one(100, 100, undefined), one(50, 50, undefined), () => 0.999).nodes[F]!;
    expect(whole.timedShare).toBeUndefined();
    expect(total(whole.timeNs)).toBe(150);
  });

  it("thin a histogram value by value, the values below 1 too, dropping emptied buckets", () => {
    const h = spread(1_000);
    expect(thinned(h, 1, Math.random)).toEqual(h);
    expect(thinned(h, 0, Math.random)).toEqual({ ...h, zero: 0, buckets: [] });
    const half = thinned(h, 0.5, seeded(9));
    expectBinomial(total(half), 1_000, 0.5);
    expectBinomial(half.zero, 100, 0.5);
    for (const [index, count] of half.buckets) {
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThanOrEqual(h.buckets.find(([i]) => i === index)![1]);
    }
  });

  it("thin an edge's volume and latency samples to the smaller share; calls per caller call are never thinned", () => {
    const edge = (calls: number, share: number | undefined, perCaller: number[] | undefined) =>
      recording({
        nodes: {},
        edges: {
          [E]: {
            calls,
            volumeBytes: spread(calls, 1),
            latencyNs: spread(calls, 2),
            ...(share !== undefined ? { sampledShare: share } : {}),
            ...(perCaller !== undefined ? { callsPerCallerCall: histogram(...perCaller) } : {}),
          },
        },
      });
    const merged = mergeRecordings(edge(2_000, undefined, [0, 1, 2, 2]), edge(500, 0.1, [3, 3]), seeded(4)).edges[E]!;
    expect(merged.calls).toBe(2_500);
    expect(merged.sampledShare).toBe(0.1);
    expectBinomial(total(merged.latencyNs) - 500, 2_000, 0.1);
    expectBinomial(total(merged.volumeBytes) - 500, 2_000, 0.1);
    expect(total(merged.callsPerCallerCall!)).toBe(6);
    expect(merged.callsPerCallerCall!.zero).toBe(1);
    expect(LogHistogram.fromJSON(merged.callsPerCallerCall!).quantile(1)!.range[0]).toBe(3);
  });

  it.each([
    ["only the first has calls per caller call", [1, 2], undefined, 2],
    ["only the second has them", undefined, [4, 4, 4], 3],
    ["neither has them", undefined, undefined, undefined],
  ])("merge calls per caller call when %s", (_what, first, second, expected) => {
    const edge = (perCaller: number[] | undefined) =>
      recording({ nodes: {}, edges: { [E]: { calls: 5, volumeBytes: histogram(1), latencyNs: histogram(1), ...(perCaller !== undefined ? { callsPerCallerCall: histogram(...perCaller) } : {}) } } });
    const merged = mergeRecordings(edge(first), edge(second)).edges[E]!;
    expect(merged.callsPerCallerCall === undefined ? undefined : total(merged.callsPerCallerCall)).toBe(expected);
  });
});
