import type { EdgeMeasurement, RunFailure } from "./types.js";

/**
 * The messages exchanged over the IPC channel between the sampler (parent)
 * and one measurement child. JSON only: the parent must be able to read a
 * child's answer even when the child was built by a different bundle.
 */

/** What the parent asks one child to do. */
export interface ChildRequest {
  type: "measure";
  /** Echoed in the answer, so output that user code sends over IPC cannot pass for a result. */
  nonce: string;
  /** Absolute path of the built module that declares the node (imported first, so it registers). */
  nodeModule: string;
  /** The node id, as registered by the instrumented build. */
  node: string;
  /** Absolute path of the built workload module. */
  workloadModule: string;
  workloadExport: string;
  /** The workload module as the user wrote it (project-relative), for messages. */
  workloadDisplay?: string;
  edges: { from: string; to: string }[];
  minSamples: number;
  timeBudgetMs: number;
  /** Caps that keep one run bounded whatever the workload looks like. */
  limits?: Partial<ChildLimits>;
}

/** Tunables of the child's measurement procedure (see `child-measure.ts`). */
export interface ChildLimits {
  /** A timed batch lasts at least this many timer resolutions (and at least `minBatchNs`). */
  batchResolutions: number;
  minBatchNs: number;
  /** Warm-up stops when the coefficient of variation of the last `warmupWindow` rounds is below this. */
  warmupCv: number;
  warmupWindow: number;
  /**
   * Stability only counts after every case made `warmupMinCalls` calls or warm-up
   * ran `warmupMinMs`: times are stable in the interpreter too, before the
   * optimizing compiler has seen enough calls to kick in.
   */
  warmupMinCalls: number;
  warmupMinMs: number;
  /** Share of the time budget warm-up may use at most. */
  warmupShare: number;
  /** Memory samples wanted (at most), and the share of the budget they may use. */
  memorySamples: number;
  memoryShare: number;
  /** Flow passes over the cases (at most), and the share of the budget they may use. */
  flowPasses: number;
  flowShare: number;
  /** Milliseconds of timed work between two controlled `gc()` calls. */
  gcEveryMs: number;
}

/** Facts about one run that help read its samples; not needed by the statistics. */
export interface RunDetails {
  /** Smallest non-zero step of `process.hrtime.bigint()` observed, ns. */
  timerResolutionNs: number;
  /** Median cost of reading the timer twice back to back, ns; subtracted from each batch. */
  timerOverheadNs: number;
  /** Calls per timed batch, per case. */
  batchSizes: number[];
  /** The case each entry of `timesNs` belongs to. */
  sampleCases: number[];
  cases: number;
  warmupRounds: number;
  /** Whether warm-up ended because the batch means settled (false: it hit its cap). */
  warmupStable: boolean;
  /** Whether the node returned promises (each call was awaited). */
  async: boolean;
  /** Calls per memory sample, per case. */
  memoryCallsPerSample: number[];
  /** Heap growth per call of an empty function measured the same way, already subtracted. */
  memoryBaselineBytes: number;
  gcCalls: number;
  /** Why sampling stopped: enough samples, or the time budget. */
  stoppedBy: "samples" | "budget";
}

/** The child's answer; `wallTimeMs` is added by the parent. */
export interface ChildResult {
  type: "result";
  nonce: string;
  timesNs: number[];
  memoryBytes: number[];
  calls: number;
  errors: number;
  batchSize: number;
  edges: EdgeMeasurement[];
  failure?: { kind: RunFailure; message: string };
  details?: RunDetails;
}
