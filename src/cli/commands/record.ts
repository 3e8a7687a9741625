import type { Command } from "commander";
import { join, relative, resolve } from "node:path";
import { UsageError } from "../../index.js";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { bindProgram } from "../bound-program.js";
import { VERSION } from "../../version.js";

interface RecordOptions {
  project: string;
  out?: string;
  captureArgs?: boolean;
  maxArgs: string;
  maxArgBytes: string;
  cache?: boolean;
  quiet?: boolean;
  color?: boolean;
}

/** `cdlc record FILE --project P [--out PATH] [--capture-args] -- CMD…`: run the user's command and record what the constrained nodes did. */
export function registerRecord(program: Command, ctx: CommandContext): void {
  program
    .command("record")
    .argument("<file>", "the CDL file: its constrained nodes and flow edges are recorded")
    .argument("<command...>", "the command to run, after --: your tests, a load script, a server")
    .description("run your own command with cdlc's recorder preloaded, and record calls, errors and per-call times of the constrained nodes and flows")
    .requiredOption("-p, --project <tsconfig>", "the program's tsconfig.json (or its folder)")
    .option("--out <path>", "where to write the recording (default .cdl/recordings/<time>.json beside the tsconfig)")
    .option("--capture-args", "also keep a sample of real argument lists per node (users' data: see below)")
    .option("--max-args <n>", "with --capture-args: argument lists kept per node and process", "100")
    .option("--max-arg-bytes <n>", "with --capture-args: the largest argument list kept, bytes (serialized)", "65536")
    .option("--no-cache", "neither read nor write the graph cache in .cdl/cache/")
    .option("--quiet", "print nothing of cdlc's own unless recording fails")
    .option("--no-color", "no ANSI colours")
    .addHelpText(
      "after",
      `
The command runs as it would without cdlc: same arguments, working folder, standard streams and
exit code. Node's --require (through NODE_OPTIONS) loads the recorder into every Node process and
worker thread it starts. Watched code is found as it loads: TypeScript run through a loader that
uses Node's module hooks (tsx), and compiled JavaScript whose source map names the TypeScript file
(compile with "sourceMap": true). Under vitest, add the plugin to vitest.config.ts (see the
README): vitest loads test code through its own pipeline. Each process writes its records every
second, at exit, and on SIGINT, SIGTERM or SIGHUP; cdlc merges them when the command ends, so a
crash keeps what was recorded until then.

Recorded: per node, calls, errors (throws and rejections) and per-call times in a log-bucketed
histogram (values within 0.79%); per flow edge, calls, argument volume and callee latency. A fast
node is timed on a random share of its calls (the share is in the recording) so that timing adds
about 2% to its time; every call and error is counted. With --capture-args, also a uniform sample
of argument lists (and receivers), structured-clone copies, capped per node; without it no
argument value is written. The file is created readable by its owner only.

Exit codes: the command's own (128 + the signal number if a signal ended it); 2 invalid input
(CDL errors, a command that cannot be started); 3 the recording could not be written.

Examples:
  cdlc record constraints.cdl --project tsconfig.json -- npx vitest run
  cdlc record constraints.cdl --project tsconfig.json -- node dist/load-test.js
  cdlc record constraints.cdl --project tsconfig.json --capture-args -- npx tsx scripts/replay.ts`,
    )
    .action(async (file: string, command: string[], opts: RecordOptions) => {
      const maxCount = wholeNumber(opts.maxArgs, "--max-args");
      const maxBytes = wholeNumber(opts.maxArgBytes, "--max-arg-bytes");
      // Only the nodes and flows are needed: alternatives and workloads are not type-checked (check --project does that).
      const bound = await bindProgram(ctx, file, { ...opts, typeChecks: false }, true);
      if (bound === undefined) return;
      const { run } = bound;
      const [{ planFor }, { runRecorded, exitStatusOf, CommandNotStarted }, { writeRecording }, { describeRecording }] = await Promise.all([
        import("../../record/plan.js"),
        import("../../record/run-recorded.js"),
        import("../../record/recording.js"),
        import("../../record/summary.js"),
      ]);
      const plan = planFor(run.graph, run.binding, "", opts.captureArgs === true ? { maxCount, maxBytes } : undefined);
      if (plan.nodes.length === 0) throw new UsageError(`${file} constrains no node of the program: there is nothing to record`);
      const root = run.graph.root;
      const out = opts.out !== undefined ? resolve(ctx.io.cwd, opts.out) : join(root, ".cdl", "recordings", `${new Date().toISOString().replace(/:/g, "-")}.json`);
      let recorded;
      try {
        recorded = await runRecorded({ plan, command, cwd: ctx.io.cwd, env: ctx.io.env, toolVersion: VERSION });
      } catch (e) {
        if (e instanceof CommandNotStarted) throw new UsageError(e.message);
        throw e;
      }
      try {
        writeRecording(out, recorded.recording);
      } catch (e) {
        ctx.io.stderr(`error: cdlc record: could not write the recording ${out}: ${(e as Error).message}\n`);
        return ctx.exit(ExitCode.internalError);
      }
      if (opts.quiet !== true) ctx.io.stderr(describeRecording(recorded, plan, relative(ctx.io.cwd, out) || out));
      ctx.exit(exitStatusOf(recorded) as ExitCode);
    });
}

function wholeNumber(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option} takes a whole number, at least 1 (got '${text}')`);
  return n;
}
