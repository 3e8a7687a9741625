/**
 * The cdlc library API. Nothing here prints, reads `process` or exits; the
 * CLI (src/cli) is a thin shell over these functions. Heavy stages (the
 * Living Graph with ts-morph, measurement, mutation with Babel) are loaded
 * lazily by the functions that need them, so that checking a CDL file
 * alone starts fast.
 */
import { resolve } from "node:path";
import { compileCdl, formatCdl, parseCdl, toIr, type CompilerHost, type ConstraintIr, type ConstraintModel } from "./cdl/index.js";
import { catalog, createDiagnostic, type Diagnostic } from "./diagnostics/index.js";

export * from "./diagnostics/index.js";
export * from "./cdl/index.js";
export { VERSION } from "./version.js";

export interface CdlCheckResult {
  model: ConstraintModel | undefined;
  diagnostics: Diagnostic[];
  /** Source texts by display path, for rendering diagnostics. */
  sources: Map<string, string>;
}

/** Parses and checks a CDL file and its imports (no program needed). */
export function checkCdlFile(path: string, host: CompilerHost, cwd: string): CdlCheckResult {
  return compileCdl(resolve(cwd, path), host);
}

/** Compiles a CDL file to the JSON IR; the IR is undefined when there are errors. */
export function compileCdlFile(path: string, host: CompilerHost, cwd: string): CdlCheckResult & { ir: ConstraintIr | undefined } {
  const result = checkCdlFile(path, host, cwd);
  const failed = result.model === undefined || result.diagnostics.some((d) => d.severity === "error");
  return { ...result, ir: failed ? undefined : toIr(result.model!) };
}

export interface FormatResult {
  /** The canonical text, or undefined when the file has syntax errors. */
  formatted: string | undefined;
  original: string;
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

/** Formats one CDL file (imports are not followed). */
export function formatCdlFile(path: string, host: CompilerHost, cwd: string): FormatResult {
  const absolute = resolve(cwd, path);
  const display = host.displayPath(absolute);
  let text: string;
  try {
    text = host.readFile(absolute);
  } catch (e) {
    const d = createDiagnostic(catalog.input.unreadableFile, { path: display, reason: (e as Error).message }, { file: display, start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 });
    return { formatted: undefined, original: "", diagnostics: [d], sources: new Map() };
  }
  const parsed = parseCdl(text, display);
  const sources = new Map([[display, text]]);
  const syntaxErrors = parsed.diagnostics.filter((d) => d.severity === "error");
  if (syntaxErrors.length > 0) return { formatted: undefined, original: text, diagnostics: parsed.diagnostics, sources };
  return { formatted: formatCdl(parsed.ast, text), original: text, diagnostics: parsed.diagnostics, sources };
}
