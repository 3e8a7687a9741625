// The optimizer on its two corpora, through the built library (npm run build first).
//
// 1. bench/optimize-corpus: slow functions with hand-optimized references
//    (src/reference.ts). `optimize` runs with the given budget, as the CLI
//    would; then, per function, the reference is timed against the slow
//    version on the same held-out test cases (interleaved paired runs), and
//    the share of the reference's log-speedup that cdlc recovered is
//    ln(cdlc speedup) / ln(reference speedup) (0 when nothing was accepted).
//    Goals: median share ≥ 0.9; at least 8 of 10 improved by ≥ 1.2×; the
//    whole corpus within the default budget.
// 2. bench/optimize-traps: near misses of the operators. `optimize --all
//    --out` writes the optimized program; every accepted variant is replayed
//    on edges.ts's inputs, in order, on fresh module state, against the
//    original, comparing results, errors, arguments after each call and the
//    probes. Goal: no wrong accept.
//
// Results: bench/results/optimize-corpus.json.
//
//   node bench/optimize-corpus.mjs [--budget-s 300] [--skip-traps]
import { build } from "esbuild";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { progress, round, stopper } from "./bench-lib.mjs";

const stop = stopper("optimize-corpus.mjs");
const repo = fileURLToPath(new URL("..", import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const budgetMs = arg("budget-s", 300) * 1000;
const skipTraps = process.argv.includes("--skip-traps");
if (!existsSync(join(repo, "dist", "lib", "index.js"))) stop("bench/optimize-corpus.mjs needs the built library: run `npm run build` first");
// A private copy of the build, inside the repository so that its imports still find node_modules:
// a rebuild of dist/ while the bench runs (it takes minutes) cannot pull the library from under it.
const dist = join(repo, `.bench-dist-${process.pid}`);
cpSync(join(repo, "dist"), dist, { recursive: true });
process.on("exit", () => rmSync(dist, { recursive: true, force: true }));
const lib = (path) => import(pathToFileURL(join(dist, "lib", path)).href);
let fresh = 0;
const { checkCdlFileWithProject, createNodeHost, optimize } = await lib("index.js");
const { createProcessSampler } = await lib("measure/sampler.js");
const { samplerRunSource } = await lib("measure/decide/paired.js");
const { compareInterleaved } = await lib("measure/decide/baseline.js");
const { splitCases } = await lib("optimize/splits.js");

const work = mkdtempSync(join(tmpdir(), "cdlc-optimize-corpus-"));
const started = performance.now();
const load = loadavg();
try {
  const corpus = await runCorpus(join(work, "corpus"));
  const traps = skipTraps ? null : await runTraps(join(work, "traps"), join(work, "traps-out"));
  const result = {
    benchmark: "optimize-corpus",
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown", node: process.version },
    loadAverage: { start: load.map((x) => round(x, 2)), end: loadavg().map((x) => round(x, 2)) },
    budgetMs,
    corpus,
    traps,
    totalSeconds: round((performance.now() - started) / 1000, 1),
  };
  mkdirSync(join(repo, "bench", "results"), { recursive: true });
  writeFileSync(join(repo, "bench", "results", "optimize-corpus.json"), `${JSON.stringify(result, null, 1)}\n`);
  printSummary(result);
} finally {
  rmSync(work, { recursive: true, force: true });
}

async function bound(dir) {
  const checked = await checkCdlFileWithProject("constraints.cdl", "tsconfig.json", createNodeHost(dir), dir, { cache: false });
  if (checked.run.binding === undefined || checked.diagnostics.some((d) => d.severity === "error")) stop(`${basename(dir)} does not check: ${checked.diagnostics.map((d) => d.message).join("; ")}`);
  return checked.run;
}

async function runCorpus(dir) {
  cpSync(join(repo, "bench", "optimize-corpus"), dir, { recursive: true, filter: (s) => basename(s) !== ".cdl" });
  const run = await bound(dir);
  progress(`corpus: optimize with a ${budgetMs / 1000} s budget`);
  const t0 = performance.now();
  const result = await optimize(run, { cwd: dir, mode: "staged", budgetMs, onProgress: (e) => progress(`  ${e.message}`) });
  const optimizeSeconds = (performance.now() - t0) / 1000;

  // The hand-optimized references, on the same held-out cases.
  const names = result.nodes.map((n) => n.node.slice(n.node.indexOf("#") + 1));
  const slowTarget = (n) => ({ node: n.node, file: join(dir, n.node.slice(0, n.node.indexOf("#"))), qualifiedName: n.node.slice(n.node.indexOf("#") + 1), workloadModule: join(dir, "bench", "workloads.ts"), workloadExport: n.node.slice(n.node.indexOf("#") + 1), edges: [] });
  const refTarget = (name) => ({ node: `src/reference.ts#${name}Reference`, file: join(dir, "src", "reference.ts"), qualifiedName: `${name}Reference`, workloadModule: join(dir, "bench", "workloads.ts"), workloadExport: name, edges: [] });
  const sampler = createProcessSampler({ projectRoot: dir, tsconfig: join(dir, "tsconfig.json"), targets: [...result.nodes.map(slowTarget), ...names.map(refTarget)] });
  const rows = [];
  try {
    for (const [i, n] of result.nodes.entries()) {
      const name = names[i];
      const split = splitCases(n.node, 6);
      progress(`corpus: reference of ${name} on its test cases`);
      const [c] = await compareInterleaved([{ node: n.node, source: samplerRunSource(sampler, { target: slowTarget(n), cases: split.test }, { target: refTarget(name), cases: split.test }) }], { alpha: 0.01, timeBudgetMs: 6_000, minPairs: 4, maxPairs: 12 });
      const reference = 1 / (1 + c.change);
      const cdlc = n.speedup?.estimate ?? 1;
      const accepted = n.accepted !== undefined;
      rows.push({
        node: n.node,
        status: n.status,
        operators: n.accepted?.operators ?? [],
        cdlcSpeedup: accepted ? round(cdlc, 2) : null,
        cdlcInterval: n.speedup?.interval.map((x) => round(x, 2)) ?? null,
        measuredOn: n.speedup?.measuredOn ?? null,
        referenceSpeedup: round(reference, 2),
        recovered: accepted && reference > 1 ? round(Math.log(cdlc) / Math.log(reference), 2) : 0,
        reason: n.reason ?? null,
      });
    }
  } finally {
    await sampler.close();
  }
  const shares = rows.map((r) => r.recovered).sort((a, b) => a - b);
  return {
    functions: rows.length,
    optimizeSeconds: round(optimizeSeconds, 1),
    withinBudget: optimizeSeconds * 1000 <= budgetMs,
    improvedBy1_2: rows.filter((r) => (r.cdlcSpeedup ?? 0) >= 1.2).length,
    medianRecovered: shares[shares.length >> 1] ?? 0,
    canaries: result.canaries,
    rows,
  };
}

async function runTraps(dir, outDir) {
  cpSync(join(repo, "bench", "optimize-traps"), dir, { recursive: true, filter: (s) => basename(s) !== ".cdl" });
  const run = await bound(dir);
  progress(`traps: optimize --all --out with a ${budgetMs / 1000} s budget`);
  const result = await optimize(run, { cwd: dir, mode: "out", outDir, all: true, budgetMs, onProgress: (e) => progress(`  ${e.message}`) });
  const accepted = result.nodes.filter((n) => n.accepted !== undefined);
  const wrong = [];
  for (const n of accepted) {
    const [file, name] = [n.node.slice(0, n.node.indexOf("#")), n.node.slice(n.node.indexOf("#") + 1)];
    const original = await replay(join(dir, file), dir, name);
    const optimized = await replay(join(outDir, file), dir, name);
    if (original !== optimized) wrong.push({ node: n.node, operators: n.accepted.operators, original, optimized });
  }
  return {
    functions: result.nodes.length,
    accepted: accepted.map((n) => ({ node: n.node, operators: n.accepted.operators })),
    wrongAccepts: wrong.length,
    wrong,
    rejected: result.nodes.filter((n) => n.accepted === undefined).map((n) => ({ node: n.node, status: n.status, reason: n.reason ?? null })),
  };
}

/** Bundles a module with its imports and imports the bundle: a fresh module instance each time. */
async function importBundled(entry, root) {
  const out = await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "node", write: false, absWorkingDir: root, logLevel: "silent" });
  const code = `${out.outputFiles[0].text}\n// ${fresh++}\n`;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}

/**
 * Everything observable of the node's edge calls, as one string: results or
 * errors, arguments after each call, probes. The module and the edge inputs
 * are loaded afresh for each side, so neither sees state the other left.
 */
async function replay(file, trapsRoot, name) {
  const mod = await importBundled(file, trapsRoot);
  const { edges, probes } = await importBundled(join(trapsRoot, "edges.ts"), trapsRoot);
  const seen = [];
  for (const args of edges[name] ?? []) {
    let outcome;
    try {
      outcome = { returned: mod[name](...args) };
    } catch (e) {
      outcome = { threw: `${e?.name}: ${e?.message}` };
    }
    seen.push(outcome, { argsAfter: args }, probes[name] !== undefined ? { probe: probes[name](args) } : {});
  }
  return inspect(seen, { depth: Infinity, getters: false, showHidden: false, maxArrayLength: Infinity, breakLength: Infinity });
}

function printSummary(r) {
  const c = r.corpus;
  console.log(`corpus: ${c.functions} functions, optimize took ${c.optimizeSeconds} s of a ${r.budgetMs / 1000} s budget; ${c.improvedBy1_2} improved by ≥ 1.2×; median share of the reference's log-speedup recovered ${c.medianRecovered}; canaries ${c.canaries.caught}/${c.canaries.injected}`);
  for (const row of c.rows) console.log(`  ${row.node}: ${row.status}${row.cdlcSpeedup !== null ? ` ${row.cdlcSpeedup}× (${row.measuredOn}) via ${row.operators.join(" → ")}` : ""}; reference ${row.referenceSpeedup}×; recovered ${row.recovered}${row.reason ? `; ${row.reason}` : ""}`);
  if (r.traps !== null) {
    console.log(`traps: ${r.traps.functions} functions, ${r.traps.accepted.length} variants accepted, ${r.traps.wrongAccepts} wrong accepts`);
    for (const w of r.traps.wrong) console.log(`  WRONG: ${w.node} (${w.operators.join(" → ")})`);
  }
  console.log(`total ${r.totalSeconds} s`);
}
