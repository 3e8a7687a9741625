import { toIr } from "../../cdl/compile.js";
import type { ConstraintModel } from "../../cdl/model.js";
import type { BoundResult, Verdict } from "../../measure/types.js";
import { formatQuantity } from "../../report/format.js";
import type { Binding } from "../bind.js";
import { edgeMetricRows, nodeMetricRows, type MetricRow } from "../export-html-metrics.js";
import type { GraphMetrics } from "../export-json.js";
import { diagramData, nodeLabel } from "../export-shared.js";
import { improvementText, type NodeImprovement } from "../improvements.js";
import { edgeKey, type LivingGraph } from "../living-graph.js";
import { layoutPositions } from "./layout.js";
import type { PageData, PageEdge, PageNode } from "./page-types.js";

/**
 * What the HTML view's page script reads: every shown node with its folder,
 * file, position (laid out here), constraints and metrics already formatted
 * for display, its heat (time per call, calls) and its worst verdict; every
 * edge with its calls. The page itself only draws and reacts.
 */

export interface PageOptions {
  title: string;
  model?: ConstraintModel;
  binding?: Binding;
  metrics?: GraphMetrics;
  improvements?: ReadonlyMap<string, NodeImprovement>;
}

export function pageData(graph: LivingGraph, options: PageOptions): PageData {
  const data = diagramData(graph, options.binding);
  const ir = options.model !== undefined ? toIr(options.model) : undefined;
  const folders = [...new Set(data.nodes.map((n) => folderOf(n.file)))].sort();
  const folderIndex = new Map(folders.map((f, i) => [f, i]));
  const positions = layoutPositions(
    data.nodes.map((n) => ({ id: n.id, folder: folderOf(n.file), file: n.file })),
    data.edges,
  );
  const nodes = data.nodes.map((n): PageNode => {
    const metrics = options.metrics?.nodes?.get(n.id);
    const constraints = (options.binding?.byNode.get(n.id) ?? []).map((i) => {
      const c = ir!.constraints[i]!;
      return {
        selector: c.selector,
        source: `${c.source.file}:${c.source.line}`,
        bounds: c.bounds.map((b) => `${b.metric} ${b.op} ${formatQuantity(b.value, b.unit as BoundResult["unit"])}${b.percentile !== undefined ? ` (${b.percentile})` : ""}`),
        algorithm: options.binding!.constraints[i]!.algorithm,
        mutations: Array.isArray(c.mutations) ? c.mutations.join(", ") : c.mutations,
        severity: c.severity,
      };
    });
    const { x, y } = positions.get(n.id)!;
    const improved = options.improvements?.get(n.id);
    return {
      id: n.id,
      name: n.name,
      label: nodeLabel(n),
      file: n.file,
      folder: folderIndex.get(folderOf(n.file))!,
      line: n.line,
      kind: n.kind,
      x,
      y,
      constraints,
      metrics: metrics === undefined ? [] : nodeMetricRows(metrics),
      ...heatOf(metrics),
      verdict: verdictOf(metrics, constraints.length > 0),
      ...(improved !== undefined ? { improved: { version: improved.version, factor: improved.speedup?.estimate ?? null, text: improvementText(improved) } } : {}),
    };
  });
  const edges = data.edges.map((e): PageEdge => {
    const m = options.metrics?.edges?.get(edgeKey(e.from, e.to, e.kind));
    const total = (m?.calls as { total?: unknown } | undefined)?.total;
    const bytes = (m?.volume as { bytesPerCall?: { p50?: unknown } } | undefined)?.bytesPerCall?.p50;
    const rows: MetricRow[] | undefined = edgeMetricRows(m);
    return {
      from: e.from,
      to: e.to,
      kind: e.kind,
      lines: e.sites.map((s) => s.line),
      ...(rows !== undefined ? { metrics: rows } : {}),
      ...(typeof total === "number" ? { calls: total } : {}),
      ...(typeof bytes === "number" ? { bytesPerCall: bytes } : {}),
    };
  });
  return { title: options.title, folders, nodes, edges, measured: options.metrics?.nodes !== undefined && options.metrics.nodes.size > 0 };
}

/** The folder a file is in, as the view groups it (`.` for the project root). */
export function folderOf(file: string): string {
  const slash = file.lastIndexOf("/");
  return slash < 0 ? "." : file.slice(0, slash);
}

/**
 * Heat: time per call (the median, else the mean), and calls where they
 * are the program's own (recorded). Calls counted by `--measure` are the
 * sampler's, not the program's, so they are left out.
 */
function heatOf(metrics: Record<string, unknown> | undefined): { timeNs?: number; calls?: number } {
  if (metrics === undefined) return {};
  const time = metrics.timeNs as { p50?: unknown; mean?: unknown } | undefined;
  const perCall = typeof time?.p50 === "number" ? time.p50 : typeof time?.mean === "number" ? time.mean : undefined;
  const calls = metrics.origin === "recorded" && typeof metrics.calls === "number" ? metrics.calls : undefined;
  return { ...(perCall !== undefined ? { timeNs: perCall } : {}), ...(calls !== undefined ? { calls } : {}) };
}

const SEVERITY: Verdict[] = ["fail", "inconclusive", "unmeasured", "pass"];

/** The worst verdict among a node's bounds; `constrained` when it has constraints and no verdict yet; undefined when it has neither. */
function verdictOf(metrics: Record<string, unknown> | undefined, constrained: boolean): PageNode["verdict"] {
  const verdicts = Array.isArray(metrics?.verdicts) ? (metrics.verdicts as { status: Verdict }[]).map((v) => v.status) : [];
  for (const v of SEVERITY) if (verdicts.includes(v)) return v;
  return constrained ? "constrained" : undefined;
}
