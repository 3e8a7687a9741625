import type { BoundSpec } from "../measure/decide/spec.js";
import type { MeasureTarget, Sampler } from "../measure/sampler.js";
import type { BoundResult, Comparison } from "../measure/types.js";
import { boundsOnRuns, comparePairs, memoryRuns, speedupOf, type AbResult } from "../shadow/ab.js";
import type { CaseSplit } from "./splits.js";
import type { Speedup } from "./types.js";

/**
 * The honest gate, for every node at once:
 *
 * 1. train — each equivalent variant against the original on the train
 *    cases (Holm over the node's variants): the best significant speedup is
 *    the node's candidate; none ⇒ `not-faster` on train;
 * 2. validation — each node's candidate on its validation cases, at the
 *    run's α with Holm over nodes: not significantly faster ⇒ rejected as
 *    `not-faster` (faster on train only: the overfitting the gate is for);
 *    a bound the original met that the candidate fails there (time,
 *    throughput, error rate; memory from three short runs that sample it)
 *    ⇒ rejected;
 * 3. test — afresh on the test cases (Holm over nodes): the speedup the user
 *    sees; if it does not confirm a significant improvement, rejected.
 *
 * A node with too few cases runs every stage on all of them; its speedup is
 * then marked `not-held-out`.
 */

/** A node whose variants' runs crashed or timed out this many times is not timed further. */
const BREAK_AFTER_FAILURES = 2;

export interface GateNode {
  node: string;
  /** The measurement target, with the candidates' bodies hosted (`variants`). */
  target: MeasureTarget;
  /** Equivalent variants: their slot in `target.variants` and their id. */
  candidates: { slot: number; id: number }[];
  split: CaseSplit;
  /** The node's bounds, and how the original fared on them (first measurement). */
  bounds: BoundSpec[];
  before: BoundResult[];
}

export interface GateOptions {
  sampler: Sampler;
  alpha: number;
  /** Time per comparison, ms: each candidate on train, then each node on validation and on test. */
  trainMs: number;
  validationMs: number;
  testMs: number;
  /** `performance.now()` after which no new comparison starts (the run's budget); default none. */
  deadline?: number;
  onStage?: (stage: "train" | "validation" | "test", node: string) => void;
}

export interface GateDecision {
  node: string;
  /** Every candidate's train comparison (by variant id). */
  train: { id: number; comparison: Comparison }[];
  /** The variant taken to validation, and to test. */
  chosen?: number;
  validation?: Comparison;
  test?: Comparison;
  accepted: boolean;
  /** The run's budget was spent before this node's gate finished: nothing was decided about its variants. */
  outOfBudget?: boolean;
  /** Why not, or what was accepted on. */
  reason: string;
  /** The node's bounds decided on the chosen variant's validation runs. */
  bounds?: BoundResult[];
  speedup?: Speedup;
  /** The variant's runs on test, for the report's "after" figure. */
  testRuns?: AbResult["variantRuns"];
}

export async function runGate(nodes: readonly GateNode[], o: GateOptions): Promise<GateDecision[]> {
  const decisions = new Map<string, GateDecision>(nodes.map((n) => [n.node, { node: n.node, train: [], accepted: false, reason: "" }]));

  const spent = () => o.deadline !== undefined && performance.now() > o.deadline;
  const outOfBudget = (d: GateDecision, stage: string) => {
    d.outOfBudget = true;
    d.reason = `the run's budget was spent before the ${stage} stage (raise --budget)`;
  };

  // 1. Train: rank each node's candidates.
  for (const n of nodes) {
    const d = decisions.get(n.node)!;
    if (spent()) {
      outOfBudget(d, "train");
      continue;
    }
    o.onStage?.("train", n.node);
    // Ranking, not a claim: few pairs, so that many candidates fit.
    const results = await comparePairs(
      n.candidates.map((c) => ({ key: String(c.id), target: n.target, slot: c.slot, cases: n.split.train })),
      { sampler: o.sampler, alpha: o.alpha, timeBudgetMs: o.trainMs, maxPairs: 6, breakAfterFailures: BREAK_AFTER_FAILURES },
    );
    d.train = results.map((r) => ({ id: Number(r.key), comparison: r.comparison }));
    const faster = d.train.filter((t) => t.comparison.verdict === "improvement").sort((a, b) => a.comparison.change - b.comparison.change);
    if (faster[0] === undefined) d.reason = `no variant was significantly faster than the original on the train cases (${describe(d.train)})`;
    else d.chosen = faster[0].id;
  }

  // 2. Validation: one decision per node, Holm over nodes.
  let toValidate = nodes.filter((n) => decisions.get(n.node)!.chosen !== undefined);
  if (spent()) {
    for (const n of toValidate) outOfBudget(decisions.get(n.node)!, "validation");
    toValidate = [];
  }
  const validated = await stage("validation", toValidate, decisions, o, (n) => n.split.validation, o.validationMs);
  for (const n of toValidate) {
    const d = decisions.get(n.node)!;
    const r = validated.get(n.node)!;
    d.validation = r.comparison;
    if (r.comparison.verdict !== "improvement") {
      d.reason = `faster on the train cases (${percent(d.train.find((t) => t.id === d.chosen)!.comparison.change)}) but not significantly on the validation cases (${percent(r.comparison.change)}, ${r.comparison.verdict}): not-faster`;
      continue;
    }
    // A memory bound needs runs that take memory samples (comparison runs do not).
    const slot = n.candidates.find((c) => c.id === d.chosen)!.slot;
    const memory = n.bounds.some((b) => b.metric === "memory_usage") ? await memoryRuns(o.sampler, n.target, slot, n.split.validation) : [];
    d.bounds = boundsOnRuns(n.bounds, r.variantRuns, o.alpha, memory);
    const broken = d.bounds.filter((b) => b.status === "fail" && statusBefore(n.before, b) === "pass");
    if (broken.length > 0) d.reason = `faster, but on the validation cases it fails ${broken.map((b) => `${b.metric} ${b.op} ${b.limit} ${b.unit}`).join(", ")}, which the original met`;
  }

  // 3. Test: the figure the user sees, afresh.
  let toTest = toValidate.filter((n) => decisions.get(n.node)!.validation?.verdict === "improvement" && decisions.get(n.node)!.reason === "");
  if (spent()) {
    for (const n of toTest) outOfBudget(decisions.get(n.node)!, "test");
    toTest = [];
  }
  const tested = await stage("test", toTest, decisions, o, (n) => n.split.test, o.testMs);
  for (const n of toTest) {
    const d = decisions.get(n.node)!;
    const r = tested.get(n.node)!;
    d.test = r.comparison;
    d.testRuns = r.variantRuns;
    const s = speedupOf(r.comparison);
    d.speedup = { ...s, measuredOn: n.split.heldOut ? "test" : "not-held-out", ...(r.comparison.units !== undefined ? { pairs: r.comparison.units } : {}), ...(r.comparison.confidence !== undefined ? { confidence: r.comparison.confidence } : {}) };
    if (r.comparison.verdict !== "improvement") {
      d.reason = `faster on train and validation, but the test cases did not confirm it (${percent(r.comparison.change)}, ${r.comparison.verdict})`;
      continue;
    }
    d.accepted = true;
    d.reason = `${s.estimate.toFixed(2)}× faster on the ${n.split.heldOut ? "held-out test" : "same (not held out)"} cases`;
  }
  return nodes.map((n) => decisions.get(n.node)!);
}

async function stage(
  name: "validation" | "test",
  nodes: readonly GateNode[],
  decisions: Map<string, GateDecision>,
  o: GateOptions,
  cases: (n: GateNode) => number[],
  timeBudgetMs: number,
): Promise<Map<string, AbResult>> {
  if (nodes.length === 0) return new Map();
  for (const n of nodes) o.onStage?.(name, n.node);
  const pairs = nodes.map((n) => {
    const id = decisions.get(n.node)!.chosen!;
    const slot = n.candidates.find((c) => c.id === id)!.slot;
    return { key: n.node, target: n.target, slot, cases: cases(n) };
  });
  const results = await comparePairs(pairs, { sampler: o.sampler, alpha: o.alpha, timeBudgetMs });
  return new Map(results.map((r) => [r.key, r]));
}

/** How the original fared on the same bound in the first measurement. */
function statusBefore(before: readonly BoundResult[], b: BoundResult): BoundResult["status"] | undefined {
  return before.find((x) => x.metric === b.metric && x.op === b.op && x.limit === b.limit && x.percentile === b.percentile && x.edge === undefined)?.status;
}

function percent(change: number): string {
  return Number.isFinite(change) ? `${change > 0 ? "+" : ""}${(change * 100).toFixed(1)}% time` : "no estimate";
}

function describe(train: GateDecision["train"]): string {
  return train.map((t) => `variant ${t.id}: ${percent(t.comparison.change)}, ${t.comparison.verdict}${t.comparison.reason !== undefined && t.comparison.verdict === "inconclusive" ? ` — ${t.comparison.reason}` : ""}`).join("; ") || "no candidates";
}
