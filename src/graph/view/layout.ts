import { UndirectedGraph } from "graphology";
import { createRequire } from "node:module";

// A CommonJS package whose types declare a default export: required, so that types and runtime agree.
const forceAtlas2 = createRequire(import.meta.url)("graphology-layout-forceatlas2") as typeof import("graphology-layout-forceatlas2").default;

/**
 * Positions for the HTML view, computed when the page is written (in Node,
 * not in the browser: the page then paints at once, and the same graph
 * always gets the same picture). Nodes start grouped — folders around a
 * circle, a folder's files around the folder's centre, a file's nodes
 * around the file's — and ForceAtlas2 then pulls callers and callees
 * together from there, so that folders and files stay recognisable
 * clusters. Deterministic: no randomness anywhere.
 */

export interface LayoutNode {
  id: string;
  folder: string;
  file: string;
}

/** ForceAtlas2 iterations: 100 up to 2,000 nodes, fewer above (the cost grows with n log n per iteration), never under 30. */
export function iterationsFor(nodes: number): number {
  return Math.max(30, Math.min(100, Math.round((100 * 2_000) / Math.max(1, nodes))));
}

export function layoutPositions(nodes: readonly LayoutNode[], edges: readonly { from: string; to: string }[]): Map<string, { x: number; y: number }> {
  const seed = seedPositions(nodes);
  const graph = new UndirectedGraph({ allowSelfLoops: false });
  for (const n of nodes) graph.addNode(n.id, seed.get(n.id)!);
  for (const e of edges) if (e.from !== e.to && graph.hasNode(e.from) && graph.hasNode(e.to)) graph.mergeEdge(e.from, e.to);
  if (graph.order > 1 && graph.size > 0) {
    // Strong gravity keeps isolated nodes and small components near the rest instead of far out at the edges.
    const settings = { ...forceAtlas2.inferSettings(graph), barnesHutOptimize: graph.order > 500, strongGravityMode: true, gravity: 0.5 };
    forceAtlas2.assign(graph, { iterations: iterationsFor(graph.order), settings });
  }
  const out = new Map<string, { x: number; y: number }>();
  graph.forEachNode((id, a) => out.set(id, { x: round(a.x as number), y: round(a.y as number) }));
  return out;
}

/** Folders on a circle, files around their folder, nodes around their file. */
function seedPositions(nodes: readonly LayoutNode[]): Map<string, { x: number; y: number }> {
  const folders = new Map<string, Map<string, LayoutNode[]>>();
  for (const n of nodes) {
    const files = folders.get(n.folder) ?? folders.set(n.folder, new Map()).get(n.folder)!;
    (files.get(n.file) ?? files.set(n.file, []).get(n.file)!).push(n);
  }
  const out = new Map<string, { x: number; y: number }>();
  const ring = 40 * Math.sqrt(nodes.length + 1);
  [...folders.values()].forEach((files, f) => {
    const [fx, fy] = around(0, 0, ring, f, folders.size);
    const inFolder = [...files.values()].reduce((s, list) => s + list.length, 0);
    [...files.values()].forEach((list, i) => {
      const [cx, cy] = around(fx, fy, 12 * Math.sqrt(inFolder), i, files.size);
      list.forEach((n, j) => {
        const [x, y] = around(cx, cy, 4 * Math.sqrt(list.length), j, list.length);
        out.set(n.id, { x, y });
      });
    });
  });
  return out;
}

function around(cx: number, cy: number, r: number, i: number, count: number): [number, number] {
  if (count === 1) return [cx, cy];
  const a = (2 * Math.PI * i) / count;
  return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
}

/** Two decimals: the page's JSON stays small, and the picture is the same. */
function round(v: number): number {
  return Math.round(v * 100) / 100;
}
