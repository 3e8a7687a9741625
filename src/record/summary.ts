import type { RecordPlan } from "./plan.js";
import type { RecordedRun } from "./run-recorded.js";

/**
 * What `cdlc record` says after the command ends (on standard error, below
 * the command's own output): how much it recorded and where, and for every
 * watched node that got no calls, why — never loaded, not instrumentable,
 * or loaded and not called.
 */
export function describeRecording(run: RecordedRun, plan: Pick<RecordPlan, "nodes">, outPath: string): string {
  const r = run.recording;
  const notes = r.notes ?? { instrumented: [], skipped: [], problems: [] };
  const called = Object.keys(r.nodes).length;
  const calls = Object.values(r.nodes).reduce((a, n) => a + n.calls, 0);
  const lines = [
    `cdlc record: ${called} of ${plan.nodes.length} watched node${plan.nodes.length === 1 ? "" : "s"} called, ${calls.toLocaleString("en-US")} call${calls === 1 ? "" : "s"} in ${r.processes} process${r.processes === 1 ? "" : "es"} → ${outPath}`,
  ];
  const instrumented = new Set(notes.instrumented);
  const skipped = new Map(notes.skipped.map((s) => [s.node, s.reason]));
  for (const n of plan.nodes) {
    if (r.nodes[n.id] !== undefined) continue;
    const why = skipped.get(n.id) ?? (instrumented.has(n.id) ? "loaded, never called" : "its file was never loaded (or only a compiled copy without a source map)");
    lines.push(`  not recorded: ${n.id} — ${why}`);
  }
  for (const p of notes.problems) lines.push(`  recorder problem: ${p}`);
  for (const u of run.unreadable) lines.push(`  recorder problem: a process's records could not be read: ${u}`);
  return `${lines.join("\n")}\n`;
}
