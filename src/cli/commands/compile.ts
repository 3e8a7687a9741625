import { resolve } from "node:path";
import type { Command } from "commander";
import { compileCdlFile, renderPretty } from "../../index.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { wantsColor } from "../io.js";

/** `cdlc compile FILE [-o OUT]`: the typed constraint sets as JSON. */
export function registerCompile(program: Command, ctx: CommandContext): void {
  program
    .command("compile")
    .argument("<file>", "the CDL file to compile")
    .description("compile a CDL file to the JSON IR (base units, defaults applied)")
    .option("-o, --output <path>", "write the JSON to a file instead of standard output")
    .option("--no-color", "no ANSI colours in diagnostics")
    .addHelpText("after", "\nDiagnostics go to standard error; nothing is written when there are errors (exit 2).")
    .action((file: string, opts: { output?: string; color?: boolean }) => {
      const result = compileCdlFile(file, ctx.host, ctx.io.cwd);
      if (result.diagnostics.length > 0) {
        const color = wantsColor(ctx.io, opts.color);
        ctx.io.stderr(renderPretty(result.diagnostics, { color, sources: (f) => result.sources.get(f) }));
      }
      if (result.ir === undefined) return ctx.exit(ExitCode.invalidInput);
      const json = JSON.stringify(result.ir, null, 2) + "\n";
      if (opts.output !== undefined) writeFileAtomic(resolve(ctx.io.cwd, opts.output), json);
      else ctx.io.stdout(json);
      ctx.exit(ExitCode.ok);
    });
}
