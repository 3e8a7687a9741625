import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { threadId } from "node:worker_threads";
import { FileMatcher } from "./file-matcher.js";
import type { RecordPlan } from "./plan.js";
import { mayHoldWatchedNode, readPlan } from "./plan-file.js";
import { handBack, instrumentMatched, type Instrumenter } from "./prepared-edits.js";
import { RECORDING_VERSION, writeRecording, type Recording, type RecordingNotes } from "./recording.js";

/**
 * The module-hooks half of the recorder (`dist/record-hooks.mjs`, registered
 * by the preload): instruments ES modules that hold watched nodes as they
 * load, whether Node reads them from disk or a loader such as tsx hands
 * over TypeScript. What it instrumented, and why not, it writes beside the
 * records as a recording with notes and no calls, which merges like any.
 */


let planPath: string | undefined;
/** The plan and its matcher, read when a file that may hold a watched node first loads (null: nothing to instrument). */
let active: Promise<{ plan: RecordPlan; matcher: FileMatcher } | null> | undefined;
let instrumenter: Instrumenter | undefined;
const notes: RecordingNotes = { instrumented: [], skipped: [], problems: [] };

export function initialize(data: { planPath: string }): void {
  planPath = data.planPath;
}

function activate(): Promise<{ plan: RecordPlan; matcher: FileMatcher } | null> {
  active ??= (planPath === undefined ? Promise.resolve(undefined) : readPlan(planPath)).then((plan) => (plan === undefined ? null : { plan, matcher: new FileMatcher(plan) }));
  return active;
}

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}

export async function load(url: string, context: unknown, nextLoad: (url: string, context: unknown) => Promise<LoadResult>): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  if (!url.startsWith("file:") || !mayHoldWatchedNode(url) || result.source === null || result.source === undefined) return result;
  const known = await activate();
  if (known === null) return result;
  const { plan, matcher } = known;
  try {
    const code = typeof result.source === "string" ? result.source : Buffer.from(result.source as Uint8Array).toString("utf8");
    const matched = matcher.match(url, code);
    if (matched === undefined) return result;
    // The parser is loaded only when a watched file has no prepared edits: most processes never pay for it.
    const load = () => (instrumenter ??= createRequire(import.meta.url)(join(dirname(fileURLToPath(import.meta.url)), "record-instrument.cjs")) as Instrumenter);
    const done = instrumentMatched(matched, code, matcher.passArgs, load);
    if (done === undefined) return result;
    const outcome = done.outcome;
    if (done.fresh !== undefined) handBack(plan.outDir, matched.source, done.fresh);
    for (const i of outcome.instrumented) notes.instrumented.push(plan.nodes[i]!.id);
    for (const s of outcome.skipped) notes.skipped.push({ node: plan.nodes[s.index]!.id, reason: s.reason });
    writeNotes(plan);
    return { ...result, source: outcome.code };
  } catch (e) {
    notes.problems.push(`could not instrument ${url}: ${(e as Error).message}`);
    writeNotes(plan);
    return result;
  }
}

function writeNotes(plan: RecordPlan): void {
  const now = new Date().toISOString();
  const recording: Recording = { version: RECORDING_VERSION, tool: { name: "cdlc", version: "" }, startedAt: now, endedAt: now, command: [], exitCode: null, processes: 0, nodes: {}, edges: {}, notes };
  try {
    writeRecording(join(plan.outDir, `hooks-${process.pid}-${threadId}.json`), recording);
  } catch {
    // Notes only: the records themselves are written by the recorder.
  }
}
