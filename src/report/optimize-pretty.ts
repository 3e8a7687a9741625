import { pickStyle } from "../diagnostics/index.js";
import type { NodeOutcome, OptimizeResult } from "../optimize/types.js";
import { formatInterval, formatQuantity } from "./format.js";

/**
 * `cdlc optimize`'s human report: per node, its status, before → after
 * with intervals, the speedup and where it was measured, the operator chain
 * (and the diff with `showDiff`), or why nothing was accepted; then what
 * the run produced (a version, an output folder) and what to do next.
 */
export function renderOptimizePretty(result: OptimizeResult, o: { color: boolean; showDiff?: boolean }): string {
  const style = pickStyle(o.color);
  const out: string[] = [];
  if (result.nodes.length === 0) out.push("No node violates a bound: nothing to optimize (use --all to try every constrained node).");
  for (const n of result.nodes) {
    out.push(`${style.bold(n.node)}  ${statusLabel(n, style)}`);
    if (n.violated.length > 0) out.push(`  violated:  ${n.violated.join("; ")}`);
    if (n.before !== undefined) out.push(`  before:    ${n.before.statistic} ${formatQuantity(n.before.value, "ns")} ${formatInterval(n.before.interval, "ns")}`);
    if (n.after !== undefined) out.push(`  after:     ${n.after.statistic} ${formatQuantity(n.after.value, "ns")} ${formatInterval(n.after.interval, "ns")} (test cases)`);
    if (n.speedup !== undefined) {
      const where = n.speedup.measuredOn === "test" ? "on held-out test cases" : style.yellow("not held out: measured on the cases that chose it");
      out.push(`  speedup:   ${n.speedup.estimate.toFixed(2)}× [${n.speedup.interval[0].toFixed(2)}×, ${n.speedup.interval[1].toFixed(2)}×] ${where}`);
    }
    if (n.accepted !== undefined) {
      const proposed = n.accepted.proposal !== undefined ? `${n.accepted.proposal.name ?? "a candidate"} from \`${n.accepted.proposal.proposer}\`` : undefined;
      const made = [proposed, ...n.accepted.operators].filter((x) => x !== undefined).join(" → ");
      out.push(`  variant:   #${n.accepted.id} ${made} (risk ${n.accepted.risk})`);
      if (n.accepted.proposal?.rationale !== undefined) out.push(`  rationale: ${n.accepted.proposal.rationale}`);
      if (o.showDiff === true) out.push(...n.accepted.diff.trimEnd().split("\n").map((l) => `    ${l}`));
    }
    if (n.reason !== undefined) out.push(`  ${(n.accepted !== undefined ? "note:" : "why:").padEnd(11)}${n.reason}`);
    for (const r of n.reasons ?? []) out.push(`    ${r.operator}: ${r.reason}`);
    if (n.hint !== undefined) out.push(`  hint:      ${n.hint}`);
    out.push(`  attempts:  ${n.attempts}`);
    out.push("");
  }
  const improved = result.nodes.filter((n) => n.accepted !== undefined).length;
  out.push(`${improved} of ${result.nodes.length} node${result.nodes.length === 1 ? "" : "s"} improved; canaries caught ${result.canaries.caught}/${result.canaries.injected}; ${(result.elapsedMs / 1000).toFixed(1)} s of a ${(result.budget / 1000).toFixed(0)} s budget`);
  for (const p of result.proposers ?? []) {
    out.push(`proposer \`${p.command}\`: asked about ${p.asked} node${p.asked === 1 ? "" : "s"}, ${p.candidates} candidate${p.candidates === 1 ? "" : "s"}, ${p.accepted} accepted, ${p.rejected} rejected`);
    for (const f of p.failures) out.push(style.yellow(`  ${f.node}: ${f.reason}${f.stderr !== undefined ? ` — ${f.stderr.split("\n").slice(-3).join(" / ")}` : ""}`));
    for (const note of p.notes) out.push(`  ${note}`);
  }
  if (result.test !== undefined) out.push(result.test.passed ? `tests passed: ${result.test.command}` : style.red(`tests failed (exit ${result.test.exitCode}): ${result.test.command} — the changes were undone`));
  if (result.outDir !== undefined && result.test?.passed !== false) out.push(`wrote the optimized program to ${result.outDir}`);
  if (result.version !== null) {
    if (result.mode === "staged") out.push(`staged as version ${result.version}: \`cdlc diff ${result.version}\` shows it, \`cdlc apply ${result.version}\` applies it`);
    else if (result.test?.passed !== false) out.push(`applied as version ${result.version}: \`cdlc rollback ${result.version - 1}\` restores the files as they were`);
  }
  return `${out.join("\n")}\n`;
}

function statusLabel(n: NodeOutcome, style: ReturnType<typeof pickStyle>): string {
  switch (n.status) {
    case "improved":
      return style.green("✓ improved");
    case "improved-still-violating":
      return style.yellow("↑ improved, still violating");
    case "skipped":
      return style.dim("skipped");
    default:
      return style.red(`✗ ${n.status}`);
  }
}
