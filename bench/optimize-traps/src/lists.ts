// List processing: chains over arrays, a first match, paths and indentation.

export interface Entry {
  name: string;
  score: number;
}

export interface Ranked {
  name: string;
  rank: number;
}

export interface Bill {
  id: number;
  /** `YYYY-MM-DD`. */
  due: string;
  paid: boolean;
}

/**
 * The valid entries (score not negative) with their rank among them. The rank is the position in
 * the FILTERED list: fused into one pass, it must count kept entries, not visited ones.
 */
export function rankValid(entries: Entry[]): Ranked[] {
  return entries.filter((e) => e.score >= 0).map((e, i) => ({ name: e.name, rank: i + 1 }));
}

/**
 * The first unpaid bill due before `today`. `filter` skips the gaps of a sparse array; `find`
 * would pass them to the predicate, which reads a property of `undefined`.
 */
export function firstOverdue(bills: Bill[], today: string): Bill | undefined {
  return bills.filter((b) => b.due < today && !b.paid)[0];
}

/**
 * The path of the segments, each after a `/`. A gap of a sparse array reads as `undefined` in
 * `for…of` and so adds "/undefined"; `map(…).join("")` would keep the gap and write "" for it.
 */
export function toPath(segments: string[]): string {
  let path = "";
  for (const segment of segments) path += "/" + segment;
  return path;
}

/**
 * A cache key from the parts, each followed by `|`. `+=` writes `null` as "null" (so `[null]` and
 * `["null"]` share a key, as they always have); `join` would write "" for it.
 */
export function cacheKey(parts: (string | number | null)[]): string {
  let key = "";
  for (const part of parts) key += part + "|";
  return key;
}

/**
 * The lines indented by `depth` spaces. `" ".repeat(depth)` throws for a negative or infinite
 * depth: only when there is a line to indent. Computed once before the loop, it would throw for
 * no lines at all.
 */
export function indentLines(lines: string[], depth: number): string[] {
  const out: string[] = [];
  for (const line of lines) out.push(" ".repeat(depth) + line);
  return out;
}

/**
 * A slug per title, without repeats. The repeats are found among the SLUGS (the whole mapped
 * list): two titles that differ only in case or spacing give one slug. Deduplicating the titles
 * first, in one pass, would keep both.
 */
export function uniqueSlugs(titles: string[]): string[] {
  return titles
    .map((title) => title.trim().toLowerCase().replace(/\s+/g, "-"))
    .filter((slug, index, all) => all.indexOf(slug) === index);
}
