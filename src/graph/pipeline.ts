import { existsSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { compileCdl } from "../cdl/compile.js";
import { relativeDisplay, type CompilerHost } from "../cdl/host.js";
import type { ConstraintModel } from "../cdl/model.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/index.js";
import { bindConstraints, type Binding } from "./bind.js";
import type { BuildStats } from "./build-graph.js";
import { exportDot } from "./export-dot.js";
import type { GraphFormat } from "./formats.js";
import { exportHtml } from "./export-html.js";
import { exportJson, type GraphMetrics } from "./export-json.js";
import type { NodeImprovement } from "./improvements.js";
import { exportMermaid } from "./export-mermaid.js";
import { neighbourhood } from "./graph-queries.js";
import type { LivingGraph } from "./living-graph.js";
import type { GraphContext, LoadedProject } from "./project-loader.js";
import { warmStart } from "./warm-start.js";

export { resolveSelector, type SelectorResolution } from "./selectors.js";

/**
 * The graph stages in the order the commands use them: load the project,
 * build (or read) the graph, compile and bind a CDL file, export. Nothing
 * here prints; diagnostics come back with the source texts they point into
 * (CDL files, and the program files of related locations). This module does
 * not load TypeScript: an unchanged project is read back from the cache
 * (warm-start.ts), and the compiler is imported only when it is needed.
 */

export interface GraphRunOptions {
  /** Working directory: paths are resolved against it and shown relative to it. */
  cwd: string;
  host: CompilerHost;
  onProgress?: GraphContext["onProgress"];
  /** Read and write `.cdl/cache/` (default true). */
  cache?: boolean;
  /**
   * Check alternatives and workload exports against the program's types
   * (default true). `record` only needs the nodes and flows, and skips the
   * type checker, which is most of its start-up when the graph is cached.
   */
  typeChecks?: boolean;
}

export interface GraphRun {
  /** The tsconfig the graph is of (absolute); set even when the graph came from the cache. */
  configPath: string;
  /** The loaded program; undefined when the cache answered and no type check was needed. */
  project: LoadedProject | undefined;
  graph: LivingGraph | undefined;
  stats: BuildStats | undefined;
  model: ConstraintModel | undefined;
  binding: Binding | undefined;
  diagnostics: Diagnostic[];
  /** Texts by display path, for rendering diagnostics. */
  sources: Map<string, string>;
}

function contextFor(options: GraphRunOptions): GraphContext {
  const ctx: GraphContext = { displayPath: relativeDisplay(options.cwd) };
  if (options.onProgress !== undefined) ctx.onProgress = options.onProgress;
  return ctx;
}

/** Adds the text of every file a diagnostic points at (program files for related locations). */
function collectSources(diagnostics: readonly Diagnostic[], sources: Map<string, string>, options: GraphRunOptions): void {
  for (const d of diagnostics) {
    for (const loc of [d.location, ...(d.related ?? []).map((r) => r.location)]) {
      if (sources.has(loc.file)) continue;
      try {
        sources.set(loc.file, options.host.readFile(resolve(options.cwd, loc.file)));
      } catch {
        // Not readable: the diagnostic is shown without a snippet.
      }
    }
  }
}

/**
 * Builds the Living Graph of `tsconfig` and, when `cdlFile` is given, compiles
 * that file and binds its constraints to the graph. CDL errors stop before
 * binding (selectors are only bound in a valid file).
 */
export async function runGraph(tsconfig: string, cdlFile: string | undefined, options: GraphRunOptions): Promise<GraphRun> {
  const ctx = contextFor(options);
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  // A folder stands for its tsconfig.json.
  let configPath = resolve(options.cwd, tsconfig);
  if (existsSync(configPath) && statSync(configPath).isDirectory()) configPath = join(configPath, "tsconfig.json");
  const run: GraphRun = { configPath, project: undefined, graph: undefined, stats: undefined, model: undefined, binding: undefined, diagnostics, sources };

  if (cdlFile !== undefined) {
    const compiled = compileCdl(resolve(options.cwd, cdlFile), options.host);
    compiled.sources.forEach((text, file) => sources.set(file, text));
    diagnostics.push(...compiled.diagnostics);
    run.model = compiled.model;
    if (compiled.model === undefined || hasErrors(compiled.diagnostics)) {
      run.model = undefined;
      return finish(run, options);
    }
  }

  const warm = options.cache !== false && existsSync(configPath) ? warmStart(configPath, options.onProgress) : {};
  let project: LoadedProject | undefined;
  const load = async (): Promise<LoadedProject | undefined> => {
    if (project === undefined) {
      const { loadProject } = await import("./project-loader.js");
      const loaded = loadProject(configPath, ctx);
      diagnostics.push(...loaded.diagnostics);
      project = loaded.value;
      if (hasErrors(loaded.diagnostics)) project = undefined;
    }
    return project;
  };
  if (warm.graph !== undefined) {
    run.graph = warm.graph;
    run.stats = { files: warm.graph.files.length, cachedFiles: warm.graph.files.length, programCreated: false, cacheWritten: false };
  } else {
    const loaded = await load();
    run.project = loaded;
    if (loaded === undefined) return finish(run, options);
    const { buildGraph } = await import("./build-graph.js");
    const built = buildGraph(loaded, ctx, { cache: options.cache !== false, ...(warm.checked !== undefined ? { checked: warm.checked } : {}) });
    diagnostics.push(...built.diagnostics);
    run.graph = built.value.graph;
    run.stats = built.value.stats;
  }

  if (run.model !== undefined) {
    const model = run.model;
    const needsTypes = options.typeChecks !== false && (model.workloads.length > 0 || model.constraints.some((c) => c.algorithm.length > 0));
    let types;
    if (needsTypes) {
      const loaded = await load();
      run.project = loaded;
      const { createTypeQueries } = await import("./type-service.js");
      if (loaded !== undefined) types = createTypeQueries(loaded, model.workloads.map((w) => w.path));
    }
    options.onProgress?.("bind", 0, 1);
    const bound = bindConstraints(types === undefined ? { model, graph: run.graph } : { model, graph: run.graph, types }, ctx);
    options.onProgress?.("bind", 1, 1);
    diagnostics.push(...bound.diagnostics);
    run.binding = bound.value;
  }
  if (project !== undefined) (await import("./typescript.js")).saveCompilerCodeCache();
  return finish(run, options);
}

function finish(run: GraphRun, options: GraphRunOptions): GraphRun {
  run.diagnostics.splice(0, run.diagnostics.length, ...sortDiagnostics(run.diagnostics));
  collectSources(run.diagnostics, run.sources, options);
  return run;
}

export interface RenderOptions {
  format: GraphFormat;
  /** Cut the graph to the neighbourhood of this node id. */
  focus?: string;
  /** How many edges away from `focus` to keep (default 2). */
  depth?: number;
  metrics?: GraphMetrics;
  improvements?: ReadonlyMap<string, NodeImprovement>;
  title?: string;
}

/** Renders a built graph (with its constraints, when a CDL file was bound) in one format. */
export function renderGraph(run: Pick<GraphRun, "graph" | "model" | "binding">, options: RenderOptions): string {
  let graph = run.graph!;
  if (options.focus !== undefined) graph = neighbourhood(graph, options.focus, options.depth ?? 2);
  const attach = { ...(run.model !== undefined ? { model: run.model } : {}), ...(run.binding !== undefined ? { binding: run.binding } : {}), ...(options.metrics !== undefined ? { metrics: options.metrics } : {}), ...(options.improvements !== undefined ? { improvements: options.improvements } : {}) };
  switch (options.format) {
    case "json":
      return exportJson(graph, attach);
    case "dot":
      return exportDot(graph, run.binding);
    case "mermaid":
      return exportMermaid(graph, run.binding);
    case "html":
      return exportHtml(graph, { ...attach, title: options.title ?? `Living Graph: ${basename(graph.root)}` });
  }
}
