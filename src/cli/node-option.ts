import { resolveGraphSelector, stringSelector, UsageError, type LivingGraph } from "../index.js";

/**
 * The nodes an option names (`--focus`, `--node`): a node id as the tool
 * prints it (private `#`, `<module>`, setters' `=`) first, otherwise a
 * selector such as `Cart.total` or a pattern. Unknown or ambiguous names
 * are usage errors that list the nearest names or the candidates.
 */
export async function resolveNodeOption(graph: LivingGraph, text: string, option: string, single: boolean): Promise<string[]> {
  if (graph.nodes.has(text)) return [text];
  const parsed = stringSelector(text);
  if (!parsed.ok) throw new UsageError(`${option}: ${parsed.reason}`);
  const r = await resolveGraphSelector(graph, parsed.selector);
  if (r.status === "none") throw new UsageError(`${option}: no node '${text}'${r.near.length > 0 ? `; nearest: ${r.near.join(", ")}` : ""}`);
  if (r.status === "ambiguous") throw new UsageError(`${option}: '${text}' names ${r.candidates.length} nodes: ${r.candidates.map((n) => n.id).join(", ")}`);
  if (single && r.ids.length !== 1) throw new UsageError(`${option} takes one node, and '${text}' matches ${r.ids.length}`);
  return r.ids;
}
