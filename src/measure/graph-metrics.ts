import type { GraphMetrics } from "../graph/export-json.js";
import { edgeKey, type LivingGraph } from "../graph/living-graph.js";
import { mean } from "./stats/mean.js";
import { quantileSorted, sortAscending } from "./stats/quantile.js";
import type { MeasureReport } from "./types.js";

/** A distribution summary of samples (ns or bytes), with the estimators the decisions use; null when empty. */
function distribution(samples: readonly number[]) {
  if (samples.length === 0) return { samples: 0, p50: null, p95: null, p99: null, max: null, mean: null };
  const sorted = sortAscending(samples);
  return { samples: sorted.length, p50: quantileSorted(sorted, 0.5), p95: quantileSorted(sorted, 0.95), p99: quantileSorted(sorted, 0.99), max: sorted[sorted.length - 1]!, mean: mean(sorted) };
}

/**
 * Measured metrics in the shape the Living Graph attaches to its nodes and
 * edges (`cdlc graph FILE --measure`): time distribution, memory, error
 * rate and the decided bounds on nodes; calls, volume and latency on the
 * graph's edges (of any kind) between a flow's caller and callee.
 */
export function graphMetricsFromReport(report: MeasureReport, graph: LivingGraph): GraphMetrics {
  const nodes = new Map<string, Record<string, unknown>>();
  for (const n of report.nodes) {
    const entry: Record<string, unknown> = {
      timeNs: distribution(n.timesNs),
      memoryBytesPerCall: n.memoryBytes.length > 0 ? mean(n.memoryBytes) : null,
      calls: n.calls,
      errorRate: n.calls > 0 ? n.errors / n.calls : null,
      verdicts: report.results
        .filter((r) => r.node === n.node && r.edge === undefined)
        .map((r) => ({ metric: r.metric, op: r.op, limit: r.limit, unit: r.unit, measured: r.measured, interval: r.interval, status: r.status })),
    };
    if (n.failure !== undefined) entry.failure = n.failure;
    nodes.set(n.node, entry);
  }
  const edges: NonNullable<GraphMetrics["edges"]> = new Map();
  for (const e of report.edges) {
    const metrics = {
      calls: { perCase: distribution(e.callsPerCase) },
      volume: { bytesPerCall: distribution(e.volumeBytes) },
      latency: { ns: distribution(e.latencyNs) },
    };
    for (const kind of ["call", "dispatch", "construct"] as const) {
      const key = edgeKey(e.from, e.to, kind);
      if (graph.edges.has(key)) edges.set(key, metrics);
    }
  }
  return { nodes, edges };
}
