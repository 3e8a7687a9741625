import { caseText } from "./case-preview.js";
import { pathToFileURL } from "node:url";
import { measureFlows } from "./flows.js";
import { callOnce, isThenable, prepareCalls, timeAsyncBatch, timeSyncBatch, type BatchTiming, type PreparedCall } from "./invoke.js";
import { heapGrowthPerCall, measureBias } from "./memory.js";
import type { ChildLimits, ChildRequest, ChildResult, RunDetails, RunPhases } from "./protocol.js";
import { RUNTIME_GLOBAL, type CdlcRuntime } from "./runtime.js";
import { calibrateTimer, now } from "./timer.js";
import type { RunFailure } from "./types.js";
import { Reservoir } from "./reservoir.js";
import { describeError, loadWorkload, WorkloadError } from "./workload.js";
import { decodeCase } from "./case-encoding.js";

/**
 * The measurement procedure of one child run, in phases:
 *
 * 1. load: import the node's built module (it registers the node), then the workload;
 * 2. probe: call each case once, to learn whether the node is async;
 * 3. calibrate: timer resolution and overhead; per case, the smallest batch
 *    (doubling) that lasts at least `batchResolutions` × resolution and `minBatchNs`;
 * 4. warm up: rounds of one batch per case (a batch that got shorter than the
 *    target, as the JIT sped it up, doubles) until every case made
 *    `warmupMinCalls` calls (or `warmupMinMs` passed) and the coefficient of
 *    variation of the last `warmupWindow` round times is below `warmupCv` — or
 *    `warmupShare` of the budget is spent; then re-size the batches from the
 *    warmed-up times;
 * 5. time: rounds of one batch per case; each batch gives one sample
 *    `(elapsed − timer overhead) / batch size`; `gc()` only between rounds;
 *    stops at `minSamples` samples (`until: "samples"`) or when the sampling
 *    share of the budget is spent (`until: "budget"`, keeping a uniform
 *    subsample of at most `keptSamples`), and at the latest there;
 * 6. memory (see memory.ts; skipped when the request says `memory: false`,
 *    and sampling then keeps its share) and 7. flows (see flows.ts), each
 *    within its share of the budget.
 *
 * Every call the node makes in phases 2 to 6 counts in `calls` and `errors`:
 * an error rate needs calls, and untimed calls are calls too.
 *
 * Each phase's wall time is kept (`details.phasesMs`): one clock read where a
 * phase ends, none inside a timed batch, so timing the phases changes no sample.
 */

export const DEFAULT_LIMITS: ChildLimits = {
  batchResolutions: 50,
  minBatchNs: 1_000,
  warmupCv: 0.1,
  warmupWindow: 5,
  warmupMinCalls: 2_000,
  warmupMinMs: 50,
  warmupShare: 0.3,
  memorySamples: 30,
  memoryShare: 0.15,
  flowPasses: 10,
  flowShare: 0.1,
  gcEveryMs: 100,
  keptSamples: 2_000,
};

const MAX_BATCH = 1 << 20;
/** Calls per memory sample aim at this much work, and at most this much retained heap. */
const MEMORY_SAMPLE_NS = 2_000_000;
const MEMORY_SAMPLE_BYTES = 16 * 1024 * 1024;

/** Set by the child's `process.exit` interceptor; checked after every batch. */
export interface ExitWatch {
  attempted: boolean;
  code?: number | string | null | undefined;
}

/** Ends a run early with a failure (the message says what happened, for the report). */
export class RunStop extends Error {
  constructor(
    readonly kind: RunFailure,
    message: string,
  ) {
    super(message);
  }
}

type Measured = Omit<ChildResult, "type" | "nonce">;

/** The monotonic clock in ms; `process.hrtime` is one clock for every process of the machine, so the parent can compare. */
export function clockNowMs(): number {
  return Number(now()) / 1e6;
}

/** When the child started, on {@link clockNowMs}: its process, its script's first line, the request's arrival. */
export interface ChildClock {
  processStart: number;
  scriptStart: number;
  requestReceived: number;
}

/** The child's clock read at its script's first line: the process's start is that reading less `performance.now()`. */
export function childClockAtScriptStart(): Omit<ChildClock, "requestReceived"> {
  const scriptStart = clockNowMs();
  return { processStart: scriptStart - performance.now(), scriptStart };
}

function startedNow(): ChildClock {
  const t = clockNowMs();
  return { processStart: t, scriptStart: t, requestReceived: t };
}

type ChildPhase = Exclude<keyof RunPhases, "spawn" | "exit" | "idle">;

/** Contiguous phases: each lasts from the previous mark to its own, so no time falls between two of them. */
class PhaseMarks {
  readonly ms: Record<ChildPhase, number>;
  private last: number;

  constructor(clock: ChildClock) {
    this.ms = { boot: clock.scriptStart - clock.processStart, request: clock.requestReceived - clock.scriptStart, load: 0, workload: 0, probe: 0, timer: 0, sizing: 0, warmup: 0, sampling: 0, memory: 0, flows: 0, answer: 0 };
    this.last = clock.requestReceived;
  }

  /** Ends `phase` now; returns the reading. */
  mark(phase: ChildPhase): number {
    const t = clockNowMs();
    this.ms[phase] += t - this.last;
    this.last = t;
    return t;
  }
}

/**
 * Runs the whole procedure; failures of user code come back as `failure`, never as a throw.
 * `clock` says when the child started (default: now, as if it had started with the request).
 */
export async function measureInChild(request: ChildRequest, exit: ExitWatch, gc: () => void, clock?: ChildClock): Promise<Measured> {
  const empty: Measured = { timesNs: [], memoryBytes: [], calls: 0, errors: 0, batchSize: 1, edges: [] };
  try {
    return await run(request, exit, gc, clock ?? startedNow());
  } catch (e) {
    if (exit.attempted) return { ...empty, failure: exitedFailure(exit) };
    if (e instanceof RunStop) return { ...empty, failure: { kind: e.kind, message: e.message } };
    throw e;
  }
}

export function exitedFailure(exit: ExitWatch): { kind: RunFailure; message: string } {
  return { kind: "exited", message: `user code called process.exit(${exit.code ?? ""}); the run was stopped and its samples discarded` };
}

async function run(request: ChildRequest, exit: ExitWatch, gc: () => void, clock: ChildClock): Promise<Measured> {
  const limits = { ...DEFAULT_LIMITS, ...request.limits };
  const start = performance.now();
  const marks = new PhaseMarks(clock);
  const budget = Math.max(1, request.timeBudgetMs);
  const stopIfExited = (): void => {
    if (exit.attempted) throw new RunStop("exited", exitedFailure(exit).message);
  };

  const { calls, casesShown } = await load(request, marks);
  stopIfExited();
  const probed = await probe(calls);
  const isAsync = probed.isAsync;
  stopIfExited();
  marks.mark("probe");
  const counted = { calls: calls.length, errors: probed.errors };
  const callsByPhase = { probe: calls.length, sizing: 0, warmup: 0, sampling: 0, memory: 0 };
  const count = (t: BatchTiming, n: number, phase: "sizing" | "warmup" | "sampling"): BatchTiming => {
    counted.calls += n;
    counted.errors += t.errors;
    callsByPhase[phase] += n;
    return t;
  };
  // A sync node's batches stay sync: no microtask between batches in the loops that time it.
  const batch = (c: number, n: number, phase: "sizing" | "warmup" | "sampling"): BatchTiming | Promise<BatchTiming> =>
    isAsync ? timeAsyncBatch(calls[c]!, n).then((t) => count(t, n, phase)) : count(timeSyncBatch(calls[c]!, n), n, phase);

  const timer = calibrateTimer();
  marks.mark("timer");
  const target = Math.max(limits.batchResolutions * timer.resolutionNs, limits.minBatchNs);
  const perCallNs = (t: BatchTiming, n: number): number => Math.max(0, t.ns - timer.overheadNs) / n;
  const sizes: number[] = [];
  let sizingNs = 0;
  for (let c = 0; c < calls.length; c++) {
    let n = 1;
    for (;;) {
      const t = await batch(c, n, "sizing");
      sizingNs += t.ns;
      stopIfExited();
      if (t.ns >= target || n >= MAX_BATCH || performance.now() - start > budget * limits.warmupShare) break;
      n *= 2;
    }
    sizes.push(n);
  }
  marks.mark("sizing");

  gc();
  let gcCalls = 1;
  const warm = await warmUp(calls.length, sizes, target, (c, n) => batch(c, n, "warmup"), perCallNs, limits, start + budget * limits.warmupShare, stopIfExited);
  warm.estimates.forEach((ns, c) => (sizes[c] = Math.min(MAX_BATCH, Math.max(1, Math.ceil(target / Math.max(ns, 0.001))))));
  marks.mark("warmup");

  gc();
  gcCalls++;
  const wantsMemory = request.memory !== false;
  const wantsFlows = request.edges.length > 0;
  const fill = request.until === "budget";
  // Sampling takes what memory and flows do not need.
  const timeEnd = start + budget * (1 - (wantsMemory ? limits.memoryShare : 0) - (wantsFlows ? limits.flowShare : 0));
  const kept = new Reservoir<{ ns: number; c: number }>(fill ? Math.max(request.minSamples, limits.keptSamples) : Number.POSITIVE_INFINITY);
  let lastGc = performance.now();
  let stoppedBy: RunDetails["stoppedBy"] = "samples";
  let samplingNs = 0;
  for (;;) {
    const enough = kept.offered >= request.minSamples;
    if (enough && !fill) break;
    if (kept.offered > 0 && performance.now() > timeEnd) {
      stoppedBy = "budget";
      break;
    }
    for (let c = 0; c < calls.length; c++) {
      const t = await batch(c, sizes[c]!, "sampling");
      samplingNs += t.ns;
      stopIfExited();
      kept.add({ ns: perCallNs(t, sizes[c]!), c });
    }
    // Collect between rounds, never inside a timed batch.
    if (performance.now() - lastGc > limits.gcEveryMs) {
      gc();
      gcCalls++;
      lastGc = performance.now();
    }
  }
  const samples = kept.items();
  const out: Measured = { timesNs: samples.map((s) => s.ns), memoryBytes: [], calls: 0, errors: 0, batchSize: Math.max(...sizes), edges: [] };
  marks.mark("sampling");

  let memoryFacts: { callsPerSample: number[]; bias: number } = { callsPerSample: [], bias: 0 };
  if (wantsMemory) {
    const memory = await sampleMemory(calls, isAsync, out.timesNs, samples.map((s) => s.c), gc, limits, start + budget * (1 - (wantsFlows ? limits.flowShare : 0)), stopIfExited);
    gcCalls += memory.gcCalls;
    out.memoryBytes = memory.samples;
    counted.calls += memory.calls;
    counted.errors += memory.errors;
    callsByPhase.memory = memory.calls;
    memoryFacts = { callsPerSample: memory.callsPerSample, bias: memory.bias };
  }
  marks.mark("memory");
  out.calls = counted.calls;
  out.errors = counted.errors;

  if (wantsFlows) {
    out.edges = await measureFlows(globalRuntime()!, request.edges, calls, { passes: limits.flowPasses, deadline: start + budget, isAsync, stopped: () => exit.attempted });
    stopIfExited();
  }
  marks.mark("flows");

  const details: RunDetails = {
    timerResolutionNs: timer.resolutionNs,
    timerOverheadNs: timer.overheadNs,
    batchSizes: sizes,
    sampleCases: samples.map((s) => s.c),
    cases: calls.length,
    ...(casesShown !== undefined ? { casesShown } : {}),
    warmupRounds: warm.rounds,
    warmupStable: warm.stable,
    async: isAsync,
    memoryCallsPerSample: memoryFacts.callsPerSample,
    memoryBaselineBytes: memoryFacts.bias,
    gcCalls,
    stoppedBy,
    timedBatches: kept.offered,
    callsByPhase,
    phasesMs: { spawn: 0, ...marks.ms, exit: 0, idle: 0 },
    batchMs: { sizing: sizingNs / 1e6, warmup: warm.batchNs / 1e6, sampling: samplingNs / 1e6 },
    clockMs: { processStart: clock.processStart, answered: 0 },
  };
  // The answer is ready: the parent counts what follows (serializing, sending, exiting) as `exit`.
  details.clockMs.answered = marks.mark("answer");
  details.phasesMs.answer = marks.ms.answer;
  return { ...out, details };
}

function globalRuntime(): CdlcRuntime | undefined {
  return (globalThis as Record<string, unknown>)[RUNTIME_GLOBAL] as CdlcRuntime | undefined;
}

/**
 * Imports the node's module (phase `load`), finds the node, loads and prepares
 * the cases (phase `workload`: importing the workload module, which runs its
 * own top-level code, and calling its export).
 */
async function load(request: ChildRequest, marks: PhaseMarks): Promise<{ calls: PreparedCall[]; casesShown?: RunDetails["casesShown"] }> {
  try {
    await import(pathToFileURL(request.nodeModule).href);
  } catch (e) {
    throw new RunStop("build-error", `cannot load the module of ${request.node}: ${describeError(e)}`);
  }
  marks.mark("load");
  const node = globalRuntime()?.nodes.get(request.node);
  if (node === undefined) throw new RunStop("not-found", `${request.node} is not registered in the instrumented build`);
  let cases;
  try {
    cases = await loadWorkload(request.workloadModule, request.workloadExport, request.workloadDisplay);
  } catch (e) {
    if (e instanceof WorkloadError) throw new RunStop("workload-error", e.message);
    throw e;
  }
  if (request.recordedCases !== undefined) {
    try {
      cases = [...cases, ...request.recordedCases.map(decodeCase)];
    } catch (e) {
      throw new RunStop("workload-error", `the recorded cases cannot be read: ${describeError(e)}`);
    }
  }
  // Shown as the workload gave them (the user's code made them, so only this sandboxed child formats them).
  const casesShown = request.previewCases !== undefined && request.previewCases > 0 ? { total: cases.length, shown: cases.slice(0, request.previewCases).map((c) => caseText(c.args)) } : undefined;
  if (request.cases !== undefined) {
    const all = [...cases];
    const bad = request.cases.find((i) => !Number.isInteger(i) || i < 0 || i >= all.length);
    if (bad !== undefined || request.cases.length === 0) throw new RunStop("workload-error", `the run asked for cases ${JSON.stringify(request.cases)} of a workload with ${all.length}`);
    cases = request.cases.map((i) => all[i]!);
  }
  // The schemata switch: every call of the node runs this variant's body.
  if (request.variant !== undefined && request.variant > 0) globalRuntime()!.active.set(request.node, request.variant);
  try {
    return { calls: prepareCalls(node, cases), ...(casesShown !== undefined ? { casesShown } : {}) };
  } catch (e) {
    throw new RunStop("not-found", `${request.node} cannot be called: ${describeError(e)}`);
  } finally {
    marks.mark("workload");
  }
}

/** One call per case: is the node async? Throws and rejections are counted as errors. */
async function probe(calls: PreparedCall[]): Promise<{ isAsync: boolean; errors: number }> {
  let isAsync = false;
  let errors = 0;
  for (const call of calls) {
    try {
      const r = callOnce(call);
      if (isThenable(r)) {
        isAsync = true;
        await r;
      }
    } catch {
      errors++;
    }
  }
  return { isAsync, errors };
}

/** Warm-up rounds; returns per-case per-call estimates from the last rounds. */
async function warmUp(
  cases: number,
  sizes: number[],
  targetNs: number,
  batch: (c: number, n: number) => BatchTiming | Promise<BatchTiming>,
  perCallNs: (t: BatchTiming, n: number) => number,
  limits: ChildLimits,
  deadline: number,
  stopIfExited: () => void,
): Promise<{ estimates: number[]; rounds: number; stable: boolean; batchNs: number }> {
  const history: number[][] = Array.from({ length: cases }, () => []);
  const made = new Array<number>(cases).fill(0);
  const roundTotals: number[] = [];
  const began = performance.now();
  let stable = false;
  let batchNs = 0;
  while (!stable) {
    let total = 0;
    for (let c = 0; c < cases; c++) {
      const n = sizes[c]!;
      const t = await batch(c, n);
      batchNs += t.ns;
      stopIfExited();
      made[c]! += n;
      const ns = perCallNs(t, n);
      history[c]!.push(ns);
      total += ns;
      if (t.ns < targetNs && n < MAX_BATCH) sizes[c] = n * 2;
    }
    roundTotals.push(total);
    const enough = made.every((m) => m >= limits.warmupMinCalls) || performance.now() - began >= limits.warmupMinMs;
    if (enough && roundTotals.length >= limits.warmupWindow) stable = coefficientOfVariation(roundTotals.slice(-limits.warmupWindow)) < limits.warmupCv;
    if (performance.now() > deadline) break;
  }
  const estimates = history.map((h) => median(h.slice(-limits.warmupWindow)));
  return { estimates, rounds: roundTotals.length, stable, batchNs };
}

/** Memory samples round-robin over the cases from case 0, until `memorySamples` or the deadline (at least one). */
async function sampleMemory(
  calls: PreparedCall[],
  isAsync: boolean,
  timesNs: number[],
  sampleCases: number[],
  gc: () => void,
  limits: ChildLimits,
  deadline: number,
  stopIfExited: () => void,
): Promise<{ samples: number[]; callsPerSample: number[]; bias: number; gcCalls: number; calls: number; errors: number }> {
  const bias = measureBias(gc);
  let made = 0;
  let errors = 0;
  const take = async (c: number, n: number): Promise<number> => {
    const sample = await heapGrowthPerCall(calls[c]!, n, isAsync, gc, bias);
    made += n;
    errors += sample.errors;
    return sample.bytesPerCall;
  };
  let gcCalls = 10;
  const callsPerSample = calls.map((call, c) => {
    const times = timesNs.filter((_, i) => sampleCases[i] === c);
    const perCall = Math.max(1, median(times));
    return Math.max(1, Math.min(1_000, Math.floor(MEMORY_SAMPLE_NS / perCall)));
  });
  // Before a case's first sample, a probe of one call bounds N so that the kept results fit in the heap.
  const probed = new Array<boolean>(calls.length).fill(false);
  const samples: number[] = [];
  for (let c = 0; samples.length < limits.memorySamples; c = (c + 1) % calls.length) {
    if (samples.length > 0 && performance.now() > deadline) break;
    if (!probed[c]) {
      const growth = await take(c, 1);
      stopIfExited();
      gcCalls += 2;
      probed[c] = true;
      callsPerSample[c] = Math.max(1, Math.min(callsPerSample[c]!, Math.floor(MEMORY_SAMPLE_BYTES / Math.max(1, growth))));
    }
    samples.push(await take(c, callsPerSample[c]!));
    stopIfExited();
    gcCalls += 2;
  }
  return { samples, callsPerSample, bias, gcCalls, calls: made, errors };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function coefficientOfVariation(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (mean === 0) return 0;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return Math.sqrt(variance) / mean;
}
