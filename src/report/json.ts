import type { MeasureReport } from "../measure/types.js";
import { verdictCounts } from "./format.js";

/**
 * The contract's `--format json`: the report as is (diagnostics, results,
 * raw samples, environment) plus a `summary`. Open interval ends
 * (±Infinity) and undefined numbers (NaN) become `null`.
 */
export function renderJsonReport(report: MeasureReport, options: { indent?: number } = {}): string {
  const c = verdictCounts(report.results);
  const summary = {
    errors: report.diagnostics.filter((d) => d.severity === "error").length,
    warnings: report.diagnostics.filter((d) => d.severity === "warning").length,
    ...c,
  };
  const out = { ...report, summary };
  return JSON.stringify(out, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), options.indent ?? 2) + "\n";
}
