import { escapeXml } from "../diagnostics/index.js";
import type { BoundResult, Comparison, MeasureReport } from "../measure/types.js";
import type { JsonDiagnostic } from "../diagnostics/index.js";
import { boundLabel, describeResult, formatComparison, formatConfidence, formatInterval, formatQuantity } from "./format.js";

interface Case {
  classname: string;
  name: string;
  time: number;
  body: string;
  kind: "ok" | "failure" | "error" | "skipped";
}

function boundCase(r: BoundResult, timeS: number): Case {
  const name = `${boundLabel(r, true)}`;
  const numbers = [
    `measured: ${formatQuantity(r.measured, r.unit)} (${r.measured ?? "null"} ${r.unit})`,
    `interval: ${formatInterval(r.interval, r.unit)}${r.confidence !== undefined ? ` at ${formatConfidence(r.confidence)}` : ""}`,
    `limit: ${r.op} ${formatQuantity(r.limit, r.unit)} (${r.limit} ${r.unit})`,
    `samples: ${r.samples}`,
    ...(r.method ? [`method: ${r.method}`] : []),
    ...(r.pValue !== undefined ? [`p-value (adjusted): ${r.pValue.toPrecision(3)}`] : []),
    `bound written at ${r.source.file}:${r.source.line}:${r.source.column}`,
    ...(r.declaration ? [`node declared at ${r.declaration.file}:${r.declaration.line}:${r.declaration.column}`] : []),
    ...(r.reason ? [`note: ${r.reason}`] : []),
  ].join("\n");
  const message = describeResult(r);
  let body = "";
  let kind: Case["kind"] = "ok";
  if (r.status === "fail" && r.severity === "error") {
    kind = "failure";
    body = `      <failure message="${escapeXml(message)}" type="${escapeXml(`bound-violated.${r.metric}`)}">${escapeXml(numbers)}</failure>\n`;
  } else if (r.status === "unmeasured") {
    kind = "error";
    body = `      <error message="${escapeXml(message)}" type="unmeasured">${escapeXml(numbers)}</error>\n`;
  } else if (r.status === "inconclusive") {
    kind = "skipped";
    body = `      <skipped message="${escapeXml(message)}"/>\n      <system-out>${escapeXml(numbers)}</system-out>\n`;
  } else {
    body = `      <system-out>${escapeXml((r.status === "fail" ? "warning: " + message + "\n" : "") + numbers)}</system-out>\n`;
  }
  return { classname: r.node, name, time: timeS, body, kind };
}

function comparisonCase(c: Comparison): Case {
  const text = `${c.node}: ${c.verdict}: change ${formatComparison(c)}${c.confidence !== undefined ? ` at ${formatConfidence(c.confidence)}` : ""} (${c.method}, ${c.statistic})${c.reason ? `; ${c.reason}` : ""}`;
  const failing = c.verdict === "regression";
  return {
    classname: c.node,
    name: `${c.metric} vs baseline`,
    time: 0,
    body: failing ? `      <failure message="${escapeXml(text)}" type="regression">${escapeXml(text)}</failure>\n` : `      <system-out>${escapeXml(text)}</system-out>\n`,
    kind: failing ? "failure" : "ok",
  };
}

function diagnosticCase(d: JsonDiagnostic): Case {
  const line = `${d.file}:${d.line}:${d.column}: ${d.severity}[${d.code}]: ${d.message}${d.help ? ` (help: ${d.help})` : ""}`;
  const failing = d.severity === "error";
  return {
    classname: "cdlc.diagnostics",
    name: `${d.code} ${d.file}:${d.line}:${d.column}`,
    time: 0,
    body: failing ? `      <failure message="${escapeXml(d.message)}" type="${escapeXml(d.code)}">${escapeXml(line)}</failure>\n` : `      <system-out>${escapeXml(line)}</system-out>\n`,
    kind: failing ? "failure" : "ok",
  };
}

function suite(name: string, cases: Case[], timestamp: string): string {
  const count = (k: Case["kind"]) => cases.filter((c) => c.kind === k).length;
  const time = cases.reduce((t, c) => t + c.time, 0);
  const body = cases
    .map((c) => {
      const open = `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" time="${c.time.toFixed(3)}"`;
      return c.body === "" ? `${open}/>\n` : `${open}>\n${c.body}    </testcase>\n`;
    })
    .join("");
  return `  <testsuite name="${escapeXml(name)}" tests="${cases.length}" failures="${count("failure")}" errors="${count("error")}" skipped="${count("skipped")}" time="${time.toFixed(3)}" timestamp="${escapeXml(timestamp)}">\n${body}  </testsuite>\n`;
}

/**
 * JUnit XML: one test case per bound (failures carry the numbers; an
 * inconclusive bound is skipped, an unmeasured one is an error), plus a
 * suite for the diagnostics and one for baseline comparisons.
 */
export function renderJunitReport(report: MeasureReport): string {
  const wall = new Map(report.nodes.map((n) => [n.node, n.wallTimeMs / 1000]));
  const perNode = new Map<string, number>();
  for (const r of report.results) perNode.set(r.node, (perNode.get(r.node) ?? 0) + 1);
  const suites: { name: string; cases: Case[] }[] = [];
  if (report.diagnostics.length > 0) suites.push({ name: "cdlc diagnostics", cases: report.diagnostics.map(diagnosticCase) });
  // A node's wall time is shared among its bounds, so suite times add up.
  suites.push({ name: `cdlc ${report.command} bounds`, cases: report.results.map((r) => boundCase(r, (wall.get(r.node) ?? 0) / (perNode.get(r.node) ?? 1))) });
  if (report.comparisons && report.comparisons.length > 0) suites.push({ name: "cdlc baseline comparison", cases: report.comparisons.map(comparisonCase) });
  const all = suites.flatMap((s) => s.cases);
  const n = (k: Case["kind"]) => all.filter((c) => c.kind === k).length;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="cdlc" tests="${all.length}" failures="${n("failure")}" errors="${n("error")}" skipped="${n("skipped")}" time="${(report.durationMs / 1000).toFixed(3)}">\n` +
    suites.map((s) => suite(s.name, s.cases, report.startedAt)).join("") +
    `</testsuites>\n`
  );
}
