import type { CommandContext } from "./context.js";
import { ExitCode } from "./exit-codes.js";
import { wantsColor } from "./io.js";
import { resolveNodeOption } from "./node-option.js";
import { createProgress } from "./progress.js";
import { checkCdlFileWithProject, renderPretty, UsageError, type GraphRun } from "../index.js";
import type { Binding } from "../graph/bind.js";
import type { LivingGraph } from "../graph/living-graph.js";

/** A run whose CDL file is bound to its program. */
export type BoundRun = GraphRun & { graph: LivingGraph; binding: Binding };
import { hasErrors } from "../diagnostics/index.js";

/**
 * The start of a command that works on a CDL file bound to its program
 * (`variants`, `optimize`): check and bind with progress, print the
 * diagnostics (errors only with --quiet), and exit 2 on invalid input.
 */
export async function bindProgram(
  ctx: CommandContext,
  file: string,
  opts: { project: string; cache?: boolean; quiet?: boolean; color?: boolean; typeChecks?: boolean },
  quietProgress: boolean,
): Promise<{ run: BoundRun; color: boolean } | undefined> {
  const progress = createProgress(ctx.io, quietProgress);
  const checked = await checkCdlFileWithProject(file, opts.project, ctx.host, ctx.io.cwd, { onProgress: progress.report, cache: opts.cache !== false, ...(opts.typeChecks === false ? { typeChecks: false } : {}) });
  progress.finish();
  const color = wantsColor(ctx.io, opts.color);
  const shown = opts.quiet === true ? checked.diagnostics.filter((d) => d.severity === "error") : checked.diagnostics;
  if (shown.length > 0) ctx.io.stderr(renderPretty(shown, { color, sources: (f) => checked.sources.get(f) }));
  const run = checked.run;
  if (run.graph === undefined || run.binding === undefined || hasErrors(checked.diagnostics)) {
    ctx.exit(ExitCode.invalidInput);
    return undefined;
  }
  return { run: run as BoundRun, color };
}

/** The node ids `--node` names (ids or selectors), each required to have a constraint in `file`; undefined when none is named. */
export async function constrainedNodes(run: BoundRun, names: readonly string[], file: string): Promise<string[] | undefined> {
  if (names.length === 0) return undefined;
  const constrained = new Set(run.binding.byNode.keys());
  const nodes = (await Promise.all(names.map((n) => resolveNodeOption(run.graph, n, "--node", false, constrained)))).flat();
  const unconstrained = nodes.filter((n) => !constrained.has(n));
  if (unconstrained.length > 0) throw new UsageError(`--node: ${unconstrained.join(", ")} ${unconstrained.length === 1 ? "has" : "have"} no constraint in ${file}`);
  return nodes;
}
