/** Damerau–Levenshtein distance (optimal string alignment), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => {
    const row = new Array<number>(n + 1).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= n; j++) d[0]![j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[m]![n]!;
}

/** Candidates within reach of `word`, with their scores, best first. */
function scoreCandidates(word: string, candidates: Iterable<string>): { c: string; score: number }[] {
  const lower = word.toLowerCase();
  const limit = Math.max(2, Math.floor(word.length / 3));
  const scored: { c: string; score: number }[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c)) continue;
    seen.add(c);
    const cl = c.toLowerCase();
    const shorter = Math.min(cl.length, lower.length);
    let score: number;
    if (cl === lower) score = 0;
    // Containment counts only for a meaningful part: every word containing `s` is not near the unit `s`.
    else if (shorter >= 2 && (cl.includes(lower) || lower.includes(cl))) score = Math.min(limit, Math.abs(cl.length - lower.length) / 2 + 0.5);
    else score = editDistance(lower, cl);
    if (score <= limit) scored.push({ c, score });
  }
  return scored.sort((x, y) => x.score - y.score || x.c.localeCompare(y.c));
}

/**
 * The candidates nearest to `word`, best first: case-insensitive equality wins,
 * then containment and small edit distances (at most a third of the word's
 * length, minimum 2).
 */
export function nearest(word: string, candidates: Iterable<string>, max = 3): string[] {
  return scoreCandidates(word, candidates).slice(0, max).map((s) => s.c);
}

/**
 * `did you mean `x`?`, or undefined when nothing is near. When several
 * candidates are equally near (`p98`: `p90`, `p95`, `p99`) it names them
 * all, up to three, rather than pick one arbitrarily.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const scored = scoreCandidates(word, candidates);
  if (scored.length === 0) return undefined;
  const best = scored.filter((s) => s.score === scored[0]!.score).slice(0, 3).map((s) => `\`${s.c}\``);
  const list = best.length === 1 ? best[0] : `${best.slice(0, -1).join(", ")} or ${best[best.length - 1]}`;
  return `did you mean ${list}?`;
}
