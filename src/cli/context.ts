import type { Command } from "commander";
import { createNodeHost, type CompilerHost } from "../cdl/host.js";
import type { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";

/** What a command's action gets: the io, a host for files, and where to put its exit code. */
export interface CommandContext {
  io: CliIo;
  host: CompilerHost;
  exit(code: ExitCode): void;
}

export function createContext(io: CliIo, exit: (code: ExitCode) => void): CommandContext {
  return { io, host: createNodeHost(io.cwd), exit };
}

/** Adds the output options every command shares. */
export function withOutputOptions(command: Command, formats = "pretty|json|junit|sarif|markdown|github"): Command {
  return command
    .option("--format <format>", `what to print on standard output: ${formats}`, "pretty")
    .option("--report <format:path>", "also write a report file, e.g. sarif:cdl.sarif (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--quiet", "print errors only (pretty) and nothing when all is well")
    .option("--no-color", "no ANSI colours (also when NO_COLOR is set)");
}
