import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { FileMatcher } from "./file-matcher.js";
import { PLAN_ENV, RECORDER_GLOBAL } from "./plan.js";
import { mayHoldWatchedNode, readPlan } from "./plan-file.js";
import { editsKey, handBack, instrumentMatched, preparedFor, type Instrumenter } from "./prepared-edits.js";
import type { RecorderApi } from "./recorder.js";

/**
 * The vitest (Vite) plugin of `cdlc record`. Vitest loads test code through
 * its own pipeline, not Node's module hooks, so the recorder cannot see it
 * load; this plugin instruments the watched TypeScript files as Vite
 * transforms them. It does nothing unless the run is under `cdlc record`, so
 * it can stay in the config:
 *
 *   // vitest.config.ts
 *   import { defineConfig } from "vitest/config";
 *   import { cdlcRecord } from "cdlc/vitest";
 *   export default defineConfig({ plugins: [cdlcRecord()], test: { … } });
 *
 * The instrumented code reports to the recorder that `cdlc record` preloads
 * into vitest's worker processes and threads.
 */
export interface CdlcRecordPlugin {
  name: string;
  enforce: "pre";
  transform(code: string, id: string): Promise<{ code: string; map: null } | null>;
}

export function cdlcRecord(): CdlcRecordPlugin {
  const planPath = process.env[PLAN_ENV];
  // Under `cdlc record`, the plan is fetched now, while vitest starts its workers, rather than when the
  // first test file is transformed, and so is the parser unless earlier runs prepared the edits (see
  // prepared-edits.ts); otherwise the plugin costs nothing.
  const recording = planPath !== undefined && planPath !== "";
  const plan = recording ? readPlan(planPath) : Promise.resolve(undefined);
  const matcher = plan.then((p) => (p === undefined ? null : new FileMatcher(p)));
  let instrumenter: Promise<Instrumenter | null> | undefined;
  const parser = () => (instrumenter ??= loadInstrumenter().catch(() => null));
  void plan.then((p) => {
    if (p !== undefined && p.prepared === undefined) void parser();
  });
  return {
    name: "cdlc-record",
    // Before TypeScript is stripped: the watched nodes are found by their names in the source.
    enforce: "pre",
    async transform(code, id) {
      if (!recording || id.startsWith("\0") || !mayHoldWatchedNode(id)) return null;
      const known = await matcher;
      const matched = known?.match(id.split("?")[0]!, code);
      if (known == null || matched === undefined) return null;
      const key = editsKey(matched, code, known.passArgs);
      const needsParser = preparedFor(matched, code, known.passArgs, key) === undefined;
      const loaded = needsParser ? await parser() : null;
      // (A parser that cannot load leaves the code as it is, as an unparsable file does.)
      if (needsParser && loaded === null) return null;
      const done = instrumentMatched(matched, code, known.passArgs, () => loaded!, key);
      if (done === undefined) return null;
      const outcome = done.outcome;
      if (done.fresh !== undefined) handBack(known.outDir, matched.source, done.fresh);
      // This process has the recorder too (NODE_OPTIONS reaches vitest itself): it keeps the notes.
      (globalThis as Record<string, unknown> & { [RECORDER_GLOBAL]?: RecorderApi })[RECORDER_GLOBAL]?.noteFile(outcome);
      // No line moves (text is only inserted within lines), so the existing source maps still hold.
      return { code: outcome.code, map: null };
    },
  };
}


/**
 * The instrumenter: the CommonJS bundle beside the built library when there
 * is one (Node loads the parser three times faster as CommonJS than through
 * `import`, 15 ms against 50, in vitest's main process), else the module.
 */
async function loadInstrumenter(): Promise<Instrumenter> {
  const bundle = fileURLToPath(new URL("../../record-instrument.cjs", import.meta.url));
  if (existsSync(bundle)) return createRequire(import.meta.url)(bundle) as Instrumenter;
  return import("./instrument-file.js");
}
