import type { BoundResult, MeasureReport } from "../measure/types.js";

/**
 * Which nodes to optimize, in which order: those with a violated bound
 * (every constrained node with `all`, or the named ones), the largest
 * violation first — the ratio of what was measured to the limit (or the
 * reverse for a lower bound), so the node furthest from its budget gets
 * the budget first.
 */
export interface PickedNode {
  node: string;
  /** Its failed bounds, as text. */
  violated: string[];
  /** How far over its worst bound it is (1 = at the limit; 0 when nothing failed). */
  severity: number;
}

export function pickNodes(report: MeasureReport, constrained: readonly string[], o: { all?: boolean; nodes?: readonly string[] }): PickedNode[] {
  const chosen = o.nodes !== undefined && o.nodes.length > 0 ? constrained.filter((n) => o.nodes!.includes(n)) : constrained;
  const picked = chosen.map((node): PickedNode => {
    const failed = report.results.filter((r) => r.node === node && r.status === "fail");
    return { node, violated: failed.map(boundText), severity: Math.max(0, ...failed.map(overBy)) };
  });
  const wanted = o.all === true || (o.nodes !== undefined && o.nodes.length > 0) ? picked : picked.filter((p) => p.violated.length > 0);
  return wanted.sort((a, b) => b.severity - a.severity || a.node.localeCompare(b.node));
}

/** `execution_time p95 <= 1000000 ns`, as the contract writes a violated bound. */
export function boundText(r: Pick<BoundResult, "metric" | "op" | "limit" | "unit" | "percentile" | "edge">): string {
  const what = r.edge !== undefined ? `${r.metric} ${r.edge.from} -> ${r.edge.to}` : r.metric;
  return `${what}${r.percentile !== undefined ? ` ${r.percentile}` : ""} ${r.op} ${r.limit} ${r.unit}`;
}

function overBy(r: BoundResult): number {
  if (r.measured === null || r.limit === 0) return 1;
  const ratio = r.op.startsWith(">") ? r.limit / r.measured : r.measured / r.limit;
  return Number.isFinite(ratio) ? ratio : 1;
}
