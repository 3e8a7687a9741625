import { plural } from "../../diagnostics/index.js";
import type { BoundResult } from "../types.js";
import { decideDirections } from "./directions.js";
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
  const decisions = decideDirections(
    measured.map(({ it }) => {
      const per = it.looks.map((ev) => directionalPValues(it.spec, ev));
      return { sides: [{ side: "fail", perLook: per.map((x) => x.pFail) }, { side: "pass", perLook: per.map((x) => x.pPass) }], weights: it.weights } as const;
    }),
    alpha,
  );
  const results = items.map((it): BoundResult => unmeasured(it.spec, it.unmeasuredReason ?? "no samples were taken"));
  measured.forEach(({ it, i }, k) => {
    const { side, look, tail, pValue } = decisions[k]!;
    const ev = it.looks[look]!;
    const tails = it.spec.op === "==" ? tail / 2 : tail;
    const interval = ev.interval(tails, tails);
    const r: BoundResult = {
      ...it.spec,
      measured: ev.measured,
      interval,
      status: side ?? "inconclusive",
      samples: ev.samples,
      method: ev.method,
      pValue,
      looks: look + 1,
    };
    // A deterministic quantity is compared as is; a confidence level would mean nothing.
    if (!ev.exact) r.confidence = 1 - 2 * tails;
    const reason = explain(r, ev);
    if (reason !== undefined) r.reason = reason;
    results[i] = r;
  });
  return results;
}

function explain(r: BoundResult, ev: Evidence): string | undefined {
  const parts: string[] = [];
  if (r.status === "inconclusive") {
    parts.push(`the ${formatPercent(r.confidence ?? 0)} interval contains the limit after ${r.samples} samples in ${plural(r.looks ?? 0, "run")}`);
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
