import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import { writeFileAtomic } from "../util/atomic-write.js";

/**
 * Loading a large CommonJS file (the TypeScript compiler: 9 MB of
 * JavaScript) with a V8 code cache, as Node 22's `module.enableCompileCache()`
 * does and Node 20 cannot: the bytecode V8 compiled in an earlier run,
 * including that of the functions compiled lazily while it worked (parser,
 * binder, checker), is handed back to V8 instead of compiling again. On a
 * 1,000-file project that is 0.1–0.15 s per graph build through the CLI
 * (bench/README-graph.md).
 *
 * The cache lives outside any project (it belongs to the installed tool):
 * `$CDLC_CODE_CACHE_DIR`, else `$XDG_CACHE_HOME/cdlc`, else `~/.cache/cdlc`.
 * `CDLC_CODE_CACHE=off` disables it. V8 checks the data against the source
 * and its own version and flags, and rejects anything that does not match;
 * a rejected, unreadable or unwritable cache only means compiling as usual.
 */

export interface CachedModule {
  exports: unknown;
  /** Writes the cache when this run had none (or V8 rejected it); call after the work, so lazily compiled functions are in it. */
  save(): void;
}

function cacheDirectory(): string | undefined {
  const env = process.env;
  if (env.CDLC_CODE_CACHE === "off" || env.CDLC_CODE_CACHE === "0") return undefined;
  if (env.CDLC_CODE_CACHE_DIR) return env.CDLC_CODE_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "cdlc");
}

/** Requires `path` as CommonJS through a V8 code cache, and registers it so that later `require`s of it get the same exports. */
export function requireWithCodeCache(path: string): CachedModule {
  const dir = cacheDirectory();
  const load = createRequire(path);
  // Already loaded (the embedding program required it first): share that copy.
  const loaded = load.cache[path];
  if (loaded !== undefined) return { exports: loaded.exports, save() {} };
  if (dir === undefined) return { exports: load(path), save() {} };
  const source = readFileSync(path, "utf8");
  const stat = statSync(path);
  // Named by the compiler file, then by its version and Node's: V8 checks the source only by
  // its length, so a changed compiler must not meet the old data. Saving removes the file's older data.
  const fileKey = createHash("sha256").update(path).digest("hex").slice(0, 12);
  const versionKey = createHash("sha256").update(`${stat.size}\0${stat.mtimeMs}\0${process.version}\0${process.arch}`).digest("hex").slice(0, 12);
  const cachePath = join(dir, `${fileKey}-${versionKey}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    // None yet (or unreadable): compile, and save one after the work.
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: path, ...(cachedData !== undefined ? { cachedData } : {}) });
  const needsWrite = cachedData === undefined || script.cachedDataRejected === true;

  // The module as Node's own loader would make it, put in the require cache before it runs.
  const mod = new Module(path) as Module & { filename: string; paths: string[]; loaded: boolean };
  mod.filename = path;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(path));
  load.cache[path] = mod;
  try {
    (script.runInThisContext() as (...args: unknown[]) => void).call(mod.exports, mod.exports, load, mod, path, dirname(path));
  } catch (e) {
    delete load.cache[path];
    throw e;
  }
  mod.loaded = true;

  let saved = !needsWrite;
  return {
    exports: mod.exports,
    save() {
      if (saved) return;
      saved = true;
      try {
        writeFileAtomic(cachePath, script.createCachedData());
        removeOlderData(dir, fileKey, cachePath);
      } catch {
        // A read-only or full disk: the next run compiles as this one did.
      }
    },
  };
}

/**
 * Deletes the cached data of earlier versions of the same compiler file (a
 * reinstall or a Node upgrade leaves about 5 MB behind each time), and the
 * files of the first naming, which did not say which file they were for.
 */
function removeOlderData(dir: string, fileKey: string, current: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".v8cache") || join(dir, name) === current) continue;
    if (name.startsWith(`${fileKey}-`) || /^[0-9a-f]{16}\.v8cache$/.test(name)) rmSync(join(dir, name), { force: true });
  }
}
