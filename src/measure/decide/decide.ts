import { holm } from "../stats/holm.js";
import { sequentialPValue } from "../stats/spending.js";
import type { BoundResult } from "../types.js";
import { directionalPValues, evaluateBound, type Evidence, type RunData } from "./evidence.js";
import type { BoundSpec } from "./spec.js";

/** Default family-wise error rate of one run. */
export const DEFAULT_ALPHA = 0.01;

/** One bound with its evidence at every look taken (cumulative data). */
export interface BoundEvidence {
  spec: BoundSpec;
  /** Evidence after look 1, 2, …; empty when nothing was measured. */
  looks: Evidence[];
  /** Error-spending weight of each possible look (Σ ≤ 1); `[1]` for a single look. */
  weights: readonly number[];
  /** Why the bound could not be measured (runner failure, no data). */
  unmeasuredReason?: string;
}

/**
 * Decides a set of bounds together, controlling the probability of any
 * wrong verdict in the run at `alpha`.
 *
 * Each bound gives two directional hypotheses — "it holds" (rejected ⇒
 * `fail`) and "it is violated" (rejected ⇒ `pass`) — and each has a
 * sequential p-value over its looks (min over looks of p_k / w_k). Holm's
 * step-down runs over all 2m of them. A bound is `fail`/`pass` when the
 * corresponding hypothesis is rejected, `inconclusive` otherwise. The
 * reported interval is taken at the look and level the decision was made
 * with, so a `fail` interval lies wholly beyond the limit, a `pass` one
 * wholly within, and an `inconclusive` one contains it.
 */
export function decideBounds(items: readonly BoundEvidence[], alpha: number = DEFAULT_ALPHA): BoundResult[] {
  const measured = items.map((it, i) => ({ it, i })).filter(({ it }) => it.unmeasuredReason === undefined && it.looks.length > 0);
  const hypotheses: { item: number; side: "fail" | "pass"; p: number; look: number }[] = [];
  for (const { it, i } of measured) {
    const per = it.looks.map((ev) => directionalPValues(it.spec, ev));
    const fail = sequentialPValue(per.map((x) => x.pFail), it.weights);
    const pass = sequentialPValue(per.map((x) => x.pPass), it.weights);
    hypotheses.push({ item: i, side: "fail", p: fail.p, look: fail.look }, { item: i, side: "pass", p: pass.p, look: pass.look });
  }
  const h = holm(
    hypotheses.map((x) => x.p),
    alpha,
  );
  const results = items.map((it): BoundResult => unmeasured(it.spec, it.unmeasuredReason ?? "no samples were taken"));
  for (const { it, i } of measured) {
    const mine = hypotheses.map((x, j) => ({ ...x, j })).filter((x) => x.item === i);
    const decided = mine.filter((x) => h.rejected[x.j]).sort((a, b) => a.p - b.p)[0];
    const chosen = decided ?? mine[0]!;
    const look = decided ? decided.look : it.looks.length - 1;
    const ev = it.looks[look]!;
    const tail = h.levels[chosen.j]! * (it.weights[look] ?? 0);
    const tails = it.spec.op === "==" ? tail / 2 : tail;
    const interval = ev.interval(tails, tails);
    const r: BoundResult = {
      ...it.spec,
      measured: ev.measured,
      interval,
      status: decided ? decided.side : "inconclusive",
      samples: ev.samples,
      method: ev.method,
      pValue: decided ? h.adjusted[decided.j]! : Math.min(...mine.map((x) => h.adjusted[x.j]!)),
      looks: look + 1,
    };
    // A deterministic quantity is compared as is; a confidence level would mean nothing.
    if (!ev.exact) r.confidence = 1 - 2 * tails;
    const reason = explain(r, ev);
    if (reason !== undefined) r.reason = reason;
    results[i] = r;
  }
  return results;
}

function explain(r: BoundResult, ev: Evidence): string | undefined {
  const parts: string[] = [];
  if (r.status === "inconclusive") {
    parts.push(`the ${formatPercent(r.confidence ?? 0)} interval contains the limit after ${r.samples} samples in ${r.looks} run${r.looks === 1 ? "" : "s"}`);
  }
  if (ev.note !== undefined) parts.push(ev.note);
  return parts.length > 0 ? parts.join("; ") : undefined;
}

function formatPercent(c: number): string {
  const pct = c * 100;
  return `${pct >= 99.995 ? pct.toPrecision(6).replace(/0+$/, "") : pct.toFixed(2)}%`;
}

function unmeasured(spec: BoundSpec, reason: string): BoundResult {
  return { ...spec, measured: null, interval: null, status: "unmeasured", samples: 0, reason };
}

/**
 * Decides one bound from the runs of its node, alone (no multiplicity
 * correction, one look): for a one-off check or a stored report.
 */
export function decideBound(spec: BoundSpec, runs: readonly RunData[], alpha: number = DEFAULT_ALPHA): BoundResult {
  return decideBounds([evidenceFor(spec, runs)], alpha)[0]!;
}

/** A single-look {@link BoundEvidence} from complete data. */
export function evidenceFor(spec: BoundSpec, runs: readonly RunData[]): BoundEvidence {
  const ev = evaluateBound(spec, runs);
  return ev ? { spec, looks: [ev], weights: [1] } : { spec, looks: [], weights: [1], unmeasuredReason: `no ${spec.metric.replace(/_/g, " ")} samples were recorded` };
}
