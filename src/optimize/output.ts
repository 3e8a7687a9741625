import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { UsageError } from "../diagnostics/errors.js";
import { writeFileAtomic } from "../util/atomic-write.js";

/**
 * Where an optimize run's program goes besides the store: `--out DIR` (the
 * whole project, changed or not, written next to DIR and renamed into
 * place, so DIR is never half-written) and `--test CMD` (the project's own
 * tests, run where the optimized program is).
 */

/** Marks a folder `--out` wrote, so that only such a folder is ever replaced. */
const OUT_MARKER = ".cdlc-out";

/** Folders never copied: dependencies (linked instead), cdlc's own state, version control. */
const SKIPPED = new Set([".cdl", ".git", "node_modules"]);

/**
 * Writes the project at `root` with `changed` files (project-relative path →
 * new text) to `outDir`. An existing `outDir` is replaced only once the new
 * one is complete, and only if cdlc wrote it (or it is empty). `node_modules` is a link to the project's, so the
 * program still resolves its dependencies.
 */
export function writeOutDir(root: string, outDir: string, changed: ReadonlyMap<string, string>): void {
  const target = resolve(outDir);
  const rootAbs = resolve(root);
  checkOutDir(rootAbs, target);
  const temp = join(dirname(target), `.${basename(target)}.cdlc-${process.pid}.tmp`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  try {
    cpSync(rootAbs, temp, { recursive: true, filter: (src) => src === rootAbs || !SKIPPED.has(basename(src)) });
    const modules = join(rootAbs, "node_modules");
    if (existsSync(modules)) symlinkSync(modules, join(temp, "node_modules"), "dir");
    for (const [path, text] of changed) writeFileAtomic(join(temp, path), text);
    writeFileSync(join(temp, OUT_MARKER), "written by cdlc optimize --out; the next run may replace this folder\n");
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw e;
  }
}

/** Throws an {@link OutDirError} when `--out` cannot be used: inside the project, or an existing folder cdlc did not write. */
export function checkOutDir(root: string, outDir: string): void {
  const target = resolve(outDir);
  const rootAbs = resolve(root);
  const inside = relative(rootAbs, target);
  // Writing into the project would copy the output into itself.
  if (inside === "" || (!inside.startsWith("..") && !isAbsolute(inside))) throw new OutDirError(`--out ${outDir} is inside the project; choose a folder outside ${rootAbs}`);
  // Never delete a folder cdlc did not write.
  if (existsSync(target) && readdirSync(target).length > 0 && !existsSync(join(target, OUT_MARKER))) throw new OutDirError(`--out ${outDir} exists and was not written by cdlc; choose a new or empty folder`);
}

/** A `--out` folder that cannot be used: the user's input, reported as such. */
export class OutDirError extends UsageError {}

export interface TestRun {
  command: string;
  exitCode: number | null;
  passed: boolean;
  /** The end of its output (standard output and error together), for the report. */
  output: string;
}

/** Runs the user's test command in `cwd` through the shell; resolves when it ends (never rejects). */
export function runTestCommand(command: string, cwd: string, keepChars = 4_000): Promise<TestRun> {
  return new Promise((resolvePromise) => {
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-keepChars);
    };
    const child = spawn(command, { cwd, shell: true, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (e) => resolvePromise({ command, exitCode: null, passed: false, output: `${output}\ncannot start: ${e.message}` }));
    child.on("close", (code) => resolvePromise({ command, exitCode: code, passed: code === 0, output }));
  });
}
