import type { MatchedFile } from "./file-matcher.js";
import { instrumentSource, type InstrumentOutcome } from "./instrument-source.js";
import { RECORDER_GLOBAL } from "./plan.js";

/** A file already instrumented (by a loader earlier in the chain, or the vitest plugin) is left as it is. */
const MARK = `globalThis.${RECORDER_GLOBAL}`;

/**
 * Instruments a loaded file that `FileMatcher.match` found to hold watched
 * nodes (the callers match first, to load this module only when needed);
 * undefined when the file is instrumented already.
 */
export function instrumentFile(matched: MatchedFile, code: string, passArgs: ReadonlySet<number>): InstrumentOutcome | undefined {
  if (code.includes(MARK)) return undefined;
  return instrumentSource(code, { nodes: matched.nodes, typescript: matched.typescript, jsx: matched.jsx, passArgs });
}
