import type Graph from "graphology";
import type { PageData, PageNode } from "../page-types.js";
import { EDGE_COLOURS, edgeSize, FOLDER_COLOUR, folderSize, nodeColour, VERDICT_COLOURS, worstVerdict } from "./look.js";

/**
 * Folders that stand for their nodes. A large program opens with its
 * constrained nodes, their callers and callees shown, and every other node
 * inside a folder node (at the centre of the nodes it holds, coloured by
 * their worst verdict so that a failure is never hidden); a click opens a
 * folder. Edges into a closed folder are drawn once per pair, as wide as
 * the calls they stand for.
 */

/** At most this many nodes: everything is shown from the start. */
export const SHOW_ALL_UP_TO = 300;

export const folderNodeId = (folder: number): string => `folder:${folder}`;

export class Groups {
  /** Folders shown node by node. */
  private readonly open = new Set<number>();
  /** Nodes shown even inside a closed folder: constrained ones and their neighbours. */
  private readonly pinned = new Set<string>();
  private readonly byFolder: PageNode[][];

  constructor(
    private readonly data: PageData,
    private readonly graph: Graph,
  ) {
    this.byFolder = data.folders.map(() => []);
    for (const n of data.nodes) this.byFolder[n.folder]!.push(n);
    if (data.nodes.length <= SHOW_ALL_UP_TO) data.folders.forEach((_, i) => this.open.add(i));
    else {
      const constrained = new Set(data.nodes.filter((n) => n.constraints.length > 0 || n.verdict !== undefined).map((n) => n.id));
      for (const id of constrained) this.pinned.add(id);
      for (const e of data.edges) {
        if (constrained.has(e.from)) this.pinned.add(e.to);
        if (constrained.has(e.to)) this.pinned.add(e.from);
      }
    }
    data.folders.forEach((name, i) => graph.addNode(folderNodeId(i), { x: 0, y: 0, size: 1, label: `${name}/`, color: FOLDER_COLOUR, hidden: true, folder: i, isFolder: true }));
    this.apply();
  }

  isShown(n: PageNode): boolean {
    return this.open.has(n.folder) || this.pinned.has(n.id);
  }

  isOpen(folder: number): boolean {
    return this.open.has(folder);
  }

  closedFolders(): number {
    return this.byFolder.filter((members, i) => members.some((n) => !this.isShown(n)) && !this.open.has(i)).length;
  }

  membersOf(folder: number): readonly PageNode[] {
    return this.byFolder[folder]!;
  }

  openFolder(folder: number): void {
    this.open.add(folder);
    this.apply();
  }

  closeFolder(folder: number): void {
    this.open.delete(folder);
    this.apply();
  }

  openAll(): void {
    this.data.folders.forEach((_, i) => this.open.add(i));
    this.apply();
  }

  /** Shows one node (a search hit, a link) without opening the rest of its folder. */
  reveal(n: PageNode): void {
    if (this.isShown(n)) return;
    this.pinned.add(n.id);
    this.apply();
  }

  /** Writes the shown state into the graph the renderer draws. */
  private apply(): void {
    const graph = this.graph;
    for (const n of this.data.nodes) graph.setNodeAttribute(n.id, "hidden", !this.isShown(n));
    this.byFolder.forEach((members, i) => {
      const hidden = members.filter((n) => !this.isShown(n));
      const id = folderNodeId(i);
      if (hidden.length === 0) {
        graph.setNodeAttribute(id, "hidden", true);
        return;
      }
      const verdict = worstVerdict(hidden.map((n) => n.verdict));
      graph.mergeNodeAttributes(id, {
        hidden: false,
        x: hidden.reduce((s, n) => s + n.x, 0) / hidden.length,
        y: hidden.reduce((s, n) => s + n.y, 0) / hidden.length,
        size: folderSize(hidden.length),
        label: `${this.data.folders[i]}/ (${hidden.length}${hidden.length === members.length ? "" : ` of ${members.length}`})`,
        color: verdict === undefined || verdict === "pass" ? FOLDER_COLOUR : VERDICT_COLOURS[verdict],
        members: hidden.length,
      });
    });
    // Edges: real ones between shown nodes; one per pair for the rest.
    graph.forEachEdge((key, attributes) => {
      if (attributes.aggregate === true) graph.dropEdge(key);
    });
    const shownIds = new Set(this.data.nodes.filter((n) => this.isShown(n)).map((n) => n.id));
    const folderOfNode = new Map(this.data.nodes.map((n) => [n.id, n.folder]));
    const stand = (id: string) => (shownIds.has(id) ? id : folderNodeId(folderOfNode.get(id)!));
    const pairs = new Map<string, { from: string; to: string; edges: number; calls?: number }>();
    for (const e of this.data.edges) {
      const both = shownIds.has(e.from) && shownIds.has(e.to);
      const key = `${e.from}\u0000${e.to}\u0000${e.kind}`;
      if (graph.hasEdge(key)) graph.setEdgeAttribute(key, "hidden", !both);
      if (both) continue;
      const from = stand(e.from);
      const to = stand(e.to);
      if (from === to) continue;
      const pair = pairs.get(`${from}\u0000${to}`) ?? { from, to, edges: 0 };
      pair.edges++;
      if (e.calls !== undefined) pair.calls = (pair.calls ?? 0) + e.calls;
      pairs.set(`${from}\u0000${to}`, pair);
    }
    for (const [key, p] of pairs) {
      graph.addDirectedEdgeWithKey(`agg\u0000${key}`, p.from, p.to, { aggregate: true, edges: p.edges, size: Math.min(6, edgeSize(p) + Math.log10(p.edges)), color: EDGE_COLOURS.call });
    }
  }
}

/** A real node's attributes in the rendered graph. */
export function nodeAttributes(n: PageNode, size: number): Record<string, unknown> {
  return { x: n.x, y: n.y, size, label: n.label, color: nodeColour(n), forceLabel: n.constraints.length > 0 };
}
