import type { Command } from "commander";
import { resolve } from "node:path";
import { checkCdlFile, checkCdlFileWithProject, measureFails, measureProject, reportFormats, UsageError } from "../../index.js";
import type { CommandContext } from "../context.js";
import { withOutputOptions } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { createMeasureProgress, emitMeasureReport, parseAlpha, parseDuration } from "../measure-output.js";
import { emitDiagnostics, outputFormats, resolveOutputOptions, type RawOutputOptions } from "../output.js";
import { createProgress } from "../progress.js";

/** `cdlc check FILE [--project TSCONFIG]`: syntax and semantics of a CDL file and its imports, and with a project, its binding to the program. */
export function registerCheck(program: Command, ctx: CommandContext): void {
  withOutputOptions(
    program
      .command("check")
      .argument("<file>", "the CDL file to check")
      .description("parse and check a CDL file (and its imports) against the language rules; with --project, against the program")
      .option("-p, --project <tsconfig>", "also resolve every selector, alternative, workload export and flow against this program")
      .option("--no-cache", "with --project: neither read nor write the graph cache in .cdl/cache/")
      .option("--measure", "with --project: run every constrained node on its workload and decide every bound")
      .option("--time-budget <duration>", "with --measure: sampling time per node, e.g. 5s or 500ms", "5s")
      .option("--alpha <p>", "with --measure: family-wise error rate of the run's decisions", "0.01")
      .option("--strict", "with --measure: inconclusive and unmeasured bounds of severity error fail too")
      .option("--timeout <duration>", "with --measure: wall-clock limit of one child run beyond its budget", "30s")
      .option("--max-old-space-size <mb>", "with --measure: heap limit of the child processes, in MB", "2048")
      .addHelpText(
        "after",
        `
With --project, every selector must name nodes of the program (bare and qualified names exactly
one), every algorithm alternative must have a type assignable to its node's, and every constrained
node needs an export in a workload module. Only --project loads the TypeScript program.

Exit codes: 0 valid (and, with --measure, no bound of severity error violated), 1 a bound of
severity error is violated (--measure), 2 syntax or semantic errors, a selector that does not
resolve, a missing file or a bad option.

Examples:
  cdlc check constraints.cdl
  cdlc check constraints.cdl --project tsconfig.json
  cdlc check constraints.cdl --project tsconfig.json --measure --report junit:budgets.xml --report html:budgets.html
  cdlc check constraints.cdl --format sarif --report junit:cdl-junit.xml

With --measure, each constrained node runs on its workload in child processes (timeouts and
memory limits; a hang, crash, exit or out-of-memory is reported for that node), sampled until
every bound is decided with confidence or the time budget is spent. A bound fails only when its
confidence interval lies wholly beyond the limit; exit 1 when one of severity error does.
Formats then also include html.`,
      ),
  ).action(async (file: string, raw: RawOutputOptions & CheckOptions) => {
    if (raw.measure) return checkAndMeasure(file, raw, ctx);
    const options = resolveOutputOptions(raw, ctx.io);
    let result;
    if (raw.project !== undefined) {
      const progress = createProgress(ctx.io, options.quiet || options.format !== "pretty");
      result = await checkCdlFileWithProject(file, raw.project, ctx.host, ctx.io.cwd, { onProgress: progress.report, cache: raw.cache !== false });
      progress.finish();
    } else {
      result = checkCdlFile(file, ctx.host, ctx.io.cwd);
    }
    const files = result.model?.files.map((f) => f.displayPath) ?? [];
    emitDiagnostics(ctx.io, options, { diagnostics: result.diagnostics, sources: result.sources, files, title: "cdlc check" });
    const failed = result.diagnostics.some((d) => d.severity === "error") || (result.model === undefined && raw.project === undefined);
    ctx.exit(failed ? ExitCode.invalidInput : ExitCode.ok);
  });
}

interface CheckOptions {
  project?: string;
  cache?: boolean;
  measure?: boolean;
  timeBudget: string;
  alpha: string;
  strict?: boolean;
  timeout: string;
  maxOldSpaceSize: string;
}

/** `check --measure`: bind, then measure and decide every bound; exit 1 on a confident violation. */
async function checkAndMeasure(file: string, raw: RawOutputOptions & CheckOptions, ctx: CommandContext): Promise<void> {
  if (raw.project === undefined) throw new UsageError("--measure needs the program: add --project tsconfig.json");
  const options = resolveOutputOptions(raw, ctx.io, reportFormats);
  const timeBudgetMs = parseDuration(raw.timeBudget, "--time-budget");
  const timeoutMs = parseDuration(raw.timeout, "--timeout");
  const alpha = parseAlpha(raw.alpha);
  const maxOldSpaceMb = Number(raw.maxOldSpaceSize);
  if (!Number.isInteger(maxOldSpaceMb) || maxOldSpaceMb < 16) throw new UsageError(`--max-old-space-size takes a whole number of MB, at least 16 (got '${raw.maxOldSpaceSize}')`);

  const progress = createProgress(ctx.io, options.quiet);
  const checked = await checkCdlFileWithProject(file, raw.project, ctx.host, ctx.io.cwd, { onProgress: progress.report, cache: raw.cache !== false });
  progress.finish();
  if (checked.diagnostics.some((d) => d.severity === "error") || checked.run.binding === undefined) {
    // Invalid input is reported as diagnostics, in a diagnostics format (html has none).
    const diagnosticsOptions = (outputFormats as readonly string[]).includes(options.format) ? options : { ...options, format: "pretty" as const };
    const files = checked.model?.files.map((f) => f.displayPath) ?? [];
    emitDiagnostics(ctx.io, { ...diagnosticsOptions, reports: options.reports.filter((r) => r.format !== "html") }, { diagnostics: checked.diagnostics, sources: checked.sources, files, title: "cdlc check" });
    return ctx.exit(ExitCode.invalidInput);
  }
  const measuring = await createMeasureProgress(ctx.io, options.quiet, options.color);
  let report;
  try {
    report = await measureProject(checked.run, { cwd: ctx.io.cwd, command: "check", timeBudgetMs, timeoutMs, alpha, maxOldSpaceMb, onProgress: measuring.onProgress });
  } finally {
    measuring.finish();
  }
  const reports = options.reports.map((r) => ({ format: r.format as (typeof reportFormats)[number], path: resolve(ctx.io.cwd, r.path) }));
  await emitMeasureReport(ctx.io, { ...options, format: options.format as (typeof reportFormats)[number] }, reports, report, checked.sources, "cdlc check --measure");
  ctx.exit((await measureFails(report, raw.strict === true)) ? ExitCode.violated : ExitCode.ok);
}
