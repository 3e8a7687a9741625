import type { GraphEdge, LivingGraph } from "./living-graph.js";

/** Adjacency and reachability over the Living Graph (all edge kinds). */

export function outgoing(graph: LivingGraph): Map<string, GraphEdge[]> {
  const out = new Map<string, GraphEdge[]>();
  for (const e of graph.edges.values()) (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e);
  return out;
}

/**
 * Every node reachable from `starts` by following calls (the starts
 * included): one search for many targets. `out`: the graph's `outgoing`
 * map, when the caller searches more than once.
 */
export function reachableFrom(graph: LivingGraph, starts: readonly string[], out = outgoing(graph)): Set<string> {
  const seen = new Set(starts);
  const queue = [...starts];
  for (let i = 0; i < queue.length; i++) {
    for (const e of out.get(queue[i]!) ?? []) {
      if (!seen.has(e.to)) {
        seen.add(e.to);
        queue.push(e.to);
      }
    }
  }
  return seen;
}

/**
 * The neighbourhood of a node: every node within `depth` edges of it, following
 * edges both ways (callers and callees). Returns the graph cut to those nodes.
 */
export function neighbourhood(graph: LivingGraph, focus: string, depth: number): LivingGraph {
  const adjacent = new Map<string, Set<string>>();
  const link = (a: string, b: string): void => void (adjacent.get(a) ?? adjacent.set(a, new Set()).get(a)!).add(b);
  for (const e of graph.edges.values()) {
    link(e.from, e.to);
    link(e.to, e.from);
  }
  const keep = new Set([focus]);
  let frontier = [focus];
  for (let d = 0; d < depth && frontier.length > 0; d++) {
    const next: string[] = [];
    for (const n of frontier) for (const m of adjacent.get(n) ?? []) if (!keep.has(m)) (keep.add(m), next.push(m));
    frontier = next;
  }
  // Anonymous functions follow their parent.
  for (const n of graph.nodes.values()) if (n.parent !== undefined && keep.has(n.parent)) keep.add(n.id);
  const cut: LivingGraph = { root: graph.root, nodes: new Map(), edges: new Map(), files: [] };
  for (const [id, n] of graph.nodes) if (keep.has(id)) cut.nodes.set(id, n);
  for (const [k, e] of graph.edges) if (keep.has(e.from) && keep.has(e.to)) cut.edges.set(k, e);
  cut.files = [...new Set([...cut.nodes.values()].map((n) => n.file))].sort();
  return cut;
}
