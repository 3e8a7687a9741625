import { renderSarif, sarifLocation, SarifRuleTable, type SarifLog, type SarifResult } from "../diagnostics/index.js";
import type { BoundResult, Comparison, MeasureReport } from "../measure/types.js";
import { boundLabel, describeResult, formatComparison, formatConfidence, pointLocation, toDiagnostic } from "./format.js";

/** Rules for measurement findings; ids are stable, grouped by metric. */
const RULES: Record<string, { name: string; text: string }> = {
  "bound/execution_time": { name: "execution-time-bound-violated", text: "A node's execution time exceeds its CDL bound, with statistical confidence." },
  "bound/memory_usage": { name: "memory-bound-violated", text: "A node's heap growth per call exceeds its CDL bound, with statistical confidence." },
  "bound/error_rate": { name: "error-rate-bound-violated", text: "A node's share of throwing or rejecting calls exceeds its CDL bound, with statistical confidence." },
  "bound/throughput": { name: "throughput-bound-violated", text: "A node sustains fewer calls per second than its CDL bound requires, with statistical confidence." },
  "bound/calls": { name: "flow-calls-bound-violated", text: "A caller makes more calls to a callee per workload case than its flow bound allows." },
  "bound/volume": { name: "flow-volume-bound-violated", text: "Arguments passed along an edge are larger than its flow bound allows." },
  "bound/latency": { name: "flow-latency-bound-violated", text: "A callee takes longer when called from this caller than its flow bound allows, with statistical confidence." },
  "bound/inconclusive": { name: "bound-inconclusive", text: "The measurements within the time budget could not show whether the bound holds; the interval contains the limit." },
  "bound/unmeasured": { name: "bound-unmeasured", text: "The node could not be measured (the run failed or produced no samples)." },
  "baseline/regression": { name: "performance-regression", text: "A node is significantly slower than in the baseline report." },
};

type ResultWithProperties = SarifResult & { properties?: Record<string, unknown> };

function ruleFor(r: BoundResult): string {
  if (r.status === "inconclusive") return "bound/inconclusive";
  if (r.status === "unmeasured") return "bound/unmeasured";
  return `bound/${r.metric}`;
}

function finite(x: number | null): number | null {
  return x === null || !Number.isFinite(x) ? null : x;
}

/**
 * SARIF 2.1.0: the diagnostics (via the diagnostics renderer) and one
 * result per violated, inconclusive or unmeasured bound, located at the
 * bound in the CDL file and at the node's TypeScript declaration. Passing
 * bounds are left out; regressions against a baseline are included.
 */
export function renderSarifReport(report: MeasureReport): string {
  const log: SarifLog = renderSarif(report.diagnostics.map(toDiagnostic), report.tool.version);
  const run = log.runs[0]!;
  const base = run.tool.driver.rules.length;
  const table = new SarifRuleTable();
  const index = (id: string, level: "error" | "warning" | "note") => base + table.indexOf(id, { name: RULES[id]!.name, text: RULES[id]!.text, level });
  for (const r of report.results) {
    if (r.status === "pass") continue;
    const id = ruleFor(r);
    const level = r.status === "fail" ? (r.severity === "error" ? "error" : "warning") : r.status === "unmeasured" ? "warning" : "note";
    const result: ResultWithProperties = {
      ruleId: id,
      ruleIndex: index(id, level),
      level,
      message: { text: describeResult(r) },
      // The violation is located at the CDL bound; the program's declaration is a related location.
      locations: [sarifLocation(pointLocation(r.source), `the bound ${boundLabel(r)}`)],
      ...(r.declaration ? { relatedLocations: [{ id: 1, ...sarifLocation(pointLocation(r.declaration), `the node ${r.node}`) }] } : {}),
      properties: {
        node: r.node,
        metric: r.metric,
        op: r.op,
        limit: r.limit,
        unit: r.unit,
        ...(r.percentile !== undefined ? { percentile: r.percentile } : {}),
        measured: finite(r.measured),
        interval: r.interval ? r.interval.map(finite) : null,
        ...(r.confidence !== undefined ? { confidence: r.confidence } : {}),
        samples: r.samples,
        status: r.status,
      },
    };
    run.results.push(result);
  }
  for (const c of report.comparisons ?? []) {
    if (c.verdict !== "regression") continue;
    const where = report.results.find((r) => r.node === c.node && r.declaration)?.declaration ?? report.nodes.find((n) => n.node === c.node)?.declaration;
    run.results.push(regression(c, where, index("baseline/regression", "warning")));
  }
  run.tool.driver.rules.push(...table.rules);
  return JSON.stringify(log, null, 2) + "\n";
}

/** A regression, at the node's declaration when known (a result without a location is still reported). */
function regression(c: Comparison, where: { file: string; line: number; column: number } | undefined, ruleIndex: number): ResultWithProperties {
  return {
    ruleId: "baseline/regression",
    ruleIndex,
    level: "warning",
    message: { text: `${c.node} is slower than the baseline: ${formatComparison(c)}${c.confidence !== undefined ? ` at ${formatConfidence(c.confidence)} confidence` : ""} (${c.method})` },
    locations: where ? [sarifLocation(pointLocation(where), `the node ${c.node}`)] : [],
    properties: { node: c.node, change: c.change, interval: c.interval, baseline: c.baseline, current: c.current },
  };
}
