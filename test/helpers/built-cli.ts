/**
 * The built CLI (`dist/cli.js`, what the `cdlc` bin runs), for end-to-end
 * tests. `npm test` builds first; a bare `vitest` after editing `src/`
 * would test a stale bundle, so the first use here rebuilds `dist/` when a
 * source of the build is newer (unit tests alone never pay for a build).
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(new URL("../..", import.meta.url).pathname);
export const cliPath = join(repoRoot, "dist/cli.js");

/** The newest modification time under `path` (a file or a folder). */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), stat.mtimeMs);
}

/** Why dist/ must be rebuilt, or undefined when it is current. */
export function staleReason(): string | undefined {
  if (!existsSync(cliPath)) return "dist/cli.js is missing";
  const built = statSync(cliPath).mtimeMs;
  const inputs = ["src", "scripts/build.mjs", "package.json", "tsconfig.json"].map((p) => join(repoRoot, p));
  const changed = inputs.find((p) => newest(p) > built);
  return changed === undefined ? undefined : `${changed.slice(repoRoot.length + 1)} changed after dist/cli.js was built`;
}

let checked = false;

/** Rebuilds dist/ when it is stale; one build at a time across test processes (a lock folder). */
export function ensureCurrentBuild(): void {
  if (checked) return;
  const lock = join(repoRoot, "node_modules/.cache/cdlc-test-build.lock");
  mkdirSync(join(lock, ".."), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`another test process has held ${lock} for 5 minutes; remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    const reason = staleReason();
    if (reason !== undefined) {
      console.warn(`rebuilding dist/ for the end-to-end tests: ${reason}`);
      execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: repoRoot, stdio: "inherit" });
      const still = staleReason();
      if (still !== undefined) throw new Error(`dist/ is still stale after a rebuild: ${still}`);
    }
    checked = true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Another build of the CLI (e.g. a damaged copy). */
  cli?: string;
}

/** A minimal environment: what a CI job has, without the caller's variables. */
function environment(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "", CDLC_CODE_CACHE: "off", ...env };
}

/** Runs the built CLI and waits for it (blocks the worker: for short commands). */
export function cdlcSync(args: string[], o: CliOptions = {}): CliResult {
  ensureCurrentBuild();
  const r = spawnSync(process.execPath, [o.cli ?? cliPath, ...args], { cwd: o.cwd ?? repoRoot, encoding: "utf8", env: environment(o.env), maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs the built CLI without blocking (for measurements, which take seconds). */
export function cdlc(args: string[], o: CliOptions = {}): Promise<CliResult> {
  ensureCurrentBuild();
  return new Promise((done) => {
    execFile(process.execPath, [o.cli ?? cliPath, ...args], { cwd: o.cwd ?? repoRoot, encoding: "utf8", env: environment(o.env), maxBuffer: 64 << 20 }, (error, out, err) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      done({ code, out, err });
    });
  });
}

const made: string[] = [];

/** A new temporary folder, removed by {@link removeTempDirs}. */
export function tempDir(prefix = "cdlc-e2e-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder {@link tempDir} made (call it in afterAll). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh copy of a fixture folder (tests that measure write `.cdl/` into their project). */
export function copyFixture(name: string): string {
  const dir = tempDir();
  cpSync(join(repoRoot, "test/fixtures", name), dir, { recursive: true, filter: (src) => !src.includes("/.cdl") });
  return dir;
}

/**
 * measure-check with sortMany sorting 2,000 numbers instead of 100,000: a
 * fraction of a millisecond per call, so that even a loaded machine's
 * short runs collect samples.
 */
export function smallSortFixture(): string {
  const dir = copyFixture("measure-check");
  const workloads = join(dir, "bench/workloads.ts");
  const text = readFileSync(workloads, "utf8");
  if (!text.includes("length: 100_000")) throw new Error("the measure-check workload changed: update smallSortFixture");
  writeFileSync(workloads, text.replace("length: 100_000", "length: 2_000"));
  return dir;
}
