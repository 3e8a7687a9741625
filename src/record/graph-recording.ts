import type { GraphMetrics } from "../graph/export-json.js";
import { edgeKey, type LivingGraph } from "../graph/living-graph.js";
import type { BoundResult } from "../measure/types.js";
import { LogHistogram, type HistogramJson } from "./histogram.js";
import { histogramBuckets } from "./recorded-evidence.js";
import type { Recording } from "./recording.js";

/**
 * Recorded metrics in the shape the Living Graph attaches to its nodes and
 * edges (`cdlc graph --recording`), mirroring the measured ones
 * (src/measure/graph-metrics.ts) with `origin: "recorded"` on each: a node's
 * time distribution, calls and error rate (and, with a CDL file, the
 * verdicts of its bounds decided on the recording); an edge's calls,
 * argument volume and latency.
 */

/**
 * Summary of a histogram with the same fields as a measured distribution.
 * Each value stands for its bucket: its midpoint (values below 1 as 0), or,
 * for whole numbers such as bytes, the one whole number a narrow bucket holds.
 */
export function histogramDistribution(json: HistogramJson, wholeNumbers = false) {
  const h = LogHistogram.fromJSON(json);
  const value = ([low, high]: [number, number]) => {
    if (wholeNumbers && Math.ceil(low) === Math.ceil(high) - 1) return Math.ceil(low);
    return low === 0 ? 0 : (low + high) / 2;
  };
  const q = (p: number) => {
    const range = h.quantile(p)?.range;
    return range === undefined ? null : value(range);
  };
  const buckets = histogramBuckets(h);
  const mean = h.count === 0 ? null : buckets.reduce((sum, b) => sum + value([b.low, b.high]) * b.count, 0) / h.count;
  return { samples: h.count, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: q(1), mean };
}

/** The graph nodes a recording's `from -> to` key joins; undefined when either end is not a node of this graph. */
export function splitRecordedEdgeKey(key: string, graph: Pick<LivingGraph, "nodes">): { from: string; to: string } | undefined {
  // Ids hold no " -> " in practice, but a file name could: take the split whose two ends are both nodes.
  for (let i = key.indexOf(" -> "); i >= 0; i = key.indexOf(" -> ", i + 1)) {
    const from = key.slice(0, i);
    const to = key.slice(i + 4);
    if (graph.nodes.has(from) && graph.nodes.has(to)) return { from, to };
  }
  return undefined;
}

/** A recording's metrics for `renderLivingGraph`; `results` (decided on the same recording) adds each node's verdicts. */
export function graphMetricsFromRecording(recording: Recording, graph: LivingGraph, results?: readonly BoundResult[]): GraphMetrics {
  const nodes = new Map<string, Record<string, unknown>>();
  for (const [id, n] of Object.entries(recording.nodes)) {
    if (!graph.nodes.has(id)) continue;
    const entry: Record<string, unknown> = {
      origin: "recorded",
      timeNs: histogramDistribution(n.timeNs),
      calls: n.calls,
      errors: n.errors,
      errorRate: n.calls > 0 ? n.errors / n.calls : null,
    };
    if (results !== undefined) {
      entry.verdicts = results
        .filter((r) => r.node === id && r.edge === undefined)
        .map((r) => ({ metric: r.metric, op: r.op, limit: r.limit, unit: r.unit, ...(r.percentile !== undefined ? { percentile: r.percentile } : {}), measured: r.measured, interval: r.interval, status: r.status }));
    }
    nodes.set(id, entry);
  }
  const edges: NonNullable<GraphMetrics["edges"]> = new Map();
  for (const [key, e] of Object.entries(recording.edges)) {
    const ends = splitRecordedEdgeKey(key, graph);
    if (ends === undefined) continue;
    const callerCalls = recording.nodes[ends.from]?.calls ?? 0;
    const metrics = {
      calls: { origin: "recorded", total: e.calls, perCallerCall: callerCalls > 0 ? e.calls / callerCalls : null },
      volume: { origin: "recorded", bytesPerCall: histogramDistribution(e.volumeBytes, true) },
      latency: { origin: "recorded", ns: histogramDistribution(e.latencyNs) },
    };
    for (const kind of ["call", "dispatch", "construct"] as const) {
      const k = edgeKey(ends.from, ends.to, kind);
      if (graph.edges.has(k)) edges.set(k, metrics);
    }
  }
  return { nodes, edges };
}
