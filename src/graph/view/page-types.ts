/**
 * The data the HTML view's page script reads (a JSON block in the page):
 * written by page-data.ts in Node, read by client/ in the browser.
 */

export type MetricRow = [label: string, text: string];

/** A node's mark: the worst verdict of its bounds, or `constrained` before any measurement. */
export type NodeVerdict = "fail" | "inconclusive" | "unmeasured" | "pass" | "constrained";

export interface PageConstraint {
  selector: string;
  /** `file:line` of the constraint in the CDL file. */
  source: string;
  bounds: string[];
  algorithm: string[];
  mutations: string;
  severity: string;
}

export interface PageNode {
  id: string;
  name: string;
  label: string;
  file: string;
  /** Index into `PageData.folders`. */
  folder: number;
  line: number;
  kind: string;
  /** Laid out when the page was written. */
  x: number;
  y: number;
  constraints: PageConstraint[];
  /** Measured or recorded metrics, formatted; the first row says which. */
  metrics: MetricRow[];
  /** Time per call (median), ns, when measured or recorded; calls, when recorded (the program's own). */
  timeNs?: number;
  calls?: number;
  verdict?: NodeVerdict;
  /** With `--improved-in`: the version that made it faster, by how much, and the figures as text. */
  improved?: { version: number; factor: number | null; text: string };
}

export interface PageEdge {
  from: string;
  to: string;
  kind: string;
  lines: number[];
  metrics?: MetricRow[];
  calls?: number;
  /** Median argument volume per call, bytes, where measured or recorded. */
  bytesPerCall?: number;
}

export interface PageData {
  title: string;
  folders: string[];
  nodes: PageNode[];
  edges: PageEdge[];
  /** Some node carries measured or recorded metrics (the legend then explains heat). */
  measured: boolean;
}

/** A label the page drew, in view pixels (what `window.cdlcView.labels()` returns, for tests). */
export interface LabelBox {
  label: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}
