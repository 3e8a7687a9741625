/**
 * Unified diffs (as `git apply` and `patch -p1` read them) between two
 * versions of one file. Variants change one function, so the common head
 * and tail of the file are cut first and the line LCS runs on the rest.
 */

type Op = { kind: " " | "-" | "+"; line: string };

/** Lines with their end of line kept, so a missing final newline is seen. */
function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}

/**
 * Edit script between two line arrays: the common head and tail, then a
 * shortest edit script of the middle (Myers' O((N+M)·D) greedy algorithm:
 * fast when the texts differ in few lines, however long they are), with
 * removals before additions in each changed run.
 */
function lineOps(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middle = shortestEdit(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  return [...a.slice(0, head).map((line): Op => ({ kind: " ", line })), ...removalsFirst(middle), ...a.slice(a.length - tail).map((line): Op => ({ kind: " ", line }))];
}

/** Myers: the furthest-reaching path per diagonal, step by step; each step's frontier kept for the way back. */
function shortestEdit(x: readonly string[], y: readonly string[]): Op[] {
  const n = x.length;
  const m = y.length;
  const offset = n + m + 1;
  const v = new Int32Array(2 * offset + 1);
  // frontiers[d][k + d + 1]: the furthest x on diagonal k after step d, for k in [-(d + 1), d + 1].
  const frontiers: Int32Array[] = [];
  let steps = 0;
  outer: for (let d = 0; d <= n + m; d++) {
    for (let k = -d; k <= d; k += 2) {
      let i = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let j = i - k;
      while (i < n && j < m && x[i] === y[j]) (i++, j++);
      v[offset + k] = i;
      if (i >= n && j >= m) {
        frontiers.push(v.slice(offset - d - 1, offset + d + 2));
        steps = d;
        break outer;
      }
    }
    frontiers.push(v.slice(offset - d - 1, offset + d + 2));
  }
  const ops: Op[] = [];
  let i = n;
  let j = m;
  for (let d = steps; d > 0; d--) {
    const prev = frontiers[d - 1]!;
    const at = (k: number) => prev[k + d]!;
    const k = i - j;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const pk = down ? k + 1 : k - 1;
    const pi = at(pk);
    const pj = pi - pk;
    while (i > pi + (down ? 0 : 1) && j > pj + (down ? 1 : 0)) ops.push({ kind: " ", line: x[--i]! }), j--;
    if (down) ops.push({ kind: "+", line: y[--j]! });
    else ops.push({ kind: "-", line: x[--i]! });
  }
  while (i > 0 && j > 0) ops.push({ kind: " ", line: x[--i]! }), j--;
  return ops.reverse();
}

/** Within each run of changed lines, the removals first: the same edit, read as a diff usually is. */
function removalsFirst(ops: readonly Op[]): Op[] {
  const out: Op[] = [];
  for (let k = 0; k < ops.length; ) {
    if (ops[k]!.kind === " ") {
      out.push(ops[k++]!);
      continue;
    }
    const run: Op[] = [];
    while (k < ops.length && ops[k]!.kind !== " ") run.push(ops[k++]!);
    out.push(...run.filter((o) => o.kind === "-"), ...run.filter((o) => o.kind === "+"));
  }
  return out;
}

/** The unified diff of `path` from `before` to `after` ("" when equal), with `context` lines around each change. */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return "";
  const ops = lineOps(splitLines(before), splitLines(after));
  const out = [`--- a/${path}\n`, `+++ b/${path}\n`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.kind === " ") {
      k++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change within reach.
    const start = Math.max(0, k - context);
    let end = k;
    for (let last = k; last < ops.length; last++) {
      if (ops[last]!.kind !== " ") end = last;
      else if (last - end > 2 * context) break;
    }
    const stop = Math.min(ops.length, end + context + 1);
    const hunk = ops.slice(start, stop);
    const oldStart = ops.slice(0, start).filter((o) => o.kind !== "+").length;
    const newStart = ops.slice(0, start).filter((o) => o.kind !== "-").length;
    const oldCount = hunk.filter((o) => o.kind !== "+").length;
    const newCount = hunk.filter((o) => o.kind !== "-").length;
    out.push(`@@ -${oldCount === 0 ? oldStart : oldStart + 1},${oldCount} +${newCount === 0 ? newStart : newStart + 1},${newCount} @@\n`);
    for (const o of hunk) out.push(o.line.endsWith("\n") ? `${o.kind}${o.line}` : `${o.kind}${o.line}\n\\ No newline at end of file\n`);
    k = stop;
  }
  return out.join("");
}
