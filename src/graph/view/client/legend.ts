import type { NodeVerdict, PageData } from "../page-types.js";
import { SHOW_ALL_UP_TO } from "./groups.js";
import { EDGE_COLOURS, FOLDER_COLOUR, PLAIN_COLOUR, VERDICT_COLOURS, VERDICT_NAMES } from "./look.js";

/** The legend: what colour, size and width mean, for the verdicts this page has. */
export function drawLegend(box: HTMLElement, data: PageData): void {
  const present = new Set(data.nodes.map((n) => n.verdict).filter((v): v is NodeVerdict => v !== undefined));
  const rows: [string, string, string][] = [];
  for (const v of ["fail", "inconclusive", "unmeasured", "pass", "constrained"] as const) if (present.has(v)) rows.push(["dot", VERDICT_COLOURS[v], VERDICT_NAMES[v]]);
  rows.push(["dot", PLAIN_COLOUR, "no constraint"]);
  if (data.nodes.length > SHOW_ALL_UP_TO) rows.push(["dot", FOLDER_COLOUR, "folder: its nodes, closed (click to open)"]);
  rows.push(["line", EDGE_COLOURS.call!, "call"], ["line", EDGE_COLOURS.dispatch!, "dispatch (interface or abstract method)"], ["line", EDGE_COLOURS.construct!, "construct (new)"]);
  box.replaceChildren();
  const improved = data.nodes.find((n) => n.improved !== undefined)?.improved;
  for (const [shape, colour, text] of rows) {
    const row = document.createElement("div");
    const mark = document.createElement("span");
    mark.className = shape;
    mark.style.background = colour;
    row.append(mark, document.createTextNode(text));
    box.appendChild(row);
  }
  if (improved !== undefined) {
    const mark = document.createElement("div");
    mark.textContent = `⇣×N after a name: made N times faster by version ${improved.version} (before → after in its details)`;
    box.appendChild(mark);
  }
  const size = document.createElement("div");
  size.className = "note";
  size.textContent = data.measured
    ? `Size: time per call where measured, time spent (time per call × calls) where recorded, on a log scale; elsewhere, how many call it. Edge width: calls${data.edges.some((e) => e.bytesPerCall !== undefined) ? "; darker edges carry more bytes per call" : ""}.`
    : "Size: how many call it. Measure (--measure) or record (--recording) to size nodes by time spent.";
  box.appendChild(size);
}
