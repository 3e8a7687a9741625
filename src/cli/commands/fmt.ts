import { resolve } from "node:path";
import type { Command } from "commander";
import { catalog, createDiagnostic, formatCdlFile, renderPretty, SourceText } from "../../index.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { wantsColor } from "../io.js";

/** `cdlc fmt FILE [--check | --write]`: canonical formatting, comments kept. */
export function registerFmt(program: Command, ctx: CommandContext): void {
  program
    .command("fmt")
    .argument("<file>", "the CDL file to format")
    .description("print the canonical formatting of a CDL file (comments are kept)")
    .option("--check", "print nothing; exit 1 if the file is not formatted")
    .option("--write", "rewrite the file in place (atomically) instead of printing")
    .option("--no-color", "no ANSI colours in diagnostics")
    .addHelpText("after", "\nExit codes: 0 formatted (or printed), 1 not formatted (--check), 2 syntax errors or a missing file.")
    .action((file: string, opts: { check?: boolean; write?: boolean; color?: boolean }) => {
      const color = wantsColor(ctx.io, opts.color);
      const result = formatCdlFile(file, ctx.host, ctx.io.cwd);
      const render = (ds: typeof result.diagnostics) => renderPretty(ds, { color, sources: (f) => result.sources.get(f) });
      if (result.formatted === undefined) {
        ctx.io.stderr(render(result.diagnostics));
        return ctx.exit(ExitCode.invalidInput);
      }
      const path = resolve(ctx.io.cwd, file);
      if (opts.check) {
        if (result.formatted === result.original) return ctx.exit(ExitCode.ok);
        const display = ctx.host.displayPath(path);
        const firstDiff = firstDifference(result.original, result.formatted);
        // Point at the first difference, with a line and column that agree with the offset.
        const location = new SourceText(display, result.original).locate({ start: firstDiff, end: firstDiff });
        const d = createDiagnostic(catalog.input.notFormatted, { path: display }, location, {
          label: "the canonical formatting differs from here",
          help: `run \`cdlc fmt ${file} --write\``,
        });
        ctx.io.stderr(render([d]));
        return ctx.exit(ExitCode.violated);
      }
      if (opts.write) {
        if (result.formatted !== result.original) writeFileAtomic(path, result.formatted);
      } else {
        ctx.io.stdout(result.formatted);
      }
      ctx.exit(ExitCode.ok);
    });
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
