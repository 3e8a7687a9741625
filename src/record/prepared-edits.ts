import { createHash } from "node:crypto";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { writeFileAtomic } from "../util/atomic-write.js";
import type { MatchedFile } from "./file-matcher.js";
import type { InstrumentOutcome } from "./instrument-source.js";

/**
 * Instrumenting a file means parsing it, and loading the parser and parsing
 * cold costs a process 50–70 ms (vitest's main process, a tsx run). The
 * edits themselves are a few insertions, the same for the same text: so a
 * process that parsed a file hands its edits back beside its records,
 * `cdlc record` keeps them (edits-cache.ts), and the next run's plan carries
 * them. A process then applies them without the parser, when the text it
 * loaded and the nodes it watches are exactly those they were made for (a
 * digest of both); any other text is parsed as before.
 */

/**
 * The shape of the text instrument-source.ts inserts and of the recorder calls in it. Bump it
 * whenever either changes: edits kept from earlier runs (edits-cache.ts)
 * are applied only when made in the same format (a test pins the inserted
 * text to this number, so a change that forgets the bump fails it).
 */
export const INSTRUMENT_FORMAT = 1;

export interface PreparedEdits {
  /** Digest of the loaded text and of what was asked of it (nodes and their indices, syntax, arguments passed). */
  key: string;
  inserts: { at: number; text: string }[];
  instrumented: number[];
  skipped: { index: number; reason: string }[];
}

/** The instrumenter module, loaded only when a file must be parsed. */
export type Instrumenter = typeof import("./instrument-file.js");

/** Suffix of the files in which processes hand their fresh edits back (not `.json`: those are records). */
export const EDITS_SUFFIX = ".edits";

export function editsKey(matched: MatchedFile, code: string, passArgs: ReadonlySet<number>): string {
  const asked = JSON.stringify([matched.nodes, matched.typescript, matched.jsx, matched.nodes.filter((n) => passArgs.has(n.index)).map((n) => n.index)]);
  return createHash("sha256").update(asked).update("\0").update(code).digest("base64url");
}

/**
 * Instruments a matched file: with prepared edits when the plan has some for
 * exactly this text, else with the parser (`load` is called only then).
 * (`key`: the text's {@link editsKey}, when the caller has it already.)
 * `fresh` holds the edits a parse made, to hand back; undefined when the
 * file is instrumented already.
 */
export function instrumentMatched(
  matched: MatchedFile,
  code: string,
  passArgs: ReadonlySet<number>,
  load: () => Instrumenter,
  key = editsKey(matched, code, passArgs),
): { outcome: InstrumentOutcome; fresh?: PreparedEdits } | undefined {
  const prepared = preparedFor(matched, code, passArgs, key);
  if (prepared !== undefined) return { outcome: { code: applyInserts(code, prepared.inserts), inserts: prepared.inserts, instrumented: prepared.instrumented, skipped: prepared.skipped } };
  const outcome = load().instrumentFile(matched, code, passArgs);
  if (outcome === undefined) return undefined;
  return { outcome, fresh: { key, inserts: outcome.inserts, instrumented: outcome.instrumented, skipped: outcome.skipped } };
}

/** The prepared edits for exactly this text and these nodes, if the plan carries them. */
export function preparedFor(matched: MatchedFile, code: string, passArgs: ReadonlySet<number>, key = editsKey(matched, code, passArgs)): PreparedEdits | undefined {
  return matched.prepared?.find((p) => p.key === key);
}

let handedBack = 0;

/** Writes fresh edits where `cdlc record` collects them with the records (never throws: they only save time). */
export function handBack(outDir: string, source: string, edits: PreparedEdits): void {
  try {
    writeFileAtomic(join(outDir, `edits-${process.pid}-${threadId}-${handedBack++}${EDITS_SUFFIX}`), JSON.stringify({ source, edits }), 0o600);
  } catch {
    // The next run parses this file again.
  }
}

/** Applies insertions from last to first; at one position, in the order given. */
export function applyInserts(code: string, inserts: readonly { at: number; text: string }[]): string {
  const ordered = inserts.map((x, i) => ({ ...x, i })).sort((a, b) => b.at - a.at || b.i - a.i);
  let out = code;
  for (const x of ordered) out = out.slice(0, x.at) + x.text + out.slice(x.at);
  return out;
}
