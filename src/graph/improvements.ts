import { formatInterval, formatQuantity } from "../report/format.js";

/**
 * What a version of the program did to a node, as `cdlc graph --improved-in`
 * shows it: the optimize entry of that version's manifest (the contract's
 * shape), kept to what the graph needs. The graph does not read the versions
 * store; the command hands these over.
 */
export interface NodeImprovement {
  version: number;
  status: "improved" | "improved-still-violating";
  before?: ImprovementFigure;
  after?: ImprovementFigure;
  speedup?: { estimate: number; interval: [number, number]; measuredOn: string };
  operators: string[];
}

export interface ImprovementFigure {
  metric: string;
  statistic: string;
  value: number;
  interval: [number, number];
  unit: string;
}

/** `p95 12.9 ms → 310 µs · 41.6× faster, interval [36.2×, 47.9×], on held-out cases · set_membership`. */
export function improvementText(imp: NodeImprovement): string {
  const parts: string[] = [];
  if (imp.before !== undefined && imp.after !== undefined) parts.push(`${imp.before.statistic} ${formatQuantity(imp.before.value, "ns")} → ${formatQuantity(imp.after.value, "ns")}, interval ${formatInterval(imp.after.interval, "ns")}`);
  if (imp.speedup !== undefined) {
    const [lo, hi] = imp.speedup.interval;
    parts.push(`${imp.speedup.estimate.toFixed(1)}× faster, interval [${lo.toFixed(1)}×, ${hi.toFixed(1)}×], ${imp.speedup.measuredOn === "test" ? "on held-out cases" : "not on held-out cases (too few to hold any out)"}`);
  }
  if (imp.operators.length > 0) parts.push(imp.operators.join(" + "));
  if (imp.status === "improved-still-violating") parts.push("a bound still fails");
  return parts.join(" · ");
}
