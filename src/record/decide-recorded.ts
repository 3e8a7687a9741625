import { resolve } from "node:path";
import { relativeDisplay } from "../cdl/host.js";
import { toJsonDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import type { Binding } from "../graph/bind.js";
import type { LivingGraph } from "../graph/living-graph.js";
import { DEFAULT_ALPHA, decideBounds, type BoundEvidence } from "../measure/decide/decide.js";
import { percentileLevel, type Evidence } from "../measure/decide/evidence.js";
import { boundSpecsForFlow, boundSpecsForNode, type BoundSpec } from "../measure/decide/spec.js";
import { currentEnvironment } from "../measure/environment.js";
import type { BoundResult, MeasureReport, SourcePosition } from "../measure/types.js";
import { formatConfidence, shortNode } from "../report/format.js";
import { VERSION } from "../version.js";
import { recordedQuantileEvidence } from "./evidence.js";
import { LogHistogram, type HistogramJson } from "./histogram.js";
import { largestSizeEvidence, rangeEvidence, recordedErrorRateEvidence, recordedMaxEvidence, recordedMeanEvidence } from "./recorded-evidence.js";
import { RecordingError, type EdgeRecord, type NodeRecord, type Recording } from "./recording.js";

/**
 * `cdlc check --recording`: every bound of a bound program decided on the
 * calls a recording holds instead of on measured runs, by the same rules
 * and the same error control as `--measure` (one look per bound, Holm over
 * all of them at `alpha`). What a recording does not hold — memory, and
 * throughput, which is a statement about a workload — stays unmeasured.
 */

/** A bound decided on recorded calls. `samples` is the number of recorded calls the decision used. */
export interface RecordedBoundResult extends BoundResult {
  origin: "recorded";
}

/** Where the calls came from: the recording's own account of its run. */
export interface RecordingSummary {
  /** The recording file, as given. */
  file: string;
  command: string[];
  exitCode: number | null;
  signal?: string;
  startedAt: string;
  endedAt: string;
  processes: number;
  /** The cdlc version that wrote it. */
  recordedWith: string;
}

/** A {@link MeasureReport} whose bounds were decided on a recording: no runs, so `nodes` and `edges` are empty. */
export interface RecordedReport extends MeasureReport {
  results: RecordedBoundResult[];
  recording: RecordingSummary;
}

/** What the recording's decisions need of a bound program (`checkCdlFileWithProject`'s run). */
export interface RecordedInput {
  graph: LivingGraph;
  binding: Binding;
  diagnostics: readonly Diagnostic[];
}

export interface RecordedOptions {
  /** Working directory: report paths are relative to it. */
  cwd: string;
  /** The recording's path as given, for the report. */
  file: string;
  alpha?: number;
}

/** Separates the two ends of an edge in a recording's keys. */
const EDGE_SEPARATOR = " -> ";

/** The key of an edge in {@link Recording.edges}. */
export function recordedEdgeKey(from: string, to: string): string {
  return `${from}${EDGE_SEPARATOR}${to}`;
}

/**
 * Checks what `readRecording` leaves unchecked: every edge record's counts
 * and histograms, and every node's histogram. A damaged record is a
 * {@link RecordingError}, never a decision on half a record.
 */
export function checkRecordedHistograms(recording: Recording, file: string): void {
  const damaged = (what: string) => new RecordingError(`${file} is damaged: the record of ${what} is not valid`);
  for (const [id, n] of Object.entries(recording.nodes)) if (!validHistogram(n.timeNs)) throw damaged(id);
  for (const [key, e] of Object.entries(recording.edges)) {
    const valid = typeof e === "object" && e !== null && Number.isInteger(e.calls) && e.calls >= 0 && key.includes(EDGE_SEPARATOR) && validHistogram(e.volumeBytes) && validHistogram(e.latencyNs);
    if (!valid) throw damaged(key);
  }
}

function validHistogram(json: HistogramJson | undefined): boolean {
  if (json?.version !== 1 || !Number.isInteger(json.zero) || json.zero < 0 || !Array.isArray(json.buckets)) return false;
  if (!json.buckets.every((b) => Array.isArray(b) && Number.isInteger(b[0]) && Number.isInteger(b[1]) && b[1] >= 0)) return false;
  try {
    LogHistogram.fromJSON(json);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every bound of the program, in the order `--measure` reports them:
 * constraints' bounds, then flows'. Unlike `planMeasurement`, no workload
 * is needed: the recorded calls came from the user's own command.
 */
export function recordedBoundSpecs(input: Pick<RecordedInput, "graph" | "binding">, cwd: string): BoundSpec[] {
  const { graph, binding } = input;
  const display = relativeDisplay(cwd);
  const declarationOf = (id: string): SourcePosition | undefined => {
    const node = graph.nodes.get(id);
    return node === undefined ? undefined : { file: display(resolve(graph.root, node.file)), line: node.line, column: node.column };
  };
  const specs: BoundSpec[] = [];
  for (const bc of binding.constraints) for (const id of bc.nodes) specs.push(...boundSpecsForNode(bc.spec, id, declarationOf(id)));
  for (const bf of binding.flows) for (const from of bf.from) for (const to of bf.to) specs.push(...boundSpecsForFlow(bf.spec, { from, to }, declarationOf(from)));
  return specs;
}

/** A bound's evidence from the recording, or why it has none; `ranged` marks a certain range rather than a confidence interval. */
export interface RecordedEvidence {
  evidence?: Evidence;
  unmeasured?: string;
  ranged?: boolean;
}

const NOT_CALLED = "not called during the recording";

function called(n: NodeRecord | undefined): n is NodeRecord {
  return n !== undefined && n.calls > 0;
}

/** Why a node has no calls in the recording, as far as its notes tell (recordings without notes: not called). */
function absentReason(recording: Recording, id: string): string {
  const notes = recording.notes;
  if (notes === undefined) return NOT_CALLED;
  const skipped = notes.skipped.find((s) => s.node === id);
  if (skipped !== undefined) return `not recorded: ${skipped.reason}`;
  if (notes.instrumented.includes(id)) return NOT_CALLED;
  return `${NOT_CALLED} (its code was never instrumented: its file was not loaded, or the recording did not watch it)`;
}

/**
 * Time statistics (a node's execution time, a flow's latency) from a
 * histogram of ns. Recorded times include the clock's own cost, at most
 * `clockNs`: a time is shown below a limit on the times as recorded (they
 * are never shorter than the call was), and above it only with that cost
 * allowed for (the call may have been that much shorter). A lower bound
 * (`>=`) is never passed on recorded times.
 */
function timeEvidence(spec: BoundSpec, json: HistogramJson, clockNs = 0): Evidence | undefined {
  const h = LogHistogram.fromJSON(json);
  const statistic = spec.percentile ?? "p95";
  const above = (limit: number): Evidence | undefined =>
    statistic === "mean" ? recordedMeanEvidence(h, limit) : statistic === "max" ? recordedMaxEvidence(h, limit, "ns") : recordedQuantileEvidence(h, percentileLevel(statistic) ?? 0.95, limit);
  const asRecorded = above(spec.limit);
  if (asRecorded !== undefined && (spec.op === ">=" || spec.op === ">")) {
    // A lower bound passes only on times shown above it, and recorded times can be longer than the calls were
    // (the clock, and the wrapper's try, which slows loops): such a pass would rest on the recorder's own cost.
    return { ...asRecorded, pAbove: 1, interval: (a, b) => [-Infinity, asRecorded.interval(a, b)[1]], note: `${asRecorded.note ?? ""}${asRecorded.note !== undefined ? "; " : ""}a lower bound is not passed on recorded times: the recorder can make calls look longer than they were (check --measure can pass it)` };
  }
  if (asRecorded === undefined || clockNs <= 0) return asRecorded;
  const allowed = above(spec.limit + clockNs)!;
  return {
    ...asRecorded,
    pAbove: allowed.pAbove,
    interval: (a, b) => {
      const [low, high] = asRecorded.interval(a, b);
      return [low - clockNs, high];
    },
    note: `${asRecorded.note ?? ""}${asRecorded.note !== undefined ? "; " : ""}times include the clock's cost, up to ${Math.round(clockNs)} ns, allowed for before a time is shown above a limit`,
  };
}

function nodeEvidence(spec: BoundSpec, recording: Recording): RecordedEvidence {
  if (spec.metric === "memory_usage") return { unmeasured: "not recorded: run `check --measure` for memory" };
  if (spec.metric === "throughput") return { unmeasured: "not recorded: run `check --measure` for throughput" };
  const n = recording.nodes[spec.node];
  if (!called(n)) return { unmeasured: absentReason(recording, spec.node) };
  if (spec.metric === "error_rate") return { evidence: recordedErrorRateEvidence(n.errors, n.calls, spec.limit) };
  const evidence = timeEvidence(spec, n.timeNs, n.clockNs);
  if (evidence === undefined) return { unmeasured: `none of its ${n.calls} recorded calls was timed` };
  // The recorder may time a random share of the calls: a uniform sample, which the statistics above take as it is.
  if (evidence.samples < n.calls) evidence.note = `${evidence.note ?? ""}${evidence.note !== undefined ? "; " : ""}${evidence.samples} of its ${n.calls} calls timed, a uniform sample`;
  return { evidence };
}

function flowEvidence(spec: BoundSpec, edge: { from: string; to: string }, recording: Recording): RecordedEvidence {
  const caller = recording.nodes[edge.from];
  const e: EdgeRecord | undefined = recording.edges[recordedEdgeKey(edge.from, edge.to)];
  if (e === undefined || e.calls === 0) {
    if (!called(caller)) {
      const why = absentReason(recording, edge.from);
      return { unmeasured: `${shortNode(edge.from)}${why.startsWith(NOT_CALLED) ? " was " : ": "}${why}` };
    }
    return { unmeasured: `${shortNode(edge.to)} was not called from ${shortNode(edge.from)} during the recording` };
  }
  switch (spec.metric) {
    case "calls": {
      const perCallerCall = e.callsPerCallerCall !== undefined ? LogHistogram.fromJSON(e.callsPerCallerCall) : undefined;
      if (perCallerCall !== undefined && perCallerCall.count > 0) return { evidence: mostPerCallerCall(perCallerCall, edge.from, spec.limit), ranged: true };
      // Without a finished caller call (or from an older recorder) only totals are known: the average per call of the caller, and the most one call can have made (all of them).
      if (!called(caller)) return { unmeasured: `the calls of ${shortNode(edge.from)} were not recorded, so calls per call of it are unknown` };
      const perCall = e.calls / caller.calls;
      const note = `calls per call of ${shortNode(edge.from)}: ${e.calls} recorded calls in ${caller.calls} calls of it, ${Number(perCall.toPrecision(4))} on average; the most in one call lies between the average and all ${e.calls}`;
      return { evidence: rangeEvidence(perCall, e.calls, perCall, caller.calls, spec.limit, "calls per call of the caller (recorded totals)", note), ranged: true };
    }
    case "volume": {
      // Sizes of a share of the calls (sampled, or some not measurable) bound the largest from below only.
      const sizes = LogHistogram.fromJSON(e.volumeBytes);
      const everyCall = (e.sampledShare ?? 1) >= 1 && sizes.count >= e.calls;
      const evidence = largestSizeEvidence(sizes, spec.limit, everyCall ? undefined : e.calls);
      return evidence === undefined ? { unmeasured: "no argument size was recorded for its calls" } : { evidence, ranged: true };
    }
    case "latency": {
      const evidence = timeEvidence(spec, e.latencyNs, recording.nodes[edge.to]?.clockNs);
      return evidence === undefined ? { unmeasured: "no latency was recorded for its calls" } : { evidence };
    }
    default:
      return { unmeasured: `a flow's ${spec.metric.replace(/_/g, " ")} is not recorded` };
  }
}

/** The most calls of an edge made in one call of its caller, from the recorded count of every caller call (exact below 128). */
function mostPerCallerCall(h: LogHistogram, from: string, limit: number): Evidence {
  const top = h.quantile(1)!;
  const low = top.range[1] <= 1 ? 0 : Math.ceil(top.range[0]);
  const high = top.range[1] <= 1 ? 0 : Math.max(low, Math.ceil(top.range[1]) - 1);
  const most = low === high ? `${low}` : `between ${low} and ${high}`;
  return rangeEvidence(low, high, top.estimate, h.count, limit, "most calls in one call of the caller (recorded)", `the most calls in one of ${h.count} recorded calls of ${shortNode(from)}: ${most}`);
}

/** The evidence for one bound from a recording. */
export function recordedEvidenceFor(spec: BoundSpec, recording: Recording): RecordedEvidence {
  return spec.edge !== undefined ? flowEvidence(spec, spec.edge, recording) : nodeEvidence(spec, recording);
}

/**
 * Decides bounds on a recording, all together at `alpha` (Holm, one look
 * each): the verdicts and intervals come from the same decision procedure
 * as `--measure`; what changes is the evidence and the wording.
 */
export function decideRecorded(specs: readonly BoundSpec[], recording: Recording, alpha: number = DEFAULT_ALPHA): RecordedBoundResult[] {
  const found = specs.map((spec) => recordedEvidenceFor(spec, recording));
  const items: BoundEvidence[] = specs.map((spec, i) => {
    const f = found[i]!;
    return f.evidence !== undefined ? { spec, looks: [f.evidence], weights: [1] } : { spec, looks: [], weights: [1], unmeasuredReason: f.unmeasured ?? NOT_CALLED };
  });
  return decideBounds(items, alpha).map((r, i): RecordedBoundResult => {
    const f = found[i]!;
    const out: RecordedBoundResult = { ...r, origin: "recorded" };
    // One stretch of calls, not runs: a look count would mean nothing.
    delete out.looks;
    // A certain range (counts, sizes) has no confidence level, as exact quantities under --measure have none.
    if (f.ranged === true) delete out.confidence;
    if (f.evidence !== undefined) {
      const reason = recordedReason(out, f.evidence);
      if (reason !== undefined) out.reason = reason;
      else delete out.reason;
    }
    return out;
  });
}

/** Why a recorded bound is undecided, and the evidence's note (recorded calls, not runs). */
function recordedReason(r: RecordedBoundResult, evidence: Evidence): string | undefined {
  if (r.status !== "inconclusive") return evidence.note;
  const undecided = r.confidence !== undefined ? `the ${formatConfidence(r.confidence)} interval contains the limit after ${r.samples} recorded calls` : "the range the recording allows contains the limit";
  // The percentile evidence's note opens with the count, which the sentence above already gives.
  const note = evidence.note?.replace(/^decided on \d+ recorded calls; /, "");
  return note !== undefined && note !== "" ? `${undecided}; ${note}` : undecided;
}

/** The recording's own account, for the report. */
export function summarizeRecording(recording: Recording, file: string): RecordingSummary {
  const s: RecordingSummary = {
    file,
    command: recording.command,
    exitCode: recording.exitCode,
    startedAt: recording.startedAt,
    endedAt: recording.endedAt,
    processes: recording.processes,
    recordedWith: recording.tool.version,
  };
  if (recording.signal !== undefined) s.signal = recording.signal;
  return s;
}

/** Decides every bound of a bound program on a recording, as a report every format renders. */
export function recordedReport(input: RecordedInput, recording: Recording, options: RecordedOptions): RecordedReport {
  const started = Date.now();
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const results = decideRecorded(recordedBoundSpecs(input, options.cwd), recording, alpha);
  return {
    version: 1,
    tool: { name: "cdlc", version: VERSION },
    command: "check",
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    alpha,
    // Where the bounds were decided; the recording does not say where its calls ran.
    environment: currentEnvironment(),
    diagnostics: input.diagnostics.map(toJsonDiagnostic),
    results,
    nodes: [],
    edges: [],
    recording: summarizeRecording(recording, options.file),
  };
}

/** One line for people: which recording the bounds were decided on. */
export function describeRecordingOrigin(s: RecordingSummary): string {
  const ended = s.signal !== undefined ? `ended by ${s.signal}` : `exit ${s.exitCode ?? "unknown"}`;
  const processes = s.processes === 1 ? "1 process" : `${s.processes} processes`;
  return `recorded: decided on the calls in ${s.file}, recorded from \`${s.command.join(" ")}\` (${s.startedAt} to ${s.endedAt}, ${ended}, ${processes})`;
}
