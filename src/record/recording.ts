import { chmodSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../util/atomic-write.js";
import { LogHistogram, type HistogramJson } from "./histogram.js";
import { binomial } from "./time-histogram.js";
import type { EncodedCase } from "../measure/case-encoding.js";

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
  /**
   * Per-call time, ns, of the timed calls: each call was timed with chance
   * `timedShare` (independently), so these are a uniform sample of all the
   * calls. Times include the clock's own cost, at most about `clockNs`.
   */
  timeNs: HistogramJson;
  /** Absent means 1: every call timed. */
  timedShare?: number;
  clockNs?: number;
  /** `--capture-args` only: a uniform sample of argument lists (and receivers), and what could not be kept. */
  args?: { kept: EncodedCase[]; seen: number; notCloneable: number; overCap: number };
}

export interface EdgeRecord {
  calls: number;
  /** Calls of the edge in each outermost call of the caller (every caller call, not a sample; 0s included). */
  callsPerCallerCall?: HistogramJson;
  /** Bytes of arguments per call. */
  volumeBytes: HistogramJson;
  /** Callee time per call when called from this caller, ns. */
  latencyNs: HistogramJson;
  /** The share of the edge's calls that `volumeBytes` and `latencyNs` sample (the callee's `timedShare`); absent means 1. */
  sampledShare?: number;
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
  /** Watched nodes whose code was instrumented in some process, and why others could not be. */
  notes?: RecordingNotes;
}

export interface RecordingNotes {
  instrumented: string[];
  skipped: { node: string; reason: string }[];
  /** Problems of the recorder (never of the command), e.g. a record file it could not write. */
  problems: string[];
}

export class RecordingError extends Error {}

/**
 * Adds `other`'s counts and histograms to `into` (records of child processes
 * and workers), and returns `into`. Time samples taken at different shares
 * are thinned to the smaller share first, so the merged sample stays uniform
 * over all the calls of every process.
 */
export function mergeRecordings(into: Recording, other: Recording, random: () => number = Math.random): Recording {
  for (const [id, n] of Object.entries(other.nodes)) {
    const mine = into.nodes[id];
    if (mine === undefined) {
      into.nodes[id] = structuredClone(n);
      continue;
    }
    mine.calls += n.calls;
    mine.errors += n.errors;
    const [a, b, share] = atSameShare(mine.timeNs, mine.timedShare, n.timeNs, n.timedShare, random);
    mine.timeNs = mergedHistogram(a, b);
    if (share < 1) mine.timedShare = share;
    if (n.clockNs !== undefined) mine.clockNs = Math.max(mine.clockNs ?? 0, n.clockNs);
    if (n.args !== undefined) mine.args = mergedArgs(mine.args, n.args);
  }
  for (const [key, e] of Object.entries(other.edges)) {
    const mine = into.edges[key];
    if (mine === undefined) {
      into.edges[key] = structuredClone(e);
      continue;
    }
    mine.calls += e.calls;
    if (e.callsPerCallerCall !== undefined) mine.callsPerCallerCall = mine.callsPerCallerCall === undefined ? e.callsPerCallerCall : mergedHistogram(mine.callsPerCallerCall, e.callsPerCallerCall);
    const [va, vb] = atSameShare(mine.volumeBytes, mine.sampledShare, e.volumeBytes, e.sampledShare, random);
    const [la, lb, share] = atSameShare(mine.latencyNs, mine.sampledShare, e.latencyNs, e.sampledShare, random);
    mine.volumeBytes = mergedHistogram(va, vb);
    mine.latencyNs = mergedHistogram(la, lb);
    if (share < 1) mine.sampledShare = share;
  }
  if (other.notes !== undefined) into.notes = mergedNotes(into.notes, other.notes);
  into.processes += other.processes;
  if (other.startedAt < into.startedAt) into.startedAt = other.startedAt;
  if (other.endedAt > into.endedAt) into.endedAt = other.endedAt;
  return into;
}

function mergedNotes(a: RecordingNotes | undefined, b: RecordingNotes): RecordingNotes {
  const instrumented = new Set([...(a?.instrumented ?? []), ...b.instrumented]);
  const skipped = new Map([...(a?.skipped ?? []), ...b.skipped].filter((s) => !instrumented.has(s.node)).map((s) => [s.node, s]));
  return { instrumented: [...instrumented].sort(), skipped: [...skipped.values()], problems: [...new Set([...(a?.problems ?? []), ...b.problems])] };
}

/** Two samples taken at shares `sa`, `sb` (1 when absent), the larger thinned to the smaller, and that share. */
function atSameShare(a: HistogramJson, sa = 1, b: HistogramJson, sb = 1, random: () => number): [HistogramJson, HistogramJson, number] {
  if (sa === sb) return [a, b, sa];
  return sa > sb ? [thinned(a, sb / sa, random), b, sb] : [a, thinned(b, sa / sb, random), sa];
}

/** Keeps each counted value with chance `keep`: a uniform sample at share s becomes one at share s × keep. */
export function thinned(h: HistogramJson, keep: number, random: () => number): HistogramJson {
  return { ...h, zero: binomial(h.zero, keep, random), buckets: h.buckets.map(([i, c]) => [i, binomial(c, keep, random)] as [number, number]).filter(([, c]) => c > 0) };
}

/**
 * Two uniform samples of argument lists as one uniform sample of all the
 * calls: each side keeps the same share of the calls it saw (the smaller of
 * the two shares), picked evenly, so no process is over-represented.
 */
export function mergedArgs(a: NodeRecord["args"], b: NonNullable<NodeRecord["args"]>): NonNullable<NodeRecord["args"]> {
  if (a === undefined) return structuredClone(b);
  const share = Math.min(a.seen > 0 ? a.kept.length / a.seen : 1, b.seen > 0 ? b.kept.length / b.seen : 1);
  const pick = (kept: EncodedCase[], seen: number) => {
    const n = Math.min(kept.length, Math.floor(share * seen));
    return Array.from({ length: n }, (_, i) => kept[Math.floor((i * kept.length) / n)]!);
  };
  return {
    kept: [...pick(a.kept, a.seen), ...pick(b.kept, b.seen)],
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
  writeFileAtomic(path, `${JSON.stringify(recording)}\n`, 0o600);
  // A file replaced by rename keeps the new mode; chmod covers a umask that took bits off.
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
