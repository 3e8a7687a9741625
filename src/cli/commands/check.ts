import type { Command } from "commander";
import { checkCdlFile, checkCdlFileWithProject, measureFails, UsageError } from "../../index.js";
import type { CommandContext } from "../context.js";
import { withOutputOptions } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { bindAndDecideRecording, bindAndMeasure, emitMeasureReport, withMeasureOptions, type MeasureCliOptions } from "../measure-output.js";
import { emitDiagnostics, resolveOutputOptions, type RawOutputOptions } from "../output.js";
import { createProgress } from "../progress.js";
import { hasErrors } from "../../diagnostics/index.js";

/** `cdlc check FILE [--project TSCONFIG]`: syntax and semantics of a CDL file and its imports, and with a project, its binding to the program. */
export function registerCheck(program: Command, ctx: CommandContext): void {
  withOutputOptions(withMeasureOptions(
    program
      .command("check")
      .argument("<file>", "the CDL file to check")
      .description("check a CDL file; with --project, bind it to the program; with --measure, measure and decide every bound")
      .option("-p, --project <tsconfig>", "also resolve every selector, alternative, workload export and flow against this program")
      .option("--no-cache", "with --project: neither read nor write the graph cache in .cdl/cache/")
      .option("--measure", "with --project: run every constrained node on its workload and decide every bound")
      .option("--recording <path>", "with --project: decide every bound on the calls a recording of `cdlc record` holds, instead of --measure")
      .addHelpText(
        "after",
        `
With --project, every selector must name nodes of the program (bare and qualified names exactly
one), every algorithm alternative must have a type assignable to its node's, and every constrained
node needs an export in a workload module. Only --project loads the TypeScript program.

Exit codes: 0 valid (and, with --measure or --recording, no bound of severity error violated),
1 a bound of severity error is violated (--measure or --recording; with --strict also one left
inconclusive or unmeasured), 2 syntax or semantic errors, a selector that does not resolve, a
missing file, a recording that cannot be read or a bad option, 3 an internal error (a bug in cdlc).

Examples:
  cdlc check constraints.cdl
  cdlc check constraints.cdl --project tsconfig.json
  cdlc check constraints.cdl --project tsconfig.json --measure --report junit:budgets.xml --report html:budgets.html
  cdlc check constraints.cdl --format sarif --report junit:cdl-junit.xml
  cdlc check constraints.cdl --project tsconfig.json --recording cdl-recording.json --report junit:budgets.xml

With --measure, each constrained node runs on its workload in child processes (timeouts and
memory limits; a hang, crash, exit or out-of-memory is reported for that node), sampled until
every bound is decided with confidence or the time budget is spent. A bound fails only when its
confidence interval lies wholly beyond the limit; exit 1 when one of severity error does.
Formats then also include html.

With --recording (instead of --measure), every bound is decided on the calls that a recording
made by \`cdlc record\` holds: what your test suite or staging run actually did. The statistics are
those of --measure (--alpha and --strict apply; the sampling options do not): percentiles from
the recorded time histograms (a uniform sample of the calls when a fast node was timed on a share
of them), error rates from the recorded counts, flow calls from the count in each caller call.
Recorded times include the clock's cost and the recorder's: a time is shown above a limit only
with the clock's cost allowed for, a lower time bound (min_execution_time) is never passed, and a
mean or a maximum can be shown above a limit, never below it. Memory and throughput are not
recorded: those bounds are unmeasured. Results say "recorded" (JSON: "origin": "recorded";
"samples" is the number of recorded calls used). A recording that cannot be read is invalid
input (exit 2).`,
      ),
    " (with --measure)",
  )).action(async (file: string, raw: RawOutputOptions & CheckOptions) => {
    if (raw.measure && raw.recording !== undefined) throw new UsageError("--measure and --recording are alternatives: measure now, or decide on a recording");
    if (raw.recording !== undefined) return checkRecording(file, raw.recording, raw, ctx);
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
    const failed = hasErrors(result.diagnostics) || (result.model === undefined && raw.project === undefined);
    ctx.exit(failed ? ExitCode.invalidInput : ExitCode.ok);
  });
}

interface CheckOptions extends MeasureCliOptions {
  project?: string;
  cache?: boolean;
  measure?: boolean;
  recording?: string;
}

/** `check --measure`: bind, then measure and decide every bound; exit 1 on a confident violation. */
async function checkAndMeasure(file: string, raw: RawOutputOptions & CheckOptions, ctx: CommandContext): Promise<void> {
  if (raw.project === undefined) throw new UsageError("--measure needs the program: add --project tsconfig.json");
  const measured = await bindAndMeasure(file, raw.project, raw, ctx, "check");
  if (measured === undefined) return ctx.exit(ExitCode.invalidInput);
  await emitMeasureReport(ctx.io, measured.options, measured.report, measured.sources, "cdlc check --measure");
  ctx.exit((await measureFails(measured.report, raw.strict === true)) ? ExitCode.violated : ExitCode.ok);
}

/** `check --recording`: bind, then decide every bound on the recorded calls; exit 1 on a confident violation. */
async function checkRecording(file: string, recording: string, raw: RawOutputOptions & CheckOptions, ctx: CommandContext): Promise<void> {
  if (raw.project === undefined) throw new UsageError("--recording needs the program: add --project tsconfig.json");
  const decided = await bindAndDecideRecording(file, raw.project, recording, raw, ctx);
  if (decided === undefined) return ctx.exit(ExitCode.invalidInput);
  await emitMeasureReport(ctx.io, decided.options, decided.report, decided.sources, "cdlc check --recording", decided.preface);
  ctx.exit((await measureFails(decided.report, raw.strict === true)) ? ExitCode.violated : ExitCode.ok);
}
