import { escapeXml } from "../diagnostics/index.js";
import type { BoundResult, MeasureReport } from "../measure/types.js";
import { boundLabel, formatChange, formatChangeInterval, formatConfidence, formatInterval, formatQuantity, shortNode, summarizeResults } from "./format.js";
import { histogramSvg, neighbourhoodSvg, VERDICT_COLOR } from "./html-plot.js";


/** The reports' stylesheet (the optimize report uses it too). */
export const CSS = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
body { margin: 2rem auto; max-width: 980px; color: #1f2328; background: #fff; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .3rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
.verdict { font-weight: 600; white-space: nowrap; }
.pass { color: ${VERDICT_COLOR.pass}; } .fail { color: ${VERDICT_COLOR.fail}; } .inconclusive { color: ${VERDICT_COLOR.inconclusive}; } .unmeasured { color: ${VERDICT_COLOR.unmeasured}; }
.summary { font-size: 1.05rem; } .meta, .empty, .reason { color: #57606a; font-size: .85rem; }
svg .bar { fill: #8c959f; } svg .axis, svg .tick { stroke: #57606a; } svg text { font-size: 11px; fill: #1f2328; font-family: system-ui, sans-serif; }
svg .limit-label { font-weight: 600; } svg .edge { stroke: #8c959f; stroke-width: 1.5; }
svg .caller rect, svg .callee rect { fill: #f6f8fa; stroke: #8c959f; } svg .self rect { fill: #ddf4ff; stroke: #0969da; stroke-width: 2; }
.diag-error { color: ${VERDICT_COLOR.fail}; } .diag-warning { color: ${VERDICT_COLOR.inconclusive}; }
`;

function verdictCell(r: BoundResult): string {
  const text = r.status === "fail" && r.severity === "warning" ? "fail (warning)" : r.status;
  return `<td class="verdict ${r.status}" data-status="${r.status}">${escapeXml(text)}</td>`;
}

function resultRow(r: BoundResult, withNode: boolean): string {
  const interval = r.interval ? `${escapeXml(formatInterval(r.interval, r.unit))}${r.confidence !== undefined ? ` <span class="meta">${escapeXml(formatConfidence(r.confidence))}</span>` : ""}` : "";
  return `<tr>${withNode ? `<td><a href="#${anchor(r.node)}"><code>${escapeXml(r.node)}</code></a></td>` : ""}<td>${escapeXml(boundLabel(r))}</td><td>${escapeXml(formatQuantity(r.measured, r.unit))}</td><td>${interval}</td><td>${r.samples}</td>${verdictCell(r)}</tr>${r.reason && r.status !== "pass" ? `<tr><td colspan="${withNode ? 6 : 5}" class="reason">${escapeXml(r.reason)}</td></tr>` : ""}`;
}

function anchor(node: string): string {
  return `node-${node.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

/**
 * One self-contained HTML page (no scripts, no external resources): a
 * summary table, then per node the distribution of its samples with every
 * limit and interval drawn, its verdicts and its call neighbourhood.
 */
export function renderHtmlReport(report: MeasureReport, options: { title?: string } = {}): string {
  const title = options.title ?? `cdlc ${report.command} report`;
  const nodes = [...new Set([...report.results.map((r) => r.node), ...report.nodes.map((n) => n.node)])];
  const sections = nodes.map((node) => {
    const m = report.nodes.find((n) => n.node === node);
    const mine = report.results.filter((r) => r.node === node);
    const time = mine.filter((r) => r.metric === "execution_time");
    const memory = mine.filter((r) => r.metric === "memory_usage");
    const plots = [histogramSvg(m?.timesNs ?? [], "ns", time, "time per call")];
    if (memory.length > 0 || (m?.memoryBytes.length ?? 0) > 0) plots.push(histogramSvg(m?.memoryBytes ?? [], "B", memory, "heap growth per call"));
    const edges: { from: string; to: string; label?: string }[] = [
      ...report.edges.filter((e) => e.from === node || e.to === node).map((e) => (e.callsPerCase.length > 0 ? { from: e.from, to: e.to, label: `≤ ${Math.max(...e.callsPerCase)} calls/case` } : { from: e.from, to: e.to })),
      ...mine.filter((r) => r.edge).map((r) => ({ from: r.edge!.from, to: r.edge!.to })),
    ];
    const decl = m?.declaration ?? mine.find((r) => r.declaration)?.declaration;
    const failure = m?.failure ? `<p class="fail">Run failed (${escapeXml(m.failure.kind)}): ${escapeXml(m.failure.message)}</p>` : "";
    const facts = m ? `<p class="meta">${m.calls} calls, ${m.errors} errors, ${m.runs?.length ?? 1} runs, batches of ${m.batchSize}, ${(m.wallTimeMs / 1000).toFixed(1)} s${decl ? ` — declared at <code>${escapeXml(`${decl.file}:${decl.line}:${decl.column}`)}</code>` : ""}</p>` : "";
    return `<section class="node" id="${anchor(node)}" data-node="${escapeXml(node)}"><h2><code>${escapeXml(node)}</code></h2>${facts}${failure}
<table><thead><tr><th>bound</th><th>measured</th><th>interval</th><th>samples</th><th>verdict</th></tr></thead><tbody>${mine.map((r) => resultRow(r, false)).join("")}</tbody></table>
<div class="plots">${plots.join("")}</div>
<h3>Neighbourhood</h3>${neighbourhoodSvg(node, edges, shortNode)}</section>`;
  });
  const comparisons =
    report.comparisons && report.comparisons.length > 0
      ? `<h2>Compared with the baseline</h2><table><thead><tr><th>node</th><th>baseline</th><th>current</th><th>change</th><th>interval</th><th>verdict</th></tr></thead><tbody>${report.comparisons
          .map((c) => `<tr><td><code>${escapeXml(c.node)}</code></td><td>${escapeXml(formatQuantity(c.baseline, "ns"))}</td><td>${escapeXml(formatQuantity(c.current, "ns"))}</td><td>${escapeXml(formatChange(c.change))}</td><td>${escapeXml(formatChangeInterval(c))}</td><td class="verdict ${c.verdict === "regression" ? "fail" : c.verdict === "improvement" ? "pass" : "inconclusive"}">${escapeXml(c.verdict)}</td></tr>`)
          .join("")}</tbody></table>`
      : "";
  const diagnostics =
    report.diagnostics.length > 0
      ? `<h2>Diagnostics</h2><ul>${report.diagnostics.map((d) => `<li class="diag-${d.severity}"><strong>${escapeXml(d.severity)}[${escapeXml(d.code)}]</strong> ${escapeXml(d.message)} <code>${escapeXml(`${d.file}:${d.line}:${d.column}`)}</code>${d.help ? `<br><span class="meta">help: ${escapeXml(d.help)}</span>` : ""}</li>`).join("")}</ul>`
      : "";
  const e = report.environment;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeXml(title)}</title><style>${CSS}</style></head>
<body><h1>${escapeXml(title)}</h1>
<p class="summary">${escapeXml(summarizeResults(report.results))}</p>
<p class="meta">α = ${report.alpha} over all bounds (Holm); a bound fails only when its whole interval lies beyond the limit. Node ${escapeXml(e.node)}, V8 ${escapeXml(e.v8)}, ${escapeXml(e.cpu)} × ${e.cores}, load ${escapeXml(e.loadAverage.map((x) => x.toFixed(2)).join(" "))}. Started ${escapeXml(report.startedAt)}, ${(report.durationMs / 1000).toFixed(1)} s.</p>
${diagnostics}
<h2>Bounds</h2><table><thead><tr><th>node</th><th>bound</th><th>measured</th><th>interval</th><th>samples</th><th>verdict</th></tr></thead><tbody>${report.results.map((r) => resultRow(r, true)).join("")}</tbody></table>
${comparisons}
${sections.join("\n")}
</body></html>
`;
}
