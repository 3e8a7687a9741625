import { chmodSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../util/atomic-write.js";
import { LogHistogram, type HistogramJson } from "./histogram.js";

/**
 * The file `cdlc record` writes: what the user's own command did to the
 * constrained nodes and flow edges while it ran — calls, errors and a time
 * histogram per node, calls, argument volume and callee latency per edge,
 * and, only with `--capture-args`, a bounded sample of real argument lists.
 * Versioned; written atomically and readable by its owner only, since
 * captured arguments may be users' data.
 */

export const RECORDING_VERSION = 1;

export interface NodeRecord {
  calls: number;
  /** Calls that threw, or returned a promise that rejected. */
  errors: number;
  /** Per-call time, ns. */
  timeNs: HistogramJson;
  /** `--capture-args` only: a uniform sample of argument lists (and receivers), and what could not be kept. */
  args?: { kept: unknown[]; seen: number; notCloneable: number; overCap: number };
}

export interface EdgeRecord {
  calls: number;
  /** Bytes of arguments per call. */
  volumeBytes: HistogramJson;
  /** Callee time per call when called from this caller, ns. */
  latencyNs: HistogramJson;
}

export interface Recording {
  version: typeof RECORDING_VERSION;
  tool: { name: "cdlc"; version: string };
  startedAt: string;
  endedAt: string;
  /** The command as given, and how it ended. */
  command: string[];
  exitCode: number | null;
  signal?: string;
  /** Processes and threads whose records were merged into this one. */
  processes: number;
  nodes: Record<string, NodeRecord>;
  /** Keyed `from -> to`. */
  edges: Record<string, EdgeRecord>;
}

export class RecordingError extends Error {}

/** Adds `other`'s counts and histograms to `into` (records of child processes and workers), and returns `into`. */
export function mergeRecordings(into: Recording, other: Recording): Recording {
  for (const [id, n] of Object.entries(other.nodes)) {
    const mine = into.nodes[id];
    if (mine === undefined) {
      into.nodes[id] = structuredClone(n);
      continue;
    }
    mine.calls += n.calls;
    mine.errors += n.errors;
    mine.timeNs = mergedHistogram(mine.timeNs, n.timeNs);
    if (n.args !== undefined) mine.args = mergedArgs(mine.args, n.args);
  }
  for (const [key, e] of Object.entries(other.edges)) {
    const mine = into.edges[key];
    if (mine === undefined) {
      into.edges[key] = structuredClone(e);
      continue;
    }
    mine.calls += e.calls;
    mine.volumeBytes = mergedHistogram(mine.volumeBytes, e.volumeBytes);
    mine.latencyNs = mergedHistogram(mine.latencyNs, e.latencyNs);
  }
  into.processes += other.processes;
  if (other.startedAt < into.startedAt) into.startedAt = other.startedAt;
  if (other.endedAt > into.endedAt) into.endedAt = other.endedAt;
  return into;
}

/**
 * Two uniform samples of argument lists as one uniform sample of all the
 * calls: each side keeps the same share of the calls it saw (the smaller of
 * the two shares), picked evenly, so no process is over-represented.
 */
export function mergedArgs(a: NodeRecord["args"], b: NonNullable<NodeRecord["args"]>): NonNullable<NodeRecord["args"]> {
  if (a === undefined) return structuredClone(b);
  const share = Math.min(a.seen > 0 ? a.kept.length / a.seen : 1, b.seen > 0 ? b.kept.length / b.seen : 1);
  const pick = (kept: unknown[], seen: number) => {
    const n = Math.min(kept.length, Math.floor(share * seen));
    return Array.from({ length: n }, (_, i) => kept[Math.floor((i * kept.length) / n)]);
  };
  return {
    kept: structuredClone([...pick(a.kept, a.seen), ...pick(b.kept, b.seen)]),
    seen: a.seen + b.seen,
    notCloneable: a.notCloneable + b.notCloneable,
    overCap: a.overCap + b.overCap,
  };
}

function mergedHistogram(a: HistogramJson, b: HistogramJson): HistogramJson {
  const h = LogHistogram.fromJSON(a);
  h.merge(LogHistogram.fromJSON(b));
  return h.toJSON();
}

/** Writes a recording atomically, readable and writable by its owner only. */
export function writeRecording(path: string, recording: Recording): void {
  writeFileAtomic(path, `${JSON.stringify(recording)}\n`);
  chmodSync(path, 0o600);
}

/** Reads and checks a recording; a file that is not one is a {@link RecordingError} saying why. */
export function readRecording(path: string): Recording {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new RecordingError(`cannot read the recording ${path}: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new RecordingError(`${path} is not a cdlc recording (not JSON)`);
  }
  const r = data as Partial<Recording>;
  if (typeof r !== "object" || r === null || r.tool?.name !== "cdlc") throw new RecordingError(`${path} is not a cdlc recording`);
  if (r.version !== RECORDING_VERSION) throw new RecordingError(`${path} is a recording of format ${String(r.version)}; this cdlc reads format ${RECORDING_VERSION}`);
  if (typeof r.nodes !== "object" || r.nodes === null || typeof r.edges !== "object" || r.edges === null) throw new RecordingError(`${path} is damaged: it has no nodes or edges`);
  for (const [id, n] of Object.entries(r.nodes)) {
    if (!(Number.isInteger(n.calls) && Number.isInteger(n.errors) && n.errors <= n.calls && n.timeNs?.version === 1)) throw new RecordingError(`${path} is damaged: the record of ${id} is not valid`);
  }
  return r as Recording;
}
