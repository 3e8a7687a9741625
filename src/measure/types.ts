/**
 * The shape of measurement results, shared by the monitor (src/measure),
 * the reports (src/report) and `--baseline` comparisons. It extends the
 * command-line contract's `results` entries; `MeasureReport` is what
 * `cdlc check --measure --format json` and `cdlc bench --format json` print
 * (together with `diagnostics`).
 */
import type { JsonDiagnostic } from "../diagnostics/index.js";

export type Verdict = "pass" | "fail" | "inconclusive" | "unmeasured";

/** Why a node could not be measured. */
export type RunFailure = "timeout" | "crashed" | "exited" | "out-of-memory" | "workload-error" | "not-found" | "build-error";

export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** One bound of one node, decided. */
export interface BoundResult {
  node: string;
  metric: "execution_time" | "memory_usage" | "error_rate" | "throughput" | "calls" | "volume" | "latency";
  op: "<" | "<=" | ">" | ">=" | "==";
  /** The limit, in `unit`. */
  limit: number;
  unit: "ns" | "B" | "ratio" | "per_s" | "count";
  percentile?: string;
  /** The point estimate, in `unit`; null when unmeasured. */
  measured: number | null;
  /** Confidence interval of `measured` at the run's (corrected) level; null when unmeasured. */
  interval: [number, number] | null;
  status: Verdict;
  /** Number of samples the decision used. */
  samples: number;
  severity: "error" | "warning";
  /** Where the bound was written. */
  source: SourcePosition;
  /** The node's declaration in the program, when known. */
  declaration?: SourcePosition;
  /** For a flow bound, the edge. */
  edge?: { from: string; to: string };
  /** Human explanation for `unmeasured` / `inconclusive`. */
  reason?: string;
  /** Two-sided confidence level of `interval` (each tail holds (1 − confidence) / 2). */
  confidence?: number;
  /** How `measured` and `interval` were computed (e.g. `order-statistic`, `t-run-means`, `wilson`). */
  method?: string;
  /** Multiplicity-adjusted p-value of the verdict's test (Holm over the run, sequential looks included). */
  pValue?: number;
  /** Looks (runs) taken before the decision. */
  looks?: number;
}

/** Everything measured about one node, raw samples included. */
export interface NodeMeasurement {
  node: string;
  declaration?: SourcePosition;
  /** Per-call execution times in nanoseconds, one per sample (batched calls are divided). */
  timesNs: number[];
  /** Per-call heap growth samples in bytes. */
  memoryBytes: number[];
  calls: number;
  errors: number;
  /** Calls per batch used for timing (1 when calls are slower than the timer resolution). */
  batchSize: number;
  failure?: { kind: RunFailure; message: string };
  wallTimeMs: number;
  /**
   * The independent runs (child processes) the pooled arrays came from, in
   * order: run i owns the next `samples` entries of `timesNs` and the next
   * `memorySamples` entries of `memoryBytes`. Absent in reports that did not
   * record runs; statistics then treat the samples as one run.
   */
  runs?: RunSummary[];
  /** Only when the run was asked to show cases (`optimize --proposer`): how many the workload gave, and the first few as text. */
  casesShown?: { total: number; shown: { args: string; truncated: boolean }[] };
}

/** One child-process run of a node. */
export interface RunSummary {
  samples: number;
  memorySamples: number;
  calls: number;
  errors: number;
  batchSize: number;
  wallTimeMs: number;
}

export interface EdgeMeasurement {
  from: string;
  to: string;
  /** Calls from `from` to `to` per workload case. */
  callsPerCase: number[];
  /** Bytes of arguments per call (structured-clone size estimate). */
  volumeBytes: number[];
  /** Callee time per call when called from `from`, in ns. */
  latencyNs: number[];
}

export interface Environment {
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpu: string;
  cores: number;
  loadAverage: number[];
  totalMemoryBytes: number;
}

export interface MeasureReport {
  version: 1;
  tool: { name: "cdlc"; version: string };
  command: "check" | "bench";
  startedAt: string;
  durationMs: number;
  alpha: number;
  environment: Environment;
  diagnostics: JsonDiagnostic[];
  results: BoundResult[];
  nodes: NodeMeasurement[];
  edges: EdgeMeasurement[];
  /** Present for `bench --baseline`. */
  comparisons?: Comparison[];
  /** How the decisions were made (sequential design, budget). */
  settings?: MeasureSettings;
}

export interface MeasureSettings {
  /** Maximum looks (runs) per node. */
  maxLooks: number;
  /** Exponent ρ of the error-spending function α·t^ρ (1 = equal split). */
  spendingRho: number;
  timeBudgetMs: number;
  /** Multiple-testing correction across the bounds of the run. */
  correction: "holm";
}

/** A node compared with a baseline report. */
export interface Comparison {
  node: string;
  metric: "execution_time";
  statistic: string;
  baseline: number;
  current: number;
  /** Relative change current/baseline − 1, with its confidence interval. */
  change: number;
  interval: [number, number];
  verdict: "regression" | "improvement" | "no-change" | "inconclusive";
  method: "interleaved" | "stored-samples";
  /** Two-sided confidence level of `interval`. */
  confidence?: number;
  /** Multiplicity-adjusted p-value of the verdict (Holm over the nodes compared). */
  pValue?: number;
  /** Paired runs (interleaved) or resampled units (stored samples). */
  units?: number;
  /** Human explanation, e.g. why a comparison stayed inconclusive. */
  reason?: string;
}
