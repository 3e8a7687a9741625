// Power experiment: a function against a version of itself whose real
// cost is 5%, 10% or 20% higher (the same loop with proportionally more
// iterations), compared by interleaved paired runs with cdlc's sequential
// decision at α = 0.01 and a 10 s budget per pair of versions. Reports the
// detection rate and the time to a decision. Results: bench/results/stats.json.
//
//   node bench/stats-power.mjs [--repeats 60] [--budget-ms 10000]
import { environment, inProcessSource, loadLibrary, warmUp } from "./stats-lib.mjs";
import { mergeResults } from "./stats-results.mjs";

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const repeats = arg("repeats", 60);
const budgetMs = arg("budget-ms", 10_000);
const N = 4000;
const alpha = 0.01;
const effects = [0.05, 0.1, 0.2];

const lib = await loadLibrary();
warmUp(N);
warmUp(Math.round(N * 1.2));
const rows = [];
for (const effect of effects) {
  const nB = Math.round(N * (1 + effect));
  const outcomes = [];
  for (let i = 0; i < repeats; i++) {
    let outcome;
    // Alternate which side is the slower one's label so both directions are exercised.
    const slowerIsCurrent = i % 2 === 0;
    const source = slowerIsCurrent ? inProcessSource(N, nB, 15) : inProcessSource(nB, N, 15);
    const [c] = await lib.compareInterleaved([{ node: "work", source }], {
      alpha,
      timeBudgetMs: budgetMs,
      minPairs: 4,
      maxPairs: 120,
      maxLooks: 8,
      onNodeDone: (_node, o) => (outcome = o),
    });
    const expected = slowerIsCurrent ? "regression" : "improvement";
    outcomes.push({ verdict: c.verdict, correct: c.verdict === expected, wrongDirection: c.verdict === (slowerIsCurrent ? "improvement" : "regression"), change: c.change, interval: c.interval, pairs: outcome.pairs.length, seconds: (outcome.decidedAtMs ?? outcome.usedMs) / 1000, decidedEarly: outcome.decidedAtMs !== undefined });
    process.stderr.write(`effect ${effect * 100}% #${i + 1}: ${c.verdict} ${(c.change * 100).toFixed(1)}% after ${outcome.pairs.length} pairs\n`);
  }
  const detected = outcomes.filter((o) => o.correct).length;
  const times = outcomes.filter((o) => o.correct).map((o) => o.seconds).sort((a, b) => a - b);
  const q = (p) => (times.length ? times[Math.min(times.length - 1, Math.floor(p * times.length))] : null);
  const expectedChange = (o, i) => (i % 2 === 0 ? effect : 1 / (1 + effect) - 1);
  rows.push({
    effect,
    repeats,
    detected,
    detectionRate: detected / repeats,
    detectionRateInterval95: lib.stats.wilsonInterval(detected, repeats, 0.025),
    wrongDirection: outcomes.filter((o) => o.wrongDirection).length,
    secondsToDecision: { median: q(0.5), p90: q(0.9), max: times.at(-1) ?? null },
    medianPairs: outcomes.map((o) => o.pairs).sort((a, b) => a - b)[outcomes.length >> 1],
    meanEstimatedChangeError: outcomes.reduce((s, o, i) => s + Math.abs(o.change - expectedChange(o, i)), 0) / repeats,
  });
}
const five = rows.find((r) => r.effect === 0.05);
const out = {
  power: {
    workload: `FNV-style hash loop, n = ${N} vs n·(1 + effect)`,
    alpha,
    budgetMsPerPair: budgetMs,
    design: "interleaved paired runs (~15 ms each), 4..120 pairs, 8 looks, equal error spending, Holm over the two directions",
    rows,
    goal: "5% detected at ≥ 95% power within 10 s per pair",
    goalMet: five.detectionRate >= 0.95 && (five.secondsToDecision.max ?? Infinity) <= 10,
  },
};
await mergeResults(out, environment());
console.log(JSON.stringify(out, null, 2));
