// Shared by the statistics benches: loads cdlc's statistics from the
// TypeScript sources (bundled in memory by esbuild, so no build step is
// needed) and provides an in-process workload and run source.
import { build } from "esbuild";
import { cpus, loadavg } from "node:os";

/** The decision and statistics modules, compiled from src/. */
export async function loadLibrary() {
  const entry = new URL("../src/measure/decide/index.ts", import.meta.url).pathname;
  const stats = new URL("../src/measure/stats/index.ts", import.meta.url).pathname;
  const out = await build({
    stdin: { contents: `export * from ${JSON.stringify(entry)}; export * as stats from ${JSON.stringify(stats)};`, resolveDir: process.cwd(), loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    logLevel: "warning",
  });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}

let sink = 0;
/** A deterministic CPU-bound function whose cost is linear in `n` (FNV-style hashing). */
export function work(n) {
  let h = 2166136261;
  for (let i = 0; i < n; i++) {
    h ^= i;
    h = Math.imul(h, 16777619);
  }
  return h;
}

/** Keeps results observable so the JIT cannot drop the calls. */
export function consume(x) {
  sink ^= x;
  return sink;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * One in-process "run" of an arm: timed batches of calls for about
 * `runMs`; the statistic is the median per-call time of the batches.
 * Batches last ≥ 50 µs, far above the timer's resolution.
 */
export function timedRun(n, runMs) {
  let k = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < k; i++) consume(work(n));
    if (Number(process.hrtime.bigint() - t0) >= 50_000 || k >= 1 << 20) break;
    k *= 2;
  }
  const samples = [];
  const start = performance.now();
  while (performance.now() - start < runMs || samples.length < 5) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < k; i++) consume(work(n));
    samples.push(Number(process.hrtime.bigint() - t0) / k);
  }
  return { statistic: median(samples), wallTimeMs: performance.now() - start, samples: samples.length };
}

/** A RunSource comparing work(nBaseline) with work(nCurrent). */
export function inProcessSource(nBaseline, nCurrent, runMs) {
  return (arm, budgetMs) => timedRun(arm === "baseline" ? nBaseline : nCurrent, Math.min(runMs, Math.max(1, budgetMs)));
}

export function environment() {
  return { node: process.version, v8: process.versions.v8, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, loadAverage: loadavg() };
}

/** Warms the function up so the first runs are not measuring the interpreter. */
export function warmUp(n) {
  const end = performance.now() + 300;
  while (performance.now() < end) consume(work(n));
}
