import type { Binding } from "./bind.js";
import { sortedEdges, sortedNodes, type GraphEdge, type GraphNode, type LivingGraph } from "./living-graph.js";

/**
 * What the diagram exporters (DOT, Mermaid, HTML) draw: named nodes grouped
 * by file, and edges. Anonymous callbacks are left out (their calls are
 * already drawn from the named node that encloses them), as are module top
 * levels that call nothing.
 */
export interface DiagramData {
  files: { file: string; nodes: GraphNode[] }[];
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Node ids with constraints attached. */
  constrained: Set<string>;
}

export function diagramData(graph: LivingGraph, binding?: Binding): DiagramData {
  const edges = sortedEdges(graph);
  const touched = new Set(edges.flatMap((e) => [e.from, e.to]));
  const nodes = sortedNodes(graph).filter((n) => n.parent === undefined && (n.kind !== "module" || touched.has(n.id)));
  const shown = new Set(nodes.map((n) => n.id));
  const byFile = new Map<string, GraphNode[]>();
  for (const n of nodes) (byFile.get(n.file) ?? byFile.set(n.file, []).get(n.file)!).push(n);
  const files = [...byFile.keys()].sort().map((file) => ({ file, nodes: byFile.get(file)! }));
  const constrained = new Set([...(binding?.byNode.keys() ?? [])].filter((id) => shown.has(id)));
  return { files, nodes, edges: edges.filter((e) => shown.has(e.from) && shown.has(e.to)), constrained };
}

/** A short label for a node: its qualified name, with the kind where the name does not say it. */
export function nodeLabel(n: GraphNode): string {
  if (n.kind === "module") return `${n.file} (top level)`;
  if (n.kind === "interface-method" || n.kind === "abstract-method") return `${n.name} (${n.kind === "interface-method" ? "interface" : "abstract"})`;
  return n.name;
}
