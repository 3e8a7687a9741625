import { resolveGraphSelector, stringSelector, UsageError, type LivingGraph } from "../index.js";

/**
 * The nodes an option names (`--focus`, `--node`): a node id as the tool
 * prints it (private `#`, `<module>`, setters' `=`) first, otherwise a
 * selector such as `Cart.total` or a pattern. Unknown or ambiguous names
 * are usage errors that list the nearest names or the candidates, unless
 * exactly one candidate is in `prefer`.
 */
export async function resolveNodeOption(graph: LivingGraph, text: string, option: string, single: boolean, prefer?: ReadonlySet<string>): Promise<string[]> {
  if (graph.nodes.has(text)) return [text];
  const parsed = stringSelector(text);
  if (!parsed.ok) throw new UsageError(`${option}: ${parsed.reason}`);
  const r = await resolveGraphSelector(graph, parsed.selector);
  if (r.status === "none") throw new UsageError(`${option}: no node '${text}'${r.near.length > 0 ? `; nearest: ${r.near.join(", ")}` : ""}`);
  // Among several same-named nodes, the one the command is about (e.g. the constrained one) is meant.
  const preferred = r.status === "ambiguous" ? r.candidates.filter((n) => prefer?.has(n.id) === true) : [];
  if (preferred.length === 1) return [preferred[0]!.id];
  if (r.status === "ambiguous") throw new UsageError(`${option}: '${text}' names ${r.candidates.length} nodes: ${r.candidates.map((n) => n.id).join(", ")}`);
  if (single && r.ids.length !== 1) throw new UsageError(`${option} takes one node, and '${text}' matches ${r.ids.length}`);
  return r.ids;
}
