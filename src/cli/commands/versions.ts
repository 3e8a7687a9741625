import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import {
  applyVersion, listVersions, pickStyle, plural, readVersion, rollbackTo, UsageError, VersionError, versionDiff,
  type ListedVersion, type Style,
} from "../../index.js";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { wantsColor } from "../io.js";

/**
 * `cdlc versions`, `apply`, `rollback` and `diff`: the versions that
 * `cdlc optimize` stages in `.cdl/versions/`, applied to the sources and
 * rolled back, each file written atomically.
 */

interface VersionsOptions {
  project: string;
  format: string;
  color?: boolean;
}

const projectHelp = "the program's tsconfig.json (or its folder): .cdl/ is beside it";

const exitCodes = `Exit codes: 0 done, 2 invalid input (no such version, a file changed since the version was
made, a bad option), 3 an internal error.`;

/** Registers the four commands on the version store. */
export function registerVersions(program: Command, ctx: CommandContext): void {
  registerList(program, ctx);
  registerApply(program, ctx);
  registerRollback(program, ctx);
  registerDiff(program, ctx);
}

function registerList(program: Command, ctx: CommandContext): void {
  program
    .command("versions")
    .description("list the versions of the program cdlc made, newest first, with what each changed and whether it is staged, applied or rolled back")
    .requiredOption("-p, --project <tsconfig>", projectHelp)
    .option("--format <format>", "pretty|json", "pretty")
    .option("--no-color", "no ANSI colours")
    .addHelpText(
      "after",
      `
Version 0 is the program as cdlc first found it. Each later version is one optimize run (or a
rollback): its parent, the files it changed with their sha256 before and after, and the nodes it
rewrote (with the speedup measured). Staged versions are not in your files yet: 'cdlc apply N'
writes them. A staged version marked "partial" was being applied when the run stopped; applying
it again finishes it.

${exitCodes}

Examples:
  cdlc versions --project tsconfig.json
  cdlc versions --project . --format json`,
    )
    .action((opts: VersionsOptions) => {
      const format = formatOf(opts.format);
      const root = projectRoot(opts.project, ctx.io.cwd);
      const versions = storeCall(() => listVersions(root));
      ctx.io.stdout(format === "json" ? `${JSON.stringify({ versions }, null, 2)}\n` : renderVersions(versions, pickStyle(wantsColor(ctx.io, opts.color))));
      ctx.exit(ExitCode.ok);
    });
}

function registerApply(program: Command, ctx: CommandContext): void {
  program
    .command("apply")
    .argument("<version>", "the number of a staged version (see cdlc versions)")
    .description("apply a staged version to the sources, atomically, only if every file is still what was analysed")
    .requiredOption("-p, --project <tsconfig>", projectHelp)
    .option("--format <format>", "pretty|json", "pretty")
    .addHelpText(
      "after",
      `
Every file is checked first: each must hold the text the version was made from (or already the
new text, when an earlier apply was stopped). If any holds something else, nothing is written.
Each file is then replaced whole (written beside it and renamed over it), and the version is
marked applied last; a run stopped half-way leaves each file wholly old or wholly new, and running
apply again finishes it. Applying an applied version does nothing.

${exitCodes}

Examples:
  cdlc apply 3 --project tsconfig.json`,
    )
    .action((version: string, opts: VersionsOptions) => {
      const format = formatOf(opts.format);
      const root = projectRoot(opts.project, ctx.io.cwd);
      const n = versionNumber(version);
      const before = storeCall(() => readVersion(root, n));
      const result = storeCall(() => applyVersion(root, n));
      if (format === "json") ctx.io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      else if (before.status === "applied") ctx.io.stdout(`version ${n} is already applied; nothing to write\n`);
      else {
        const finished = result.alreadyApplied.length > 0 ? ` (${result.alreadyApplied.length} already held the new text: a stopped apply is finished)` : "";
        ctx.io.stdout(`applied version ${n}: ${plural(result.applied.length, "file")} written${finished}\n`);
      }
      ctx.exit(ExitCode.ok);
    });
}

function registerRollback(program: Command, ctx: CommandContext): void {
  program
    .command("rollback")
    .argument("<version>", "the version whose sources to restore (0: the program as first found)")
    .description("restore the program's sources exactly as they were at a version; the rollback is itself a new version")
    .requiredOption("-p, --project <tsconfig>", projectHelp)
    .option("--format <format>", "pretty|json", "pretty")
    .addHelpText(
      "after",
      `
Every file a later version changed gets back its text as of VERSION, byte for byte. Each must
still hold what cdlc last wrote to it; if any does not (you edited it since), nothing is written.
The rollback is recorded as a new version (printed), applied file by file by rename, and the
versions it undid are marked rolled back. Rolling back to a version that was rolled back
restores it again.

${exitCodes}

Examples:
  cdlc rollback 0 --project tsconfig.json     # the program as cdlc first found it
  cdlc rollback 2 --project tsconfig.json`,
    )
    .action((version: string, opts: VersionsOptions) => {
      const format = formatOf(opts.format);
      const root = projectRoot(opts.project, ctx.io.cwd);
      const n = versionNumber(version);
      const made = storeCall(() => rollbackTo(root, n));
      if (format === "json") ctx.io.stdout(`${JSON.stringify({ version: made?.version ?? null, restores: n, files: made?.files.map((f) => f.path) ?? [] }, null, 2)}\n`);
      else if (made === undefined) ctx.io.stdout(`the sources already are as of version ${n}; nothing to write\n`);
      else ctx.io.stdout(`rolled back to version ${n} as version ${made.version}: ${plural(made.files.length, "file")} restored\n`);
      ctx.exit(ExitCode.ok);
    });
}

function registerDiff(program: Command, ctx: CommandContext): void {
  program
    .command("diff")
    .argument("<version>", "a version: its diff against its parent")
    .argument("[other]", "a second version: the diff from the program as of <version> to the program as of this one")
    .description("print the unified diff of a version (against its parent, or between two versions)")
    .requiredOption("-p, --project <tsconfig>", projectHelp)
    .option("--format <format>", "pretty|json", "pretty")
    .option("--no-color", "no ANSI colours")
    .addHelpText(
      "after",
      `
The diff is relative to the project root: 'git apply' and 'patch -p1' accept it. With one
version it is the version's stored patch (.cdl/versions/N/N.patch). With two, it covers every
file either version, or an applied version between them, changed.

${exitCodes}

Examples:
  cdlc diff 3 --project tsconfig.json
  cdlc diff 0 3 --project tsconfig.json > optimized.patch`,
    )
    .action((version: string, other: string | undefined, opts: VersionsOptions) => {
      const format = formatOf(opts.format);
      const root = projectRoot(opts.project, ctx.io.cwd);
      const n = versionNumber(version);
      const m = other === undefined ? undefined : versionNumber(other);
      const diff = storeCall(() => versionDiff(root, n, m));
      const text = diff.patch.toString("utf8");
      if (!isUtf8(diff.patch)) {
        const exact = m === undefined ? `; the exact patch is .cdl/versions/${n}/${n}.patch` : "";
        ctx.io.stderr(`warning: the diff holds bytes that are not UTF-8, printed as replacement characters${exact}\n`);
      }
      if (format === "json") ctx.io.stdout(`${JSON.stringify({ from: diff.from, to: diff.to, files: diff.files, patch: text }, null, 2)}\n`);
      else ctx.io.stdout(colorDiff(text, pickStyle(wantsColor(ctx.io, opts.color))));
      ctx.exit(ExitCode.ok);
    });
}

/** The project root: the folder of the tsconfig (or the folder given). */
function projectRoot(project: string, cwd: string): string {
  const path = resolve(cwd, project);
  if (!existsSync(path)) throw new UsageError(`--project: ${project} does not exist`);
  return statSync(path).isDirectory() ? path : dirname(path);
}

function formatOf(format: string): "pretty" | "json" {
  if (format !== "pretty" && format !== "json") throw new UsageError(`unknown format '${format}': use pretty or json`);
  return format;
}

function versionNumber(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`a version is a whole number, as 'cdlc versions' lists them (got '${text}')`);
  return Number(text);
}

/** Runs a store operation; its refusals are invalid input (exit 2) with the store's message. */
function storeCall<T>(operation: () => T): T {
  try {
    return operation();
  } catch (e) {
    if (e instanceof VersionError) throw new UsageError(e.message);
    throw e;
  }
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function colorDiff(text: string, style: Style): string {
  return text.replace(/^(?:\+(?!\+\+ ).*|-(?!-- ).*)$/gm, (line) => (line.startsWith("+") ? style.green(line) : style.red(line)));
}

/** One line per version (newest first), then its nodes with their speedup where measured. */
function renderVersions(versions: readonly ListedVersion[], style: Style): string {
  if (versions.length === 0) return "no versions yet: cdlc optimize stages one\n";
  const rows = versions.map((v) => [
    String(v.version),
    v.kind,
    v.status,
    v.created.replace(/\.\d+Z$/, "Z"),
    plural(v.files.length, "file"),
    v.parent === null ? "" : `parent ${v.parent}`,
    v.kind === "rollback" ? `restores version ${v.restores}` : v.kind === "original" ? "the program as first found" : plural(v.nodes.length, "node"),
  ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const out: string[] = [];
  versions.forEach((v, k) => {
    const cells = rows[k]!.map((cell, i) => cell.padEnd(widths[i]!));
    cells[2] = v.status === "applied" ? style.green(cells[2]!) : v.status === "staged" ? style.yellow(cells[2]!) : style.dim(cells[2]!);
    out.push(cells.join("  ").trimEnd());
    if (v.partial) out.push(`    ${style.red("partly applied")}: ${v.filesAtAfter} of ${plural(v.files.length, "file")} written when a run stopped; 'cdlc apply ${v.version}' finishes it`);
    for (const node of v.nodes) out.push(`    ${describeNode(node)}`);
  });
  return `${out.join("\n")}\n`;
}

/** A node entry as optimize writes it: its id, and its speedup with interval when it has one. */
function describeNode(entry: unknown): string {
  if (entry === null || typeof entry !== "object") return JSON.stringify(entry);
  const e = entry as { node?: unknown; status?: unknown; speedup?: { estimate?: unknown; interval?: unknown } };
  const id = typeof e.node === "string" ? e.node : "(a node)";
  const estimate = e.speedup?.estimate;
  const interval = e.speedup?.interval;
  const speed =
    typeof estimate === "number"
      ? `  ${round(estimate)}× faster${Array.isArray(interval) && interval.length === 2 && interval.every((x) => typeof x === "number") ? ` [${round(interval[0] as number)}, ${round(interval[1] as number)}]` : ""}`
      : "";
  return `${id}${speed}${typeof e.status === "string" ? `  (${e.status})` : ""}`;
}

function round(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}
