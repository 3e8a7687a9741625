// Chooses the graph library for the Living Graph view by measuring (issue #15): for each candidate, a
// self-contained page (the library and a small client bundled by esbuild, the graph embedded as JSON, no
// network) is opened in headless Chromium on cdlc's own graph and on generated graphs of 1,000 and 10,000
// nodes. Per page: bundle size (raw and gzip), time from navigation to data parsed / laid out / first frame
// drawn, frames drawn per second while panning for 2 s, and label overlaps at the default zoom (fit) and 8×
// closer, read from the renderer's own label boxes. Candidates are interleaved in every round (the order
// rotates); medians over the rounds go to bench/results/graph-view.json.
//
//   node bench/graph-view.mjs [--rounds 3] [--only sigma-worker,cytoscape-fcose] [--graphs cdlc-src,gen-1000]
//                             [--page-timeout SECONDS] [--chromium-arg=--flag ...]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import { chromium } from "playwright-core";
import { median, progress, round, stopper, summary } from "./bench-lib.mjs";
import { generateGraph } from "./graph-view/generate.mjs";
import { nodeLooks, seedPositions } from "./graph-view/harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = dirname(here);
const stop = stopper("graph-view.mjs");
const { values: opts } = parseArgs({
  options: { rounds: { type: "string", default: "3" }, only: { type: "string" }, graphs: { type: "string" }, "page-timeout": { type: "string", default: "30" }, "chromium-arg": { type: "string", multiple: true, default: [] } },
});
const rounds = Number(opts.rounds);
if (!(rounds >= 1)) stop("--rounds must be a positive number");

// The flags of test/helpers/chromium.ts: headless, no GPU (WebGL runs on SwiftShader), no network.
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const VIEWPORT = { width: 1280, height: 800 };
/** Iterations of ForceAtlas2 run at build time (in Node) for the "preset" pages. */
const PRESET_ITERATIONS = 100;

const CANDIDATES = {
  "sigma-worker": { client: "client-sigma.mjs", config: { layout: "worker", workerMs: 2000, labelDensity: 1, labelGridCellSize: 60, labelRenderedSizeThreshold: 6 } },
  "sigma-preset": { client: "client-sigma.mjs", preset: true, config: { layout: "preset", labelDensity: 1, labelGridCellSize: 60, labelRenderedSizeThreshold: 6 } },
  "cytoscape-fcose": { client: "client-cytoscape.mjs", config: { layout: "page", quality: "default", numIter: 2500, compound: false, minZoomedFontSize: 8 } },
  "cytoscape-fcose-compound": { client: "client-cytoscape.mjs", config: { layout: "page", quality: "default", numIter: 2500, compound: true, minZoomedFontSize: 8 } },
  "cytoscape-preset": { client: "client-cytoscape.mjs", preset: true, config: { layout: "preset", compound: false, minZoomedFontSize: 8 } },
};

const GRAPHS = {
  "cdlc-src": () => JSON.parse(readFileSync(join(here, "graph-view", "cdlc-src.json"), "utf8")),
  "gen-1000": () => generateGraph(1000),
  "gen-10000": () => generateGraph(10000),
};

const only = opts.only?.split(",") ?? Object.keys(CANDIDATES);
const graphNames = opts.graphs?.split(",") ?? Object.keys(GRAPHS);
for (const c of only) if (!(c in CANDIDATES)) stop(`unknown candidate ${c} (known: ${Object.keys(CANDIDATES).join(", ")})`);
// Any other generated size: gen-N.
for (const g of graphNames) if (!(g in GRAPHS) && /^gen-\d+$/.test(g)) GRAPHS[g] = () => generateGraph(Number(g.slice(4)));
for (const g of graphNames) if (!(g in GRAPHS)) stop(`unknown graph ${g} (known: ${Object.keys(GRAPHS).join(", ")}, gen-N)`);

/** ForceAtlas2 in Node from the same folder/file seed, as `cdlc graph --format html` would run it at build time. */
function precomputeLayout(data) {
  const looks = nodeLooks(data);
  const seed = seedPositions(looks);
  const graph = new Graph({ type: "directed", allowSelfLoops: false });
  for (const n of looks) graph.addNode(n.id, { ...seed.get(n.id), size: n.size });
  for (const e of data.edges) if (e.from !== e.to && graph.hasNode(e.from) && graph.hasNode(e.to)) graph.mergeEdge(e.from, e.to);
  const t0 = performance.now();
  forceAtlas2.assign(graph, { iterations: PRESET_ITERATIONS, settings: { ...forceAtlas2.inferSettings(graph), barnesHutOptimize: graph.order > 500 } });
  const ms = performance.now() - t0;
  return { ms, positions: new Map(graph.mapNodes((id, a) => [id, { x: round(a.x, 2), y: round(a.y, 2) }])) };
}

async function bundle(client) {
  const out = await build({
    entryPoints: [join(here, "graph-view", client)],
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target: "es2020",
    write: false,
    logLevel: "error",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  return out.outputFiles[0].text;
}

/** `<` escaped so that no string in the data can close the script element (as export-html.ts does). */
function scriptJson(value) {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

function page(script, data, config) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>graph view bench</title>
<style>html,body{margin:0;height:100%;overflow:hidden}#view{position:absolute;inset:0;background:#fff}</style></head>
<body><div id="view"></div>
<script type="application/json" id="bench-config">${scriptJson(config)}</script>
<script type="application/json" id="graph-data">${scriptJson(data)}</script>
<script>${script.replace(/<\/script/gi, "<\\/script")}</script>
</body></html>
`;
}

/**
 * One page in a browser of its own: a layout that blocks the page's main thread past the timeout cannot be
 * interrupted from outside, so on a timeout the browser process this run started is killed.
 */
async function measurePage(url, timeoutMs) {
  const server = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...opts["chromium-arg"]] });
  let timedOut = false;
  // A watchdog in Node: a page whose main thread never yields can also stall the driver's own calls.
  const watchdog = setTimeout(() => {
    timedOut = true;
    void server.kill();
  }, timeoutMs + 5000);
  try {
    const browser = await chromium.connect(server.wsEndpoint());
    const version = browser.version();
    const context = await browser.newContext({ viewport: VIEWPORT });
    // No network at view time: any request that is not the page itself fails the run.
    const requests = [];
    await context.route("**/*", (route) => {
      const u = route.request().url();
      if (u.startsWith("file:") || u.startsWith("blob:") || u.startsWith("data:")) return route.continue();
      requests.push(u);
      return route.abort();
    });
    const p = await context.newPage();
    const errors = [];
    p.on("pageerror", (e) => errors.push(String(e)));
    try {
      await p.goto(url, { timeout: timeoutMs, waitUntil: "commit" });
      await p.waitForFunction("window.__bench && window.__bench.done", undefined, { timeout: timeoutMs, polling: 200 });
    } catch (e) {
      const killed = timedOut;
      timedOut ||= e?.name === "TimeoutError";
      return { error: killed ? `no answer within ${timeoutMs / 1000} s (browser killed)` : `${String(e).split("\n")[0]}`, timedOut };
    }
    const out = await p.evaluate("window.__bench");
    if (out.error !== undefined) return { error: out.error };
    if (requests.length > 0) return { error: `network requests: ${requests.join(", ")}` };
    await browser.close();
    return { ...out.result, pageErrors: errors, chromium: version };
  } catch (e) {
    if (!timedOut) throw e;
    return { error: `no answer within ${timeoutMs / 1000} s (browser killed)`, timedOut };
  } finally {
    clearTimeout(watchdog);
    if (timedOut) await server.kill();
    else await server.close();
  }
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), "cdlc-graph-view-"));
  const started = performance.now();
  try {
    const bundles = {};
    for (const name of only) {
      const client = CANDIDATES[name].client;
      bundles[client] ??= await bundle(client);
    }
    const graphs = {};
    for (const g of graphNames) {
      const data = GRAPHS[g]();
      const graph = { nodes: data.nodes.length, edges: data.edges.length, files: new Set(data.nodes.map((n) => n.file)).size };
      graph.folders = new Set(data.nodes.map((n) => n.file.slice(0, n.file.lastIndexOf("/")))).size;
      const needsPreset = only.some((c) => CANDIDATES[c].preset);
      const layout = needsPreset ? precomputeLayout(data) : undefined;
      if (layout !== undefined) progress(`${g}: ${graph.nodes} nodes, ${graph.edges} edges; ForceAtlas2 ${PRESET_ITERATIONS} iterations in Node: ${Math.round(layout.ms)} ms`);
      graphs[g] = { ...graph, buildTimeLayoutMs: layout === undefined ? undefined : Math.round(layout.ms) };
      for (const c of only) {
        const { client, preset, config } = CANDIDATES[c];
        const embedded = preset ? { ...data, nodes: data.nodes.map((n) => ({ ...n, ...layout.positions.get(n.id) })) } : data;
        writeFileSync(join(work, `${c}--${g}.html`), page(bundles[client], embedded, config));
      }
    }
    const samples = {};
    for (let r = 0; r < rounds; r++) {
      for (const g of graphNames) {
        // Rotate the order every round so that no candidate always runs first (or right after a heavy one).
        const order = only.map((_, i) => only[(i + r) % only.length]);
        for (const c of order) {
          // A layout that did not finish once is not tried again: its time is the timeout, not a sample.
          if (samples[c]?.[g]?.some((s) => s.timedOut)) continue;
          const t0 = performance.now();
          const out = await measurePage(pathToFileURL(join(work, `${c}--${g}.html`)).href, Number(opts["page-timeout"]) * 1000);
          ((samples[c] ??= {})[g] ??= []).push(out);
          progress(`round ${r + 1}/${rounds} ${g} ${c}: ${out.error !== undefined ? `error: ${out.error.slice(0, 200)}` : `drawn at ${out.marks.drawn} ms, pan ${round(out.pan.renderedFps)} fps, labels at fit ${out.labels.fit.visible} (${out.labels.fit.overlappingPairs} overlapping pairs)`} [${Math.round(performance.now() - t0)} ms]`);
        }
      }
    }
    const chromiumVersion = Object.values(samples).flatMap((by) => Object.values(by).flat()).find((s) => s.chromium !== undefined)?.chromium;
    const results = {};
    for (const c of only) {
      const size = Buffer.byteLength(bundles[CANDIDATES[c].client]);
      results[c] = { bundleBytes: size, bundleGzipBytes: gzipSync(bundles[CANDIDATES[c].client], { level: 9 }).length, config: CANDIDATES[c].config, graphs: {} };
      for (const g of graphNames) results[c].graphs[g] = summarise(samples[c][g]);
    }
    const out = {
      date: new Date().toISOString().slice(0, 10),
      machine: { cpus: (await import("node:os")).cpus().length, node: process.version, chromium: chromiumVersion, renderer: "SwiftShader (software WebGL, --disable-gpu)", extraChromiumArgs: opts["chromium-arg"] },
      viewport: VIEWPORT,
      rounds,
      presetIterations: PRESET_ITERATIONS,
      graphs,
      results,
      seconds: round((performance.now() - started) / 1000),
    };
    mkdirSync(join(repo, "bench", "results"), { recursive: true });
    writeFileSync(join(repo, "bench", "results", "graph-view.json"), `${JSON.stringify(out, null, 2)}\n`);
    printTable(out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Medians (with min and max) of every figure over the rounds that did not fail. */
function summarise(runs) {
  const ok = runs.filter((r) => r.error === undefined);
  const errors = runs.filter((r) => r.error !== undefined).map((r) => r.error);
  if (ok.length === 0) return { errors };
  const pick = (f) => summary(ok.map(f), 1);
  const labels = (at) => ({
    nodesInView: median(ok.map((r) => r.labels[at].nodesInView)),
    visible: median(ok.map((r) => r.labels[at].visible)),
    overlappingPairs: median(ok.map((r) => r.labels[at].overlappingPairs)),
    labelsOverlapping: median(ok.map((r) => r.labels[at].labelsOverlapping)),
    keptByGreedyPass: median(ok.map((r) => r.labels[at].keptByGreedyPass)),
  });
  return {
    runs: ok.length,
    ...(errors.length > 0 ? { errors } : {}),
    parsedMs: pick((r) => r.marks.parsed),
    laidOutMs: pick((r) => r.marks["laid-out"]),
    firstPaintMs: pick((r) => r.marks.drawn),
    panRenderedFps: pick((r) => r.pan.renderedFps),
    panAnimationFps: pick((r) => r.pan.animationFps),
    panLongestFrameMs: pick((r) => r.pan.longestFrameMs),
    labelsAtFit: labels("fit"),
    labelsAtZoom8: labels("zoom8"),
    ...(ok[0].worker ? { worker: { iterationsPerSecond: pick((r) => r.worker.iterationsPerSecond), renderedFps: pick((r) => r.worker.renderedFps) } } : {}),
    ...(ok[0].fitZoom !== undefined ? { fitZoom: summary(ok.map((r) => r.fitZoom), 3) } : {}),
    ...(ok.some((r) => r.pageErrors.length > 0) ? { pageErrors: [...new Set(ok.flatMap((r) => r.pageErrors))] } : {}),
  };
}

function printTable(out) {
  const rows = [["candidate", "graph", "bundle KB (gzip)", "first paint ms", "laid out ms", "pan fps", "longest frame ms", "labels fit (overlap pairs)", "labels 8× (overlap pairs)"]];
  for (const [c, r] of Object.entries(out.results)) {
    for (const [g, s] of Object.entries(r.graphs)) {
      if (s.firstPaintMs === undefined) {
        rows.push([c, g, `${Math.round(r.bundleBytes / 1024)} (${Math.round(r.bundleGzipBytes / 1024)})`, `failed: ${s.errors[0].slice(0, 60)}`, "", "", "", "", ""]);
        continue;
      }
      rows.push([c, g, `${Math.round(r.bundleBytes / 1024)} (${Math.round(r.bundleGzipBytes / 1024)})`, `${s.firstPaintMs.median}`, `${s.laidOutMs.median}`, `${s.panRenderedFps.median}`, `${s.panLongestFrameMs.median}`, `${s.labelsAtFit.visible} (${s.labelsAtFit.overlappingPairs})`, `${s.labelsAtZoom8.visible} (${s.labelsAtZoom8.overlappingPairs})`]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join("  "));
}

await main();
