import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { MutationOperator } from "../cdl/properties.js";
import type { Binding } from "../graph/bind.js";
import type { LivingGraph } from "../graph/living-graph.js";
import type { MutationTarget } from "./types.js";

/**
 * The nodes a CDL file lets the engine rewrite, from the binding: one
 * target per constrained node. A node under several constraints may use
 * only the operators every one of them allows, and every alternative any
 * of them lists.
 */
export function mutationTargets(graph: LivingGraph, binding: Binding): MutationTarget[] {
  const out: MutationTarget[] = [];
  const texts = new Map<string, string>();
  for (const [id, indexes] of binding.byNode) {
    const node = graph.nodes.get(id);
    if (node === undefined) continue;
    const constraints = indexes.map((i) => binding.constraints[i]!);
    let mutations: MutationTarget["mutations"] = "all";
    for (const c of constraints) mutations = intersect(mutations, c.spec.mutations);
    const path = join(graph.root, node.file);
    if (!texts.has(path)) texts.set(path, readFileSync(path, "utf8"));
    out.push({ node: id, file: node.file, qualifiedName: node.name, source: texts.get(path)!, mutations, algorithm: [...new Set(constraints.flatMap((c) => c.algorithm))] });
  }
  return out.sort((a, b) => a.node.localeCompare(b.node));
}

function intersect(a: MutationTarget["mutations"], b: MutationTarget["mutations"]): MutationTarget["mutations"] {
  if (a === "none" || b === "none") return "none";
  if (a === "all") return b;
  if (b === "all") return a;
  const kept: MutationOperator[] = a.filter((op) => b.includes(op));
  return kept.length === 0 ? "none" : kept;
}
