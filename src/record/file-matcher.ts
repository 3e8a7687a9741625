import { fileURLToPath } from "node:url";
import type { RecordPlan } from "./plan.js";
import type { PreparedEdits } from "./prepared-edits.js";
import { sourcesOf } from "./source-map-file.js";

/**
 * Which loaded files hold watched nodes. A TypeScript file is its own
 * source (loaders such as tsx, and vitest, hand over its text); a compiled
 * JavaScript file is matched to the TypeScript file its source map names.
 * Cheap for every other file, so the instrumenter is loaded only when a
 * file needs it.
 */
export interface MatchedFile {
  /** The plan's source file this loaded file compiles. */
  source: string;
  nodes: { index: number; qualifiedName: string }[];
  typescript: boolean;
  jsx: boolean;
  /** Edits made for this source's texts in earlier runs, carried by the plan. */
  prepared?: PreparedEdits[];
}

export class FileMatcher {
  private readonly byFile = new Map<string, { index: number; qualifiedName: string }[]>();
  /** Nodes whose calls hand their arguments to the recorder. */
  readonly passArgs: ReadonlySet<number>;
  /** Where processes write their records (and hand back fresh edits). */
  readonly outDir: string;
  private readonly prepared: Record<string, PreparedEdits[]>;

  constructor(plan: RecordPlan) {
    this.outDir = plan.outDir;
    this.prepared = plan.prepared ?? {};
    plan.nodes.forEach((n, index) => {
      const list = this.byFile.get(n.file) ?? [];
      list.push({ index, qualifiedName: n.qualifiedName });
      this.byFile.set(n.file, list);
    });
    // With --capture-args every node does; otherwise only flow callees, for the edge's volume.
    this.passArgs = new Set(plan.captureArgs !== undefined ? plan.nodes.map((_, i) => i) : plan.edges.map((e) => e.to));
  }

  /** The watched nodes a loaded file (a path or a `file:` URL) holds, or undefined. */
  match(file: string, code: string): MatchedFile | undefined {
    const path = file.startsWith("file:") ? fileURLToPath(file) : file;
    const own = this.byFile.get(path);
    if (own !== undefined) return { source: path, nodes: own, typescript: /\.[cm]?tsx?$/.test(path), jsx: path.endsWith(".tsx"), prepared: this.prepared[path] };
    if (!/\.[cm]?js$/.test(path) || path.includes("/node_modules/")) return undefined;
    for (const source of sourcesOf(path, code)) {
      const nodes = this.byFile.get(source);
      if (nodes !== undefined) return { source, nodes, typescript: false, jsx: false, prepared: this.prepared[source] };
    }
    return undefined;
  }
}
