/** What a long measurement reports while it runs; `src/report/progress.ts` renders it. */
export interface NodeProgress {
  node: string;
  status: "pending" | "running" | "done";
  /** Samples (timed batches) collected so far. */
  samples: number;
  looks: number;
  maxLooks: number;
  /** Budget spent and allowed, ms. */
  usedMs: number;
  budgetMs: number;
  /** Bounds of this node, and how many are already decided by the early-stopping rule. */
  bounds: number;
  decided: number;
  /** Final verdict counts, once the run is done. */
  verdicts?: { pass: number; fail: number; inconclusive: number; unmeasured: number };
  failure?: string;
  /** Why the node stopped before its bounds were decided, when it gave up early (futility). */
  gaveUp?: string;
}

export type ProgressEvent = { kind: "start" } | { kind: "look"; node: string } | { kind: "node-done"; node: string } | { kind: "done" };

export interface ProgressState {
  nodes: NodeProgress[];
  event: ProgressEvent;
}
