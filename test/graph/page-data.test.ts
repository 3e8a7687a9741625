import { describe, expect, it } from "vitest";
import { iterationsFor, layoutPositions } from "../../src/graph/view/layout.js";
import { edgeKey } from "../../src/graph/living-graph.js";
import { folderOf, pageData } from "../../src/graph/view/page-data.js";
import { generatedLivingGraph } from "../helpers/graph-view.js";

/** What `cdlc graph --format html` embeds for its page script (the page itself: html*.test.ts). */
describe("the HTML view's page data", () => {
  const graph = generatedLivingGraph(400);
  const [a, b, c, d] = [...graph.nodes.keys()].filter((id) => graph.nodes.get(id)!.kind !== "module");
  const verdict = (status: string) => ({ metric: "execution_time", op: "<=", limit: 1, unit: "ns", measured: 2, interval: [1, 3], status });
  const metrics = {
    nodes: new Map<string, Record<string, unknown>>([
      [a!, { timeNs: { samples: 9, p50: 500, mean: 600 }, calls: 12_345, verdicts: [verdict("pass"), verdict("inconclusive"), verdict("fail")] }],
      [b!, { origin: "recorded", timeNs: { samples: 9, p50: 500, mean: 600 }, calls: 40, verdicts: [verdict("pass")] }],
      [c!, { timeNs: { samples: 9, p50: null, mean: 700 }, verdicts: [verdict("unmeasured"), verdict("pass")] }],
    ]),
  };
  const edge = [...graph.edges.values()][0]!;
  const edges = new Map([[edgeKey(edge.from, edge.to, edge.kind), { calls: { total: 80 }, volume: { bytesPerCall: { samples: 4, p50: 2_048, p95: 4_096, p99: 4_096, max: 4_096, mean: 2_500 } } }]]);
  const data = pageData(graph, { title: "t", metrics: { ...metrics, edges } });
  const byId = new Map(data.nodes.map((n) => [n.id, n]));

  it("marks each node with the worst verdict of its bounds, and none without", () => {
    expect(byId.get(a!)!.verdict).toBe("fail");
    expect(byId.get(b!)!.verdict).toBe("pass");
    expect(byId.get(c!)!.verdict).toBe("unmeasured");
    expect(byId.get(d!)!.verdict).toBeUndefined();
  });

  it("sizes by time per call, and by calls only where they are the program's own (recorded)", () => {
    expect(byId.get(a!)).toMatchObject({ timeNs: 500 });
    expect(byId.get(a!)!.calls).toBeUndefined();
    expect(byId.get(b!)).toMatchObject({ timeNs: 500, calls: 40 });
    expect(byId.get(c!)).toMatchObject({ timeNs: 700 });
  });

  it("weighs an edge by the calls and the bytes per call measured on it", () => {
    expect(data.edges.find((e) => e.from === edge.from && e.to === edge.to)).toMatchObject({ calls: 80, bytesPerCall: 2_048 });
    expect(data.edges.filter((e) => e.calls !== undefined)).toHaveLength(1);
  });

  it("groups nodes by the folder of their file", () => {
    expect(data.folders).toEqual([...new Set(data.nodes.map((n) => folderOf(n.file)))].sort());
    for (const n of data.nodes) expect(data.folders[n.folder]).toBe(folderOf(n.file));
    expect(folderOf("main.ts")).toBe(".");
    expect(folderOf("src/a/b.ts")).toBe("src/a");
  });

  it("lays nodes out the same way every time, at finite positions, no two on one spot", () => {
    const again = pageData(graph, { title: "t", metrics: { ...metrics, edges } });
    expect(again.nodes.map((n) => [n.x, n.y])).toEqual(data.nodes.map((n) => [n.x, n.y]));
    expect(data.nodes.every((n) => Number.isFinite(n.x) && Number.isFinite(n.y))).toBe(true);
    expect(new Set(data.nodes.map((n) => `${n.x},${n.y}`)).size).toBe(data.nodes.length);
  });

  it("keeps the files of a folder closer together than the program at large", () => {
    const positions = layoutPositions(
      data.nodes.map((n) => ({ id: n.id, folder: String(n.folder), file: n.file })),
      data.edges,
    );
    const dist = (p: string, q: string) => Math.hypot(positions.get(p)!.x - positions.get(q)!.x, positions.get(p)!.y - positions.get(q)!.y);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const pairs = data.nodes.flatMap((n, i) => data.nodes.slice(i + 1, i + 40).map((m) => ({ same: n.folder === m.folder, d: dist(n.id, m.id) })));
    expect(mean(pairs.filter((p) => p.same).map((p) => p.d))).toBeLessThan(mean(pairs.filter((p) => !p.same).map((p) => p.d)));
  });

  it.each([
    [10, 100],
    [2_000, 100],
    [4_000, 50],
    [10_000, 30],
    [100_000, 30],
  ])("runs ForceAtlas2 for %i nodes %i iterations", (nodes, iterations) => {
    expect(iterationsFor(nodes)).toBe(iterations);
  });
});
