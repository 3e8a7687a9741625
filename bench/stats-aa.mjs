// A/A experiment: the same function compared with itself many times by
// interleaved paired runs, with cdlc's sequential decision at α = 0.01.
// Every decision is a false positive. Also runs benchmark.js's own
// comparison on A/A pairs, for reference. Results: bench/results/stats.json.
//
//   node bench/stats-aa.mjs [--experiments 200] [--budget-ms 1000]
import Benchmark from "benchmark";
import { consume, environment, inProcessSource, loadLibrary, warmUp, work } from "./stats-lib.mjs";
import { mergeResults } from "./stats-results.mjs";

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const experiments = arg("experiments", 200);
const budgetMs = arg("budget-ms", 1000);
const benchmarkJsPairs = arg("benchmarkjs-pairs", 40);
const N = 4000;
const alpha = 0.01;

const lib = await loadLibrary();
warmUp(N);
const started = performance.now();
const result = await lib.calibrate(inProcessSource(N, N, 10), {
  alpha,
  experiments,
  timeBudgetMs: budgetMs,
  minPairs: 4,
  maxPairs: 30,
  maxLooks: 6,
  onExperiment: (i, fp) => {
    if (fp || (i + 1) % 50 === 0) process.stderr.write(`A/A ${i + 1}/${experiments}${fp ? " (false positive)" : ""}\n`);
  },
});
const ours = { ...result, seconds: (performance.now() - started) / 1000 };

// benchmark.js: two back-to-back Benchmark runs of the same function, compared with its Mann–Whitney test (nominal 5%).
let bjsDifferent = 0;
const t1 = performance.now();
for (let i = 0; i < benchmarkJsPairs; i++) {
  const mk = () => new Benchmark("w", () => consume(work(N)), { minTime: 0.005, maxTime: 0.05, minSamples: 10 });
  const a = mk().run();
  const b = mk().run();
  if (a.compare(b) !== 0) bjsDifferent++;
}
const wilson = lib.stats.wilsonInterval(bjsDifferent, benchmarkJsPairs, 0.025);
const benchmarkjs = { pairs: benchmarkJsPairs, nominalLevel: 0.05, declaredDifferent: bjsDifferent, rate: bjsDifferent / benchmarkJsPairs, rateInterval95: wilson, seconds: (performance.now() - t1) / 1000 };

const out = {
  aa: {
    workload: `FNV-style hash loop, n = ${N} (same function and argument on both arms)`,
    alpha,
    budgetMsPerComparison: budgetMs,
    design: "interleaved paired runs (~10 ms each), up to 30 pairs, 6 looks, equal error spending, Holm over the two directions",
    cdlc: ours,
    benchmarkjs,
    goalMet: ours.falsePositiveRate <= alpha || ours.falsePositiveInterval[0] <= alpha,
  },
};
await mergeResults(out, environment());
console.log(JSON.stringify(out, null, 2));
