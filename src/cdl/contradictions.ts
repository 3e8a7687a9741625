import { catalog, createDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import type { Bound, ConstraintSpec } from "./model.js";

/** Whether some value satisfies both bounds. */
function compatible(a: Bound, b: Bound): boolean {
  let low = -Infinity;
  let lowStrict = false;
  let high = Infinity;
  let highStrict = false;
  for (const x of [a, b]) {
    if (x.op === ">" || x.op === ">=" || x.op === "==") {
      const strict = x.op === ">";
      if (x.value > low || (x.value === low && strict)) {
        low = x.value;
        lowStrict = strict;
      }
    }
    if (x.op === "<" || x.op === "<=" || x.op === "==") {
      const strict = x.op === "<";
      if (x.value < high || (x.value === high && strict)) {
        high = x.value;
        highStrict = strict;
      }
    }
  }
  return low < high || (low === high && !lowStrict && !highStrict);
}

/**
 * Two bounds on the same node contradict when no measurement satisfies both.
 * Without a program, "the same node" means the same selector text; bounds
 * on `execution_time` (or `latency`) are compared only at the same
 * percentile, since p50 ≤ 1ms and p99 ≥ 2ms can both hold.
 */
export function findContradictions(constraints: readonly ConstraintSpec[]): Diagnostic[] {
  // Most selectors are constrained once: group lazily, allocating only for repeats.
  const first = new Map<string, ConstraintSpec>();
  let repeated: Map<string, ConstraintSpec[]> | undefined;
  for (const c of constraints) {
    const key = c.selector.selector.text;
    const seen = first.get(key);
    if (seen === undefined) first.set(key, c);
    else {
      repeated ??= new Map();
      const group = repeated.get(key);
      if (group === undefined) repeated.set(key, [seen, c]);
      else group.push(c);
    }
  }
  const diagnostics: Diagnostic[] = [];
  for (const c of constraints) {
    const key = c.selector.selector.text;
    if (repeated?.has(key) !== true && first.get(key) === c && sharesMetric(c.bounds)) diagnostics.push(...contradictionsAmong(key, c.bounds));
  }
  repeated?.forEach((group, key) => diagnostics.push(...contradictionsAmong(key, group.flatMap((c) => c.bounds))));
  return diagnostics;
}

/** Whether two bounds bound the same metric: the only way they can contradict. */
function sharesMetric(bounds: readonly Bound[]): boolean {
  for (let i = 0; i < bounds.length; i++) for (let j = i + 1; j < bounds.length; j++) if (bounds[i]!.metric === bounds[j]!.metric) return true;
  return false;
}

/** Reports each contradicting pair among bounds known to apply to one node, once per metric. */
export function contradictionsAmong(node: string, bounds: readonly Bound[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let reported: Set<string> | undefined;
  for (let i = 0; i < bounds.length; i++) {
    for (let j = i + 1; j < bounds.length; j++) {
      const a = bounds[i]!;
      const b = bounds[j]!;
      if (a.metric !== b.metric || a.percentile !== b.percentile || a.origin === b.origin || compatible(a, b)) continue;
      const slot = `${a.metric}@${a.percentile ?? ""}`;
      if (reported?.has(slot)) continue;
      (reported ??= new Set()).add(slot);
      // Point at the one written later; show the other as related.
      const [first, second] = a.origin.location.file === b.origin.location.file && a.origin.location.start > b.origin.location.start ? [b, a] : [a, b];
      diagnostics.push(
        createDiagnostic(catalog.semantic.contradiction, { node, first: `\`${first.origin.text}\``, second: `\`${second.origin.text}\`` }, second.origin.location, {
          label: "contradicts the other bound",
          related: [{ location: first.origin.location, message: "the other bound is here" }],
          help: "relax one of the bounds, or give them different `percentile`s if they are meant for different statistics",
        }),
      );
    }
  }
  return diagnostics;
}
