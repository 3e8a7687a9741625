import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { ConstraintModel } from "../cdl/model.js";
import { relativeDisplay } from "../cdl/host.js";
import type { Binding } from "../graph/bind.js";
import type { LivingGraph } from "../graph/living-graph.js";
import { toJsonDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { VERSION } from "../version.js";
import { DEFAULT_ALPHA } from "./decide/decide.js";
import { boundSpecsForFlow, boundSpecsForNode, type BoundSpec } from "./decide/spec.js";
import type { ProgressState } from "./decide/progress-state.js";
import { simpleNodeName, splitNodeId } from "../graph/node-ids.js";
import type { MeasureTarget } from "./sampler.js";
import { currentEnvironment } from "./environment.js";
import type { BoundResult, MeasureReport, SourcePosition } from "./types.js";

/**
 * The performance monitor: from constraints bound to the Living Graph to a
 * decided MeasureReport. It plans one measurement target per constrained
 * node (flows ride on their caller's target), runs them through the
 * child-process sampler with sequential sampling, and assembles the report.
 * Heavy modules (the sampler's build, the statistics) load on first use.
 */

export interface MonitorInput {
  model: ConstraintModel;
  graph: LivingGraph;
  binding: Binding;
  /** Diagnostics so far (CDL and binding), carried into the report. */
  diagnostics: readonly Diagnostic[];
  /** The tsconfig the graph was built from (absolute). */
  tsconfig: string;
}

export interface MonitorOptions {
  /** Working directory: report paths are relative to it. */
  cwd: string;
  command: MeasureReport["command"];
  /** Sampling budget per node, ms. */
  timeBudgetMs: number;
  alpha?: number;
  /** Wall-clock limit of one child run beyond its budget, ms. */
  timeoutMs?: number;
  /** `--max-old-space-size` of the child processes, MB. */
  maxOldSpaceMb?: number;
  onProgress?: (state: ProgressState) => void;
  /** Show this many of each node's cases as text on its measurement (`casesShown`), for `optimize --proposer`. */
  previewCases?: number;
}

/** What to measure: targets for the sampler, bounds to decide, and bounds known up front to be unmeasurable. */
export interface MeasurePlan {
  targets: MeasureTarget[];
  bounds: BoundSpec[];
  unmeasured: BoundResult[];
  declarations: Map<string, SourcePosition>;
}

/**
 * Plans the measurement of every bound node: one target per node, whose
 * workload export is the constraint's `workload:` (the first that sets one)
 * or the node's simple name, found in the CDL file's workload modules.
 * `pickWorkload` reads a module's exports (it loads TypeScript, so it is
 * passed in by the caller that already paid for it).
 */
export function planMeasurement(input: MonitorInput, cwd: string, pickWorkload: (modules: string[], name: string) => string | undefined): MeasurePlan {
  const { model, graph, binding } = input;
  const modules = model.workloads.map((w) => w.path);
  const display = relativeDisplay(cwd);
  const declarations = new Map<string, SourcePosition>();
  const declarationOf = (id: string): SourcePosition | undefined => {
    const node = graph.nodes.get(id);
    if (node === undefined) return undefined;
    const known = declarations.get(id);
    if (known !== undefined) return known;
    const position = { file: display(resolve(graph.root, node.file)), line: node.line, column: node.column };
    declarations.set(id, position);
    return position;
  };

  // The workload export of each node: the first constraint that names one wins.
  const exportOf = new Map<string, string>();
  for (const bc of binding.constraints) {
    for (const id of bc.nodes) {
      if (bc.spec.workload !== undefined && !exportOf.has(id)) exportOf.set(id, bc.spec.workload.name);
    }
  }

  const targets = new Map<string, MeasureTarget>();
  const unmeasured: BoundResult[] = [];
  const bounds: BoundSpec[] = [];
  const missing = new Map<string, string>();
  const targetFor = (id: string): MeasureTarget | undefined => {
    const known = targets.get(id);
    if (known !== undefined) return known;
    if (missing.has(id)) return undefined;
    const { file, name: qualifiedName } = splitNodeId(id);
    const workloadExport = exportOf.get(id) ?? simpleNodeName(qualifiedName);
    const workloadModule = modules.length === 0 ? undefined : pickWorkload(modules, workloadExport);
    if (workloadModule === undefined) {
      missing.set(id, modules.length === 0 ? "the CDL file names no workload module" : `no workload module exports \`${workloadExport}\``);
      return undefined;
    }
    const target: MeasureTarget = { node: id, file: resolve(graph.root, file), qualifiedName, workloadModule, workloadExport, edges: [] };
    targets.set(id, target);
    return target;
  };
  const add = (specs: BoundSpec[], id: string) => {
    if (targetFor(id) !== undefined) bounds.push(...specs);
    else for (const spec of specs) unmeasured.push({ ...spec, measured: null, interval: null, status: "unmeasured", samples: 0, reason: missing.get(id)! });
  };

  for (const bc of binding.constraints) {
    for (const id of bc.nodes) add(boundSpecsForNode(bc.spec, id, declarationOf(id)), id);
  }
  for (const bf of binding.flows) {
    for (const from of bf.from) {
      for (const to of bf.to) {
        const edge = { from, to };
        const target = targetFor(from);
        if (target !== undefined && !target.edges.some((e) => e.from === from && e.to === to)) target.edges.push(edge);
        add(boundSpecsForFlow(bf.spec, edge, declarationOf(from)), from);
      }
    }
  }
  return { targets: [...targets.values()], bounds, unmeasured, declarations };
}

/**
 * The files a build of a TypeScript program needs: the program's own, with
 * a declaration file (`legacy.d.ts`, which is all the program holds of a
 * plain JavaScript module when `allowJs` is off) replaced by the JavaScript
 * beside it, which is what runs.
 */
export function runtimeFilesOf(programFiles: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of programFiles) {
    const declaration = /\.d\.([cm]?)ts$/.exec(file);
    if (declaration === null) {
      out.push(file);
      continue;
    }
    const js = `${file.slice(0, -declaration[0].length)}.${declaration[1]}js`;
    if (existsSync(js)) out.push(js);
  }
  return out;
}

/** Runs per node that `cdlc bench` makes at least, as the time budget allows. */
const BENCH_MIN_RUNS = 4;

/** Measures every bound of a bound constraint model and decides it. */
export async function measureConstraints(input: MonitorInput, options: MonitorOptions): Promise<MeasureReport> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const environment = currentEnvironment();
  const { pickWorkloadModule } = await import("./workload-exports.js");
  const plan = planMeasurement(input, options.cwd, pickWorkloadModule);
  const { createProcessSampler } = await import("./sampler.js");
  const { runSequential } = await import("./decide/sequential.js");
  const sampler = createProcessSampler({
    projectRoot: input.graph.root,
    tsconfig: input.tsconfig,
    // What the program runs, and the workloads: not every file under the root.
    files: runtimeFilesOf([...input.graph.files.map((f) => resolve(input.graph.root, f)), ...input.model.workloads.map((w) => w.path)]),
    targets: plan.targets,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.maxOldSpaceMb !== undefined ? { maxOldSpaceMb: options.maxOldSpaceMb } : {}),
    ...(options.previewCases !== undefined ? { previewCases: options.previewCases } : {}),
  });
  try {
    const outcome = await runSequential(sampler, plan.targets, plan.bounds, {
      timeBudgetMs: options.timeBudgetMs,
      // A bench report is a later run's baseline, compared run by run (compareToBaseline):
      // it gets several runs even when its bounds are decided after the first.
      // Memory samples too: a bench report describes its nodes whole.
      ...(options.command === "bench" ? { minLooks: BENCH_MIN_RUNS, memoryForAll: true } : {}),
      ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
      declarations: plan.declarations,
      ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
    });
    return {
      version: 1,
      tool: { name: "cdlc", version: VERSION },
      command: options.command,
      startedAt,
      durationMs: Date.now() - started,
      alpha: options.alpha ?? DEFAULT_ALPHA,
      environment,
      diagnostics: input.diagnostics.map(toJsonDiagnostic),
      results: [...outcome.results, ...plan.unmeasured],
      nodes: outcome.nodes,
      edges: outcome.edges,
      settings: outcome.settings,
    };
  } finally {
    await sampler.close();
  }
}
