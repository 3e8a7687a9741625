// Where the wall time of `cdlc check --measure` goes, on examples/shop with
// default settings (5 s per node, α = 0.01, the CLI's timeout and heap
// limit), through the built library (npm run build first) and the CLI's own
// measurement child (dist/measure-child.js).
//
// The command is the CLI's path: checkCdlFileWithProject (the Living Graph
// and the binding), then what measureProject → measureConstraints
// (src/measure/monitor.ts) does: plan, create the process sampler, build,
// runSequential. The steps of measureConstraints are called one by one from
// dist/lib, with the sampler wrapped to keep every run's SampleBatch (its
// details are not part of the report): keep this in step with monitor.ts.
//
// Per run, the child and the sampler report where its wall time went
// (RunDetails.phasesMs: spawn, boot, request, load, workload, probe, timer,
// sizing, warmup, sampling, memory, flows, answer, exit, idle) and how much
// of it was spent inside timed batches (batchMs.sampling: the user's code).
// Per node and overall: each phase's share of the runs' wall time, runs,
// samples and timed calls, and the share of wall time inside timed batches.
// Outside runs: the graph, planning, the instrumented build, the sampler's
// own work around each child, the decisions between runs, rendering the report.
//
// Each round copies the project afresh (a cold start, as in CI). Figures are
// medians over rounds with their min–max; the load average is recorded.
// Results go to bench/results/measure-breakdown.json.
//
//   node bench/measure-breakdown.mjs [--rounds 3] [--time-budget-ms 5000] [--project DIR] [--lib DIR]
//
// --project: another project with a constraints.cdl and a tsconfig.json
// (default examples/shop; bench/measure-catalog is the ten-function catalog);
// its results go to bench/results/measure-breakdown-<folder name>.json.
// --lib: another build of the library (a folder laid out like dist/lib, with its measure-child.js one level up).
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { countBy, displayPath, fail, fmt, median, progress, round, span, stopper, summary } from "./bench-lib.mjs";

const stop = stopper("measure-breakdown.mjs");
const repo = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const known = ["--rounds", "--time-budget-ms", "--project", "--lib"];
if (args.some((a, i) => i % 2 === 0 && !known.includes(a)) || args.length % 2 !== 0) {
  stop("usage: node bench/measure-breakdown.mjs [--rounds 3] [--time-budget-ms 5000] [--project DIR] [--lib DIR]");
}
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const count = (name, fallback) => {
  const n = Number(opt(name, fallback));
  if (!Number.isInteger(n) || n < 1) stop(`--${name} takes a whole number, at least 1 (got '${opt(name, fallback)}')`);
  return n;
};
const rounds = count("rounds", "3");
const timeBudgetMs = count("time-budget-ms", "5000");
const libDir = resolve(opt("lib", join(repo, "dist", "lib")));
const projectDir = resolve(opt("project", join(repo, "examples", "shop")));
const projectName = displayPath(repo, projectDir);
const resultName = projectName === "examples/shop" ? "measure-breakdown.json" : `measure-breakdown-${basename(projectDir)}.json`;
for (const file of ["constraints.cdl", "tsconfig.json"]) {
  if (!existsSync(join(projectDir, file))) stop(`--project ${projectName}: no ${file} there`);
}
// The CLI's bundle runs this child (dist/measure-child.js); the library alone would run dist/lib/measure/child.js.
const childEntry = resolve(libDir, "..", "measure-child.js");
// The CLI's defaults for `--timeout` and `--max-old-space-size`.
const timeoutMs = 30_000;
const maxOldSpaceMb = 2_048;

const PHASES = ["spawn", "boot", "request", "load", "workload", "probe", "timer", "sizing", "warmup", "sampling", "memory", "flows", "answer", "exit", "idle"];
const OUTSIDE = ["graph", "plan", "build", "sampler", "decisions", "report", "other"];
/** The issue's goal is for nodes of this per-call time or more. */
const SLOW_CALL_NS = 10_000;

for (const file of ["index.js", join("measure", "monitor.js"), join("measure", "sampler.js"), join("measure", "decide", "sequential.js"), join("measure", "workload-exports.js")]) {
  if (!existsSync(join(libDir, file))) stop(`missing ${displayPath(repo, join(libDir, file))}: bench/measure-breakdown.mjs needs the built library; run \`npm run build\` first`);
}
if (!existsSync(childEntry)) stop(`missing ${displayPath(repo, childEntry)}: run \`npm run build\` first`);

const loadStarted = performance.now();
const lib = (path) => import(pathToFileURL(join(libDir, path)).href);
const { checkCdlFileWithProject, createNodeHost, currentEnvironment, renderMeasureReport, toJsonDiagnostic, VERSION } = await lib("index.js");
const { planMeasurement, runtimeFilesOf } = await lib("measure/monitor.js");
const { createProcessSampler } = await lib("measure/sampler.js");
const { runSequential } = await lib("measure/decide/sequential.js");
const { pickWorkloadModule } = await lib("measure/workload-exports.js");
const { DEFAULT_ALPHA } = await lib("measure/decide/decide.js");
const libraryLoadMs = performance.now() - loadStarted;

const started = performance.now();
const loadStart = loadavg();
const work = mkdtempSync(join(tmpdir(), "cdlc-measure-breakdown-"));
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    rmSync(work, { recursive: true, force: true });
    process.exit(128 + (signal === "SIGINT" ? 2 : 15));
  });
}

try {
  await main();
} catch (e) {
  if (e?.benchFailure !== true) throw e;
  console.error(`bench/measure-breakdown.mjs: ${e.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function main() {
  const roundResults = [];
  for (let r = 0; r < rounds; r++) {
    roundResults.push(await measureOnce(join(work, `round-${r}`)));
    const last = roundResults.at(-1);
    progress(`round ${r + 1}/${rounds}: ${fmt(last.command.totalMs / 1000, 1)} s, ${last.runs.length} runs, timed user code ${pct(last.command.timedMs / last.command.totalMs)} of the wall time (load ${loadavg()[0].toFixed(2)})`);
  }

  const nodes = roundResults[0].nodeOrder;
  const perNode = nodes.map((node) => nodeFigures(node, roundResults.map((rr) => rr.runs.filter((run) => run.node === node)), roundResults.map((rr) => rr.outsideByNode.get(node))));
  const overall = runFigures(roundResults.map((rr) => rr.runs));
  const slowNodes = perNode.filter((n) => n.nsPerCall.median >= SLOW_CALL_NS).map((n) => n.node);
  const slow = runFigures(roundResults.map((rr) => rr.runs.filter((run) => slowNodes.includes(run.node))));
  const command = commandFigures(roundResults.map((rr) => rr.command));

  const result = {
    benchmark: "measure-breakdown",
    date: new Date().toISOString(),
    project: projectName,
    cdlc: VERSION,
    settings: { rounds, timeBudgetMs, alpha: DEFAULT_ALPHA, timeoutMs, maxOldSpaceMb, childEntry: displayPath(repo, childEntry) },
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown", node: process.version, platform: process.platform },
    loadAverage: { start: loadStart.map((x) => round(x, 2)), end: loadavg().map((x) => round(x, 2)) },
    method:
      "each round: a fresh copy of the project, then the CLI's path through the built library (graph, plan, build, runSequential with the process sampler); per run, RunDetails.phasesMs and batchMs; shares are of the runs' summed wall time (per node, overall) or of the command's wall time (command); medians over rounds with min–max",
    libraryLoadMs: round(libraryLoadMs),
    headline: {
      timedShareOfCommand: command.timedShare,
      timedShareOfRuns: overall.timedShare,
      [`timedShareOfRunsForNodesOf${SLOW_CALL_NS / 1000}usOrMore`]: slowNodes.length === 0 ? null : slow.timedShare,
      nodesOf10usOrMore: slowNodes,
    },
    command,
    overall,
    perNode,
    verdicts: roundResults.map((rr) => rr.verdicts),
    // Each bound's limit over its measured value (or the reverse for a lower bound): the room it had.
    bounds: roundResults.map((rr) => rr.bounds),
    runs: roundResults.flatMap((rr, r) => rr.runs.map((run) => ({ round: r, ...compactRun(run) }))),
    totalSeconds: round((performance.now() - started) / 1000, 1),
  };
  mkdirSync(join(repo, "bench", "results"), { recursive: true });
  writeFileSync(join(repo, "bench", "results", resultName), `${compactJson(result)}\n`);
  printSummary(result);
}

/** One `cdlc check --measure` of a fresh copy of the project; every run's batch kept. */
async function measureOnce(dir) {
  const project = join(dir, basename(projectDir));
  // The project's own .cdl/ (caches, builds) is left behind: every round starts from nothing.
  cpSync(projectDir, project, { recursive: true, filter: (src) => basename(src) !== ".cdl" && basename(src) !== "node_modules" });
  const t0 = performance.now();
  const checked = await checkCdlFileWithProject("constraints.cdl", "tsconfig.json", createNodeHost(project), project, { cache: true });
  const graphMs = performance.now() - t0;
  const errors = checked.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || checked.run.graph === undefined || checked.run.binding === undefined) {
    fail(`${projectName} does not check: ${errors.map((d) => d.message).join("; ") || "no bound program"}`);
  }
  const run = checked.run;

  // measureConstraints, step by step.
  const t1 = performance.now();
  const input = { model: run.model, graph: run.graph, binding: run.binding, diagnostics: run.diagnostics, tsconfig: run.configPath };
  const environment = currentEnvironment();
  const plan = planMeasurement(input, project, pickWorkloadModule);
  const sampler = createProcessSampler({
    projectRoot: input.graph.root,
    tsconfig: input.tsconfig,
    files: runtimeFilesOf([...input.graph.files.map((f) => resolve(input.graph.root, f)), ...input.model.workloads.map((w) => w.path)]),
    targets: plan.targets,
    timeoutMs,
    maxOldSpaceMb,
    childEntry,
  });
  const planMs = performance.now() - t1;
  // measureConstraints builds lazily in the first sample() (outside any run's wall time); here first, to time it.
  const t2 = performance.now();
  await sampler.prepare();
  const buildMs = performance.now() - t2;

  const runs = [];
  const recording = {
    async sample(request) {
      const s0 = performance.now();
      const batch = await sampler.sample(request);
      runs.push({ node: request.target.node, batch, samplerMs: performance.now() - s0 });
      return batch;
    },
    close: () => sampler.close(),
  };
  const t3 = performance.now();
  let outcome;
  try {
    outcome = await runSequential(recording, plan.targets, plan.bounds, { timeBudgetMs, declarations: plan.declarations });
  } finally {
    await sampler.close();
  }
  const sequentialMs = performance.now() - t3;
  const report = {
    version: 1, tool: { name: "cdlc", version: VERSION }, command: "check", startedAt: new Date().toISOString(), durationMs: 0, alpha: DEFAULT_ALPHA, environment,
    diagnostics: input.diagnostics.map(toJsonDiagnostic), results: [...outcome.results, ...plan.unmeasured], nodes: outcome.nodes, edges: outcome.edges, settings: outcome.settings,
  };
  const t4 = performance.now();
  await renderMeasureReport("pretty", report, { color: false, sources: (f) => checked.sources.get(f) });
  const reportMs = performance.now() - t4;
  const totalMs = performance.now() - t0;

  for (const r of runs) {
    if (r.batch.failure !== undefined) fail(`${r.node}: the run failed (${r.batch.failure.kind}: ${r.batch.failure.message})`);
    if (r.batch.details?.phasesMs === undefined) fail(`${r.node}: the run reports no phases; rebuild the library (npm run build)`);
  }
  const nodeOrder = plan.targets.map((t) => t.node);
  const runsWallMs = sum(runs.map((r) => r.batch.wallTimeMs));
  const samplerMs = sum(runs.map((r) => r.samplerMs - r.batch.wallTimeMs));
  const outsideByNode = new Map(nodeOrder.map((node) => {
    const mine = runs.filter((r) => r.node === node);
    return [node, { samplerMs: sum(mine.map((r) => r.samplerMs - r.batch.wallTimeMs)) }];
  }));
  const decisionsMs = sequentialMs - sum(runs.map((r) => r.samplerMs));
  const command = {
    totalMs,
    runsMs: runsWallMs,
    timedMs: sum(runs.map((r) => r.batch.details.batchMs.sampling)),
    outsideMs: { graph: graphMs, plan: planMs, build: buildMs, sampler: samplerMs, decisions: decisionsMs, report: reportMs, other: totalMs - graphMs - planMs - buildMs - sequentialMs - reportMs },
  };
  const verdicts = countBy(report.results.map((r) => r.status));
  verdicts.inconclusiveExecutionTime = report.results.filter((r) => r.status === "inconclusive" && r.metric === "execution_time").length;
  const bounds = report.results.map((r) => ({
    node: r.node.slice(r.node.indexOf("#") + 1),
    metric: r.metric,
    status: r.status,
    looks: r.looks,
    samples: r.samples,
    measured: r.measured === null ? null : round(r.measured, 3),
    limit: r.limit,
    room: r.measured === null || r.measured === 0 ? null : round(r.op.startsWith(">") ? r.measured / r.limit : r.limit / r.measured, 2),
  }));
  return { runs, nodeOrder, outsideByNode, command, verdicts, bounds };
}

/** Shares of the runs' wall time, per round; then medians over rounds. */
function runFigures(runsPerRound) {
  const perRound = runsPerRound.map((runs) => {
    const wall = sum(runs.map((r) => r.batch.wallTimeMs));
    const phase = (name) => sum(runs.map((r) => r.batch.details.phasesMs[name]));
    return {
      wallMs: wall,
      runs: runs.length,
      samples: sum(runs.map((r) => r.batch.timesNs.length)),
      // Calls inside timed sampling batches (a run's `calls` also counts its untimed calls).
      timedCalls: sum(runs.map((r) => r.batch.details.callsByPhase?.sampling ?? r.batch.calls)),
      timedMs: sum(runs.map((r) => r.batch.details.batchMs.sampling)),
      warmupBatchMs: sum(runs.map((r) => r.batch.details.batchMs.warmup + r.batch.details.batchMs.sizing)),
      phases: Object.fromEntries(PHASES.map((p) => [p, phase(p)])),
      stoppedByBudget: runs.filter((r) => r.batch.details.stoppedBy === "budget").length,
    };
  });
  return {
    runs: summary(perRound.map((r) => r.runs), 0),
    samples: summary(perRound.map((r) => r.samples), 0),
    timedCalls: summary(perRound.map((r) => r.timedCalls), 0),
    runsStoppedByBudget: summary(perRound.map((r) => r.stoppedByBudget), 0),
    wallMs: summary(perRound.map((r) => r.wallMs), 0),
    msPerRun: summary(perRound.map((r) => r.wallMs / r.runs), 0),
    timedMs: summary(perRound.map((r) => r.timedMs), 0),
    timedShare: summary(perRound.map((r) => r.timedMs / r.wallMs), 4),
    // User code run in sizing and warm-up batches: timed, but no sample comes of it.
    warmupBatchShare: summary(perRound.map((r) => r.warmupBatchMs / r.wallMs), 4),
    phaseShares: Object.fromEntries(PHASES.map((p) => [p, summary(perRound.map((r) => r.phases[p] / r.wallMs), 4)])),
    phaseMsPerRun: Object.fromEntries(PHASES.map((p) => [p, summary(perRound.map((r) => r.phases[p] / r.runs), 1)])),
  };
}

function nodeFigures(node, runsPerRound, outsidePerRound) {
  const nsPerCall = runsPerRound.map((runs) => median(runs.flatMap((r) => r.batch.timesNs)));
  return {
    node,
    nsPerCall: summary(nsPerCall, 0),
    ...runFigures(runsPerRound),
    samplerMsOutsideRuns: summary(outsidePerRound.map((o) => o.samplerMs), 1),
  };
}

function commandFigures(perRound) {
  return {
    totalMs: summary(perRound.map((c) => c.totalMs), 0),
    runsMs: summary(perRound.map((c) => c.runsMs), 0),
    runsShare: summary(perRound.map((c) => c.runsMs / c.totalMs), 4),
    timedMs: summary(perRound.map((c) => c.timedMs), 0),
    timedShare: summary(perRound.map((c) => c.timedMs / c.totalMs), 4),
    outsideRunsMs: Object.fromEntries(OUTSIDE.map((k) => [k, summary(perRound.map((c) => c.outsideMs[k]), 0)])),
    outsideRunsShare: Object.fromEntries(OUTSIDE.map((k) => [k, summary(perRound.map((c) => c.outsideMs[k] / c.totalMs), 4)])),
  };
}

function compactRun(run) {
  const d = run.batch.details;
  return {
    node: run.node,
    wallMs: round(run.batch.wallTimeMs),
    samples: run.batch.timesNs.length,
    timedCalls: run.batch.details.callsByPhase?.sampling ?? run.batch.calls,
    calls: run.batch.calls,
    timedBatches: d.timedBatches,
    stoppedBy: d.stoppedBy,
    gcCalls: d.gcCalls,
    memorySamples: run.batch.memoryBytes.length,
    timedMs: round(d.batchMs.sampling),
    phasesMs: Object.fromEntries(PHASES.map((p) => [p, round(d.phasesMs[p])])),
  };
}

function printSummary(r) {
  const c = r.command;
  const short = (node) => node.slice(node.indexOf("#") + 1);
  const cols = [...r.perNode.map((n) => ({ name: short(n.node), f: n })), { name: "all runs", f: r.overall }];
  const row = (cells) => `| ${cells.join(" | ")} |`;
  const sharePct = (s) => pct(s.median);
  const lines = [
    `load average ${r.loadAverage.start.join(" ")} at the start, ${r.loadAverage.end.join(" ")} at the end (${r.machine.cpus} cores); ${r.settings.rounds} rounds, ${r.settings.timeBudgetMs} ms per node`,
    `command: ${span(c.totalMs)} ms wall; child runs ${span(c.runsMs)} ms (${pct(c.runsShare.median)}); timed user code ${span(c.timedMs)} ms = ${pct(c.timedShare.median)} of the wall time (rounds ${pct(c.timedShare.min)}–${pct(c.timedShare.max)})`,
    `outside runs: ${OUTSIDE.map((k) => `${k} ${c.outsideRunsMs[k].median} ms`).join(", ")}; loading the library ${r.libraryLoadMs} ms (once per process)`,
    `nodes of ≥ 10 µs per call (${r.headline.nodesOf10usOrMore.map(short).join(", ") || "none"}): timed user code ${r.headline.timedShareOfRunsForNodesOf10usOrMore === null ? "-" : pct(r.headline.timedShareOfRunsForNodesOf10usOrMore.median)} of their runs' wall time`,
    `verdicts per round: ${r.verdicts.map((v) => JSON.stringify(v)).join(" ")}`,
    `undecided bounds (room = limit / measured): ${r.bounds.map((round) => round.filter((b) => b.status === "inconclusive").map((b) => `${b.node} ${b.metric} (room ${b.room ?? "-"}, ${b.looks ?? 0} runs)`).join(", ") || "none").join(" | ")}`,
    "",
    "Share of the runs' wall time (median over rounds):",
    "",
    row(["phase", ...cols.map((k) => k.name)]),
    row(["---", ...cols.map(() => "---:")]),
    ...PHASES.map((p) => row([p, ...cols.map((k) => sharePct(k.f.phaseShares[p]))])),
    row(["**timed user code**", ...cols.map((k) => `**${sharePct(k.f.timedShare)}**`)]),
    row(["runs", ...cols.map((k) => String(k.f.runs.median))]),
    row(["ms per run", ...cols.map((k) => String(k.f.msPerRun.median))]),
    row(["samples", ...cols.map((k) => String(k.f.samples.median))]),
    row(["timed calls", ...cols.map((k) => String(k.f.timedCalls.median))]),
    row(["per call", ...r.perNode.map((n) => duration(n.nsPerCall.median)), "-"]),
    "",
    `total ${r.totalSeconds} s`,
  ];
  console.log(lines.join("\n"));
}

/** Indented JSON: an object or array that fits on a line of 160 characters on one line, and each run on one line. */
function compactJson(value, indent = "", key = "") {
  const flat = JSON.stringify(value, null, 1).replace(/\n\s*/g, " ");
  if (value === null || typeof value !== "object" || indent.length + flat.length <= 160) return flat;
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((v) => inner + (key === "runs" ? JSON.stringify(v, null, 1).replace(/\n\s*/g, " ") : compactJson(v, inner)))
    : Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${compactJson(v, inner, k)}`);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  return `${open}\n${items.join(",\n")}\n${indent}${close}`;
}




function sum(xs) {
  return xs.reduce((a, b) => a + b, 0);
}




function pct(x) {
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
}

function duration(ns) {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(0)} ns`;
}




