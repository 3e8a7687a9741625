/**
 * The equivalence oracle's data, in the order it flows: cases (inputs, each
 * with its origin) → one verdict per variant (equivalent, or why not) →
 * canaries caught → the node's result. Nothing here prints, reads `process`
 * or exits.
 */

/** Where a case came from: the user's workload, generated from the parameter types, or a recording. */
export type CaseOrigin = "workload" | "generated" | "recorded";

/**
 * How a variant fared. Only `equivalent` lets it go on to the speed gate; the
 * others carry the reason.
 * - `not-equivalent`: an observation differed (the first difference, shrunk when it could be);
 * - `crashed`, `timed-out`, `out-of-memory`, `exited`: the variant ended its process or never returned;
 * - `forbidden`: it touched what the permission model blocks (writing files, starting processes or workers);
 * - `does-not-compile`: the changed file does not type-check against the program, or cannot be built;
 * - `untestable`: nothing was run (no cases, or the original itself cannot be compared).
 */
export type VerdictKind = "equivalent" | "not-equivalent" | "crashed" | "timed-out" | "out-of-memory" | "exited" | "forbidden" | "does-not-compile" | "untestable";

/** The first case on which a variant behaved differently from the original. */
export interface Difference {
  /** 0-based index in the sequence of cases run (workload cases, then recorded ones, then generated ones). */
  caseIndex: number;
  origin: CaseOrigin;
  /** The inputs, rendered (`[[NaN]]`): the shrunk ones when `shrunk`. */
  input: string;
  /** What the original did and what the variant did, rendered (`returned [false]`). */
  original: string;
  variant: string;
  /** Where the observations first differ (`result[0]: false vs true`). */
  where: string;
  /** Whether `input` is a shrunk (smaller) input that still differs. */
  shrunk: boolean;
  /** For an input derived from a recorded case: that case's position among the recorded cases (0-based). */
  derivedFrom?: number;
}

export interface Verdict {
  /** The variant's id (its index in the schemata, 1-based). */
  variant: number;
  kind: VerdictKind;
  /** One line for the user: "differs on [[NaN]]: original [false], variant [true]". */
  reason: string;
  difference?: Difference;
  /** Cases run per origin before the verdict. */
  cases: Partial<Record<CaseOrigin, number>>;
}

export type CanaryKind = "flipped-comparison" | "off-by-one" | "dropped-statement" | "swapped-arguments" | "dropped-call";

/** A known-wrong variant and whether the oracle rejected it. */
export interface CanaryOutcome {
  kind: CanaryKind;
  summary: string;
  /** Rejected by the oracle (any verdict but `equivalent`, `does-not-compile` and `untestable`). */
  caught: boolean;
  verdict: Verdict;
}

/** How strong the oracle was on this node, measured by its canaries. */
export interface Strength {
  injected: number;
  caught: number;
  /** Canary kinds the node had no site for. */
  missing: { kind: CanaryKind; reason: string }[];
}
