import Sigma from "sigma";
import type { PageData, PageNode } from "../page-types.js";
import { DetailsPanel } from "./details.js";
import { folderNodeId, Groups, SHOW_ALL_UP_TO } from "./groups.js";
import { LabelLayer } from "./labels.js";
import { drawLegend } from "./legend.js";
import { ACTIVE_EDGE, DIM_COLOUR, nodeSizes } from "./look.js";

/**
 * The page script of `cdlc graph --format html`, bundled with sigma.js and
 * graphology into the page (no network). The positions come laid out in the
 * data; sigma draws with WebGL; this file wires the parts: folders that
 * open (groups.ts), labels that never overlap (labels.ts), the details
 * panel, the legend, search and keys.
 */

const data = JSON.parse(document.getElementById("graph-data")!.textContent!) as PageData;
const byId = new Map(data.nodes.map((n) => [n.id, n]));
const callers = new Map<string, number>();
for (const e of data.edges) callers.set(e.to, (callers.get(e.to) ?? 0) + 1);
const groups = new Groups(data, nodeSizes(data.nodes, callers));
const container = document.getElementById("view")!;
const STAGE_PADDING = 60;
// The frame of every node, open or not: opening a folder does not move the picture.
const xs = data.nodes.map((n) => n.x);
const ys = data.nodes.map((n) => n.y);
const frame = { x: [Math.min(...xs), Math.max(...xs)] as [number, number], y: [Math.min(...ys), Math.max(...ys)] as [number, number] };
/** Graph units per pixel at the default zoom (how sigma fits the frame into the view). */
function unitsPerPixel(): number {
  const { width, height } = container.getBoundingClientRect();
  const scale = Math.min((width - 2 * STAGE_PADDING) / Math.max(frame.x[1] - frame.x[0], 1e-9), (height - 2 * STAGE_PADDING) / Math.max(frame.y[1] - frame.y[0], 1e-9));
  return scale > 0 && Number.isFinite(scale) ? 1 / scale : 1;
}
let graph = groups.build(unitsPerPixel());

const search = document.getElementById("search") as HTMLInputElement;
const status = document.getElementById("status")!;
const openAll = document.getElementById("open-all") as HTMLButtonElement;
const details = new DetailsPanel(document.getElementById("details")!, data, {
  jump: (id) => jump(id),
  closeFolder: (folder) => {
    selected = null;
    groups.closeFolder(folder);
    details.clear();
    redraw();
  },
});
drawLegend(document.getElementById("legend")!, data);

let selected: string | null = null;
let neighbours = new Set<string>();
let matches: PageNode[] = [];
const matchIds = new Set<string>();
let matchCursor = -1;

const labels = new LabelLayer();
const renderer = new Sigma(graph, container, {
  defaultDrawNodeLabel: labels.draw,
  defaultEdgeType: "arrow",
  labelFont: "system-ui, -apple-system, 'Segoe UI', sans-serif",
  labelSize: 12,
  labelWeight: "normal",
  labelRenderedSizeThreshold: 3,
  // Room at the edges for the labels of the outermost nodes (they are written to the right of their node).
  stagePadding: STAGE_PADDING,
  zIndex: true,
  minCameraRatio: 0.01,
  maxCameraRatio: 4,
  nodeReducer: (node, attributes) => {
    const out = { ...attributes };
    if (matchIds.size > 0 && !matchIds.has(node) && node !== selected) {
      out.color = DIM_COLOUR;
      out.label = null;
      out.zIndex = 0;
    } else if (matchIds.has(node)) {
      out.highlighted = true;
      out.forceLabel = true;
      out.zIndex = 2;
    }
    if (node === selected) {
      out.highlighted = true;
      out.forceLabel = true;
      out.zIndex = 3;
    } else if (neighbours.has(node)) out.forceLabel = true;
    return out;
  },
  edgeReducer: (edge, attributes) => {
    if (selected === null) return attributes;
    const ends = graph.extremities(edge);
    return ends.includes(selected) ? { ...attributes, color: ACTIVE_EDGE.colour, size: (attributes.size as number) + ACTIVE_EDGE.extra, zIndex: 1 } : attributes;
  },
});
renderer.on("beforeRender", () => labels.reset());
if (data.nodes.length > 0) renderer.setCustomBBox(frame);

// Two quick clicks on two nodes reach sigma as a double click: each still selects (or opens) what it hit.
renderer.on("doubleClickNode", (event) => {
  event.preventSigmaDefault();
  clickNode(event.node);
});
renderer.on("clickNode", ({ node }) => clickNode(node));
renderer.on("clickStage", () => select(null));

function clickNode(node: string): void {
  const attributes = graph.getNodeAttributes(node);
  if (attributes.isFolder === true) {
    const folder = attributes.folder as number;
    groups.openFolder(folder);
    selected = null;
    details.showFolder(folder, groups.membersOf(folder));
    redraw();
  } else select(node);
}

function select(id: string | null): void {
  selected = id;
  neighbours = new Set(id === null ? [] : [...details.callers(id).map((e) => e.from), ...details.callees(id).map((e) => e.to)]);
  if (id === null) details.clear();
  // Folders can be closed again only where they started closed (a large program).
  else details.showNode(byId.get(id)!, data.nodes.length > SHOW_ALL_UP_TO && groups.isOpen(byId.get(id)!.folder));
  renderer.refresh();
}

/** Shows a node (out of its closed folder if need be), selects it and moves the camera to it. */
function jump(id: string): void {
  const n = byId.get(id);
  if (n === undefined) return;
  if (groups.reveal(n)) redraw();
  select(id);
  const at = renderer.getNodeDisplayData(id);
  if (at !== undefined) void renderer.getCamera().animate({ x: at.x, y: at.y, ratio: Math.min(renderer.getCamera().ratio, 0.25) }, { duration: 300 });
}

function runSearch(): void {
  const q = search.value.trim().toLowerCase();
  matches = q === "" ? [] : data.nodes.filter((n) => n.id.toLowerCase().includes(q));
  matchIds.clear();
  let revealed = false;
  for (const n of matches) {
    revealed = groups.reveal(n) || revealed;
    matchIds.add(n.id);
  }
  matchCursor = -1;
  if (revealed) redraw();
  else update();
}

function nextMatch(): void {
  if (matches.length === 0) return;
  matchCursor = (matchCursor + 1) % matches.length;
  jump(matches[matchCursor]!.id);
}

/** The next constrained node, in the order of the data (by file, then line). */
function nextConstrained(): void {
  const constrained = data.nodes.filter((n) => n.constraints.length > 0);
  if (constrained.length === 0) return;
  const at = constrained.findIndex((n) => n.id === selected);
  jump(constrained[(at + 1) % constrained.length]!.id);
}

/** Draws what the folders now show. */
function redraw(): void {
  graph = groups.build(unitsPerPixel());
  renderer.setGraph(graph);
  update();
}

function update(): void {
  const closed = groups.closedFolders();
  const parts = [`${data.nodes.length} nodes, ${data.edges.length} edges`];
  if (closed > 0) parts.push(`${closed} folder${closed === 1 ? "" : "s"} closed`);
  if (search.value.trim() !== "") parts.push(`${matches.length} match${matches.length === 1 ? "" : "es"}`);
  status.textContent = parts.join(" · ");
  openAll.hidden = closed === 0;
  renderer.refresh();
}

search.addEventListener("input", runSearch);
search.addEventListener("keydown", (ev) => {
  if (ev.key === "Enter") nextMatch();
  if (ev.key === "Escape") search.blur();
});
document.getElementById("fit")!.addEventListener("click", () => void renderer.getCamera().animatedReset({ duration: 300 }));
openAll.addEventListener("click", () => {
  groups.openAll();
  redraw();
});

// Keys, outside the search box: / search, Enter next match, c next constrained node, arrows pan, + − zoom, 0 fit, Esc clear.
document.addEventListener("keydown", (ev) => {
  // Keys typed into the search box, or pressed on a button or link (Enter activates those), are theirs.
  const target = ev.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const camera = renderer.getCamera();
  const step = 0.1 * camera.ratio;
  const pan: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
  if (ev.key in pan) {
    const [dx, dy] = pan[ev.key]!;
    camera.setState({ x: camera.x + dx, y: camera.y + dy });
  } else if (ev.key === "/") search.focus();
  else if (ev.key === "Enter") nextMatch();
  else if (ev.key === "c") nextConstrained();
  else if (ev.key === "+" || ev.key === "=") void camera.animatedZoom({ duration: 200 });
  else if (ev.key === "-") void camera.animatedUnzoom({ duration: 200 });
  else if (ev.key === "0") void camera.animatedReset({ duration: 200 });
  else if (ev.key === "Escape") {
    search.value = "";
    runSearch();
    select(null);
  } else return;
  ev.preventDefault();
});

/** For tests and the screenshot script: the renderer and what it drew. */
(window as unknown as { cdlcView: unknown }).cdlcView = {
  renderer,
  get graph() {
    return graph;
  },
  labels: () => labels.drawn(),
  /** Where a node (or a closed folder, by index) is on screen, in CSS pixels of the view; null when not drawn. */
  screenPosition: (id: string | number) => {
    const key = typeof id === "number" ? folderNodeId(id) : id;
    if (!graph.hasNode(key)) return null;
    const a = graph.getNodeAttributes(key);
    return renderer.graphToViewport({ x: a.x as number, y: a.y as number });
  },
  /** Nodes in the data, of them drawn, and closed folders drawn. */
  counts: () => ({ nodes: data.nodes.length, shown: data.nodes.filter((n) => groups.isShown(n)).length, folders: groups.closedFolders() }),
};

details.clear();
update();
// Ready once the first frame is on screen (two animation frames after sigma drew it).
requestAnimationFrame(() =>
  requestAnimationFrame(() => {
    performance.mark("cdlc-first-paint");
    document.body.dataset.ready = "true";
  }),
);
