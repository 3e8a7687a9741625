import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";
import type { ImplementationTable } from "./dispatch.js";
import type { GraphEdge, GraphNode } from "./living-graph.js";

/**
 * The graph cache under `<project root>/.cdl/cache/`: per program file, its
 * content hash, its nodes, the edges whose calls are written in it, the
 * implementations its classes provide and the project files it imports.
 * A file is reused only when it and everything it imports (transitively)
 * are unchanged. A cache that cannot be read or parsed is ignored.
 */

export const CACHE_VERSION = 2;

export interface CachedFile {
  hash: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  implementations: ImplementationTable;
  /** Project files (relative to the root) this file imports. */
  deps: string[];
  /** The file has an import that resolved to no file (a new file may change that). */
  unresolved?: boolean;
  /** A script (not a module): its declarations are global, so any file may depend on it. */
  global?: boolean;
}

export interface GraphCache {
  version: number;
  configHash: string;
  /** Project files by path relative to the root. */
  files: Record<string, CachedFile>;
  /** Declaration files from outside the project (node_modules), by absolute path → hash. */
  external: Record<string, string>;
}

export function hashText(text: string | Buffer): string {
  return createHash("sha1").update(text).digest("hex");
}

export function hashFile(path: string): string | undefined {
  try {
    return hashText(readFileSync(path));
  } catch {
    return undefined;
  }
}

export function cachePath(root: string, configHash: string): string {
  return join(root, ".cdl", "cache", `graph-${configHash.slice(0, 16)}.json`);
}

/** Reads the cache for this config, or undefined when it is missing, stale in format, or corrupt. */
export function readGraphCache(root: string, configHash: string): GraphCache | undefined {
  try {
    const data = JSON.parse(readFileSync(cachePath(root, configHash), "utf8")) as GraphCache;
    if (data === null || typeof data !== "object" || data.version !== CACHE_VERSION || data.configHash !== configHash) return undefined;
    if (typeof data.files !== "object" || data.files === null || typeof data.external !== "object" || data.external === null) return undefined;
    for (const f of Object.values(data.files)) {
      if (typeof f?.hash !== "string" || !Array.isArray(f.nodes) || !Array.isArray(f.edges) || !Array.isArray(f.deps)) return undefined;
    }
    return data;
  } catch {
    return undefined;
  }
}

/** Writes the cache atomically; failing to write (read-only tree) is not an error. */
export function writeGraphCache(root: string, cache: GraphCache): boolean {
  try {
    writeFileAtomic(cachePath(root, cache.configHash), JSON.stringify(cache));
    return true;
  } catch {
    return false;
  }
}

/**
 * Which cached files can be reused, given the current hashes of the project
 * files: unchanged files none of whose (transitive) imports changed. Any
 * change to a script file or an external declaration file invalidates all.
 */
export function reusableFiles(cache: GraphCache, current: Map<string, string>, externalChanged: boolean): Set<string> {
  const changed = new Set<string>();
  for (const [file, hash] of current) if (cache.files[file]?.hash !== hash) changed.add(file);
  const removed = Object.keys(cache.files).filter((f) => !current.has(f));
  removed.forEach((f) => changed.add(f));
  if (externalChanged || [...changed].some((f) => cache.files[f]?.global === true)) return new Set();
  const added = [...current.keys()].some((f) => cache.files[f] === undefined);
  const dependents = new Map<string, string[]>();
  for (const [file, entry] of Object.entries(cache.files)) for (const d of entry.deps) (dependents.get(d) ?? dependents.set(d, []).get(d)!).push(file);
  const dirty = new Set(changed);
  const stack = [...changed];
  if (added || removed.length > 0) for (const [file, entry] of Object.entries(cache.files)) if (entry.unresolved === true) stack.push(file);
  while (stack.length > 0) {
    const f = stack.pop()!;
    dirty.add(f);
    for (const d of dependents.get(f) ?? []) if (!dirty.has(d)) stack.push(d);
  }
  return new Set([...current.keys()].filter((f) => !dirty.has(f)));
}
