import { toIr, type IrConstraint, type IrFlow } from "../cdl/compile.js";
import type { ConstraintModel } from "../cdl/model.js";
import type { Binding } from "./bind.js";
import type { NodeImprovement } from "./improvements.js";
import { edgeKey, sortedEdges, sortedNodes, type CallSite, type EdgeKind, type GraphNode, type LivingGraph } from "./living-graph.js";

/**
 * `cdlc graph --format json`: `{ nodes, edges }` as the command-line contract
 * says, sorted by id (nodes) and by from, to, kind (edges). With a CDL file,
 * nodes carry the constraints that apply to them (in the IR's form, with the
 * resolved alternatives) and the document lists the resolved flows.
 */

/** A node as the JSON document shows it: the graph's own fields, without its name span. */
export interface JsonGraphNode extends Pick<GraphNode, "id" | "name" | "file" | "line" | "column" | "kind" | "parent" | "modifiers"> {
  constraints?: (IrConstraint & { alternatives: string[] })[];
  metrics?: Record<string, unknown>;
  /** With `--improved-in`: what that version did to the node. */
  improvedIn?: NodeImprovement;
}

export interface JsonGraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  sites: CallSite[];
  calls?: unknown;
  volume?: unknown;
  latency?: unknown;
}

export interface JsonGraph {
  nodes: JsonGraphNode[];
  edges: JsonGraphEdge[];
  flows?: (IrFlow & { fromNodes: string[]; toNodes: string[] })[];
}

/** What later stages measured, keyed by node id and by `edgeKey`. */
export interface GraphMetrics {
  nodes?: Map<string, Record<string, unknown>>;
  edges?: Map<string, { calls?: unknown; volume?: unknown; latency?: unknown }>;
}

export interface Attachments {
  model?: ConstraintModel;
  binding?: Binding;
  metrics?: GraphMetrics;
  /** By node id: what a version did to each node it improved. */
  improvements?: ReadonlyMap<string, NodeImprovement>;
}

export function toJsonGraph(graph: LivingGraph, attach: Attachments = {}): JsonGraph {
  const ir = attach.model !== undefined ? toIr(attach.model) : undefined;
  const nodes = sortedNodes(graph).map((n) => {
    const out: JsonGraphNode = { id: n.id, name: n.name, file: n.file, line: n.line, column: n.column, kind: n.kind };
    if (n.parent !== undefined) out.parent = n.parent;
    if (n.modifiers !== undefined) out.modifiers = [...n.modifiers];
    const applied = attach.binding?.byNode.get(n.id);
    if (ir !== undefined && applied !== undefined) {
      out.constraints = applied.map((i) => ({ ...ir.constraints[i]!, alternatives: attach.binding!.constraints[i]!.algorithm }));
    }
    const m = attach.metrics?.nodes?.get(n.id);
    if (m !== undefined) out.metrics = m;
    const improved = attach.improvements?.get(n.id);
    if (improved !== undefined) out.improvedIn = improved;
    return out;
  });
  const edges = sortedEdges(graph).map((e) => {
    const out: JsonGraphEdge = { from: e.from, to: e.to, kind: e.kind, sites: e.sites.map((s) => ({ line: s.line, column: s.column })) };
    const m = attach.metrics?.edges?.get(edgeKey(e.from, e.to, e.kind));
    if (m?.calls !== undefined) out.calls = m.calls;
    if (m?.volume !== undefined) out.volume = m.volume;
    if (m?.latency !== undefined) out.latency = m.latency;
    return out;
  });
  const doc: JsonGraph = { nodes, edges };
  if (ir !== undefined && attach.binding !== undefined) {
    doc.flows = ir.flows.map((f, i) => ({ ...f, fromNodes: attach.binding!.flows[i]?.from ?? [], toNodes: attach.binding!.flows[i]?.to ?? [] }));
  }
  return doc;
}

export function exportJson(graph: LivingGraph, attach: Attachments = {}): string {
  return JSON.stringify(toJsonGraph(graph, attach), null, 2) + "\n";
}
