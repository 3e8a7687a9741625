import { randomUUID } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { GraphRun } from "../graph/index.js";
import type { LoadedProject } from "../graph/project-loader.js";
import { toIr } from "../cdl/compile.js";
import { InternalError } from "../diagnostics/errors.js";
import { DEFAULT_ALPHA } from "../measure/decide/decide.js";
import { evaluateBound } from "../measure/decide/evidence.js";
import type { BoundSpec } from "../measure/decide/spec.js";
import { measureConstraints, planMeasurement, runtimeFilesOf, type MonitorInput } from "../measure/monitor.js";
import { createProcessSampler, type MeasureTarget } from "../measure/sampler.js";
import { loadCompilerOptions } from "../measure/transpile.js";
import type { BoundResult, MeasureReport } from "../measure/types.js";
import { pickWorkloadModule } from "../measure/workload-exports.js";
import type { TargetVariants, Variant } from "../mutate/types.js";
import type { OracleReport } from "../shadow/oracle.js";
import { variantBodies } from "../shadow/schemata.js";
import { appendArchive, applyVersion, rollbackTo, stageVersion } from "../versions/index.js";
import { AttemptLog } from "./attempts.js";
import { runGate, type GateDecision, type GateNode } from "./gate.js";
import { positionOf } from "../util/text-position.js";
import { changedSpan, mergeChanges } from "./merge.js";
import { checkOutDir, runTestCommand, writeOutDir } from "./output.js";
import { pickNodes } from "./pick.js";
import { CASES_SHOWN } from "../propose/request.js";
import { collectProposals, PROPOSER_DEFAULTS, settleRecords } from "./proposals.js";
import { splitCases } from "./splits.js";
import type { Figure, NodeOutcome, OptimizeResult, ProposerRecord } from "./types.js";

/**
 * `cdlc optimize`, as a library: measure → pick the violating nodes →
 * variants (within the risk allowed) → the equivalence oracle (trusted nodes
 * only) → the speed gate on train, validation and test cases → the accepted
 * variants merged per file → a version (staged, applied, or written out),
 * and every attempt archived. It never prints or exits; `onProgress` says
 * what it is doing.
 */

export interface OptimizeOptions {
  /** Working directory (report paths are relative to it). */
  cwd: string;
  mode: "staged" | "out" | "applied";
  outDir?: string;
  /** The whole run's budget, ms. */
  budgetMs: number;
  /** Measurement budget per node, ms (default: 5 s, less when the run's budget is short). */
  timeBudgetMs?: number;
  alpha?: number;
  /** Every constrained node, not only the violating ones. */
  all?: boolean;
  /** Only these node ids. */
  nodes?: readonly string[];
  /** Variants riskier than this are not tried (default {@link DEFAULT_MAX_RISK}). */
  maxRisk?: number;
  /** Generated inputs per node for the oracle, and their seed. */
  inputs?: number;
  /** Oracle children at once (default 1); timing runs one at a time whatever this is. */
  concurrency?: number;
  seed?: number;
  /** The project's own test command, run where the optimized program is. */
  testCommand?: string;
  timeoutMs?: number;
  maxOldSpaceMb?: number;
  onProgress?: (event: OptimizeProgress) => void;
  /** `--recording`: argument lists recorded per node id (src/measure/case-encoding.ts); they join the node's cases. */
  recorded?: ReadonlyMap<string, string[]>;
  /** `--proposer CMD` (repeatable): outside proposers whose candidates join the operators' variants. */
  proposers?: readonly string[];
  /** How long a proposer may take to answer, ms (default 60 s). */
  proposerTimeoutMs?: number;
  /** Times each proposer is asked about a node still without an accepted variant, told the verdicts of its earlier candidates (default 1). */
  proposerRounds?: number;
}

export interface OptimizeProgress {
  stage: "measure" | "variants" | "propose" | "oracle" | "train" | "validation" | "test" | "version" | "test-command";
  node?: string;
  message: string;
}

/** Variants up to this risk are tried by default: every operator's exact forms and those whose assumptions testing confirms (memoize is 0.6). */
export const DEFAULT_MAX_RISK = 0.5;

export async function optimize(run: GraphRun, options: OptimizeOptions): Promise<OptimizeResult> {
  const started = performance.now();
  if (run.graph === undefined || run.binding === undefined || run.model === undefined) throw new InternalError("optimize needs a program with its constraints bound");
  const root = run.graph.root;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const maxRisk = options.maxRisk ?? DEFAULT_MAX_RISK;
  const progress = (stage: OptimizeProgress["stage"], message: string, node?: string) => options.onProgress?.({ stage, message, ...(node !== undefined ? { node } : {}) });
  const log = new AttemptLog(randomUUID());
  // Each proposer's record (`--proposer`); set once the proposers were asked.
  let proposers: ProposerRecord[] | undefined;
  // The program, loaded again for the oracle when it first runs; the canaries planted and caught.
  let project: LoadedProject | undefined;
  let injected = 0;
  let caught = 0;
  const input: MonitorInput = { model: run.model, graph: run.graph, binding: run.binding, diagnostics: run.diagnostics, tsconfig: run.configPath };
  const constrained = [...run.binding.byNode.keys()].filter((id) => run.graph!.nodes.has(id));
  // Bad options are found before minutes of measuring, not after.
  if (options.mode === "out") checkOutDir(root, options.outDir ?? "");

  // 1. Measure.
  const timeBudgetMs = options.timeBudgetMs ?? Math.max(500, Math.min(5_000, (options.budgetMs * 0.25) / Math.max(1, constrained.length)));
  progress("measure", `measuring ${constrained.length} constrained nodes (${(timeBudgetMs / 1000).toFixed(1)} s each at most)`);
  // Proposers are shown a few of each node's cases: the measurement child, which runs the workload anyway, writes them out.
  const previewCases = options.proposers !== undefined && options.proposers.length > 0 ? CASES_SHOWN : undefined;
  const report = await measureConstraints(input, { cwd: options.cwd, command: "check", timeBudgetMs, alpha, ...limitsOf(options), ...(previewCases !== undefined ? { previewCases } : {}) });
  const picked = pickNodes(report, constrained, { ...(options.all !== undefined ? { all: options.all } : {}), ...(options.nodes !== undefined ? { nodes: options.nodes } : {}) });
  const outcomes = new Map<string, NodeOutcome>(picked.map((p) => [p.node, { node: p.node, violated: p.violated, attempts: 0, status: "skipped", reason: "the mutation engine has no target for it", ...beforeOf(report, p.node) }]));
  if (picked.length === 0) return finish([], null);

  // 2. Variants, within the risk allowed.
  progress("variants", `generating variants for ${picked.length} node${picked.length === 1 ? "" : "s"}`);
  const [{ mutationTargets }, { generateVariants }, { checkNodes }, { loadProject }] = await Promise.all([
    import("../mutate/targets.js"),
    import("../mutate/engine.js"),
    import("../shadow/check-nodes.js"),
    import("../graph/project-loader.js"),
  ]);
  const targets = mutationTargets(run.graph, run.binding);
  const analysed = new Map(targets.map((t) => [t.node, t.source]));
  const listed = picked.map((p) => targets.find((t) => t.node === p.node)).filter((t) => t !== undefined).map((t) => generateVariants(t));
  // Outside proposers: their candidates join each node's variants, to be judged with them.
  if (options.proposers !== undefined && options.proposers.length > 0) proposers = await propose(listed);
  const tried: TargetVariants[] = [];
  for (const t of listed) {
    const o = outcomes.get(t.node)!;
    delete o.reason;
    o.attempts = t.variants.length;
    const allowed = withinRisk(t);
    if (t.variants.length === 0) {
      o.status = "no-variant";
      o.reason = t.unavailable ?? "no operator applied";
      o.reasons = t.notApplied.map((n) => ({ operator: n.operator, reason: n.reason }));
    } else if (allowed.length === 0) {
      o.status = "no-variant";
      o.reason = `every variant's risk is above --max-risk ${maxRisk}`;
    } else tried.push({ ...t, variants: allowed });
  }
  const chosen = new Map<string, Variant>();
  await judge(tried);

  // Later rounds (`--proposer-rounds`): the proposers are asked again about the nodes still without
  // an accepted variant, told what became of their candidates; the new ones are judged the same way.
  for (let round = 2; proposers !== undefined && round <= (options.proposerRounds ?? 1); round++) {
    if (performance.now() - started > options.budgetMs * 0.75) {
      progress("propose", `no time left in the budget for round ${round} of the proposers`);
      break;
    }
    const open = listed.filter((t) => !chosen.has(t.node) && outcomes.get(t.node)!.status !== "skipped");
    if (open.length === 0) break;
    const before = new Map(open.map((t) => [t.node, Math.max(0, ...t.variants.map((v) => v.id))]));
    await propose(open, round);
    const fresh: TargetVariants[] = [];
    for (const t of open) {
      const added = t.variants.filter((v) => v.id > before.get(t.node)!);
      outcomes.get(t.node)!.attempts = t.variants.length;
      const allowed = withinRisk({ ...t, variants: added });
      if (allowed.length > 0) fresh.push({ ...t, variants: allowed });
    }
    if (fresh.length === 0) continue;
    await judge(fresh);
  }
  // 5. The version: accepted variants merged per file.
  const files = new Map<string, { before: string; changes: { node: string; source: string }[] }>();
  for (const [node, v] of chosen) {
    const path = node.slice(0, node.indexOf("#"));
    // The text the variants were made from: staging refuses if the file has changed since.
    const entry = files.get(path) ?? { before: analysed.get(node) ?? readFileSync(resolve(root, path), "utf8"), changes: [] };
    entry.changes.push({ node, source: v.source });
    files.set(path, entry);
  }
  const changed = new Map<string, { before: string; after: string }>();
  for (const [path, f] of files) {
    const merged = mergeChanges(f.before, f.changes);
    for (const r of merged.refused) {
      const o = outcomes.get(r.node)!;
      o.status = "skipped";
      o.reason = r.reason;
      delete o.accepted;
    }
    if (merged.taken.length > 0) changed.set(path, { before: f.before, after: merged.text });
  }
  appendArchive(root, log.entries);
  const nodes = [...outcomes.values()];
  if (proposers !== undefined) settleRecords(proposers, nodes, listed.flatMap((t) => t.variants));
  if (changed.size === 0) return finish(nodes, null);

  progress("version", options.mode === "out" ? `writing the optimized program to ${options.outDir}` : `staging a version of ${changed.size} file${changed.size === 1 ? "" : "s"}`);
  const taken = nodes.filter((n) => n.accepted !== undefined);
  // The project's own tests told the optimized program apart from the original: its changes are undone.
  const testsFailed = (test: NonNullable<OptimizeResult["test"]>, what: string) => {
    for (const n of taken) log.variant(n.node, { id: n.accepted!.id, parent: n.accepted!.parent, operators: n.accepted!.operators as Variant["operators"], risk: n.accepted!.risk }, "not-equivalent", `the project's tests (\`${test.command}\`) failed (exit ${test.exitCode}) on the optimized program: ${what}`);
    appendArchive(root, log.entries.splice(0));
  };
  if (options.mode === "out") {
    const outDir = resolve(options.outDir!);
    writeOutDir(root, outDir, new Map([...changed].map(([p, f]) => [p, f.after])));
    const result = finish(nodes, null);
    result.outDir = outDir;
    if (options.testCommand !== undefined) {
      progress("test-command", `running ${options.testCommand} in ${outDir}`);
      result.test = await runTestCommand(options.testCommand, outDir);
      if (!result.test.passed) {
        rmSync(outDir, { recursive: true, force: true });
        testsFailed(result.test, `${outDir} was removed`);
      }
    }
    return result;
  }
  const manifest = stageVersion(root, { files: [...changed].map(([path, f]) => ({ path, before: f.before, after: f.after })), nodes: taken });
  const result = finish(nodes, manifest.version);
  if (options.mode === "applied") {
    progress("version", `applying version ${manifest.version}`);
    applyVersion(root, manifest.version);
    if (options.testCommand !== undefined) {
      progress("test-command", `running ${options.testCommand}`);
      result.test = await runTestCommand(options.testCommand, root);
      if (!result.test.passed) {
        const undone = rollbackTo(root, manifest.parent ?? 0);
        testsFailed(result.test, `version ${manifest.version} was rolled back${undone !== undefined ? ` (version ${undone.version})` : ""}`);
      }
    }
  }
  return result;

  function finish(list: NodeOutcome[], version: number | null): OptimizeResult {
    return { version, mode: options.mode, budget: options.budgetMs, elapsedMs: Math.round(performance.now() - started), canaries: { injected, caught }, nodes: list, ...(proposers !== undefined ? { proposers } : {}) };
  }

  /** The variants a node may try (within --max-risk); the others are archived as too risky. */
  function withinRisk(t: TargetVariants): Variant[] {
    for (const v of t.variants.filter((v) => v.risk > maxRisk)) log.variant(t.node, v, "too-risky", `risk ${v.risk} is above --max-risk ${maxRisk}`);
    return t.variants.filter((v) => v.risk <= maxRisk);
  }

  /**
   * 3 and 4: the oracle (equivalence on every case, canaries in the same
   * run), then the speed gate on the equivalent ones; every verdict
   * archived, each node's outcome updated, an accepted variant kept in
   * `chosen`.
   */
  async function judge(tried: readonly TargetVariants[]): Promise<void> {
    if (tried.length === 0) return;
    project ??= run.project ?? loadProject(run.configPath, { displayPath: (p) => p }).value;
    if (project === undefined) throw new InternalError(`cannot load the program of ${run.configPath} again`);
    const checkInput = { model: run.model!, graph: run.graph!, binding: run.binding!, project, tsconfig: run.configPath, cwd: options.cwd };
    const reports = await checkNodes(checkInput, targets, tried, {
      ...(options.inputs !== undefined ? { generated: options.inputs } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.recorded !== undefined ? { recorded: options.recorded } : {}),
      onNode: (node, i, total) => progress("oracle", `testing the variants of ${node} for equivalence (${i + 1}/${total})`, node),
    });
    const gateInputs: { node: string; variants: Variant[]; report: OracleReport }[] = [];
    for (const r of reports) {
      const t = tried.find((x) => x.node === r.node)!;
      log.oracle(r.node, t.variants, r);
      injected += r.strength.injected;
      caught += r.strength.caught;
      const equivalent = r.verdicts.filter((v) => v.kind === "equivalent").map((v) => t.variants.find((x) => x.id === v.variant)!);
      const o = outcomes.get(r.node)!;
      o.checkedOn = r.cases;
      if (equivalent.length === 0) {
        o.status = "no-equivalent-variant";
        o.reason = r.untestable ?? `the oracle rejected every variant: ${r.verdicts.map((v) => `#${v.variant} ${v.kind}`).join(", ")}`;
      } else if (!r.trusted) {
        o.status = "no-equivalent-variant";
        o.reason = `the oracle is not trusted on this node (${r.distrust ?? "a canary escaped"}), so its equivalent verdicts do not count`;
        for (const v of equivalent) log.variant(r.node, v, "canary-missed", o.reason);
      } else gateInputs.push({ node: r.node, variants: equivalent, report: r });
    }

    const decisions = gateInputs.length === 0 ? [] : await gate(run, input, options, report, gateInputs, outcomes, alpha, started, progress);
    for (const d of decisions) {
      const g = gateInputs.find((x) => x.node === d.node)!;
      const o = outcomes.get(d.node)!;
      for (const v of g.variants) {
        if (d.accepted && v.id === d.chosen) continue;
        const train = d.train.find((t) => t.id === v.id);
        // Not shown faster: compared and found wanting, or (out of budget) never timed, which the line says.
        const reason = d.outOfBudget === true && train === undefined ? d.reason : v.id === d.chosen ? d.reason : `on the train cases: ${train?.comparison.verdict ?? "not compared"} (${train !== undefined && Number.isFinite(train.comparison.change) ? `${(train.comparison.change * 100).toFixed(1)}% time` : "no estimate"})`;
        log.variant(d.node, v, "not-faster", reason, train !== undefined ? { measurements: { train: train.comparison } } : { notTimed: true });
      }
      if (!d.accepted) {
        o.status = d.outOfBudget === true ? "skipped" : "no-faster-variant";
        o.reason = d.reason;
        continue;
      }
      const v = g.variants.find((x) => x.id === d.chosen)!;
      log.variant(d.node, v, "accepted", d.reason, { measurements: { train: d.train.find((t) => t.id === v.id)?.comparison, validation: d.validation, test: d.test } });
      chosen.set(d.node, v);
      const path = d.node.slice(0, d.node.indexOf("#"));
      const original = analysed.get(d.node);
      const span = original === undefined ? undefined : changedSpan(original, v.source);
      delete o.reason;
      o.accepted = {
        id: v.id,
        operators: [...v.operators],
        risk: v.risk,
        diff: v.diff,
        parent: v.parent,
        ...(v.proposal !== undefined ? { proposal: v.proposal } : {}),
        ...(span !== undefined ? { fix: { path, start: positionOf(original!, span.start), end: positionOf(original!, span.end), text: span.text } } : {}),
      };
      o.speedup = d.speedup!;
      const after = afterOf(report, d);
      if (after !== undefined) o.after = after;
      if (o.samples !== undefined) o.samples.after = thinned((d.testRuns ?? []).flatMap((b) => b.timesNs));
      const stillFailing = (d.bounds ?? []).filter((b) => b.status === "fail");
      o.status = stillFailing.length === 0 ? "improved" : "improved-still-violating";
      if (stillFailing.length > 0) o.reason = `still violates ${stillFailing.map((b) => `${b.metric} ${b.op} ${b.limit} ${b.unit}`).join(", ")} on the validation cases`;
      if (d.speedup?.measuredOn === "not-held-out") o.hint = "the node has fewer than 3 workload cases, so none could be held out: add cases to its workload to get a speedup measured on cases that played no part in choosing";
    }
  }

  async function propose(listed: readonly TargetVariants[], round = 1): Promise<ProposerRecord[]> {
    const ir = toIr(run.model!);
    const nodes = listed.flatMap((t) => {
      const target = targets.find((x) => x.node === t.node);
      if (target === undefined) return [];
      const constraints = (run.binding!.byNode.get(t.node) ?? []).map((i) => ir.constraints[i]!);
      const recorded = options.recorded?.get(t.node);
      const workload = report.nodes.find((n) => n.node === t.node)?.casesShown;
      return [{ target, variants: t, constraints, outcome: outcomes.get(t.node)!, ...(recorded !== undefined ? { recorded } : {}), ...(workload !== undefined ? { workload } : {}) }];
    });
    progress("propose", `round ${round}: asking ${options.proposers!.length} proposer${options.proposers!.length === 1 ? "" : "s"} about ${nodes.length} node${nodes.length === 1 ? "" : "s"}`);
    return collectProposals(nodes, { ...PROPOSER_DEFAULTS, proposers: options.proposers!, cwd: root, timeoutMs: options.proposerTimeoutMs ?? PROPOSER_DEFAULTS.timeoutMs }, log, (message, node) => progress("propose", message, node), { round, ...(proposers !== undefined ? { records: proposers } : {}) });
  }
}

function limitsOf(o: OptimizeOptions): { timeoutMs?: number; maxOldSpaceMb?: number } {
  return { ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}), ...(o.maxOldSpaceMb !== undefined ? { maxOldSpaceMb: o.maxOldSpaceMb } : {}) };
}

/** The node's first execution-time bound as measured before: the figure "before", its limit and samples. */
function beforeOf(report: MeasureReport, node: string): Pick<NodeOutcome, "before" | "limitNs" | "samples"> {
  const r = report.results.find((x) => x.node === node && x.metric === "execution_time" && x.edge === undefined && x.measured !== null && x.interval !== null);
  if (r === undefined) return {};
  const times = report.nodes.find((n) => n.node === node)?.timesNs ?? [];
  return { before: { metric: "execution_time", statistic: r.percentile ?? "p95", value: r.measured!, interval: r.interval!, unit: "ns", cases: "all" }, limitNs: r.limit, samples: { before: thinned(times), after: [] } };
}

/** At most `max` values, evenly spaced through `values` (plots need the shape, not every sample). */
function thinned(values: readonly number[], max = 2_000): number[] {
  if (values.length <= max) return [...values];
  const step = values.length / max;
  return Array.from({ length: max }, (_, i) => values[Math.floor(i * step)]!);
}

/** The accepted variant's figure on the test cases, for the same statistic as "before". */
function afterOf(report: MeasureReport, d: GateDecision): Figure | undefined {
  const r = report.results.find((x) => x.node === d.node && x.metric === "execution_time" && x.edge === undefined);
  if (r === undefined || d.testRuns === undefined || d.testRuns.length === 0) return undefined;
  const ev = evaluateBound(r as BoundSpec, d.testRuns);
  if (ev === undefined) return undefined;
  const tail = (1 - (r.confidence ?? 0.99)) / 2;
  return { metric: "execution_time", statistic: r.percentile ?? "p95", value: ev.measured, interval: ev.interval(tail, tail), unit: "ns", cases: "test" };
}

/** Builds the measurement targets with the candidates hosted, splits the cases, and runs the gate. */
async function gate(
  run: GraphRun,
  input: MonitorInput,
  options: OptimizeOptions,
  report: MeasureReport,
  inputs: readonly { node: string; variants: Variant[]; report: OracleReport }[],
  outcomes: Map<string, NodeOutcome>,
  alpha: number,
  started: number,
  progress: (stage: OptimizeProgress["stage"], message: string, node?: string) => void,
): Promise<GateDecision[]> {
  const graph = run.graph!;
  const plan = planMeasurement(input, options.cwd, pickWorkloadModule);
  const compilerOptions = loadCompilerOptions(graph.root, run.configPath);
  const nodes: GateNode[] = [];
  for (const g of inputs) {
    const target = plan.targets.find((t) => t.node === g.node);
    const workloadCases = g.report.cases.workload ?? 0;
    const recorded = options.recorded?.get(g.node) ?? [];
    const cases = workloadCases + recorded.length;
    const o = outcomes.get(g.node)!;
    if (target === undefined || cases === 0) {
      o.status = "skipped";
      o.reason = "the node has no workload cases to time its variants on";
      continue;
    }
    const original = readFileSync(target.file, "utf8");
    const rel = relative(graph.root, target.file).split("\\").join("/");
    const hosted = variantBodies(rel, target.qualifiedName, original, g.variants.map((v) => v.source), compilerOptions);
    const bodies: string[] = [];
    const candidates: GateNode["candidates"] = [];
    hosted.forEach((h, i) => {
      if ("body" in h) {
        bodies.push(h.body);
        candidates.push({ slot: bodies.length, id: g.variants[i]!.id });
      }
    });
    if (candidates.length === 0) {
      o.status = "no-faster-variant";
      o.reason = "none of its equivalent variants can be hosted by the measurement build";
      continue;
    }
    const hostedTarget: MeasureTarget = { ...target, edges: [], variants: bodies, ...(recorded.length > 0 ? { recordedCases: recorded } : {}) };
    const split = splitCases(g.node, cases);
    // Cases 0 … workload-1 are the workload's; the recorded ones follow.
    const count = (set: number[]) => ({ workload: set.filter((i) => i < workloadCases).length, recorded: set.filter((i) => i >= workloadCases).length });
    o.cases = { train: count(split.train), validation: count(split.validation), test: count(split.test) };
    nodes.push({ node: g.node, target: hostedTarget, candidates, split, bounds: plan.bounds.filter((b) => b.node === g.node), before: report.results.filter((r: BoundResult) => r.node === g.node) });
  }
  if (nodes.length === 0) return [];
  const sampler = createProcessSampler({
    projectRoot: graph.root,
    tsconfig: run.configPath,
    files: runtimeFilesOf([...graph.files.map((f) => resolve(graph.root, f)), ...input.model.workloads.map((w) => w.path)]),
    targets: nodes.map((n) => n.target),
    ...limitsOf(options),
  });
  try {
    // What is left of the run's budget, shared by the nodes: 40% to rank on train, 30% each to validate and test.
    const left = Math.max(0, options.budgetMs - (performance.now() - started));
    const perNode = left / nodes.length;
    const candidates = Math.max(...nodes.map((n) => n.candidates.length));
    const trainMs = clamp((perNode * 0.4) / candidates, 1_500, 5_000);
    const stageMs = clamp(perNode * 0.3, 2_000, 8_000);
    return await runGate(nodes, {
      sampler,
      alpha,
      trainMs,
      validationMs: stageMs,
      testMs: stageMs,
      deadline: started + options.budgetMs,
      onStage: (stage, node) => progress(stage, `${stage === "train" ? "ranking the equivalent variants of" : stage === "validation" ? "validating the fastest variant of" : "measuring the speedup on held-out cases of"} ${node}`, node),
    });
  } finally {
    await sampler.close();
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
