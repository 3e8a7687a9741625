import { spendingWeights } from "../stats/spending.js";
import type { BoundResult, EdgeMeasurement, MeasureSettings, NodeMeasurement, SourcePosition } from "../types.js";
import { DEFAULT_ALPHA, decideBounds, type BoundEvidence } from "./decide.js";
import { directionalPValues, evaluateBound, type Evidence } from "./evidence.js";
import { mergeEdges, poolRuns } from "./measurement.js";
import type { NodeProgress, ProgressState } from "./progress-state.js";
import type { MeasureTarget, SampleBatch, Sampler } from "../sampler.js";
import type { BoundSpec } from "./spec.js";

export interface SequentialOptions {
  /** Family-wise error rate of the whole run (default 0.01). */
  alpha?: number;
  /** Time budget per node, ms (the sum of the runs' wall times). */
  timeBudgetMs: number;
  /** Maximum looks (runs) per node, fixed in advance; default 8. */
  maxLooks?: number;
  /**
   * Runs per node at least, as its budget allows, even once its bounds are
   * decided (and for a node without bounds); default 1. Run-to-run
   * variation is only seen across runs, and a later comparison with these
   * samples (a baseline) needs it.
   */
  minLooks?: number;
  /** Exponent of the spending function α·t^ρ; default 1 (equal split). */
  spendingRho?: number;
  /** Samples each run must deliver at least; default 30. */
  minSamples?: number;
  /** Declarations of nodes, for the report. */
  declarations?: ReadonlyMap<string, SourcePosition>;
  onProgress?: (state: ProgressState) => void;
}

export interface SequentialResult {
  results: BoundResult[];
  nodes: NodeMeasurement[];
  edges: EdgeMeasurement[];
  settings: MeasureSettings;
}

/**
 * Measures each target in turn, one run per look, until every bound of
 * the node is decided or its time budget (or the look limit) is used up;
 * then decides all bounds of the run together (see {@link decideBounds}).
 *
 * Early stopping is safe: a node stops once each of its bounds is decided
 * at the Bonferroni level α / (2m) for this look's share of α — a level at
 * which Holm is sure to decide it too — and the final decision uses the
 * sequential p-values, which stay valid however the looks were chosen.
 * Nodes run one after another: concurrent runs would disturb each other's
 * timings.
 */
export async function runSequential(sampler: Sampler, targets: readonly MeasureTarget[], bounds: readonly BoundSpec[], options: SequentialOptions): Promise<SequentialResult> {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const maxLooks = Math.max(1, Math.floor(options.maxLooks ?? 8));
  const minLooks = Math.min(maxLooks, Math.max(1, Math.floor(options.minLooks ?? 1)));
  const rho = options.spendingRho ?? 1;
  const weights = spendingWeights(maxLooks, rho);
  const minSamples = options.minSamples ?? 30;
  const targetNodes = new Set(targets.map((t) => t.node));
  const m = bounds.filter((b) => targetNodes.has(b.node)).length;
  const stopLevel = alpha / Math.max(1, 2 * m);

  // A node without bounds (plain `bench`) has nothing to decide: it gets the minimum of looks.
  const lookLimitOf = (boundCount: number) => (boundCount === 0 ? minLooks : maxLooks);
  const progress: NodeProgress[] = targets.map((t) => {
    const own = bounds.filter((b) => b.node === t.node).length;
    return { node: t.node, status: "pending", samples: 0, looks: 0, maxLooks: lookLimitOf(own), usedMs: 0, budgetMs: options.timeBudgetMs, bounds: own, decided: 0 };
  });
  const emit = (event: ProgressState["event"]) => options.onProgress?.({ nodes: progress.map((p) => ({ ...p })), event });
  emit({ kind: "start" });

  const evidence = new Map<BoundSpec, BoundEvidence>();
  const nodes: NodeMeasurement[] = [];
  const edgeLists: EdgeMeasurement[][] = [];

  for (const [ti, target] of targets.entries()) {
    const mine = bounds.filter((b) => b.node === target.node);
    const looks = new Map<BoundSpec, Evidence[]>(mine.map((b) => [b, []]));
    const batches: SampleBatch[] = [];
    const p = progress[ti]!;
    p.status = "running";
    let used = 0;
    let failure: string | undefined;
    const lookLimit = lookLimitOf(mine.length);
    for (let k = 0; k < lookLimit; k++) {
      const remaining = options.timeBudgetMs - used;
      if (remaining <= 0) break;
      const batch = await sampler.sample({ target, minSamples, timeBudgetMs: remaining / (lookLimit - k) });
      used += Math.max(0, batch.wallTimeMs);
      if (batch.failure) {
        failure = `${batch.failure.kind}: ${batch.failure.message}`;
        batches.push(batch);
        break;
      }
      batches.push(batch);
      edgeLists.push(batch.edges);
      let decided = 0;
      for (const b of mine) {
        const ev = evaluateBound(b, batches);
        if (ev === undefined) continue;
        looks.get(b)!.push(ev);
        const { pFail, pPass } = directionalPValues(b, ev);
        if (Math.min(pFail, pPass) <= stopLevel * weights[k]!) decided++;
      }
      p.looks = k + 1;
      p.samples += batch.timesNs.length;
      p.usedMs = used;
      p.decided = decided;
      emit({ kind: "look", node: target.node });
      if (decided === mine.length && k + 1 >= minLooks) break;
    }
    for (const b of mine) {
      const list = looks.get(b)!;
      const e: BoundEvidence = { spec: b, looks: list, weights };
      if (failure !== undefined) e.unmeasuredReason = `the run failed (${failure})`;
      else if (list.length === 0) e.unmeasuredReason = batches.length === 0 ? "the time budget allowed no run" : `no ${b.metric.replace(/_/g, " ")} samples were recorded`;
      evidence.set(b, e);
    }
    nodes.push(poolRuns(target.node, batches, options.declarations?.get(target.node)));
    p.status = "done";
    if (failure !== undefined) p.failure = failure;
    emit({ kind: "node-done", node: target.node });
  }

  const items = bounds.map((b) => evidence.get(b) ?? { spec: b, looks: [], weights, unmeasuredReason: "no target was given for this node" });
  const results = decideBounds(items, alpha);
  for (const p of progress) {
    const rs = results.filter((r) => r.node === p.node);
    p.verdicts = {
      pass: rs.filter((r) => r.status === "pass").length,
      fail: rs.filter((r) => r.status === "fail").length,
      inconclusive: rs.filter((r) => r.status === "inconclusive").length,
      unmeasured: rs.filter((r) => r.status === "unmeasured").length,
    };
  }
  emit({ kind: "done" });
  return { results, nodes, edges: mergeEdges(edgeLists), settings: { maxLooks, spendingRho: rho, timeBudgetMs: options.timeBudgetMs, correction: "holm" } };
}
