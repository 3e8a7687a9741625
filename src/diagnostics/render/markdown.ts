import { hasErrors, type Diagnostic } from "../types.js";
import { summarizeDiagnostics } from "./pretty.js";

/** Escapes text for a Markdown table cell. */
export function markdownCell(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

/** A Markdown summary for `$GITHUB_STEP_SUMMARY` or a pull-request comment. */
export function renderMarkdownDiagnostics(diagnostics: readonly Diagnostic[], title = "cdlc check"): string {
  const icon = hasErrors(diagnostics) ? "❌" : diagnostics.length > 0 ? "⚠️" : "✅";
  const lines = [`### ${icon} ${title}: ${summarizeDiagnostics(diagnostics)}`, ""];
  if (diagnostics.length > 0) {
    lines.push("| | code | where | message |", "|---|---|---|---|");
    for (const d of diagnostics) {
      const sev = d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "info";
      lines.push(`| ${sev} | \`${d.code}\` | \`${markdownCell(`${d.location.file}:${d.location.line}:${d.location.column}`)}\` | ${markdownCell(d.message)}${d.help ? `<br>help: ${markdownCell(d.help)}` : ""} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
