import { compileCdl, createMemoryHost, toIr, type CompileResult } from "../../src/cdl/index.js";

/** Compiles CDL text given as the file `/p/constraints.cdl` (plus other files) in memory. */
export function compileText(text: string, others: Record<string, string> = {}): CompileResult {
  const files: Record<string, string> = { "/p/constraints.cdl": text };
  for (const [k, v] of Object.entries(others)) files[`/p/${k}`] = v;
  return compileCdl("/p/constraints.cdl", createMemoryHost(files, "/p"));
}

/** The codes reported, in order. */
export function codes(result: CompileResult): string[] {
  return result.diagnostics.map((d) => d.code);
}

export function irOf(text: string, others: Record<string, string> = {}) {
  const r = compileText(text, others);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !r.model) throw new Error(`unexpected errors: ${errors.map((e) => `${e.code} ${e.message}`).join("; ")}`);
  return toIr(r.model);
}
