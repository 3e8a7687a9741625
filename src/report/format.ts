import type { Diagnostic, JsonDiagnostic } from "../diagnostics/index.js";
import type { BoundResult, Comparison, MeasureReport, Verdict } from "../measure/types.js";
import { hasErrors } from "../diagnostics/index.js";

/** Three significant digits, trailing zeros dropped. */
function sig(x: number): string {
  if (x === 0) return "0";
  const a = Math.abs(x);
  const s = a >= 1000 ? Math.round(x).toString() : Number(x.toPrecision(3)).toString();
  return s;
}

const DURATIONS: [number, string][] = [
  [1e9, "s"],
  [1e6, "ms"],
  [1e3, "µs"],
  [1, "ns"],
];
const SIZES: [number, string][] = [
  [1e9, "GB"],
  [1e6, "MB"],
  [1e3, "KB"],
  [1, "B"],
];

function scaled(value: number, table: [number, string][]): string {
  const a = Math.abs(value);
  for (const [f, u] of table) if (a >= f) return `${sig(value / f)} ${u}`;
  const [f, u] = table[table.length - 1]!;
  return `${sig(value / f)} ${u}`;
}

/** A value in a base unit, for people: `12.3 ms`, `1.5 MB`, `0.1%`, `52.1k/s`. */
export function formatQuantity(value: number | null, unit: BoundResult["unit"]): string {
  if (value === null || Number.isNaN(value)) return "—";
  if (value === Infinity) return "∞";
  if (value === -Infinity) return "−∞";
  switch (unit) {
    case "ns":
      return scaled(value, DURATIONS);
    case "B":
      return scaled(value, SIZES);
    case "ratio":
      return `${sig(value * 100)}%`;
    case "per_s":
      return Math.abs(value) >= 1e6 ? `${sig(value / 1e6)}M/s` : Math.abs(value) >= 1e3 ? `${sig(value / 1e3)}k/s` : `${sig(value)}/s`;
    case "count":
      return Number.isInteger(value) ? String(value) : sig(value);
  }
}

/** `[11.8 ms, 13 ms]`, open ends as `(−∞, …` / `…, ∞)`. */
export function formatInterval(interval: [number, number] | null, unit: BoundResult["unit"]): string {
  if (interval === null) return "";
  const [lo, hi] = interval;
  const open = lo === -Infinity || lo === null ? "(" : "[";
  const close = hi === Infinity || hi === null ? ")" : "]";
  return `${open}${formatQuantity(lo ?? -Infinity, unit)}, ${formatQuantity(hi ?? Infinity, unit)}${close}`;
}

/** `99.9%` for a confidence level. */
export function formatConfidence(c: number | undefined): string {
  if (c === undefined) return "";
  const pct = c * 100;
  let digits = 1;
  while (digits < 6 && Number(pct.toFixed(digits)) === 100) digits++;
  return `${Number(pct.toFixed(Math.max(1, digits)))}%`;
}

const OP: Record<BoundResult["op"], string> = { "<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=" };

/** The bound as written, in words: `execution_time p95 ≤ 10 ms`, `calls a → b ≤ 100`. */
export function boundLabel(r: Pick<BoundResult, "metric" | "op" | "limit" | "unit" | "percentile" | "edge">, ascii = false): string {
  const stat = r.percentile !== undefined && (r.metric === "execution_time" || r.metric === "latency") ? ` ${r.percentile}` : "";
  const op = ascii ? r.op : OP[r.op];
  const edge = r.edge ? ` ${shortNode(r.edge.from)} ${ascii ? "->" : "→"} ${shortNode(r.edge.to)}` : "";
  return `${r.metric}${stat}${edge} ${op} ${formatQuantity(r.limit, r.unit)}`;
}

/** The qualified name part of a node id (`src/a.ts#Cart.total` → `Cart.total`). */
export function shortNode(id: string): string {
  const i = id.lastIndexOf("#");
  return i >= 0 ? id.slice(i + 1) : id;
}

/** One sentence with the numbers of a result: what was measured, how sure, against what. */
export function describeResult(r: BoundResult): string {
  const label = boundLabel(r);
  if (r.status === "unmeasured") return `${r.node}: ${label}: not measured${r.reason ? ` (${r.reason})` : ""}`;
  const measured = `${formatQuantity(r.measured, r.unit)} ${formatInterval(r.interval, r.unit)}${r.confidence !== undefined ? ` at ${formatConfidence(r.confidence)} confidence` : ""}, ${r.samples} samples`;
  const verdict = r.status === "fail" ? "violated" : r.status === "pass" ? "holds" : "inconclusive";
  return `${r.node}: ${label} ${verdict}: measured ${measured}${r.reason ? ` (${r.reason})` : ""}`;
}

export function verdictCounts(results: readonly BoundResult[]): Record<Verdict, number> {
  const c: Record<Verdict, number> = { pass: 0, fail: 0, inconclusive: 0, unmeasured: 0 };
  for (const r of results) c[r.status]++;
  return c;
}

/** `3 passed, 1 failed, 2 inconclusive` (zero counts left out). */
export function summarizeResults(results: readonly BoundResult[]): string {
  const c = verdictCounts(results);
  const parts = [
    [c.pass, "passed"],
    [c.fail, "failed"],
    [c.inconclusive, "inconclusive"],
    [c.unmeasured, "unmeasured"],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, w]) => `${n} ${w}`);
  return parts.length > 0 ? parts.join(", ") : "no bounds";
}

/** Whether the report should fail a run: an error-severity bound violated (or, with `strict`, not shown to hold). */
export function reportFails(report: Pick<MeasureReport, "results" | "diagnostics">, strict = false): boolean {
  if (hasErrors(report.diagnostics)) return true;
  return report.results.some((r) => r.severity === "error" && (r.status === "fail" || (strict && r.status !== "pass")));
}

/** A relative change as `+12.3%` / `−4.5%`. */
export function formatChange(x: number): string {
  if (!Number.isFinite(x)) return "—";
  const pct = x * 100;
  return `${pct >= 0 ? "+" : "−"}${sig(Math.abs(pct))}%`;
}

export function formatComparison(c: Comparison): string {
  return `${formatChange(c.change)} ${formatChangeInterval(c)}`;
}

/** The interval of a relative change: `[−2.1%, +4.5%]`. */
export function formatChangeInterval(c: Comparison): string {
  return `[${formatChange(c.interval[0])}, ${formatChange(c.interval[1])}]`;
}

/** Report diagnostics back in the renderer's shape (offsets are not kept in reports; renderers use lines and columns). */
export function toDiagnostic(d: JsonDiagnostic): Diagnostic {
  const location = (l: { file: string; line: number; column: number; endLine: number; endColumn: number }) => ({ file: l.file, start: 0, end: 0, line: l.line, column: l.column, endLine: l.endLine, endColumn: l.endColumn });
  const out: Diagnostic = { code: d.code, severity: d.severity, message: d.message, location: location(d) };
  if (d.help !== undefined) out.help = d.help;
  if (d.notes !== undefined) out.notes = d.notes;
  if (d.related !== undefined) out.related = d.related.map((r) => ({ message: r.message, location: location(r) }));
  return out;
}

/** A point position as a one-character span, for renderers that want a range. */
export function pointLocation(p: { file: string; line: number; column: number }) {
  return { file: p.file, start: 0, end: 0, line: p.line, column: p.column, endLine: p.line, endColumn: p.column + 1 };
}
