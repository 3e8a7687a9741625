import type { MetricRow } from "./view/page-types.js";
import type { BoundResult } from "../measure/types.js";
import { boundLabel, formatInterval, formatQuantity } from "../report/format.js";

/**
 * The metrics attached to a node or edge (measured with `--measure`, or
 * recorded with `--recording`) as `[label, text]` rows for the HTML view's
 * details panel: formatted here, in TypeScript, so the page script only
 * draws rows. Each list starts with where the figures came from.
 */

export type { MetricRow };

interface Distribution {
  samples: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

function isDistribution(x: unknown): x is Distribution {
  return typeof x === "object" && x !== null && typeof (x as Distribution).samples === "number" && "p50" in x;
}

/** `p50 1.2 ms · p95 3 ms · p99 4 ms · max 5 ms · mean 1.5 ms (1234 calls)`. */
function distributionText(d: Distribution, unit: BoundResult["unit"], counted: string): string {
  if (d.samples === 0) return `no ${counted}`;
  const stats = (["p50", "p95", "p99", "max", "mean"] as const).map((k) => `${k} ${formatQuantity(d[k], unit)}`).join(" · ");
  return `${stats} (${d.samples} ${counted})`;
}

function sourceText(origin: unknown): string {
  return origin === "recorded" ? "recorded (cdlc record)" : "measured";
}

interface VerdictEntry {
  metric: BoundResult["metric"];
  op: BoundResult["op"];
  limit: number;
  unit: BoundResult["unit"];
  percentile?: string;
  measured: number | null;
  interval?: [number, number] | null;
  status: BoundResult["status"];
}

/** A node's metrics as rows. */
export function nodeMetricRows(metrics: Record<string, unknown>): MetricRow[] {
  const recorded = metrics.origin === "recorded";
  const counted = recorded ? "recorded calls" : "samples";
  const rows: MetricRow[] = [["source", sourceText(metrics.origin)]];
  for (const [key, value] of Object.entries(metrics)) {
    if (key === "origin" || value === null || value === undefined) continue;
    if (key === "timeNs" && isDistribution(value)) rows.push(["time per call", distributionText(value, "ns", counted)]);
    else if (key === "memoryBytesPerCall" && typeof value === "number") rows.push(["memory per call", formatQuantity(value, "B")]);
    else if (key === "calls" && typeof value === "number") rows.push(["calls", String(value)]);
    else if (key === "errors" && typeof value === "number") rows.push(["errors", String(value)]);
    else if (key === "errorRate" && typeof value === "number") rows.push(["error rate", formatQuantity(value, "ratio")]);
    else if (key === "verdicts" && Array.isArray(value)) {
      for (const v of value as VerdictEntry[]) {
        const interval = v.interval != null ? `, interval ${formatInterval(v.interval, v.unit)}` : "";
        rows.push([boundLabel(v), `${v.status}${v.measured !== null ? ` · ${recorded ? "recorded" : "measured"} ${formatQuantity(v.measured, v.unit)}${interval}` : ""}`]);
      }
    } else if (key === "failure" && typeof value === "object") {
      const f = value as { kind?: string; message?: string };
      rows.push(["run failed", `${f.kind ?? "failure"}: ${f.message ?? ""}`]);
    } else rows.push([key, typeof value === "string" ? value : JSON.stringify(value)]);
  }
  return rows;
}

/** An edge's metrics (calls, volume, latency) as rows; undefined when it has none. */
export function edgeMetricRows(metrics: { calls?: unknown; volume?: unknown; latency?: unknown } | undefined): MetricRow[] | undefined {
  if (metrics === undefined) return undefined;
  const parts = [metrics.calls, metrics.volume, metrics.latency].filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null);
  if (parts.length === 0) return undefined;
  const recorded = parts.some((p) => p.origin === "recorded");
  const counted = recorded ? "recorded calls" : "samples";
  const rows: MetricRow[] = [["source", sourceText(recorded ? "recorded" : undefined)]];
  const calls = metrics.calls as { perCase?: unknown; total?: unknown; perCallerCall?: unknown } | undefined;
  if (calls !== undefined && isDistribution(calls.perCase)) rows.push(["calls per case", distributionText(calls.perCase, "count", "cases")]);
  if (calls !== undefined && typeof calls.total === "number") {
    const perCall = typeof calls.perCallerCall === "number" ? `, ${formatQuantity(calls.perCallerCall, "count")} per call of the caller on average` : "";
    rows.push(["calls", `${calls.total}${perCall}`]);
  }
  const volume = (metrics.volume as { bytesPerCall?: unknown } | undefined)?.bytesPerCall;
  if (isDistribution(volume)) rows.push(["argument size per call", distributionText(volume, "B", counted)]);
  const latency = (metrics.latency as { ns?: unknown } | undefined)?.ns;
  if (isDistribution(latency)) rows.push(["latency", distributionText(latency, "ns", counted)]);
  return rows;
}
