// Sorting: a comparator that parses dates, and a hand-written insertion sort.

export interface CalendarEvent {
  title: string;
  /** An ISO timestamp. */
  at: string;
}

export interface Member {
  name: string;
  joined: number;
}

/** The events in time order. Parses both timestamps at every comparison. */
export function sortByDate(events: CalendarEvent[]): CalendarEvent[] {
  return [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** The members by name (stable). An insertion sort: quadratic. */
export function rankByName(members: Member[]): Member[] {
  const out = [...members];
  for (let i = 1; i < out.length; i++) {
    const current = out[i]!;
    let j = i - 1;
    while (j >= 0 && out[j]!.name > current.name) {
      out[j + 1] = out[j]!;
      j--;
    }
    out[j + 1] = current;
  }
  return out;
}

/** The same order as `rankByName` (stable, by name), by merge sort: n log n. */
export function rankByNameMerge(members: Member[]): Member[] {
  const out = [...members];
  if (out.length < 2) return out;
  const buffer = new Array<Member>(out.length);
  for (let width = 1; width < out.length; width *= 2) {
    for (let start = 0; start < out.length; start += 2 * width) {
      const middle = Math.min(start + width, out.length);
      const end = Math.min(start + 2 * width, out.length);
      let left = start;
      let right = middle;
      let k = start;
      while (left < middle && right < end) {
        // Take from the right only when strictly smaller: equal names keep their order.
        if (out[left]!.name > out[right]!.name) buffer[k++] = out[right++]!;
        else buffer[k++] = out[left++]!;
      }
      while (left < middle) buffer[k++] = out[left++]!;
      while (right < end) buffer[k++] = out[right++]!;
    }
    for (let k = 0; k < out.length; k++) out[k] = buffer[k]!;
  }
  return out;
}
