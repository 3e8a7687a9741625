import type { DiagnosticDefinition } from "./definition.js";
import { inputDiagnostics } from "./input.js";
import { resolutionDiagnostics } from "./resolution.js";
import { semanticDiagnostics } from "./semantic.js";
import { syntaxDiagnostics } from "./syntax.js";

export type { DiagnosticDefinition } from "./definition.js";

/**
 * The central diagnostic catalog, grouped by pipeline stage. Report sites
 * name an entry (`catalog.semantic.unknownKey`); codes are stable and unique
 * (a test enforces both), and every code has a golden test.
 */
export const catalog = {
  syntax: syntaxDiagnostics,
  semantic: semanticDiagnostics,
  input: inputDiagnostics,
  resolution: resolutionDiagnostics,
};

/** Every definition, in code order. */
export const allDefinitions: readonly DiagnosticDefinition[] = Object.values(catalog)
  .flatMap((group) => Object.values(group) as DiagnosticDefinition[])
  .sort((a, b) => a.code.localeCompare(b.code));

const byCode = new Map(allDefinitions.map((d) => [d.code, d]));

/** Looks a code up case-insensitively (`cdl0103` works too). */
export function findDefinition(code: string): DiagnosticDefinition | undefined {
  return byCode.get(code.toUpperCase());
}
