import { transformSync } from "esbuild";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { generateVariants } from "../../src/mutate/engine.js";
import { loopFusion } from "../../src/mutate/operators/loop-fusion.js";
import { expectNoVariant, expectVariants } from "./helpers.js";

type Case = [title: string, code: string, expected: string[], name?: string];

/** The loop form's frame around `body` (one line), for an array read as `array` with element variable `x`. */
const loop = (receiver: string, body: string, o: { out?: string; i?: string; length?: string; array?: string; optional?: boolean; head?: string } = {}) => {
  const { out = "out", i = "i", length = "length", array = "array" } = o;
  return `((${array}) => { ${o.optional ? `if (${array} == null) return undefined; ` : ""}${o.head ?? `const ${out} = [];`} for (let ${i} = 0, ${length} = ${array}.length; ${i} < ${length}; ${i}++) { if (!(${i} in ${array})) continue; ${body} } return ${out}; })(${receiver})`;
};

describe("loop_fusion: applies", () => {
  const cases: Case[] = [
    [
      "map then filter → one loop that skips holes and pushes",
      "function f(xs: number[]) { return xs.map((x) => x * 2).filter((y) => y > 3); }",
      [`function f(xs: number[]) { return ${loop("xs", "const x = array[i] as (typeof array)[number]; const y = x * 2; if (!(y > 3)) continue; out.push(y);")}; }`],
    ],
    [
      "two maps → one map (holes stay holes), written on lines like the function",
      "function f(xs: number[]) {\n  return xs.map((x) => x * 2).map((y) => y + 1);\n}",
      ["function f(xs: number[]) {\n  return xs.map((x) => {\n    const y = x * 2;\n    return y + 1;\n  });\n}"],
    ],
    [
      "filter, map, reduce with an initial value → one reduce; the filter's parameter is the element's name",
      "function f(xs: number[]) { return xs.filter((x) => x > 0).map((x) => x * 2).reduce((s, y) => s + y, 0); }",
      ["function f(xs: number[]) { return xs.reduce((s, x) => { if (!(x > 0)) return s; const y = x * 2; return s + y; }, 0); }"],
    ],
    [
      "three calls: map, filter, map",
      "function f(xs: number[]) { return xs.map((x) => x + 1).filter((y) => y > 2).map((z) => z * 10); }",
      [`function f(xs: number[]) { return ${loop("xs", "const x = array[i] as (typeof array)[number]; const y = x + 1; if (!(y > 2)) continue; const z = y; out.push(z * 10);")}; }`],
    ],
    [
      // After a filter, the index is the position in the FILTERED array: counted where the filter passes.
      "an index after a filter is a counter of kept elements",
      "function f(xs: number[]) { return xs.filter((x) => x > 0).map((x, i) => x * i); }",
      [`function f(xs: number[]) { return ${loop("xs", "const x = array[i2] as (typeof array)[number]; if (!(x > 0)) continue; const i = kept++; out.push(x * i);", { i: "i2", head: "const out = []; let kept = 0;" })}; }`],
    ],
    [
      "after maps, the index is the original one: the loop's variable is the first callback's index",
      "function f(xs: number[]) { return xs.map((x, i) => x * i).filter((y, j) => y > j); }",
      [`function f(xs: number[]) { return ${loop("xs", "const x = array[i] as (typeof array)[number]; const y = x * i; const j = i; if (!(y > j)) continue; out.push(y);")}; }`],
    ],
    [
      "map with an index, then reduce with an index → one reduce passing the index on",
      "function f(xs: number[]) { return xs.map((x, i) => x * i).reduce((sum, y, j) => sum + y * j, 0); }",
      ["function f(xs: number[]) { return xs.reduce((sum, x, i) => { const y = x * i; const j = i; return sum + y * j; }, 0); }"],
    ],
    [
      "a reduce that reads the position after a filter → the loop, with its accumulator and type argument",
      "function f(xs: number[]) { return xs.filter((x) => x > 0).reduce<number>((s, y, j) => s + y * j, 0); }",
      [`function f(xs: number[]) { return ${loop("xs", "const x = array[i] as (typeof array)[number]; if (!(x > 0)) continue; const j = kept++; const y = x; s = s + y * j;", { out: "s", head: "let s: number = 0; let kept = 0;" })}; }`],
    ],
    [
      "destructured parameters: the element is named, then destructured where each callback did",
      "function f(xs: { a: number }[]) { return xs.filter(({ a }) => a > 0).map(({ a }) => a); }",
      [`function f(xs: { a: number }[]) { return ${loop("xs", "const value = array[i] as (typeof array)[number]; const { a } = value; if (!(a > 0)) continue; { const { a } = value; out.push(a); }")}; }`],
    ],
    [
      "the same parameter name in two maps: the second gets a nested block",
      "function f(xs: { a: { b: number } }[]) { return xs.map((x) => x.a).map((x) => x.b); }",
      ["function f(xs: { a: { b: number } }[]) { return xs.map((x) => { const value = x.a; { const x = value; return x.b; } }); }"],
    ],
    [
      "block bodies of declarations and a return are inlined; the same local twice gets a nested block",
      "function f(xs: number[]) { return xs.map((x) => { const t = x * 2; return t + 1; }).map((x) => { const t = x * 3; return t; }); }",
      ["function f(xs: number[]) { return xs.map((x) => { const t = x * 2; const value = t + 1; { const x = value; { const t = x * 3; return t; } } }); }"],
    ],
    [
      "filter(Boolean) tests truth",
      "function f(xs: string[]) { return xs.map((s) => s.length).filter(Boolean); }",
      [`function f(xs: string[]) { return ${loop("xs", "const s = array[i] as (typeof array)[number]; const value = s.length; if (!value) continue; out.push(value);", { length: "length2" })}; }`],
    ],
    [
      "map(String) and a filter after it",
      "function f(xs: number[]) { return xs.filter((x) => x > 0).map(String).filter((s, k) => s.length > k); }",
      [`function f(xs: number[]) { return ${loop("xs", "const x = array[i] as (typeof array)[number]; if (!(x > 0)) continue; const position = kept++; const s = String(x); const k = position; if (!(s.length > k)) continue; out.push(s);", { length: "length2", head: "const out = []; let kept = 0;" })}; }`],
    ],
    [
      "an optional receiver keeps its ?. in the map form",
      "function f(xs?: number[]) { return xs?.map((x) => x + 1).map((y) => y * 2); }",
      ["function f(xs?: number[]) { return xs?.map((x) => { const y = x + 1; return y * 2; }); }"],
    ],
    [
      "an optional receiver in the loop form: undefined for a nullish array",
      "function f(xs?: number[]) { return xs?.map((x) => x + 1).filter((y) => y > 1); }",
      [`function f(xs?: number[]) { return ${loop("xs", "const x = array[i] as NonNullable<typeof array>[number]; const y = x + 1; if (!(y > 1)) continue; out.push(y);", { optional: true })}; }`],
    ],
    [
      "a function callback is inlined; a block body with an early return is called in place",
      "function f(xs: number[]) { return xs.map(function (x) { return x * 2; }).filter((y) => { if (y > 3) return true; return y < -3; }); }",
      [`function f(xs: number[]) { return ${loop("xs", "const x = array[i] as (typeof array)[number]; const value = x * 2; if (!((y) => { if (y > 3) return true; return y < -3; })(value)) continue; out.push(value);")}; }`],
    ],
    [
      "a first callback called in place gets the element and index under fresh names",
      "function f(xs: number[]) { return xs.map((x, i) => { if (x > 1) return i; return 2; }).map((y, j) => y + j); }",
      ["function f(xs: number[]) { return xs.map((value, index) => { const y = ((x, i) => { if (x > 1) return i; return 2; })(value, index); const j = index; return y + j; }); }"],
    ],
    [
      "a destructured accumulator",
      "function f(xs: number[]) { return xs.map((x) => x * 2).reduce(({ sum, n }, y) => ({ sum: sum + y, n: n + 1 }), { sum: 0, n: 0 }); }",
      ["function f(xs: number[]) { return xs.reduce((acc, x) => { const y = x * 2; const { sum, n } = acc; return { sum: sum + y, n: n + 1 }; }, { sum: 0, n: 0 }); }"],
    ],
    [
      "a reducer with a block body is called in place",
      "function f(xs: number[]) { return xs.map((x) => x * 2).reduce((s, y) => { if (y > 2) return s + y; return s; }, 0); }",
      ["function f(xs: number[]) { return xs.reduce((acc, x) => { const value = x * 2; return ((s, y) => { if (y > 2) return s + y; return s; })(acc, value); }, 0); }"],
    ],
    [
      "typed parameters keep their annotations; a readonly array",
      "function f(xs: readonly number[]) { return xs.map((x: number, i: number) => x * i).reduce((sum: number, y: number) => sum + y, 0); }",
      ["function f(xs: readonly number[]) { return xs.reduce((sum: number, x: number, i: number) => { const y: number = x * i; return sum + y; }, 0); }"],
    ],
    [
      "the first callback's array parameter is the receiver itself",
      "function f(xs: number[]) { return xs.map((x, i, all) => x + all.length).filter((y) => y > 1); }",
      [`function f(xs: number[]) { return ${loop("xs", "const x = all[i] as (typeof all)[number]; const y = x + all.length; if (!(y > 1)) continue; out.push(y);", { array: "all", length: "length2" })}; }`],
    ],
    [
      "the parts of a split string",
      "function f(s: string) { return s.split(',').map((x) => x.length).filter((n) => n > 0); }",
      [`function f(s: string) { return ${loop("s.split(',')", "const x = array[i] as (typeof array)[number]; const n = x.length; if (!(n > 0)) continue; out.push(n);", { length: "length2" })}; }`],
    ],
    [
      "a class property with an annotation",
      "class C { items: { n: number }[] = []; total() { return this.items.map(({ n }) => n).filter((n) => n > 0); } }",
      [`total() { return ${loop("this.items", "const { n } = array[i] as (typeof array)[number]; if (!(n > 0)) continue; out.push(n);")}; }`],
      "C.total",
    ],
    [
      // Under noUncheckedIndexedAccess `array[i]` is `T | undefined` even where the file writes no type.
      "Array.from in a .ts file without annotations: still the cast",
      "function f(n) { return Array.from({ length: n }, (_, i) => i).map((x) => x * 2).filter((y) => y % 3 === 0); }",
      [`function f(n) { return ${loop("Array.from({ length: n }, (_, i) => i)", "const x = array[i2] as (typeof array)[number]; const y = x * 2; if (!(y % 3 === 0)) continue; out.push(y);", { i: "i2", length: "length2" })}; }`],
    ],
    [
      // The impure map is not fused; the calls after it are, over its result.
      "a run after a call that cannot be fused",
      "function f(xs: number[], log: (x: number) => number) { return xs.map((x) => log(x)).filter((y) => y > 2).map((z) => z * 10); }",
      [`function f(xs: number[], log: (x: number) => number) { return ${loop("xs.map((x) => log(x))", "const y = array[i] as (typeof array)[number]; if (!(y > 2)) continue; const z = y; out.push(z * 10);")}; }`],
    ],
  ];
  for (const [title, code, expected, name] of cases) it(title, () => expectVariants(loopFusion, code, expected, name ?? "f"));

  it("a JavaScript file gets no cast", () => {
    const code = "function f(n) { return Array.from({ length: n }, (_, i) => i).map((x) => x * 2).filter((y) => y % 3 === 0); }";
    const result = generateVariants({ node: "src/m.js#f", file: "src/m.js", qualifiedName: "f", source: code, mutations: ["loop_fusion"], algorithm: [] }, { operators: [loopFusion], depth: 1 });
    expect(result.variants.map((v) => v.nodeText)).toEqual([`function f(n) { return ${loop("Array.from({ length: n }, (_, i) => i)", "const x = array[i2]; const y = x * 2; if (!(y % 3 === 0)) continue; out.push(y);", { i: "i2", length: "length2" })}; }`]);
  });

  it("rewrites each chain, and both at once", () => {
    const code = "function f(xs: number[], ys: string[]) {\n  const a = xs.map((x) => x + 1).map((x) => x * 2);\n  const b = ys.filter((y) => y !== '').map((y) => y + '!');\n  return [a, b];\n}";
    const a = "const a = xs.map((x) => {\n    const value = x + 1;\n    {\n      const x = value;\n      return x * 2;\n    }\n  });";
    const b = "const b = ((array) => {\n    const out = [];\n    for (let i = 0, length = array.length; i < length; i++) {\n      if (!(i in array)) continue;\n      const y = array[i] as (typeof array)[number];\n      if (!(y !== '')) continue;\n      out.push(y + '!');\n    }\n    return out;\n  })(ys);";
    const oldA = "const a = xs.map((x) => x + 1).map((x) => x * 2);";
    const oldB = "const b = ys.filter((y) => y !== '').map((y) => y + '!');";
    const wrap = (x: string, y: string) => `function f(xs: number[], ys: string[]) {\n  ${x}\n  ${y}\n  return [a, b];\n}`;
    expectVariants(loopFusion, code, [wrap(a, oldB), wrap(oldA, b), wrap(a, b)]);
  });
});

describe("loop_fusion: does not apply", () => {
  const cases: [string, string, RegExp, string?][] = [
    // The core trap: fused, log(x0), p(x0), log(x1)… instead of all logs first.
    ["a callback with a side effect (their calls would interleave)", "function f(xs: number[], seen: number[]) { return xs.map((x) => { seen.push(x); return x; }).filter((x) => x > 1); }", /`map` \(line 1\): the callback may have a side effect \(`seen\.push\(x\)`, line 1\); fused, the callbacks' calls interleave/],
    ["an assignment in a callback", "let n = 0;\nfunction f(xs: number[]) { return xs.filter((x) => x > n++).map((x) => x); }", /`filter` \(line 2\): the callback may have a side effect \(`n\+\+`/],
    ["a callback that is not a function literal", "function f(xs: number[], g: (x: number) => number) { return xs.map(g).filter((y) => y > 1); }", /the callback `g` is not a function literal/],
    ["a thisArg", "function f(xs: number[], o: object) { return xs.map((x) => x + 1, o).filter((y) => y > 1); }", /`map` \(line 1\) has a thisArg/],
    ["a function callback that uses this", "function f(xs: number[]) { return xs.map(function (x) { return this.k + x; }).filter((y) => y > 1); }", /the `function` callback uses `this`/],
    ["a function callback that uses arguments", "function f(xs: number[]) { return xs.map(function (x) { return arguments.length + x; }).filter((y) => y > 1); }", /the `function` callback uses `arguments`/],
    // The intermediate array a later callback would receive no longer exists.
    ["the array parameter of a later callback", "function f(xs: number[]) { return xs.map((x) => x + 1).filter((y, i, all) => y > all.length); }", /`filter` \(line 1\) uses the array parameter `all`: fused with the calls before it, that array would not exist/],
    ["reduce without an initial value (seeds with the first value, throws on empty)", "function f(xs: number[]) { return xs.map((x) => x * 2).reduce((s, y) => s + y); }", /`reduce` \(line 1\) has no initial value: it seeds with the first value and throws on an empty array/],
    ["an initial value with a side effect (it would run before the callbacks)", "function f(xs: number[], make: () => number) { return xs.map((x) => x * 2).reduce((s, y) => s + y, make()); }", /the initial value may have a side effect \(`make\(\)`\)/],
    ["a receiver of unknown type (a user's class may have its own map)", "function f(xs) { return xs.map((x) => x).filter((x) => x); }", /the parameter `xs` has no type annotation; a user's class may have its own `map`\/`filter`/],
    ["a receiver of a class type", "class Bag { map(f: (x: number) => number) { return new Bag(); } filter(p: (x: number) => boolean) { return this; } }\nfunction f(b: Bag) { return b.map((x) => x).filter((x) => x > 1); }", /its type `Bag` is not an array type/],
    ["an imported receiver", "import { rows } from './rows.js';\nfunction f() { return rows.map((r) => r.n).filter((n) => n > 1); }", /`rows` is imported: cdlc cannot see its type/],
    ["a name one callback declares and another reads from outside", "function f(xs: number[], limit: number) { return xs.map((x) => { const limit = 3; return x * limit; }).filter((y) => y > limit); }", /one callback declares `limit` and another reads an outer `limit`/],
    ["an optional chain that goes on after the loop form", "function f(xs?: number[]) { return xs?.map((x) => x + 1).filter((x) => x > 1).length; }", /the optional chain goes on after it/],
    ["a parameter with a default value", "function f(xs: (number | undefined)[]) { return xs.map((x = 0) => x + 1).filter((y) => y > 1); }", /the parameter `x = 0` has a default value/],
    ["a rest parameter", "function f(xs: number[]) { return xs.map((...args) => args[0]).filter((y) => y > 1); }", /the parameter `\.\.\.args` is a rest parameter/],
    ["an async callback", "function f(xs: number[]) { return xs.map(async (x) => x).filter((p) => p !== null); }", /the callback is async/],
    ["a receiver that may be null without ?.", "function f(xs: number[] | null) { return xs.map((x) => x).filter((x) => x > 0); }", /`xs` may be null or undefined/],
    ["a single call", "function f(xs: number[]) { return xs.map((x) => x * 2); }", /no chain of `map`\/`filter`\/`reduce` calls/],
    ["no chain at all", "function f(xs: number[]) { let s = 0; for (const x of xs) s += x; return s; }", /no chain of `map`\/`filter`\/`reduce` calls/],
  ];
  for (const [title, code, reason, name] of cases) it(title, () => expectNoVariant(loopFusion, code, reason, name));

  it("is not applied only by name: with pure callbacks the order of side effects cannot change", () => {
    expect(loopFusion.byNameOnly).toBe(false);
    expect(loopFusion.risk).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------- the variants run like the originals

/** The variants of `f` (all of them, one per chain and the combination). */
function variantsOf(code: string): string[] {
  const result = generateVariants({ node: "src/m.ts#f", file: "src/m.ts", qualifiedName: "f", source: code, mutations: ["loop_fusion"], algorithm: [] }, { operators: [loopFusion], depth: 1 });
  expect(result.notApplied.filter((n) => n.reason.startsWith("cdlc bug"))).toEqual([]);
  return result.variants.map((v) => v.source);
}

/** The module's `f`, types stripped, in strict mode as in a module. */
function compile(source: string): (...args: unknown[]) => unknown {
  const js = transformSync(source, { loader: "ts", format: "esm", target: "es2022" }).code;
  return new Function(`"use strict";\n${js}\nreturn f;`)() as (...args: unknown[]) => unknown;
}

/** The result (holes and -0 kept apart by toStrictEqual and Object.is) or the error's kind and message. */
function outcome(fn: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  try {
    return { value: fn(...args) };
  } catch (e) {
    return { threw: (e as Error).constructor.name, message: (e as Error).message };
  }
}

/** Every variant of `code` gives what the original gives, on each input (fresh copies, holes kept). */
function alike(code: string, inputs: unknown[][], count: number): void {
  const variants = variantsOf(code);
  expect(variants).toHaveLength(count);
  const original = compile(code);
  for (const source of variants) {
    const variant = compile(source);
    for (const input of inputs) {
      const copy = () => input.map((a) => (Array.isArray(a) ? a.slice() : a));
      expect(outcome(variant, copy()), `${source}\n${JSON.stringify(input)}`).toStrictEqual(outcome(original, copy()));
    }
  }
}

const sparse = [1, , 3, , 5];
const inputs = [[sparse], [[]], [new Array(4)], [[0, -0, NaN, 2, 2, 7]], [[3, undefined, 4]], [[-5, 10, 1, 1]]];

describe("loop_fusion: variants behave like the original", () => {
  it("two maps keep holes as holes and the length (the sparse-array trap)", () => {
    const code = "function f(xs: number[]) { return xs.map((x) => x * 2).map((y, i) => y + i); }";
    alike(code, inputs, 1);
    // The original really keeps the holes: a loop that pushed would make [2, 6, 10].
    expect(Object.keys(compile(code)(sparse.slice()) as unknown[])).toEqual(["0", "2", "4"]);
  });

  it("map then filter skips holes and keeps undefined elements", () => {
    alike("function f(xs: (number | undefined)[]) { return xs.map((x) => (x === undefined ? -1 : x * 2)).filter((y) => y !== 4); }", inputs, 1);
  });

  it("a filter's index is the original one; the index after it is the position among the kept elements", () => {
    alike("function f(xs: number[]) { return xs.filter((x, i) => x > i - 2).map((x, i) => [x, i]).filter((p, j) => j % 2 === 0); }", inputs, 1);
  });

  it("reduce after the chain, with and without positions", () => {
    alike("function f(xs: number[]) { return xs.map((x, i) => x * i).filter((y) => y === y).reduce((s, y) => s + y, 0); }", inputs, 1);
    alike("function f(xs: number[]) { return xs.filter((x) => x > 0).reduce((s, y, j) => s + y * j, 100); }", inputs, 1);
    alike("function f(xs: number[]) { return xs.map((x) => x * 2).reduce(({ sum, n }, y) => ({ sum: sum + y, n: n + 1 }), { sum: 0, n: 0 }); }", inputs, 1);
    // The accumulator's name is taken by a callback's parameter: a fresh accumulator, and the name in a nested block.
    alike("function f(xs: number[]) { return xs.map((s) => s * 2).reduce((s, y) => s + y, 0); }", inputs, 1);
    alike("function f(xs: number[]) { return xs.filter((x) => x > 0).map((x, i) => x * i).reduce((x, y) => x * 2 + y, 1); }", inputs, 1);
  });

  it("filter(Boolean), map(String) and the receiver's own array parameter", () => {
    alike("function f(xs: number[]) { return xs.map((x, i, all) => x - all.length).filter(Boolean).map(String); }", inputs, 1);
  });

  it("an optional receiver gives undefined for null or undefined", () => {
    alike("function f(xs?: number[] | null) { return xs?.map((x) => x + 1).filter((y) => y > 1); }", [...inputs, [undefined], [null]], 1);
    alike("function f(xs?: number[] | null) { return xs?.map((x) => x + 1).map((y) => y * 2); }", [...inputs, [undefined], [null]], 1);
  });

  it("when one callback throws, the same error is thrown", () => {
    alike("function f(xs: ({ n: number } | null)[]) { return xs.map((x) => x!.n).filter((n) => n > 1); }", [[[{ n: 1 }, { n: 5 }, null, { n: 7 }]], [[{ n: 2 }]], [[]]], 1);
  });

  it("agrees with the original on random sparse arrays for a table of chains (property)", () => {
    const chains = [
      "function f(xs: number[]) { return xs.map((x) => x * 3).filter((y) => y % 2 === 0).map((z, k) => z - k); }",
      "function f(xs: number[]) { return xs.filter((x, i) => x !== i).map((x, i) => x + i).reduce((a, y, j) => a * 31 + y - j, 7); }",
      "function f(xs: number[]) { return xs.map((x, i) => x + i).map((y, j) => y * j).map((z) => -z); }",
    ].map((code) => {
      const [variant] = variantsOf(code);
      return { original: compile(code), variant: compile(variant!) };
    });
    // A sparse array: the values at the given indices of an array of the given length.
    const arrays = fc.tuple(fc.nat(12), fc.array(fc.tuple(fc.nat(11), fc.integer({ min: -9, max: 9 })), { maxLength: 12 })).map(([length, entries]) => {
      const xs: number[] = new Array(length);
      for (const [i, v] of entries) if (i < length) xs[i] = v;
      return xs;
    });
    fc.assert(
      fc.property(arrays, fc.nat(chains.length - 1), (xs, k) => {
        const { original, variant } = chains[k]!;
        expect(outcome(variant, [xs.slice()])).toStrictEqual(outcome(original, [xs.slice()]));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

// ---------------------------------------------------------------- the variants type-check

/** TypeScript's errors for modules under strict options with unchecked index access (a program given as `old` lends its parsed lib files). */
function typeErrors(files: Record<string, string>, old?: ts.Program): { errors: string[]; program: ts.Program } {
  const options: ts.CompilerOptions = { strict: true, noUncheckedIndexedAccess: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, lib: ["lib.es2023.d.ts"], types: [] };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  const virtual = (name: string) => files[name.replace(/^.*[\\/]/, "")];
  host.getSourceFile = (name, version, ...rest) => {
    const text = virtual(name);
    return text !== undefined ? ts.createSourceFile(name, text, version) : getSourceFile.call(host, name, version, ...rest);
  };
  host.fileExists = (name) => virtual(name) !== undefined || fileExists.call(host, name);
  host.readFile = (name) => virtual(name) ?? readFile.call(host, name);
  const program = ts.createProgram(Object.keys(files), options, host, old);
  const diagnostics = Object.keys(files).flatMap((name) => {
    const file = program.getSourceFile(name)!;
    return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
  });
  return { errors: diagnostics.map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`), program };
}

describe("loop_fusion: the variants type-check where the original does", () => {
  it("keeps the result types of every form (loop, map, reduce, optional, destructured, counters)", () => {
    const originals = [
      "export function a(xs: number[]): number[] { return xs.map((x) => x * 2).filter((y) => y > 3); }",
      "export function b(xs: { a: number; s: string }[]): string[] { return xs.filter(({ a }) => a > 0).map(({ s }, i) => s + i); }",
      "export function c(xs?: readonly number[]): number[] | undefined { return xs?.map((x) => x + 1).filter((y) => y > 1); }",
      "export function d(xs: number[]): { sum: number; n: number } { return xs.map((x) => x * 2).reduce(({ sum, n }, y) => ({ sum: sum + y, n: n + 1 }), { sum: 0, n: 0 }); }",
      "export function e(xs: number[]): number { return xs.filter((x) => x > 0).reduce<number>((s, y, j) => s + y * j, 0); }",
      "export function g(xs: (string | null)[]): number[] { return xs.map((x) => (x === null ? 0 : x.length)).map((n, i) => n * i); }",
      "export function h(s: string): string[] { return s.split(',').map((x) => x.length).filter(Boolean).map(String); }",
    ];
    const before: Record<string, string> = {};
    const after: Record<string, string> = {};
    originals.forEach((code, k) => {
      const name = code.slice("export function ".length, code.indexOf("("));
      before[`o${k}.ts`] = code;
      const result = generateVariants({ node: `src/m.ts#${name}`, file: "src/m.ts", qualifiedName: name, source: code, mutations: ["loop_fusion"], algorithm: [] }, { operators: [loopFusion], depth: 1 });
      expect(result.variants, code).toHaveLength(1);
      after[`v${k}.ts`] = result.variants[0]!.source;
    });
    const originalsChecked = typeErrors(before);
    expect(originalsChecked.errors).toEqual([]);
    expect(typeErrors(after, originalsChecked.program).errors).toEqual([]);
  });
});
