import { resolve } from "node:path";
import type { Command } from "commander";
import { buildLivingGraph, decideOnRecording, graphFormats, graphMetricsOf, graphMetricsOfRecording, measureProject, renderLivingGraph, renderPretty, UsageError, type GraphFormat, type GraphMetrics } from "../../index.js";
import { improvementsIn } from "../improved-in.js";
import { resolveNodeOption } from "../node-option.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { wantsColor } from "../io.js";
import { createMeasureProgress, loadRecordingOption, parseAlpha, parseDuration, withMeasureOptions, type MeasureCliOptions } from "../measure-output.js";
import { createProgress } from "../progress.js";
import { hasErrors } from "../../diagnostics/index.js";

interface GraphOptions extends MeasureCliOptions {
  measure?: boolean;
  improvedIn?: string;
  recording?: string;
  project?: string;
  format: string;
  output?: string;
  focus?: string;
  depth: string;
  cache?: boolean;
  quiet?: boolean;
  color?: boolean;
}

/** `cdlc graph --project TSCONFIG [FILE]`: the Living Graph as JSON, DOT, Mermaid or HTML. */
export function registerGraph(program: Command, ctx: CommandContext): void {
  withMeasureOptions(program
    .command("graph")
    .argument("[file]", "a CDL file whose constraints are attached to the nodes they select")
    .description("build the Living Graph of a program: its functions and methods, and the calls between them")
    .requiredOption("-p, --project <tsconfig>", "the program's tsconfig.json (or its folder)")
    .option("--format <format>", `what to write: ${graphFormats.join("|")}`, "json")
    .option("-o, --output <path>", "write to a file (atomically) instead of standard output")
    .option("--focus <node>", "keep only the neighbourhood of this node (an id or a selector such as Cart.total)")
    .option("--depth <n>", "with --focus: how many calls away to keep", "2")
    .option("--no-cache", "neither read nor write the graph cache in .cdl/cache/")
    .option("--quiet", "no progress and no warnings; errors only")
    .option("--no-color", "no ANSI colours in diagnostics")
    .option("--measure", "with FILE: measure the constrained nodes and flows and attach their metrics to nodes and edges")
    .option("--recording <path>", "attach the metrics of a recording of `cdlc record` to nodes and edges (with FILE, the verdicts decided on it too)")
    .option("--improved-in <version>", "mark the nodes a version made faster (a number, or 'latest': the newest version cdlc optimize made), with before → after"), " (with --measure)")
    .addHelpText(
      "after",
      `
Node ids are <file relative to the tsconfig's folder>#<qualified name>, e.g. src/cart.ts#Cart.total.
Edges are calls ("call"), calls through an interface or abstract method to a known
implementation ("dispatch") and constructions ("construct"). The graph is cached in
.cdl/cache/ under the project root, keyed by file content hashes. Separately, the
TypeScript compiler is loaded through a V8 code cache kept for the tool (in
$CDLC_CODE_CACHE_DIR, $XDG_CACHE_HOME/cdlc or ~/.cache/cdlc; CDLC_CODE_CACHE=off
turns it off).

Exit codes: 0 written, 2 invalid input (missing tsconfig, CDL errors, a selector that
does not resolve, a recording that cannot be read, a bad option).

Examples:
  cdlc graph --project tsconfig.json > graph.json
  cdlc graph constraints.cdl --project tsconfig.json --format html -o graph.html
  cdlc graph --project tsconfig.json --format dot --focus Checkout.run --depth 1 | dot -Tsvg > checkout.svg
  cdlc graph --project tsconfig.json --format mermaid --focus "src/cart.ts#Cart.total"
  cdlc graph constraints.cdl --project tsconfig.json --measure --format html -o graph.html
  cdlc graph constraints.cdl --project tsconfig.json --recording cdl-recording.json --format html -o graph.html

With --measure, nodes carry their time distribution, memory per call, error rate and the
verdicts of their bounds, and flow edges their calls per case, argument volume and latency.

With --recording PATH instead, nodes carry the recorded time distribution, calls and error
rate (with FILE, also the verdicts of their bounds decided on the recording, as
\`cdlc check --recording\` decides them; --alpha applies), and edges their recorded calls,
argument volume and latency; every figure is labelled "origin": "recorded" (the HTML view says
"recorded"). --measure and --recording are alternatives: give one.

With --improved-in VERSION, the nodes that version of the program made faster (see
\`cdlc versions\`) carry what it did: in JSON "improvedIn" (the optimize entry's figures before and
after, the speedup with its interval, the operators); in the HTML view a "⇣×N" after the name and
the figures in the node's details. It can go with --measure or --recording.`,
    )
    .action(async (file: string | undefined, opts: GraphOptions) => {
      const format = opts.format as GraphFormat;
      if (!(graphFormats as readonly string[]).includes(format)) throw new UsageError(`unknown graph format '${opts.format}': use one of ${graphFormats.join(", ")}`);
      const depth = Number(opts.depth);
      if (!Number.isInteger(depth) || depth < 0) throw new UsageError(`--depth takes a whole number of calls, such as 2 (got '${opts.depth}')`);
      if (opts.measure && file === undefined) throw new UsageError("--measure needs a CDL file: cdlc graph constraints.cdl --project tsconfig.json --measure");
      if (opts.measure && opts.recording !== undefined) throw new UsageError("--measure and --recording are alternatives: measure now, or attach a recording");
      // Before the program loads: a bad recording or --alpha fails fast.
      const recording = opts.recording === undefined ? undefined : await loadRecordingOption(opts.recording, ctx.io.cwd);
      const alpha = recording !== undefined && file !== undefined ? parseAlpha(opts.alpha) : undefined;
      const progress = createProgress(ctx.io, opts.quiet === true);
      const run = await buildLivingGraph(opts.project!, file, { cwd: ctx.io.cwd, host: ctx.host, onProgress: progress.report, cache: opts.cache !== false });
      progress.finish();
      const shown = opts.quiet === true ? run.diagnostics.filter((d) => d.severity === "error") : run.diagnostics;
      if (shown.length > 0) {
        const color = wantsColor(ctx.io, opts.color);
        ctx.io.stderr(renderPretty(shown, { color, sources: (f) => run.sources.get(f) }));
      }
      if (run.graph === undefined || hasErrors(run.diagnostics)) return ctx.exit(ExitCode.invalidInput);

      const focus = opts.focus === undefined ? undefined : (await resolveNodeOption(run.graph, opts.focus, "--focus", true))[0];
      // Before measuring: a version that does not exist fails fast.
      const improvements = opts.improvedIn === undefined ? undefined : improvementsIn(run.graph.root, opts.improvedIn);
      let metrics: GraphMetrics | undefined;
      if (opts.measure) {
        const measuring = await createMeasureProgress(ctx.io, opts.quiet === true, false);
        try {
          const report = await measureProject(run, {
            cwd: ctx.io.cwd,
            command: "check",
            timeBudgetMs: parseDuration(opts.timeBudget, "--time-budget"),
            timeoutMs: parseDuration(opts.timeout, "--timeout"),
            alpha: parseAlpha(opts.alpha),
            maxOldSpaceMb: Number(opts.maxOldSpaceSize),
            onProgress: measuring.onProgress,
          });
          metrics = await graphMetricsOf(run.graph, report);
        } finally {
          measuring.finish();
        }
      }
      if (recording !== undefined) {
        const decided = alpha !== undefined && run.binding !== undefined ? await decideOnRecording(run, recording, { cwd: ctx.io.cwd, file: opts.recording!, alpha }) : undefined;
        metrics = await graphMetricsOfRecording(run.graph, recording, decided?.results);
      }
      const text = await renderLivingGraph(run, { format, ...(focus !== undefined ? { focus, depth } : {}), ...(metrics !== undefined ? { metrics } : {}), ...(improvements !== undefined ? { improvements } : {}) });
      if (opts.output !== undefined) writeFileAtomic(resolve(ctx.io.cwd, opts.output), text);
      else ctx.io.stdout(text);
      ctx.exit(ExitCode.ok);
    });
}
