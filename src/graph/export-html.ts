import { toIr } from "../cdl/compile.js";
import type { ConstraintModel } from "../cdl/model.js";
import type { Binding } from "./bind.js";
import { htmlClientScript } from "./export-html-client.js";
import { edgeMetricRows, nodeMetricRows } from "./export-html-metrics.js";
import { diagramData, nodeLabel } from "./export-shared.js";
import type { GraphMetrics } from "./export-json.js";
import { edgeKey, type LivingGraph } from "./living-graph.js";
import type { BoundResult } from "../measure/types.js";
import { formatQuantity } from "../report/format.js";

/**
 * One self-contained HTML file that draws the graph interactively: no
 * network, no external script or style. The graph is embedded as JSON;
 * the script (export-html-client.ts) lays it out and handles pan, zoom,
 * search and the details panel.
 */

export interface HtmlOptions {
  title?: string;
  model?: ConstraintModel;
  binding?: Binding;
  metrics?: GraphMetrics;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The data the page script reads: labels and constraints already formatted for display. */
function pageData(graph: LivingGraph, options: HtmlOptions): unknown {
  const data = diagramData(graph, options.binding);
  const ir = options.model !== undefined ? toIr(options.model) : undefined;
  return {
    nodes: data.nodes.map((n) => ({
      id: n.id,
      name: n.name,
      label: nodeLabel(n),
      file: n.file,
      line: n.line,
      kind: n.kind,
      constraints: (options.binding?.byNode.get(n.id) ?? []).map((i) => {
        const c = ir!.constraints[i]!;
        return {
          selector: c.selector,
          source: `${c.source.file}:${c.source.line}`,
          bounds: c.bounds.map((b) => `${b.metric} ${b.op} ${formatQuantity(b.value, b.unit as BoundResult["unit"])}${b.percentile !== undefined ? ` (${b.percentile})` : ""}`),
          algorithm: options.binding!.constraints[i]!.algorithm,
          mutations: Array.isArray(c.mutations) ? c.mutations.join(", ") : c.mutations,
          severity: c.severity,
        };
      }),
      metrics: metricRowsOf(options.metrics?.nodes?.get(n.id)),
    })),
    edges: data.edges.map((e) => {
      const metrics = edgeMetricRows(options.metrics?.edges?.get(edgeKey(e.from, e.to, e.kind)));
      return { from: e.from, to: e.to, kind: e.kind, lines: e.sites.map((s) => s.line), ...(metrics !== undefined ? { metrics } : {}) };
    }),
  };
}

function metricRowsOf(metrics: Record<string, unknown> | undefined) {
  return metrics === undefined ? undefined : nodeMetricRows(metrics);
}

const STYLE = `
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; }
body { display: grid; grid-template-columns: 1fr 340px; grid-template-rows: auto 1fr; height: 100vh; }
header { grid-column: 1 / 3; display: flex; gap: 12px; align-items: center; padding: 8px 12px; border-bottom: 1px solid #d8dde6; background: #f6f8fb; }
header h1 { font-size: 15px; margin: 0 12px 0 0; }
header input { flex: 0 1 320px; padding: 4px 8px; border: 1px solid #b9c2d0; border-radius: 4px; font: inherit; }
header button { padding: 4px 10px; border: 1px solid #b9c2d0; border-radius: 4px; background: #fff; font: inherit; cursor: pointer; }
#status { color: #5b6577; }
#view { width: 100%; height: 100%; background: #fff; cursor: grab; display: block; }
#details { border-left: 1px solid #d8dde6; padding: 12px 14px; overflow: auto; background: #fbfcfe; }
#details h2 { font-size: 15px; margin: 0 0 2px; word-break: break-all; }
#details h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6577; margin: 14px 0 4px; }
#details ul { margin: 2px 0; padding-left: 18px; }
#details .id, #details .meta { color: #5b6577; font-size: 12px; word-break: break-all; }
#details .hint { color: #8a93a3; margin: 2px 0; }
#details .constraint { border: 1px solid #e7c46a; background: #fff8e1; border-radius: 4px; padding: 6px 8px; margin: 4px 0; }
#details table { border-collapse: collapse; } #details td { padding: 1px 8px 1px 0; vertical-align: top; }
#details .edge-metrics { margin: 0 0 4px; }
.node rect { fill: #eef2f8; stroke: #7d8aa0; stroke-width: 1; }
.node text { font-size: 11px; fill: #1d2330; pointer-events: none; }
.node { cursor: pointer; }
.node.kind-interface-method rect, .node.kind-abstract-method rect { stroke-dasharray: 4 3; fill: #f7f7f7; }
.node.kind-module rect { fill: #f0f0f0; }
.node.constrained rect { fill: #ffe08a; stroke: #c77700; stroke-width: 2; }
.node.selected rect { stroke: #1f6feb; stroke-width: 3; }
.node.match rect { stroke: #d6336c; stroke-width: 3; }
.node.dim { opacity: .25; }
.edge { stroke: #9aa4b5; stroke-width: 1.2; }
.edge.dispatch { stroke-dasharray: 5 4; }
.edge.construct { stroke: #6f42c1; }
.edge.active { stroke: #1f6feb; stroke-width: 2.2; }
`;

export function exportHtml(graph: LivingGraph, options: HtmlOptions = {}): string {
  const title = options.title ?? "Living Graph";
  // `<` is escaped so that no string in the data can close the script element.
  const json = JSON.stringify(pageData(graph, options)).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  const marker = (kind: string, color: string): string =>
    `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="${color}"/></marker>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><input id="search" type="search" placeholder="Search nodes (Enter to jump)" autocomplete="off"><button id="fit" type="button">Fit</button><span id="status"></span></header>
<svg id="view" xmlns="http://www.w3.org/2000/svg"><defs>${marker("call", "#9aa4b5")}${marker("dispatch", "#9aa4b5")}${marker("construct", "#6f42c1")}</defs><g id="viewport"></g></svg>
<aside id="details"></aside>
<script type="application/json" id="graph-data">${json}</script>
<script>${htmlClientScript}</script>
</body>
</html>
`;
}
