// The pages `cdlc graph --format html` writes, before and after the switch to sigma.js (issue #15): for
// generated graphs of 1,000 and 10,000 nodes (bench/graph-view/generate.mjs), per build,
//   - the page's size, raw and gzip;
//   - the time to write it (exportHtml in Node: for the new view, the layout is computed here);
//   - first paint in headless Chromium at 1280×800: from navigation start until the page says it is
//     ready and two animation frames have passed (the frame is then on screen);
//   - for the new view, the time to draw every node (the "Open all folders" button), since a large
//     program first opens with most nodes inside folders.
// Builds are given as dist folders; `--before` measures another build (an older commit, built with
// `npm run build`) in the same run, its rounds interleaved with the current one's. A page not ready
// within 120 s counts as not painted.
//
//   node bench/graph-view-pages.mjs [--before DIST --before-label TEXT] [--rounds 3] [--sizes 1000,10000]
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { generateGraph, livingGraphOf } from "./graph-view/generate.mjs";
import { progress, round, stopper, summary } from "./bench-lib.mjs";

const stop = stopper("graph-view-pages.mjs");
const repo = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : args[i + 1] ?? stop(`${name} needs a value`);
};
const rounds = Number(option("--rounds", "3"));
const sizes = option("--sizes", "1000,10000").split(",").map(Number);
const beforeDist = option("--before", undefined);
const beforeLabel = option("--before-label", beforeDist === undefined ? undefined : "before");
if (!Number.isInteger(rounds) || rounds < 1 || sizes.some((n) => !Number.isInteger(n) || n < 10)) stop("usage: node bench/graph-view-pages.mjs [--before DIST --before-label TEXT] [--rounds 3] [--sizes 1000,10000]");
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const READY_TIMEOUT_MS = 120_000;

const builds = [{ label: "after (this build)", dist: join(repo, "dist") }, ...(beforeDist !== undefined ? [{ label: beforeLabel, dist: resolve(beforeDist) }] : [])];
for (const b of builds) {
  try {
    b.exportHtml = (await import(pathToFileURL(join(b.dist, "lib", "graph", "export-html.js")).href)).exportHtml;
  } catch (e) {
    stop(`cannot load ${b.label}'s exportHtml from ${b.dist}/lib (run \`npm run build\` there first): ${e.message}`);
  }
}

const work = mkdtempSync(join(tmpdir(), "cdlc-graph-pages-"));
const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
const started = performance.now();
const load = loadavg();
const rows = [];
try {
  for (const size of sizes) {
    const graph = livingGraphOf(generateGraph(size));
    for (const b of builds) rows.push({ build: b.label, size, nodes: graph.nodes.size, edges: graph.edges.size, write: [], firstPaint: [], allDrawn: [], sizes: undefined });
    for (let r = 0; r < rounds; r++) {
      // The build measured first alternates from round to round.
      const order = r % 2 === 0 ? builds : [...builds].reverse();
      for (const b of order) {
        const row = rows.find((x) => x.build === b.label && x.size === size);
        progress(`${size} nodes, round ${r + 1}/${rounds}: ${b.label}`);
        const t0 = performance.now();
        const html = b.exportHtml(graph, { title: `generated ${size}` });
        row.write.push(performance.now() - t0);
        row.sizes ??= { bytes: Buffer.byteLength(html), gzipBytes: gzipSync(html).length };
        const file = join(work, `page-${size}-${builds.indexOf(b)}.html`);
        writeFileSync(file, html);
        const { firstPaint, allDrawn } = await paint(file);
        row.firstPaint.push(firstPaint);
        if (allDrawn !== undefined) row.allDrawn.push(allDrawn);
      }
    }
  }
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}

const result = {
  benchmark: "graph-view-pages",
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown", node: process.version, chromium: browser.version(), gpu: "none (SwiftShader)" },
  loadAverage: { start: load.map((x) => round(x, 2)), end: loadavg().map((x) => round(x, 2)) },
  method: `per build and size, ${rounds} interleaved rounds; medians with min–max. First paint: navigation start to the page's ready mark (data-ready on body) plus two animation frames; a page not ready within ${READY_TIMEOUT_MS / 1000} s is recorded as null`,
  rows: rows.map((r) => ({
    build: r.build,
    size: r.size,
    nodes: r.nodes,
    edges: r.edges,
    pageBytes: r.sizes.bytes,
    pageGzipBytes: r.sizes.gzipBytes,
    writeMs: summary(r.write, 0),
    firstPaintMs: r.firstPaint.includes(null) ? null : summary(r.firstPaint, 0),
    ...(r.allDrawn.length > 0 ? { allNodesDrawnMs: summary(r.allDrawn, 0) } : {}),
  })),
  totalSeconds: round((performance.now() - started) / 1000, 1),
};
mkdirSync(join(repo, "bench", "results"), { recursive: true });
writeFileSync(join(repo, "bench", "results", "graph-view-pages.json"), `${JSON.stringify(result, null, 1)}\n`);
console.log(`\ngraph view pages — ${result.machine.cpus} cores, Node ${process.version}, Chromium ${result.machine.chromium} (no GPU), ${rounds} rounds\n`);
console.log("| build | nodes | page | gzip | write | first paint | every node drawn |\n|---|---|---|---|---|---|---|");
for (const r of result.rows) {
  const ms = (s) => (s === null || s === undefined ? "—" : `${s.median} ms (${s.min}–${s.max})`);
  console.log(`| ${r.build} | ${r.nodes} | ${(r.pageBytes / 1024).toFixed(0)} KB | ${(r.pageGzipBytes / 1024).toFixed(0)} KB | ${ms(r.writeMs)} | ${r.firstPaintMs === null ? "not within 120 s" : ms(r.firstPaintMs)} | ${ms(r.allNodesDrawnMs)} |`);
}
console.log(`\n(${result.totalSeconds} s; bench/results/graph-view-pages.json)`);

/** Opens a page; first paint, and for the new view the time to draw every node. */
async function paint(file) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: "commit" });
    const ready = await page.waitForSelector("body[data-ready=true]", { timeout: READY_TIMEOUT_MS }).then(() => true, () => false);
    if (!ready) return { firstPaint: null };
    const firstPaint = await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now())))));
    let allDrawn;
    if (await page.$("#open-all:not([hidden])")) {
      allDrawn = await page.evaluate(
        () =>
          new Promise((done) => {
            const t0 = performance.now();
            document.getElementById("open-all").click();
            requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
          }),
      );
    }
    return { firstPaint, allDrawn };
  } finally {
    await page.close();
  }
}
