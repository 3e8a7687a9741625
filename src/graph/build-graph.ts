import { isAbsolute } from "node:path";
import { ts } from "./typescript.js";
import type { StageResult } from "../diagnostics/index.js";
import { hashFile, readGraphCache, writeGraphCache, CACHE_VERSION, type CachedFile, type GraphCache } from "./cache.js";
import { collectFileEdges } from "./call-edges.js";
import { collectImplementations, type ImplementationTable } from "./dispatch.js";
import type { LivingGraph } from "./living-graph.js";
import { createDeclarationIndex, FileNodeCollector, type DeclarationIndex } from "./node-collector.js";
import { projectRelative } from "./node-ids.js";
import { createMemberResolver } from "./receivers.js";
import type { GraphContext, LoadedProject } from "./project-loader.js";
import { checkCache, graphFromEntries, snapshotDirs, writeProjectIndex, type WarmStart } from "./warm-start.js";

/**
 * Building the Living Graph of a loaded project: nodes of every program
 * file, call edges resolved with the checker, dispatch edges to known
 * implementations. With the cache, unchanged files (whose imports are
 * unchanged too) are taken from `.cdl/cache/`, and a wholly unchanged
 * project is read back without creating a program at all.
 */

export interface BuildOptions {
  /** Read and write `.cdl/cache/` (default true). */
  cache?: boolean;
  /** The cache as a warm start just read and compared with the files (used when it is for this config and root list). */
  checked?: WarmStart["checked"];
}

export interface BuildStats {
  files: number;
  /** Files whose nodes and edges came from the cache. */
  cachedFiles: number;
  /** Whether a TypeScript program was created. */
  programCreated: boolean;
  cacheWritten: boolean;
}

export interface BuiltGraph {
  graph: LivingGraph;
  stats: BuildStats;
}

/** The program's files that belong to the project (not libraries, not node_modules). */
export function projectSourceFiles(program: ts.Program): ts.SourceFile[] {
  return program
    .getSourceFiles()
    .filter((sf) => !program.isSourceFileDefaultLibrary(sf) && !program.isSourceFileFromExternalLibrary(sf) && !sf.fileName.includes("/node_modules/"))
    .sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
}

/** Collects the nodes of every project file of a program (syntax only: cheap). */
export function indexProgram(program: ts.Program, root: string): { index: DeclarationIndex; collectors: Map<string, FileNodeCollector>; files: ts.SourceFile[] } {
  const index = createDeclarationIndex();
  const collectors = new Map<string, FileNodeCollector>();
  const files = projectSourceFiles(program);
  for (const sf of files) {
    const c = new FileNodeCollector(sf, projectRelative(root, sf.fileName), index);
    if (!sf.isDeclarationFile) c.collect();
    collectors.set(sf.fileName, c);
  }
  return { index, collectors, files };
}

function importedFiles(sf: ts.SourceFile, checker: ts.TypeChecker, root: string, projectFiles: Set<string>): { deps: string[]; unresolved: boolean } {
  const literals: readonly ts.Node[] = (sf as unknown as { imports?: readonly ts.StringLiteralLike[] }).imports ?? [];
  const deps = new Set<string>();
  let unresolved = false;
  for (const lit of literals) {
    const target = checker.getSymbolAtLocation(lit)?.declarations?.find(ts.isSourceFile);
    if (target === undefined) unresolved = true;
    else if (projectFiles.has(target.fileName) && target.fileName !== sf.fileName) deps.add(projectRelative(root, target.fileName));
  }
  return { deps: [...deps].sort(), unresolved };
}

function externalHashes(project: LoadedProject, program: ts.Program, projectFiles: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const sf of program.getSourceFiles()) {
    if (projectFiles.has(sf.fileName) || program.isSourceFileDefaultLibrary(sf)) continue;
    out[sf.fileName] = project.sourceHash(sf.fileName) ?? hashFile(sf.fileName) ?? "";
  }
  return out;
}

/** Remembers what the config resolved to, for a warm start without TypeScript (warm-start.ts). */
function writeIndex(project: LoadedProject, rootRelative: string[]): void {
  // A root file with no relative path (another drive) has no folder the snapshot could watch.
  if (rootRelative.some((f) => isAbsolute(f))) return;
  const configFiles: Record<string, string> = {};
  for (const f of project.configFiles) configFiles[f] = hashFile(f) ?? "";
  writeProjectIndex(project.configPath, { configHash: project.configHash, configFiles, rootNames: rootRelative, dirs: snapshotDirs(project.root, rootRelative) });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Builds the graph of a project (see the module comment for the cache). */
export function buildGraph(project: LoadedProject, ctx: GraphContext, options: BuildOptions = {}): StageResult<BuiltGraph> {
  const useCache = options.cache !== false;
  const progress = ctx.onProgress ?? (() => {});
  const root = project.root;
  const rootRelative = project.rootNames.map((n) => projectRelative(root, n));
  const prior = options.checked;
  const fromPrior = useCache && prior !== undefined && prior.configHash === project.configHash && sameList(prior.rootNames, rootRelative);
  const cache = fromPrior ? prior.cache : useCache ? readGraphCache(root, project.configHash) : undefined;

  // Fast path: every file (and every external declaration file) unchanged.
  let reusable = new Set<string>();
  if (cache !== undefined) {
    const checked = fromPrior ? prior : checkCache(cache, root, rootRelative, ctx.onProgress);
    reusable = checked.reusable;
    if (checked.complete) {
      const graph = graphFromEntries(root, cache.files);
      if (project.configFiles.length > 0) writeIndex(project, rootRelative);
      return { value: { graph, stats: { files: graph.files.length, cachedFiles: graph.files.length, programCreated: false, cacheWritten: false } }, diagnostics: [] };
    }
  }

  const program = project.program();
  const checker = program.getTypeChecker();
  const members = createMemberResolver(checker);
  progress("nodes", 0, 1);
  const { index, collectors, files } = indexProgram(program, root);
  progress("nodes", files.length, files.length);
  const projectFiles = new Set(files.map((sf) => sf.fileName));
  const entries: Record<string, CachedFile> = {};
  let cachedFiles = 0;
  let done = 0;
  for (const sf of files) {
    const rel = projectRelative(root, sf.fileName);
    const collector = collectors.get(sf.fileName)!;
    const cached = cache?.files[rel];
    if (cached !== undefined && reusable.has(rel)) {
      entries[rel] = cached;
      cachedFiles++;
    } else {
      const edges = sf.isDeclarationFile ? [] : collectFileEdges({ sf, checker, index, members, sites: collector.sites, moduleNode: () => collector.moduleNode() });
      const implementations: ImplementationTable = {};
      if (!sf.isDeclarationFile) collectImplementations(collector.derivedClasses, checker, index, implementations);
      const { deps, unresolved } = importedFiles(sf, checker, root, projectFiles);
      const entry: CachedFile = { hash: project.sourceHash(sf.fileName) ?? hashFile(sf.fileName) ?? "", nodes: collector.nodes, edges, implementations, deps };
      if (unresolved) entry.unresolved = true;
      if (!ts.isExternalModule(sf)) entry.global = true;
      entries[rel] = entry;
    }
    progress("edges", ++done, files.length);
  }
  const graph = graphFromEntries(root, entries);
  let cacheWritten = false;
  if (useCache) {
    const next: GraphCache = { version: CACHE_VERSION, configHash: project.configHash, files: entries, external: externalHashes(project, program, projectFiles) };
    cacheWritten = writeGraphCache(root, next);
    if (cacheWritten && project.configFiles.length > 0) writeIndex(project, rootRelative);
  }
  return { value: { graph, stats: { files: graph.files.length, cachedFiles, programCreated: true, cacheWritten } }, diagnostics: [] };
}
