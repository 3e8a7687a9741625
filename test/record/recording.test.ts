import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LogHistogram } from "../../src/record/histogram.js";
import { mergedArgs, mergeRecordings, readRecording, RECORDING_VERSION, RecordingError, writeRecording, type Recording } from "../../src/record/recording.js";

const dir = mkdtempSync(join(tmpdir(), "cdlc-recording-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const histogram = (...values: number[]) => {
  const h = new LogHistogram();
  for (const v of values) h.record(v);
  return h.toJSON();
};

function recording(o: Partial<Recording> = {}): Recording {
  return {
    version: RECORDING_VERSION,
    tool: { name: "cdlc", version: "0.1.0" },
    startedAt: "2026-12-02T10:00:00.000Z",
    endedAt: "2026-12-02T10:00:05.000Z",
    command: ["npm", "test"],
    exitCode: 0,
    processes: 1,
    nodes: { "src/a.ts#f": { calls: 3, errors: 1, timeNs: histogram(100, 200, 300) } },
    edges: { "src/a.ts#f -> src/a.ts#g": { calls: 2, volumeBytes: histogram(16, 32), latencyNs: histogram(50, 60) } },
    ...o,
  };
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
    const a = { kept: Array.from({ length: 10 }, (_, i) => [`a${i}`]), seen: 10, notCloneable: 0, overCap: 0 };
    const b = { kept: Array.from({ length: 10 }, (_, i) => [`b${i}`]), seen: 1_000, notCloneable: 2, overCap: 1 };
    const m = mergedArgs(a, b);
    // The common share is 1%: A contributes 0 of 10 calls (0.1, floored), B 10 of 1,000.
    expect(m.kept.filter((k) => String((k as string[])[0]).startsWith("a"))).toHaveLength(0);
    expect(m.kept).toHaveLength(10);
    expect(m).toMatchObject({ seen: 1_010, notCloneable: 2, overCap: 1 });
  });
});
