/**
 * Accepted variants of several nodes of one file, combined into one new
 * text. Each variant is the whole file with one node changed; the change is
 * the span where it differs from the original (common head and tail cut).
 * Spans of different nodes are disjoint in practice (different functions);
 * when two overlap, the later one is refused rather than guessed at.
 */

export interface FileChange {
  node: string;
  /** The whole file with the node's variant in place. */
  source: string;
}

export interface MergedFile {
  text: string;
  /** Nodes whose change was taken. */
  taken: string[];
  /** Nodes refused, with why. */
  refused: { node: string; reason: string }[];
}

interface Span {
  node: string;
  start: number;
  end: number;
  text: string;
}

/**
 * The span of `original` that `changed` replaces, widened to whole lines:
 * two nodes' changes that touch the same line are treated as overlapping.
 */
export function changedSpan(original: string, changed: string): { start: number; end: number; text: string } {
  let head = 0;
  const max = Math.min(original.length, changed.length);
  while (head < max && original.charCodeAt(head) === changed.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < max - head && original.charCodeAt(original.length - 1 - tail) === changed.charCodeAt(changed.length - 1 - tail)) tail++;
  // Widen within the common head and tail (identical in both texts), so offsets stay valid in each.
  const start = head === 0 ? 0 : original.lastIndexOf("\n", head - 1) + 1;
  const lastChanged = Math.max(head, original.length - tail - 1);
  const newline = original.indexOf("\n", lastChanged);
  const end = newline === -1 ? original.length : newline + 1;
  const cut = original.length - end;
  return { start, end, text: changed.slice(start, changed.length - cut) };
}

/** Applies the changes in order; a change overlapping one already taken is refused. */
export function mergeChanges(original: string, changes: readonly FileChange[]): MergedFile {
  const spans: Span[] = [];
  const refused: MergedFile["refused"] = [];
  for (const c of changes) {
    const s = { node: c.node, ...changedSpan(original, c.source) };
    const clash = spans.find((t) => s.start < t.end && t.start < s.end);
    if (clash !== undefined) refused.push({ node: c.node, reason: `its change overlaps the one accepted for ${clash.node} in the same file` });
    else spans.push(s);
  }
  let text = original;
  for (const s of [...spans].sort((a, b) => b.start - a.start)) text = text.slice(0, s.start) + s.text + text.slice(s.end);
  return { text, taken: spans.map((s) => s.node), refused };
}
