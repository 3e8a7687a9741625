import { join } from "node:path";
import type { Binding } from "../graph/bind.js";
import type { LivingGraph } from "../graph/living-graph.js";
import type { PreparedEdits } from "./prepared-edits.js";

/**
 * What the recorder preloaded into the user's command watches: the nodes of
 * one CDL file (constrained nodes and flow endpoints), by the absolute path
 * of their source file and their qualified name, and the flow edges between
 * them. `cdlc record` writes it to a file and names that file in the
 * environment, so every Node process the command starts finds it.
 */
export interface RecordPlan {
  version: 1;
  /** Indexed by position: instrumented code refers to a node by its index. */
  nodes: PlannedNode[];
  edges: { from: number; to: number }[];
  /** Per-process record files go here; `cdlc record` merges them at the end. */
  outDir: string;
  /** `--capture-args`: the sample's caps per node, per process. */
  captureArgs?: { maxCount: number; maxBytes: number };
  /** Edits earlier runs made, by source file (absolute path): applied without parsing to the texts they were made for. */
  prepared?: Record<string, PreparedEdits[]>;
}

export interface PlannedNode {
  id: string;
  /** Absolute path of the TypeScript source that declares it. */
  file: string;
  qualifiedName: string;
}

/** The global the recorder is installed as, and instrumented modules read. */
export const RECORDER_GLOBAL = "__cdlcRecorder";

/** The environment variable naming the plan file. */
export const PLAN_ENV = "CDLC_RECORD_PLAN";

/** The nodes and flows of a bound CDL file, as a plan. */
export function planFor(graph: LivingGraph, binding: Binding, outDir: string, captureArgs?: RecordPlan["captureArgs"]): RecordPlan {
  const ids = new Set<string>(binding.byNode.keys());
  for (const f of binding.flows) for (const id of [...f.from, ...f.to]) ids.add(id);
  const nodes = [...ids].sort().flatMap((id) => {
    const n = graph.nodes.get(id);
    return n === undefined ? [] : [{ id, file: join(graph.root, n.file), qualifiedName: n.name }];
  });
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const edges = new Map<string, { from: number; to: number }>();
  for (const f of binding.flows) {
    for (const from of f.from) {
      for (const to of f.to) {
        const a = index.get(from);
        const b = index.get(to);
        if (a !== undefined && b !== undefined) edges.set(`${a}:${b}`, { from: a, to: b });
      }
    }
  }
  return { version: 1, nodes, edges: [...edges.values()], outDir, ...(captureArgs !== undefined ? { captureArgs } : {}) };
}
