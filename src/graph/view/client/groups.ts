import { MultiDirectedGraph } from "graphology";
import type { PageData, PageNode } from "../page-types.js";
import { EDGE_COLOURS, edgeColour, edgeSize, FOLDER_COLOUR, folderSize, nodeColour, VERDICT_COLOURS, worstVerdict } from "./look.js";
import { separate, type Disc } from "./separate.js";

/**
 * Folders that stand for their nodes. A large program opens with its
 * constrained nodes, their callers and callees shown, and every other node
 * inside a folder node (at the centre of the nodes it holds, coloured by
 * their worst verdict so that a failure is never hidden); a click opens a
 * folder. Edges into a closed folder are drawn once per pair, as wide as
 * the calls they stand for.
 *
 * Each change builds the graph to draw afresh and hands it to the renderer
 * whole: changing thousands of nodes one by one in the drawn graph costs a
 * renderer pass per change (tens of seconds at 10,000 nodes).
 */

/** At most this many nodes: everything is shown from the start. */
export const SHOW_ALL_UP_TO = 300;

export const folderNodeId = (folder: number): string => `folder:${folder}`;

export const edgeId = (from: string, to: string, kind: string): string => `${from}\u0000${to}\u0000${kind}`;

export class Groups {
  /** Folders shown node by node. */
  private readonly open = new Set<number>();
  /** Nodes shown even inside a closed folder: constrained ones and their callers and callees… */
  private readonly core = new Set<string>();
  /** …and search hits and link targets, until their folder is closed. */
  private readonly pinned = new Set<string>();
  private readonly byFolder: PageNode[][];

  constructor(
    private readonly data: PageData,
    private readonly sizes: ReadonlyMap<string, number>,
  ) {
    this.byFolder = data.folders.map(() => []);
    for (const n of data.nodes) this.byFolder[n.folder]!.push(n);
    if (data.nodes.length <= SHOW_ALL_UP_TO) data.folders.forEach((_, i) => this.open.add(i));
    else {
      const constrained = new Set(data.nodes.filter((n) => n.constraints.length > 0 || n.verdict !== undefined).map((n) => n.id));
      for (const id of constrained) this.core.add(id);
      for (const e of data.edges) {
        if (constrained.has(e.from)) this.core.add(e.to);
        if (constrained.has(e.to)) this.core.add(e.from);
      }
    }
  }

  isShown(n: PageNode): boolean {
    return this.open.has(n.folder) || this.core.has(n.id) || this.pinned.has(n.id);
  }

  isOpen(folder: number): boolean {
    return this.open.has(folder);
  }

  closedFolders(): number {
    return this.byFolder.filter((members) => members.some((n) => !this.isShown(n))).length;
  }

  membersOf(folder: number): readonly PageNode[] {
    return this.byFolder[folder]!;
  }

  openFolder(folder: number): void {
    this.open.add(folder);
  }

  closeFolder(folder: number): void {
    this.open.delete(folder);
    for (const n of this.byFolder[folder]!) this.pinned.delete(n.id);
  }

  openAll(): void {
    this.data.folders.forEach((_, i) => this.open.add(i));
  }

  /** Shows one node (a search hit, a link) without opening the rest of its folder; false if it was shown already. */
  reveal(n: PageNode): boolean {
    if (this.isShown(n)) return false;
    this.pinned.add(n.id);
    return true;
  }

  /** The graph to draw: shown nodes, closed folders (moved apart: see separate.ts), edges between them. */
  build(unitsPerPixel: number): MultiDirectedGraph {
    const graph = new MultiDirectedGraph();
    const shown = new Set<string>();
    const discs: Disc[] = [];
    for (const n of this.data.nodes) {
      if (!this.isShown(n)) continue;
      shown.add(n.id);
      const size = this.sizes.get(n.id)!;
      graph.addNode(n.id, { x: n.x, y: n.y, size, label: labelOf(n), color: nodeColour(n), forceLabel: n.constraints.length > 0 || n.verdict !== undefined || n.improved !== undefined });
      discs.push({ x: n.x, y: n.y, size, movable: false });
    }
    const folders: { id: string; disc: Disc; attributes: Record<string, unknown> }[] = [];
    this.byFolder.forEach((members, i) => {
      const hidden = members.filter((n) => !shown.has(n.id));
      if (hidden.length === 0) return;
      const verdict = worstVerdict(hidden.map((n) => n.verdict));
      const disc = { x: hidden.reduce((s, n) => s + n.x, 0) / hidden.length, y: hidden.reduce((s, n) => s + n.y, 0) / hidden.length, size: folderSize(hidden.length), movable: true };
      discs.push(disc);
      folders.push({
        id: folderNodeId(i),
        disc,
        attributes: {
          size: disc.size,
          label: `${this.data.folders[i]}/ (${hidden.length}${hidden.length === members.length ? "" : ` of ${members.length}`})`,
          color: verdict === undefined || verdict === "pass" ? FOLDER_COLOUR : VERDICT_COLOURS[verdict],
          isFolder: true,
          folder: i,
          members: hidden.length,
        },
      });
    });
    separate(discs, unitsPerPixel);
    for (const f of folders) graph.addNode(f.id, { ...f.attributes, x: f.disc.x, y: f.disc.y });
    const folderOf = new Map(this.data.nodes.map((n) => [n.id, n.folder]));
    const stand = (id: string) => (shown.has(id) ? id : folderNodeId(folderOf.get(id)!));
    const pairs = new Map<string, { from: string; to: string; edges: number; calls?: number }>();
    for (const e of this.data.edges) {
      // A function calling itself keeps its edge in the details panel; a loop on the drawing says nothing more.
      if (e.from === e.to) continue;
      if (shown.has(e.from) && shown.has(e.to)) {
        graph.addDirectedEdgeWithKey(edgeId(e.from, e.to, e.kind), e.from, e.to, { size: edgeSize(e), color: edgeColour(e) });
        continue;
      }
      const from = stand(e.from);
      const to = stand(e.to);
      if (from === to) continue;
      const key = `${from}\u0000${to}`;
      const pair = pairs.get(key) ?? { from, to, edges: 0 };
      pair.edges++;
      if (e.calls !== undefined) pair.calls = (pair.calls ?? 0) + e.calls;
      pairs.set(key, pair);
    }
    for (const [key, p] of pairs) {
      graph.addDirectedEdgeWithKey(`folders\u0000${key}`, p.from, p.to, { edges: p.edges, size: Math.min(6, edgeSize(p) + Math.log10(p.edges)), color: EDGE_COLOURS.call });
    }
    return graph;
  }
}

/** A node's label; a node a version made faster says by how much (`sortUsers  ⇣×41.6`). */
export function labelOf(n: PageNode): string {
  if (n.improved === undefined) return n.label;
  return `${n.label}  ⇣${n.improved.factor !== null ? `×${n.improved.factor.toFixed(1)}` : ""}`;
}
