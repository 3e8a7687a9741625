import type { Command } from "commander";
import { calibrateMachine, currentEnvironment, describeEnvironment, pickStyle, UsageError, VERSION } from "../../index.js";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { progressMode, wantsColor } from "../io.js";
import { parseAlpha, parseDuration } from "../measure-output.js";

interface CalibrateOptions {
  timeBudget: string;
  experiments: string;
  alpha: string;
  format: string;
  color?: boolean;
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`;

/** `cdlc calibrate`: how trustworthy the statistics are on this machine. */
export function registerCalibrate(program: Command, ctx: CommandContext): void {
  program
    .command("calibrate")
    .description("run A-versus-A comparisons on this machine: the observed false-positive rate, and the smallest change detectable in the time budget")
    .option("--time-budget <duration>", "time of one A/A comparison (both arms), e.g. 2s", "2s")
    .option("--experiments <n>", "how many A/A comparisons to run", "20")
    .option("--alpha <p>", "error rate of one comparison", "0.01")
    .option("--format <format>", "pretty|json", "pretty")
    .option("--no-color", "no ANSI colours")
    .addHelpText(
      "after",
      `
A reference function is compared with itself through the same child-process runner that
measures your code, by interleaved paired runs: each comparison that declares a difference is
a false positive. The observed rate should stay at or below --alpha (its 95% interval is
shown). From the run-to-run noise observed, cdlc estimates the smallest relative change that a
comparison with the same time budget detects with 95% power. Run it on the machine (and under
the load) where your CI measures. Note: 'bench --baseline' compares with a stored report's
samples instead (the baseline code is no longer there to run), which these figures bound only
loosely: stored samples also carry the drift between the two days.

Example:
  cdlc calibrate --time-budget 2s --experiments 40 --format json > calibration.json`,
    )
    .action(async (opts: CalibrateOptions) => {
      if (opts.format !== "pretty" && opts.format !== "json") throw new UsageError(`calibrate prints pretty or json (got '${opts.format}')`);
      const experiments = Number(opts.experiments);
      if (!Number.isInteger(experiments) || experiments < 1) throw new UsageError(`--experiments takes a whole number, at least 1 (got '${opts.experiments}')`);
      const timeBudgetMs = parseDuration(opts.timeBudget, "--time-budget");
      const alpha = parseAlpha(opts.alpha);
      const progress = progressMode(ctx.io, false);
      let falsePositives = 0;
      const result = await calibrateMachine({
        timeBudgetMs,
        experiments,
        alpha,
        onExperiment: (index, falsePositive) => {
          if (falsePositive) falsePositives++;
          const line = `A/A comparison ${index + 1}/${experiments}: ${falsePositive ? "declared different (a false positive)" : "no difference declared"}; false positives so far: ${falsePositives}`;
          if (progress === "tty") ctx.io.stderr(`\r\x1b[K${line}`);
          else if (progress === "ci") ctx.io.stderr(`${line}\n`);
        },
      });
      if (progress === "tty") ctx.io.stderr("\r\x1b[K");
      const environment = currentEnvironment();
      if (opts.format === "json") {
        ctx.io.stdout(JSON.stringify({ version: 1, tool: { name: "cdlc", version: VERSION }, timeBudgetMs, environment, ...result }, null, 2) + "\n");
        return ctx.exit(ExitCode.ok);
      }
      const style = pickStyle(wantsColor(ctx.io, opts.color));
      const withinAlpha = result.falsePositiveInterval[0] <= alpha;
      ctx.io.stdout(
        [
          style.bold(`cdlc calibrate on ${describeEnvironment(environment)}`),
          `  A/A comparisons:           ${result.experiments} of ${(timeBudgetMs / 1000).toFixed(1)} s each (mean ${result.meanPairs.toFixed(1)} pairs of runs, ${(result.meanTimeMs / 1000).toFixed(1)} s)`,
          `  false positives:           ${result.falsePositives} of ${result.experiments} = ${pct(result.falsePositiveRate)}, 95% interval [${pct(result.falsePositiveInterval[0])}, ${pct(result.falsePositiveInterval[1])}] at α = ${alpha} ${withinAlpha ? style.green("(consistent with α)") : style.red("(above α: measurements here are not trustworthy)")}`,
          `  run-to-run noise:          sd of log ratio ${result.logRatioSd.toFixed(3)}`,
          `  smallest change detected:  ${pct(result.minimumDetectableEffect)} with ${pct(result.power)} power in ${(timeBudgetMs / 1000).toFixed(1)} s`,
          "",
        ].join("\n"),
      );
      ctx.exit(ExitCode.ok);
    });
}
