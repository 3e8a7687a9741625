import { pathToFileURL } from "node:url";
import { measureFlows } from "./flows.js";
import { callOnce, isThenable, prepareCalls, timeAsyncBatch, timeSyncBatch, type BatchTiming, type PreparedCall } from "./invoke.js";
import { heapGrowthPerCall, measureBias } from "./memory.js";
import type { ChildLimits, ChildRequest, ChildResult, RunDetails } from "./protocol.js";
import { RUNTIME_GLOBAL, type CdlcRuntime } from "./runtime.js";
import { calibrateTimer } from "./timer.js";
import type { RunFailure } from "./types.js";
import { describeError, loadWorkload, WorkloadError } from "./workload.js";

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
 *    stops at `minSamples` samples or at 75% of the time budget;
 * 6. memory (see memory.ts) and 7. flows (see flows.ts) with what is left.
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

/** Runs the whole procedure; failures of user code come back as `failure`, never as a throw. */
export async function measureInChild(request: ChildRequest, exit: ExitWatch, gc: () => void): Promise<Measured> {
  const empty: Measured = { timesNs: [], memoryBytes: [], calls: 0, errors: 0, batchSize: 1, edges: [] };
  try {
    return await run(request, exit, gc);
  } catch (e) {
    if (exit.attempted) return { ...empty, failure: exitedFailure(exit) };
    if (e instanceof RunStop) return { ...empty, failure: { kind: e.kind, message: e.message } };
    throw e;
  }
}

export function exitedFailure(exit: ExitWatch): { kind: RunFailure; message: string } {
  return { kind: "exited", message: `user code called process.exit(${exit.code ?? ""}); the run was stopped and its samples discarded` };
}

async function run(request: ChildRequest, exit: ExitWatch, gc: () => void): Promise<Measured> {
  const limits = { ...DEFAULT_LIMITS, ...request.limits };
  const start = performance.now();
  const budget = Math.max(1, request.timeBudgetMs);
  const stopIfExited = (): void => {
    if (exit.attempted) throw new RunStop("exited", exitedFailure(exit).message);
  };

  const calls = await load(request);
  stopIfExited();
  const isAsync = await probe(calls);
  stopIfExited();
  const batch = (c: number, n: number): BatchTiming | Promise<BatchTiming> => (isAsync ? timeAsyncBatch(calls[c]!, n) : timeSyncBatch(calls[c]!, n));

  const timer = calibrateTimer();
  const target = Math.max(limits.batchResolutions * timer.resolutionNs, limits.minBatchNs);
  const perCallNs = (t: BatchTiming, n: number): number => Math.max(0, t.ns - timer.overheadNs) / n;
  const sizes: number[] = [];
  for (let c = 0; c < calls.length; c++) {
    let n = 1;
    for (;;) {
      const t = await batch(c, n);
      stopIfExited();
      if (t.ns >= target || n >= MAX_BATCH || performance.now() - start > budget * limits.warmupShare) break;
      n *= 2;
    }
    sizes.push(n);
  }

  gc();
  let gcCalls = 1;
  const warm = await warmUp(calls.length, sizes, target, batch, perCallNs, limits, start + budget * limits.warmupShare, stopIfExited);
  warm.estimates.forEach((ns, c) => (sizes[c] = Math.min(MAX_BATCH, Math.max(1, Math.ceil(target / Math.max(ns, 0.001))))));

  gc();
  gcCalls++;
  const out: Measured & { sampleCases: number[] } = { timesNs: [], memoryBytes: [], calls: 0, errors: 0, batchSize: Math.max(...sizes), edges: [], sampleCases: [] };
  const timeEnd = start + budget * (1 - limits.memoryShare - limits.flowShare);
  let lastGc = performance.now();
  let stoppedBy: RunDetails["stoppedBy"] = "samples";
  while (out.timesNs.length < request.minSamples) {
    if (out.timesNs.length > 0 && performance.now() > timeEnd) {
      stoppedBy = "budget";
      break;
    }
    for (let c = 0; c < calls.length; c++) {
      const t = await batch(c, sizes[c]!);
      stopIfExited();
      out.timesNs.push(perCallNs(t, sizes[c]!));
      out.sampleCases.push(c);
      out.calls += sizes[c]!;
      out.errors += t.errors;
    }
    // Collect between rounds, never inside a timed batch.
    if (performance.now() - lastGc > limits.gcEveryMs) {
      gc();
      gcCalls++;
      lastGc = performance.now();
    }
  }

  const memory = await sampleMemory(calls, isAsync, out.timesNs, out.sampleCases, gc, limits, start + budget * (1 - limits.flowShare), stopIfExited);
  gcCalls += memory.gcCalls;
  out.memoryBytes = memory.samples;

  if (request.edges.length > 0) {
    out.edges = await measureFlows(globalRuntime()!, request.edges, calls, { passes: limits.flowPasses, deadline: start + budget, isAsync, stopped: () => exit.attempted });
    stopIfExited();
  }

  const details: RunDetails = {
    timerResolutionNs: timer.resolutionNs,
    timerOverheadNs: timer.overheadNs,
    batchSizes: sizes,
    sampleCases: out.sampleCases,
    cases: calls.length,
    warmupRounds: warm.rounds,
    warmupStable: warm.stable,
    async: isAsync,
    memoryCallsPerSample: memory.callsPerSample,
    memoryBaselineBytes: memory.bias,
    gcCalls,
    stoppedBy,
  };
  const { sampleCases: _cases, ...result } = out;
  return { ...result, details };
}

function globalRuntime(): CdlcRuntime | undefined {
  return (globalThis as Record<string, unknown>)[RUNTIME_GLOBAL] as CdlcRuntime | undefined;
}

/** Imports the node's module, finds the node, loads and prepares the cases. */
async function load(request: ChildRequest): Promise<PreparedCall[]> {
  try {
    await import(pathToFileURL(request.nodeModule).href);
  } catch (e) {
    throw new RunStop("build-error", `cannot load the module of ${request.node}: ${describeError(e)}`);
  }
  const node = globalRuntime()?.nodes.get(request.node);
  if (node === undefined) throw new RunStop("not-found", `${request.node} is not registered in the instrumented build`);
  let cases;
  try {
    cases = await loadWorkload(request.workloadModule, request.workloadExport, request.workloadDisplay);
  } catch (e) {
    if (e instanceof WorkloadError) throw new RunStop("workload-error", e.message);
    throw e;
  }
  try {
    return prepareCalls(node, cases);
  } catch (e) {
    throw new RunStop("not-found", `${request.node} cannot be called: ${describeError(e)}`);
  }
}

/** One call per case: is the node async? (A rejection here is fine; it is counted later.) */
async function probe(calls: PreparedCall[]): Promise<boolean> {
  let isAsync = false;
  for (const call of calls) {
    try {
      const r = callOnce(call);
      if (isThenable(r)) {
        isAsync = true;
        await r;
      }
    } catch {
      // Counted in the timing phase.
    }
  }
  return isAsync;
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
): Promise<{ estimates: number[]; rounds: number; stable: boolean }> {
  const history: number[][] = Array.from({ length: cases }, () => []);
  const made = new Array<number>(cases).fill(0);
  const roundTotals: number[] = [];
  const began = performance.now();
  let stable = false;
  while (!stable) {
    let total = 0;
    for (let c = 0; c < cases; c++) {
      const n = sizes[c]!;
      const t = await batch(c, n);
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
  return { estimates, rounds: roundTotals.length, stable };
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
): Promise<{ samples: number[]; callsPerSample: number[]; bias: number; gcCalls: number }> {
  const bias = measureBias(gc);
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
      const growth = await heapGrowthPerCall(calls[c]!, 1, isAsync, gc, bias);
      stopIfExited();
      gcCalls += 2;
      probed[c] = true;
      callsPerSample[c] = Math.max(1, Math.min(callsPerSample[c]!, Math.floor(MEMORY_SAMPLE_BYTES / Math.max(1, growth))));
    }
    samples.push(await heapGrowthPerCall(calls[c]!, callsPerSample[c]!, isAsync, gc, bias));
    stopIfExited();
    gcCalls += 2;
  }
  return { samples, callsPerSample, bias, gcCalls };
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
