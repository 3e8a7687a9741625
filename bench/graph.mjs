// Benchmark: building the Living Graph against `tsc --noEmit` on the same
// tsconfig, alternating the commands in every round so that both see the
// same machine load. Uses the built CLI (npm run build first).
//
//   node bench/graph.mjs [--files 1000] [--rounds 5] [--project PATH/tsconfig.json]
//
// Without --project, a realistic project of --files modules is generated in a
// temporary folder (bench/generate-graph-project.mjs). Results go to
// bench/results/graph.json; the summary is printed.
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateProject } from "./generate-graph-project.mjs";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const files = Number(opt("files", "1000"));
const rounds = Number(opt("rounds", "5"));
let project = opt("project", undefined);
let scratch;
if (project === undefined) {
  scratch = mkdtempSync(join(tmpdir(), "cdlc-graph-bench-"));
  generateProject(scratch, files);
  project = join(scratch, "tsconfig.json");
}
const root = dirname(project);
const cli = join(repo, "dist", "cli.js");
const tsc = join(repo, "node_modules", "typescript", "bin", "tsc");
const out = join(tmpdir(), `cdlc-graph-bench-${process.pid}.json`);

function time(label, argv, env = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { cwd: repo, encoding: "utf8", env: { ...process.env, CI: "", ...env } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${label} failed (${r.status}): ${r.stderr || r.stdout}`);
  return ms;
}

const graph = (extra) => [cli, "graph", "--project", project, "-o", out, ...extra];
// Warm the file system cache and the graph cache once (not measured).
time("tsc", [tsc, "-p", project, "--noEmit"]);
time("graph", graph([]));

// graphColdFirstRun: cold, and without the compiler's V8 code cache (as on the first run after installing).
const samples = { tsc: [], graphCold: [], graphColdFirstRun: [], graphOneFileChanged: [], graphUnchanged: [] };
const leaf = join(root, "src", "feature0", "mod0.ts");
for (let i = 0; i < rounds; i++) {
  samples.tsc.push(time("tsc", [tsc, "-p", project, "--noEmit"]));
  samples.graphCold.push(time("graph --no-cache", graph(["--no-cache"])));
  samples.graphColdFirstRun.push(time("graph --no-cache, no code cache", graph(["--no-cache"]), { CDLC_CODE_CACHE: "off" }));
  if (scratch !== undefined) {
    appendFileSync(leaf, `\nexport const edit${i} = (): number => compute0(${i}, (v) => v);\n`);
    samples.graphOneFileChanged.push(time("graph (one file changed)", graph([])));
  }
  samples.graphUnchanged.push(time("graph (unchanged)", graph([])));
  process.stderr.write(`round ${i + 1}/${rounds}: tsc ${samples.tsc.at(-1).toFixed(0)}ms, graph cold ${samples.graphCold.at(-1).toFixed(0)}ms, unchanged ${samples.graphUnchanged.at(-1).toFixed(0)}ms\n`);
}

const median = (xs) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const ratio = (x) => (x === null ? null : +(x / m.tsc).toFixed(3));
const result = {
  benchmark: "graph-vs-tsc",
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown", node: process.version },
  project: scratch !== undefined ? { generated: true, files } : { generated: false, tsconfig: project },
  rounds,
  samplesMs: samples,
  medianMs: m,
  ratios: { cold: ratio(m.graphCold), coldFirstRun: ratio(m.graphColdFirstRun), oneFileChanged: ratio(m.graphOneFileChanged), unchanged: ratio(m.graphUnchanged) },
  goals: { cold: 0.6, unchanged: 0.1 },
};
mkdirSync(join(repo, "bench", "results"), { recursive: true });
writeFileSync(join(repo, "bench", "results", "graph.json"), JSON.stringify(result, null, 2) + "\n");
console.log(JSON.stringify({ medianMs: m, ratios: result.ratios }, null, 2));
rmSync(out, { force: true });
if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
