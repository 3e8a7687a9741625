import type { Command } from "commander";
import { checkCdlFileWithProject, listVariants, pickStyle, plural, renderPretty, UsageError, type TargetVariants } from "../../index.js";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { wantsColor } from "../io.js";
import { resolveNodeOption } from "../node-option.js";
import { createProgress } from "../progress.js";
import { hasErrors } from "../../diagnostics/index.js";

interface VariantsOptions {
  project: string;
  node: string[];
  depth: string;
  format: string;
  cache?: boolean;
  quiet?: boolean;
  color?: boolean;
}

/** `cdlc variants FILE --project TSCONFIG [--node ID]`: what the mutation engine would try on each constrained node, and why not the rest. */
export function registerVariants(program: Command, ctx: CommandContext): void {
  program
    .command("variants")
    .argument("<file>", "the CDL file whose constraints say which nodes may be rewritten, and how")
    .description("show every variant the mutation engine would try on each constrained node, and why each other allowed operator did not apply")
    .requiredOption("-p, --project <tsconfig>", "the program's tsconfig.json (or its folder)")
    .option("--node <id>", "only this node: an id or a selector such as Cart.total (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--depth <n>", "operators applied in a chain at most (a second operator on a variant of the first)", "2")
    .option("--format <format>", "pretty|json", "pretty")
    .option("--no-cache", "neither read nor write the graph cache in .cdl/cache/")
    .option("--quiet", "no progress and no warnings; errors only")
    .option("--no-color", "no ANSI colours")
    .addHelpText(
      "after",
      `
The operators a node may use come from its constraint's \`mutations:\` (default: every operator
that is not only applied when listed by name; memoize is one of those). Each variant shows its
operator chain, its risk (0 when the preconditions make the rewrite exact, more when it relies on
what testing must confirm) and a unified diff that git apply and patch -p1 accept. Variants are
proposals: the equivalence oracle that checks them by testing is not part of this release, and
nothing here changes your files.

Exit codes: 0 listed, 2 invalid input (CDL errors, a selector or --node that does not resolve,
a bad option), 3 an internal error.

Examples:
  cdlc variants constraints.cdl --project tsconfig.json
  cdlc variants constraints.cdl --project tsconfig.json --node Cart.total --format json`,
    )
    .action(async (file: string, opts: VariantsOptions) => {
      if (opts.format !== "pretty" && opts.format !== "json") throw new UsageError(`variants prints pretty or json (got '${opts.format}')`);
      const depth = Number(opts.depth);
      if (!Number.isInteger(depth) || depth < 1) throw new UsageError(`--depth takes a whole number, at least 1 (got '${opts.depth}')`);
      const progress = createProgress(ctx.io, opts.quiet === true || opts.format !== "pretty");
      const checked = await checkCdlFileWithProject(file, opts.project, ctx.host, ctx.io.cwd, { onProgress: progress.report, cache: opts.cache !== false });
      progress.finish();
      const color = wantsColor(ctx.io, opts.color);
      const shown = opts.quiet === true ? checked.diagnostics.filter((d) => d.severity === "error") : checked.diagnostics;
      if (shown.length > 0) ctx.io.stderr(renderPretty(shown, { color, sources: (f) => checked.sources.get(f) }));
      const run = checked.run;
      if (run.graph === undefined || run.binding === undefined || hasErrors(checked.diagnostics)) return ctx.exit(ExitCode.invalidInput);
      const graph = run.graph;
      const nodes = opts.node.length === 0 ? undefined : (await Promise.all(opts.node.map((n) => resolveNodeOption(graph, n, "--node", false)))).flat();
      const listed = await listVariants(run, { depth, ...(nodes !== undefined ? { nodes } : {}) });
      if (nodes !== undefined) {
        const missing = nodes.filter((n) => !listed.some((l) => l.node === n));
        if (missing.length > 0) throw new UsageError(`--node: ${missing.join(", ")} ${missing.length === 1 ? "has" : "have"} no constraint in ${file}`);
      }
      ctx.io.stdout(opts.format === "json" ? `${JSON.stringify({ nodes: listed.map(toJson) }, null, 2)}\n` : renderVariants(listed, color));
      ctx.exit(ExitCode.ok);
    });
}

/** The contract's shape: per node its variants (with lineage, risk and diff) and the operators that did not apply. */
function toJson(t: TargetVariants & { unavailable?: string }) {
  return {
    node: t.node,
    variants: t.variants.map((v) => ({ id: v.id, parent: v.parent, operators: v.operators, risk: v.risk, summary: v.summary, diff: v.diff })),
    notApplied: t.notApplied,
    ...(t.unavailable !== undefined ? { unavailable: t.unavailable } : {}),
  };
}

function renderVariants(targets: (TargetVariants & { unavailable?: string })[], color: boolean): string {
  const style = pickStyle(color);
  const out: string[] = [];
  for (const t of targets) {
    out.push(style.bold(t.node));
    if (t.unavailable !== undefined) out.push(`  ${style.yellow("cannot rewrite:")} ${t.unavailable}`);
    for (const v of t.variants) {
      out.push(`  ${style.bold(`variant ${v.id}`)}  ${v.operators.join(" → ")}  risk ${v.risk}${v.parent !== null ? `  (from variant ${v.parent})` : ""}`);
      for (const s of v.summary) out.push(`    ${s}`);
      for (const line of v.diff.trimEnd().split("\n")) out.push(`    ${line.startsWith("+") && !line.startsWith("+++") ? style.green(line) : line.startsWith("-") && !line.startsWith("---") ? style.red(line) : line}`);
    }
    if (t.variants.length === 0 && t.unavailable === undefined) out.push("  no variant");
    for (const n of t.notApplied) out.push(`  ${style.dim(`${n.operator}:`)} ${n.reason}`);
    out.push("");
  }
  const count = targets.reduce((s, t) => s + t.variants.length, 0);
  out.push(`${plural(count, "variant")} of ${plural(targets.length, "node")}; not yet checked for equivalence`);
  return `${out.join("\n")}\n`;
}
