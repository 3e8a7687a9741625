/**
 * The versions store's data (see the contract's "State in `.cdl/`"): a
 * version is a manifest, a patch and the full text of every file it changed,
 * before and after, so that applying and rolling back need nothing else.
 * Nothing here prints, reads `process` or exits.
 */

/**
 * `staged`: written to `.cdl/`, sources untouched (or half-written by a run
 * that was stopped: see {@link ListedVersion.partial}); `applied`: the
 * sources hold its `after` texts; `rolled-back`: it was applied, then undone.
 */
export type VersionStatus = "staged" | "applied" | "rolled-back";

/** `original`: version 0, the program as cdlc first found it; `rollback`: made by `rollbackTo`. */
export type VersionKind = "original" | "optimize" | "rollback";

/** One changed file: its project-relative path (with `/`) and the sha256 (hex) of its bytes before and after. */
export interface VersionFile {
  path: string;
  before: string;
  after: string;
}

/**
 * `.cdl/versions/<n>/manifest.json`. `nodes` holds what `cdlc optimize`
 * reports per node (the contract's entries); the store keeps them as given.
 */
export interface VersionManifest<Node = unknown> {
  version: number;
  /** The version that was the head (the newest applied) when this one was made; null for version 0. */
  parent: number | null;
  /** ISO date. */
  created: string;
  /** The cdlc version that wrote it. */
  cdlc: string;
  status: VersionStatus;
  kind: VersionKind;
  /** Sorted by path. Version 0's files have `before` equal to `after`. */
  files: VersionFile[];
  nodes: readonly Node[];
  /** Kind `rollback` only: the version whose texts it restores. */
  restores?: number;
}

/** A manifest as `listVersions` reports it, with what the sources hold now. */
export interface ListedVersion<Node = unknown> extends VersionManifest<Node> {
  /**
   * Staged, and some of its files already hold their `after` text: a run of
   * apply (or rollback) was stopped half-way. `applyVersion` finishes it.
   */
  partial: boolean;
  /** Staged versions only: how many of its files hold their `after` text now. */
  filesAtAfter?: number;
}

/** A file a new version changes, with its full texts (bytes are kept exactly; a string is written as UTF-8). */
export interface StagedFile {
  path: string;
  before: string | Uint8Array;
  after: string | Uint8Array;
}

/** What `stageVersion` is given. */
export interface StageRequest<Node = unknown> {
  /** Defaults to the head: the newest applied version (0 when this is the first). */
  parent?: number;
  /** Only `optimize` is staged from outside; rollback versions are made by `rollbackTo`. */
  kind?: "optimize";
  files: readonly StagedFile[];
  nodes: readonly Node[];
}

/** What `applyVersion` did: files written now, and files that already held their `after` text. */
export interface ApplyResult {
  version: number;
  applied: string[];
  alreadyApplied: string[];
}

/** The contract's verdicts for an attempted variant in `.cdl/archive.jsonl`. */
export type ArchiveVerdict =
  | "accepted"
  | "not-equivalent"
  | "not-faster"
  | "too-risky"
  | "crashed"
  | "timed-out"
  | "out-of-memory"
  | "does-not-compile"
  | "canary-caught"
  | "canary-missed";

/** One line of `.cdl/archive.jsonl`: one attempted variant, accepted or not and why. */
export interface ArchiveEntry {
  /** ISO date. */
  time: string;
  /** The optimize run it belongs to. */
  run: string;
  node: string;
  variant: number;
  /** The variant it was derived from, or null. */
  parent: number | null;
  operators: readonly string[];
  risk: number;
  verdict: ArchiveVerdict;
  reason: string;
  /** For `not-equivalent`: the input and both results. */
  firstDifference?: unknown;
  measurements?: unknown;
  /** More fields may be added. */
  [key: string]: unknown;
}

/** Why the store refused: the message says what to do; `code` is for programs. */
export type VersionErrorCode =
  | "not-found"
  | "bad-request"
  | "changed"
  | "not-staged"
  | "unfinished"
  | "out-of-order"
  | "damaged";

/**
 * A refusal: nothing was written (or, for `damaged`, the store cannot be
 * trusted). The CLI reports it as invalid input (exit 2).
 */
export class VersionError extends Error {
  override readonly name = "VersionError";
  constructor(
    readonly code: VersionErrorCode,
    message: string,
  ) {
    super(message);
  }
}
