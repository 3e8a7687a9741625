import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import type { Command } from "commander";
import { optimize, optimizeFormats, renderOptimizeResult, UsageError, VersionError, type OptimizeProgress } from "../../index.js";
import { bindProgram, constrainedNodes } from "../bound-program.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import { resolveOutputOptions } from "../output.js";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { progressMode } from "../io.js";
import { loadRecordingOption, parseAlpha, parseDuration } from "../measure-output.js";
import { PROJECT_CONFIG, readProjectConfig } from "../project-config.js";

interface OptimizeCliOptions {
  project: string;
  out?: string;
  apply?: boolean;
  budget: string;
  timeBudget?: string;
  all?: boolean;
  node: string[];
  maxRisk: string;
  concurrency?: string;
  test?: string;
  requireImprovement?: boolean;
  inputs: string;
  seed?: string;
  alpha: string;
  timeout: string;
  maxOldSpaceSize: string;
  format: string;
  report: string[];
  diff?: boolean;
  recording?: string;
  proposer: string[];
  proposerTimeout?: string;
  proposerRounds?: string;
  cache?: boolean;
  quiet?: boolean;
  color?: boolean;
}

/** `cdlc optimize FILE --project P`: the self-improvement loop, as a build step. */
export function registerOptimize(program: Command, ctx: CommandContext): void {
  program
    .command("optimize")
    .argument("<file>", "the CDL file: budgets, and which rewrites each node allows")
    .description("rewrite nodes that break their budgets into variants that behave identically and are significantly faster on held-out cases, and stage, write out or apply them as a version")
    .requiredOption("-p, --project <tsconfig>", "the program's tsconfig.json (or its folder)")
    .option("--out <dir>", "write the whole optimized program to this folder (a new or empty one, or one cdlc wrote); the sources are not touched")
    .option("--apply", "apply the new version to the sources at once (atomically; only files still as analysed)")
    .option("--budget <duration>", "time for the whole run: measuring, testing for equivalence, timing", "5min")
    .option("--time-budget <duration>", "measurement time per node for finding violations (default: 5s, less when --budget is short)")
    .option("--all", "try every constrained node, not only those that violate a bound")
    .option("--node <id>", "only this node: an id or a selector such as Cart.total (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--max-risk <r>", "variants whose risk is above this are not tried (0: only rewrites exact by construction)", "0.5")
    .option("--concurrency <n>", "equivalence-oracle children at once (default: the machine's cores, at most 4); timing runs one child at a time whatever this is, so that timings never overlap")
    .option("--test <cmd>", "the project's own test command, run where the optimized program is; if it fails, the changes are undone and the run exits 1")
    .option("--require-improvement", "exit 1 when no variant was accepted")
    .option("--inputs <n>", "inputs generated from the parameter types per node, for the equivalence oracle", "100")
    .option("--seed <n>", "seed of the generated inputs (default fixed, so runs reproduce)")
    .option("--proposer <cmd>", "an outside proposer (a language model adapter, a script): asked about each node, its candidates are judged as the operators' variants are (repeatable; see docs/proposer-protocol.md)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--proposer-timeout <duration>", "how long a proposer may take to answer one request (default 60s)")
    .option("--proposer-rounds <n>", "ask the proposers again, up to this many times in all, about nodes still without an accepted variant, with the verdicts of their earlier candidates (default 1)")
    .option("--recording <path>", "a recording of `cdlc record --capture-args`: its argument lists join each node's cases (train, validation and test), and inputs derived from them join the equivalence check")
    .option("--alpha <p>", "family-wise error rate of the run's decisions", "0.01")
    .option("--timeout <duration>", "wall-clock limit of one child run beyond its budget", "30s")
    .option("--max-old-space-size <mb>", "heap limit of the child processes, in MB", "2048")
    .option("--format <format>", "what to print on standard output: pretty|json|markdown|junit|sarif|html", "pretty")
    .option("--report <format:path>", "also write the result to a file, e.g. markdown:summary.md (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--diff", "pretty: show each accepted variant's diff")
    .option("--no-cache", "neither read nor write the graph cache in .cdl/cache/")
    .option("--quiet", "no progress and no warnings; errors only")
    .option("--no-color", "no ANSI colours")
    .addHelpText(
      "after",
      `
What it does: measures every constrained node; for those that violate a bound (every one with
--all, the named ones with --node), the mutation engine makes variants with the operators the
constraint allows; the equivalence oracle tests each against the original in sandboxed child
processes, with canaries that prove it would notice a wrong one (a node whose canary escaped
accepts nothing); the survivors are timed against the original by interleaved paired runs:
ranked on one part of the node's workload cases (train), accepted only if significantly faster
on another (validation), and the speedup reported is measured afresh on a third (test). A node
with fewer than 3 cases cannot hold any out: its speedup is marked not-held-out.

With --recording (a recording made with \`cdlc record --capture-args\`), the argument lists your
own runs passed become cases too (origin recorded): they join the workload's cases in the train,
validation and test sets, so a node with one workload case but many recorded calls can hold some
out, and the JSON says how many of each origin each set had. Inputs derived from recorded ones
by small changes join the equivalence check only, never a speed figure.

With --proposer CMD (repeatable), an outside program — an adapter for a language model, a script —
is sent each node as JSON on its standard input and answers with candidate rewrites (protocol:
docs/proposer-protocol.md). Its candidates, and the operators applied on top of them, are judged
exactly as the operators' variants are; a proposer that fails, hangs (--proposer-timeout, default
60s) or prints garbage is reported and skipped. With --proposer-rounds N, nodes still without an
accepted variant are asked about again, up to N times in all, each time with the verdicts of the
earlier candidates (the first difference, the measured ratio), within the --budget. A proposer is sent the node's source, its whole
file, its constraint, the measured figures and recorded argument lists: mind where it sends them.
Proposers can also be listed in cdlc.json beside the tsconfig:
  { "optimize": { "proposers": ["node tools/propose.mjs"], "proposerTimeout": "90s", "proposerRounds": 2 } }
--proposer on the command line replaces that list.

By default the accepted variants become a staged version in .cdl/versions/ and your files are
not touched: \`cdlc diff N\` shows it, \`cdlc apply N\` applies it, \`cdlc rollback N\` undoes it.
Every attempt, accepted or not and why, is appended to .cdl/archive.jsonl.

Exit codes: 0 done (whether or not something was accepted), 1 --require-improvement and nothing
accepted, or --test failed, 2 invalid input, 3 an internal error.

Examples:
  cdlc optimize constraints.cdl --project tsconfig.json
  cdlc optimize constraints.cdl --project tsconfig.json --out ../optimized --test "npm test"
  cdlc optimize constraints.cdl --project tsconfig.json --apply --node dedupeSkus --format json
  cdlc optimize constraints.cdl --project . --proposer "node scripts/proposers/replay.mjs candidates.json"`,
    )
    .action(async (file: string, opts: OptimizeCliOptions) => {
      const output = resolveOutputOptions({ format: opts.format, report: opts.report, ...(opts.quiet !== undefined ? { quiet: opts.quiet } : {}), ...(opts.color !== undefined ? { color: opts.color } : {}) }, ctx.io, optimizeFormats);
      if (opts.out !== undefined && opts.apply === true) throw new UsageError("--out and --apply exclude each other: write the program elsewhere, or change the sources");
      const budgetMs = parseDuration(opts.budget, "--budget");
      const timeBudgetMs = opts.timeBudget === undefined ? undefined : parseDuration(opts.timeBudget, "--time-budget");
      const timeoutMs = parseDuration(opts.timeout, "--timeout");
      if (opts.proposerTimeout !== undefined) parseDuration(opts.proposerTimeout, "--proposer-timeout");
      if (opts.proposerRounds !== undefined) roundsOf(opts.proposerRounds, "--proposer-rounds");
      const alpha = parseAlpha(opts.alpha);
      const maxRisk = Number(opts.maxRisk);
      if (!(maxRisk >= 0 && maxRisk <= 1)) throw new UsageError(`--max-risk takes a number from 0 to 1 (got '${opts.maxRisk}')`);
      const concurrency = opts.concurrency === undefined ? Math.max(1, Math.min(4, availableParallelism())) : Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency takes a whole number, at least 1 (got '${opts.concurrency}')`);
      const inputs = Number(opts.inputs);
      if (!Number.isInteger(inputs) || inputs < 0) throw new UsageError(`--inputs takes a whole number (got '${opts.inputs}')`);
      const seed = opts.seed === undefined ? undefined : Number(opts.seed);
      if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed takes a whole number (got '${opts.seed}')`);
      const maxOldSpaceMb = Number(opts.maxOldSpaceSize);
      if (!Number.isInteger(maxOldSpaceMb) || maxOldSpaceMb < 16) throw new UsageError(`--max-old-space-size takes a whole number of MB, at least 16 (got '${opts.maxOldSpaceSize}')`);

      const recorded = opts.recording === undefined ? undefined : await recordedCases(opts.recording, ctx);
      const quiet = opts.quiet === true || opts.format !== "pretty";
      const bound = await bindProgram(ctx, file, opts, quiet);
      if (bound === undefined) return;
      const { run, color } = bound;
      const nodes = await constrainedNodes(run, opts.node, file);
      // Proposers: the command line's, else the project's cdlc.json's.
      const config = readProjectConfig(run.graph.root).optimize ?? {};
      const proposers = opts.proposer.length > 0 ? opts.proposer : (config.proposers ?? []);
      const proposerRounds = opts.proposerRounds !== undefined ? roundsOf(opts.proposerRounds, "--proposer-rounds") : config.proposerRounds ?? 1;
      const proposerTimeoutMs = opts.proposerTimeout !== undefined ? parseDuration(opts.proposerTimeout, "--proposer-timeout") : parseDuration(config.proposerTimeout ?? "60s", `${PROJECT_CONFIG}: "optimize.proposerTimeout"`);

      const onProgress = stageReporter(ctx, quiet);
      let result: Awaited<ReturnType<typeof optimize>>;
      try {
        result = await optimize(run, {
          cwd: ctx.io.cwd,
          mode: opts.out !== undefined ? "out" : opts.apply === true ? "applied" : "staged",
          ...(opts.out !== undefined ? { outDir: resolve(ctx.io.cwd, opts.out) } : {}),
          budgetMs,
          ...(timeBudgetMs !== undefined ? { timeBudgetMs } : {}),
          alpha,
          ...(opts.all === true ? { all: true } : {}),
          ...(nodes !== undefined ? { nodes } : {}),
          maxRisk,
          inputs,
          concurrency,
          ...(seed !== undefined ? { seed } : {}),
          ...(opts.test !== undefined ? { testCommand: opts.test } : {}),
          timeoutMs,
          maxOldSpaceMb,
          onProgress: onProgress.report,
          ...(recorded !== undefined ? { recorded } : {}),
          ...(proposers.length > 0 ? { proposers, proposerTimeoutMs, proposerRounds } : {}),
        });
      } catch (e) {
        // The store refused (a file changed since it was analysed, a half-applied version): the user's to fix.
        if (e instanceof VersionError) throw new UsageError(e.message);
        throw e;
      } finally {
        onProgress.finish();
      }
      const format = output.format as (typeof optimizeFormats)[number];
      ctx.io.stdout(await renderOptimizeResult(result, format, { color, showDiff: opts.diff === true }));
      for (const r of output.reports) writeFileAtomic(r.path, await renderOptimizeResult(result, r.format as (typeof optimizeFormats)[number], { color: false, showDiff: true }));
      const nothing = result.nodes.every((n) => n.accepted === undefined);
      if (result.test !== undefined && !result.test.passed) return ctx.exit(ExitCode.violated);
      ctx.exit(opts.requireImprovement === true && nothing ? ExitCode.violated : ExitCode.ok);
    });
}

/** Progress: one line rewritten in place on a terminal; in CI logs, a line per stage. */
function stageReporter(ctx: CommandContext, quiet: boolean): { report: (e: OptimizeProgress) => void; finish: () => void } {
  const mode = progressMode(ctx.io, quiet);
  let drawn = false;
  return {
    report(e) {
      if (mode === "tty") {
        ctx.io.stderr(`\r\x1b[K${e.message.slice(0, 100)}`);
        drawn = true;
      } else if (mode === "ci") ctx.io.stderr(`cdlc: ${e.message}\n`);
    },
    finish() {
      if (drawn) ctx.io.stderr("\r\x1b[K");
    },
  };
}

/** `--recording`: the argument lists a recording kept, per node; a recording without any is refused as bad input. */
async function recordedCases(path: string, ctx: CommandContext): Promise<Map<string, string[]>> {
  const recording = await loadRecordingOption(path, ctx.io.cwd);
  const cases = new Map(Object.entries(recording.nodes).flatMap(([id, n]) => (n.args !== undefined && n.args.kept.length > 0 ? [[id, n.args.kept] as const] : [])));
  if (cases.size === 0) throw new UsageError(`${path} holds no argument lists: record with \`cdlc record --capture-args\` to use a recording's calls as cases`);
  return cases;
}

function roundsOf(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option} takes a whole number, at least 1 (got '${text}')`);
  return n;
}
