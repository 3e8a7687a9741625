import type { Diagnostic, Location } from "../types.js";

/** The machine form of a location: 1-based lines and columns, end exclusive. */
export interface JsonLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface JsonDiagnostic extends JsonLocation {
  severity: Diagnostic["severity"];
  code: string;
  message: string;
  help?: string;
  notes?: string[];
  related?: (JsonLocation & { message: string })[];
}

function jsonLocation(l: Location): JsonLocation {
  return { file: l.file, line: l.line, column: l.column, endLine: l.endLine, endColumn: l.endColumn };
}

/** One diagnostic in the shape of the command-line contract. */
export function toJsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  const out: JsonDiagnostic = { severity: d.severity, code: d.code, message: d.message, ...jsonLocation(d.location) };
  if (d.help !== undefined) out.help = d.help;
  if (d.notes !== undefined) out.notes = d.notes;
  if (d.related !== undefined) out.related = d.related.map((r) => ({ message: r.message, ...jsonLocation(r.location) }));
  return out;
}

/** `{ diagnostics: [...], summary }` as the contract's `--format json`. */
export function renderJsonDiagnostics(diagnostics: readonly Diagnostic[]): { diagnostics: JsonDiagnostic[]; summary: { errors: number; warnings: number } } {
  return {
    diagnostics: diagnostics.map(toJsonDiagnostic),
    summary: {
      errors: diagnostics.filter((d) => d.severity === "error").length,
      warnings: diagnostics.filter((d) => d.severity === "warning").length,
    },
  };
}
