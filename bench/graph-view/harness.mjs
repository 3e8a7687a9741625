// In-page measurement helpers shared by the candidate clients (bundled into each page by esbuild). The page
// reports through `window.__bench`: the runner waits for `done` and reads `result` (or `error`).

/** The page's graph (and the precomputed positions when the page embeds them), parsed from its JSON block. */
export function readGraph() {
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  performance.mark("parsed");
  return data;
}

/** Resolves once a frame drawn after this call has been handed to the compositor (two animation frames). */
export function afterPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Milliseconds from navigation start to each mark (parsed, laid-out, drawn). */
export function markTimes() {
  const out = {};
  for (const m of performance.getEntriesByType("mark")) out[m.name] = Math.round(m.startTime);
  return out;
}

/**
 * Pans for `ms` milliseconds, calling `step(dx, dy)` on every animation frame, and counts the frames the
 * renderer drew (`renderCount()` is the library's own counter of drawn frames): frames per second, and
 * the longest gap between two animation frames (a stall the user sees).
 */
export async function panFor(ms, step, renderCount) {
  const startRenders = renderCount();
  let ticks = 0;
  let longest = 0;
  const t0 = performance.now();
  let last = t0;
  await new Promise((resolve) => {
    const tick = (now) => {
      ticks++;
      longest = Math.max(longest, now - last);
      last = now;
      if (now - t0 >= ms) return resolve();
      // A slow circle, so that the view stays over the graph.
      const a = (2 * Math.PI * (now - t0)) / ms;
      step(4 * Math.cos(a), 4 * Math.sin(a));
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const seconds = (performance.now() - t0) / 1000;
  return { renderedFps: (renderCount() - startRenders) / seconds, animationFps: ticks / seconds, longestFrameMs: Math.round(longest) };
}

function intersects(a, b) {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

/**
 * Overlaps among label boxes (viewport pixels, {x1, y1, x2, y2}) that lie at least partly inside the
 * `width` × `height` viewport: how many are visible, how many pairs overlap, how many labels overlap
 * another, and how many a greedy pass (in drawing order, the first drawn wins) would keep so that none
 * overlaps — what a collision pass in the renderer's label hook would show.
 */
export function labelOverlaps(boxes, width, height) {
  const visible = boxes.filter((b) => b.x2 > 0 && b.x1 < width && b.y2 > 0 && b.y1 < height && b.x2 > b.x1);
  const cell = 64;
  const grid = new Map();
  const cellsOf = (b) => {
    const out = [];
    for (let gx = Math.floor(b.x1 / cell); gx <= Math.floor(b.x2 / cell); gx++) for (let gy = Math.floor(b.y1 / cell); gy <= Math.floor(b.y2 / cell); gy++) out.push(`${gx},${gy}`);
    return out;
  };
  let pairs = 0;
  const overlapping = new Set();
  visible.forEach((b, i) => {
    const seen = new Set();
    for (const key of cellsOf(b)) {
      for (const j of grid.get(key) ?? []) {
        if (seen.has(j)) continue;
        seen.add(j);
        if (intersects(b, visible[j])) {
          pairs++;
          overlapping.add(i);
          overlapping.add(j);
        }
      }
      grid.set(key, [...(grid.get(key) ?? []), i]);
    }
  });
  const kept = [];
  const keptGrid = new Map();
  for (const b of visible) {
    const cells = cellsOf(b);
    if (cells.some((key) => (keptGrid.get(key) ?? []).some((k) => intersects(b, k)))) continue;
    kept.push(b);
    for (const key of cells) keptGrid.set(key, [...(keptGrid.get(key) ?? []), b]);
  }
  return { visible: visible.length, overlappingPairs: pairs, labelsOverlapping: overlapping.size, keptByGreedyPass: kept.length };
}

/** Runs the page's measurement and publishes its result (or its error) for the runner. */
export function publish(run) {
  window.__bench = { done: false };
  run().then(
    (result) => Object.assign(window.__bench, { done: true, result }),
    (error) => Object.assign(window.__bench, { done: true, error: String(error?.stack ?? error) }),
  );
}

const KIND_COLORS = { module: "#9aa4b5", constructor: "#6f42c1", "interface-method": "#8a93a3", "abstract-method": "#8a93a3" };

/** Shared look of a node for both libraries: label as the current view shows it, size by fan-in, colour by kind. */
export function nodeLooks(data) {
  const fanIn = new Map();
  for (const e of data.edges) fanIn.set(e.to, (fanIn.get(e.to) ?? 0) + 1);
  return data.nodes.map((n) => ({
    id: n.id,
    label: n.kind === "module" ? `${n.file} (top level)` : n.kind === "interface-method" || n.kind === "abstract-method" ? `${n.name} (${n.kind === "interface-method" ? "interface" : "abstract"})` : n.name,
    size: 3 + 2.2 * Math.sqrt(fanIn.get(n.id) ?? 0),
    color: KIND_COLORS[n.kind] ?? "#4f6fa8",
    file: n.file,
  }));
}

/**
 * Starting positions with the program's structure: folders on a circle, each folder's files on a smaller
 * circle around it, each file's nodes around the file. Cheap (linear) and deterministic, so a force layout
 * starting from it keeps files and folders together.
 */
export function seedPositions(nodes) {
  const folders = new Map();
  for (const n of nodes) {
    const folder = n.file.slice(0, Math.max(0, n.file.lastIndexOf("/")));
    const files = folders.get(folder) ?? new Map();
    folders.set(folder, files);
    const list = files.get(n.file) ?? [];
    files.set(n.file, list);
    list.push(n);
  }
  const out = new Map();
  const R = 40 * Math.sqrt(nodes.length + 1);
  [...folders.values()].forEach((files, f) => {
    const a = (2 * Math.PI * f) / folders.size;
    const fx = R * Math.cos(a);
    const fy = R * Math.sin(a);
    const folderSize = [...files.values()].reduce((s, l) => s + l.length, 0);
    const r = 12 * Math.sqrt(folderSize);
    [...files.values()].forEach((list, i) => {
      const b = (2 * Math.PI * i) / files.size;
      const cx = fx + r * Math.cos(b);
      const cy = fy + r * Math.sin(b);
      list.forEach((n, j) => {
        const c = (2 * Math.PI * j) / list.length;
        const rr = 4 * Math.sqrt(list.length);
        out.set(n.id, { x: cx + rr * Math.cos(c), y: cy + rr * Math.sin(c) });
      });
    });
  });
  return out;
}
