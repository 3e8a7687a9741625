import type { CaseText } from "./case-preview.js";
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
  /**
   * When timed sampling stops: `samples` at `minSamples` (a quick look), or
   * `budget` when its share of `timeBudgetMs` is spent (at least `minSamples`),
   * keeping a uniform subsample of at most `limits.keptSamples`. Default `samples`.
   */
  until?: "samples" | "budget";
  /** Whether to take memory samples (default true); a run for time bounds only skips them and times instead. */
  memory?: boolean;
  /** The schemata variant to run (1-based, hosted by the build); 0 or absent: the original. */
  variant?: number;
  /** Indices of the workload's cases to run (a split of them); absent: every case. Recorded cases follow the workload's. */
  cases?: number[];
  /** Recorded argument lists (`cdlc record --capture-args`, encoded as case-encoding.ts says), after the workload's cases. */
  recordedCases?: string[];
  /** Show this many of the cases as text in the run's details (`casesShown`), for `optimize --proposer`. */
  previewCases?: number;
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
  /** Samples a run sampling `until: "budget"` keeps at most (a uniform subsample of its timed batches). */
  keptSamples: number;
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
  /** With `previewCases`: how many cases the workload gave, and the first few as text (case-preview.ts). */
  casesShown?: { total: number; shown: CaseText[] };
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
  /** Timed batches of the sampling phase; `timesNs` keeps all of them, or a uniform subsample of `keptSamples`. */
  timedBatches?: number;
  /** Calls made in each phase that calls the node; `calls` and `errors` of the result count all of them. */
  callsByPhase?: { probe: number; sizing: number; warmup: number; sampling: number; memory: number };
  /** Where the run's wall time went, phase by phase (see {@link RunPhases}). */
  phasesMs: RunPhases;
  /**
   * Time inside timed batches (the user's calls, the loop around them and one
   * timer read), ms, per phase that times batches. `sampling` is the time that
   * produced `timesNs`; the sampling phase's wall time also holds `gc()` and
   * the loop between batches.
   */
  batchMs: { sizing: number; warmup: number; sampling: number };
  /**
   * The child's monotonic clock (`process.hrtime`, ms; one clock for every
   * process of the machine) at its process start and when its answer was
   * ready: the parent places `spawn` and `exit` with them.
   */
  clockMs: { processStart: number; answered: number };
}

/**
 * Wall time of each phase of one run, ms. The child's phases are contiguous
 * (each ends where the next begins), from its process start to its answer;
 * the parent adds `spawn`, `exit` and `idle`, so that the phases add up to
 * the run's `wallTimeMs`.
 */
export interface RunPhases {
  /** Parent: from `fork` until the child's process started (its clock's origin). */
  spawn: number;
  /** Node's start-up and loading cdlc's child script, up to its first line. */
  boot: number;
  /** Waiting for the parent's request over IPC. */
  request: number;
  /** Importing the built program: the node's module, then the workload module. */
  load: number;
  /** Calling the workload export for its cases, and preparing the calls. */
  workload: number;
  /** One call per case (is the node async?). */
  probe: number;
  /** Timer resolution and overhead. */
  timer: number;
  /** Doubling each case's batch until it lasts long enough for the timer. */
  sizing: number;
  /** Warm-up rounds (and the `gc()` before them). */
  warmup: number;
  /** Timed sampling rounds, with the `gc()` calls between them. */
  sampling: number;
  memory: number;
  flows: number;
  /** Assembling the answer. */
  answer: number;
  /** Parent: from the answer being ready until the process closed (IPC transfer and exit). */
  exit: number;
  /** Parent: wall time no phase explains (clock rounding, the parent's own event loop). */
  idle: number;
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
