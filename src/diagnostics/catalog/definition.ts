import type { Severity } from "../types.js";

/**
 * One entry of the diagnostic catalog. `message` is a template whose
 * `{name}` placeholders are filled from the arguments given at the report
 * site; `explanation` is what `cdlc explain CODE` prints (Markdown).
 */
export interface DiagnosticDefinition {
  code: string;
  severity: Severity;
  /** A short kebab-case name, stable like the code (used for golden files and SARIF rule names). */
  name: string;
  message: string;
  explanation: string;
}

/** Identity helper that keeps literal keys while checking the entry shape. */
export function defineCatalog<K extends string>(entries: Record<K, DiagnosticDefinition>): Record<K, DiagnosticDefinition> {
  return entries;
}
