import { transformSync } from "esbuild";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { generateVariants } from "../../src/mutate/engine.js";
import { indexLoop } from "../../src/mutate/operators/index-loop.js";
import { expectNoVariant, expectVariants } from "./helpers.js";

type Case = [title: string, code: string, expected: string[], name?: string];

describe("index_loop: for…of applies", () => {
  const cases: Case[] = [
    [
      "for (const x of xs) over an annotated parameter, formatting and comments kept",
      "function f(xs: number[]) {\n  let total = 0;\n  for (const x of xs) {\n    // each one\n    total += x;\n  }\n  return total;\n}",
      ["function f(xs: number[]) {\n  let total = 0;\n  for (let i = 0; i < xs.length; i++) {\n    const x = xs[i] as (typeof xs)[number];\n    // each one\n    total += x;\n  }\n  return total;\n}"],
    ],
    [
      "for (let x of xs), the body assigns the loop variable",
      "function f(xs: number[]) { let t = 0; for (let x of xs) { x *= 2; t += x; } return t; }",
      ["function f(xs: number[]) { let t = 0; for (let i = 0; i < xs.length; i++) { let x = xs[i] as (typeof xs)[number]; x *= 2; t += x; } return t; }"],
    ],
    [
      "object destructuring, a body without braces",
      "function f(rows: { a: number; b: number }[]) { let s = 0; for (const { a, b } of rows) s += a * b; return s; }",
      ["function f(rows: { a: number; b: number }[]) { let s = 0; for (let i = 0; i < rows.length; i++) { const { a, b } = rows[i] as (typeof rows)[number]; s += a * b; } return s; }"],
    ],
    [
      "array destructuring of each element (the element's own iterator), Array<T>",
      "function f(pairs: Array<[string, number]>) { const o: Record<string, number> = {}; for (const [k, v] of pairs) { o[k] = v; } return o; }",
      ["function f(pairs: Array<[string, number]>) { const o: Record<string, number> = {}; for (let i = 0; i < pairs.length; i++) { const [k, v] = pairs[i] as (typeof pairs)[number]; o[k] = v; } return o; }"],
    ],
    [
      "a cast to an array type is bound once, the cast kept",
      "function f(xs: unknown) { let s = 0; for (const x of xs as number[]) { s += x; } return s; }",
      ["function f(xs: unknown) { let s = 0; for (let i = 0, array = xs as number[]; i < array.length; i++) { const x = array[i] as (typeof array)[number]; s += x; } return s; }"],
    ],
    [
      "a non-null assertion on an optional readonly array",
      "function f(xs?: readonly number[]) { let s = 0; for (const x of xs!) { s += x; } return s; }",
      ["function f(xs?: readonly number[]) { let s = 0; for (let i = 0, array = xs!; i < array.length; i++) { const x = array[i] as (typeof array)[number]; s += x; } return s; }"],
    ],
    [
      "a ReadonlyArray<T> variable",
      "function f(xs: number[]) { const ys: ReadonlyArray<string> = xs.map(String); for (const y of ys) console.log(y); }",
      ["function f(xs: number[]) { const ys: ReadonlyArray<string> = xs.map(String); for (let i = 0; i < ys.length; i++) { const y = ys[i] as (typeof ys)[number]; console.log(y); } }"],
    ],
    [
      "an array literal, and filter() of a known array, each bound once",
      "function f(xs: number[]) { for (const x of [1, 2, 3]) console.log(x); for (const y of xs.filter((v) => v > 1)) console.log(y); }",
      [
        "function f(xs: number[]) { for (let i = 0, array = [1, 2, 3]; i < array.length; i++) { const x = array[i] as (typeof array)[number]; console.log(x); } for (const y of xs.filter((v) => v > 1)) console.log(y); }",
        "function f(xs: number[]) { for (const x of [1, 2, 3]) console.log(x); for (let i2 = 0, array2 = xs.filter((v) => v > 1); i2 < array2.length; i2++) { const y = array2[i2] as (typeof array2)[number]; console.log(y); } }",
        "function f(xs: number[]) { for (let i = 0, array = [1, 2, 3]; i < array.length; i++) { const x = array[i] as (typeof array)[number]; console.log(x); } for (let i2 = 0, array2 = xs.filter((v) => v > 1); i2 < array2.length; i2++) { const y = array2[i2] as (typeof array2)[number]; console.log(y); } }",
      ],
    ],
    [
      "a label stays on its loop; the inner loop's element type comes from the outer one",
      "function f(xs: number[][]) { let s = 0; outer: for (const row of xs) { for (const x of row) { if (x < 0) continue outer; s += x; } } return s; }",
      [
        "function f(xs: number[][]) { let s = 0; outer: for (let i = 0; i < xs.length; i++) { const row = xs[i] as (typeof xs)[number]; for (const x of row) { if (x < 0) continue outer; s += x; } } return s; }",
        "function f(xs: number[][]) { let s = 0; outer: for (const row of xs) { for (let i2 = 0; i2 < row.length; i2++) { const x = row[i2] as (typeof row)[number]; if (x < 0) continue outer; s += x; } } return s; }",
        "function f(xs: number[][]) { let s = 0; outer: for (let i = 0; i < xs.length; i++) { const row = xs[i] as (typeof xs)[number]; for (let i2 = 0; i2 < row.length; i2++) { const x = row[i2] as (typeof row)[number]; if (x < 0) continue outer; s += x; } } return s; }",
      ],
    ],
    [
      "nested loops without braces",
      "function f(xs: number[], ys: number[]) { for (const a of xs) for (const b of ys) console.log(a, b); }",
      [
        "function f(xs: number[], ys: number[]) { for (let i = 0; i < xs.length; i++) { const a = xs[i] as (typeof xs)[number]; for (const b of ys) console.log(a, b); } }",
        "function f(xs: number[], ys: number[]) { for (const a of xs) for (let i2 = 0; i2 < ys.length; i2++) { const b = ys[i2] as (typeof ys)[number]; console.log(a, b); } }",
        "function f(xs: number[], ys: number[]) { for (let i = 0; i < xs.length; i++) { const a = xs[i] as (typeof xs)[number]; for (let i2 = 0; i2 < ys.length; i2++) { const b = ys[i2] as (typeof ys)[number]; console.log(a, b); } } }",
      ],
    ],
    [
      "this.items in a method: evaluated once, label and break kept",
      "class C { private items: readonly string[] = []; run() { let n = 0; outer: for (const s of this.items) { if (s) break outer; n++; } return n; } }",
      ["run() { let n = 0; outer: for (let i = 0, array = this.items; i < array.length; i++) { const s = array[i] as (typeof array)[number]; if (s) break outer; n++; } return n; }"],
      "C.run",
    ],
    [
      "a constructor parameter property",
      "class C { constructor(private items: number[]) {} run() { let n = 0; for (const s of this.items) n += s; return n; } }",
      ["run() { let n = 0; for (let i = 0, array = this.items; i < array.length; i++) { const s = array[i] as (typeof array)[number]; n += s; } return n; }"],
      "C.run",
    ],
    [
      "a destructured parameter",
      "function f({ items }: { items: number[] }) { let n = 0; for (const x of items) n += x; return n; }",
      ["function f({ items }: { items: number[] }) { let n = 0; for (let i = 0; i < items.length; i++) { const x = items[i] as (typeof items)[number]; n += x; } return n; }"],
    ],
    [
      "a type alias of an array type",
      "type Row = { id: number };\ntype Rows = Row[];\nfunction f(rows: Rows) { const ids: number[] = []; for (const { id } of rows) ids.push(id); return ids; }",
      ["function f(rows: Rows) { const ids: number[] = []; for (let i = 0; i < rows.length; i++) { const { id } = rows[i] as (typeof rows)[number]; ids.push(id); } return ids; }"],
    ],
    [
      "optional chaining with a fallback array",
      "function f(doc: { tags?: string[] }) { const out: string[] = []; for (const t of doc.tags ?? []) out.push(t); return out; }",
      ["function f(doc: { tags?: string[] }) { const out: string[] = []; for (let i = 0, array = doc.tags ?? []; i < array.length; i++) { const t = array[i] as (typeof array)[number]; out.push(t); } return out; }"],
    ],
    [
      "Object.entries, destructured",
      "function f(o: Record<string, number>) { let s = 0; for (const [k, v] of Object.entries(o)) s += k.length + v; return s; }",
      ["function f(o: Record<string, number>) { let s = 0; for (let i = 0, array = Object.entries(o); i < array.length; i++) { const [k, v] = array[i] as (typeof array)[number]; s += k.length + v; } return s; }"],
    ],
    [
      "a rest parameter is always an array",
      "function f(...xs) { for (const x of xs) console.log(x); }",
      ["function f(...xs) { for (let i = 0; i < xs.length; i++) { const x = xs[i] as (typeof xs)[number]; console.log(x); } }"],
    ],
    [
      "closures capture one x per iteration, as before",
      "function f(xs: number[]) { const fns: (() => number)[] = []; for (const x of xs) { fns.push(() => x); } return fns.map((g) => g()); }",
      ["function f(xs: number[]) { const fns: (() => number)[] = []; for (let i = 0; i < xs.length; i++) { const x = xs[i] as (typeof xs)[number]; fns.push(() => x); } return fns.map((g) => g()); }"],
    ],
    [
      "var x stays a var (still set after the loop)",
      "function f(xs: number[]) { for (var x of xs) console.log(x); return x; }",
      ["function f(xs: number[]) { for (let i = 0; i < xs.length; i++) { var x = xs[i] as (typeof xs)[number]; console.log(x); } return x; }"],
    ],
    [
      "a plain variable as the loop target",
      "function f(xs: number[]) { let x = 0; for (x of xs) { if (x > 2) break; } return x; }",
      ["function f(xs: number[]) { let x = 0; for (let i = 0; i < xs.length; i++) { x = xs[i] as (typeof xs)[number]; if (x > 2) break; } return x; }"],
    ],
    [
      "the array variable is reassigned in the loop: read once, as for…of does",
      "function f(xs: number[]) { for (const x of xs) { xs = [1]; console.log(x); } }",
      ["function f(xs: number[]) { for (let i = 0, array = xs; i < array.length; i++) { const x = array[i] as (typeof array)[number]; xs = [1]; console.log(x); } }"],
    ],
    [
      "the array variable may be reassigned by a closure called in the loop: read once",
      "function f(xs: number[]) { const reset = () => { xs = []; }; for (const x of xs) { reset(); console.log(x); } }",
      ["function f(xs: number[]) { const reset = () => { xs = []; }; for (let i = 0, array = xs; i < array.length; i++) { const x = array[i] as (typeof array)[number]; reset(); console.log(x); } }"],
    ],
    [
      "the body declares the array's name: kept as a nested block",
      "function f(xs: number[]) { for (const x of xs) { const xs = [x]; console.log(xs); } }",
      ["function f(xs: number[]) { for (let i = 0; i < xs.length; i++) { const x = xs[i] as (typeof xs)[number]; { const xs = [x]; console.log(xs); } } }"],
    ],
    [
      "an `in` test in the iterated expression is parenthesised in the loop head",
      "function f(xs: number[], k: string, o: object) { for (const x of k in o ? xs : []) console.log(x); }",
      ["function f(xs: number[], k: string, o: object) { for (let i = 0, array = (k in o ? xs : []); i < array.length; i++) { const x = array[i] as (typeof array)[number]; console.log(x); } }"],
    ],
    ["an empty body", "function f(xs: number[]) { for (const x of xs) {} }", ["function f(xs: number[]) { for (let i = 0; i < xs.length; i++) { const x = xs[i] as (typeof xs)[number]; } }"]],
  ];
  for (const [title, code, expected, name] of cases) it(title, () => expectVariants(indexLoop, code, expected, name));
});

describe("index_loop: forEach applies", () => {
  const cases: Case[] = [
    [
      "an arrow with a block body",
      "function f(xs: number[]) {\n  xs.forEach((x) => {\n    console.log(x);\n  });\n}",
      ["function f(xs: number[]) {\n  for (let i = 0, n = xs.length; i < n; i++) {\n    if (!(i in xs)) continue;\n    const x = xs[i] as (typeof xs)[number];\n    console.log(x);\n  }\n}"],
    ],
    [
      "(x, i): the index parameter names the loop index; return → continue",
      "function f(xs: number[], out: number[]) {\n  xs.forEach((x, i) => {\n    if (x < 0) return;\n    out.push(x * i);\n  });\n}",
      ["function f(xs: number[], out: number[]) {\n  for (let i = 0, n = xs.length; i < n; i++) {\n    if (!(i in xs)) continue;\n    const x = xs[i] as (typeof xs)[number];\n    if (x < 0) continue;\n    out.push(x * i);\n  }\n}"],
    ],
    [
      "a function callback",
      "function f(xs: number[], out: number[]) { xs.forEach(function (x) { out.push(x); }); }",
      ["function f(xs: number[], out: number[]) { for (let i = 0, n = xs.length; i < n; i++) { if (!(i in xs)) continue; const x = xs[i] as (typeof xs)[number]; out.push(x); } }"],
    ],
    [
      "an expression body",
      "function f(xs: number[], out: number[]) { xs.forEach((x) => out.push(x)); }",
      ["function f(xs: number[], out: number[]) { for (let i = 0, n = xs.length; i < n; i++) { if (!(i in xs)) continue; const x = xs[i] as (typeof xs)[number]; out.push(x); } }"],
    ],
    [
      "an expression body over several lines, trailing comma",
      "function f(xs: number[]) {\n  xs.forEach((x) =>\n    console.log(x),\n  );\n}",
      ["function f(xs: number[]) {\n  for (let i = 0, n = xs.length; i < n; i++) { if (!(i in xs)) continue; const x = xs[i] as (typeof xs)[number]; console.log(x); }\n}"],
    ],
    [
      "an object literal body stays an expression",
      "function f(xs: number[]) { xs.forEach((x) => ({ x })); }",
      ["function f(xs: number[]) { for (let i = 0, n = xs.length; i < n; i++) { if (!(i in xs)) continue; const x = xs[i] as (typeof xs)[number]; ({ x }); } }"],
    ],
    [
      "the third parameter is the array itself",
      "function f(xs: number[]) { const out: number[] = []; xs.forEach((x, i, arr) => out.push(arr.length - i + x)); return out; }",
      ["function f(xs: number[]) { const out: number[] = []; for (let i = 0, n = xs.length; i < n; i++) { if (!(i in xs)) continue; const x = xs[i] as (typeof xs)[number]; const arr = xs; out.push(arr.length - i + x); } return out; }"],
    ],
    [
      "a return inside a loop of the callback continues the new loop by its label",
      "function f(xs: number[], ys: number[]) { xs.forEach((x) => { for (const y of ys) { if (y === x) return; } console.log(x); }); }",
      [
        "function f(xs: number[], ys: number[]) { each: for (let i = 0, n = xs.length; i < n; i++) { if (!(i in xs)) continue; const x = xs[i] as (typeof xs)[number]; for (const y of ys) { if (y === x) continue each; } console.log(x); } }",
        "function f(xs: number[], ys: number[]) { xs.forEach((x) => { for (let i2 = 0; i2 < ys.length; i2++) { const y = ys[i2] as (typeof ys)[number]; if (y === x) return; } console.log(x); }); }",
        "function f(xs: number[], ys: number[]) { each: for (let i = 0, n = xs.length; i < n; i++) { if (!(i in xs)) continue; const x = xs[i] as (typeof xs)[number]; for (let i2 = 0; i2 < ys.length; i2++) { const y = ys[i2] as (typeof ys)[number]; if (y === x) continue each; } console.log(x); } }",
      ],
    ],
    [
      "a returned value that may have an effect is still evaluated",
      "function f(xs: number[], log: (x: number) => number) { xs.forEach((x) => { if (x) return log(x); }); }",
      ["function f(xs: number[], log: (x: number) => number) { for (let i = 0, n = xs.length; i < n; i++) { if (!(i in xs)) continue; const x = xs[i] as (typeof xs)[number]; if (x) { log(x); continue; } } }"],
    ],
    [
      "this.items is evaluated once",
      "class C { items: string[] = []; run(out: string[]) { this.items.forEach((s) => out.push(s)); } }",
      ["run(out: string[]) { for (let i = 0, array = this.items, n = array.length; i < n; i++) { if (!(i in array)) continue; const s = array[i] as (typeof array)[number]; out.push(s); } }"],
      "C.run",
    ],
    [
      "xs?.forEach iterates nothing when xs is nullish",
      "interface Doc { tags?: string[] }\nfunction f(doc: Doc) { const out: string[] = []; doc.tags?.forEach((t) => out.push(t)); return out; }",
      ["function f(doc: Doc) { const out: string[] = []; for (let i = 0, array = doc.tags ?? [], n = array.length; i < n; i++) { if (!(i in array)) continue; const t = array[i] as (typeof array)[number]; out.push(t); } return out; }"],
    ],
    [
      "a?.b.forEach where b is never nullish",
      "function f(a?: { b: number[] }) { a?.b.forEach((x) => console.log(x)); }",
      ["function f(a?: { b: number[] }) { for (let i = 0, array = a?.b ?? [], n = array.length; i < n; i++) { if (!(i in array)) continue; const x = array[i] as (typeof array)[number]; console.log(x); } }"],
    ],
    [
      "the body declares the array's name: kept as a nested block",
      "function f(xs: number[]) { xs.forEach((x) => { const xs = [x]; console.log(xs); }); }",
      ["function f(xs: number[]) { for (let i = 0, n = xs.length; i < n; i++) { if (!(i in xs)) continue; const x = xs[i] as (typeof xs)[number]; { const xs = [x]; console.log(xs); } } }"],
    ],
    [
      "the parameter has the array's name: the array is bound to a fresh name",
      "function f(xs: number[]) { xs.forEach((xs) => console.log(xs)); }",
      ["function f(xs: number[]) { for (let i = 0, array = xs, n = array.length; i < n; i++) { if (!(i in array)) continue; const xs = array[i] as (typeof array)[number]; console.log(xs); } }"],
    ],
    [
      "the callback reassigns the array variable: bound once",
      "function f(xs: number[]) { xs.forEach((x) => { xs = []; console.log(x); }); }",
      ["function f(xs: number[]) { for (let i = 0, array = xs, n = array.length; i < n; i++) { if (!(i in array)) continue; const x = array[i] as (typeof array)[number]; xs = []; console.log(x); } }"],
    ],
    [
      "no parameter: each element is still read, as forEach does",
      "function f(xs: number[]) { let n = 0; xs.forEach(() => n++); return n; }",
      ["function f(xs: number[]) { let n = 0; for (let i = 0, n2 = xs.length; i < n2; i++) { if (!(i in xs)) continue; xs[i]; n++; } return n; }"],
    ],
    [
      "an index the callback changes gets its own let",
      "function f(xs: number[]) { xs.forEach((x, i: number) => { i++; console.log(x, i); }); }",
      ["function f(xs: number[]) { for (let i2 = 0, n = xs.length; i2 < n; i2++) { if (!(i2 in xs)) continue; const x = xs[i2] as (typeof xs)[number]; let i: number = i2; i++; console.log(x, i); } }"],
    ],
    [
      "an element the callback changes is a let, its annotation kept",
      "function f(xs: number[]) { xs.forEach((x: number, i) => { x = x + 1; console.log(x, i); }); }",
      ["function f(xs: number[]) { for (let i = 0, n = xs.length; i < n; i++) { if (!(i in xs)) continue; let x: number = xs[i] as (typeof xs)[number]; x = x + 1; console.log(x, i); } }"],
    ],
    [
      "a destructured, annotated element",
      "function f(rows: { id: number; name: string }[], out: string[]) { rows.forEach(({ id, name }: { id: number; name: string }) => { out.push(`${id}:${name}`); }); }",
      ["function f(rows: { id: number; name: string }[], out: string[]) { for (let i = 0, n = rows.length; i < n; i++) { if (!(i in rows)) continue; const { id, name }: { id: number; name: string } = rows[i] as (typeof rows)[number]; out.push(`${id}:${name}`); } }"],
    ],
    [
      "an arrow's `arguments` is the enclosing function's, the same after inlining",
      "function f(xs: number[]) { xs.forEach((x) => { console.log(arguments.length, x); }); }",
      ["function f(xs: number[]) { for (let i = 0, n = xs.length; i < n; i++) { if (!(i in xs)) continue; const x = xs[i] as (typeof xs)[number]; console.log(arguments.length, x); } }"],
    ],
    [
      "a thisArg that is a plain name is unused by an arrow and dropped",
      "function f(xs: number[], t: unknown) { xs.forEach((x) => console.log(x), t); }",
      ["function f(xs: number[], t: unknown) { for (let i = 0, n = xs.length; i < n; i++) { if (!(i in xs)) continue; const x = xs[i] as (typeof xs)[number]; console.log(x); } }"],
    ],
    [
      "forEach in one branch, for…of in the other",
      "function f(xs: number[]) { if (xs.length) for (const x of xs) console.log(x); else xs.forEach((x) => console.log(x)); }",
      [
        "function f(xs: number[]) { if (xs.length) for (let i = 0; i < xs.length; i++) { const x = xs[i] as (typeof xs)[number]; console.log(x); } else xs.forEach((x) => console.log(x)); }",
        "function f(xs: number[]) { if (xs.length) for (const x of xs) console.log(x); else for (let i2 = 0, n = xs.length; i2 < n; i2++) { if (!(i2 in xs)) continue; const x = xs[i2] as (typeof xs)[number]; console.log(x); } }",
        "function f(xs: number[]) { if (xs.length) for (let i = 0; i < xs.length; i++) { const x = xs[i] as (typeof xs)[number]; console.log(x); } else for (let i2 = 0, n = xs.length; i2 < n; i2++) { if (!(i2 in xs)) continue; const x = xs[i2] as (typeof xs)[number]; console.log(x); } }",
      ],
    ],
  ];
  for (const [title, code, expected, name] of cases) it(title, () => expectVariants(indexLoop, code, expected, name));
});

describe("index_loop: does not apply", () => {
  const cases: [title: string, code: string, reason: RegExp, name?: string][] = [
    ["over a Set", "function f(xs: Set<number>) { for (const x of xs) console.log(x); }", /`for \(const x of xs\)` \(line 1\): `xs` is not known to be an array: its type `Set<number>` is not an array type/],
    ["over a Map", "function f(m: Map<string, number>) { for (const e of m) console.log(e); }", /`m` is not known to be an array: its type `Map<string, number>`/],
    ["over a string (code points, not UTF-16 units)", "function f(s: string) { let n = 0; for (const c of s) n++; return n; }", /`s` is not known to be an array: it is a `string`/],
    ["over an unannotated parameter", "function f(xs) { for (const x of xs) console.log(x); }", /the parameter `xs` has no type annotation/],
    ["over a union with a Set", "function f(xs: Set<number> | number[]) { for (const x of xs) console.log(x); }", /`Set<number> \| number\[\]` is not an array type/],
    ["over an import", "import { items } from './x';\nfunction f() { for (const x of items) console.log(x); }", /`items` is imported/],
    ["over a generator call", "function* g() { yield 1; }\nfunction f() { for (const x of g()) console.log(x); }", /cannot see that `g\(\)` is an array/],
    ["over an unannotated variable that is reassigned", "function f() { let ys = [1, 2]; ys = new Set([1]) as any; for (const y of ys) console.log(y); }", /`ys` has no type annotation and is assigned again \(line 1\)/],
    ["for await", "async function f(xs: number[]) { for await (const x of xs) console.log(x); }", /`for await \(const x of xs\)` \(line 1\): `for await` awaits every element/],
    ["a loop variable read in its own temporal dead zone", "function f(x: { xs: number[] }) { for (const x of x.xs) {} }", /the loop variable `x` is read in `x\.xs`, in its temporal dead zone/],
    ["a property as the loop target", "function f(o: { x: number }, xs: number[]) { for (o.x of xs) console.log(o.x); }", /assigns each element to a property/],
    ["forEach on a Map (it passes value and key)", "function f(m: Map<string, number>) { m.forEach((v, k) => console.log(k, v)); }", /`m\.forEach\(…\)` \(line 1\): `m` is not known to be an array.*Map or Set/],
    ["a callback that is not a literal", "function f(xs: number[], handle: (x: number) => void) { xs.forEach(handle); }", /the callback `handle` is not a function literal/],
    ["an async callback", "function f(xs: number[]) { xs.forEach(async (x) => { await x; }); }", /the callback is async/],
    ["a generator callback", "function f(xs: number[]) { xs.forEach(function* (x) { yield x; }); }", /the callback is a generator/],
    ["a function callback that uses arguments", "function f(xs: number[]) {\n  xs.forEach(function (x) {\n    console.log(arguments.length);\n  });\n}", /the callback uses its own `arguments` \(line 3\)/],
    ["a function callback that uses this, with a thisArg", "function f(xs: number[], o: object) { xs.forEach(function (x) { console.log(this, x); }, o); }", /the callback uses its own `this` \(line 1\)/],
    ["a function callback that calls itself by name", "function f(xs: number[]) { xs.forEach(function each(x) { if (x > 0) each(x - 1); }); }", /refers to itself by its name `each`/],
    ["more than 3 parameters", "function f(xs: number[]) { xs.forEach((x, i, a, b) => {}); }", /the callback has 4 parameters/],
    ["a parameter with a default value", "function f(xs: number[]) { xs.forEach((x = 1) => {}); }", /the parameter `x = 1` has a default value/],
    ["a rest parameter", "function f(xs: number[]) { xs.forEach((...args) => {}); }", /the parameter `\.\.\.args` is a rest parameter/],
    ["a var in the callback", "function f(xs: number[]) { xs.forEach((x) => { var y = x; console.log(y); }); }", /declares `var y` \(line 1\), which would become a variable of the whole function/],
    ["a callback label that an enclosing statement uses", "function f(xs: number[]) { a: { xs.forEach((x) => { a: for (;;) break a; }); } }", /the callback's label `a` \(line 1\) is already used/],
    ["a thisArg that could have an effect", "function f(xs: number[]) { xs.forEach((x) => console.log(x), {}); }", /the thisArg `\{\}` is not a plain name or literal/],
    ["forEach whose value is used", "function f(xs: number[]) { return xs.forEach((x) => console.log(x)); }", /its value is used/],
    ["forEach as an arrow's expression body", "const f = (xs: number[]) => xs.forEach((x) => console.log(x));", /its value is used/],
    ["a?.b.forEach where b may be undefined (the call would throw)", "function f(a?: { b?: number[] }) { a?.b.forEach((x) => console.log(x)); }", /`a\?\.b` may be null or undefined/],
    ["for…of over an empty array literal", "function f() { for (const x of []) console.log(x); }", /`for \(const x of \[\]\)` \(line 1\): it iterates an empty array literal/],
    ["forEach on an empty array literal", "function f() { [].forEach((x) => console.log(x)); }", /`\[\]\.forEach\(…\)` \(line 1\): it iterates an empty array literal/],
    ["nothing to rewrite", "function f(xs: number[]) { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]; return s; }", /no `for…of` loop and no `forEach` call/],
  ];
  for (const [title, code, reason, name] of cases) it(title, () => expectNoVariant(indexLoop, code, reason, name));
});

/**
 * The variants run as plain JavaScript next to the original (types stripped,
 * strict mode as in a module): the same results, and the same calls, on
 * sparse arrays, arrays changed during the loop, NaN and -0, empty arrays,
 * and a body that throws half-way.
 */
describe("index_loop: variants behave like the original", () => {
  const compile = (source: string): ((...args: unknown[]) => unknown) => {
    const js = transformSync(source, { loader: "ts", format: "esm", target: "es2022" }).code;
    return new Function(`"use strict";\n${js}\nreturn f;`)() as (...args: unknown[]) => unknown;
  };
  const outcome = (fn: (...args: unknown[]) => unknown, args: unknown[]) => {
    const log: unknown[] = [];
    try {
      return { value: fn(...args, log), log };
    } catch (e) {
      return { threw: (e as Error).message, log };
    }
  };
  /** Every variant of `f` gives what the original gives on each input (fresh copies, sparse arrays kept). */
  const alike = (code: string, inputs: unknown[][], variants: number) => {
    const result = generateVariants({ node: "src/m.ts#f", file: "src/m.ts", qualifiedName: "f", source: code, mutations: ["index_loop"], algorithm: [] }, { operators: [indexLoop], depth: 1 });
    expect(result.variants).toHaveLength(variants);
    const original = compile(code);
    for (const v of result.variants) {
      const variant = compile(v.source);
      for (const input of inputs) {
        const copy = () => input.map((a) => (Array.isArray(a) ? a.slice() : a));
        expect(outcome(variant, copy())).toStrictEqual(outcome(original, copy()));
      }
    }
  };
  const sparse = [1, , 3];

  it("forEach keeps skipping holes (the sparse-array trap)", () => {
    const code = "function f(xs: number[], log: unknown[]) { xs.forEach((x, i) => { log.push([x, i]); }); }";
    alike(code, [[sparse], [[]], [[NaN, -0, 0]], [new Array(3)]], 1);
    // The original really skips the hole: a loop without the guard would log [undefined, 1].
    const original = compile(code);
    expect(outcome(original, [sparse]).log).toStrictEqual([[1, 0], [3, 2]]);
  });

  it("for…of visits holes as undefined, as the indexed loop does", () => {
    const code = "function f(xs: number[], log: unknown[]) { for (const x of xs) log.push(x); }";
    alike(code, [[sparse], [[]], [[NaN, -0]]], 1);
    expect(outcome(compile(code), [sparse]).log).toStrictEqual([1, undefined, 3]);
  });

  it("elements pushed during forEach are not visited; during for…of they are", () => {
    alike("function f(xs: number[], log: unknown[]) { xs.forEach((x) => { log.push(x); if (xs.length < 6) xs.push(x * 10); }); }", [[[1, 2]], [sparse]], 1);
    alike("function f(xs: number[], log: unknown[]) { for (const x of xs) { log.push(x); if (xs.length < 6) xs.push(x * 10); } }", [[[1, 2]], [sparse]], 1);
  });

  it("elements deleted or the array shortened during forEach are skipped", () => {
    alike("function f(xs: number[], log: unknown[]) { xs.forEach((x, i, a) => { log.push(x); if (i === 0) { delete a[1]; a.length = 3; } }); }", [[[1, 2, 3, 4, 5]]], 1);
  });

  it("return → continue, and a returned call still runs", () => {
    alike("function f(xs: number[], log: unknown[]) { xs.forEach((x) => { if (x > 1) return log.push('big'); log.push(x); }); return log.length; }", [[[1, 2, 3]], [sparse]], 1);
    alike("function f(xs: number[][], log: unknown[]) { xs.forEach((row) => { for (const y of row) { if (y < 0) return; log.push(y); } log.push('end'); }); }", [[[[1, -1, 2], [3]]]], 3);
  });

  it("the same log and the same error when the body throws half-way", () => {
    alike("function f(xs: number[], log: unknown[]) { xs.forEach((x) => { if (x === 2) throw new Error('two'); log.push(x); }); }", [[[1, 2, 3]]], 1);
    alike("function f(xs: number[], log: unknown[]) { for (const x of xs) { if (x === 2) throw new Error('two'); log.push(x); } }", [[[1, 2, 3]]], 1);
  });

  it("closures see their own element and index", () => {
    alike("function f(xs: number[], log: unknown[]) { const fns: (() => unknown)[] = []; xs.forEach((x, i) => fns.push(() => [x, i])); for (const x of xs) fns.push(() => x); return fns.map((g) => g()); }", [[[1, 2, 3]], [sparse]], 3);
  });

  it("an array variable reassigned during the loop: the loop keeps the first array", () => {
    alike("function f(xs: number[], log: unknown[]) { for (const x of xs) { log.push(x); xs = [9]; } xs.forEach((x) => { log.push(x); xs = []; }); return xs; }", [[[1, 2]]], 3);
  });
});

describe("index_loop: JavaScript", () => {
  it("a .js file reads the element without a cast", () => {
    const code = "function f(...xs) { let s = 0; for (const x of xs) s += x; xs.forEach((x) => { s -= x; }); return s; }";
    const result = generateVariants({ node: "src/m.js#f", file: "src/m.js", qualifiedName: "f", source: code, mutations: ["index_loop"], algorithm: [] }, { operators: [indexLoop], depth: 1 });
    expect(result.variants.map((v) => v.nodeText)).toEqual([
      "function f(...xs) { let s = 0; for (let i = 0; i < xs.length; i++) { const x = xs[i]; s += x; } xs.forEach((x) => { s -= x; }); return s; }",
      "function f(...xs) { let s = 0; for (const x of xs) s += x; for (let i2 = 0, n = xs.length; i2 < n; i2++) { if (!(i2 in xs)) continue; const x = xs[i2]; s -= x; } return s; }",
      "function f(...xs) { let s = 0; for (let i = 0; i < xs.length; i++) { const x = xs[i]; s += x; } for (let i2 = 0, n = xs.length; i2 < n; i2++) { if (!(i2 in xs)) continue; const x = xs[i2]; s -= x; } return s; }",
    ]);
  });
});

// ---------------------------------------------------------------- the variants type-check

/** TypeScript's errors for in-memory modules, strict and with `noUncheckedIndexedAccess` (a program given as `old` lends its parsed lib files). */
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
  const errors = Object.keys(files).flatMap((name) => {
    const file = program.getSourceFile(name)!;
    return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) => `${name}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
  });
  return { errors, program };
}

/**
 * Every variant type-checks where the original does, and its loop variables
 * keep exactly the original's types: each module states them with `Same`
 * probes (a `!` instead of the cast would fail the probes of elements that
 * include `undefined` or `null`; a bare `xs[i]` fails them all).
 */
describe("index_loop: the variants type-check, with the loop variable's own type", () => {
  const SAME = "type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;\n";
  const cases: [title: string, code: string, variants: number, name?: string][] = [
    ["elements that include undefined", "export function f(xs: (number | undefined)[]) { let n = 0; for (const x of xs) { const ok: Same<typeof x, number | undefined> = true; if (x === undefined) n++; } xs.forEach((x) => { const ok: Same<typeof x, number | undefined> = true; if (x !== undefined) n += x; }); return n; }", 3],
    ["a union of array types", "export function f(xs: string[] | number[]) { let n = 0; for (const x of xs) { const ok: Same<typeof x, string | number> = true; n++; } xs.forEach((x) => { const ok: Same<typeof x, string | number> = true; n++; }); return n; }", 3],
    ["a tuple", "export function f(p: [string, number]) { let n = 0; for (const x of p) { const ok: Same<typeof x, string | number> = true; n++; } return n; }", 1],
    ["an optional array narrowed before the loop", "export function f(xs?: readonly number[]) { if (!xs) return 0; let s = 0; for (const x of xs) { const ok: Same<typeof x, number> = true; s += x; } xs.forEach((x) => { s -= x; }); return s; }", 3],
    ["a let of a literal union keeps the union (no widening)", "export function f(ks: ('a' | 'b')[]) { const out: string[] = []; for (let k of ks) { const ok: Same<typeof k, 'a' | 'b'> = true; out.push(k); k = 'b'; } ks.forEach((k) => { k = 'a'; out.push(k); }); return out; }", 3],
    ["a plain variable as the loop target", "export function f(xs: number[]) { let last = -1; for (last of xs) { if (last > 2) break; } return last; }", 1],
    ["destructured, annotated, with index and array", "export function f(rows: readonly { id: string; n: number }[]) { let s = 0; rows.forEach(({ id, n }: { id: string; n: number }, i, all) => { s += n + i + id.length + all.length; }); for (const { n } of rows) s += n; return s; }", 3],
    ["bound once: this.items, a cast, ?? [] and ?.forEach", "export class C { items: (string | null)[] = []; run(xs: unknown, doc: { tags?: string[] }) { let n = 0; for (const s of this.items) { const ok: Same<typeof s, string | null> = true; if (s === null) n++; } for (const x of xs as number[]) n += x; for (const t of doc.tags ?? []) n += t.length; doc.tags?.forEach((t) => { n += t.length; }); return n; } }", 5, "C.run"],
    ["nested loops, the inner array an element of the outer", "export function f(xs: number[][]) { let s = 0; for (const row of xs) for (const x of row) { const ok: Same<typeof x, number> = true; s += x; } return s; }", 3],
    ["Object.entries, destructured", "export function f(o: Record<string, number>) { let s = 0; for (const [k, v] of Object.entries(o)) s += k.length + v; return s; }", 1],
  ];

  it("every case, original and variants", () => {
    const before: Record<string, string> = {};
    const after: Record<string, string> = {};
    cases.forEach(([title, body, variants, name], k) => {
      const code = SAME + body;
      before[`o${k}.ts`] = code;
      const qualifiedName = name ?? "f";
      const result = generateVariants({ node: `src/m.ts#${qualifiedName}`, file: "src/m.ts", qualifiedName, source: code, mutations: ["index_loop"], algorithm: [] }, { operators: [indexLoop], depth: 1 });
      expect(result.variants, title).toHaveLength(variants);
      result.variants.forEach((v, j) => {
        expect(v.source, title).not.toMatch(/\]!/);
        after[`v${k}_${j}.ts`] = v.source;
      });
    });
    const originals = typeErrors(before);
    expect(originals.errors).toEqual([]);
    expect(typeErrors(after, originals.program).errors).toEqual([]);
  });

  it("the probes can fail: a bare read of `number[]`, or `!` on `(number | undefined)[]`, does not type-check", () => {
    /** The variant rewriting both loops of a case, with its casts replaced. */
    const both = (k: number, cast: string) => {
      const code = SAME + cases[k]![1];
      const result = generateVariants({ node: "src/m.ts#f", file: "src/m.ts", qualifiedName: "f", source: code, mutations: ["index_loop"], algorithm: [] }, { operators: [indexLoop], depth: 1 });
      const source = result.variants[2]!.source;
      expect(source).toContain(" as (typeof xs)[number]");
      return source.replaceAll(" as (typeof xs)[number]", cast);
    };
    const { errors } = typeErrors({ "bare.ts": both(3, ""), "asserted.ts": both(0, "!") });
    expect(errors.filter((e) => e.startsWith("bare.ts")).length).toBeGreaterThan(0);
    expect(errors.filter((e) => e.startsWith("asserted.ts")).length).toBeGreaterThan(0);
  });
});
