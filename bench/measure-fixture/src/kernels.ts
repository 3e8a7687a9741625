// Functions whose cost under instrumentation bench/measure-overhead.mjs measures:
// from a call that does almost nothing to one that does real work.

export function add(a: number, b: number): number {
  return a + b;
}

export function sumSquares(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x * x;
  return s;
}

export function matchesAll(title: string, words: readonly string[]): boolean {
  const lower = title.toLowerCase();
  return words.every((w) => lower.includes(w));
}

export class Counter {
  constructor(private readonly step: number) {}

  next(x: number): number {
    return x + this.step;
  }
}
