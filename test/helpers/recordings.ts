/** Recordings made by hand, for the tests of what reads them. */
import { LogHistogram, type HistogramJson } from "../../src/record/histogram.js";
import { RECORDING_VERSION, type Recording } from "../../src/record/recording.js";

/** A histogram of these values. */
export function histogramOf(values: Iterable<number>): HistogramJson {
  const h = new LogHistogram();
  for (const v of values) h.record(v);
  return h.toJSON();
}

/** A recording of `npm test` (exit 0, 2026-12-02 10:00:00 to :05) holding `nodes` and `edges`; other fields as given. */
export function recordingOf(parts: Partial<Recording> = {}): Recording {
  return {
    version: RECORDING_VERSION,
    tool: { name: "cdlc", version: "0.1.0" },
    startedAt: "2026-12-02T10:00:00.000Z",
    endedAt: "2026-12-02T10:00:05.000Z",
    command: ["npm", "test"],
    exitCode: 0,
    processes: 1,
    nodes: {},
    edges: {},
    ...parts,
  };
}
