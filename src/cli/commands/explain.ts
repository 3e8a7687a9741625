import type { Command } from "commander";
import { allDefinitions, findDefinition, nearest } from "../../index.js";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";

/** `cdlc explain CODE`: the long explanation of a diagnostic code. */
export function registerExplain(program: Command, ctx: CommandContext): void {
  program
    .command("explain")
    .argument("[code]", "a diagnostic code such as CDL0103; omit it to list every code")
    .description("explain a diagnostic code")
    .action((code: string | undefined) => {
      if (code === undefined) {
        for (const d of allDefinitions) ctx.io.stdout(`${d.code}  ${d.severity.padEnd(7)}  ${d.name}\n`);
        return ctx.exit(ExitCode.ok);
      }
      const def = findDefinition(code);
      if (def === undefined) {
        const near = nearest(code.toUpperCase(), allDefinitions.map((d) => d.code), 3);
        ctx.io.stderr(`error: no diagnostic code '${code}'${near.length > 0 ? `; did you mean ${near.join(", ")}?` : ""}\nRun 'cdlc explain' to list every code.\n`);
        return ctx.exit(ExitCode.invalidInput);
      }
      ctx.io.stdout(`${def.code} (${def.severity}): ${def.name}\n\n${def.message.replace(/\{(\w+)\}/g, "<$1>")}\n\n${def.explanation}\n`);
      ctx.exit(ExitCode.ok);
    });
}
