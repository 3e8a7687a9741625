// Overhead of cdlc's instrumented build, as a ratio to a plain build of the
// same functions: the program transpiled the same way but not instrumented.
// All builds are loaded into this one process and timed in interleaved
// rounds (the order shuffled each round), so drift and noise of a shared
// machine hit every variant alike; the figure is the median of per-round
// ratios, with its interquartile range.
//
// Variants:
//   exposed         registered in the registry only (what every measured node gets)
//   tracked         flow tracking compiled in, tracking off (flow endpoints while timed)
//   tracked-active  tracking on and an edge into the function active (flow phase only)
//
// Usage: node --expose-gc bench/measure-overhead.mjs [rounds=300]
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const rounds = Number(process.argv[2] ?? 300);
const warmupRounds = 50;
const fixture = fileURLToPath(new URL("./measure-fixture", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "cdlc-overhead-"));

try {
  // The build code is TypeScript: bundle it for this script (inside node_modules, so its dependencies resolve).
  const cache = fileURLToPath(new URL("../node_modules/.cache/cdlc-bench/", import.meta.url));
  mkdirSync(cache, { recursive: true });
  const buildModule = join(cache, "measure-build.mjs");
  await build({ entryPoints: [fileURLToPath(new URL("../src/measure/build.ts", import.meta.url))], outfile: buildModule, bundle: true, format: "esm", platform: "node", packages: "external", logLevel: "warning" });
  const { buildProgram } = await import(pathToFileURL(buildModule).href);

  const file = join(fixture, "src", "kernels.ts");
  const names = ["add", "sumSquares", "matchesAll", "Counter.next"];
  const targets = (track) => names.map((q) => ({ id: `src/kernels.ts#${q}`, file, qualifiedName: q, track }));
  const load = async (label, t) => {
    const b = buildProgram({ projectRoot: fixture, buildRoot: join(work, label), targets: t });
    return import(pathToFileURL(b.outputs.get(file)).href);
  };
  const modules = { plain: await load("plain", []), exposed: await load("exposed", targets(false)), tracked: await load("tracked", targets(true)) };
  const rt = globalThis.__cdlc;

  const xs = Array.from({ length: 100 }, (_, i) => i * 0.5);
  const kernels = {
    add: (m) => ({ fn: m.add, self: undefined, a: 1, b: 2 }),
    sumSquares: (m) => ({ fn: m.sumSquares, self: undefined, a: xs, b: undefined }),
    matchesAll: (m) => ({ fn: m.matchesAll, self: undefined, a: "Ada Widget 12", b: ["ada", "widget"] }),
    "Counter.next": (m) => ({ fn: m.Counter.prototype.next, self: new m.Counter(3), a: 5, b: undefined }),
  };
  // One loop per variant, so no variant shares a call site's type feedback with another.
  const makeLoop = () =>
    new Function("c", "n", "sink", "let r; const t0 = process.hrtime.bigint(); for (let i = 0; i < n; i++) r = c.fn.call(c.self, c.a, c.b); const t1 = process.hrtime.bigint(); sink.v = r; return Number(t1 - t0);");
  const sink = { v: undefined };
  const gc = globalThis.gc ?? (() => {});
  let seed = 42;
  const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);

  const results = {};
  for (const [kernel, pick] of Object.entries(kernels)) {
    const variants = [
      { name: "plain", call: pick(modules.plain), loop: makeLoop() },
      { name: "exposed", call: pick(modules.exposed), loop: makeLoop() },
      { name: "tracked", call: pick(modules.tracked), loop: makeLoop() },
      { name: "tracked-active", call: pick(modules.tracked), loop: makeLoop(), active: true },
    ];
    // Calls per batch: about 1 ms of the plain function.
    let n = 1;
    while (variants[0].loop(variants[0].call, n, sink) < 1e6 && n < 1 << 24) n *= 2;
    const perCall = Object.fromEntries(variants.map((v) => [v.name, []]));
    for (let r = 0; r < warmupRounds + rounds; r++) {
      const order = [...variants].sort(() => random() - 0.5);
      for (const v of order) {
        if (v.active) {
          // An edge from a caller that is "on the stack" into this function: every call is counted.
          rt.trackEdges([{ from: "bench#caller", to: `src/kernels.ts#${kernel}` }]);
          rt.enter("bench#caller", []);
          rt.tracking = true;
        }
        const ns = v.loop(v.call, v.active ? Math.max(1, n >> 4) : n, sink) / (v.active ? Math.max(1, n >> 4) : n);
        rt.tracking = false;
        if (r >= warmupRounds) perCall[v.name].push(ns);
      }
      if (r % 20 === 0) gc();
    }
    const plain = perCall.plain;
    results[kernel] = {
      callsPerBatch: n,
      plainNsPerCall: round(median(plain)),
      ...Object.fromEntries(variants.slice(1).map((v) => [v.name, summarize(perCall[v.name].map((x, i) => x / plain[i]))])),
    };
  }

  const result = {
    rounds,
    warmupRounds,
    method: "interleaved rounds, shuffled order, one process; ratio = instrumented ns per call / plain ns per call of the same round",
    kernels: results,
    environment: { node: process.version, platform: process.platform, arch: process.arch, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, exposeGc: globalThis.gc !== undefined },
  };
  console.log(JSON.stringify(result, null, 2));
  const out = new URL("./results/", import.meta.url);
  mkdirSync(out, { recursive: true });
  writeFileSync(new URL("measure-overhead.json", out), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function summarize(ratios) {
  const s = [...ratios].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { ratioMedian: round(q(0.5)), ratioQ1: round(q(0.25)), ratioQ3: round(q(0.75)) };
}

function round(x) {
  return Math.round(x * 1000) / 1000;
}
