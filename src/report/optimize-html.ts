import { escapeXml } from "../diagnostics/index.js";
import type { BoundResult } from "../measure/types.js";
import type { NodeOutcome, OptimizeResult } from "../optimize/types.js";
import { formatInterval, formatQuantity } from "./format.js";
import { CSS } from "./html.js";
import { histogramSvg } from "./html-plot.js";

/**
 * `cdlc optimize --format html`: one self-contained page (no network). Per
 * node, its status and why; for an improved node, the distribution of
 * per-call times before (all cases) and after (the held-out test cases),
 * each with the bound's limit drawn, the speedup with its interval, and the
 * diff.
 */
export function renderOptimizeHtml(result: OptimizeResult): string {
  const improved = result.nodes.filter((n) => n.accepted !== undefined).length;
  const title = `cdlc optimize: ${improved} of ${result.nodes.length} node${result.nodes.length === 1 ? "" : "s"} improved`;
  const body = [
    `<h1>${escapeXml(title)}</h1>`,
    `<p class="summary">${result.version !== null ? `Version ${result.version} (${escapeXml(result.mode)}). ` : ""}Canaries caught ${result.canaries.caught} of ${result.canaries.injected}; ${(result.elapsedMs / 1000).toFixed(1)} s of a ${(result.budget / 1000).toFixed(0)} s budget.</p>`,
    ...result.nodes.map(section),
  ].join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeXml(title)}</title><style>${CSS}
pre.diff { background: #f6f8fa; padding: .5rem; overflow-x: auto; font-size: .8rem; } .add { color: #1a7f37; } .del { color: #cf222e; }
</style></head>
<body>
${body}
</body></html>
`;
}

function section(n: NodeOutcome): string {
  const status = n.accepted !== undefined ? "pass" : n.violated.length > 0 ? "fail" : "unmeasured";
  const parts = [`<section class="node" data-node="${escapeXml(n.node)}">`, `<h2><code>${escapeXml(n.node)}</code> <span class="verdict ${status}">${escapeXml(n.status)}</span></h2>`];
  if (n.violated.length > 0) parts.push(`<p class="meta">Violated: ${escapeXml(n.violated.join("; "))}</p>`);
  if (n.speedup !== undefined) {
    const s = n.speedup;
    parts.push(`<p class="summary">${s.estimate.toFixed(2)}× faster [${s.interval[0].toFixed(2)}×, ${s.interval[1].toFixed(2)}×], ${s.measuredOn === "test" ? "measured on held-out test cases" : "<strong>not held out</strong>: measured on the cases that chose it"}; variant ${n.accepted!.id}: ${escapeXml(n.accepted!.operators.join(" → "))} (risk ${n.accepted!.risk})</p>`);
  }
  const limit: BoundResult[] = n.limitNs === undefined ? [] : [limitMark(n, n.limitNs)];
  if (n.before !== undefined && n.samples !== undefined && n.samples.before.length > 0) {
    parts.push(`<h3>Before (all cases): ${escapeXml(n.before.statistic)} ${escapeXml(formatQuantity(n.before.value, "ns"))} ${escapeXml(formatInterval(n.before.interval, "ns"))}</h3>`, histogramSvg(n.samples.before, "ns", limit.map((b) => ({ ...b, status: "fail" })), `${n.node} before`));
  }
  if (n.after !== undefined && n.samples !== undefined && n.samples.after.length > 0) {
    parts.push(`<h3>After (test cases): ${escapeXml(n.after.statistic)} ${escapeXml(formatQuantity(n.after.value, "ns"))} ${escapeXml(formatInterval(n.after.interval, "ns"))}</h3>`, histogramSvg(n.samples.after, "ns", limit.map((b) => ({ ...b, status: n.status === "improved" ? "pass" : "fail" })), `${n.node} after`));
  }
  if (n.reason !== undefined) parts.push(`<p class="reason">${escapeXml(n.reason)}</p>`);
  if (n.hint !== undefined) parts.push(`<p class="reason">Hint: ${escapeXml(n.hint)}</p>`);
  if (n.accepted !== undefined) parts.push(`<details><summary>Diff</summary><pre class="diff">${diffHtml(n.accepted.diff)}</pre></details>`);
  parts.push("</section>");
  return parts.join("\n");
}

/** The time bound as a mark for the plots (limit only: the intervals are in the headings). */
function limitMark(n: NodeOutcome, limitNs: number): BoundResult {
  return { node: n.node, metric: "execution_time", op: "<=", limit: limitNs, unit: "ns", percentile: n.before?.statistic ?? "p95", measured: null, interval: null, status: "unmeasured", samples: 0, severity: "error", source: { file: "", line: 0, column: 0 } };
}

function diffHtml(diff: string): string {
  return diff
    .split("\n")
    .map((line) => (line.startsWith("+") && !line.startsWith("+++") ? `<span class="add">${escapeXml(line)}</span>` : line.startsWith("-") && !line.startsWith("---") ? `<span class="del">${escapeXml(line)}</span>` : escapeXml(line)))
    .join("\n");
}
