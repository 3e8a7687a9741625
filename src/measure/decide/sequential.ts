import { spendingWeights } from "../stats/spending.js";
import type { BoundResult, EdgeMeasurement, MeasureSettings, NodeMeasurement, SourcePosition } from "../types.js";
import { DEFAULT_ALPHA, decideBounds, type BoundEvidence } from "./decide.js";
import { directionalPValues, errorRateEvidence, evaluateBound, type Evidence } from "./evidence.js";
import { mergeEdges, poolRuns } from "./measurement.js";
import type { NodeProgress, ProgressState } from "./progress-state.js";
import type { MeasureTarget, SampleBatch, Sampler } from "../sampler.js";
import type { BoundSpec } from "./spec.js";

export interface SequentialOptions {
  /** Family-wise error rate of the whole run (default 0.01). */
  alpha?: number;
  /**
   * Time budget per node, ms (the sum of the runs' wall times). The run's
   * total is this times the number of targets: time a node does not need
   * (its bounds decided early) goes to the nodes still undecided.
   */
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
  /** Take memory samples for every node, not only for nodes with a `memory_usage` bound (`bench` keeps them all). */
  memoryForAll?: boolean;
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
 * A run's slice is the node's budget over its looks; time handed on by
 * decided nodes lets later runs grow to this many slices, no further: a
 * node is judged on several runs (the spread between runs is part of its
 * uncertainty), not on one long run that took all the time left. A
 * node's first run always gets one slice, wherever it falls in the round.
 */
const MAX_SLICE_GROWTH = 2;

/**
 * Runs a node with bounds makes before it may stop early: one process
 * cannot show the spread between processes (a different JIT or heap
 * layout), which the run design effect needs at least two runs to see.
 */
const MIN_RUNS_TO_STOP = 2;

/** One node's measurement so far. */
interface NodeState {
  target: MeasureTarget;
  progress: NodeProgress;
  bounds: BoundSpec[];
  looks: Map<BoundSpec, Evidence[]>;
  batches: SampleBatch[];
  lookLimit: number;
  memory: boolean;
  failure?: string;
  done: boolean;
}

/**
 * Measures the targets in rounds, one run (look) per undecided node per
 * round, until every bound of a node is decided, its look limit is reached,
 * its undecided bounds cannot be decided in the time it can still get
 * (futility, see {@link futile}), or the run's total budget is spent; then
 * decides all bounds of the run together (see {@link decideBounds}).
 *
 * Each run samples for its whole slice: the budget still unspent, shared
 * equally over the looks the active nodes may still take (within
 * {@link MAX_SLICE_GROWTH} of the node's own slice). So a node decided early
 * hands its time to the undecided ones, and a run where everything is
 * decided early ends early.
 *
 * Early stopping is safe: a node stops once each of its bounds is decided
 * at the Bonferroni level α / (2m) for this look's share of α — a level at
 * which Holm is sure to decide it too — and the final decision uses the
 * sequential p-values, which stay valid however the looks were chosen.
 * Stopping for futility only ever withholds a decision. Runs never overlap:
 * concurrent runs would disturb each other's timings.
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
  const states: NodeState[] = targets.map((target) => {
    const mine = bounds.filter((b) => b.node === target.node);
    const lookLimit = mine.length === 0 ? minLooks : maxLooks;
    return {
      target,
      bounds: mine,
      looks: new Map(mine.map((b) => [b, []])),
      batches: [],
      lookLimit,
      memory: options.memoryForAll === true || mine.some((b) => b.metric === "memory_usage"),
      done: false,
      progress: { node: target.node, status: "pending", samples: 0, looks: 0, maxLooks: lookLimit, usedMs: 0, budgetMs: options.timeBudgetMs, bounds: mine.length, decided: 0 },
    };
  });
  const emit = (event: ProgressState["event"]) => options.onProgress?.({ nodes: states.map((s) => ({ ...s.progress })), event });
  emit({ kind: "start" });

  const total = options.timeBudgetMs * targets.length;
  const baseSlice = options.timeBudgetMs / maxLooks;
  let spent = 0;
  const edgeLists: EdgeMeasurement[][] = [];
  const finish = (s: NodeState) => {
    s.done = true;
    s.progress.status = "done";
    if (s.failure !== undefined) s.progress.failure = s.failure;
    emit({ kind: "node-done", node: s.target.node });
  };

  while (states.some((s) => !s.done)) {
    for (const s of states) {
      if (s.done) continue;
      const active = states.filter((x) => !x.done);
      const looksLeft = active.reduce((n, x) => n + (x.lookLimit - x.batches.length), 0);
      const slice = Math.min((s.batches.length === 0 ? 1 : MAX_SLICE_GROWTH) * baseSlice, (total - spent) / looksLeft);
      if (slice <= 0) {
        for (const x of active) finish(x);
        break;
      }
      const p = s.progress;
      p.status = "running";
      p.budgetMs = p.usedMs + slice * (s.lookLimit - s.batches.length);
      const batch = await sampler.sample({ target: s.target, minSamples, timeBudgetMs: slice, until: "budget", memory: s.memory });
      const wall = Math.max(0, batch.wallTimeMs);
      spent += wall;
      p.usedMs += wall;
      s.batches.push(batch);
      p.looks = s.batches.length;
      if (batch.failure) {
        s.failure = `${batch.failure.kind}: ${batch.failure.message}`;
        finish(s);
        continue;
      }
      edgeLists.push(batch.edges);
      p.samples += batch.timesNs.length;
      const k = s.batches.length - 1;
      const open: BoundSpec[] = [];
      let decided = 0;
      for (const b of s.bounds) {
        const ev = evaluateBound(b, s.batches);
        if (ev === undefined) continue;
        s.looks.get(b)!.push(ev);
        const { pFail, pPass } = directionalPValues(b, ev);
        if (Math.min(pFail, pPass) <= stopLevel * weights[k]!) decided++;
        else open.push(b);
      }
      p.decided = decided;
      emit({ kind: "look", node: s.target.node });
      const allDecided = decided === s.bounds.length;
      const lastLook = s.batches.length >= s.lookLimit;
      const undecided = s.bounds.length - decided;
      const hopeless = undecided > 0 && open.length === undecided && open.every((b) => futile(b, s, slice, alpha * weights[s.lookLimit - 1]!));
      if (hopeless) p.gaveUp = "the undecided bounds cannot be decided in the time left";
      const mayStop = s.batches.length >= Math.max(minLooks, MIN_RUNS_TO_STOP);
      if (((allDecided || hopeless) && mayStop) || lastLook) finish(s);
    }
  }

  const evidence = new Map<BoundSpec, BoundEvidence>();
  for (const s of states) {
    for (const b of s.bounds) {
      const list = s.looks.get(b)!;
      const e: BoundEvidence = { spec: b, looks: list, weights };
      if (s.failure !== undefined) e.unmeasuredReason = `the run failed (${s.failure})`;
      else if (list.length === 0) e.unmeasuredReason = s.batches.length === 0 ? "the time budget allowed no run" : `no ${b.metric.replace(/_/g, " ")} samples were recorded`;
      evidence.set(b, e);
    }
  }
  const nodes = states.map((s) => poolRuns(s.target.node, s.batches, options.declarations?.get(s.target.node)));
  const progress = states.map((s) => s.progress);
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

/**
 * Whether an undecided bound cannot be decided in the node's remaining looks
 * even if its data keep coming as they have so far: an error rate whose
 * projected calls (calls per ms so far × the time left at this slice) at the
 * observed rate would still leave both p-values above `level` (the last
 * look's share of α, before any correction: so futility is judged leniently).
 * Other metrics are never judged futile: their precision depends on the
 * spread between runs, which more runs reveal.
 */
function futile(spec: BoundSpec, s: NodeState, slice: number, level: number): boolean {
  if (spec.metric !== "error_rate") return false;
  const calls = s.batches.reduce((n, b) => n + b.calls, 0);
  const errors = s.batches.reduce((n, b) => n + b.errors, 0);
  const ms = s.batches.reduce((n, b) => n + b.wallTimeMs, 0);
  if (calls === 0 || ms <= 0) return false;
  const projected = calls + (calls / ms) * slice * (s.lookLimit - s.batches.length);
  const rate = errors / calls;
  const { pFail, pPass } = directionalPValues(spec, errorRateEvidence(Math.round(rate * projected), Math.round(projected), spec.limit));
  return Math.min(pFail, pPass) > level;
}
