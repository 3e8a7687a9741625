import type { Command } from "commander";
import { resolve } from "node:path";
import { checkCdlFileWithProject, decideOnRecording, measureProject, readRecordingFile, renderMeasureReport, reportFormats, UsageError, type MeasureReport, type ProgressState, type Recording, type ReportFormat } from "../index.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import type { CommandContext } from "./context.js";
import { progressMode, type CliIo } from "./io.js";
import { emitDiagnostics, outputFormats, resolveOutputOptions, type OutputOptions, type RawOutputOptions } from "./output.js";
import { createProgress } from "./progress.js";
import { hasErrors } from "../diagnostics/index.js";

/** The measurement options `check --measure` and `bench` share. */
export interface MeasureCliOptions {
  timeBudget: string;
  alpha: string;
  strict?: boolean;
  timeout: string;
  maxOldSpaceSize: string;
  cache?: boolean;
}

/** Adds the measurement options; `note` says when they apply (e.g. " (with --measure)"). */
export function withMeasureOptions(command: Command, note = ""): Command {
  return command
    .option("--time-budget <duration>", `sampling time per node, e.g. 5s or 500ms; time a decided node leaves goes to undecided ones${note}`, "5s")
    .option("--alpha <p>", `family-wise error rate of the run's decisions${note}`, "0.01")
    .option("--strict", `inconclusive and unmeasured bounds of severity error fail too${note}`)
    .option("--timeout <duration>", `wall-clock limit of one child run beyond its budget${note}`, "30s")
    .option("--max-old-space-size <mb>", `heap limit of the child processes, in MB${note}`, "2048");
}

export interface MeasuredRun {
  report: MeasureReport;
  sources: Map<string, string>;
  options: OutputOptions & { format: ReportFormat };
}

/**
 * Binds a CDL file to its program and measures every bound. Invalid input
 * (CDL or binding errors) is reported as diagnostics and yields undefined.
 */
export async function bindAndMeasure(file: string, project: string, raw: RawOutputOptions & MeasureCliOptions, ctx: CommandContext, command: MeasureReport["command"]): Promise<MeasuredRun | undefined> {
  const options = resolveOutputOptions(raw, ctx.io, reportFormats) as OutputOptions & { format: ReportFormat };
  const timeBudgetMs = parseDuration(raw.timeBudget, "--time-budget");
  const timeoutMs = parseDuration(raw.timeout, "--timeout");
  const alpha = parseAlpha(raw.alpha);
  const maxOldSpaceMb = Number(raw.maxOldSpaceSize);
  if (!Number.isInteger(maxOldSpaceMb) || maxOldSpaceMb < 16) throw new UsageError(`--max-old-space-size takes a whole number of MB, at least 16 (got '${raw.maxOldSpaceSize}')`);

  const checked = await bindForReport(file, project, raw, ctx, options, `cdlc ${command}`);
  if (checked === undefined) return undefined;
  const measuring = await createMeasureProgress(ctx.io, options.quiet, options.color);
  try {
    const report = await measureProject(checked.run, { cwd: ctx.io.cwd, command, timeBudgetMs, timeoutMs, alpha, maxOldSpaceMb, onProgress: measuring.onProgress });
    return { report, sources: checked.sources, options };
  } finally {
    measuring.finish();
  }
}

/**
 * Binds a CDL file to its program for a report; invalid input (CDL or
 * binding errors) is reported as diagnostics and yields undefined.
 */
async function bindForReport(file: string, project: string, raw: { cache?: boolean }, ctx: CommandContext, options: OutputOptions & { format: ReportFormat }, title: string) {
  const progress = createProgress(ctx.io, options.quiet);
  const checked = await checkCdlFileWithProject(file, project, ctx.host, ctx.io.cwd, { onProgress: progress.report, cache: raw.cache !== false });
  progress.finish();
  if (hasErrors(checked.diagnostics) || checked.run.binding === undefined) {
    // Invalid input is reported as diagnostics, in a diagnostics format (html has none).
    const diagnosticsOptions = (outputFormats as readonly string[]).includes(options.format) ? options : { ...options, format: "pretty" as const };
    const files = checked.model?.files.map((f) => f.displayPath) ?? [];
    emitDiagnostics(ctx.io, { ...diagnosticsOptions, reports: options.reports.filter((r) => r.format !== "html") }, { diagnostics: checked.diagnostics, sources: checked.sources, files, title });
    return undefined;
  }
  return checked;
}

/**
 * Reads `--recording PATH` (relative to the working directory). A file
 * that is not a readable recording is invalid input: its message, exit 2.
 */
export async function loadRecordingOption(path: string, cwd: string): Promise<Recording> {
  const absolute = resolve(cwd, path);
  const { RecordingError } = await import("../record/recording.js");
  try {
    return await readRecordingFile(absolute);
  } catch (e) {
    // Messages name the file as the user wrote it.
    if (e instanceof RecordingError) throw new UsageError(e.message.split(absolute).join(path));
    throw e;
  }
}

/**
 * `check --recording`: binds a CDL file to its program and decides every
 * bound on the recorded calls. Invalid input is reported as diagnostics and
 * yields undefined.
 */
export async function bindAndDecideRecording(file: string, project: string, recordingPath: string, raw: RawOutputOptions & Pick<MeasureCliOptions, "alpha" | "cache">, ctx: CommandContext): Promise<(MeasuredRun & { preface: string }) | undefined> {
  const options = resolveOutputOptions(raw, ctx.io, reportFormats) as OutputOptions & { format: ReportFormat };
  const alpha = parseAlpha(raw.alpha);
  // Before the program loads: a bad recording fails fast.
  const recording = await loadRecordingOption(recordingPath, ctx.io.cwd);
  const checked = await bindForReport(file, project, raw, ctx, options, "cdlc check");
  if (checked === undefined) return undefined;
  const report = await decideOnRecording(checked.run, recording, { cwd: ctx.io.cwd, file: recordingPath, alpha });
  const { describeRecordingOrigin } = await import("../record/decide-recorded.js");
  return { report, sources: checked.sources, options, preface: describeRecordingOrigin(report.recording) };
}

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
  const mode = progressMode(io, quiet);
  const tty = mode === "tty";
  const ci = mode === "ci";
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

/**
 * Prints a measurement report in the chosen format and writes every
 * `--report` file (atomically). `preface` (a line such as where recorded
 * calls came from) heads the pretty form, which has no title.
 */
export async function emitMeasureReport(io: CliIo, options: OutputOptions & { format: ReportFormat }, report: MeasureReport, sources: Map<string, string>, title: string, preface?: string): Promise<void> {
  const lookup = (f: string) => sources.get(f);
  const render = async (format: ReportFormat, color: boolean) => {
    const text = await renderMeasureReport(format, report, { color, sources: lookup, title });
    return format === "pretty" && preface !== undefined ? `${preface}\n\n${text}` : text;
  };
  // --quiet: the pretty table only when something failed.
  const quietSkip = options.quiet && options.format === "pretty" && !report.results.some((r) => r.status === "fail") && !(report.comparisons ?? []).some((c) => c.verdict === "regression");
  if (!quietSkip) io.stdout(await render(options.format, options.color));
  for (const r of options.reports) writeFileAtomic(r.path, await render(r.format as ReportFormat, false));
}
