import { readFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";
import { VERSION } from "../version.js";
import type { RecordPlan } from "./plan.js";
import { INSTRUMENT_FORMAT, type PreparedEdits } from "./prepared-edits.js";

/**
 * Where `cdlc record` keeps the edits its runs' processes handed back
 * (prepared-edits.ts), for the next run's plan: `.cdl/cache/record-edits.json`
 * beside the graph cache, by source file relative to the project. Edits of
 * another cdlc version or instrumentation format are dropped, never applied.
 * A cache: unreadable or malformed, it is ignored, and `--no-cache` skips it.
 */

/** The latest texts kept per source file: the TypeScript file and its compiled output, a version or two back. */
const KEPT_PER_SOURCE = 8;

interface EditsCache {
  tool: string;
  format: number;
  bySource: Record<string, PreparedEdits[]>;
}

export function editsCachePath(root: string): string {
  return join(root, ".cdl", "cache", "record-edits.json");
}

/** The kept edits for the plan's source files, by absolute path, as the plan carries them (undefined: none). */
export function readEditsCache(root: string, plan: Pick<RecordPlan, "nodes">): Record<string, PreparedEdits[]> | undefined {
  const cache = read(root);
  const out: Record<string, PreparedEdits[]> = {};
  for (const file of new Set(plan.nodes.map((n) => n.file))) {
    const kept = cache.bySource[relative(root, file)];
    if (kept !== undefined && kept.length > 0) out[file] = kept;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Adds a run's fresh edits, newest first, at most a few per source file (never throws: it is a cache). */
export function keepEdits(root: string, fresh: readonly { source: string; edits: PreparedEdits }[]): void {
  if (fresh.length === 0) return;
  try {
    const cache = read(root);
    for (const { source, edits } of fresh) {
      if (!isAbsolute(source) || !wellFormed(edits)) continue;
      const key = relative(root, source);
      const kept = (cache.bySource[key] ?? []).filter((e) => e.key !== edits.key);
      cache.bySource[key] = [edits, ...kept].slice(0, KEPT_PER_SOURCE);
    }
    writeFileAtomic(editsCachePath(root), `${JSON.stringify(cache)}\n`);
  } catch {
    // The next run parses again.
  }
}

function read(root: string): EditsCache {
  const empty: EditsCache = { tool: VERSION, format: INSTRUMENT_FORMAT, bySource: {} };
  try {
    const cache = JSON.parse(readFileSync(editsCachePath(root), "utf8")) as EditsCache;
    if (cache.tool !== VERSION || cache.format !== INSTRUMENT_FORMAT || typeof cache.bySource !== "object" || cache.bySource === null) return empty;
    for (const [source, list] of Object.entries(cache.bySource)) {
      const valid = Array.isArray(list) ? list.filter(wellFormed) : [];
      if (valid.length > 0 && !isAbsolute(source)) cache.bySource[source] = valid;
      else delete cache.bySource[source];
    }
    return cache;
  } catch {
    return empty;
  }
}

function wellFormed(e: PreparedEdits): boolean {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof e.key === "string" &&
    Array.isArray(e.inserts) &&
    e.inserts.every((i) => Number.isInteger(i?.at) && i.at >= 0 && typeof i.text === "string") &&
    Array.isArray(e.instrumented) &&
    e.instrumented.every((n) => Number.isInteger(n)) &&
    Array.isArray(e.skipped) &&
    e.skipped.every((s) => Number.isInteger(s?.index) && typeof s.reason === "string")
  );
}
