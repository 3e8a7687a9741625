/**
 * What `optimize(...)` returns: the command-line contract's `cdlc optimize
 * --format json` shape (`OptimizeResult`, one `NodeOutcome` per node
 * considered). Archive lines are the versions store's `ArchiveEntry`.
 */
import type { CaseOrigin } from "../shadow/types.js";

export type NodeStatus = "improved" | "improved-still-violating" | "no-variant" | "no-equivalent-variant" | "no-faster-variant" | "skipped";

/** A statistic of one metric, with its confidence interval. */
export interface Figure {
  metric: "execution_time";
  /** `p95`, `p99`, `mean`, … as the node's bound names it. */
  statistic: string;
  value: number;
  interval: [number, number];
  unit: "ns";
  /** Which cases the figure comes from: all (the first measurement), or a split of the gate. */
  cases?: "all" | "train" | "validation" | "test";
}

export interface Speedup {
  /** Original time ÷ variant time (median per run, paired runs). */
  estimate: number;
  interval: [number, number];
  /** `test`: cases that played no part in choosing; `not-held-out`: the node had too few cases to hold any out. */
  measuredOn: "test" | "not-held-out";
  /** Paired runs behind the figure, and the two-sided confidence level of `interval`. */
  pairs?: number;
  confidence?: number;
}

export interface AcceptedVariant {
  id: number;
  operators: string[];
  risk: number;
  diff: string;
  /** The variant it was derived from (a chain), or null. */
  parent: number | null;
  /** A proposer's candidate (`--proposer`): the proposer's command, the candidate's name and rationale. */
  proposal?: { proposer: string; name?: string; rationale?: string };
  /** The change as one replacement of the original file's text (lines and columns 1-based; `end` exclusive), for a suggested fix. */
  fix?: { path: string; start: { line: number; column: number }; end: { line: number; column: number }; text: string };
}

export interface NodeOutcome {
  node: string;
  /** The bounds the first measurement found violated, as text (`execution_time p95 <= 1000000 ns`). */
  violated: string[];
  before?: Figure;
  after?: Figure;
  speedup?: Speedup;
  accepted?: AcceptedVariant;
  /** Variants considered (listed by the engine, all verdicts). */
  attempts: number;
  status: NodeStatus;
  /** Why, for every status but `improved`. */
  reason?: string;
  /** Per operator that made no variant, why (status `no-variant`). */
  reasons?: { operator: string; reason: string }[];
  /** A hint for the user (e.g. add workload cases so that some can be held out). */
  hint?: string;
  /** The time bound's limit (ns) the figures are about, for plots. */
  limitNs?: number;
  /** Per-call times behind `before` (all cases) and `after` (test cases), ns: an even thinning to at most 2,000 each, for plots. */
  samples?: { before: number[]; after: number[] };
  /**
   * The cases the speed gate timed, by origin, in each of its sets: workload cases and, with
   * `--recording`, recorded ones, which join the split (inputs derived from recorded ones only
   * ever join the equivalence check).
   */
  cases?: Record<"train" | "validation" | "test", { workload: number; recorded: number }>;
  /** The cases the equivalence oracle ran every variant on, by origin (generated includes inputs derived from recorded ones). */
  checkedOn?: Partial<Record<CaseOrigin, number>>;
}

export interface OptimizeResult {
  /** The version this run created, or null when nothing was accepted (or in `out` mode). */
  version: number | null;
  mode: "staged" | "out" | "applied";
  /** The run's budget and what it took, ms. */
  budget: number;
  elapsedMs: number;
  canaries: { injected: number; caught: number };
  nodes: NodeOutcome[];
  /** Where `--out` wrote the program. */
  outDir?: string;
  /** `--test CMD`: what it did. */
  test?: { command: string; exitCode: number | null; passed: boolean; output: string };
  /** `--proposer CMD`: each proposer's record in this run. */
  proposers?: ProposerRecord[];
}

/** What one proposer did in a run: nodes it was asked about, candidates it gave, and what became of them. */
export interface ProposerRecord {
  command: string;
  asked: number;
  candidates: number;
  accepted: number;
  /** Candidates rejected at any stage: static checks, the oracle, the speed gate. */
  rejected: number;
  /** Requests it did not answer usefully (failed, hung, printed garbage), with why and the end of its standard error. */
  failures: { node: string; round: number; reason: string; stderr?: string }[];
  /** What was dropped from otherwise good answers (too many candidates, one too large). */
  notes: string[];
}
