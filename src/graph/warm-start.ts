import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";
import { addDispatchEdges, type ImplementationTable } from "./dispatch-edges.js";
import { hashFile, readGraphCache, reusableFiles, type CachedFile, type GraphCache } from "./cache.js";
import { addEdge, createGraph, type LivingGraph } from "./living-graph.js";

/**
 * Reading an unchanged project back without loading TypeScript at all
 * (ts-morph alone takes longer to load than the rest of a warm run). The
 * project index remembers what the tsconfig resolved to: its config files
 * (with `extends` and references) by content hash, the root file list, and
 * the modification times of the folders that hold the root files: those
 * under the project root, or under the nearest folder that also holds a
 * referenced project's files (adding, removing or renaming a file changes
 * its folder's time). When all of that and every file's content hash are
 * unchanged, the cached graph is the graph.
 * Anything else falls back to loading the project normally.
 */

// 2: folders are snapshotted from the root files' common folder, which may lie above the project root.
const INDEX_VERSION = 2;
const SKIP = new Set(["node_modules"]);

export interface ProjectIndex {
  version: number;
  configHash: string;
  /** Config files by absolute path → content hash. */
  configFiles: Record<string, string>;
  /** Root files, relative to the root. */
  rootNames: string[];
  /** Folders under the root (relative) → modification time. */
  dirs: Record<string, number>;
}

function indexPath(configPath: string): string {
  const key = createHash("sha1").update(configPath).digest("hex").slice(0, 16);
  return join(dirname(configPath), ".cdl", "cache", `project-${key}.json`);
}

/**
 * The folder whose subtree holds the project root and every root file
 * (`rootNames` relative to `root`): the root itself, unless a referenced
 * project's files lie outside it (`../core/src/a.ts` makes it `..`).
 */
function snapshotBase(rootNames: readonly string[]): string {
  let up = 0;
  for (const name of rootNames) {
    let k = 0;
    while (name.startsWith("../".repeat(k + 1))) k++;
    up = Math.max(up, k);
  }
  return up === 0 ? "" : Array.from({ length: up }, () => "..").join("/");
}

/**
 * Folders with their modification times (skipping node_modules and
 * dot-folders), keyed relative to `root`: the subtree of the root files'
 * common folder (see snapshotBase).
 */
export function snapshotDirs(root: string, rootNames: readonly string[] = []): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (dir: string, rel: string): void => {
    out[rel] = statSync(dir).mtimeMs;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && !e.name.startsWith(".") && !SKIP.has(e.name)) walk(join(dir, e.name), rel === "" ? e.name : `${rel}/${e.name}`);
    }
  };
  const base = snapshotBase(rootNames);
  try {
    walk(join(root, base), base);
  } catch {
    // A folder vanished while we walked: the snapshot will not match, which is safe.
  }
  return out;
}

export function writeProjectIndex(configPath: string, index: Omit<ProjectIndex, "version">): void {
  try {
    writeFileAtomic(indexPath(configPath), JSON.stringify({ version: INDEX_VERSION, ...index }));
  } catch {
    // A read-only tree: no warm start next time, nothing worse.
  }
}

function sameDirs(a: Record<string, number>, b: Record<string, number>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

/** Assembles the graph from cache entries (the dispatch edges are derived, not stored). */
export function graphFromEntries(root: string, entries: Record<string, CachedFile>): LivingGraph {
  const graph = createGraph(root);
  const implementations: ImplementationTable = {};
  for (const file of Object.keys(entries).sort()) {
    const entry = entries[file]!;
    if (!/\.d\.[cm]?ts$/.test(file)) graph.files.push(file);
    for (const n of entry.nodes) graph.nodes.set(n.id, n);
    for (const e of entry.edges) addEdge(graph, e);
    for (const [k, v] of Object.entries(entry.implementations)) implementations[k] = [...(implementations[k] ?? []), ...v];
  }
  addDispatchEdges(graph, implementations);
  return graph;
}

/**
 * Compares the cache with the files on disk: which files can be reused, and
 * whether all of them can (then the cached graph is complete).
 */
export function checkCache(cache: GraphCache, root: string, rootRelative: readonly string[], onProgress?: (stage: string, done: number, total: number) => void): { reusable: Set<string>; complete: boolean } {
  const current = new Map<string, string>();
  const candidates = new Set([...rootRelative, ...Object.keys(cache.files)]);
  let done = 0;
  for (const rel of candidates) {
    const hash = hashFile(join(root, rel));
    if (hash !== undefined) current.set(rel, hash);
    onProgress?.("hash", ++done, candidates.size);
  }
  const externalChanged = Object.entries(cache.external).some(([path, hash]) => hashFile(path) !== hash);
  const reusable = reusableFiles(cache, current, externalChanged);
  return { reusable, complete: reusable.size === current.size && rootRelative.every((r) => cache.files[r] !== undefined) };
}

/**
 * What a warm start found. `graph` when the project is unchanged; otherwise,
 * once the cache was read and compared with the files, that comparison, so
 * that the build which follows need not read and hash everything again.
 */
export interface WarmStart {
  graph?: LivingGraph;
  checked?: { cache: GraphCache; configHash: string; rootNames: readonly string[]; reusable: Set<string>; complete: boolean };
}

/** The cached graph of an unchanged project (see the module comment); anything else means loading the project. */
export function warmStart(configPath: string, onProgress?: (stage: string, done: number, total: number) => void): WarmStart {
  let index: ProjectIndex;
  try {
    index = JSON.parse(readFileSync(indexPath(configPath), "utf8")) as ProjectIndex;
    if (index.version !== INDEX_VERSION || !Array.isArray(index.rootNames) || typeof index.configFiles !== "object" || typeof index.dirs !== "object") return {};
  } catch {
    return {};
  }
  if (Object.entries(index.configFiles).some(([path, hash]) => hashFile(path) !== hash)) return {};
  const root = dirname(configPath);
  if (!sameDirs(index.dirs, snapshotDirs(root, index.rootNames))) return {};
  const cache = readGraphCache(root, index.configHash);
  if (cache === undefined) return {};
  const { reusable, complete } = checkCache(cache, root, index.rootNames, onProgress);
  if (complete) return { graph: graphFromEntries(root, cache.files) };
  return { checked: { cache, configHash: index.configHash, rootNames: index.rootNames, reusable, complete } };
}
