import type { ConstraintModel } from "../cdl/model.js";
import type { Binding } from "./bind.js";
import type { GraphMetrics } from "./export-json.js";
import type { NodeImprovement } from "./improvements.js";
import type { LivingGraph } from "./living-graph.js";
import { clientScript } from "./view/client-script.js";
import { pageData } from "./view/page-data.js";

/**
 * One self-contained HTML file that draws the graph interactively: no
 * network, no external script or style. The graph is embedded as JSON,
 * laid out already (view/layout.ts); the page script (view/client/, with
 * sigma.js and graphology) draws it with WebGL and handles folders, search,
 * keys and the details panel.
 */

export interface HtmlOptions {
  title?: string;
  model?: ConstraintModel;
  binding?: Binding;
  metrics?: GraphMetrics;
  improvements?: ReadonlyMap<string, NodeImprovement>;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const STYLE = `
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; }
body { display: grid; grid-template-columns: minmax(0, 1fr) 340px; grid-template-rows: auto minmax(0, 1fr); height: 100vh; }
header { grid-column: 1 / 3; display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; padding: 8px 12px; border-bottom: 1px solid #d8dde6; background: #f6f8fb; }
header h1 { font-size: 15px; margin: 0 12px 0 0; }
header input { flex: 0 1 320px; padding: 4px 8px; border: 1px solid #b9c2d0; border-radius: 4px; font: inherit; }
button { padding: 4px 10px; border: 1px solid #b9c2d0; border-radius: 4px; background: #fff; font: inherit; cursor: pointer; }
button:focus-visible, input:focus-visible, a:focus-visible { outline: 2px solid #1f6feb; outline-offset: 1px; }
#status { color: #5b6577; }
main { position: relative; min-width: 0; min-height: 0; }
#view { position: absolute; inset: 0; background: #fff; }
aside { display: flex; flex-direction: column; min-height: 0; border-left: 1px solid #d8dde6; background: #fbfcfe; }
#legend { padding: 8px 14px; border-top: 1px solid #d8dde6; font-size: 12px; }
#legend .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; vertical-align: -1px; }
#legend .line { display: inline-block; width: 16px; height: 3px; margin-right: 6px; vertical-align: 3px; }
#legend .note { color: #5b6577; margin-top: 4px; }
#details { flex: 1; padding: 12px 14px; overflow: auto; }
#details h2 { font-size: 15px; margin: 0 0 2px; word-break: break-all; }
#details h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6577; margin: 14px 0 4px; }
#details ul { margin: 2px 0; padding-left: 18px; }
#details .id, #details .meta { color: #5b6577; font-size: 12px; word-break: break-all; }
#details .hint { color: #8a93a3; margin: 2px 0; }
#details .verdict { border-left: 6px solid; padding: 2px 8px; margin: 6px 0; font-weight: 600; }
#details .constraint { border: 1px solid #e7c46a; background: #fff8e1; border-radius: 4px; padding: 6px 8px; margin: 4px 0; }
#details table { border-collapse: collapse; } #details td { padding: 1px 8px 1px 0; vertical-align: top; }
#details .edge-metrics { margin: 0 0 4px; }
#details .action { margin-top: 10px; }
#details .improved { border-left: 6px solid #1a7f37; padding: 2px 8px; }
`;

export function exportHtml(graph: LivingGraph, options: HtmlOptions = {}): string {
  const title = options.title ?? "Living Graph";
  const data = pageData(graph, { ...options, title });
  // `<` is escaped so that no string in the data can close the script element.
  const json = JSON.stringify(data).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><input id="search" type="search" placeholder="Search nodes (/; Enter jumps)" autocomplete="off" aria-label="Search nodes"><button id="fit" type="button">Fit</button><button id="open-all" type="button" hidden>Open all folders</button><span id="status" role="status"></span></header>
<main><div id="view" aria-label="The Living Graph"></div></main>
<aside><div id="details" aria-live="polite"></div><div id="legend"></div></aside>
<script type="application/json" id="graph-data">${json}</script>
<script>${clientScript()}</script>
</body>
</html>
`;
}
