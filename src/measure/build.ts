import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, posix, relative, resolve } from "node:path";
import { projectRelative } from "../graph/node-ids.js";
import { instrumentModule, type InstrumentTarget } from "./instrument.js";
import { RUNTIME_FILE, RUNTIME_SOURCE } from "./runtime.js";
import { outputPathOf, SOURCE_EXTENSIONS, specifierRewriter } from "./specifiers.js";
import { loadCompilerOptions, optionsFingerprint, transpileFile } from "./transpile.js";

/**
 * Builds the instrumented copy of a program that measurement children load:
 * every source file of the project transpiled to ESM JavaScript at the same
 * relative path under `<buildRoot>/<hash>/`, target nodes registered (and,
 * for flow endpoints, tracked) by `instrumentModule`, plus the runtime module
 * and a `package.json` that makes `.js` mean ESM. The directory name is a
 * hash of everything that shapes it, so an unchanged program and target set
 * reuse the build; it is written to a temporary sibling and renamed into
 * place, so a reader never sees half a build.
 */

/** Bump whenever instrumentation or the build layout changes, so that old builds are not reused. */
const BUILD_FORMAT = "cdlc-build-3";

/** A target the build could not expose: its file failed to compile or instrument, or the node is not there. */
export interface MissingNode {
  id: string;
  reason: string;
  kind: "build-error" | "not-found";
}

export interface BuildTarget extends InstrumentTarget {
  /** Absolute path of the source file that declares the node. */
  file: string;
}

export interface BuildOptions {
  projectRoot: string;
  /** Where builds go; default `<projectRoot>/.cdl/build`. */
  buildRoot?: string;
  targets: BuildTarget[];
  /** Absolute source files to include; default: every source file under the root (not node_modules or dot-folders). */
  files?: string[];
  /** Default `<projectRoot>/tsconfig.json` when it exists. */
  tsconfig?: string;
  /** How many builds to keep in `buildRoot` (newest first) after writing a new one; default 8. */
  keepBuilds?: number;
}

export interface BuiltProgram {
  /** The build directory. */
  dir: string;
  hash: string;
  /** Whether an existing build was reused. */
  reused: boolean;
  /** Source path (absolute) → built path (absolute). */
  outputs: Map<string, string>;
  exposed: string[];
  missing: MissingNode[];
  untracked: { id: string; reason: string }[];
  /** Files that failed to transpile or instrument (copied unchanged, so importing them fails loudly). */
  errors: { file: string; message: string }[];
}

interface Manifest {
  format: string;
  files: [string, string][];
  exposed: string[];
  missing: MissingNode[];
  untracked: { id: string; reason: string }[];
  errors: { file: string; message: string }[];
}

/** Builds (or reuses) the instrumented program. Throws only on I/O failures. */
export function buildProgram(options: BuildOptions): BuiltProgram {
  const root = resolve(options.projectRoot);
  const buildRoot = resolve(options.buildRoot ?? join(root, ".cdl", "build"));
  // Only files under the root can go into the build folder: `../x.js` would be written outside it.
  const sources = (options.files ?? listSourceFiles(root, buildRoot)).map((f) => projectRelative(root, f)).filter((rel) => !rel.startsWith("../") && !isAbsolute(rel));
  const preferred = dropShadowedJs(sources);
  const compilerOptions = loadCompilerOptions(root, options.tsconfig);
  const contents = new Map(preferred.map((rel) => [rel, readFileSync(join(root, rel), "utf8")]));
  const targets = [...options.targets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const hash = hashBuild(contents, targets, optionsFingerprint(compilerOptions));
  const dir = join(buildRoot, hash);
  const manifestPath = join(dir, "manifest.json");
  if (existsSync(manifestPath)) {
    // Mark it as recently used, so pruning keeps it.
    const at = new Date();
    utimesSync(dir, at, at);
    return fromManifest(root, dir, hash, JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest, true);
  }

  const sourceSet = new Set(preferred);
  const byFile = new Map<string, BuildTarget[]>();
  for (const target of targets) {
    const rel = projectRelative(root, target.file);
    byFile.set(rel, [...(byFile.get(rel) ?? []), target]);
  }
  const manifest: Manifest = { format: BUILD_FORMAT, files: [], exposed: [], missing: [], untracked: [], errors: [] };
  const temp = join(buildRoot, `.tmp-${hash}-${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(temp, { recursive: true });
  try {
    for (const [rel, text] of contents) {
      const out = outputPathOf(rel);
      manifest.files.push([rel, out]);
      writeFile(join(temp, out), buildFile(rel, text, byFile.get(rel) ?? [], sourceSet, compilerOptions, manifest));
      byFile.delete(rel);
    }
    for (const list of byFile.values()) {
      for (const t of list) {
        const rel = projectRelative(root, t.file);
        const where = rel.startsWith("../") || isAbsolute(rel) ? "is outside the project root, which is what the instrumented build copies" : "is not part of the program";
        manifest.missing.push({ id: t.id, reason: `the file ${rel} ${where}`, kind: "not-found" });
      }
    }
    writeFile(join(temp, RUNTIME_FILE), RUNTIME_SOURCE);
    writeFile(join(temp, "package.json"), `${JSON.stringify({ private: true, type: "module" })}\n`);
    linkNodeModules(root, buildRoot, temp);
    writeFile(join(temp, "manifest.json"), `${JSON.stringify(manifest, null, 1)}\n`);
    try {
      renameSync(temp, dir);
    } catch (e) {
      // Another process finished the same build first: use theirs.
      if (!existsSync(manifestPath)) throw e;
      rmSync(temp, { recursive: true, force: true });
    }
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw e;
  }
  pruneBuilds(buildRoot, options.keepBuilds ?? 8, dir);
  return fromManifest(root, dir, hash, manifest, false);
}

/** One file of the build: transpiled, instrumented, specifiers rewritten. */
function buildFile(rel: string, text: string, targets: BuildTarget[], sources: Set<string>, compilerOptions: ReturnType<typeof loadCompilerOptions>, manifest: Manifest): string {
  if (rel.endsWith(".json")) return text;
  let code = text;
  if (/\.(ts|tsx|mts|cts|jsx)$/.test(rel) && !rel.endsWith(".d.ts")) {
    const out = transpileFile(text, posix.basename(rel), compilerOptions);
    if (out.errors.length > 0) {
      manifest.errors.push({ file: rel, message: out.errors.join("\n") });
      for (const t of targets) manifest.missing.push({ id: t.id, reason: `${rel} does not compile: ${out.errors[0]}`, kind: "build-error" });
      return text;
    }
    code = out.code;
  }
  const depth = rel.split("/").length - 1;
  const runtimeSpecifier = depth === 0 ? `./${RUNTIME_FILE}` : `${"../".repeat(depth)}${RUNTIME_FILE}`;
  try {
    const result = instrumentModule(code, { targets, runtimeSpecifier, rewriteSpecifier: specifierRewriter(rel, sources) });
    manifest.exposed.push(...result.exposed);
    manifest.missing.push(...result.missing.map((m) => ({ ...m, kind: "not-found" as const })));
    manifest.untracked.push(...result.untracked);
    return result.code;
  } catch (e) {
    manifest.errors.push({ file: rel, message: (e as Error).message });
    for (const t of targets) manifest.missing.push({ id: t.id, reason: `${rel} could not be instrumented: ${(e as Error).message}`, kind: "build-error" });
    return code;
  }
}

/** Removes all but the `keep` newest builds (never `current`): builds are caches, one per program state. */
function pruneBuilds(buildRoot: string, keep: number, current: string): void {
  const builds = readdirSync(buildRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^[0-9a-f]{16}$/.test(e.name))
    .map((e) => ({ path: join(buildRoot, e.name), mtime: statSync(join(buildRoot, e.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const b of builds.slice(keep)) if (b.path !== current) rmSync(b.path, { recursive: true, force: true });
}

/** Every source file under the root, skipping dependencies, dot-folders (.git, .cdl) and the build root. */
export function listSourceFiles(root: string, exclude?: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === "node_modules" || entry.name.startsWith(".") || path === exclude) continue;
        walk(path);
      } else if (entry.isFile() && !entry.name.endsWith(".d.ts") && SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) {
        out.push(path);
      }
    }
  };
  walk(root);
  return out.sort();
}

/** `x.js` next to `x.ts` is usually the compiled copy: the TypeScript source wins. */
function dropShadowedJs(files: string[]): string[] {
  const taken = new Set<string>();
  const out: string[] = [];
  const order = (f: string): number => SOURCE_EXTENSIONS.findIndex((ext) => f.endsWith(ext));
  for (const f of [...files].sort((a, b) => order(a) - order(b))) {
    const out0 = outputPathOf(f);
    if (taken.has(out0)) continue;
    taken.add(out0);
    out.push(f);
  }
  return out.sort();
}

function hashBuild(contents: Map<string, string>, targets: BuildTarget[], options: string): string {
  const h = createHash("sha256");
  h.update(`${BUILD_FORMAT}\0${RUNTIME_SOURCE}\0${options}\0`);
  h.update(JSON.stringify(targets.map((t) => [t.id, t.file, t.qualifiedName, t.track === true, t.variants ?? []])));
  for (const [rel, text] of [...contents].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`\0${rel}\0${text}`);
  return h.digest("hex").slice(0, 16);
}

/** Bare imports resolve by walking up from the build: link the project's node_modules when the build is elsewhere. */
function linkNodeModules(root: string, buildRoot: string, dir: string): void {
  const modules = join(root, "node_modules");
  const inside = !relative(root, buildRoot).startsWith("..");
  if (inside || !existsSync(modules)) return;
  symlinkSync(modules, join(dir, "node_modules"), "junction");
}

function fromManifest(root: string, dir: string, hash: string, manifest: Manifest, reused: boolean): BuiltProgram {
  return {
    dir,
    hash,
    reused,
    outputs: new Map(manifest.files.map(([src, out]) => [join(root, src), join(dir, out)])),
    exposed: manifest.exposed,
    missing: manifest.missing,
    untracked: manifest.untracked,
    errors: manifest.errors,
  };
}


function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
