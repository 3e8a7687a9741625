import type { DiagnosticDefinition } from "./catalog/definition.js";
import type { Diagnostic, Location, RelatedLocation } from "./types.js";

export type MessageArgs = Record<string, string | number>;

/** Fills `{name}` placeholders; a missing argument is left visible rather than hidden. */
export function formatMessage(template: string, args: MessageArgs): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in args ? String(args[name]) : whole));
}

export interface DiagnosticExtras {
  label?: string;
  help?: string;
  notes?: string[];
  related?: RelatedLocation[];
}

/** Builds a diagnostic from a catalog entry. */
export function createDiagnostic(
  definition: DiagnosticDefinition,
  args: MessageArgs,
  location: Location,
  extras: DiagnosticExtras = {},
): Diagnostic {
  const d: Diagnostic = {
    code: definition.code,
    severity: definition.severity,
    message: formatMessage(definition.message, args),
    location,
  };
  if (extras.label !== undefined) d.label = extras.label;
  if (extras.help !== undefined) d.help = extras.help;
  if (extras.notes !== undefined && extras.notes.length > 0) d.notes = extras.notes;
  if (extras.related !== undefined && extras.related.length > 0) d.related = extras.related;
  return d;
}

/** Orders diagnostics by file, then position, then code: stable output for goldens and CI. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.start - b.location.start ||
      a.location.end - b.location.end ||
      a.code.localeCompare(b.code),
  );
}
