/** The kinds of quantity CDL knows, and the base unit each compiles to. */
export type QuantityKind = "duration" | "size" | "ratio" | "rate" | "count";

export type BaseUnit = "ns" | "B" | "ratio" | "per_s" | "count";

export const baseUnitOf: Record<QuantityKind, BaseUnit> = {
  duration: "ns",
  size: "B",
  ratio: "ratio",
  rate: "per_s",
  count: "count",
};

interface UnitInfo {
  kind: QuantityKind;
  /** Multiplier to the base unit. */
  factor: number;
}

/** Every unit as written, with its kind and its factor to the base unit. */
export const units: ReadonlyMap<string, UnitInfo> = new Map<string, UnitInfo>([
  ["ns", { kind: "duration", factor: 1 }],
  ["us", { kind: "duration", factor: 1e3 }],
  ["µs", { kind: "duration", factor: 1e3 }],
  // U+03BC GREEK SMALL LETTER MU, which many keyboards produce for "micro".
  ["μs", { kind: "duration", factor: 1e3 }],
  ["ms", { kind: "duration", factor: 1e6 }],
  ["s", { kind: "duration", factor: 1e9 }],
  ["min", { kind: "duration", factor: 60e9 }],
  ["B", { kind: "size", factor: 1 }],
  ["KB", { kind: "size", factor: 1e3 }],
  ["MB", { kind: "size", factor: 1e6 }],
  ["GB", { kind: "size", factor: 1e9 }],
  ["KiB", { kind: "size", factor: 1024 }],
  ["MiB", { kind: "size", factor: 1024 ** 2 }],
  ["GiB", { kind: "size", factor: 1024 ** 3 }],
  ["%", { kind: "ratio", factor: 0.01 }],
  ["/s", { kind: "rate", factor: 1 }],
]);

/** What a kind is called in messages, with an example. */
export const kindDescription: Record<QuantityKind, { name: string; example: string }> = {
  duration: { name: "a duration", example: "10ms" },
  size: { name: "a size", example: "1MB" },
  ratio: { name: "a ratio", example: "0.1%" },
  rate: { name: "a rate", example: "50000/s" },
  count: { name: "a plain count", example: "100" },
};

/** Unit names to suggest from ("did you mean"): the ASCII spellings. */
export const unitNames: readonly string[] = [...units.keys()].filter((u) => u !== "μs");

/**
 * Converts a number in `unit` to the base unit. The product is rounded to 15
 * significant digits so that decimal inputs give the numbers users expect
 * (`1.1ms` is 1100000 ns, not 1100000.0000000002).
 */
export function toBaseUnit(value: number, factor: number): number {
  const v = value * factor;
  if (Number.isInteger(v)) return v;
  let result = roundedProducts.get(v);
  if (result === undefined) {
    result = Number(v.toPrecision(15));
    if (roundedProducts.size >= 4096) roundedProducts.clear();
    roundedProducts.set(v, result);
  }
  return result;
}

/** Products already rounded: bounds repeat their values (`error_rate: < 0.1%`), and rounding goes through a string. */
const roundedProducts = new Map<number, number>();
