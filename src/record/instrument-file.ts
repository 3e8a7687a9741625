import type { FileMatcher } from "./file-matcher.js";
import { instrumentSource } from "./instrument-source.js";
import { RECORDER_GLOBAL } from "./plan.js";

/** What instrumenting one loaded file did, for the recording's notes. */
export interface FileOutcome {
  code: string;
  instrumented: number[];
  skipped: { index: number; reason: string }[];
}

/** A file already instrumented (by a loader earlier in the chain, or the vitest plugin) is left as it is. */
const MARK = `globalThis.${RECORDER_GLOBAL}`;

/** Instruments a loaded file if it holds watched nodes; undefined when it holds none. */
export function instrumentFile(matcher: FileMatcher, file: string, code: string): FileOutcome | undefined {
  const matched = matcher.match(file, code);
  if (matched === undefined || code.includes(MARK)) return undefined;
  return instrumentSource(code, { nodes: matched.nodes, typescript: matched.typescript, jsx: matched.jsx, passArgs: matcher.passArgs });
}
