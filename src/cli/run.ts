import { registerBench } from "./commands/bench.js";
import { registerCalibrate } from "./commands/calibrate.js";
import { registerCheck } from "./commands/check.js";
import { registerCompile } from "./commands/compile.js";
import { registerExplain } from "./commands/explain.js";
import { registerFmt } from "./commands/fmt.js";
import { registerGraph } from "./commands/graph.js";
import { registerOptimize } from "./commands/optimize.js";
import { registerRecord } from "./commands/record.js";
import { registerVariants } from "./commands/variants.js";
import { registerVersions } from "./commands/versions.js";
import type { CliIo } from "./io.js";
import { runProgram } from "./program.js";

/** Every command, in the order `--help` lists them. */
const commands = [registerCheck, registerCompile, registerGraph, registerBench, registerCalibrate, registerVariants, registerOptimize, registerRecord, registerVersions, registerFmt, registerExplain];

/**
 * Runs the command line `argv` (without the node and script paths) and
 * resolves to the exit code; never exits the process and never throws.
 */
export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return runProgram(argv, io, commands);
}
