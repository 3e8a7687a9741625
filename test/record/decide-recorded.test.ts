import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recordingOf } from "../helpers/recordings.js";
import { decideBounds } from "../../src/measure/decide/decide.js";
import { evaluateBound } from "../../src/measure/decide/evidence.js";
import type { BoundSpec } from "../../src/measure/decide/spec.js";
import { checkRecordedHistograms, decideRecorded, describeRecordingOrigin, recordedEdgeKey, summarizeRecording } from "../../src/record/decide-recorded.js";
import { LogHistogram, type HistogramJson } from "../../src/record/histogram.js";
import { histogramBuckets, meanLowerBound, recordedMeanEvidence } from "../../src/record/recorded-evidence.js";
import { RecordingError, type EdgeRecord, type NodeRecord, type Recording } from "../../src/record/recording.js";

const F = "src/a.ts#f";
const G = "src/a.ts#g";

function histogram(values: Iterable<number>): HistogramJson {
  const h = new LogHistogram();
  for (const v of values) h.record(v);
  return h.toJSON();
}

/** `count` values spread evenly over [from, to]. */
function spread(count: number, from: number, to: number): number[] {
  return Array.from({ length: count }, (_, i) => from + ((to - from) * i) / Math.max(1, count - 1));
}

function node(times: number[], errors = 0, calls = times.length): NodeRecord {
  return { calls, errors, timeNs: histogram(times) };
}

function edge(calls: number, volumes: number[], latencies: number[] = []): EdgeRecord {
  return { calls, volumeBytes: histogram(volumes), latencyNs: histogram(latencies) };
}

function recording(nodes: Record<string, NodeRecord>, edges: Record<string, EdgeRecord> = {}): Recording {
  return recordingOf({
    processes: 2,
    nodes,
    edges,
  });
}

type SpecFields = Pick<BoundSpec, "metric" | "op" | "limit" | "unit"> & { percentile?: string; flow?: boolean };

function spec(s: SpecFields): BoundSpec {
  const out: BoundSpec = { node: F, metric: s.metric, op: s.op, limit: s.limit, unit: s.unit, severity: "error", source: { file: "c.cdl", line: 1, column: 1 } };
  if (s.percentile !== undefined) out.percentile = s.percentile;
  if (s.flow === true) out.edge = { from: F, to: G };
  return out;
}

const time = (percentile: string, op: BoundSpec["op"], limit: number): SpecFields => ({ metric: "execution_time", op, limit, unit: "ns", percentile });
const thousandCalls = node(spread(1000, 1_000, 2_000));

describe("decideRecorded: one bound at a time", () => {
  it.each([
    ["p95 well under the limit", time("p95", "<=", 5_000), thousandCalls, "pass"],
    ["p95 well over the limit", time("p95", "<=", 1_200), thousandCalls, "fail"],
    ["p95 near the limit, few calls", time("p95", "<=", 1_900), node(spread(12, 1_000, 2_000)), "inconclusive"],
    ["p99 under the limit", time("p99", "<=", 2_500), thousandCalls, "pass"],
    ["p99 over the limit", time("p99", "<=", 1_500), thousandCalls, "fail"],
    // A lower bound is never passed on recorded times (they can be longer than the calls were).
    ["a minimum p50 that the times as read hold", time("p50", ">=", 500), thousandCalls, "inconclusive"],
    ["a minimum p50 that the times as read break", time("p50", ">=", 5_000), thousandCalls, "fail"],
    ["max over the limit", time("max", "<=", 1_500), thousandCalls, "fail"],
    ["max under the limit: never shown", time("max", "<=", 1e9), thousandCalls, "inconclusive"],
    ["mean far over the limit", time("mean", "<=", 1_000), node(spread(1000, 4_000, 6_000)), "fail"],
    ["mean under the limit: never shown", time("mean", "<=", 1e9), thousandCalls, "inconclusive"],
    ["mean over the limit by less than the bound can see", time("mean", "<=", 1_450), node(spread(20, 1_000, 2_000)), "inconclusive"],
    ["error rate of zero in many calls", { metric: "error_rate", op: "<", limit: 0.01, unit: "ratio" }, node(spread(10_000, 1_000, 2_000)), "pass"],
    ["error rate of one half", { metric: "error_rate", op: "<", limit: 0.01, unit: "ratio" }, node(spread(1000, 1_000, 2_000), 500), "fail"],
    ["error rate of zero in a few calls", { metric: "error_rate", op: "<", limit: 0.01, unit: "ratio" }, node(spread(30, 1_000, 2_000)), "inconclusive"],
  ] as [string, SpecFields, NodeRecord, string][])("%s: %s", (_name, fields, record, status) => {
    const [r] = decideRecorded([spec(fields)], recording({ [F]: record }));
    expect(r).toMatchObject({ status, origin: "recorded", node: F });
    expect(r!.looks).toBeUndefined();
    expect(r!.method).toContain("recorded");
    expect(r!.reason).toContain("recorded calls");
    if (status === "inconclusive") expect(r!.reason).toMatch(/interval contains the limit after \d+ recorded calls/);
  });

  it("counts an error rate's calls as its samples and errors / calls as its measure", () => {
    const [r] = decideRecorded([spec({ metric: "error_rate", op: "<", limit: 0.01, unit: "ratio" })], recording({ [F]: node(spread(1000, 1, 2), 7, 1000) }));
    expect(r).toMatchObject({ samples: 1000, measured: 0.007, status: "inconclusive" });
    expect(r!.interval![0]).toBeLessThan(0.007);
    expect(r!.interval![1]).toBeGreaterThan(0.01);
  });

  it("counts a percentile's recorded calls as its samples, and its interval lies beyond the limit when it fails", () => {
    const [r] = decideRecorded([spec(time("p95", "<=", 1_200))], recording({ [F]: thousandCalls }));
    expect(r!.samples).toBe(1000);
    expect(r!.interval![0]).toBeGreaterThan(1_200);
    // One bound, two directions: each tail holds α / 2.
    expect(r!.confidence).toBeCloseTo(0.99, 12);
  });

  it.each([
    ["memory", { metric: "memory_usage", op: "<=", limit: 2e6, unit: "B" }, { [F]: thousandCalls }, "not recorded: run `check --measure` for memory"],
    ["throughput", { metric: "throughput", op: ">=", limit: 100, unit: "per_s" }, { [F]: thousandCalls }, "not recorded: run `check --measure` for throughput"],
    ["a node not in the recording", time("p95", "<=", 5_000), {}, "not called during the recording"],
    ["a node recorded with no calls", time("p95", "<=", 5_000), { [F]: node([]) }, "not called during the recording"],
    ["an error rate of a node never called", { metric: "error_rate", op: "<", limit: 0.01, unit: "ratio" }, {}, "not called during the recording"],
  ] as [string, SpecFields, Record<string, NodeRecord>, string][])("leaves unmeasured: %s", (_name, fields, nodes, reason) => {
    const [r] = decideRecorded([spec(fields)], recording(nodes));
    expect(r).toMatchObject({ status: "unmeasured", origin: "recorded", reason, measured: null, interval: null, samples: 0 });
  });
});

describe("decideRecorded: flows", () => {
  const calls = (limit: number, op: BoundSpec["op"] = "<="): SpecFields => ({ metric: "calls", op, limit, unit: "count", flow: true });
  const volume = (limit: number): SpecFields => ({ metric: "volume", op: "<=", limit, unit: "B", flow: true });
  const caller = (n: number) => node(spread(n, 1_000, 2_000));

  it.each([
    ["calls: all of them in one call of the caller, within the limit", calls(100), caller(1), edge(40, [21]), "pass", 40, null],
    ["calls: all of them, at the limit exactly", calls(40), caller(1), edge(40, [21]), "pass", 40, null],
    ["calls: more per call on average than the limit", calls(100), caller(100), edge(20_000, [21]), "fail", 200, [200, 20_000]],
    ["calls: fewer on average, but one call may have made them all", calls(100), caller(100), edge(4_000, [21]), "inconclusive", 40, [40, 4_000]],
    ["calls: a minimum the average already reaches", calls(10, ">="), caller(100), edge(4_000, [21]), "pass", 40, [40, 4_000]],
    ["volume: small arguments, known to the byte", volume(64_000), caller(10), edge(3, [21, 21, 20]), "pass", 21, [21, 21]],
    ["volume: a large argument", volume(64_000), caller(10), edge(2, [100_000, 21]), "fail", null, null],
    ["volume: small arguments of some of the calls only", volume(64_000), caller(10), edge(40, [21, 21, 20]), "inconclusive", null, [21, Infinity]],
    ["volume: a large argument among some of the calls", volume(64_000), caller(10), edge(40, [100_000, 21]), "fail", null, null],
    ["volume: small arguments of a sample of the calls", volume(64_000), caller(10), { ...edge(3, [21, 21, 20]), sampledShare: 0.5 }, "inconclusive", null, [21, Infinity]],
  ] as [string, SpecFields, NodeRecord, EdgeRecord, string, number | null, [number, number] | null][])("%s", (_name, fields, callerRecord, edgeRecord, status, measured, interval) => {
    const [r] = decideRecorded([spec(fields)], recording({ [F]: callerRecord }, { [recordedEdgeKey(F, G)]: edgeRecord }));
    expect(r).toMatchObject({ status, origin: "recorded", edge: { from: F, to: G } });
    if (measured !== null) expect(r!.measured).toBe(measured);
    if (interval !== null) expect(r!.interval).toEqual(interval);
    // A certain range or count: no confidence level, as exact quantities have none under --measure.
    expect(r!.confidence).toBeUndefined();
    if (fields.metric === "calls") expect(r!.reason).toContain("per call of f");
  });

  it("bounds latency like a node's time, on the edge's histogram", () => {
    const rec = recording({ [F]: caller(10) }, { [recordedEdgeKey(F, G)]: edge(1000, [8], spread(1000, 100, 200)) });
    const [pass, fail] = decideRecorded([spec({ metric: "latency", op: "<=", limit: 1_000, unit: "ns", percentile: "p95", flow: true }), spec({ metric: "latency", op: "<=", limit: 120, unit: "ns", percentile: "p95", flow: true })], rec);
    expect(pass).toMatchObject({ status: "pass", samples: 1000, origin: "recorded" });
    expect(fail).toMatchObject({ status: "fail", samples: 1000 });
  });

  it.each([
    ["the caller was never called", {}, {}, "f was not called during the recording"],
    ["the callee was never called from the caller", { [F]: caller(10) }, {}, "g was not called from f during the recording"],
    ["the caller's calls are not in the recording", {}, { [recordedEdgeKey(F, G)]: edge(40, [21]) }, "the calls of f were not recorded, so calls per call of it are unknown"],
  ] as [string, Record<string, NodeRecord>, Record<string, EdgeRecord>, string][])("leaves calls unmeasured when %s", (_name, nodes, edges, reason) => {
    const [r] = decideRecorded([spec(calls(100))], recording(nodes, edges));
    expect(r).toMatchObject({ status: "unmeasured", reason, origin: "recorded" });
  });
});

describe("decideRecorded: what the recording's notes tell", () => {
  const notes = { instrumented: [F], skipped: [{ node: G, reason: "its file is not JavaScript the recorder can instrument" }], problems: [] };
  it.each([
    [F, "not called during the recording"],
    [G, "not recorded: its file is not JavaScript the recorder can instrument"],
    ["src/b.ts#h", "not called during the recording (its code was never instrumented: its file was not loaded, or the recording did not watch it)"],
  ])("explains why %s has no calls", (id, reason) => {
    const [r] = decideRecorded([{ ...spec(time("p95", "<=", 5_000)), node: id }], { ...recording({}), notes });
    expect(r).toMatchObject({ status: "unmeasured", reason });
  });

  it("says when only a sample of the calls was timed, and counts the timed ones as samples", () => {
    const [r] = decideRecorded([spec(time("p95", "<=", 5_000))], recording({ [F]: { ...thousandCalls, calls: 10_000, timedShare: 0.1 } }));
    expect(r).toMatchObject({ status: "pass", samples: 1000 });
    expect(r!.reason).toContain("1000 of its 10000 calls timed, a uniform sample");
  });

  it("leaves a node unmeasured whose calls were none of them timed", () => {
    const [r] = decideRecorded([spec(time("p95", "<=", 5_000))], recording({ [F]: { ...node([]), calls: 3 } }));
    expect(r).toMatchObject({ status: "unmeasured", reason: "none of its 3 recorded calls was timed" });
  });
});

describe("decideRecorded: the run's error control", () => {
  it("decides all bounds together, as --measure does: each gets a share of α, so its interval widens", () => {
    const specs = [spec(time("p95", "<=", 2_500)), spec(time("p99", "<=", 1_990)), spec({ metric: "error_rate", op: "<", limit: 0.01, unit: "ratio" })];
    const rec = recording({ [F]: node(spread(400, 1_000, 2_000)) });
    const alone = specs.map((s) => decideRecorded([s], rec)[0]!);
    const together = decideRecorded(specs, rec);
    // More bounds, smaller share of α each: intervals at least as wide.
    together.forEach((r, i) => {
      expect(r.interval![0]).toBeLessThanOrEqual(alone[i]!.interval![0]);
      expect(r.interval![1]).toBeGreaterThanOrEqual(alone[i]!.interval![1]);
    });
    expect(together.map((r) => r.status)).toEqual(["pass", "inconclusive", "inconclusive"]);
    // Holm over six directional hypotheses: the first rejected at α / 6, against α / 2 alone.
    expect(alone[0]!.confidence).toBeCloseTo(1 - 0.01, 12);
    expect(together[0]!.confidence).toBeCloseTo(1 - 0.01 / 3, 12);
  });
});

describe("the mean's lower bound", () => {
  const values = fc.array(fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.double({ min: 0, max: 1e7, noNaN: true })), { minLength: 1, maxLength: 300 });

  it("is never above the same bound on the exact values, which is never above their mean", () => {
    fc.assert(
      fc.property(values, fc.double({ min: 0, max: 1, noNaN: true }), (xs, eps) => {
        const h = new LogHistogram();
        for (const x of xs) h.record(x);
        const sorted = [...xs].sort((a, b) => a - b);
        const exact = meanLowerBound(
          sorted.map((v) => ({ low: v, high: v, count: 1 })),
          eps,
        );
        expect(meanLowerBound(histogramBuckets(h), eps)).toBeLessThanOrEqual(exact * (1 + 1e-12) + 1e-9);
        expect(exact).toBeLessThanOrEqual((sorted.reduce((s, v) => s + v, 0) / sorted.length) * (1 + 1e-12) + 1e-9);
      }),
    );
  });

  it("covers the true mean at its level (exponential times, 400 recordings)", () => {
    // A fixed linear congruential generator: the test is the same on every run.
    let state = 12345;
    const uniform = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) + 0.5) / 2 ** 31;
    const trueMean = 10_000;
    let above = 0;
    for (let trial = 0; trial < 400; trial++) {
      const h = new LogHistogram();
      for (let i = 0; i < 200; i++) h.record(-trueMean * Math.log(uniform()));
      const [lower] = recordedMeanEvidence(h, trueMean)!.interval(0.05, 0.05);
      if (lower! > trueMean) above++;
    }
    // At most 5% expected (DKW is conservative); 20 of 400 plus room for chance.
    expect(above).toBeLessThanOrEqual(32);
  });

  it("gives a p-value that agrees with its interval", () => {
    const h = LogHistogram.fromJSON(histogram(spread(500, 4_000, 6_000)));
    const ev = recordedMeanEvidence(h, 3_000)!;
    expect(ev.pAbove).toBeLessThan(0.01);
    expect(ev.interval(ev.pAbove * 1.01, 0.5)[0]).toBeGreaterThan(3_000);
    expect(ev.interval(ev.pAbove * 0.99, 0.5)[0]).toBeLessThanOrEqual(3_000 + 1e-6);
    expect(ev.pBelow).toBe(1);
  });
});

describe("recorded verdicts are never more decisive than the exact values'", () => {
  const values = fc.array(fc.oneof(fc.integer({ min: 1, max: 3_000 }), fc.double({ min: 1, max: 1e7, noNaN: true })), { minLength: 5, maxLength: 300 });

  it("for percentiles and maxima, either way", () => {
    fc.assert(
      fc.property(values, fc.constantFrom("p50", "p95", "p99", "max"), fc.constantFrom<BoundSpec["op"]>("<=", ">="), fc.double({ min: 1, max: 1e7, noNaN: true }), (xs, percentile, op, limit) => {
        const s = spec(time(percentile, op, limit));
        const [recorded] = decideRecorded([s], recording({ [F]: node(xs) }));
        const exactEvidence = evaluateBound(s, [{ timesNs: xs, memoryBytes: [], calls: xs.length, errors: 0, batchSize: 1, edges: [] }])!;
        const [exact] = decideBounds([{ spec: s, looks: [exactEvidence], weights: [1] }]);
        if (recorded!.status === "pass" || recorded!.status === "fail") expect(exact!.status).toBe(recorded!.status);
      }),
    );
  });
});

describe("recordings for decisions", () => {
  it("refuses an edge or histogram that is damaged, naming it", () => {
    const good = recording({ [F]: thousandCalls }, { [recordedEdgeKey(F, G)]: edge(2, [8, 8], [10, 10]) });
    expect(() => checkRecordedHistograms(good, "r.json")).not.toThrow();
    const badEdge = structuredClone(good);
    (badEdge.edges[recordedEdgeKey(F, G)] as unknown as { latencyNs: unknown }).latencyNs = { version: 2 };
    expect(() => checkRecordedHistograms(badEdge, "r.json")).toThrow(new RecordingError(`r.json is damaged: the record of ${F} -> ${G} is not valid`));
    const badKey = recording({}, { [`${F}=>${G}`]: edge(1, [1], [1]) });
    expect(() => checkRecordedHistograms(badKey, "r.json")).toThrow(RecordingError);
    const badNode = recording({ [F]: { calls: 1, errors: 0, timeNs: { version: 1, bits: 99, zero: 0, buckets: [] } } });
    expect(() => checkRecordedHistograms(badNode, "r.json")).toThrow(`the record of ${F} is not valid`);
  });

  it("describes where the calls came from", () => {
    const s = summarizeRecording(recording({}), "rec.json");
    expect(s).toEqual({ file: "rec.json", command: ["npm", "test"], exitCode: 0, startedAt: "2026-12-02T10:00:00.000Z", endedAt: "2026-12-02T10:00:05.000Z", processes: 2, recordedWith: "0.1.0" });
    expect(describeRecordingOrigin(s)).toBe("recorded: decided on the calls in rec.json, recorded from `npm test` (2026-12-02T10:00:00.000Z to 2026-12-02T10:00:05.000Z, exit 0, 2 processes)");
  });
});

describe("decideRecorded: times include the clock's cost", () => {
  // 1,000 calls read between 1,000 and 1,100 ns; the clock adds at most 300 ns to each.
  const withClock = (): Recording => recording({ [F]: { ...node(spread(1000, 1_000, 1_100)), clockNs: 300 } });

  it.each([
    // A time shown below a limit on the times as read holds: the calls were no longer than that.
    ["p95 ≤ 2 µs passes on the times as read", time("p95", "<=", 2_000), "pass"],
    // Above a limit only with the clock's cost allowed for: read 1.1 µs may have been 0.8 µs.
    ["p95 ≤ 900 ns is not failed: the calls may have been 300 ns shorter", time("p95", "<=", 900), "inconclusive"],
    ["p95 ≤ 500 ns fails even allowing for the clock", time("p95", "<=", 500), "fail"],
    ["max ≤ 900 ns is not failed either", time("max", "<=", 900), "inconclusive"],
    ["mean ≤ 500 ns fails allowing for the clock", time("mean", "<=", 500), "fail"],
    ["p95 ≥ 900 ns is not passed: the calls may have been shorter", time("p95", ">=", 900), "inconclusive"],
    // Nor is any lower bound: recorded times can be longer than the calls were by more than the clock (the wrapper's try).
    ["p95 ≥ 500 ns is not passed either, whatever the margin", time("p95", ">=", 500), "inconclusive"],
    ["p95 ≥ 2 µs fails on the times as read", time("p95", ">=", 2_000), "fail"],
  ])("%s", (_, s, status) => {
    const [r] = decideRecorded([spec(s as SpecFields)], withClock());
    expect(r!.status).toBe(status);
    const low = r!.interval?.[0];
    if (typeof low === "number") expect(low).toBeLessThanOrEqual(1_100 - 300);
  });
});
