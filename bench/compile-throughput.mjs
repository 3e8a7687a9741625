// Compile throughput of the CDL front end against JSON.parse of the same
// constraints as JSON IR, measured in one process with alternating runs.
// Usage: npm run build && node bench/compile-throughput.mjs [constraints=10000] [rounds=15]
import { writeFileSync, mkdirSync } from "node:fs";
import { loadavg } from "node:os";
import { compileCdl, createMemoryHost, toIr } from "../dist/lib/index.js";
import { generateCdl } from "./generate-cdl.mjs";

const n = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 15);
const text = generateCdl(n);
const host = createMemoryHost({ "/bench/constraints.cdl": text, "/bench/bench/workloads.ts": "" }, "/bench");
const compile = () => {
  const r = compileCdl("/bench/constraints.cdl", host);
  if (r.diagnostics.some((d) => d.severity === "error")) throw new Error(`bench input has errors: ${r.diagnostics[0].message}`);
  return toIr(r.model);
};
const json = JSON.stringify(compile());
// No forced gc() between runs: after a full collection V8 shrinks the young
// generation, and the next run pays for regrowing it, which measures V8's
// heap sizing rather than the code.
const time = (f) => {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
for (let i = 0; i < 5; i++) { compile(); JSON.parse(json); }
const cdlMs = [];
const jsonMs = [];
for (let i = 0; i < rounds; i++) {
  cdlMs.push(time(compile));
  jsonMs.push(time(() => JSON.parse(json)));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratios = cdlMs.map((c, i) => c / jsonMs[i]);
const mb = Buffer.byteLength(text) / 1e6;
const result = {
  constraints: n,
  cdlBytes: Buffer.byteLength(text),
  jsonBytes: Buffer.byteLength(json),
  rounds,
  compileMsMedian: median(cdlMs),
  jsonParseMsMedian: median(jsonMs),
  cdlMBps: mb / (median(cdlMs) / 1000),
  ratioToJsonParseMedian: median(ratios),
  goals: { minMBps: 30, maxRatio: 5 },
  node: process.version,
  // The machine is shared: how busy it was (1-minute load average at the end of the run).
  loadAverage: Number(loadavg()[0].toFixed(2)),
};
console.log(JSON.stringify(result, null, 2));
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/compile-throughput.json", import.meta.url), JSON.stringify(result, null, 2) + "\n");
