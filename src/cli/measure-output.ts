import { renderMeasureReport, UsageError, type MeasureReport, type ProgressState, type ReportFormat } from "../index.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import type { CliIo } from "./io.js";
import type { OutputOptions } from "./output.js";

/** `500ms`, `2s`, `1.5min`, or a plain number of seconds, in milliseconds. */
export function parseDuration(text: string, option: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min)?\s*$/.exec(text);
  if (m === null) throw new UsageError(`${option} takes a duration such as 2s, 500ms or 1min (got '${text}')`);
  const value = Number(m[1]);
  const ms = value * (m[2] === "ms" ? 1 : m[2] === "min" ? 60_000 : 1000);
  if (!(ms > 0)) throw new UsageError(`${option} must be more than zero (got '${text}')`);
  return ms;
}

/** A probability strictly between 0 and 1, such as 0.01. */
export function parseAlpha(text: string): number {
  const a = Number(text);
  if (!(a > 0 && a < 1)) throw new UsageError(`--alpha takes a number between 0 and 1, such as 0.01 (got '${text}')`);
  return a;
}

/**
 * Progress of a measurement: on a terminal, a frame redrawn in place on
 * standard error; in CI (`CI` set), one line per finished node; otherwise
 * (output piped, `--quiet`) nothing.
 */
export async function createMeasureProgress(io: CliIo, quiet: boolean, color: boolean): Promise<{ onProgress: (s: ProgressState) => void; finish(): void }> {
  const { renderProgress, eraseLines } = await import("../report/progress.js");
  const tty = io.isTTY && !quiet;
  const ci = !quiet && !io.isTTY && io.env.CI !== undefined && io.env.CI !== "" && io.env.CI !== "false";
  let drawn = 0;
  return {
    onProgress(state) {
      if (!tty && !ci) return;
      const text = renderProgress(state, { tty, color });
      if (text === "") return;
      if (tty) {
        io.stderr(eraseLines(drawn) + text);
        drawn = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
      } else io.stderr(text);
    },
    finish() {
      if (drawn > 0) io.stderr(eraseLines(drawn));
      drawn = 0;
    },
  };
}

/** Prints a measurement report in the chosen format and writes every `--report` file. */
export async function emitMeasureReport(io: CliIo, options: OutputOptions & { format: ReportFormat }, reports: { format: ReportFormat; path: string }[], report: MeasureReport, sources: Map<string, string>, title: string): Promise<void> {
  const lookup = (f: string) => sources.get(f);
  io.stdout(await renderMeasureReport(options.format, report, { color: options.color, sources: lookup, title }));
  for (const r of reports) writeFileAtomic(r.path, await renderMeasureReport(r.format, report, { color: false, sources: lookup, title }));
}
