import { Command, CommanderError } from "commander";
import { InternalError, UsageError } from "../diagnostics/errors.js";
import { VERSION } from "../version.js";
import { createContext, type CommandContext } from "./context.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";

/** Adds one command to the program. */
export type Registration = (program: Command, ctx: CommandContext) => void;

function buildProgram(io: CliIo, exit: (code: ExitCode) => void, commands: readonly Registration[]): Command {
  const program = new Command("cdlc")
    .description("The CDL compiler: performance budgets for TypeScript programs, checked with statistics.")
    .version(VERSION, "-V, --version")
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .addHelpText(
      "after",
      `
Exit codes (every command):
  0  success      1  a bound of severity error is violated
  2  invalid input (CDL errors, missing files, bad options)
  3  internal error (a bug in cdlc)

Run 'cdlc <command> --help' for a command's options, 'cdlc explain CODE' for a diagnostic.`,
    );
  const ctx = createContext(io, exit);
  for (const register of commands) register(program, ctx);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) }).showHelpAfterError();
  return program;
}

/**
 * Runs the command line `argv` (without the node and script paths) with the
 * given commands and resolves to the exit code; never exits the process and
 * never throws.
 */
export async function runProgram(argv: readonly string[], io: CliIo, commands: readonly Registration[]): Promise<number> {
  let code: number = ExitCode.ok;
  const program = buildProgram(io, (c) => (code = c), commands);
  try {
    if (argv.length === 0) {
      io.stdout(program.helpInformation());
      return ExitCode.ok;
    }
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok = e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help";
      return ok ? ExitCode.ok : ExitCode.invalidInput;
    }
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n`);
      return ExitCode.invalidInput;
    }
    const err = e as Error;
    const kind = e instanceof InternalError ? "internal error" : "internal error (unexpected exception)";
    io.stderr(
      `error: ${kind}: ${err?.message ?? String(e)}\n` +
        `This is a bug in cdlc ${VERSION}, not in your input. Please report it with the command you ran and this trace:\n` +
        `${err?.stack ?? ""}\n`,
    );
    return ExitCode.internalError;
  }
}
