import type { Command } from "commander";
import { checkCdlFile, checkCdlFileWithProject } from "../../index.js";
import type { CommandContext } from "../context.js";
import { withOutputOptions } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { emitDiagnostics, resolveOutputOptions, type RawOutputOptions } from "../output.js";
import { createProgress } from "../progress.js";

/** `cdlc check FILE [--project TSCONFIG]`: syntax and semantics of a CDL file and its imports, and with a project, its binding to the program. */
export function registerCheck(program: Command, ctx: CommandContext): void {
  withOutputOptions(
    program
      .command("check")
      .argument("<file>", "the CDL file to check")
      .description("parse and check a CDL file (and its imports) against the language rules; with --project, against the program")
      .option("-p, --project <tsconfig>", "also resolve every selector, alternative, workload export and flow against this program")
      .option("--no-cache", "with --project: neither read nor write the graph cache in .cdl/cache/")
      .addHelpText(
        "after",
        `
With --project, every selector must name nodes of the program (bare and qualified names exactly
one), every algorithm alternative must have a type assignable to its node's, and every constrained
node needs an export in a workload module. Only --project loads the TypeScript program.

Exit codes: 0 valid (warnings allowed), 2 syntax or semantic errors, a selector that does not
resolve, or a missing file.

Examples:
  cdlc check constraints.cdl
  cdlc check constraints.cdl --project tsconfig.json
  cdlc check constraints.cdl --format sarif --report junit:cdl-junit.xml`,
      ),
  ).action(async (file: string, raw: RawOutputOptions & { project?: string; cache?: boolean }) => {
    const options = resolveOutputOptions(raw, ctx.io);
    let result;
    if (raw.project !== undefined) {
      const progress = createProgress(ctx.io, options.quiet || options.format !== "pretty");
      result = await checkCdlFileWithProject(file, raw.project, ctx.host, ctx.io.cwd, { onProgress: progress.report, cache: raw.cache !== false });
      progress.finish();
    } else {
      result = checkCdlFile(file, ctx.host, ctx.io.cwd);
    }
    const files = result.model?.files.map((f) => f.displayPath) ?? [];
    emitDiagnostics(ctx.io, options, { diagnostics: result.diagnostics, sources: result.sources, files, title: "cdlc check" });
    const failed = result.diagnostics.some((d) => d.severity === "error") || (result.model === undefined && raw.project === undefined);
    ctx.exit(failed ? ExitCode.invalidInput : ExitCode.ok);
  });
}
