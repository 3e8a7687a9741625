import type { Command } from "commander";
import { existsSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { checkCdlFile, hasErrors, renderPretty, UsageError } from "../../index.js";
import type { RecordPlan } from "../../record/plan.js";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { bindProgram } from "../bound-program.js";
import { wantsColor } from "../io.js";
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

The command starts once the CDL file compiles, and runs while cdlc binds the file to the program
(the recorder waits for the binding only when a file that may hold a watched node loads). If the
binding fails, the command still runs to its end, unrecorded, and cdlc then exits 2.

Exit codes: the command's own (128 + the signal number if a signal ended it); 2 invalid input
(CDL errors, a missing project, a constraint on no node, a command that cannot be started);
3 the recording could not be written.

Examples:
  cdlc record constraints.cdl --project tsconfig.json -- npx vitest run
  cdlc record constraints.cdl --project tsconfig.json -- node dist/load-test.js
  cdlc record constraints.cdl --project tsconfig.json --capture-args -- npx tsx scripts/replay.ts`,
    )
    .action(async (file: string, command: string[], opts: RecordOptions) => {
      const maxCount = wholeNumber(opts.maxArgs, "--max-args");
      const maxBytes = wholeNumber(opts.maxArgBytes, "--max-arg-bytes");
      // What is quick to check stops cdlc before the command starts.
      if (!precheck(ctx, file, opts)) return ctx.exit(ExitCode.invalidInput);
      const [{ planFor }, { runRecorded, exitStatusOf, CommandNotStarted }, { writeRecording }, { describeRecording }] = await Promise.all([
        import("../../record/plan.js"),
        import("../../record/run-recorded.js"),
        import("../../record/recording.js"),
        import("../../record/summary.js"),
      ]);
      // The command starts now and the CDL file is bound while it starts (the recorder waits for the
      // plan only when a file that may hold a watched node loads). cdlc's own messages are held until
      // the command has ended, so that they never land in the middle of its output.
      const held = holdingIo(ctx);
      const plan = deferred<RecordPlan | undefined>();
      const recording = runRecorded({ plan: plan.promise, command, cwd: ctx.io.cwd, env: ctx.io.env, toolVersion: VERSION });
      let bound: Awaited<ReturnType<typeof bindProgram>>;
      let made: RecordPlan | undefined;
      try {
        // Only the nodes and flows are needed: alternatives and workloads are not type-checked (check --project does that).
        bound = await bindProgram(held.ctx, file, { ...opts, typeChecks: false }, true);
        made = bound === undefined ? undefined : planFor(bound.run.graph, bound.run.binding, "", opts.captureArgs === true ? { maxCount, maxBytes } : undefined);
      } catch (e) {
        // The command is never left behind: it runs to its end (unrecorded) before cdlc reports.
        plan.resolve(undefined);
        await recording.catch(() => undefined);
        held.release();
        throw e;
      }
      plan.resolve(made);
      let recorded;
      try {
        recorded = await recording;
      } catch (e) {
        held.release();
        if (e instanceof CommandNotStarted) throw new UsageError(e.message);
        throw e;
      }
      held.release();
      if (bound === undefined || made === undefined || made.nodes.length === 0) {
        const why = bound === undefined ? `${file} could not be bound to the program (see above)` : `${file} constrains no node of the program: there is nothing to record`;
        ctx.io.stderr(`error: cdlc record: ${why}; the command ran unrecorded (its exit status was ${exitStatusOf(recorded)})\n`);
        return ctx.exit(ExitCode.invalidInput);
      }
      const root = bound.run.graph.root;
      const out = opts.out !== undefined ? resolve(ctx.io.cwd, opts.out) : join(root, ".cdl", "recordings", `${new Date().toISOString().replace(/:/g, "-")}.json`);
      try {
        writeRecording(out, recorded.recording);
      } catch (e) {
        ctx.io.stderr(`error: cdlc record: could not write the recording ${out}: ${(e as Error).message}\n`);
        return ctx.exit(ExitCode.internalError);
      }
      if (opts.quiet !== true) ctx.io.stderr(describeRecording(recorded, made, relative(ctx.io.cwd, out) || out));
      ctx.exit(exitStatusOf(recorded) as ExitCode);
    });
}

/** The CDL file compiles and the project's tsconfig exists: checked before the command is started. */
function precheck(ctx: CommandContext, file: string, opts: RecordOptions): boolean {
  const checked = checkCdlFile(file, ctx.host, ctx.io.cwd);
  if (hasErrors(checked.diagnostics)) {
    const errors = checked.diagnostics.filter((d) => d.severity === "error");
    ctx.io.stderr(renderPretty(errors, { color: wantsColor(ctx.io, opts.color), sources: (f) => checked.sources.get(f) }));
    return false;
  }
  let config = resolve(ctx.io.cwd, opts.project);
  if (existsSync(config) && statSync(config).isDirectory()) config = join(config, "tsconfig.json");
  if (!existsSync(config)) throw new UsageError(`--project: ${relative(ctx.io.cwd, config) || config} does not exist`);
  return true;
}

/** A context whose standard error is kept until `release` (and whose exit code is left to the caller). */
function holdingIo(ctx: CommandContext): { ctx: CommandContext; release(): void } {
  const kept: string[] = [];
  let holding = true;
  const io = { ...ctx.io, stderr: (text: string) => (holding ? kept.push(text) : ctx.io.stderr(text)) };
  return {
    ctx: { ...ctx, io, exit: () => undefined },
    release() {
      holding = false;
      for (const text of kept.splice(0)) ctx.io.stderr(text);
    },
  };
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function wholeNumber(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${option} takes a whole number, at least 1 (got '${text}')`);
  return n;
}
