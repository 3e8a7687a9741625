import type { Location } from "../diagnostics/types.js";

/**
 * The Living Graph: every operation (node) of a TypeScript or JavaScript
 * program and the calls between them (edges). The graph holds only what is
 * known statically; measured statistics are kept by later stages in their
 * own tables keyed by node id, and attached when exporting.
 */

/** What kind of declaration a node is. */
export type NodeKind =
  | "function"
  | "method"
  | "constructor"
  | "getter"
  | "setter"
  | "arrow"
  | "function-expression"
  | "object-method"
  | "abstract-method"
  | "interface-method"
  | "module";

/** A position in a program file: 1-based line and column, and the 0-based offsets of the node's name. */
export type NodeSpan = Omit<Location, "file">;

export interface GraphNode {
  /** `<file relative to the project root>#<qualified name>`. */
  id: string;
  /** The qualified name: `Cart.total`, `handlers.run`, `sortUsers`. */
  name: string;
  /** The file relative to the project root, with `/`. */
  file: string;
  line: number;
  column: number;
  kind: NodeKind;
  /** For anonymous functions (callbacks): the enclosing named node that their calls are attributed to. */
  parent?: string;
  /** `static`, `private`, `async`, `generator`, `exported`, where they apply. */
  modifiers?: string[];
  /** Where the node's name is (for diagnostics pointing at the declaration). */
  span: NodeSpan;
}

export type EdgeKind = "call" | "dispatch" | "construct";

export interface CallSite {
  line: number;
  column: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Call sites in the caller's file, sorted. */
  sites: CallSite[];
}

export interface LivingGraph {
  /** Absolute path of the project root (the folder of the tsconfig). */
  root: string;
  nodes: Map<string, GraphNode>;
  /** Keyed by `edgeKey(from, to, kind)`. */
  edges: Map<string, GraphEdge>;
  /** Program files the graph was built from, relative to the root, sorted. */
  files: string[];
}

export function edgeKey(from: string, to: string, kind: EdgeKind): string {
  return `${from}\u0000${to}\u0000${kind}`;
}

export function createGraph(root: string): LivingGraph {
  return { root, nodes: new Map(), edges: new Map(), files: [] };
}

function compareSites(a: CallSite, b: CallSite): number {
  return a.line - b.line || a.column - b.column;
}

/** Adds an edge or merges its sites into the existing edge of the same from/to/kind. */
export function addEdge(graph: LivingGraph, edge: GraphEdge): void {
  const key = edgeKey(edge.from, edge.to, edge.kind);
  const existing = graph.edges.get(key);
  if (existing === undefined) {
    graph.edges.set(key, { ...edge, sites: [...edge.sites].sort(compareSites) });
    return;
  }
  const seen = new Set(existing.sites.map((s) => `${s.line}:${s.column}`));
  for (const s of edge.sites) if (!seen.has(`${s.line}:${s.column}`)) existing.sites.push(s);
  existing.sites.sort(compareSites);
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Nodes sorted by id: the order every exporter uses. */
export function sortedNodes(graph: LivingGraph): GraphNode[] {
  return [...graph.nodes.values()].sort((a, b) => byString(a.id, b.id));
}

/** Edges sorted by from, to, kind. */
export function sortedEdges(graph: LivingGraph): GraphEdge[] {
  return [...graph.edges.values()].sort((a, b) => byString(a.from, b.from) || byString(a.to, b.to) || byString(a.kind, b.kind));
}

/** Kinds that have a body that runs (and so can be measured or optimized). */
export function isExecutable(node: GraphNode): boolean {
  return node.kind !== "abstract-method" && node.kind !== "interface-method" && node.kind !== "module";
}

/** A named node: not an anonymous callback and not a module's top level. */
export function isNamed(node: GraphNode): boolean {
  return node.parent === undefined && node.kind !== "module";
}
