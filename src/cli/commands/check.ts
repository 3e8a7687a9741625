import type { Command } from "commander";
import { checkCdlFile } from "../../index.js";
import type { CommandContext } from "../context.js";
import { withOutputOptions } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { emitDiagnostics, resolveOutputOptions, type RawOutputOptions } from "../output.js";

/** `cdlc check FILE`: syntax and semantics of a CDL file and its imports. */
export function registerCheck(program: Command, ctx: CommandContext): void {
  withOutputOptions(
    program
      .command("check")
      .argument("<file>", "the CDL file to check")
      .description("parse and check a CDL file (and its imports) against the language rules")
      .addHelpText(
        "after",
        `
Exit codes: 0 valid (warnings allowed), 2 syntax or semantic errors or a missing file.

Examples:
  cdlc check constraints.cdl
  cdlc check constraints.cdl --format sarif --report junit:cdl-junit.xml`,
      ),
  ).action((file: string, raw: RawOutputOptions) => {
    const options = resolveOutputOptions(raw, ctx.io);
    const result = checkCdlFile(file, ctx.host, ctx.io.cwd);
    const files = result.model?.files.map((f) => f.displayPath) ?? [];
    emitDiagnostics(ctx.io, options, { diagnostics: result.diagnostics, sources: result.sources, files, title: "cdlc check" });
    ctx.exit(result.model === undefined || result.diagnostics.some((d) => d.severity === "error") ? ExitCode.invalidInput : ExitCode.ok);
  });
}
