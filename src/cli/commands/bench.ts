import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { compareWithBaseline, measureFails, UsageError, type MeasureReport } from "../../index.js";
import type { CommandContext } from "../context.js";
import { withOutputOptions } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { bindAndMeasure, emitMeasureReport, withMeasureOptions, type MeasureCliOptions } from "../measure-output.js";
import type { RawOutputOptions } from "../output.js";

interface BenchOptions extends MeasureCliOptions {
  project: string;
  baseline?: string;
}

/** Reads a baseline report written by `cdlc bench --format json` (or `check --measure`). */
function readBaseline(path: string): MeasureReport {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read the baseline report '${path}': ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  let report: MeasureReport;
  try {
    report = JSON.parse(text) as MeasureReport;
  } catch {
    throw new UsageError(`the baseline '${path}' is not JSON: write it with \`cdlc bench … --format json > ${path}\``);
  }
  if (report === null || typeof report !== "object" || report.version !== 1 || !Array.isArray(report.nodes)) {
    throw new UsageError(`the baseline '${path}' is not a cdlc report (version 1 with nodes and their samples)`);
  }
  return report;
}

/** `cdlc bench FILE --project TSCONFIG [--baseline REPORT]`: measure every constrained node, compared with a baseline. */
export function registerBench(program: Command, ctx: CommandContext): void {
  withOutputOptions(
    withMeasureOptions(
      program
        .command("bench")
        .argument("<file>", "the CDL file whose constrained nodes are measured")
        .description("measure every constrained node and report, compared with a baseline report when one is given")
        .requiredOption("-p, --project <tsconfig>", "the program's tsconfig.json")
        .option("--baseline <report>", "a JSON report of an earlier run (`cdlc bench … --format json`) to compare with")
        .option("--no-cache", "neither read nor write the graph cache in .cdl/cache/"),
    ),
    "pretty|json|junit|sarif|markdown|github|html",
  )
    .addHelpText(
      "after",
      `
Measures like 'check --measure' and also, with --baseline, compares each node's execution
time with the stored samples of the baseline run: a change is flagged as a regression or an
improvement only when its confidence interval excludes no change (Holm-corrected across
nodes); the estimated change and its interval are reported. Each node is run at least 4
times, as its time budget allows, even when its bounds are decided sooner: a comparison
with a baseline sees run-to-run variation only across runs.

Exit codes: 0 no regression and no violated bound of severity error, 1 a significant
regression or a violated bound (with --strict also one left inconclusive or unmeasured),
2 invalid input (including an unreadable baseline), 3 an internal error.

Examples:
  cdlc bench constraints.cdl --project tsconfig.json --format json > baseline.json
  cdlc bench constraints.cdl --project tsconfig.json --baseline baseline.json --report markdown:bench.md`,
    )
    .action(async (file: string, raw: RawOutputOptions & BenchOptions) => {
      const baseline = raw.baseline !== undefined ? readBaseline(resolve(ctx.io.cwd, raw.baseline)) : undefined;
      const measured = await bindAndMeasure(file, raw.project, raw, ctx, "bench");
      if (measured === undefined) return ctx.exit(ExitCode.invalidInput);
      const report = measured.report;
      if (baseline !== undefined) report.comparisons = await compareWithBaseline(report, baseline, { alpha: report.alpha });
      await emitMeasureReport(ctx.io, measured.options, report, measured.sources, "cdlc bench");
      const regressed = (report.comparisons ?? []).some((c) => c.verdict === "regression");
      ctx.exit(regressed || (await measureFails(report, raw.strict === true)) ? ExitCode.violated : ExitCode.ok);
    });
}
