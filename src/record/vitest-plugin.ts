import { readFileSync } from "node:fs";
import { FileMatcher } from "./file-matcher.js";
import { PLAN_ENV, RECORDER_GLOBAL, type RecordPlan } from "./plan.js";
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
  let matcher: FileMatcher | null | undefined;
  return {
    name: "cdlc-record",
    // Before TypeScript is stripped: the watched nodes are found by their names in the source.
    enforce: "pre",
    async transform(code, id) {
      matcher ??= loadMatcher();
      const file = id.split("?")[0]!;
      const matched = matcher === null || id.startsWith("\0") ? undefined : matcher.match(file, code);
      if (matched === undefined) return null;
      // Loaded only under `cdlc record`, so a config that keeps the plugin pays nothing otherwise.
      const { instrumentFile } = await import("./instrument-file.js");
      const outcome = instrumentFile(matched, code, matcher!.passArgs);
      if (outcome === undefined) return null;
      // This process has the recorder too (NODE_OPTIONS reaches vitest itself): it keeps the notes.
      (globalThis as Record<string, unknown> & { [RECORDER_GLOBAL]?: RecorderApi })[RECORDER_GLOBAL]?.noteFile(outcome);
      // No line moves (text is only inserted within lines), so the existing source maps still hold.
      return { code: outcome.code, map: null };
    },
  };
}

function loadMatcher(): FileMatcher | null {
  const planPath = process.env[PLAN_ENV];
  if (planPath === undefined || planPath === "") return null;
  try {
    return new FileMatcher(JSON.parse(readFileSync(planPath, "utf8")) as RecordPlan);
  } catch {
    return null;
  }
}
