import { escapeGithubData, escapeGithubProperty, githubAnnotation, renderGithub } from "../diagnostics/index.js";
import type { MeasureReport } from "../measure/types.js";
import { boundLabel, describeResult, formatComparison, toDiagnostic } from "./format.js";

/**
 * GitHub workflow-command annotations: the diagnostics, then one per
 * violated (error or warning by severity), inconclusive (notice) or
 * unmeasured (warning) bound — at the bound in the CDL file and again at
 * the node's declaration, so it shows in the diff of either file.
 */
export function renderGithubReport(report: MeasureReport): string {
  const lines: string[] = [];
  const diagnostics = renderGithub(report.diagnostics.map(toDiagnostic));
  for (const r of report.results) {
    if (r.status === "pass") continue;
    const level = r.status === "fail" ? (r.severity === "error" ? "error" : "warning") : r.status === "unmeasured" ? "warning" : "notice";
    const title = `cdlc: ${boundLabel(r, true)} ${r.status}`;
    const message = describeResult(r);
    lines.push(githubAnnotation(level, message, { ...r.source, title }));
    if (r.declaration) lines.push(githubAnnotation(level, message, { ...r.declaration, title }));
  }
  for (const c of report.comparisons ?? []) {
    if (c.verdict !== "regression") continue;
    const where = report.nodes.find((n) => n.node === c.node)?.declaration ?? report.results.find((r) => r.node === c.node)?.declaration;
    const text = `${c.node} is slower than the baseline: ${formatComparison(c)} (${c.method})`;
    lines.push(where ? githubAnnotation("warning", text, { ...where, title: "cdlc: regression" }) : `::warning title=${escapeGithubProperty("cdlc: regression")}::${escapeGithubData(text)}`);
  }
  return diagnostics + lines.map((l) => l + "\n").join("");
}
