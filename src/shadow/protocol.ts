import type { NodeShape } from "./shape.js";
import type { CaseOrigin, Difference, VerdictKind } from "./types.js";

/**
 * The messages between the oracle (parent) and one oracle child, over IPC,
 * JSON only. The child judges variants one after the other and reports each
 * verdict as soon as it has it, so when a variant kills the process the
 * parent knows which one it was and starts a new child for the rest.
 */

export interface OracleRequest {
  type: "oracle";
  /** Echoed in every answer, so messages user code sends over IPC cannot pass for ours. */
  nonce: string;
  /**
   * Fresh copies of the instrumented build (absolute folders). Each side of a
   * comparison loads the program from a copy no other side has loaded, so it
   * starts from fresh module state. The child stops when it runs out of them.
   */
  sides: string[];
  /** The built module that declares the node, relative to a side's folder. */
  nodeModule: string;
  node: string;
  /** The built workload module relative to a side's folder, its export, and how to name it in messages. */
  workload?: { module: string; exportName: string; display: string };
  /**
   * The user's comparison function (`equivalence: "module#function"`): results
   * are equal when it returns true for (original's, variant's); arguments and
   * receiver after the call are still compared as always.
   */
  compare?: { module: string; exportName: string; display: string };
  /** Inputs generated from the parameter types (origin `generated`). */
  generated?: { shape: NodeShape; count: number; seed: number };
  /**
   * Recorded cases (origin `recorded`, encoded as src/measure/case-encoding.ts says), after the
   * workload's, and `derived` inputs made from each by small changes (origin `generated`, `derivedFrom` it).
   */
  recorded?: { cases: string[]; derived: number; seed: number };
  /** Schemata variant ids to judge, in order. */
  variants: number[];
  /** An awaited call that has not settled after this long counts as a hang. */
  callTimeoutMs: number;
  /** Seed of the `Math.random` each side sees, so sides draw the same numbers. */
  randomSeed: number;
  /** Shrinking a difference stops after this long (ms). */
  shrinkMs: number;
  /** The variants whose first difference is worth shrinking (not canaries: only the verdict matters for them). */
  shrink: number[];
}

/** Sent before each variant runs (0: the original, run twice to check it is deterministic). */
export interface OracleProgress {
  type: "progress";
  nonce: string;
  variant: number;
}

/** Sent once the original has run twice and agreed with itself: the cases every variant will run. */
export interface OracleOriginal {
  type: "original";
  nonce: string;
  cases: Partial<Record<CaseOrigin, number>>;
  /** Why no inputs were generated, when none were. */
  generatedNote?: string;
}

/** A variant's verdict as the child sees it (compile errors and process deaths are the parent's). */
export interface ChildVerdict {
  variant: number;
  kind: Extract<VerdictKind, "equivalent" | "not-equivalent" | "exited" | "timed-out" | "forbidden" | "untestable">;
  reason: string;
  difference?: Difference;
  cases: Partial<Record<CaseOrigin, number>>;
}

export interface OracleVerdictMessage {
  type: "verdict";
  nonce: string;
  verdict: ChildVerdict;
}

/** The last message: variants not judged (out of sides), and problems that make every verdict moot. */
export interface OracleResult {
  type: "result";
  nonce: string;
  remaining: number[];
  /** e.g. the workload failed, the original is not deterministic: no variant can be judged. */
  untestable?: string;
}
