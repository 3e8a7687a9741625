import type { Command } from "commander";
import { checkVariants, listVariants, pickStyle, plural, UsageError, type OracleReport, type TargetVariants } from "../../index.js";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { bindProgram, constrainedNodes } from "../bound-program.js";
import { createProgress } from "../progress.js";

interface VariantsOptions {
  project: string;
  node: string[];
  depth: string;
  format: string;
  check?: boolean;
  seed?: string;
  inputs: string;
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
    .option("--check", "run the equivalence oracle: a verdict per variant, and how many canaries it caught")
    .option("--inputs <n>", "with --check: inputs generated from the parameter types, per node", "100")
    .option("--seed <n>", "with --check: seed of the generated inputs (default fixed, so runs reproduce)")
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
what testing must confirm) and a unified diff that git apply and patch -p1 accept. Nothing here
changes your files.

With --check, the equivalence oracle tests every variant against the original, in child processes
under Node's permission model (no file writes, no child processes or workers): both run the
workload's cases and inputs generated from the parameter types, and everything observable is
compared (results, thrown errors, arguments and receiver after each call, state seen by later
calls). A variant is equivalent, or rejected with the first input that tells it apart (shrunk
when it was generated). Canaries, variants known to be wrong, test the oracle itself: a node whose
canaries were not all caught is marked untrusted, and its "equivalent" verdicts do not count.

Exit codes: 0 listed, 2 invalid input (CDL errors, a selector or --node that does not resolve,
a bad option), 3 an internal error.

Examples:
  cdlc variants constraints.cdl --project tsconfig.json
  cdlc variants constraints.cdl --project tsconfig.json --node dedupeSkus --check
  cdlc variants constraints.cdl --project tsconfig.json --node Cart.total --format json`,
    )
    .action(async (file: string, opts: VariantsOptions) => {
      if (opts.format !== "pretty" && opts.format !== "json") throw new UsageError(`variants prints pretty or json (got '${opts.format}')`);
      const depth = Number(opts.depth);
      if (!Number.isInteger(depth) || depth < 1) throw new UsageError(`--depth takes a whole number, at least 1 (got '${opts.depth}')`);
      const inputs = Number(opts.inputs);
      if (!Number.isInteger(inputs) || inputs < 0) throw new UsageError(`--inputs takes a whole number (got '${opts.inputs}')`);
      const seed = opts.seed === undefined ? undefined : Number(opts.seed);
      if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed takes a whole number (got '${opts.seed}')`);
      const bound = await bindProgram(ctx, file, opts, opts.quiet === true || opts.format !== "pretty");
      if (bound === undefined) return;
      const { run, color } = bound;
      const nodes = await constrainedNodes(run, opts.node, file);
      const listed = await listVariants(run, { depth, ...(nodes !== undefined ? { nodes } : {}) });
      if (nodes !== undefined) {
        const missing = nodes.filter((n) => !listed.some((l) => l.node === n));
        if (missing.length > 0) throw new UsageError(`--node: ${missing.join(", ")} ${missing.length === 1 ? "has" : "have"} no constraint in ${file}`);
      }
      let checks: OracleReport[] | undefined;
      if (opts.check === true) {
        const oracleProgress = createProgress(ctx.io, opts.quiet === true || opts.format !== "pretty");
        checks = await checkVariants(run, listed, {
          cwd: ctx.io.cwd,
          generated: inputs,
          ...(seed !== undefined ? { seed } : {}),
          onNode: (_node, i, total) => oracleProgress.report("oracle", i, total),
        });
        oracleProgress.report("oracle", listed.length, listed.length);
        oracleProgress.finish();
      }
      const checkOf = (node: string) => checks?.find((c) => c.node === node);
      ctx.io.stdout(opts.format === "json" ? `${JSON.stringify({ nodes: listed.map((t) => toJson(t, checkOf(t.node))) }, null, 2)}\n` : renderVariants(listed, color, checks));
      ctx.exit(ExitCode.ok);
    });
}

/** The contract's shape: per node its variants (with lineage, risk and diff) and the operators that did not apply; with --check, verdicts and canaries. */
function toJson(t: TargetVariants & { unavailable?: string }, check: OracleReport | undefined) {
  const verdictOf = (id: number) => {
    const v = check?.verdicts.find((x) => x.variant === id);
    if (v === undefined) return {};
    const { caseIndex: _i, ...difference } = v.difference ?? { caseIndex: 0 };
    return { verdict: v.kind, reason: v.reason, inputs: v.cases, ...(v.difference !== undefined ? { firstDifference: difference } : {}) };
  };
  return {
    node: t.node,
    variants: t.variants.map((v) => ({ id: v.id, parent: v.parent, operators: v.operators, risk: v.risk, summary: v.summary, diff: v.diff, ...verdictOf(v.id) })),
    notApplied: t.notApplied,
    ...(t.unavailable !== undefined ? { unavailable: t.unavailable } : {}),
    ...(check !== undefined
      ? {
          inputs: check.cases,
          canaries: { injected: check.strength.injected, caught: check.strength.caught, escaped: check.canaries.filter((c) => !c.caught && c.verdict.kind !== "untestable").map((c) => c.summary), missing: check.strength.missing },
          trusted: check.trusted,
          ...(check.distrust !== undefined ? { distrust: check.distrust } : {}),
          ...(check.untestable !== undefined ? { untestable: check.untestable } : {}),
          ...(check.generatedNote !== undefined ? { generatedNote: check.generatedNote } : {}),
          seed: check.seed,
        }
      : {}),
  };
}

function renderVariants(targets: (TargetVariants & { unavailable?: string })[], color: boolean, checks: OracleReport[] | undefined): string {
  const style = pickStyle(color);
  const out: string[] = [];
  for (const t of targets) {
    out.push(style.bold(t.node));
    const check = checks?.find((c) => c.node === t.node);
    if (t.unavailable !== undefined) out.push(`  ${style.yellow("cannot rewrite:")} ${t.unavailable}`);
    if (check !== undefined) out.push(...renderCheck(check, style));
    for (const v of t.variants) {
      out.push(`  ${style.bold(`variant ${v.id}`)}  ${v.operators.join(" → ")}  risk ${v.risk}${v.parent !== null ? `  (from variant ${v.parent})` : ""}`);
      const verdict = check?.verdicts.find((x) => x.variant === v.id);
      if (verdict !== undefined) out.push(`    ${verdict.kind === "equivalent" ? style.green(check!.trusted ? "equivalent" : "equivalent (untrusted)") : style.red(verdict.kind)}: ${verdict.reason}`);
      for (const s of v.summary) out.push(`    ${s}`);
      for (const line of v.diff.trimEnd().split("\n")) out.push(`    ${line.startsWith("+") && !line.startsWith("+++") ? style.green(line) : line.startsWith("-") && !line.startsWith("---") ? style.red(line) : line}`);
    }
    if (t.variants.length === 0 && t.unavailable === undefined) out.push("  no variant");
    for (const n of t.notApplied) out.push(`  ${style.dim(`${n.operator}:`)} ${n.reason}`);
    out.push("");
  }
  const count = targets.reduce((s, t) => s + t.variants.length, 0);
  if (checks === undefined) out.push(`${plural(count, "variant")} of ${plural(targets.length, "node")}; not checked for equivalence (--check runs the oracle)`);
  else {
    const equivalent = checks.reduce((s, c) => s + (c.trusted ? c.verdicts.filter((v) => v.kind === "equivalent").length : 0), 0);
    const untrusted = checks.filter((c) => !c.trusted).length;
    out.push(`${plural(count, "variant")} of ${plural(targets.length, "node")}: ${equivalent} equivalent${untrusted > 0 ? `; ${plural(untrusted, "node")} untrusted (see above)` : ""}`);
  }
  return `${out.join("\n")}\n`;
}

/** The oracle's lines for a node: its cases, its canaries, and whether its verdicts can be believed. */
function renderCheck(check: OracleReport, style: ReturnType<typeof pickStyle>): string[] {
  const out: string[] = [];
  const total = Object.values(check.cases).reduce((s, n) => s + (n ?? 0), 0);
  const cases = Object.entries(check.cases).map(([origin, n]) => `${n} ${origin}`).join(", ") || "no";
  out.push(`  oracle: ${cases} ${total === 1 ? "case" : "cases"} (seed ${check.seed}); canaries caught ${check.strength.caught} of ${check.strength.injected}`);
  if (check.generatedNote !== undefined) out.push(`  ${style.dim(`no generated inputs: ${check.generatedNote}`)}`);
  if (check.untestable !== undefined) out.push(`  ${style.red("cannot judge:")} ${check.untestable}`);
  else if (!check.trusted) out.push(`  ${style.red("UNTRUSTED:")} ${check.distrust}; no variant of this node may be accepted`);
  return out;
}
