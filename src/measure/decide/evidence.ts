import { quantileBounds, quantileSignTest, quantileSorted, runDesignEffect, sortAscending } from "../stats/quantile.js";
import { runMeanEstimate, tBounds, tTest } from "../stats/mean.js";
import { scoreTest, wilsonInterval } from "../stats/proportion.js";
import type { SampleBatch } from "../sampler.js";
import type { BoundSpec } from "./spec.js";

/** What one run contributes; a runner's `SampleBatch` is one. */
export type RunData = Pick<SampleBatch, "timesNs" | "memoryBytes" | "calls" | "errors" | "batchSize" | "edges">;

/**
 * What the data say about one bound's statistic θ at one look, as two
 * one-sided tests against the limit and the interval dual to them.
 */
export interface Evidence {
  measured: number;
  samples: number;
  /** p-value of H0 "θ ≤ limit" (small ⇒ θ is above the limit). */
  pAbove: number;
  /** p-value of H0 "θ ≥ limit" (small ⇒ θ is below the limit). */
  pBelow: number;
  /** Confidence bounds with one-sided error levels; `lower > limit` ⇔ `pAbove ≤ alphaLower`. */
  interval(alphaLower: number, alphaUpper: number): [number, number];
  method: string;
  /** A deterministic quantity (counts, sizes): compared with the limit directly. */
  exact?: boolean;
  note?: string;
}

/** The level of a named percentile (`p999` → 0.999); undefined for `mean` and `max`. */
export function percentileLevel(name: string): number | undefined {
  const m = /^p(\d+)$/.exec(name);
  if (!m) return undefined;
  const digits = m[1]!;
  return Number(`0.${digits}`);
}

const BATCH_NOTE = (b: number) =>
  `timed in batches of ${b} calls: percentiles describe the per-call time averaged over a batch, so single-call tails may be longer`;

function quantileEvidence(runs: readonly number[][], p: number, limit: number, batchSize: number): Evidence | undefined {
  const sorted = sortAscending(runs.flat());
  if (sorted.length === 0) return undefined;
  const measured = quantileSorted(sorted, p);
  // Clustering by runs is measured where the decision is made: at the limit.
  // There the count of samples at or below the limit is the test statistic,
  // and its variance across runs is what the design effect must capture; the
  // interval uses the same effect, so it stays the exact dual of the test.
  const deff = runDesignEffect(runs, limit, p);
  const { pAbove, pBelow } = quantileSignTest(sorted, p, limit, deff);
  const ev: Evidence = {
    measured,
    samples: sorted.length,
    pAbove,
    pBelow,
    interval: (a, b) => {
      const q = quantileBounds(sorted, p, a, b, deff);
      return [q.lower, q.upper];
    },
    method: deff > 1 ? "order-statistic (run design effect)" : "order-statistic",
  };
  const notes = [];
  if (deff > 1) notes.push(`spread between runs at the limit: effective sample size ${Math.round(sorted.length / deff)} of ${sorted.length}`);
  if (batchSize > 1) notes.push(BATCH_NOTE(batchSize));
  if (notes.length > 0) ev.note = notes.join("; ");
  return ev;
}

function maxEvidence(values: readonly number[], limit: number, batchSize: number): Evidence | undefined {
  if (values.length === 0) return undefined;
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  // An observed batch mean above the limit proves a call above it; no sample can prove the maximum is below.
  return {
    measured: max,
    samples: values.length,
    pAbove: max > limit ? 0 : 1,
    pBelow: 1,
    interval: () => [max, Infinity],
    method: "maximum",
    note: `a maximum can be shown above a limit but never below it${batchSize > 1 ? `; ${BATCH_NOTE(batchSize)}` : ""}`,
  };
}

/** Runs a mean needs before it can decide anything (t with at least two degrees of freedom). */
export const MIN_RUNS_FOR_MEAN = 3;

function meanEvidence(runs: readonly number[][], limit: number): Evidence | undefined {
  const e = runMeanEstimate(runs);
  if (Number.isNaN(e.estimate)) return undefined;
  const samples = runs.reduce((n, r) => n + r.length, 0);
  if (e.method !== "run-means" || e.replicates < MIN_RUNS_FOR_MEAN) {
    // Batch means of one run cannot see run-to-run variation, and a t on
    // two run means has one degree of freedom: both err far beyond the
    // nominal level at the small levels used here. No decision yet.
    return {
      measured: e.estimate,
      samples,
      pAbove: 1,
      pBelow: 1,
      interval: () => [-Infinity, Infinity],
      method: "mean (undecided)",
      note: `a mean is decided from at least ${MIN_RUNS_FOR_MEAN} runs; ${e.replicates <= 1 || e.method !== "run-means" ? "one run" : `${e.replicates} runs`} so far`,
    };
  }
  const { pAbove, pBelow } = tTest(e, limit);
  return {
    measured: e.estimate,
    samples,
    pAbove,
    pBelow,
    interval: (a, b) => tBounds(e, a, b),
    method: `t on ${e.replicates} run means`,
  };
}

/** Reciprocal transform: a statistic of time per call (ns) as calls per second. */
function asThroughput(time: Evidence | undefined): Evidence | undefined {
  if (!time || !(time.measured > 0)) return undefined;
  const inv = (x: number) => (x <= 0 ? Infinity : 1e9 / x);
  return {
    measured: inv(time.measured),
    samples: time.samples,
    pAbove: time.pBelow,
    pBelow: time.pAbove,
    interval: (a, b) => {
      const [lo, hi] = time.interval(b, a);
      return [inv(hi), inv(lo)];
    },
    method: `1e9 / mean time (${time.method})`,
  };
}

function exactEvidence(values: readonly number[], limit: number, what: string): Evidence | undefined {
  if (values.length === 0) return undefined;
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return { measured: max, samples: values.length, pAbove: max > limit ? 0 : 1, pBelow: max < limit ? 0 : 1, interval: () => [max, max], method: `largest ${what} observed`, exact: true };
}

/** An error rate of `errors` in `calls` against `limit` (score test, Wilson interval). */
export function errorRateEvidence(errors: number, calls: number, limit: number): Evidence {
  const { pAbove, pBelow } = scoreTest(errors, calls, limit);
  return { measured: errors / calls, samples: calls, pAbove, pBelow, interval: (a, b) => wilsonInterval(errors, calls, a, b), method: "wilson" };
}

function edgeRuns(runs: readonly RunData[], edge: { from: string; to: string } | undefined, key: "callsPerCase" | "volumeBytes" | "latencyNs"): number[][] {
  if (!edge) return [];
  return runs.map((r) => r.edges.filter((e) => e.from === edge.from && e.to === edge.to).flatMap((e) => e[key]));
}

/**
 * The evidence for one bound from the runs so far; undefined when the runs
 * hold no data for it.
 */
export function evaluateBound(spec: BoundSpec, runs: readonly RunData[]): Evidence | undefined {
  const batch = Math.max(1, ...runs.map((r) => r.batchSize));
  const timeStatistic = (perRun: number[][], limitNs: number): Evidence | undefined => {
    const pct = spec.percentile ?? "p95";
    if (pct === "mean") return meanEvidence(perRun, limitNs);
    if (pct === "max") return maxEvidence(perRun.flat(), limitNs, batch);
    return quantileEvidence(perRun, percentileLevel(pct) ?? 0.95, limitNs, batch);
  };
  switch (spec.metric) {
    case "execution_time":
      return timeStatistic(runs.map((r) => r.timesNs), spec.limit);
    case "memory_usage": {
      const ev = meanEvidence(runs.map((r) => r.memoryBytes), spec.limit);
      if (ev) ev.method = `mean heap growth per call, ${ev.method}`;
      return ev;
    }
    case "error_rate": {
      const calls = runs.reduce((n, r) => n + r.calls, 0);
      if (calls === 0) return undefined;
      return errorRateEvidence(runs.reduce((n, r) => n + r.errors, 0), calls, spec.limit);
    }
    case "throughput":
      return asThroughput(meanEvidence(runs.map((r) => r.timesNs), spec.limit > 0 ? 1e9 / spec.limit : Infinity));
    case "calls":
      return exactEvidence(edgeRuns(runs, spec.edge, "callsPerCase").flat(), spec.limit, "calls per case");
    case "volume":
      return exactEvidence(edgeRuns(runs, spec.edge, "volumeBytes").flat(), spec.limit, "argument size per call");
    case "latency":
      return timeStatistic(edgeRuns(runs, spec.edge, "latencyNs"), spec.limit);
  }
}

/** p-values of "the bound is violated" (fail) and "the bound holds" (pass) for the bound's operator. */
export function directionalPValues(spec: Pick<BoundSpec, "op" | "limit">, ev: Evidence): { pFail: number; pPass: number } {
  if (ev.exact) {
    const holds = satisfies(ev.measured, spec.op, spec.limit);
    return { pFail: holds ? 1 : 0, pPass: holds ? 0 : 1 };
  }
  switch (spec.op) {
    case "<":
    case "<=":
      return { pFail: ev.pAbove, pPass: ev.pBelow };
    case ">":
    case ">=":
      return { pFail: ev.pBelow, pPass: ev.pAbove };
    case "==":
      // Equality of a continuous statistic can be refuted, never confirmed.
      return { pFail: Math.min(1, 2 * Math.min(ev.pAbove, ev.pBelow)), pPass: 1 };
  }
}

export function satisfies(value: number, op: BoundSpec["op"], limit: number): boolean {
  switch (op) {
    case "<":
      return value < limit;
    case "<=":
      return value <= limit;
    case ">":
      return value > limit;
    case ">=":
      return value >= limit;
    case "==":
      return value === limit;
  }
}
