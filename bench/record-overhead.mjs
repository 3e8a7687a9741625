// What `cdlc record` costs the command it runs (issue #14), through the built
// CLI (npm run build first). Every figure compares runs made in this one
// benchmark, interleaved, the first of each pair or round alternating
// (AB BA AB …, ABC CBA …), so that drift and the load of a shared machine
// fall on both sides alike: ratios and paired differences, never lone times.
//
// 1. Per call. bench/record-overhead's driver times three functions of about
//    50 ns, 1 µs and 50 µs a call in its own process (median ns per call of
//    fixed batches), run with tsx plain and under `cdlc record`. Per function:
//    the added ns per call (median of the paired differences), and, from the
//    recording, the share of calls the recorder timed and the added ns per
//    timed call (added ns per call ÷ timed share: all the added time put on
//    the timed calls, so an upper bound; part 4 tells the wrapper, counting
//    and timing apart). Goal: under 100 ns added per call.
// 2. Wall time. examples/shop's vitest suite (`npx vitest run`, the recorder's
//    plugin in its config) and a plain-Node script (dist/scripts/traffic.js
//    2000, compiled with tsc first): plain, with the recorder preloaded
//    directly (NODE_OPTIONS and a plan as `cdlc record` writes it on a
//    rerun, with the edits earlier runs kept; no cdlc process), and under
//    `cdlc record`. Goal: `cdlc record` under 5% over plain. Beside it, the
//    floor for any recorder that runs as a Node process of its own before the
//    command: one bare Node start (part 3) as a share of the plain run.
// 3. Start-up, where the fixed cost goes: `node -e 0` plain; with the
//    preload and no plan (loading the file); with an empty module-hooks
//    registration (Node's hooks thread, which the recorder starts for ES
//    modules); with the preload and a plan (everything the recorder does at
//    start); loading the instrumenter (the parser, loaded with the first
//    watched file); and under `cdlc record` (its own start-up, graph,
//    binding, merge).
// 4. Anatomy of a recorded call, in this process through the built library:
//    the fixture's functions plain, instrumented with no recorder (the
//    wrapper's effect on the compiled code), counted, and timed on every
//    call, interleaved; then one read of the clock, the histogram's bucket of
//    a time, and the recorder's enter and leave on a timed and an untimed call.
//
// Results: bench/results/record-overhead.json (a --quick smoke run prints
// them and writes nothing).
//
//   node bench/record-overhead.mjs [--pairs 12] [--quick]
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fail, median, progress, round, stopper, summary } from "./bench-lib.mjs";

const stop = stopper("record-overhead.mjs");
const repo = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const usage = "usage: node bench/record-overhead.mjs [--pairs 12] [--quick]";
const quick = args.includes("--quick");
const rest = args.filter((a) => a !== "--quick");
if (rest.length !== 0 && !(rest.length === 2 && rest[0] === "--pairs")) stop(usage);
const pairs = rest.length === 2 ? Number(rest[1]) : quick ? 3 : 12;
if (!Number.isInteger(pairs) || pairs < 1) stop(`--pairs takes a whole number, at least 1 (got '${rest[1]}')`);
/** The driver's kept rounds and warm-up rounds (each round ≈ 30 ms of calls). */
const driverRounds = quick ? 8 : 20;
const driverWarmup = 3;
const trafficOrders = "2000";
const perCallGoalNs = 100;
const wallGoalRatio = 1.05;
const KERNELS = ["hashKey", "dotProduct", "countPrimes"];
// The recorder's rule for a node's timed share (src/record/recorder.ts, not exported): timing may add this
// share of the node's mean time, a timed call counted as two clock reads, and never fewer than 1 call in 64.
const RECORDER_TIMING_BUDGET = 0.02;
const RECORDER_MIN_SHARE = 1 / 64;

for (const file of ["cli.js", "record-preload.cjs", join("lib", "index.js"), join("lib", "record", "plan.js")]) {
  if (!existsSync(join(repo, "dist", file))) stop(`missing dist/${file}: bench/record-overhead.mjs needs the built CLI; run \`npm run build\` first`);
}
const shop = join(repo, "examples", "shop");
if (!existsSync(join(shop, "vitest.config.ts"))) stop("examples/shop has no vitest.config.ts: part 2 runs its vitest suite");
// A private copy of the build, inside the repository so that its imports still find node_modules:
// a rebuild of dist/ while the benchmark runs cannot pull the CLI or the preload from under it.
const dist = join(repo, `.bench-dist-${process.pid}`);
cpSync(join(repo, "dist"), dist, { recursive: true });
process.on("exit", () => rmSync(dist, { recursive: true, force: true }));
const cli = join(dist, "cli.js");
const preload = join(dist, "record-preload.cjs");
const lib = (path) => import(pathToFileURL(join(dist, "lib", path)).href);
const tsxLoader = import.meta.resolve("tsx");

// Plain runs must not inherit a recorder from whatever started this benchmark.
const plainEnv = { ...process.env };
delete plainEnv.CDLC_RECORD_PLAN;
const started = performance.now();
const loadStart = loadavg();
const work = mkdtempSync(join(tmpdir(), "cdlc-record-overhead-"));
try {
  const perCall = runPerCall();
  progress("building examples/shop with tsc (tsconfig.build.json)");
  run(process.execPath, [join(repo, "node_modules", "typescript", "bin", "tsc"), "-p", join(shop, "tsconfig.build.json")], { cwd: repo });
  const shopPlan = await writeShopPlan();
  const wallTime = runWallTime(shopPlan);
  const startup = runStartup(shopPlan);
  // The floor for any recorder run by a command of its own, written in Node: one Node start before the command.
  for (const suite of Object.values(wallTime)) suite.oneNodeStartRatio = round(1 + startup.bareMs.median / suite.plainMs.median, 3);
  const anatomy = await runAnatomy();
  const result = {
    benchmark: "record-overhead",
    date: new Date().toISOString(),
    quick,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown", node: process.version, platform: process.platform },
    loadAverage: { start: loadStart.map((x) => round(x, 2)), end: loadavg().map((x) => round(x, 2)) },
    method:
      "interleaved runs in one benchmark, the first of each pair or round alternating (AB BA …); per call: the driver's median ns per call over its kept rounds, per pair recorded minus plain; wall time: whole commands, per round the ratio to plain; figures are medians with quartiles and min–max",
    goals: { maxAddedNsPerCall: perCallGoalNs, maxWallTimeRatio: wallGoalRatio },
    perCall,
    wallTime,
    startup,
    anatomy,
    totalSeconds: round((performance.now() - started) / 1000, 1),
  };
  printSummary(result);
  if (quick) {
    console.log("\n(--quick: a smoke run; bench/results/record-overhead.json is left as it was)");
  } else {
    mkdirSync(join(repo, "bench", "results"), { recursive: true });
    writeFileSync(join(repo, "bench", "results", "record-overhead.json"), `${JSON.stringify(result, null, 1)}\n`);
  }
} catch (e) {
  if (e?.benchFailure !== true) throw e;
  console.error(`bench/record-overhead.mjs: ${e.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Part 1: the driver plain and under `cdlc record`, in pairs. */
function runPerCall() {
  const fixture = join(work, "record-overhead");
  cpSync(join(repo, "bench", "record-overhead"), fixture, { recursive: true, filter: (s) => basename(s) !== ".cdl" });
  const driver = ["--import", tsxLoader, join("scripts", "driver.ts"), String(driverRounds), String(driverWarmup)];
  const plain = () => driverOutput(run(process.execPath, driver, { cwd: fixture }));
  const recorded = (i) => {
    const out = join(work, `driver-${i}.json`);
    const output = driverOutput(run(process.execPath, [cli, "record", "constraints.cdl", "--project", ".", "--quiet", "--out", out, "--", process.execPath, ...driver], { cwd: fixture }));
    return { ...output, recording: readJson(out) };
  };
  progress(`per call: warm-up, then ${pairs} pairs of driver runs (plain, recorded)`);
  plain();
  recorded("warmup");
  const rows = [];
  for (let i = 0; i < pairs; i++) {
    progress(`  pair ${i + 1}/${pairs}`);
    // AB BA: the side that runs first alternates.
    const row = {};
    if (i % 2 === 0) {
      row.plain = plain();
      row.recorded = recorded(i);
    } else {
      row.recorded = recorded(i);
      row.plain = plain();
    }
    rows.push(row);
  }
  const clockNs = rows.map((row) => Object.values(row.recorded.recording.nodes)[0]?.clockNs ?? Number.NaN);
  const kernels = {};
  for (const name of KERNELS) {
    const node = `src/kernels.ts#${name}`;
    const records = rows.map((row) => row.recorded.recording.nodes[node]);
    if (records.some((n) => n === undefined || n.calls === 0)) fail(`the recording has no calls of ${node}: was it instrumented? (${JSON.stringify(rows[0].recorded.recording.notes)})`);
    const plainNs = rows.map((row) => row.plain.perCallNs[name]);
    const recordedNs = rows.map((row) => row.recorded.perCallNs[name]);
    const added = recordedNs.map((x, i) => x - plainNs[i]);
    const shares = records.map((n) => n.timedShare ?? 1);
    const timed = records.map(histogramCount);
    kernels[name] = {
      plainNsPerCall: spread(plainNs),
      recordedNsPerCall: spread(recordedNs),
      addedNsPerCall: spread(added),
      ratio: spread(recordedNs.map((x, i) => x / plainNs[i]), 3),
      timedShare: spread(shares, 4),
      callsPerRun: records[0].calls,
      timedCallsPerRun: spread(timed, 0),
      addedNsPerTimedCall: spread(added.map((d, i) => d / shares[i])),
      // The recorder's own view of the same calls (its histogram's median, the clock's cost taken off).
      recordedMedianNs: spread(records.map((n) => histogramMedian(n.timeNs))),
      // The share the recorder's rule gives for this function's warm time (its probe sees the first, cold, calls).
      timedShareForWarmTime: round(Math.min(1, Math.max(RECORDER_MIN_SHARE, (RECORDER_TIMING_BUDGET * median(plainNs)) / (2 * median(clockNs)))), 4),
      goalMet: median(added) <= perCallGoalNs,
    };
  }
  return {
    pairs,
    driverRounds,
    driverWarmupRounds: driverWarmup,
    runner: "node --import tsx scripts/driver.ts (bench/record-overhead)",
    kernels,
    clockReadNs: spread(rows.flatMap((row) => [row.plain.clockReadNs, row.recorded.clockReadNs])),
    // The recorder's estimate of one clock read (the least gap it saw); it sizes shares as if a timed call cost two of them.
    recorderClockNs: spread(clockNs),
  };
}

/** The plan `cdlc record` would write for examples/shop, for runs with the recorder preloaded directly. */
async function writeShopPlan() {
  const { checkCdlFileWithProject, createNodeHost } = await lib("index.js");
  const { planFor } = await lib("record/plan.js");
  const checked = await checkCdlFileWithProject("constraints.cdl", "tsconfig.json", createNodeHost(shop), shop, { cache: true });
  if (checked.run.graph === undefined || checked.run.binding === undefined || checked.diagnostics.some((d) => d.severity === "error")) {
    fail(`examples/shop does not check: ${checked.diagnostics.map((d) => d.message).join("; ")}`);
  }
  const { readEditsCache } = await lib("record/edits-cache.js");
  const outDir = join(work, "preload-records");
  const path = join(work, "shop-plan.json");
  const plan = planFor(checked.run.graph, checked.run.binding, outDir);
  // As `cdlc record` writes it on a rerun: with the edits its earlier runs kept (the recorded warm-up keeps them).
  const refresh = () => writeFileSync(path, JSON.stringify({ ...plan, prepared: readEditsCache(shop, plan) }));
  refresh();
  return { path, outDir, refresh, env: { ...plainEnv, CDLC_RECORD_PLAN: path, NODE_OPTIONS: `${plainEnv.NODE_OPTIONS ?? ""} --require ${preload}`.trim() } };
}

/** Part 2: the shop's vitest suite and traffic script, plain, preloaded and under `cdlc record`. */
function runWallTime(plan) {
  const vitest = ["npx", ["vitest", "run"]];
  const traffic = [process.execPath, [join(shop, "dist", "scripts", "traffic.js"), trafficOrders]];
  const recordArgs = (out) => [cli, "record", join(shop, "constraints.cdl"), "--project", shop, "--quiet", "--out", out, "--"];
  const suites = {
    vitest: { cwd: shop, command: vitest, label: "npx vitest run (examples/shop)" },
    traffic: { cwd: repo, command: traffic, label: `node examples/shop/dist/scripts/traffic.js ${trafficOrders}` },
  };
  const out = {};
  for (const [name, suite] of Object.entries(suites)) {
    const [cmd, cmdArgs] = suite.command;
    const processes = [];
    const variants = {
      plain: () => timed(cmd, cmdArgs, { cwd: suite.cwd }),
      preloaded: () => {
        plan.refresh();
        const ms = timed(cmd, cmdArgs, { cwd: suite.cwd, env: plan.env });
        const files = existsSync(plan.outDir) ? readdirSync(plan.outDir) : [];
        if (!files.some((f) => !f.startsWith("hooks-"))) fail(`${suite.label} with the recorder preloaded wrote no records`);
        rmSync(plan.outDir, { recursive: true, force: true });
        return ms;
      },
      recorded: (i) => {
        const file = join(work, `${name}-${i}.json`);
        const ms = timed(process.execPath, [...recordArgs(file), cmd, ...cmdArgs], { cwd: suite.cwd });
        const recording = readJson(file);
        if (Object.keys(recording.nodes).length === 0) fail(`${suite.label} under cdlc record recorded no call`);
        if (i !== "warmup") processes.push(recording.processes);
        return ms;
      },
    };
    progress(`wall time: ${suite.label}, warm-up, then ${pairs} rounds (plain, preloaded, recorded)`);
    const ms = interleaved(variants, pairs);
    out[name] = {
      command: suite.label,
      rounds: pairs,
      plainMs: summary(ms.plain, 0),
      preloadedMs: summary(ms.preloaded, 0),
      recordedMs: summary(ms.recorded, 0),
      recordedRatio: spread(ratios(ms.recorded, ms.plain), 3),
      preloadedRatio: spread(ratios(ms.preloaded, ms.plain), 3),
      // What cdlc's own process adds beyond the preload: start-up, graph and binding (cached), merging, writing.
      cdlcProcessMs: spread(ms.recorded.map((x, i) => x - ms.preloaded[i]), 0),
      processesRecorded: summary(processes, 0),
      goalMet: median(ratios(ms.recorded, ms.plain)) <= wallGoalRatio,
    };
  }
  return out;
}

/** Part 3: where a process's start-up time goes under the recorder. */
function runStartup(plan) {
  const hook = join(work, "empty-hook.cjs");
  writeFileSync(hook, `require("node:module").register("data:text/javascript,export%20%7B%7D");\n`);
  const bare = ["-e", "0"];
  const variants = {
    bare: () => timed(process.execPath, bare, { cwd: repo }),
    preloadFile: () => timed(process.execPath, bare, { cwd: repo, env: { ...plainEnv, NODE_OPTIONS: plan.env.NODE_OPTIONS } }),
    emptyHooks: () => timed(process.execPath, ["--require", hook, ...bare], { cwd: repo }),
    preloadWithPlan: () => timed(process.execPath, bare, { cwd: repo, env: plan.env }),
    instrumenterLoad: () => timed(process.execPath, ["-e", `require(${JSON.stringify(join(dist, "record-instrument.cjs"))})`], { cwd: repo }),
    cdlcRecord: (i) => timed(process.execPath, [cli, "record", join(shop, "constraints.cdl"), "--project", shop, "--quiet", "--out", join(work, `startup-${i}.json`), "--", process.execPath, ...bare], { cwd: repo }),
  };
  progress(`start-up: warm-up, then ${pairs} rounds of node -e 0 (${Object.keys(variants).join(", ")})`);
  const ms = interleaved(variants, pairs);
  const added = (name) => spread(ms[name].map((x, i) => x - ms.bare[i]), 1);
  return {
    rounds: pairs,
    bareMs: summary(ms.bare, 1),
    addedMs: {
      preloadFile: added("preloadFile"),
      emptyHooks: added("emptyHooks"),
      preloadWithPlan: added("preloadWithPlan"),
      instrumenterLoad: added("instrumenterLoad"),
      cdlcRecord: added("cdlcRecord"),
    },
    meaning: {
      preloadFile: "NODE_OPTIONS=--require record-preload.cjs, no plan: loading the preload bundle",
      emptyHooks: "an empty module.register() hook: Node's module-hooks thread, which the recorder starts for ES modules",
      preloadWithPlan: "the preload with a plan (examples/shop): everything the recorder does when a process starts",
      instrumenterLoad: "loading record-instrument.cjs (the parser), which a process loads when it first loads a watched file",
      cdlcRecord: "cdlc record … -- node -e 0: the above plus cdlc's own process (start-up, graph and binding from the cache, merging, writing)",
    },
  };
}

/**
 * Part 4: what the parts of a recorded call cost, in this process. The fixture's functions are
 * loaded four times, instrumented as `cdlc record` does it or not, each copy bound to its own
 * recorder, and timed in interleaved rounds: plain; the instrumentation's wrapper with no recorder
 * (what the try/catch/finally does to the function's code); counted (a recorder that times almost
 * no call); every call timed. Then the recorder's operations alone.
 */
async function runAnatomy() {
  const { createRecorder } = await lib("record/recorder.js");
  const { bucketIndex } = await lib("record/histogram.js");
  const { instrumentSource } = await lib("record/instrument-source.js");
  const { RECORDER_GLOBAL } = await lib("record/plan.js");
  const { transform } = await import("esbuild");
  const source = readFileSync(join(repo, "bench", "record-overhead", "src", "kernels.ts"), "utf8");
  const instrumented = instrumentSource(source, { nodes: KERNELS.map((qualifiedName, index) => ({ index, qualifiedName })), typescript: true });
  if (instrumented.instrumented.length !== KERNELS.length) fail(`anatomy: the fixture's functions were not all instrumented: ${JSON.stringify(instrumented.skipped)}`);
  const plan = { version: 1, nodes: KERNELS.map((q) => ({ id: `src/kernels.ts#${q}`, file: join(work, "kernels.ts"), qualifiedName: q })), edges: [], outDir: join(work, "anatomy-records") };
  // A clock cost so large that the share sits at its floor, and gaps drawn long: about 1 call in 1,755 timed.
  const countingRecorder = createRecorder(plan, { clockNs: 1e9, random: () => 1 - 1e-12 });
  // Every call timed (each gap drawn as 1), the real clock; no clock cost taken off, so that
  // every time lands in a histogram bucket as a real call's does (an empty body's would not).
  const timingRecorder = createRecorder(plan, { random: () => 0, clockNs: 0 });
  const dir = join(work, "anatomy-modules");
  mkdirSync(dir, { recursive: true });
  const load = async (name, code, recorder) => {
    const file = join(dir, `${name}.mjs`);
    writeFileSync(file, (await transform(code, { loader: "ts", format: "esm", target: "es2022" })).code);
    // Instrumented modules read the recorder once, when they are evaluated.
    globalThis[RECORDER_GLOBAL] = recorder;
    try {
      return await import(pathToFileURL(file).href);
    } finally {
      delete globalThis[RECORDER_GLOBAL];
    }
  };
  const modules = {
    plain: await load("plain", source, undefined),
    wrapperOnly: await load("wrapper", instrumented.code, undefined),
    counted: await load("counted", instrumented.code, countingRecorder),
    timed: await load("timed", instrumented.code, timingRecorder),
  };

  const keys = Array.from({ length: 64 }, (_, i) => `customer-${i * 7919}-order`);
  const a = Float64Array.from({ length: 640 }, (_, i) => i * 0.5);
  const b = Float64Array.from({ length: 640 }, (_, i) => 1 / (i + 1));
  const sink = { v: 0 };
  // As in the driver: a loop per kernel and variant with its own type feedback, batches of about 5 ms. Each loop's
  // source names its variant: V8 caches code compiled from the same text by `new Function`, and loops sharing it
  // would share one call site's feedback, whose many targets would keep every variant from being inlined.
  const loopOf = (variant, params, body) => new Function(...params, `/* ${variant} */ return (n) => { let s = 0; for (let i = 0; i < n; i++) ${body}; sink.v += s; }`);
  const kernelLoop = {
    hashKey: (f, variant) => [50_000, loopOf(variant, ["f", "keys", "sink"], "s ^= f(keys[i & 63])")(f, keys, sink)],
    dotProduct: (f, variant) => [4_000, loopOf(variant, ["f", "a", "b", "sink"], "s += f(a, b)")(f, a, b, sink)],
    countPrimes: (f, variant) => [100, loopOf(variant, ["f", "sink"], "s += f(12000)")(f, sink)],
  };
  const n = 200_000;
  const operations = {
    clockRead: () => {
      for (let i = 0; i < n; i++) sink.v += performance.now();
    },
    histogramBucket: () => {
      for (let i = 0; i < n; i++) sink.v += bucketIndex(300 + (i & 1023), 7);
    },
    timedEnterLeave: () => {
      for (let i = 0; i < n; i++) timingRecorder.l(0, timingRecorder.e(0));
    },
    untimedEnterLeave: () => {
      for (let i = 0; i < n; i++) countingRecorder.l(0, countingRecorder.e(0));
    },
  };
  const batches = [
    ...KERNELS.flatMap((kernel) => Object.entries(modules).map(([variant, m]) => [`${kernel}/${variant}`, ...kernelLoop[kernel](m[kernel], variant)])),
    ...Object.entries(operations).map(([name, loop]) => [name, n, loop]),
  ];
  const rounds = quick ? 5 : 15;
  const warmup = 3;
  const ns = Object.fromEntries(batches.map(([name]) => [name, []]));
  progress(`anatomy: ${rounds} rounds of the fixture's functions (${Object.keys(modules).join(", ")}) and the recorder's operations`);
  for (let r = 0; r < warmup + rounds; r++) {
    for (const [name, calls, loop] of r % 2 === 0 ? batches : [...batches].reverse()) {
      const t0 = process.hrtime.bigint();
      loop(calls);
      if (r >= warmup) ns[name].push(Number(process.hrtime.bigint() - t0) / calls);
    }
  }
  if (!Number.isFinite(sink.v)) fail("anatomy: the sink is not finite");
  const minus = (x, y) => spread(ns[x].map((v, i) => v - ns[y][i]));
  return {
    rounds,
    kernels: Object.fromEntries(
      KERNELS.map((k) => [
        k,
        {
          plainNs: spread(ns[`${k}/plain`]),
          wrapperOnlyAddedNs: minus(`${k}/wrapperOnly`, `${k}/plain`),
          countedAddedNs: minus(`${k}/counted`, `${k}/plain`),
          timedAddedNs: minus(`${k}/timed`, `${k}/plain`),
          perTimedCallNs: minus(`${k}/timed`, `${k}/counted`),
        },
      ]),
    ),
    nsPerOperation: Object.fromEntries(Object.keys(operations).map((k) => [k, spread(ns[k])])),
    meaning: {
      wrapperOnlyAddedNs: "the instrumented function with no recorder installed, minus plain: what the try/catch/finally wrapper does to the function's compiled code",
      countedAddedNs: "instrumented, every call counted and almost none timed, minus plain: what every recorded call pays",
      timedAddedNs: "instrumented, every call timed, minus plain",
      perTimedCallNs: "every call timed minus counted: what timing adds to a call it times",
      clockRead: "performance.now(), the recorder's clock (a timed call reads it twice)",
      histogramBucket: "bucketIndex(ns, 7): the histogram bucket of one time (once per timed call)",
      timedEnterLeave: "recorder e() + l() on a call it times, without any function body",
      untimedEnterLeave: "recorder e() + l() on a call it only counts",
    },
  };
}

/** Runs each variant once per round, the order reversed every other round, after one warm-up round. */
function interleaved(variants, rounds) {
  const names = Object.keys(variants);
  for (const name of names) variants[name]("warmup");
  const ms = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    progress(`  round ${r + 1}/${rounds}`);
    for (const name of r % 2 === 0 ? names : [...names].reverse()) ms[name].push(variants[name](r));
  }
  return ms;
}

/** Wall time of one command, ms (it must succeed). */
function timed(cmd, cmdArgs, options) {
  const t0 = performance.now();
  run(cmd, cmdArgs, options);
  return performance.now() - t0;
}

function run(cmd, cmdArgs, { cwd, env = plainEnv }) {
  const r = spawnSync(cmd, cmdArgs, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error !== undefined || r.status !== 0) {
    const tail = `${r.stderr ?? ""}${r.stdout ?? ""}`.trim().split("\n").slice(-15).join("\n");
    fail(`\`${[basename(cmd), ...cmdArgs.map((a) => (a.startsWith(repo) ? a.slice(repo.length) : a))].join(" ")}\` failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}):\n${tail}`);
  }
  return r.stdout;
}

function driverOutput(stdout) {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(line);
  } catch {
    return fail(`the driver printed no result line: ${stdout.slice(-500)}`);
  }
}

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

function ratios(xs, base) {
  return xs.map((x, i) => x / base[i]);
}

/** Timed calls in a node's record: its histogram's count. */
function histogramCount(record) {
  return record.timeNs.zero + record.timeNs.buckets.reduce((sum, [, c]) => sum + c, 0);
}

/** The midpoint of the bucket holding a histogram's median. */
function histogramMedian(h) {
  const total = h.zero + h.buckets.reduce((sum, [, c]) => sum + c, 0);
  const rank = Math.max(1, Math.ceil(total / 2));
  if (rank <= h.zero) return 0;
  let seen = h.zero;
  const per = 2 ** h.bits;
  for (const [index, count] of h.buckets) {
    seen += count;
    if (seen < rank) continue;
    const e = Math.floor(index / per);
    return 2 ** e * (1 + (index - e * per + 0.5) / per);
  }
  return Number.NaN;
}

/** Median, quartiles (linear interpolation), min, max and every sample, rounded. */
function spread(xs, digits = 1) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => {
    const at = p * (s.length - 1);
    const lo = Math.floor(at);
    return s[lo] + (s[Math.min(s.length - 1, lo + 1)] - s[lo]) * (at - lo);
  };
  return { ...summary(xs, digits), q1: round(q(0.25), digits), q3: round(q(0.75), digits) };
}

function printSummary(r) {
  const signed = (x) => (x >= 0 ? `+${x}` : `−${-x}`);
  const range = (s, unit = "") => `${signed(s.median)}${unit} (IQR ${s.q1}–${s.q3}, ${s.min}–${s.max})`;
  const met = (ok) => (ok ? "met" : "missed");
  console.log(`\ncdlc record overhead — ${r.machine.cpus} cores, ${r.machine.node}, load ${r.loadAverage.start[0]} → ${r.loadAverage.end[0]}`);
  console.log(`\n1. per call, tsx driver plain vs recorded (${r.perCall.pairs} pairs; goal ≤ ${perCallGoalNs} ns added per call)`);
  for (const [name, k] of Object.entries(r.perCall.kernels)) {
    console.log(
      `  ${name.padEnd(12)} plain ${k.plainNsPerCall.median} ns, added ${range(k.addedNsPerCall, " ns")} per call (×${k.ratio.median}); timed share ${k.timedShare.median} (${k.timedShareForWarmTime} for its warm time), ${signed(k.addedNsPerTimedCall.median)} ns per timed call — ${met(k.goalMet)}`,
    );
  }
  console.log(`  clock read ${r.perCall.clockReadNs.median} ns (the recorder's estimate of the clock's cost: ${r.perCall.recorderClockNs.median} ns)`);
  console.log(`\n2. wall time, ratio to plain (${r.wallTime.vitest.rounds} rounds; goal ≤ ×${wallGoalRatio})`);
  for (const w of Object.values(r.wallTime)) {
    console.log(`  ${w.command}: plain ${w.plainMs.median} ms; recorded ×${w.recordedRatio.median} (IQR ${w.recordedRatio.q1}–${w.recordedRatio.q3}, ${w.recordedRatio.min}–${w.recordedRatio.max}); preloaded only ×${w.preloadedRatio.median}; cdlc's process ${signed(w.cdlcProcessMs.median)} ms (one Node start alone: ×${w.oneNodeStartRatio}) — ${met(w.goalMet)}`);
  }
  console.log(`\n3. start-up of node -e 0 (${r.startup.bareMs.median} ms bare), added ms:`);
  for (const [name, s] of Object.entries(r.startup.addedMs)) console.log(`  ${name.padEnd(16)} ${range(s)}`);
  console.log(`\n4. anatomy, in one process (${r.anatomy.rounds} rounds), added ns per call:`);
  for (const [name, k] of Object.entries(r.anatomy.kernels)) {
    console.log(`  ${name.padEnd(12)} plain ${k.plainNs.median}; wrapper only ${signed(k.wrapperOnlyAddedNs.median)}; counted ${range(k.countedAddedNs)}; every call timed ${signed(k.timedAddedNs.median)}; per timed call ${range(k.perTimedCallNs)}`);
  }
  console.log("  ns per operation:");
  for (const [name, s] of Object.entries(r.anatomy.nsPerOperation)) console.log(`  ${name.padEnd(18)} ${s.median} (IQR ${s.q1}–${s.q3}, ${s.min}–${s.max})`);
  console.log(`\n${r.totalSeconds} s`);
}
