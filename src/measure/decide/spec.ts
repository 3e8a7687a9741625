import type { Bound, ConstraintSpec, FlowSpec } from "../../cdl/model.js";
import type { BoundResult, SourcePosition } from "../types.js";

/** A bound to decide: everything of a {@link BoundResult} that is known before measuring. */
export type BoundSpec = Pick<BoundResult, "node" | "metric" | "op" | "limit" | "unit" | "percentile" | "severity" | "source" | "declaration" | "edge">;

function position(b: { origin: { location: { file: string; line: number; column: number } } }): SourcePosition {
  const l = b.origin.location;
  return { file: l.file, line: l.line, column: l.column };
}

function specOf(node: string, b: Bound, severity: "error" | "warning", fallbackPercentile: string | undefined, declaration?: SourcePosition): BoundSpec {
  const spec: BoundSpec = { node, metric: b.metric, op: b.op, limit: b.value, unit: b.unit, severity, source: position(b) };
  const percentile = b.percentile ?? (b.metric === "execution_time" || b.metric === "latency" ? fallbackPercentile : undefined);
  if (percentile !== undefined) spec.percentile = percentile;
  if (declaration !== undefined) spec.declaration = declaration;
  return spec;
}

/** The bounds of one constraint applied to one node (a selector may match many). */
export function boundSpecsForNode(constraint: ConstraintSpec, node: string, declaration?: SourcePosition): BoundSpec[] {
  return constraint.bounds.map((b) => specOf(node, b, constraint.severity, constraint.percentile, declaration));
}

/**
 * The bounds of a flow applied to one edge. They are measured while the
 * caller runs, so `node` is the caller.
 */
export function boundSpecsForFlow(flow: FlowSpec, edge: { from: string; to: string }, declaration?: SourcePosition): BoundSpec[] {
  return flow.bounds.map((b) => ({ ...specOf(edge.from, b, flow.severity, "p95", declaration), edge: { from: edge.from, to: edge.to } }));
}
