import type { Command } from "commander";
import { existsSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { UsageError } from "../../diagnostics/errors.js";
import type { RecordPlan } from "../../record/plan.js";
import { startsInNode } from "../../record/node-command.js";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { wantsColor } from "../io.js";
import { VERSION } from "../../version.js";

// Only what starts the command is imported before it starts (this file is on the command's clock:
// see run-record.ts); the compiler, the graph and the recording are loaded while it starts.

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
    .option("--no-cache", "neither read nor write .cdl/cache/ (the graph, and instrumentation edits kept from earlier runs)")
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

A command whose program is Node (node, npx, npm, vitest, tsx, any #!…node script) starts at once:
its first process waits, before any of its own code runs, until cdlc has checked that the CDL file
compiles, and ends there if it does not. Any other command starts after that check. It then runs
while cdlc binds the file to the program (the recorder waits for the binding only when a file that
may hold a watched node loads). If the binding fails, the command still runs to its end, unrecorded,
and cdlc then exits 2.

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
      const { runRecorded, exitStatusOf, CommandNotStarted } = await import("../../record/run-recorded.js");
      const gate = deferred<boolean>();
      const plan = deferred<RecordPlan | undefined>();
      const start = (gated: boolean) => runRecorded({ plan: plan.promise, gate: gated ? gate.promise : undefined, command, cwd: ctx.io.cwd, env: ctx.io.env, toolVersion: VERSION });
      // A Node command starts now: its first process waits at the gate, before any of its code runs, while
      // cdlc checks what is quick to check (the CDL file compiles, the tsconfig exists). Any other command
      // starts once that is checked.
      let recording = startsInNode(command[0]!, ctx.io.env, ctx.io.cwd) ? start(true) : undefined;
      recording?.catch(() => undefined);
      const problem = await precheck(ctx, file, opts).catch((e: unknown) => e);
      if (problem !== undefined) {
        gate.resolve(false);
        await recording?.catch(() => undefined);
        if (typeof problem !== "string") throw problem;
        ctx.io.stderr(problem);
        return ctx.exit(ExitCode.invalidInput);
      }
      gate.resolve(true);
      recording ??= start(false);
      const [{ planFor }, { readEditsCache, keepEdits }, { writeRecording }, { describeRecording }, { bindProgram }] = await Promise.all([
        import("../../record/plan.js"),
        import("../../record/edits-cache.js"),
        import("../../record/recording.js"),
        import("../../record/summary.js"),
        import("../bound-program.js"),
      ]);
      // The CDL file is bound while the command runs (the recorder waits for the plan only when a file that
      // may hold a watched node loads). cdlc's own messages are held until the command has ended, so that
      // they never land in the middle of its output.
      const held = holdingIo(ctx);
      let bound: Awaited<ReturnType<typeof bindProgram>>;
      let made: RecordPlan | undefined;
      try {
        // Only the nodes and flows are needed: alternatives and workloads are not type-checked (check --project does that).
        bound = await bindProgram(held.ctx, file, { ...opts, typeChecks: false }, true);
        made = bound === undefined ? undefined : planFor(bound.run.graph, bound.run.binding, "", opts.captureArgs === true ? { maxCount, maxBytes } : undefined);
        // Edits earlier runs made: processes apply them without loading the parser (prepared-edits.ts).
        if (bound !== undefined && made !== undefined && opts.cache !== false) made.prepared = readEditsCache(bound.run.graph.root, made);
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
      if (opts.cache !== false) keepEdits(root, recorded.edits);
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

/** The CDL file compiles and the project's tsconfig exists: undefined if so, else the diagnostics to print (a bad --project throws). */
async function precheck(ctx: CommandContext, file: string, opts: RecordOptions): Promise<string | undefined> {
  const [{ compileCdl }, { hasErrors, renderPretty }] = await Promise.all([import("../../cdl/compile.js"), import("../../diagnostics/index.js")]);
  const checked = compileCdl(resolve(ctx.io.cwd, file), ctx.host);
  if (hasErrors(checked.diagnostics)) {
    const errors = checked.diagnostics.filter((d) => d.severity === "error");
    return renderPretty(errors, { color: wantsColor(ctx.io, opts.color), sources: (f) => checked.sources.get(f) });
  }
  let config = resolve(ctx.io.cwd, opts.project);
  if (existsSync(config) && statSync(config).isDirectory()) config = join(config, "tsconfig.json");
  if (!existsSync(config)) throw new UsageError(`--project: ${relative(ctx.io.cwd, config) || config} does not exist`);
  return undefined;
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
