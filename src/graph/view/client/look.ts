import type { NodeVerdict, PageEdge, PageNode } from "../page-types.js";

/**
 * What size and colour mean in the view (the legend says the same). Colour
 * is the verdict: a constrained node shows the worst verdict of its bounds.
 * Size is heat: time per call where measured, time spent (time per call ×
 * calls) where recorded (page-data.ts keeps calls only then); otherwise how
 * many call it.
 */

export const VERDICT_COLOURS: Record<NodeVerdict, string> = {
  fail: "#cf222e",
  inconclusive: "#d18616",
  unmeasured: "#8c6bc8",
  pass: "#1a7f37",
  constrained: "#e0b100",
};

export const VERDICT_NAMES: Record<NodeVerdict, string> = {
  fail: "a bound fails",
  inconclusive: "a bound is inconclusive",
  unmeasured: "a bound is not measured",
  pass: "every bound passes",
  constrained: "constrained, not measured yet",
};

export const PLAIN_COLOUR = "#9aa6b8";
export const ABSTRACT_COLOUR = "#c9d0db";
export const FOLDER_COLOUR = "#4c6a92";
export const DIM_COLOUR = "#e6e9ef";
export const EDGE_COLOURS: Record<string, string> = { call: "#c3cad6", dispatch: "#9fbbe0", construct: "#b9a3e3" };
/** Edges of the selected node: this colour, this much wider. */
export const ACTIVE_EDGE = { colour: "#1f6feb", extra: 1 };

const WORST_FIRST: NodeVerdict[] = ["fail", "inconclusive", "unmeasured", "constrained", "pass"];

export function worstVerdict(verdicts: Iterable<NodeVerdict | undefined>): NodeVerdict | undefined {
  const seen = new Set(verdicts);
  return WORST_FIRST.find((v) => seen.has(v));
}

export function nodeColour(n: PageNode): string {
  if (n.verdict !== undefined) return VERDICT_COLOURS[n.verdict];
  return n.kind === "interface-method" || n.kind === "abstract-method" ? ABSTRACT_COLOUR : PLAIN_COLOUR;
}

/**
 * Sizes in pixels at the default zoom: by time spent on a log scale across
 * the measured nodes (4 to 16 px), else by callers (4 to 12 px).
 */
export function nodeSizes(nodes: readonly PageNode[], callers: ReadonlyMap<string, number>): Map<string, number> {
  const spent = (n: PageNode) => (n.timeNs !== undefined ? Math.log10(1 + n.timeNs * (n.calls ?? 1)) : undefined);
  const measured = nodes.map(spent).filter((v): v is number => v !== undefined);
  const lo = Math.min(...measured);
  const hi = Math.max(...measured);
  const sizes = new Map<string, number>();
  for (const n of nodes) {
    const s = spent(n);
    if (s !== undefined) sizes.set(n.id, hi > lo ? 4 + (12 * (s - lo)) / (hi - lo) : 8);
    else sizes.set(n.id, Math.min(12, 4 + 1.5 * Math.sqrt(callers.get(n.id) ?? 0)));
  }
  return sizes;
}

/**
 * An edge's colour: by kind; where its argument volume was measured, from
 * light to dark by bytes per call (log scale, 1 B to 1 MB).
 */
export function edgeColour(e: Pick<PageEdge, "kind" | "bytesPerCall">): string {
  if (e.bytesPerCall === undefined) return EDGE_COLOURS[e.kind] ?? EDGE_COLOURS.call!;
  const t = Math.min(1, Math.max(0, Math.log10(1 + e.bytesPerCall) / 6));
  const shade = (light: number, dark: number) => Math.round(light + (dark - light) * t);
  return `rgb(${shade(180, 40)}, ${shade(190, 70)}, ${shade(205, 120)})`;
}

/** Edge width by calls, when counted (1 to 6 px); 1 px otherwise. */
export function edgeSize(e: Pick<PageEdge, "calls">): number {
  return e.calls === undefined ? 1 : Math.min(6, 1 + Math.log10(1 + e.calls));
}

export function folderSize(members: number): number {
  return Math.min(24, 6 + 2 * Math.sqrt(members));
}
