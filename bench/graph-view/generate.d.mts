import type { LivingGraph } from "../../src/graph/living-graph.js";

/** Types of generate.mjs, for the tests that use it. */
export interface GeneratedNode {
  id: string;
  name: string;
  file: string;
  line: number;
  kind: string;
  modifiers?: string[];
}
export interface GeneratedEdge {
  from: string;
  to: string;
  kind: "call" | "dispatch" | "construct";
  sites: { line: number; column: number }[];
}
export function generateGraph(size: number, seed?: number): { nodes: GeneratedNode[]; edges: GeneratedEdge[]; folders: number; files: number };
export function livingGraphOf(generated: ReturnType<typeof generateGraph>, root?: string): LivingGraph;
