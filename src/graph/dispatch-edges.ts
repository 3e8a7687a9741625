import { addEdge, edgeKey, type GraphNode, type LivingGraph } from "./living-graph.js";

/**
 * Dispatch edges from the implementation table (see dispatch.ts, which fills
 * the table with the checker). This half needs no TypeScript, so a graph read
 * back from the cache gets its dispatch edges without loading the compiler.
 */

/** Member id → ids of members that implement or override it directly. */
export type ImplementationTable = Record<string, string[]>;

function implementationsOf(table: ImplementationTable, id: string, nodes: Map<string, GraphNode>): string[] {
  const out = new Set<string>();
  const stack = [...(table[id] ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (out.has(next)) continue;
    out.add(next);
    stack.push(...(table[next] ?? []));
  }
  return [...out].filter((x) => {
    const k = nodes.get(x)?.kind;
    return k !== undefined && k !== "abstract-method" && k !== "interface-method";
  });
}

/** Adds `dispatch` edges for every call edge whose target is an abstract or interface method. */
export function addDispatchEdges(graph: LivingGraph, table: ImplementationTable): void {
  for (const edge of [...graph.edges.values()]) {
    if (edge.kind !== "call") continue;
    const target = graph.nodes.get(edge.to);
    if (target === undefined || (target.kind !== "abstract-method" && target.kind !== "interface-method")) continue;
    for (const impl of implementationsOf(table, edge.to, graph.nodes)) {
      if (!graph.edges.has(edgeKey(edge.from, impl, "dispatch"))) addEdge(graph, { from: edge.from, to: impl, kind: "dispatch", sites: edge.sites.map((s) => ({ ...s })) });
    }
  }
}
