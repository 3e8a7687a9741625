import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recordingOf } from "../helpers/recordings.js";
import { createMemoryIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";
import { exportHtml } from "../../src/graph/export-html.js";
import { edgeMetricRows, nodeMetricRows } from "../../src/graph/export-html-metrics.js";
import { toJsonGraph } from "../../src/graph/export-json.js";
import { createGraph, edgeKey, type GraphNode, type LivingGraph } from "../../src/graph/living-graph.js";
import { graphMetricsFromRecording, histogramDistribution, splitRecordedEdgeKey } from "../../src/record/graph-recording.js";
import { LogHistogram } from "../../src/record/histogram.js";
import { writeRecording, type Recording } from "../../src/record/recording.js";
import { chromiumMissing, launchChromium } from "../helpers/chromium.js";
import { clickNode, openView } from "../helpers/graph-view.js";

const F = "src/a.ts#f";
const G = "src/a.ts#g";
const H = "src/b -> c.ts#h";

function graphNode(id: string): GraphNode {
  const [file, name] = id.split("#") as [string, string];
  return { id, name, file, line: 1, column: 1, kind: "function", span: { start: 0, end: 1, line: 1, column: 1, endLine: 1, endColumn: 2 } };
}

function tinyGraph(): LivingGraph {
  const g = createGraph("/project");
  for (const id of [F, G, H]) g.nodes.set(id, graphNode(id));
  g.edges.set(edgeKey(F, G, "call"), { from: F, to: G, kind: "call", sites: [{ line: 2, column: 3 }] });
  g.edges.set(edgeKey(H, F, "call"), { from: H, to: F, kind: "call", sites: [{ line: 4, column: 5 }] });
  return g;
}

function histogram(...values: number[]) {
  const h = new LogHistogram();
  for (const v of values) h.record(v);
  return h.toJSON();
}

function recording(): Recording {
  return recordingOf({
    processes: 1,
    nodes: {
      [F]: { calls: 4, errors: 1, timeNs: histogram(1_000, 2_000, 3_000, 4_000) },
      [H]: { calls: 1, errors: 0, timeNs: histogram(9_000) },
      "src/gone.ts#old": { calls: 1, errors: 0, timeNs: histogram(5) },
    },
    edges: {
      [`${F} -> ${G}`]: { calls: 8, volumeBytes: histogram(21, 21, 100), latencyNs: histogram(500, 600) },
      [`${H} -> ${F}`]: { calls: 4, volumeBytes: histogram(8), latencyNs: histogram(1_000) },
      [`${F} -> src/gone.ts#old`]: { calls: 1, volumeBytes: histogram(1), latencyNs: histogram(1) },
    },
  });
}

describe("graphMetricsFromRecording", () => {
  const graph = tinyGraph();
  const metrics = graphMetricsFromRecording(recording(), graph);

  it("gives nodes a recorded time distribution, calls and error rate, and only nodes of the graph", () => {
    expect([...metrics.nodes!.keys()].sort()).toEqual([H, F].sort());
    expect(metrics.nodes!.get(F)).toEqual({ origin: "recorded", timeNs: histogramDistribution(recording().nodes[F]!.timeNs), calls: 4, errors: 1, errorRate: 0.25 });
    expect(metrics.nodes!.get(F)!.timeNs).toMatchObject({ samples: 4, max: expect.closeTo(4_000, -2) });
  });

  it("gives the graph's edges recorded calls (per call of the caller), volume and latency", () => {
    expect(metrics.edges!.get(edgeKey(F, G, "call"))).toEqual({
      calls: { origin: "recorded", total: 8, perCallerCall: 2 },
      volume: { origin: "recorded", bytesPerCall: { samples: 3, p50: 21, p95: 100, p99: 100, max: 100, mean: 142 / 3 } },
      latency: { origin: "recorded", ns: histogramDistribution(recording().edges[`${F} -> ${G}`]!.latencyNs) },
    });
    // An id with " -> " in its file name still finds its edge.
    expect(metrics.edges!.get(edgeKey(H, F, "call"))).toMatchObject({ calls: { total: 4, perCallerCall: 4 } });
    expect(metrics.edges!.size).toBe(2);
  });

  it("adds each node's verdicts when given results decided on the recording", () => {
    const decided = graphMetricsFromRecording(recording(), graph, [
      { node: F, metric: "execution_time", op: "<=", limit: 1e6, unit: "ns", percentile: "p95", measured: 4_000, interval: [3_000, 1e9], status: "inconclusive", samples: 4, severity: "error", source: { file: "c.cdl", line: 1, column: 1 } },
      { node: F, metric: "calls", op: "<=", limit: 1, unit: "count", measured: 2, interval: [2, 8], status: "fail", samples: 4, severity: "error", source: { file: "c.cdl", line: 2, column: 1 }, edge: { from: F, to: G } },
    ]);
    expect(decided.nodes!.get(F)!.verdicts).toEqual([{ metric: "execution_time", op: "<=", limit: 1e6, unit: "ns", percentile: "p95", measured: 4_000, interval: [3_000, 1e9], status: "inconclusive" }]);
    expect(metrics.nodes!.get(F)!.verdicts).toBeUndefined();
  });

  it.each([
    [`${F} -> ${G}`, { from: F, to: G }],
    [`${H} -> ${F}`, { from: H, to: F }],
    [`${F} => ${G}`, undefined],
    [`${F} -> src/x.ts#y`, undefined],
  ])("splits the key %s into graph nodes", (key, ends) => {
    expect(splitRecordedEdgeKey(key, tinyGraph())).toEqual(ends);
  });

  it("reaches the JSON export on nodes and edges, labelled recorded", () => {
    const json = toJsonGraph(graph, { metrics });
    expect(json.nodes.find((n) => n.id === F)!.metrics).toMatchObject({ origin: "recorded", calls: 4 });
    expect(json.edges.find((e) => e.from === F && e.to === G)).toMatchObject({ calls: { origin: "recorded", total: 8 }, volume: { origin: "recorded" }, latency: { origin: "recorded" } });
    expect(json.nodes.find((n) => n.id === G)!.metrics).toBeUndefined();
  });
});

describe("metric rows of the HTML view", () => {
  it("say where the figures came from, and format them", () => {
    const metrics = graphMetricsFromRecording(recording(), tinyGraph());
    const rows = nodeMetricRows(metrics.nodes!.get(F)!);
    expect(rows[0]).toEqual(["source", "recorded (cdlc record)"]);
    expect(rows).toContainEqual(["error rate", "25%"]);
    expect(rows.find((r) => r[0] === "time per call")![1]).toMatch(/^p50 2(\.\d+)? µs · p95 4(\.\d+)? µs · p99 4(\.\d+)? µs · max 4(\.\d+)? µs · mean 2\.\d+ µs \(4 recorded calls\)$/);
    const edgeRows = edgeMetricRows(metrics.edges!.get(edgeKey(F, G, "call")))!;
    expect(edgeRows).toContainEqual(["source", "recorded (cdlc record)"]);
    expect(edgeRows).toContainEqual(["calls", "8, 2 per call of the caller on average"]);
    expect(edgeRows.find((r) => r[0] === "argument size per call")![1]).toContain("p50 21 B");
  });

  it("show measured metrics as measured, with their verdicts and intervals", () => {
    const rows = nodeMetricRows({ timeNs: { samples: 3, p50: 1e6, p95: 2e6, p99: 2e6, max: 2e6, mean: 1.5e6 }, memoryBytesPerCall: 2048, calls: 30, errorRate: 0, verdicts: [{ metric: "execution_time", op: "<=", limit: 1e7, unit: "ns", percentile: "p95", measured: 2e6, interval: [1e6, 3e6], status: "pass" }] });
    expect(rows).toEqual([
      ["source", "measured"],
      ["time per call", "p50 1 ms · p95 2 ms · p99 2 ms · max 2 ms · mean 1.5 ms (3 samples)"],
      ["memory per call", "2.05 KB"],
      ["calls", "30"],
      ["error rate", "0%"],
      ["execution_time p95 ≤ 10 ms", "pass · measured 2 ms, interval [1 ms, 3 ms]"],
    ]);
    expect(edgeMetricRows({ calls: { perCase: { samples: 2, p50: 3, p95: 7, p99: 7, max: 7, mean: 5 } } })).toEqual([
      ["source", "measured"],
      ["calls per case", "p50 3 · p95 7 · p99 7 · max 7 · mean 5 (2 cases)"],
    ]);
    expect(edgeMetricRows(undefined)).toBeUndefined();
  });

  it("are embedded in the page for nodes and edges", () => {
    const graph = tinyGraph();
    const html = exportHtml(graph, { metrics: graphMetricsFromRecording(recording(), graph) });
    const data = JSON.parse(/<script type="application\/json" id="graph-data">(.*?)<\/script>/s.exec(html)![1]!) as { nodes: { id: string; metrics?: string[][] }[]; edges: { from: string; to: string; metrics?: string[][] }[] };
    expect(data.nodes.find((n) => n.id === F)!.metrics![0]).toEqual(["source", "recorded (cdlc record)"]);
    expect(data.edges.find((e) => e.from === F && e.to === G)!.metrics).toContainEqual(["calls", "8, 2 per call of the caller on average"]);
  });
});

describe("cdlc graph --recording", () => {
  const repo = new URL("../../", import.meta.url).pathname;
  const dir = mkdtempSync(join(tmpdir(), "cdlc-graph-recording-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const checkout = "src/checkout.ts#Checkout.run";
  const reserve = "src/inventory.ts#Inventory.reserve";
  const path = join(dir, "rec.json");
  writeRecording(path, {
    ...recording(),
    nodes: { [checkout]: { calls: 10, errors: 0, timeNs: histogram(...Array.from({ length: 10 }, (_, i) => 100_000 + i * 1_000)) } },
    edges: { [`${checkout} -> ${reserve}`]: { calls: 400, volumeBytes: histogram(21), latencyNs: histogram(800) } },
  });
  const project = ["--project", "examples/shop/tsconfig.json", "--no-cache"];

  async function cdlc(argv: string[]) {
    const io = createMemoryIo({ cwd: repo, env: {}, isTTY: false });
    const code = await run(argv, io);
    return { code, out: io.out, err: io.err };
  }

  it("attaches recorded metrics, and with a CDL file the verdicts decided on the recording", async () => {
    const r = await cdlc(["graph", "examples/shop/constraints.cdl", ...project, "--recording", path]);
    expect(r.code).toBe(0);
    const g = JSON.parse(r.out);
    const node = g.nodes.find((n: { id: string }) => n.id === checkout);
    expect(node.metrics).toMatchObject({ origin: "recorded", calls: 10, errorRate: 0, timeNs: { samples: 10 } });
    // Ten calls show no p95 below 2 ms (the interval's top is open), nor an error rate below 1%.
    expect(node.metrics.verdicts.map((v: { metric: string; status: string }) => `${v.metric} ${v.status}`)).toEqual(["execution_time inconclusive", "error_rate inconclusive"]);
    const edge = g.edges.find((e: { from: string; to: string }) => e.from === checkout && e.to === reserve);
    expect(edge).toMatchObject({ calls: { origin: "recorded", total: 400, perCallerCall: 40 }, volume: { bytesPerCall: { max: 21 } }, latency: { ns: { samples: 1 } } });
    expect(g.nodes.find((n: { id: string }) => n.id === "src/cart.ts#Cart.total").metrics).toBeUndefined();
  });

  it("attaches recorded metrics without a CDL file, with no verdicts", async () => {
    const r = await cdlc(["graph", ...project, "--recording", path, "--format", "html"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("recorded (cdlc record)");
    expect(r.out).toContain("40 per call of the caller on average");
  });

  it.each([
    ["--measure with --recording", ["graph", "examples/shop/constraints.cdl", ...project, "--measure", "--recording", path], "--measure and --recording are alternatives"],
    ["a file that is not a recording", ["graph", ...project, "--recording", join(dir, "not.json")], "not.json is not a cdlc recording (not JSON)"],
  ])("exits 2 on %s", async (_name, argv, message) => {
    writeFileSync(join(dir, "not.json"), "[");
    const r = await cdlc(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toContain("internal error");
  });
});

describe.skipIf(chromiumMissing)("the HTML view of a recording in Chromium", () => {
  it("shows a node's recorded metrics and its edges' on click", async () => {
    const graph = tinyGraph();
    const html = exportHtml(graph, { metrics: graphMetricsFromRecording(recording(), graph) });
    const browser = await launchChromium();
    try {
      const { page, errors } = await openView(browser, html, "recorded-graph", { width: 1000, height: 700 });
      await clickNode(page, F);
      const details = (await page.textContent("#details")) ?? "";
      expect(errors).toEqual([]);
      expect(details).toContain("recorded (cdlc record)");
      expect(details).toContain("error rate25%");
      expect(details).toContain("calls: 8, 2 per call of the caller on average");
      expect(details).not.toContain("[object Object]");
    } finally {
      await browser.close();
    }
  });
});
