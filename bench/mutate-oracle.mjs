// Variant generation, the schemata build and the equivalence oracle on
// examples/shop (copied to a temporary folder, so nothing is written into
// the repository), with the built library (npm run build first), so that the
// oracle children are the shipped ones.
//
//   1. variant generation: `listVariants` for every constrained node, median
//      of --list-rounds after one warm-up call (the first call, which loads
//      Babel, is reported apart); per node with the engine's generateVariants;
//   2. the schemata build: `buildSchemata` for all nodes' variants and
//      canaries at once, cold (a fresh build folder each round), after one
//      warm-up build;
//   3. the oracle: `judgeVariants` per node, to all verdicts, with 0, 100 and
//      400 generated inputs per node; within each call, the time to the first
//      verdict (the child's start and the original's two runs, plus the first
//      variant) and the time between verdicts (one more variant or canary).
//      The levels of a node run back to back in a shuffled order each round,
//      so the ratios between them compare samples taken under the same load.
//      About 30 s a round on a busy 2-core machine; under 4 minutes in all.
//
// The machine is shared and noisy: every figure is a median over rounds with
// its spread (min–max), ratios are taken within a round, and the load
// average is recorded. Results go to bench/results/mutate-oracle.json.
//
//   node bench/mutate-oracle.mjs [--rounds 6] [--schemata-rounds 5] [--list-rounds 10] [--lib DIR]
//
// --lib: another build of the library (a folder laid out like dist/lib), to compare two builds.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { countBy, displayPath, fail, fmt, median, progress, round, span, stopper, summary } from "./bench-lib.mjs";

const stop = stopper("mutate-oracle.mjs");
const repo = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const known = ["--rounds", "--schemata-rounds", "--list-rounds", "--lib"];
if (args.some((a, i) => i % 2 === 0 && !known.includes(a)) || args.length % 2 !== 0) {
  stop("usage: node bench/mutate-oracle.mjs [--rounds 6] [--schemata-rounds 5] [--list-rounds 10] [--lib DIR]");
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
const rounds = count("rounds", "6");
const schemataRounds = count("schemata-rounds", "5");
const listRounds = count("list-rounds", "10");
const libDir = resolve(opt("lib", join(repo, "dist", "lib")));
const levels = [0, 100, 400];

// The oracle children are found next to the library (dist/lib/shadow/child.js); without them nothing runs.
for (const file of ["index.js", join("shadow", "oracle.js"), join("shadow", "child.js")]) {
  if (!existsSync(join(libDir, file))) stop(`missing ${relative(process.cwd(), join(libDir, file))}: bench/mutate-oracle.mjs needs the built library; run \`npm run build\` first`);
}
const lib = (path) => import(pathToFileURL(join(libDir, path)).href);
const { checkCdlFileWithProject, createNodeHost, listVariants } = await lib("index.js");
const { buildSchemata, judgeVariants } = await lib("shadow/oracle.js");
const { resolveChildEntry } = await lib("measure/child-entry.js");
const { generateVariants } = await lib("mutate/engine.js");
const { mutationTargets } = await lib("mutate/targets.js");
const { oracleInputs } = await lib("shadow/check-nodes.js");

const started = performance.now();
const loadStart = loadavg();
const work = mkdtempSync(join(tmpdir(), "cdlc-mutate-oracle-"));
const project = join(work, "shop");
let seed = 42;
const random = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
const shuffled = (xs) => {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

// Interrupted: the temporary folder (a copy of the project and its builds) goes too.
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
  console.error(`bench/mutate-oracle.mjs: ${e.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function main() {
  // The example's own .cdl/ (caches, builds) is left behind: every build here starts from nothing.
  cpSync(join(repo, "examples", "shop"), project, { recursive: true, filter: (src) => basename(src) !== ".cdl" && basename(src) !== "node_modules" });
  const checked = await checkCdlFileWithProject("constraints.cdl", "tsconfig.json", createNodeHost(project), project, { cache: false });
  const errors = checked.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || checked.run.graph === undefined || checked.run.binding === undefined || checked.run.project === undefined) {
    fail(`examples/shop does not check: ${errors.map((d) => d.message).join("; ") || "no bound program"}`);
  }
  const run = checked.run;

  // 1. Variant generation.
  const firstListMs = await timeAsync(() => listVariants(run));
  const listMs = [];
  let listed;
  for (let r = 0; r < listRounds; r++) listMs.push(await timeAsync(async () => void (listed = await listVariants(run))));
  const targets = mutationTargets(run.graph, run.binding);
  const perNodeListMs = new Map(targets.map((t) => [t.node, []]));
  for (let r = 0; r < listRounds; r++) for (const t of shuffled(targets)) perNodeListMs.get(t.node).push(time(() => generateVariants(t)));
  const variantCount = listed.reduce((n, t) => n + t.variants.length, 0);
  const variantGeneration = {
    rounds: listRounds,
    firstCallMs: round(firstListMs),
    allNodesMs: summary(listMs),
    nodes: listed.length,
    variants: variantCount,
    variantsPerNode: round(variantCount / listed.length),
    msPerNode: round(median(listMs) / listed.length),
    msPerVariant: variantCount === 0 ? null : round(median(listMs) / variantCount),
    perNode: listed.map((t) => ({ node: t.node, variants: t.variants.length, ms: summary(perNodeListMs.get(t.node)) })),
  };
  progress(`variants: ${variantCount} for ${listed.length} nodes, ${fmt(median(listMs))} ms per listVariants (first call ${fmt(firstListMs)} ms)`);

  // 2. The schemata build, cold: a fresh build folder each round. Against it,
  // in the same rounds, the same nodes' instrumented build hosting nothing:
  // their ratio is what hosting the variants and canaries costs.
  const inputs = oracleInputs({ model: run.model, graph: run.graph, binding: run.binding, project: run.project, tsconfig: run.configPath, cwd: project }, targets, listed);
  const bare = inputs.map((i) => ({ ...i, variants: [], canaries: [] }));
  const freshBuild = (label, nodes = inputs) => buildSchemata(nodes, { buildRoot: join(work, "builds", label) });
  const firstBuild = timed(() => freshBuild("first"));
  const schemataMs = [];
  const bareMs = [];
  for (let r = 0; r < schemataRounds; r++) {
    for (const kind of shuffled(["hosting", "bare"])) {
      if (kind === "hosting") schemataMs.push(timed(() => freshBuild(`cold-${r}`)).ms);
      else bareMs.push(timed(() => freshBuild(`bare-${r}`, bare)).ms);
    }
  }
  const schemata = firstBuild.value;
  const hosted = (node) => schemata.nodes.get(node)?.hosted.length ?? 0;
  const hostedBodies = inputs.reduce((n, i) => n + hosted(i.node), 0);
  const rejectedBeforeBuild = inputs.reduce((n, i) => n + (schemata.nodes.get(i.node)?.rejected.size ?? 0), 0);
  const schemataResult = {
    rounds: schemataRounds,
    firstBuildMs: round(firstBuild.ms),
    coldMs: summary(schemataMs),
    bareColdMs: summary(bareMs),
    hostingToBare: summary(schemataMs.map((m, i) => m / bareMs[i]), 3),
    hostedBodies,
    rejectedBeforeBuild,
    nodesNotBuilt: schemata.build.missing.map((m) => ({ node: m.id, reason: m.reason })),
    // What each hosted body adds to the bare build (type-checking it, transpiling it, hosting it).
    msPerHostedBody: summary(schemataMs.map((m, i) => (m - bareMs[i]) / hostedBodies)),
  };
  progress(`schemata: ${hostedBodies} hosted bodies, ${fmt(median(schemataMs))} ms cold (first build in the process ${fmt(firstBuild.ms)} ms)`);

  // 3. The oracle, on the build of the first schemata round. The copies of
  // the build that the oracle's sides load are made once per build, by the
  // first judgement: that one is a warm-up, not measured.
  const buildRoot = join(work, "builds", "first");
  const judge = async (input, generated) => {
    const verdicts = [];
    const at = [];
    const t0 = performance.now();
    const options = { buildRoot, generated, onVerdict: (v) => (verdicts.push(v), at.push(performance.now() - t0)) };
    const report = await judgeVariants(input, options, schemata);
    return { ms: performance.now() - t0, report, verdicts, at };
  };
  await judge(inputs[0], 0);
  const samples = new Map(inputs.map((i) => [i.node, Object.fromEntries(levels.map((l) => [l, []]))]));
  const lastReport = new Map();
  for (let r = 0; r < rounds; r++) {
    for (const input of shuffled(inputs)) {
      for (const level of shuffled(levels)) {
        const j = await judge(input, level);
        if (j.report.untestable !== undefined) fail(`${input.node} is untestable with ${level} generated inputs: ${j.report.untestable}`);
        samples.get(input.node)[level].push(j);
        lastReport.set(`${input.node}@${level}`, j);
      }
    }
    progress(`oracle round ${r + 1}/${rounds} done (${fmt((performance.now() - started) / 1000)} s so far, load ${loadavg()[0].toFixed(2)})`);
  }

  const perNode = inputs.map((input) => nodeFigures(input, hosted(input.node), samples.get(input.node), lastReport));
  const oracle = {
    rounds,
    seed: lastReport.values().next().value.report.seed,
    perChild: 8,
    childEntry: displayPath(repo, await resolveChildEntry(join(buildRoot, "..", "child"), "shadow")),
    levels: Object.fromEntries(levels.map((l) => [l, levelFigures(perNode, l)])),
    growthWithCases: growthFigures(inputs, samples, hosted),
    growthWithVariants: variantFigures(perNode),
    perNode,
  };

  const result = {
    benchmark: "mutate-oracle",
    date: new Date().toISOString(),
    project: "examples/shop",
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown", node: process.version, platform: process.platform },
    loadAverage: { start: loadStart.map((x) => round(x, 2)), end: loadavg().map((x) => round(x, 2)) },
    method:
      "medians over rounds with min–max; oracle levels of one node run back to back in a shuffled order each round, ratios taken within a round; inputs per second = cases × (2 + hosted variants and canaries) / wall time",
    variantGeneration,
    schemata: schemataResult,
    oracle,
    totalSeconds: round((performance.now() - started) / 1000, 1),
  };
  mkdirSync(join(repo, "bench", "results"), { recursive: true });
  writeFileSync(join(repo, "bench", "results", "mutate-oracle.json"), `${JSON.stringify(result, null, 2)}\n`);
  printSummary(result);
}

/** One node's figures at every level: cases, wall time, inputs per second, time per verdict. */
function nodeFigures(input, hostedCount, nodeSamples, reports) {
  const at = Object.fromEntries(
    levels.map((level) => {
      const runs = nodeSamples[level];
      const { report, verdicts } = reports.get(`${input.node}@${level}`);
      const cases = Object.values(report.cases).reduce((a, b) => a + b, 0);
      const ms = runs.map((j) => j.ms);
      const judged = runs.filter((j) => j.at.length > 0);
      return [
        level,
        {
          cases: report.cases,
          ms: summary(ms),
          // The child's start, loading two sides and the original's two runs, plus the first variant.
          firstVerdictMs: judged.length === 0 ? null : summary(judged.map((j) => j.at[0])),
          // One more variant or canary: a fresh side, its run of every case, the comparison (and a shrink, if any).
          msBetweenVerdicts: judged.length === 0 || judged[0].at.length < 2 ? null : summary(judged.map((j) => (j.at.at(-1) - j.at[0]) / (j.at.length - 1))),
          inputsPerSecond: summary(ms.map((m) => (cases * (2 + hostedCount)) / (m / 1000)), 0),
          msPerVerdict: verdicts.length === 0 ? null : summary(ms.map((m) => m / verdicts.length)),
          judged: verdicts.length,
          // A difference on a generated input is shrunk (up to 3 s): part of the time, not of the inputs.
          shrunk: verdicts.filter((v) => v.difference?.origin === "generated").length,
          verdicts: countBy(report.verdicts.map((v) => v.kind)),
          canariesCaught: `${report.strength.caught} of ${report.strength.injected}`,
        },
      ];
    }),
  );
  return {
    node: input.node,
    variants: input.variants.length,
    canaries: input.canaries.length,
    hosted: hostedCount,
    generatedNote: reports.get(`${input.node}@100`).report.generatedNote ?? null,
    levels: at,
  };
}

/** All nodes at one level: total wall time per round, cases, runs, inputs per second. */
function levelFigures(perNode, level) {
  const roundsMs = Array.from({ length: rounds }, (_, r) => perNode.reduce((sum, n) => sum + n.levels[level].ms.samples[r], 0));
  const cases = perNode.reduce((sum, n) => sum + caseTotal(n.levels[level].cases), 0);
  const runs = perNode.reduce((sum, n) => sum + caseTotal(n.levels[level].cases) * (2 + n.hosted), 0);
  const judged = perNode.reduce((sum, n) => sum + n.levels[level].judged, 0);
  return {
    allNodesMs: summary(roundsMs),
    cases,
    caseRuns: runs,
    judged,
    inputsPerSecond: summary(roundsMs.map((m) => runs / (m / 1000)), 0),
    msPerVerdict: summary(roundsMs.map((m) => m / judged)),
  };
}

/** Time against cases: per round, the ratio of the nodes' summed times between levels, over the nodes that get generated inputs. */
function growthFigures(inputs, allSamples, hosted) {
  const growing = inputs.filter((i) => i.shape !== undefined && i.shape.unsupported === undefined).map((i) => i.node);
  const sumAt = (level, r) => growing.reduce((sum, node) => sum + allSamples.get(node)[level][r].ms, 0);
  const casesAt = (level) => growing.reduce((sum, node) => sum + caseTotal(allSamples.get(node)[level][0].report.cases), 0);
  const ratio = (hi, lo) => ({
    cases: `${casesAt(lo)} → ${casesAt(hi)}`,
    casesRatio: round(casesAt(hi) / casesAt(lo)),
    timeRatio: summary(Array.from({ length: rounds }, (_, r) => sumAt(hi, r) / sumAt(lo, r)), 3),
  });
  // The marginal cost of one more case run: the time between 100 and 400 inputs over the runs they add.
  const marginal = Array.from({ length: rounds }, (_, r) => {
    const runs = growing.reduce((sum, node) => {
      const s = allSamples.get(node);
      return sum + (caseTotal(s[400][r].report.cases) - caseTotal(s[100][r].report.cases)) * (2 + hosted(node));
    }, 0);
    return ((sumAt(400, r) - sumAt(100, r)) * 1000) / runs;
  });
  return {
    nodes: growing,
    "100 vs 0": ratio(100, 0),
    "400 vs 100": ratio(400, 100),
    "400 vs 0": ratio(400, 0),
    usPerAddedCaseRun: summary(marginal),
  };
}

/**
 * Time against hosted variants and canaries. From the nodes' spread: a
 * least-squares line through the nodes' median times (the nodes differ in
 * their cases too, so r² says how much of the spread the count explains).
 * Within each call: the time between verdicts is the cost of one more
 * variant or canary on that node, and what comes before the first verdict,
 * less one of those, is the node's fixed cost (child, sides, the original).
 */
function variantFigures(perNode) {
  return Object.fromEntries(
    levels.map((level) => {
      const points = perNode.map((n) => [n.hosted, n.levels[level].ms.median]);
      const within = perNode.filter((n) => n.levels[level].msBetweenVerdicts !== null);
      const between = within.map((n) => n.levels[level].msBetweenVerdicts.median);
      const fixed = within.map((n) => n.levels[level].firstVerdictMs.median - n.levels[level].msBetweenVerdicts.median);
      const fixedShare = within.map((n, i) => fixed[i] / n.levels[level].ms.median);
      return [
        level,
        {
          fitOverNodes: { ...fitLine(points), points: points.map(([hosted, ms]) => ({ hosted, ms })) },
          withinCalls: {
            msPerVariantMedianOverNodes: round(median(between)),
            msPerVariantRangeOverNodes: [round(Math.min(...between)), round(Math.max(...between))],
            fixedMsMedianOverNodes: round(median(fixed)),
            fixedMsRangeOverNodes: [round(Math.min(...fixed)), round(Math.max(...fixed))],
            fixedShareOfNodeTime: { median: round(median(fixedShare), 3), min: round(Math.min(...fixedShare), 3), max: round(Math.max(...fixedShare), 3) },
          },
        },
      ];
    }),
  );
}

function fitLine(points) {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const syy = points.reduce((s, [, y]) => s + (y - my) ** 2, 0);
  if (sxx === 0) return { interceptMs: round(my), msPerHosted: null, r2: null };
  const slope = sxy / sxx;
  return { interceptMs: round(my - slope * mx), msPerHosted: round(slope), r2: syy === 0 ? null : round((sxy * sxy) / (sxx * syy), 3) };
}

function caseTotal(cases) {
  return Object.values(cases).reduce((a, b) => a + b, 0);
}


function printSummary(r) {
  const o = r.oracle;
  const lines = [
    `load average ${r.loadAverage.start.join(" ")} at the start, ${r.loadAverage.end.join(" ")} at the end (${r.machine.cpus} cores)`,
    `variant generation: ${r.variantGeneration.variants} variants for ${r.variantGeneration.nodes} nodes; listVariants ${span(r.variantGeneration.allNodesMs)} ms, ${r.variantGeneration.msPerVariant} ms per variant, ${r.variantGeneration.msPerNode} ms per node; first call ${r.variantGeneration.firstCallMs} ms`,
    `schemata build, cold: ${span(r.schemata.coldMs)} ms for ${r.schemata.hostedBodies} hosted bodies ; the same build hosting nothing ${span(r.schemata.bareColdMs)} ms, ×${span(r.schemata.hostingToBare)}, so ${span(r.schemata.msPerHostedBody)} ms per hosted body; first build in the process ${r.schemata.firstBuildMs} ms`,
    ...levels.map((l) => {
      const f = o.levels[l];
      return `oracle, ${String(l).padStart(3)} generated: all nodes ${span(f.allNodesMs)} ms for ${f.cases} cases (${f.caseRuns} case runs), ${span(f.inputsPerSecond)} inputs/s, ${span(f.msPerVerdict)} ms per verdict (${f.judged} judged)`;
    }),
    ...["100 vs 0", "400 vs 100"].map((k) => `time vs cases, ${k} (${o.growthWithCases.nodes.length} nodes with generated inputs, cases ${o.growthWithCases[k].cases}): ×${span(o.growthWithCases[k].timeRatio)}`),
    `marginal cost of a case run (100 → 400): ${span(o.growthWithCases.usPerAddedCaseRun)} µs`,
    ...levels.map((l) => {
      const v = o.growthWithVariants[l];
      return `time vs hosted variants+canaries, ${String(l).padStart(3)} generated: fixed ${v.withinCalls.fixedMsMedianOverNodes} ms per node (nodes ${v.withinCalls.fixedMsRangeOverNodes.join("–")}; ${Math.round(v.withinCalls.fixedShareOfNodeTime.median * 100)}% of a node's time) + ${v.withinCalls.msPerVariantMedianOverNodes} ms per variant or canary (nodes ${v.withinCalls.msPerVariantRangeOverNodes.join("–")}); a line through the nodes: ${v.fitOverNodes.interceptMs} ms + ${v.fitOverNodes.msPerHosted} ms each, r² ${v.fitOverNodes.r2}`;
    }),
    "",
    "node                                  var can host cases@100                ms@0                  ms@100                ms@400                first verdict@100     between verdicts@100",
    ...o.perNode.map((n) => {
      const at = n.levels[100];
      return [
        n.node.padEnd(37),
        String(n.variants).padStart(3),
        String(n.canaries).padStart(3),
        String(n.hosted).padStart(4),
        JSON.stringify(at.cases).padEnd(24),
        ...levels.map((l) => span(n.levels[l].ms).padEnd(21)),
        (at.firstVerdictMs === null ? "-" : span(at.firstVerdictMs)).padEnd(21),
        at.msBetweenVerdicts === null ? "-" : span(at.msBetweenVerdicts),
      ].join(" ");
    }),
    `total ${r.totalSeconds} s`,
  ];
  console.log(lines.join("\n"));
}






function time(f) {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

function timed(f) {
  const t0 = performance.now();
  const value = f();
  return { ms: performance.now() - t0, value };
}

async function timeAsync(f) {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}




