import type { QuantityKind } from "./units.js";

/** A measurable quantity a bound can limit. */
export type Metric = "execution_time" | "memory_usage" | "error_rate" | "throughput" | "calls" | "volume" | "latency";

export interface MetricInfo {
  kind: QuantityKind;
  /** Where the metric may be bounded. */
  context: "constraint" | "flow";
  /** Which sugar keys exist: `max_<metric>` and/or `min_<metric>`. */
  sugar: readonly ("max" | "min")[];
  /** The operator a plain `metric: value` means: costs are upper bounds, throughput a lower one. */
  plainOp: "<=" | ">=";
  /** Whether `percentile` selects the statistic of this metric. */
  usesPercentile: boolean;
}

export const metrics: Record<Metric, MetricInfo> = {
  execution_time: { kind: "duration", context: "constraint", sugar: ["max", "min"], plainOp: "<=", usesPercentile: true },
  memory_usage: { kind: "size", context: "constraint", sugar: ["max"], plainOp: "<=", usesPercentile: false },
  error_rate: { kind: "ratio", context: "constraint", sugar: ["max"], plainOp: "<=", usesPercentile: false },
  throughput: { kind: "rate", context: "constraint", sugar: ["min"], plainOp: ">=", usesPercentile: false },
  calls: { kind: "count", context: "flow", sugar: ["max"], plainOp: "<=", usesPercentile: false },
  volume: { kind: "size", context: "flow", sugar: ["max"], plainOp: "<=", usesPercentile: false },
  latency: { kind: "duration", context: "flow", sugar: ["max"], plainOp: "<=", usesPercentile: true },
};

/** What a bound key means: the metric and, for sugar, the direction it fixes. */
export interface BoundKey {
  metric: Metric;
  sugar?: "max" | "min";
}

/** Every bound key (`execution_time`, `max_execution_time`, …) and its meaning. */
export const boundKeys: ReadonlyMap<string, BoundKey> = new Map(
  (Object.entries(metrics) as [Metric, MetricInfo][]).flatMap(([metric, info]) => [
    [metric, { metric }] as [string, BoundKey],
    ...info.sugar.map((s) => [`${s}_${metric}`, { metric, sugar: s }] as [string, BoundKey]),
  ]),
);

/** Non-bound keys of constraint (and defaults) blocks. */
export const constraintSettingKeys = ["percentile", "algorithm", "mutations", "workload", "equivalence", "severity"] as const;
/** Non-bound keys of flow blocks. */
export const flowSettingKeys = ["percentile", "severity"] as const;

export const percentiles = ["p50", "p75", "p90", "p95", "p99", "p999", "max", "mean"] as const;
export type Percentile = (typeof percentiles)[number];
export const DEFAULT_PERCENTILE: Percentile = "p95";

/** Mutation operators of spec section 7, in catalog order. */
export const mutationOperators = [
  "algorithm_swap", "set_membership", "map_index", "hoist_invariant", "loop_fusion", "accumulator_mutation",
  "early_exit", "sort_keys", "string_builder", "index_loop", "memoize",
] as const;
export type MutationOperator = (typeof mutationOperators)[number];

/** Keys allowed in a block of the given context. */
export function keysFor(context: "constraint" | "flow"): string[] {
  const bounds = [...boundKeys].filter(([, b]) => metrics[b.metric].context === context).map(([k]) => k);
  return [...bounds, ...(context === "constraint" ? constraintSettingKeys : flowSettingKeys)];
}
