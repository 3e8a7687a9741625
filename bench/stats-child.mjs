// The statistics through the real child-process runner (not in-process
// arms): every run a fresh `node` child from the built CLI, timing its
// whole slice, exactly as `cdlc calibrate`, `cdlc bench --baseline` and the
// optimizer's speed gate run them.
//
// - A/A: a function compared with itself by interleaved paired runs; every
//   decision is a false positive. At --alpha (default 0.05, a rate that a few
//   hundred experiments can measure), with the 95% Wilson interval.
// - Power: the same function against versions whose loop runs 10% and 20%
//   longer, at α = 0.01: the share detected in the right direction.
//
// Needs `npm run build`. Results: bench/results/stats.json (key `childRunner`).
//
//   node bench/stats-child.mjs [--experiments 300] [--repeats 20] [--budget-ms 6000] [--alpha 0.05]
//
// A comparison is 4 to 12 interleaved pairs of runs within --budget-ms (A/A)
// or twice that (power); each run gets its share of the budget, at least 150 ms.
import { copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { progress, stopper } from "./bench-lib.mjs";
import { environment } from "./stats-lib.mjs";
import { mergeResults } from "./stats-results.mjs";

const stop = stopper("stats-child.mjs");
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!(v > 0)) stop(`--${name} takes a positive number`);
  return v;
};
const experiments = arg("experiments", 300);
const repeats = arg("repeats", 20);
const budgetMs = arg("budget-ms", 6000);
const pairLimits = { minPairs: 4, maxPairs: 12 };
const aaAlpha = arg("alpha", 0.05);
const powerAlpha = 0.01;
const effects = [0.1, 0.2];
// About 20–40 µs per call: a node of the size the measurement goals are about.
const N = 20_000;

const repo = fileURLToPath(new URL("..", import.meta.url));
const lib = (path) => import(pathToFileURL(join(repo, "dist", "lib", path)).href);
let sampling, decide, statsLib;
try {
  sampling = await lib("measure/sampler.js");
  decide = await lib("measure/decide/index.js");
  statsLib = await lib("measure/stats/index.js");
} catch {
  stop("bench/stats-child.mjs needs the built library: run `npm run build` first");
}

const variant = (name, n) => `export function ${name}(): number {
  let h = 2166136261;
  for (let i = 0; i < ${n}; i++) {
    h ^= i;
    h = Math.imul(h, 16777619);
  }
  return h;
}
`;
const names = { base: N, ...Object.fromEntries(effects.map((e) => [`slower${Math.round(e * 100)}`, Math.round(N * (1 + e))])) };
const dir = mkdtempSync(join(tmpdir(), "cdlc-stats-child-"));
const file = join(dir, "work.ts");
const workloadFile = join(dir, "workload.ts");
writeFileSync(file, Object.entries(names).map(([name, n]) => variant(name, n)).join("\n"));
writeFileSync(workloadFile, Object.keys(names).map((name) => `export const ${name} = () => [[]];\n`).join(""));
const target = (name) => ({ node: `work.ts#${name}`, file, qualifiedName: name, workloadModule: workloadFile, workloadExport: name, edges: [] });
// A private copy of the child: a rebuild of dist/ while the bench runs cannot break its runs.
// The bundle shares chunks with the CLI's: copy them too.
const childEntry = join(dir, "measure-child.js");
copyFileSync(join(repo, "dist", "measure-child.js"), childEntry);
cpSync(join(repo, "dist", "chunks"), join(dir, "chunks"), { recursive: true });
const sampler = sampling.createProcessSampler({ projectRoot: dir, files: [file, workloadFile], targets: Object.keys(names).map(target), childEntry });
// Runs that failed (none expected): counted and reported, since a comparison with a failed run decides nothing.
let failedRuns = 0;
const counting = (source) => async (arm, ms) => {
  const r = await source(arm, ms);
  if (r.failure !== undefined) {
    failedRuns++;
    progress(`a run failed: ${r.failure}`);
  }
  return r;
};

try {
  const started = performance.now();
  const aa = await decide.calibrate(counting(decide.samplerRunSource(sampler, target("base"), target("base"))), {
    alpha: aaAlpha,
    experiments,
    timeBudgetMs: budgetMs,
    ...pairLimits,
    onExperiment: (i, fp) => {
      if (fp || (i + 1) % 25 === 0) progress(`A/A ${i + 1}/${experiments}${fp ? " (false positive)" : ""}`);
    },
  });
  const aaSeconds = (performance.now() - started) / 1000;
  const aaFailedRuns = failedRuns;

  const rows = [];
  for (const effect of effects) {
    const slower = target(`slower${Math.round(effect * 100)}`);
    let detected = 0;
    let wrong = 0;
    const pairs = [];
    for (let i = 0; i < repeats; i++) {
      // Alternate which arm is the slower one, so both directions are exercised.
      const slowerIsCurrent = i % 2 === 0;
      const source = counting(slowerIsCurrent ? decide.samplerRunSource(sampler, target("base"), slower) : decide.samplerRunSource(sampler, slower, target("base")));
      let outcome;
      const [c] = await decide.compareInterleaved([{ node: "work", source }], { alpha: powerAlpha, timeBudgetMs: budgetMs * 2, ...pairLimits, onNodeDone: (_n, o) => (outcome = o) });
      const expected = slowerIsCurrent ? "regression" : "improvement";
      if (c.verdict === expected) detected++;
      else if (c.verdict === (slowerIsCurrent ? "improvement" : "regression")) wrong++;
      pairs.push(outcome.pairs.length);
      progress(`+${effect * 100}% #${i + 1}/${repeats}: ${c.verdict} (${(c.change * 100).toFixed(1)}%, ${outcome.pairs.length} pairs)`);
    }
    pairs.sort((a, b) => a - b);
    rows.push({ effect, repeats, detected, detectionRate: detected / repeats, detectionRateInterval95: statsLib.wilsonInterval(detected, repeats, 0.025), wrongDirection: wrong, medianPairs: pairs[pairs.length >> 1] });
  }

  const out = {
    childRunner: {
      runner: "createProcessSampler with the built CLI's measurement child; each run a fresh process timing its whole slice (until: budget, no memory samples); statistic: the run's median",
      workload: `FNV-style hash loop, n = ${N} (tens of µs per call)`,
      aa: {
        alpha: aaAlpha,
        experiments: aa.experiments,
        falsePositives: aa.falsePositives,
        falsePositiveRate: aa.falsePositiveRate,
        falsePositiveInterval95: aa.falsePositiveInterval,
        budgetMsPerComparison: budgetMs,
        pairsPerComparison: pairLimits,
        meanPairs: aa.meanPairs,
        logRatioSd: aa.logRatioSd,
        minimumDetectableEffect: aa.minimumDetectableEffect,
        seconds: Math.round(aaSeconds),
        failedRuns: aaFailedRuns,
      },
      power: { alpha: powerAlpha, budgetMsPerComparison: budgetMs * 2, rows, failedRuns: failedRuns - aaFailedRuns },
    },
  };
  if (failedRuns > 0) stop(`${failedRuns} runs failed: the figures would not mean what they say, so they are not saved`);
  await mergeResults(out, environment());
  console.log(JSON.stringify(out, null, 2));
} finally {
  await sampler.close();
  rmSync(dir, { recursive: true, force: true });
}
