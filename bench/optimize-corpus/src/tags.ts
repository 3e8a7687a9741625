// Membership tests on arrays: `includes` / `indexOf` inside a loop.

/** Normalizes tags (trimmed, lower case) and keeps the first of each, in order. Quadratic: `includes` on the growing list. */
export function dedupeTags(tags: string[]): string[] {
  const seen: string[] = [];
  for (const tag of tags) {
    const normalized = tag.trim().toLowerCase();
    if (!seen.includes(normalized)) seen.push(normalized);
  }
  return seen;
}

/** The customers of this month who also bought last month, in this month's order. Quadratic: `indexOf` per customer. */
export function returningCustomers(thisMonth: string[], lastMonth: string[]): string[] {
  return thisMonth.filter((id) => lastMonth.indexOf(id) !== -1);
}
