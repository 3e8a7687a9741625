/** Severity of a diagnostic, as printed and as in the JSON contract. */
export type Severity = "error" | "warning" | "info";

/** A half-open range of UTF-16 offsets into a source text. */
export interface Span {
  start: number;
  end: number;
}

/**
 * Where a diagnostic points: a file (as the user should see it, relative to
 * the working directory where possible), the span, and its 1-based line and
 * column pair. Columns count UTF-16 code units, as editors do.
 */
export interface Location {
  file: string;
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A secondary location shown with a diagnostic ("the other bound is here"). */
export interface RelatedLocation {
  location: Location;
  message: string;
}

/** One finding about the user's input. Never thrown: always returned as data. */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  location: Location;
  /** The label printed under the caret; short. */
  label?: string;
  /** A suggested fix, printed as `help: …`. */
  help?: string;
  /** Extra facts, printed as `note: …`. */
  notes?: string[];
  related?: RelatedLocation[];
}

/** The result shape every pipeline stage returns. */
export interface StageResult<T> {
  value: T;
  diagnostics: Diagnostic[];
}

/** Whether any of `diagnostics` is an error; used by stages and the CLI to decide what runs next and the exit code. */
export function hasErrors(diagnostics: readonly Pick<Diagnostic, "severity">[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
