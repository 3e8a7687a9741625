import { pickStyle, plural } from "../diagnostics/index.js";
import type { NodeProgress, ProgressState } from "../measure/decide/progress-state.js";

export interface ProgressOptions {
  /** A terminal: redraw a frame of bars. Otherwise (CI logs): one line per finished node. */
  tty: boolean;
  color?: boolean;
  /** Terminal columns; default 80. */
  width?: number;
}

function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

function bar(fraction: number, cells: number): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.floor(f * cells);
  const part = f * cells - full;
  const partial = full < cells && part >= 0.5 ? "▌" : "";
  return "█".repeat(full) + partial + "░".repeat(cells - full - (partial ? 1 : 0));
}

function fit(s: string, width: number): string {
  const chars = [...s];
  return chars.length <= width ? s + " ".repeat(width - chars.length) : "…" + chars.slice(chars.length - width + 1).join("");
}

function verdicts(p: NodeProgress): string {
  if (!p.verdicts) return `${p.decided}/${p.bounds} decided`;
  const v = p.verdicts;
  return [v.pass && `${v.pass} passed`, v.fail && `${v.fail} failed`, v.inconclusive && `${v.inconclusive} inconclusive`, v.unmeasured && `${v.unmeasured} unmeasured`].filter(Boolean).join(", ") || "no bounds";
}

/**
 * Renders measurement progress. On a terminal: a frame with one bar per
 * node (runs, samples, time left) that the caller redraws in place (see
 * {@link eraseLines}). In CI logs: one line when a node finishes and a
 * closing line, nothing otherwise — so the return value is often "".
 */
export function renderProgress(state: ProgressState, options: ProgressOptions): string {
  const style = pickStyle(options.color ?? false);
  const done = state.nodes.filter((n) => n.status === "done").length;
  if (!options.tty) {
    if (state.event.kind === "node-done") {
      const node = state.event.node;
      const p = state.nodes.find((n) => n.node === node);
      if (!p) return "";
      const failure = (p.failure ? `; failed: ${p.failure}` : "") + (p.gaveUp ? `; stopped: ${p.gaveUp}` : "");
      return `measured ${node} (${done}/${state.nodes.length}): ${plural(p.looks, "run")}, ${plural(p.samples, "sample")}, ${seconds(p.usedMs)}; ${plural(p.decided, "bound")} of ${p.bounds} decided early${failure}\n`;
    }
    if (state.event.kind === "done") {
      const used = state.nodes.reduce((t, n) => t + n.usedMs, 0);
      const all = state.nodes.map(verdicts).join("; ");
      return `measured ${plural(state.nodes.length, "node")} in ${seconds(used)}${state.nodes.length > 0 ? `: ${all}` : ""}\n`;
    }
    return "";
  }
  const width = Math.max(40, options.width ?? 80);
  const nameWidth = Math.min(32, Math.max(8, Math.floor(width * 0.35)));
  const cells = Math.max(6, Math.min(20, width - nameWidth - 44));
  const lines = [style.bold(`measuring ${done}/${state.nodes.length} nodes`)];
  for (const p of state.nodes) {
    const name = fit(p.node, nameWidth);
    const frac = p.status === "done" ? 1 : p.budgetMs > 0 ? p.usedMs / p.budgetMs : 0;
    const b = p.status === "pending" ? style.dim(bar(0, cells)) : p.status === "done" ? (p.failure ? style.red(bar(1, cells)) : style.green(bar(1, cells))) : style.cyan(bar(frac, cells));
    let tail: string;
    if (p.status === "pending") tail = style.dim("waiting");
    else if (p.status === "running") tail = `${p.looks}/${p.maxLooks} runs ${p.samples} samples ${seconds(p.budgetMs - p.usedMs)} left`;
    else tail = p.failure ? style.red(`failed: ${p.failure}`) : `${plural(p.looks, "run")}, ${plural(p.samples, "sample")}, ${verdicts(p)}`;
    lines.push(`${name} ${b} ${tail}`);
  }
  return lines.join("\n") + "\n";
}

/** ANSI sequence that moves up over a previous frame of `lines` lines and clears it. */
export function eraseLines(lines: number): string {
  return lines > 0 ? `\u001b[${lines}A\u001b[0J` : "";
}
