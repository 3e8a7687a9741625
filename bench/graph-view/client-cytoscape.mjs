// Candidate page: Cytoscape.js (canvas) with fCoSE. Layout in the page (fcose; with `compound`, each file a
// compound node inside its folder's) or precomputed (positions embedded, scaled to fcose's density). Label
// visibility is the renderer's own test (`min-zoomed-font-size` at its texture level) and the boxes are the
// library's label bounding boxes.
import cytoscape from "cytoscape";
import fcose from "cytoscape-fcose";
import { afterPaint, labelOverlaps, markTimes, nodeLooks, panFor, publish, readGraph, seedPositions } from "./harness.mjs";

cytoscape.use(fcose);
const config = JSON.parse(document.getElementById("bench-config").textContent);

/** Folder and file compound nodes, and each node's parent. */
function compounds(looks) {
  const parents = [];
  const seen = new Set();
  const add = (id, label, parent) => {
    if (seen.has(id)) return;
    seen.add(id);
    parents.push({ data: { id, label, ...(parent !== undefined ? { parent } : {}) }, classes: "group" });
  };
  const parentOf = new Map();
  for (const n of looks) {
    const folder = n.file.slice(0, Math.max(0, n.file.lastIndexOf("/")));
    add(`folder:${folder}`, folder);
    add(`file:${n.file}`, n.file.slice(folder.length + 1), `folder:${folder}`);
    parentOf.set(n.id, `file:${n.file}`);
  }
  return { parents, parentOf };
}

publish(async () => {
  const data = readGraph();
  const looks = nodeLooks(data);
  const preset = new Map(data.nodes.filter((n) => n.x !== undefined).map((n) => [n.id, { x: n.x, y: n.y }]));
  let start = preset.size === data.nodes.length ? preset : seedPositions(looks);
  if (preset.size === data.nodes.length) {
    // Scale the precomputed layout to fcose's density (about 60 units a node side), so that node and label
    // sizes, which are in model units here, compare with the page layout's.
    const xs = [...preset.values()].map((p) => p.x);
    const ys = [...preset.values()].map((p) => p.y);
    const side = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) || 1;
    const k = (60 * Math.sqrt(looks.length)) / side;
    start = new Map([...preset].map(([id, p]) => [id, { x: p.x * k, y: p.y * k }]));
  }
  const { parents, parentOf } = config.compound ? compounds(looks) : { parents: [], parentOf: new Map() };
  const ids = new Set(looks.map((n) => n.id));
  const seenEdges = new Set();
  const elements = [
    ...parents,
    ...looks.map((n) => ({ data: { id: n.id, label: n.label, d: 2 * n.size, color: n.color, ...(parentOf.has(n.id) ? { parent: parentOf.get(n.id) } : {}) }, position: { ...start.get(n.id) } })),
    ...data.edges
      .filter((e) => e.from !== e.to && ids.has(e.from) && ids.has(e.to) && !seenEdges.has(`${e.from}>${e.to}`) && seenEdges.add(`${e.from}>${e.to}`))
      .map((e, i) => ({ data: { id: `e${i}`, source: e.from, target: e.to, color: e.kind === "construct" ? "#b9a3e3" : "#ccd2dc" } })),
  ];
  const container = document.getElementById("view");
  const cy = cytoscape({
    container,
    elements,
    layout: { name: "preset" },
    style: [
      { selector: "node", style: { width: "data(d)", height: "data(d)", "background-color": "data(color)", label: "data(label)", "font-size": 11, "font-family": "system-ui, sans-serif", "text-valign": "center", "text-halign": "right", "text-margin-x": 3, "min-zoomed-font-size": config.minZoomedFontSize } },
      { selector: "node.group", style: { "background-color": "#eef2f8", "background-opacity": 0.4, "border-width": 1, "border-color": "#c5ccd8", "text-valign": "top", "text-halign": "center", "font-size": 10 } },
      { selector: "edge", style: { width: 1, "line-color": "data(color)", "target-arrow-color": "data(color)", "target-arrow-shape": "triangle", "curve-style": "straight", "arrow-scale": 0.6 } },
    ],
  });
  if (config.layout === "page") {
    const done = new Promise((resolve) => cy.one("layoutstop", resolve));
    cy.layout({ name: "fcose", quality: config.quality, randomize: config.quality !== "proof", animate: false, fit: true, packComponents: false, numIter: config.numIter }).run();
    await done;
  } else cy.fit();
  performance.mark("laid-out");
  let renders = 0;
  cy.on("render", () => renders++);
  await new Promise((resolve) => {
    if (renders > 0) resolve();
    else cy.one("render", resolve);
  });
  await afterPaint();
  performance.mark("drawn");
  const marks = markTimes();

  const { width, height } = container.getBoundingClientRect();
  const renderer = cy.renderer();
  const labelsNow = async () => {
    await afterPaint();
    const zoom = cy.zoom();
    const pan = cy.pan();
    const boxes = [];
    cy.nodes()
      .filter((n) => !n.isParent())
      .forEach((n) => {
        if (!n.visible() || !renderer.eleTextBiggerThanMin(n)) return;
        const bb = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeMainLabels: true, includeSourceLabels: false, includeTargetLabels: false, includeOverlays: false, includeUnderlays: false });
        if (!(bb.w > 0)) return;
        boxes.push({ x1: bb.x1 * zoom + pan.x, x2: bb.x2 * zoom + pan.x, y1: bb.y1 * zoom + pan.y, y2: bb.y2 * zoom + pan.y });
      });
    const nodesInView = cy.nodes().filter((n) => {
      const p = n.renderedPosition();
      return !n.isParent() && p.x >= 0 && p.x <= width && p.y >= 0 && p.y <= height;
    }).length;
    return { nodesInView, ...labelOverlaps(boxes, width, height) };
  };
  cy.fit();
  const fitZoom = cy.zoom();
  const labels = { fit: await labelsNow() };
  // The closer look is centred on the node with the most callers: where a reader zooms in.
  const hub = looks.reduce((a, b) => (b.size > a.size ? b : a)).id;
  cy.zoom(fitZoom * 8);
  cy.center(cy.getElementById(hub));
  labels.zoom8 = await labelsNow();
  cy.fit();
  await afterPaint();
  const pan = await panFor(2000, (dx, dy) => cy.panBy({ x: dx, y: dy }), () => renders);
  const result = { marks, labels, pan, fitZoom, nodes: cy.nodes().filter((n) => !n.isParent()).length, edges: cy.edges().length, compounds: parents.length };
  cy.destroy();
  return result;
});
