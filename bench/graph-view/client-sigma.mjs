// Candidate page: sigma.js v3 (WebGL) on a graphology graph. Layout: "worker" paints the folder/file seed at
// once and then runs ForceAtlas2 in its web worker (Barnes-Hut above 500 nodes) for `workerMs`; "preset"
// paints positions computed before (embedded). Labels are drawn by sigma's own label grid; a wrapper around
// its label drawer records every box it draws.
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import FA2Layout from "graphology-layout-forceatlas2/worker";
import Sigma from "sigma";
import { drawDiscNodeLabel } from "sigma/rendering";
import { afterPaint, labelOverlaps, markTimes, nodeLooks, panFor, publish, readGraph, seedPositions, sleep } from "./harness.mjs";

const config = JSON.parse(document.getElementById("bench-config").textContent);

publish(async () => {
  const data = readGraph();
  const graph = new Graph({ type: "directed", multi: false, allowSelfLoops: false });
  const looks = nodeLooks(data);
  const preset = new Map(data.nodes.filter((n) => n.x !== undefined).map((n) => [n.id, { x: n.x, y: n.y }]));
  const start = preset.size === data.nodes.length ? preset : seedPositions(looks);
  for (const n of looks) graph.addNode(n.id, { label: n.label, size: n.size, color: n.color, ...start.get(n.id) });
  for (const e of data.edges) if (e.from !== e.to && graph.hasNode(e.from) && graph.hasNode(e.to)) graph.mergeEdge(e.from, e.to, { color: e.kind === "construct" ? "#b9a3e3" : "#ccd2dc", size: 1 });
  performance.mark("laid-out");

  // The renderer's own label boxes: every label sigma draws goes through this drawer.
  let boxes = [];
  const measure = document.createElement("canvas").getContext("2d");
  const recordingDrawer = (context, node, settings) => {
    drawDiscNodeLabel(context, node, settings);
    if (!node.label) return;
    measure.font = `${settings.labelWeight} ${settings.labelSize}px ${settings.labelFont}`;
    const x1 = node.x + node.size + 3;
    const baseline = node.y + settings.labelSize / 3;
    boxes.push({ x1, x2: x1 + measure.measureText(node.label).width, y1: baseline - settings.labelSize * 0.8, y2: baseline + settings.labelSize * 0.25 });
  };
  const container = document.getElementById("view");
  const renderer = new Sigma(graph, container, {
    defaultDrawNodeLabel: recordingDrawer,
    defaultEdgeType: "arrow",
    labelFont: "system-ui, sans-serif",
    labelSize: 12,
    labelDensity: config.labelDensity,
    labelGridCellSize: config.labelGridCellSize,
    labelRenderedSizeThreshold: config.labelRenderedSizeThreshold,
    ...config.settings,
  });
  let renders = 0;
  renderer.on("beforeRender", () => {
    boxes = [];
  });
  renderer.on("afterRender", () => renders++);
  await afterPaint();
  performance.mark("drawn");
  const marks = markTimes();

  // The worker layout (offline: the worker starts from a Blob URL): iterations it makes and frames sigma
  // draws while it runs; the page stays interactive meanwhile.
  let worker = null;
  if (config.layout === "worker") {
    const supervisor = new FA2Layout(graph, { settings: { ...forceAtlas2.inferSettings(graph), barnesHutOptimize: graph.order > 500 } });
    let iterations = 0;
    supervisor.worker.addEventListener("message", () => iterations++);
    const renders0 = renders;
    const t0 = performance.now();
    supervisor.start();
    await sleep(config.workerMs);
    supervisor.kill();
    const seconds = (performance.now() - t0) / 1000;
    worker = { iterations, iterationsPerSecond: iterations / seconds, renderedFps: (renders - renders0) / seconds };
  }

  const { width, height } = container.getBoundingClientRect();
  // The closer look is centred on the node with the most callers: where a reader zooms in.
  const hub = looks.reduce((a, b) => (b.size > a.size ? b : a)).id;
  const labelsAt = async (ratio) => {
    const at = ratio === 1 ? { x: 0.5, y: 0.5 } : renderer.getNodeDisplayData(hub);
    renderer.getCamera().setState({ x: at.x, y: at.y, ratio, angle: 0 });
    renderer.refresh();
    await afterPaint();
    const nodesInView = graph.filterNodes((_, a) => {
      const p = renderer.graphToViewport(a);
      return p.x >= 0 && p.x <= width && p.y >= 0 && p.y <= height;
    }).length;
    return { nodesInView, ...labelOverlaps(boxes, width, height) };
  };
  const labels = { fit: await labelsAt(1), zoom8: await labelsAt(1 / 8) };
  await labelsAt(1);

  const camera = renderer.getCamera();
  const pan = await panFor(2000, (dx, dy) => {
    const state = camera.getState();
    // Camera coordinates are in the normalised graph frame: a pixel is `ratio / size` of it.
    camera.setState({ x: state.x + (dx * state.ratio) / width, y: state.y + (dy * state.ratio) / height });
  }, () => renders);

  renderer.kill();
  return { marks, labels, pan, worker, nodes: graph.order, edges: graph.size };
});
