import { compareToBaseline, runSequential, type BoundSpec } from "../../src/measure/decide/index.js";
import type { MeasureReport } from "../../src/measure/types.js";
import { FakeSampler, target } from "../decide/fake-sampler.js";

const cdl = (line: number) => ({ file: "constraints.cdl", line, column: 3 });

/** A realistic report: decided by the real decision code from seeded fake runs. */
export async function sampleReport(): Promise<MeasureReport> {
  const nodes = {
    "src/cart.ts#Cart.total": { time: (r: import("../../src/measure/stats/index.js").Rng) => 40_000 * r.lognormal(0, 0.3), memory: (r: import("../../src/measure/stats/index.js").Rng) => 900 + r.normal(0, 30), errorRate: 0.0 },
    "src/sort.ts#sortUsers": { time: (r: import("../../src/measure/stats/index.js").Rng) => 2_000_000 * r.lognormal(0, 0.2), edges: [{ to: "src/sort.ts#compare", calls: 120, volume: 64, latency: (r: import("../../src/measure/stats/index.js").Rng) => 80 + r.exponential(0.05) }] },
    "src/parse.ts#parse<T>|\"x\"": { time: (r: import("../../src/measure/stats/index.js").Rng) => 1_000 * r.exponential(1) },
    "src/broken.ts#boom": { time: () => 1, failure: { kind: "crashed" as const, message: "exit code 134" } },
  };
  const decl = (file: string, line: number) => ({ file, line, column: 8 });
  const b = (node: string, line: number, x: Partial<BoundSpec>): BoundSpec => ({ node, metric: "execution_time", op: "<=", limit: 0, unit: "ns", percentile: "p95", severity: "error", source: cdl(line), declaration: decl(node.split("#")[0]!, line * 3), ...x });
  const bounds: BoundSpec[] = [
    b("src/cart.ts#Cart.total", 2, { limit: 200_000, percentile: "p99" }),
    b("src/cart.ts#Cart.total", 3, { metric: "memory_usage", limit: 1_000_000, unit: "B", percentile: undefined }),
    b("src/cart.ts#Cart.total", 4, { metric: "error_rate", op: "<", limit: 0.001, unit: "ratio", percentile: undefined }),
    b("src/sort.ts#sortUsers", 7, { limit: 1_000_000 }),
    b("src/sort.ts#sortUsers", 8, { metric: "calls", limit: 100, unit: "count", percentile: undefined, edge: { from: "src/sort.ts#sortUsers", to: "src/sort.ts#compare" } }),
    b("src/parse.ts#parse<T>|\"x\"", 11, { limit: 1_000 * Math.log(20), severity: "warning" }),
    b("src/broken.ts#boom", 14, { limit: 5_000 }),
  ];
  // Four runs per node, as `cdlc bench` makes: a stored-samples comparison resamples runs.
  const out = await runSequential(new FakeSampler(nodes, 2024), Object.keys(nodes).map(target), bounds, { timeBudgetMs: 800, maxLooks: 8, minLooks: 4 });
  const baselineNodes = (await runSequential(new FakeSampler({ ...nodes, "src/sort.ts#sortUsers": { time: (r) => 1_500_000 * r.lognormal(0, 0.2) } }, 7), Object.keys(nodes).map(target), [], { timeBudgetMs: 800, minLooks: 4 })).nodes;
  return {
    version: 1,
    tool: { name: "cdlc", version: "0.1.0" },
    command: "check",
    startedAt: "2025-01-02T03:04:05.000Z",
    durationMs: 3210,
    alpha: 0.01,
    environment: { node: "v20.0.0", v8: "11.3", platform: "linux", arch: "x64", cpu: "Test CPU @ 2.0GHz", cores: 2, loadAverage: [0.5, 0.4, 0.3], totalMemoryBytes: 8e9 },
    diagnostics: [
      { severity: "warning", code: "CDL0118", message: "pattern `src/old/**#*` matches no node", file: "constraints.cdl", line: 16, column: 12, endLine: 16, endColumn: 26, help: "check the path" },
      { severity: "error", code: "CDL0103", message: "expected a duration, found `1MB` <&> \"quoted\"", file: "constraints.cdl", line: 18, column: 23, endLine: 18, endColumn: 26 },
    ],
    results: out.results,
    nodes: out.nodes.map((n) => ({ ...n, declaration: decl(n.node.split("#")[0]!, 1) })),
    edges: out.edges,
    comparisons: compareToBaseline(out.nodes, baselineNodes, { seed: 3 }),
    settings: out.settings,
  };
}

export const cdlSource = Array.from({ length: 20 }, (_, i) => (i === 17 ? 'constraint x { max_execution_time: 1MB }' : `// line ${i + 1}`)).join("\n");
