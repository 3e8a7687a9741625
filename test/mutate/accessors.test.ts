import { describe, expect, it } from "vitest";
import { accessorNames, readOfAccessor } from "../../src/mutate/accessors.js";
import { generateVariants } from "../../src/mutate/engine.js";
import { parseSource } from "../../src/mutate/source.js";
import type { MutationTarget } from "../../src/mutate/types.js";

// A comparator key that reads a counting getter: computing it once per entry (sort_keys) changes the
// counts, which only the `#private` field shows — and the oracle cannot see a `#private` field.
const counting = `export class Entry {
  #hits = 0;
  constructor(private readonly amount: number) {}
  get value(): number {
    this.#hits++;
    return this.amount;
  }
  get hits(): number {
    return this.#hits;
  }
}

export function byBucket(entries: Entry[], size: number): Entry[] {
  return [...entries].sort((a, b) => Math.round(a.value / size) - Math.round(b.value / size));
}
`;
const plain = counting.replace(/ {2}get value\(\): number \{\n {4}this\.#hits\+\+;\n {4}return this\.amount;\n {2}\}\n/, "  readonly value = 1;\n");
const target = (source: string): MutationTarget => ({ node: "src/cache.ts#byBucket", file: "src/cache.ts", qualifiedName: "byBucket", source, mutations: "all", algorithm: [] });

describe("getters and read-count-changing rewrites", () => {
  it.each([
    ["class getters and setters", "class A { get x() { return 1; } set y(v) {} get ['z']() { return 1; } #p = 1; get #q() { return 1; } }", ["x", "y", "z"]],
    ["object literal accessors", "const o = { get size() { return 1; }, plain: 2 };", ["size"]],
    ["Object.defineProperty", 'Object.defineProperty(globalThis, "clock", { get: () => 1 });', ["clock"]],
    ["none", "class A { value = 1; method() { return this.value; } }", []],
  ])("collects the accessor names a file declares: %s", (_what, code, names) => {
    expect([...accessorNames(parseSource("m.ts", code))].sort()).toEqual(names);
  });

  it("finds a read of such a name, by dot, by string index or by destructuring", () => {
    const names = new Set(["value"]);
    for (const code of ["f = (a) => a.value", 'f = (a) => a?.["value"]', "f = ({ value }) => value"]) expect(readOfAccessor(parseSource("m.ts", code).program, names)?.name, code).toBe("value");
    expect(readOfAccessor(parseSource("m.ts", "f = (a) => a.values").program, names)).toBeUndefined();
  });

  it("gives sort_keys no variant of a comparator that reads a getter of the file, and says why", () => {
    const r = generateVariants(target(counting));
    expect(r.variants.filter((v) => v.operators.includes("sort_keys"))).toEqual([]);
    expect(r.notApplied.find((n) => n.operator === "sort_keys")?.reason).toMatch(/reads `value` \(line 14\), a name this file declares as a getter or setter/);
  });

  it("still rewrites the same comparator when `value` is a plain field", () => {
    const r = generateVariants(target(plain));
    expect(r.variants.some((v) => v.operators.includes("sort_keys"))).toBe(true);
  });
});
