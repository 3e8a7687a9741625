// Sensor readings: NaN marks a failed reading, and arrays come from parsers that leave gaps.

export interface Sample {
  /** Seconds since the start of the run; NaN when the clock had not synced. */
  t: number;
  value: number;
}

/**
 * The distinct readings, first occurrence kept. `includes` finds NaN (SameValueZero), so failed
 * readings collapse into one: a Set does the same, `indexOf` (strict equality) would keep every NaN.
 */
export function dedupeReadings(values: number[]): number[] {
  const out: number[] = [];
  for (const v of values) {
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/**
 * The value sampled at each time, `null` when there is none. `find` compares with `===`, so an
 * unsynced time (NaN) matches nothing; a Map keyed by time would match NaN with NaN.
 */
export function readingAt(times: number[], samples: Sample[]): (number | null)[] {
  return times.map((t) => {
    const sample = samples.find((s) => s.t === t);
    return sample === undefined ? null : sample.value;
  });
}

/**
 * The sum of the readings that are present. `for…in` visits the indices that hold a value (not the
 * gaps of a sparse array) and any other enumerable key the array carries; an index loop would not.
 */
export function sumPresent(readings: number[]): number {
  let total = 0;
  for (const index in readings) total += readings[Number(index)]!;
  return total;
}

/** The median (the lower middle for an even count), by an insertion sort of a copy. */
export function medianOf(values: number[]): number | undefined {
  const sorted = [...values];
  for (let i = 1; i < sorted.length; i++) {
    const current = sorted[i]!;
    let j = i - 1;
    while (j >= 0 && sorted[j]! > current) {
      sorted[j + 1] = sorted[j]!;
      j--;
    }
    sorted[j + 1] = current;
  }
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * Meant as the same median with the built-in sort: it is, for finite numbers. With NaN the two
 * differ: `a - b` is NaN (read as "equal") where the insertion sort's `>` is false.
 */
export function medianOfSorted(values: number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
