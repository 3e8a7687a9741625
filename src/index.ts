/**
 * The cdlc library API. Nothing here prints, reads `process` or exits; the
 * CLI (src/cli) is a thin shell over these functions. Heavy stages (the
 * Living Graph with ts-morph, measurement, mutation with Babel) are loaded
 * lazily by the functions that need them, so that checking a CDL file
 * alone starts fast.
 */
import { resolve } from "node:path";
import { compileCdl, formatCdl, parseCdl, toIr, type CompilerHost, type ConstraintIr, type ConstraintModel } from "./cdl/index.js";
import { catalog, createDiagnostic, fileStart, hasErrors, InternalError, type Diagnostic } from "./diagnostics/index.js";

export * from "./diagnostics/index.js";
export * from "./cdl/index.js";
export { VERSION } from "./version.js";

export interface CdlCheckResult {
  model: ConstraintModel | undefined;
  diagnostics: Diagnostic[];
  /** Source texts by display path, for rendering diagnostics. */
  sources: Map<string, string>;
}

/** Parses and checks a CDL file and its imports (no program needed). */
export function checkCdlFile(path: string, host: CompilerHost, cwd: string): CdlCheckResult {
  return compileCdl(resolve(cwd, path), host);
}

/** Compiles a CDL file to the JSON IR; the IR is undefined when there are errors. */
export function compileCdlFile(path: string, host: CompilerHost, cwd: string): CdlCheckResult & { ir: ConstraintIr | undefined } {
  const result = checkCdlFile(path, host, cwd);
  const failed = result.model === undefined || hasErrors(result.diagnostics);
  return { ...result, ir: failed ? undefined : toIr(result.model!) };
}

export interface FormatResult {
  /** The canonical text, or undefined when the file has syntax errors. */
  formatted: string | undefined;
  original: string;
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

/** Formats one CDL file (imports are not followed). */
export function formatCdlFile(path: string, host: CompilerHost, cwd: string): FormatResult {
  const absolute = resolve(cwd, path);
  const display = host.displayPath(absolute);
  let text: string;
  try {
    text = host.readFile(absolute);
  } catch (e) {
    const d = createDiagnostic(catalog.input.unreadableFile, { path: display, reason: (e as Error).message }, fileStart(display));
    return { formatted: undefined, original: "", diagnostics: [d], sources: new Map() };
  }
  const parsed = parseCdl(text, display);
  const sources = new Map([[display, text]]);
  const syntaxErrors = parsed.diagnostics.filter((d) => d.severity === "error");
  if (syntaxErrors.length > 0) return { formatted: undefined, original: text, diagnostics: parsed.diagnostics, sources };
  return { formatted: formatCdl(parsed.ast, text), original: text, diagnostics: parsed.diagnostics, sources };
}

// ---------------------------------------------------------------------------
// Living Graph. ts-morph is heavy: these wrappers load src/graph on first
// use, so that `cdlc check FILE` without `--project` never loads it. Only
// types are re-exported statically (they vanish at run time).
// ---------------------------------------------------------------------------

export type {
  GraphNode, GraphEdge, LivingGraph, NodeKind, EdgeKind, CallSite, Binding, BoundConstraint, BoundFlow, BuildStats,
  GraphRun, GraphRunOptions, GraphFormat, RenderOptions, JsonGraph, JsonGraphNode, JsonGraphEdge, GraphMetrics, SelectorResolution,
} from "./graph/index.js";

export { graphFormats } from "./graph/formats.js";

// The pipeline entry does not import TypeScript itself: a warm start from the
// graph cache never loads it.
type GraphModule = typeof import("./graph/pipeline.js");
let graphModule: Promise<GraphModule> | undefined;
function loadGraphModule(): Promise<GraphModule> {
  graphModule ??= import("./graph/pipeline.js");
  return graphModule;
}

/**
 * Builds the Living Graph of the program of `tsconfig` (relative to
 * `options.cwd`), and binds the constraints of `cdlFile` to it when given.
 */
export async function buildLivingGraph(
  tsconfig: string,
  cdlFile: string | undefined,
  options: import("./graph/index.js").GraphRunOptions,
): Promise<import("./graph/index.js").GraphRun> {
  const graph = await loadGraphModule();
  return graph.runGraph(tsconfig, cdlFile, options);
}

/** Renders a graph built by `buildLivingGraph` as JSON, DOT, Mermaid or HTML. */
export async function renderLivingGraph(
  run: Pick<import("./graph/index.js").GraphRun, "graph" | "model" | "binding">,
  options: import("./graph/index.js").RenderOptions,
): Promise<string> {
  const graph = await loadGraphModule();
  return graph.renderGraph(run, options);
}

/** Resolves a selector (or a node id) against a built graph, as `constraint` selectors are. */
export async function resolveGraphSelector(
  graph: import("./graph/index.js").LivingGraph,
  selector: import("./cdl/selector.js").ParsedSelector,
): Promise<import("./graph/index.js").SelectorResolution> {
  const mod = await loadGraphModule();
  return mod.resolveSelector(graph, selector);
}

/** `cdlc check FILE --project TSCONFIG`: the CDL checks plus binding every selector to the program. */
export async function checkCdlFileWithProject(
  path: string,
  tsconfig: string,
  host: CompilerHost,
  cwd: string,
  options: Omit<import("./graph/index.js").GraphRunOptions, "cwd" | "host"> = {},
): Promise<CdlCheckResult & { run: import("./graph/index.js").GraphRun }> {
  const run = await buildLivingGraph(tsconfig, path, { ...options, cwd, host });
  return { model: run.model, diagnostics: run.diagnostics, sources: run.sources, run };
}

// ---------------------------------------------------------------------------
// Measurement. The monitor runs user code in child processes and decides
// every bound with statistics; it and the report renderers load on first use.
// ---------------------------------------------------------------------------

export type { MeasureReport, BoundResult, NodeMeasurement, EdgeMeasurement, Comparison, Verdict, Environment } from "./measure/types.js";
export type { MonitorOptions } from "./measure/monitor.js";
export { currentEnvironment, describeEnvironment } from "./measure/environment.js";
export type { ProgressState } from "./measure/decide/progress-state.js";
export type { ReportOptions } from "./report/index.js";
export type { ReportFormat } from "./report/formats.js";

export { reportFormats } from "./report/formats.js";

/**
 * Measures every constrained node of a bound program (from
 * `checkCdlFileWithProject`) on its workload and decides every bound.
 */
export async function measureProject(
  run: import("./graph/index.js").GraphRun,
  options: import("./measure/monitor.js").MonitorOptions,
): Promise<import("./measure/types.js").MeasureReport> {
  if (run.model === undefined || run.graph === undefined || run.binding === undefined) {
    throw new InternalError("measureProject needs a program with its constraints bound");
  }
  const monitor = await import("./measure/monitor.js");
  return monitor.measureConstraints(
    { model: run.model, graph: run.graph, binding: run.binding, diagnostics: run.diagnostics, tsconfig: run.configPath },
    options,
  );
}

/** Renders a measurement report in one format. */
export async function renderMeasureReport(
  format: import("./report/index.js").ReportFormat,
  report: import("./measure/types.js").MeasureReport,
  options: import("./report/index.js").ReportOptions = {},
): Promise<string> {
  const reports = await import("./report/index.js");
  return reports.renderReport(format, report, options);
}

/** Whether a report fails the run: an error diagnostic, or a violated bound of severity error (with `strict`, any undecided one too). */
export async function measureFails(report: import("./measure/types.js").MeasureReport, strict = false): Promise<boolean> {
  const format = await import("./report/format.js");
  return format.reportFails(report, strict);
}

/** Compares a report's nodes with a baseline report's stored samples (see `cdlc bench --baseline`). */
export async function compareWithBaseline(
  current: import("./measure/types.js").MeasureReport,
  baseline: import("./measure/types.js").MeasureReport,
  options: import("./measure/decide/index.js").StoredCompareOptions = {},
): Promise<import("./measure/types.js").Comparison[]> {
  const decide = await import("./measure/decide/baseline.js");
  return decide.compareToBaseline(current, baseline, options);
}

export type { CalibrationResult } from "./measure/decide/calibrate.js";

/** `cdlc calibrate`: A/A experiments on this machine (see src/measure/calibration.ts). */
export async function calibrateMachine(
  options: import("./measure/calibration.js").MachineCalibrationOptions,
): Promise<import("./measure/decide/calibrate.js").CalibrationResult> {
  const calibration = await import("./measure/calibration.js");
  return calibration.calibrateMachine(options);
}

/** Metrics of a measurement report in the shape `renderLivingGraph` attaches to nodes and edges. */
export async function graphMetricsOf(
  graph: import("./graph/index.js").LivingGraph,
  report: import("./measure/types.js").MeasureReport,
): Promise<import("./graph/index.js").GraphMetrics> {
  const { graphMetricsFromReport } = await import("./measure/graph-metrics.js");
  return graphMetricsFromReport(report, graph);
}

// ---------------------------------------------------------------------------
// Recordings (`cdlc record`): bounds decided, and graph metrics, on the calls
// a user's own command made. Loaded on first use.
// ---------------------------------------------------------------------------

export type { Recording } from "./record/recording.js";
export type { RecordedReport, RecordedBoundResult, RecordingSummary } from "./record/decide-recorded.js";

/** Reads a recording and checks every record in it; a file that is not one is a `RecordingError` (src/record/recording.ts) saying why. */
export async function readRecordingFile(path: string): Promise<import("./record/recording.js").Recording> {
  const [{ readRecording }, { checkRecordedHistograms }] = await Promise.all([import("./record/recording.js"), import("./record/decide-recorded.js")]);
  const recording = readRecording(path);
  checkRecordedHistograms(recording, path);
  return recording;
}

/**
 * `cdlc check --recording`: decides every bound of a bound program (from
 * `checkCdlFileWithProject`) on the calls of a recording, with the
 * statistics and error control of `measureProject`.
 */
export async function decideOnRecording(
  run: import("./graph/index.js").GraphRun,
  recording: import("./record/recording.js").Recording,
  options: import("./record/decide-recorded.js").RecordedOptions,
): Promise<import("./record/decide-recorded.js").RecordedReport> {
  if (run.graph === undefined || run.binding === undefined) throw new InternalError("decideOnRecording needs a program with its constraints bound");
  const { recordedReport } = await import("./record/decide-recorded.js");
  return recordedReport({ graph: run.graph, binding: run.binding, diagnostics: run.diagnostics }, recording, options);
}

/** A recording's metrics in the shape `renderLivingGraph` attaches; `results` decided on it add each node's verdicts. */
export async function graphMetricsOfRecording(
  graph: import("./graph/index.js").LivingGraph,
  recording: import("./record/recording.js").Recording,
  results?: readonly import("./measure/types.js").BoundResult[],
): Promise<import("./graph/index.js").GraphMetrics> {
  const { graphMetricsFromRecording } = await import("./record/graph-recording.js");
  return graphMetricsFromRecording(recording, graph, results);
}

// ---------------------------------------------------------------------------
// Mutation. Babel is heavy: the engine loads on first use.
// ---------------------------------------------------------------------------

export type { MutationTarget, Variant, NotApplied, TargetVariants, Operator, Rewrite, Edit } from "./mutate/types.js";
export type { VariantOptions } from "./mutate/engine.js";

/**
 * Every variant the mutation engine makes of each constrained node of a
 * bound program (from `checkCdlFileWithProject`), and for each allowed
 * operator that made none, why. `nodes` limits it to those node ids.
 * Variants are proposals: nothing here has checked that they behave like
 * the original.
 */
export async function listVariants(
  run: import("./graph/index.js").GraphRun,
  options: import("./mutate/engine.js").VariantOptions & { nodes?: readonly string[] } = {},
): Promise<(import("./mutate/types.js").TargetVariants & { unavailable?: string })[]> {
  if (run.graph === undefined || run.binding === undefined) throw new InternalError("listVariants needs a program with its constraints bound");
  const [{ mutationTargets }, { generateVariants }] = await Promise.all([import("./mutate/targets.js"), import("./mutate/engine.js")]);
  const targets = mutationTargets(run.graph, run.binding).filter((t) => options.nodes === undefined || options.nodes.includes(t.node));
  return targets.map((t) => generateVariants(t, options));
}

// ---------------------------------------------------------------------------
// The equivalence oracle. It runs user code in child processes.
// ---------------------------------------------------------------------------

export type { OracleReport, OracleOptions } from "./shadow/oracle.js";
export type { Verdict as EquivalenceVerdict, VerdictKind, Difference, CaseOrigin, CanaryOutcome, Strength } from "./shadow/types.js";

/**
 * The oracle's verdict on each listed variant (from `listVariants`), node by
 * node, with the canaries that measured it. `run` must hold the bound
 * program (from `checkCdlFileWithProject`). Nothing is accepted here: an
 * `equivalent` verdict only counts where the report is `trusted`.
 */
export async function checkVariants(
  run: import("./graph/index.js").GraphRun,
  listed: readonly import("./mutate/types.js").TargetVariants[],
  options: import("./shadow/oracle.js").OracleOptions & { cwd: string; onNode?: (node: string, index: number, total: number) => void },
): Promise<import("./shadow/oracle.js").OracleReport[]> {
  if (run.graph === undefined || run.binding === undefined || run.model === undefined) throw new InternalError("checkVariants needs a program with its constraints bound");
  const [{ mutationTargets }, { checkNodes }, { loadProject }] = await Promise.all([import("./mutate/targets.js"), import("./shadow/check-nodes.js"), import("./graph/project-loader.js")]);
  const project = run.project ?? loadProject(run.configPath, { displayPath: (p) => p }).value;
  if (project === undefined) throw new InternalError(`cannot load the program of ${run.configPath} again`);
  const targets = mutationTargets(run.graph, run.binding);
  return checkNodes({ model: run.model, graph: run.graph, binding: run.binding, project, tsconfig: run.configPath, cwd: options.cwd }, targets, listed, options);
}

// ---------------------------------------------------------------------------
// Versions: the store under .cdl/ (staged, applied, rolled back; the archive). Node's fs only.
// ---------------------------------------------------------------------------

export * from "./versions/index.js";

// ---------------------------------------------------------------------------
// The optimizer: measure → variants → oracle → speed gate → version.
// ---------------------------------------------------------------------------

export type { OptimizeOptions, OptimizeProgress } from "./optimize/optimize.js";
export type { OptimizeResult, NodeOutcome, NodeStatus, Speedup, Figure, AcceptedVariant } from "./optimize/types.js";

/**
 * `cdlc optimize` as a library: finds the nodes that break their budgets,
 * keeps only variants that behave identically and are significantly faster
 * on held-out cases, and stages, applies or writes them out as a version.
 * `run` must hold the bound program (from `checkCdlFileWithProject`).
 * Returns what the CLI renders; never prints or exits.
 */
export async function optimize(run: import("./graph/index.js").GraphRun, options: import("./optimize/optimize.js").OptimizeOptions): Promise<import("./optimize/types.js").OptimizeResult> {
  const { optimize: optimizeProgram } = await import("./optimize/optimize.js");
  return optimizeProgram(run, options);
}

/** The formats `cdlc optimize` prints and writes. */
export const optimizeFormats = ["pretty", "json", "markdown", "junit", "sarif", "html"] as const;

/** Renders an optimize result in one of {@link optimizeFormats}. */
export async function renderOptimizeResult(result: import("./optimize/types.js").OptimizeResult, format: (typeof optimizeFormats)[number], options: { color: boolean; showDiff?: boolean }): Promise<string> {
  if (format === "json") return `${JSON.stringify(result, null, 2)}\n`;
  if (format === "pretty") return (await import("./report/optimize-pretty.js")).renderOptimizePretty(result, options);
  if (format === "html") return (await import("./report/optimize-html.js")).renderOptimizeHtml(result);
  const formats = await import("./report/optimize-formats.js");
  return format === "markdown" ? formats.renderOptimizeMarkdown(result) : format === "junit" ? formats.renderOptimizeJunit(result) : formats.renderOptimizeSarif(result);
}
