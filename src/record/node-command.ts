import { closeSync, openSync, readSync, statSync } from "node:fs";
import { basename, delimiter, isAbsolute, join, resolve } from "node:path";

/**
 * Whether a command's program is Node itself or a Node script (its first
 * line `#!…node…`, as npx, npm, vitest and tsx are): then the recorder
 * preloaded into it runs before any of the command's own code, and
 * `cdlc record` may start it before the CDL file is checked, holding it at
 * the gate. Any other program (a shell script, make) could act before a
 * Node process reaches the gate, so it starts only after the check.
 */
export function startsInNode(program: string, env: NodeJS.ProcessEnv, cwd: string): boolean {
  if (program === process.execPath || /^node(\.exe)?$/.test(basename(program))) return true;
  const path = locate(program, env, cwd);
  return path !== undefined && /^#!.*\bnode\b/.test(firstLine(path));
}

/** The file a program name runs: a path as given (from the working folder), else the first match on PATH. */
function locate(program: string, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  if (program.includes("/")) return isFile(resolve(cwd, program)) ? resolve(cwd, program) : undefined;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(isAbsolute(dir) ? dir : resolve(cwd, dir), program);
    if (isFile(candidate)) return candidate;
  }
  return undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function firstLine(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const buffer = Buffer.alloc(256);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString("latin1").split("\n")[0]!;
  } catch {
    return "";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
