import { registerRecord } from "./commands/record.js";
import type { CliIo } from "./io.js";
import { runProgram } from "./program.js";

/**
 * `cdlc record` alone: what the command loads before it starts the user's
 * command is on that command's clock, so it is kept to the record command
 * itself (its heavier parts are loaded while the command starts).
 */
export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return runProgram(argv, io, [registerRecord]);
}
