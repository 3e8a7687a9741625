import { hasErrors, markdownCell, renderMarkdownDiagnostics } from "../diagnostics/index.js";
import type { BoundResult, Comparison, MeasureReport } from "../measure/types.js";
import { boundLabel, formatChange, formatChangeInterval, formatConfidence, formatInterval, formatQuantity, summarizeResults, toDiagnostic, verdictCounts } from "./format.js";

const ICON: Record<BoundResult["status"], string> = { pass: "✅ pass", fail: "❌ fail", inconclusive: "❔ inconclusive", unmeasured: "⚪ unmeasured" };
const CMP: Record<Comparison["verdict"], string> = { regression: "🔺 regression", improvement: "🟢 improvement", "no-change": "➖ no change", inconclusive: "❔ inconclusive" };

function code(s: string): string {
  // Backticks inside a code span would end it; a double-backtick span with padding would do, but node ids never need it in practice.
  return `\`${markdownCell(s).replace(/`/g, "ˋ")}\``;
}

/** A Markdown summary for `$GITHUB_STEP_SUMMARY` or a pull-request comment. */
export function renderMarkdownReport(report: MeasureReport, options: { title?: string } = {}): string {
  const c = verdictCounts(report.results);
  const failing = report.results.some((r) => r.status === "fail" && r.severity === "error") || hasErrors(report.diagnostics);
  const icon = failing ? "❌" : c.inconclusive + c.unmeasured > 0 || c.fail > 0 ? "⚠️" : "✅";
  const title = options.title ?? `cdlc ${report.command}`;
  const lines = [`### ${icon} ${title}: ${summarizeResults(report.results)}`, ""];
  if (report.results.length > 0) {
    lines.push("| node | bound | measured | interval | verdict |", "|---|---|---|---|---|");
    for (const r of report.results) {
      const interval = r.interval ? `${formatInterval(r.interval, r.unit)}${r.confidence !== undefined ? ` (${formatConfidence(r.confidence)})` : ""}` : "";
      const verdict = `${ICON[r.status]}${r.status === "fail" && r.severity === "warning" ? " (warning)" : ""}`;
      lines.push(`| ${code(r.node)} | ${markdownCell(boundLabel(r))} | ${markdownCell(formatQuantity(r.measured, r.unit))} | ${markdownCell(interval)} | ${verdict}${r.reason && r.status !== "pass" ? `<br><sub>${markdownCell(r.reason)}</sub>` : ""} |`);
    }
    lines.push("");
  }
  if (report.comparisons && report.comparisons.length > 0) {
    lines.push("#### Compared with the baseline", "", "| node | baseline | current | change | interval | verdict |", "|---|---|---|---|---|---|");
    for (const cmp of report.comparisons) {
      lines.push(
        `| ${code(cmp.node)} | ${formatQuantity(cmp.baseline, "ns")} | ${formatQuantity(cmp.current, "ns")} | ${formatChange(cmp.change)} | ${formatChangeInterval(cmp)}${cmp.confidence !== undefined ? ` (${formatConfidence(cmp.confidence)})` : ""} | ${CMP[cmp.verdict]} |`,
      );
    }
    lines.push("");
  }
  if (report.diagnostics.length > 0) lines.push(renderMarkdownDiagnostics(report.diagnostics.map(toDiagnostic), "Diagnostics").replace(/^### /, "#### "));
  const e = report.environment;
  lines.push(
    "<details><summary>How this was measured</summary>",
    "",
    `Family-wise error rate α = ${report.alpha} over all bounds (Holm)${report.settings ? `, up to ${report.settings.maxLooks} runs per node within ${(report.settings.timeBudgetMs / 1000).toFixed(1)} s, error spent over the runs (ρ = ${report.settings.spendingRho})` : ""}. A bound fails only when its whole interval lies beyond the limit.`,
    "",
    `Node ${markdownCell(e.node)}, V8 ${markdownCell(e.v8)}, ${markdownCell(e.platform)}/${markdownCell(e.arch)}, ${markdownCell(e.cpu)} × ${e.cores}, load ${e.loadAverage.map((x) => x.toFixed(2)).join(" ")}; started ${markdownCell(report.startedAt)}, took ${(report.durationMs / 1000).toFixed(1)} s.`,
    "",
    "</details>",
    "",
  );
  return lines.join("\n");
}
