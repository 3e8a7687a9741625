import { pickStyle, renderDiagnosticPretty, summarizeDiagnostics, type SourceLookup, type Style } from "../diagnostics/index.js";
import type { BoundResult, Comparison, MeasureReport } from "../measure/types.js";
import { boundLabel, formatChange, formatChangeInterval, formatConfidence, formatInterval, formatQuantity, summarizeResults, toDiagnostic } from "./format.js";

export interface PrettyReportOptions {
  color: boolean;
  /** Source texts, for the diagnostics' snippets. */
  sources?: SourceLookup;
}

// Display width, ignoring ANSI escapes (the table is padded after colouring).
function width(s: string): number {
  // eslint-disable-next-line no-control-regex
  return [...s.replace(/\u001b\[[0-9;]*m/g, "")].length;
}

function table(rows: string[][], style: Style): string[] {
  if (rows.length === 0) return [];
  const cols = rows[0]!.length;
  const w = Array.from({ length: cols }, (_, c) => Math.max(...rows.map((r) => width(r[c] ?? ""))));
  return rows.map((r, i) => {
    const line = r.map((cell, c) => (c === cols - 1 ? cell : cell + " ".repeat(w[c]! - width(cell)))).join("  ");
    return i === 0 ? style.bold(line) : line;
  });
}

function verdictText(r: BoundResult, style: Style): string {
  switch (r.status) {
    case "pass":
      return style.green("✓ pass");
    case "fail":
      return r.severity === "error" ? style.bold(style.red("✗ fail")) : style.yellow("✗ fail (warning)");
    case "inconclusive":
      return style.yellow("? inconclusive");
    case "unmeasured":
      return style.dim("– unmeasured");
  }
}

function comparisonText(c: Comparison, style: Style): string {
  switch (c.verdict) {
    case "regression":
      return style.bold(style.red("▲ regression"));
    case "improvement":
      return style.green("▼ improvement");
    case "no-change":
      return "= no change";
    case "inconclusive":
      return style.yellow("? inconclusive");
  }
}

/** The human form: diagnostics, then one table row per bound with its interval and verdict. */
export function renderPrettyReport(report: MeasureReport, options: PrettyReportOptions): string {
  const style = pickStyle(options.color);
  const out: string[] = [];
  const sources = options.sources ?? (() => undefined);
  for (const d of report.diagnostics) out.push(renderDiagnosticPretty(toDiagnostic(d), { color: options.color, sources }), "");
  if (report.results.length > 0) {
    const rows = [["node", "bound", "measured", "interval", "verdict"]];
    for (const r of report.results) {
      const interval = r.interval ? `${formatInterval(r.interval, r.unit)}${r.confidence !== undefined ? style.dim(` ${formatConfidence(r.confidence)}`) : ""}` : "";
      rows.push([r.node, boundLabel(r), formatQuantity(r.measured, r.unit), interval, verdictText(r, style)]);
    }
    out.push(...table(rows, style));
    const notes = report.results.filter((r) => r.reason !== undefined && r.status !== "pass");
    if (notes.length > 0) {
      out.push("");
      for (const r of notes) out.push(`${style.dim("note:")} ${r.node} ${boundLabel(r)}: ${r.reason}`);
    }
  }
  if (report.comparisons && report.comparisons.length > 0) {
    out.push("");
    const rows = [["node", "baseline", "current", "change", "interval", "verdict"]];
    for (const c of report.comparisons) {
      rows.push([c.node, formatQuantity(c.baseline, "ns"), formatQuantity(c.current, "ns"), formatChange(c.change), `${formatChangeInterval(c)}${c.confidence !== undefined ? style.dim(` ${formatConfidence(c.confidence)}`) : ""}`, comparisonText(c, style)]);
    }
    out.push(...table(rows, style));
  }
  out.push("");
  const diag = report.diagnostics.length > 0 ? `; ${summarizeDiagnostics(report.diagnostics.map(toDiagnostic))}` : "";
  out.push(style.bold(`${summarizeResults(report.results)}${diag}`) + style.dim(` (α = ${report.alpha}, ${(report.durationMs / 1000).toFixed(1)} s)`));
  return out.join("\n") + "\n";
}
