import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { locateFunction, parseSource } from "../../src/mutate/source.js";
import type { MutationTarget } from "../../src/mutate/types.js";
import { type CanaryKind, makeCanaries } from "../../src/shadow/canaries.js";

/**
 * Canary tables: a module's source, the node (default `f`), and the exact
 * node text and summary of every canary of one kind, in order; then what
 * is missing and why, properties over fixtures, and the shop example.
 */

const target = (source: string, name = "f", file = "src/m.ts"): MutationTarget => ({ node: `${file}#${name}`, file, qualifiedName: name, source, mutations: "all", algorithm: [] });

const canariesOf = (kind: CanaryKind, code: string, name = "f", perKind?: number): [string, string][] =>
  makeCanaries(target(code, name), { perKind }).canaries.filter((c) => c.kind === kind).map((c) => [c.nodeText, c.summary]);

type Row = [title: string, code: string, expected: [nodeText: string, summary: string][], options?: { name?: string; perKind?: number }];

function table(kind: CanaryKind, rows: Row[]): void {
  it.each(rows)("%s", (_title, code, expected, options) => expect(canariesOf(kind, code, options?.name, options?.perKind)).toEqual(expected));
}

describe("flipped-comparison", () => {
  const ops: [string, string][] = [["<", ">="], [">=", "<"], ["<=", ">"], [">", "<="], ["===", "!=="], ["!==", "==="], ["==", "!="], ["!=", "=="]];
  it.each(ops)("`%s` → `%s`", (from, to) =>
    expect(canariesOf("flipped-comparison", `function f(a: number, b: number) { return a ${from} b; }`)).toEqual([[`function f(a: number, b: number) { return a ${to} b; }`, `\`a ${from} b\` → \`a ${to} b\` (line 1)`]]));

  table("flipped-comparison", [
    ["an if test, keeping parentheses and a comment that looks like an operator", "function f(a: number, b: number) {\n  if ((a) /* < */ < (b)) return 1;\n  return 2;\n}", [
      ["function f(a: number, b: number) {\n  if ((a) /* < */ >= (b)) return 1;\n  return 2;\n}", "`(a) /* < */ < (b)` → `(a) /* < */ >= (b)` (line 2)"],
    ]],
    ["the node's own conditions before a callback's returned comparison", "function f(xs: number[], k: number) {\n  const ys = xs.filter((x) => x > k);\n  return ys.length === 0 ? 0 : 1;\n}", [
      ["function f(xs: number[], k: number) {\n  const ys = xs.filter((x) => x > k);\n  return ys.length !== 0 ? 0 : 1;\n}", "`ys.length === 0` → `ys.length !== 0` (line 3)"],
      ["function f(xs: number[], k: number) {\n  const ys = xs.filter((x) => x <= k);\n  return ys.length === 0 ? 0 : 1;\n}", "`x > k` → `x <= k` (line 2)"],
    ]],
    ["conditions before a comparison stored in a variable; both sides of `&&`", "function f(a: number, b: number) {\n  const same = a === b;\n  while (a < b && b > 0) b--;\n  return same;\n}", [
      ["function f(a: number, b: number) {\n  const same = a === b;\n  while (a >= b && b > 0) b--;\n  return same;\n}", "`a < b` → `a >= b` (line 3)"],
      ["function f(a: number, b: number) {\n  const same = a === b;\n  while (a < b && b <= 0) b--;\n  return same;\n}", "`b > 0` → `b <= 0` (line 3)"],
    ]],
    ["perKind 3 reaches the stored comparison", "function f(a: number, b: number) {\n  const same = a === b;\n  while (a < b && b > 0) b--;\n  return same;\n}", [
      ["function f(a: number, b: number) {\n  const same = a === b;\n  while (a >= b && b > 0) b--;\n  return same;\n}", "`a < b` → `a >= b` (line 3)"],
      ["function f(a: number, b: number) {\n  const same = a === b;\n  while (a < b && b <= 0) b--;\n  return same;\n}", "`b > 0` → `b <= 0` (line 3)"],
      ["function f(a: number, b: number) {\n  const same = a !== b;\n  while (a < b && b > 0) b--;\n  return same;\n}", "`a === b` → `a !== b` (line 2)"],
    ], { perKind: 3 }],
    ["a ternary test in a method", "class C {\n  m(x: number) {\n    return x > 0 ? 1 : -1;\n  }\n}", [["m(x: number) {\n    return x <= 0 ? 1 : -1;\n  }", "`x > 0` → `x <= 0` (line 3)"]], { name: "C.m" }],
    ["no comparison: a negated condition loses its `!`", "function f(xs: string[], seen: Set<string>) { for (const x of xs) if (!seen.has(x)) seen.add(x); }", [
      ["function f(xs: string[], seen: Set<string>) { for (const x of xs) if (seen.has(x)) seen.add(x); }", "`!seen.has(x)` → `seen.has(x)` (line 1)"],
    ]],
    ["no comparison: a predicate callback's result is negated", "function f(xs: number[], ok: (x: number) => boolean) { return xs.filter((x) => ok(x)); }", [
      ["function f(xs: number[], ok: (x: number) => boolean) { return xs.filter((x) => !ok(x)); }", "`ok(x)` → `!ok(x)` (line 1)"],
    ]],
    ["no comparison: the result of a function declared to return boolean (parenthesized), then its test", "function f(a: boolean, b: boolean): boolean { return a ? b : !b; }", [
      ["function f(a: boolean, b: boolean): boolean { return !(a ? b : !b); }", "`a ? b : !b` → `!(a ? b : !b)` (line 1)"],
      ["function f(a: boolean, b: boolean): boolean { return !a ? b : !b; }", "`a` → `!a` (line 1)"],
    ]],
  ]);
});

describe("off-by-one", () => {
  table("off-by-one", [
    ["a loop bound, then the compared length", "function f(xs: number[]) {\n  let s = 0;\n  for (let i = 0; i < xs.length; i++) s += xs[i]!;\n  return s;\n}", [
      ["function f(xs: number[]) {\n  let s = 0;\n  for (let i = 0; i <= xs.length; i++) s += xs[i]!;\n  return s;\n}", "`i < xs.length` → `i <= xs.length` (line 3)"],
      ["function f(xs: number[]) {\n  let s = 0;\n  for (let i = 0; i < xs.length - 1; i++) s += xs[i]!;\n  return s;\n}", "`i < xs.length` → `i < xs.length - 1` (line 3)"],
    ]],
    ["a `slice` end that is a name", "function f(s: string, k: number) { return s.slice(0, k); }", [["function f(s: string, k: number) { return s.slice(0, k + 1); }", "`s.slice(0, k)` → `s.slice(0, k + 1)` (line 1)"]]],
    ["a `slice` start alone, a literal", "function f(s: string) { return s.slice(2); }", [["function f(s: string) { return s.slice(3); }", "`s.slice(2)` → `s.slice(3)` (line 1)"]]],
    ["integer literals in arithmetic, in source order", "function f(n: number) { return n * 2 - 1; }", [
      ["function f(n: number) { return n * 3 - 1; }", "`n * 2` → `n * 3` (line 1)"],
      ["function f(n: number) { return n * 2 - 2; }", "`n * 2 - 1` → `n * 2 - 2` (line 1)"],
    ]],
    ["an index, a negative literal and a compound assignment", "function f(xs: number[], n: number) {\n  n += 1;\n  return xs[0]! * -1 + n;\n}", [
      ["function f(xs: number[], n: number) {\n  n += 2;\n  return xs[0]! * -1 + n;\n}", "`n += 1` → `n += 2` (line 2)"],
      ["function f(xs: number[], n: number) {\n  n += 1;\n  return xs[1]! * -1 + n;\n}", "`xs[0]` → `xs[1]` (line 3)"],
    ]],
    ["an ordering comparison outside a loop, last", "function f(have: number, count: number) {\n  if (have < count) throw new Error('short');\n  return have - count;\n}", [
      ["function f(have: number, count: number) {\n  if (have <= count) throw new Error('short');\n  return have - count;\n}", "`have < count` → `have <= count` (line 2)"],
    ]],
  ]);
});

describe("dropped-statement", () => {
  table("dropped-statement", [
    ["a call alone on its line: the whole line goes", "function f(xs: number[]) {\n  const out: number[] = [];\n  for (const x of xs) {\n    out.push(x);\n  }\n  return out;\n}", [
      ["function f(xs: number[]) {\n  const out: number[] = [];\n  for (const x of xs) {\n  }\n  return out;\n}", "dropped `out.push(x);` (line 4)"],
    ]],
    ["a body that must stay a statement becomes `{}`", "function f(c: boolean) { let n = 0; if (c) n++; return n; }", [["function f(c: boolean) { let n = 0; if (c) {} return n; }", "dropped `n++;` (line 1)"]]],
    ["the node's own statements before a callback's", "function f(xs: number[], seen: Set<number>) {\n  xs.forEach((x) => {\n    seen.add(x);\n  });\n  seen.delete(0);\n}", [
      ["function f(xs: number[], seen: Set<number>) {\n  seen.delete(0);\n}", "dropped `xs.forEach((x) => { seen.add(x); });` (line 2)"],
      ["function f(xs: number[], seen: Set<number>) {\n  xs.forEach((x) => {\n    seen.add(x);\n  });\n}", "dropped `seen.delete(0);` (line 5)"],
      ["function f(xs: number[], seen: Set<number>) {\n  xs.forEach((x) => {\n  });\n  seen.delete(0);\n}", "dropped `seen.add(x);` (line 3)"],
    ], { perKind: 3 }],
    ["an early return, not the final one of a function declared to return a number", "function f(x: number): number {\n  if (x < 0) return 0;\n  return x;\n}", [
      ["function f(x: number): number {\n  if (x < 0) {}\n  return x;\n}", "dropped `return 0;` (line 2)"],
    ]],
    ["effects first, then `throw`; the update a loop's test reads after them", "function f(n: number, out: number[]) {\n  while (n > 0) {\n    n--;\n    if (n === 7) throw new Error('seven');\n    out.push(n);\n  }\n}", [
      ["function f(n: number, out: number[]) {\n  while (n > 0) {\n    n--;\n    if (n === 7) throw new Error('seven');\n  }\n}", "dropped `out.push(n);` (line 5)"],
      ["function f(n: number, out: number[]) {\n  while (n > 0) {\n    n--;\n    if (n === 7) {}\n    out.push(n);\n  }\n}", "dropped `throw new Error('seven');` (line 4)"],
      ["function f(n: number, out: number[]) {\n  while (n > 0) {\n    if (n === 7) throw new Error('seven');\n    out.push(n);\n  }\n}", "dropped `n--;` (line 3)"],
    ], { perKind: 3 }],
    ["a declaration others need, as a last resort", "function f(s: string) {\n  const t = s.trim();\n  return t.length;\n}", [["function f(s: string) {\n  return t.length;\n}", "dropped `const t = s.trim();` (line 2)"]]],
  ]);
});

describe("swapped-arguments", () => {
  table("swapped-arguments", [
    ["a call's first two arguments", "function f(a: string, b: string) { return g(a, b, 3); }\ndeclare function g(a: string, b: string, n: number): string;", [
      ["function f(a: string, b: string) { return g(b, a, 3); }", "`g(a, b, 3)` → `g(b, a, 3)` (line 1)"],
    ]],
    ["same written types first, then operators, then unknown types", "function f(a: number, b: number, o: { m(x: unknown, y: unknown): number }) {\n  return o.m(a, a + 1) + o.m(a, b) - a;\n}", [
      ["function f(a: number, b: number, o: { m(x: unknown, y: unknown): number }) {\n  return o.m(a, a + 1) + o.m(b, a) - a;\n}", "`o.m(a, b)` → `o.m(b, a)` (line 2)"],
      ["function f(a: number, b: number, o: { m(x: unknown, y: unknown): number }) {\n  return a - (o.m(a, a + 1) + o.m(a, b));\n}", "`o.m(a, a + 1) + o.m(a, b) - a` → `a - (o.m(a, a + 1) + o.m(a, b))` (line 2)"],
      ["function f(a: number, b: number, o: { m(x: unknown, y: unknown): number }) {\n  return o.m(a + 1, a) + o.m(a, b) - a;\n}", "`o.m(a, a + 1)` → `o.m(a + 1, a)` (line 2)"],
    ], { perKind: 3 }],
    ["`new`, and a comma expression keeps its parentheses (those of the place it leaves stay)", "function f(a: number, b: number) { return new Pair((a, b), 1); }\ndeclare class Pair { constructor(x: number, y: number); }", [
      ["function f(a: number, b: number) { return new Pair((1), (a, b)); }", "`new Pair((a, b), 1)` → `new Pair((1), (a, b))` (line 1)"],
    ]],
    ["nested subtraction: operands parenthesized where needed", "function f(a: number, b: number, c: number) { return a - b - c; }", [
      ["function f(a: number, b: number, c: number) { return c - (a - b); }", "`a - b - c` → `c - (a - b)` (line 1)"],
      ["function f(a: number, b: number, c: number) { return b - a - c; }", "`a - b` → `b - a` (line 1)"],
    ]],
    ["string concatenation, a compound operand parenthesized", "function f(id: number, x: number) { return 'id:' + id + 2 ** -x; }", [
      ["function f(id: number, x: number) { return (2 ** -x) + ('id:' + id); }", "`'id:' + id + 2 ** -x` → `(2 ** -x) + ('id:' + id)` (line 1)"],
      ["function f(id: number, x: number) { return id + 'id:' + 2 ** -x; }", "`'id:' + id` → `id + 'id:'` (line 1)"],
    ]],
    ["arguments of two different written types are left alone", "function f(s: string, n: number, a: number) { return g(s, n) - a; }\ndeclare function g(s: string, n: number): number;", [
      ["function f(s: string, n: number, a: number) { return a - g(s, n); }", "`g(s, n) - a` → `a - g(s, n)` (line 1)"],
    ]],
  ]);
});

describe("dropped-call", () => {
  table("dropped-call", [
    ["a sorted copy → the copy", "function f(xs: number[]) { return [...xs].sort((a, b) => a - b); }", [
      ["function f(xs: number[]) { return [...xs]; }", "`[...xs].sort((a, b) => a - b)` → `[...xs]` (line 1)"],
    ]],
    ["a reversed copy, in an arrow's body", "const f = (xs: number[]) => [...xs].reverse();", [["(xs: number[]) => [...xs]", "`[...xs].reverse()` → `[...xs]` (line 1)"]]],
    ["a returned chain: the outermost call first, then the links it was made on, outermost first", "function f(xs: number[]) {\n  return xs\n    .map((x) => x * 2)\n    .filter((x) => x > 2)\n    .slice(1);\n}", [
      ["function f(xs: number[]) {\n  return xs\n    .map((x) => x * 2)\n    .filter((x) => x > 2);\n}", "`xs .map((x) => x * 2) .filter((x) => x > 2) .slice(1)` → `xs .map((x) => x * 2) .filter((x) => x > 2)` (line 2)"],
      ["function f(xs: number[]) {\n  return xs\n    .map((x) => x * 2)\n    .slice(1);\n}", "`xs .map((x) => x * 2) .filter((x) => x > 2)` → `xs .map((x) => x * 2)` (line 2)"],
      ["function f(xs: number[]) {\n  return xs\n    .filter((x) => x > 2)\n    .slice(1);\n}", "`xs .map((x) => x * 2)` → `xs` (line 2)"],
    ], { perKind: 3 }],
    ["a chain too long to show whole: the summary shows the dropped call, at its line (a short link shows whole)", "function f(users: { name: string; id: number }[]) {\n  return users\n    .map((user) => ({ user, key: user.name.length * 1000 + user.id }))\n    .sort((a, b) => a.key - b.key);\n}", [
      ["function f(users: { name: string; id: number }[]) {\n  return users\n    .map((user) => ({ user, key: user.name.length * 1000 + user.id }));\n}", "`….sort((a, b) => a.key - b.key)` → `…` (line 4)"],
      ["function f(users: { name: string; id: number }[]) {\n  return users\n    .sort((a, b) => a.key - b.key);\n}", "`users .map((user) => ({ user, key: user.name.length * 1000 + user.id }))` → `users` (line 2)"],
    ]],
    ["`Math.max(a, b)` → `a`, a compound argument parenthesized", "function f(a: number, b: number) { return Math.max(a + 1, b) * 2; }", [
      ["function f(a: number, b: number) { return (a + 1) * 2; }", "`Math.max(a + 1, b)` → `(a + 1)` (line 1)"],
    ]],
    ["one-argument functions of the module, declared and as a `const`", "function f(x: number) { return double(x) + half(x); }\nfunction double(x: number) { return x * 2; }\nconst half = (x: number) => x / 2;", [
      ["function f(x: number) { return x + half(x); }", "`double(x)` → `x` (line 1)"],
      ["function f(x: number) { return double(x) + x; }", "`half(x)` → `x` (line 1)"],
    ]],
    ["a receiver in parentheses keeps them", "function f(a: string, b: string) { return (a + b).slice(1).length; }", [
      ["function f(a: string, b: string) { return (a + b).length; }", "`(a + b).slice(1)` → `(a + b)` (line 1)"],
    ]],
    ["a `new` receiver is parenthesized where the call stood", "function f(n: number) { return new Array<number>(n).map((_, i) => i).length; }", [
      ["function f(n: number) { return (new Array<number>(n)).length; }", "`new Array<number>(n).map((_, i) => i)` → `(new Array<number>(n))` (line 1)"],
    ]],
    ["the node's own calls before a callback's", "function f(xs: string[]) {\n  const ys = xs.map((x) => x.slice(1));\n  return ys.length;\n}", [
      ["function f(xs: string[]) {\n  const ys = xs;\n  return ys.length;\n}", "`xs.map((x) => x.slice(1))` → `xs` (line 2)"],
      ["function f(xs: string[]) {\n  const ys = xs.map((x) => x);\n  return ys.length;\n}", "`x.slice(1)` → `x` (line 2)"],
    ]],
    ["an optional call", "function f(xs?: number[]) { return xs?.filter((x) => x > 0) ?? []; }", [
      ["function f(xs?: number[]) { return xs ?? []; }", "`xs?.filter((x) => x > 0)` → `xs` (line 1)"],
    ]],
    ["`s.trim()` → `s` when the node has no other canary", "function f(s: string) { return s.trim(); }", [["function f(s: string) { return s; }", "`s.trim()` → `s` (line 1)"]]],
    ["a call that only normalizes is left out when a stronger one exists, even with room for more", "function f(xs: string[]) { return xs.filter((x) => x !== \"\").map((x) => x.trim()); }", [
      ["function f(xs: string[]) { return xs.filter((x) => x !== \"\"); }", "`xs.filter((x) => x !== \"\").map((x) => x.trim())` → `xs.filter((x) => x !== \"\")` (line 1)"],
      ["function f(xs: string[]) { return xs.map((x) => x.trim()); }", "`xs.filter((x) => x !== \"\")` → `xs` (line 1)"],
    ], { perKind: 3 }],
  ]);
});

describe("missing kinds", () => {
  const cases: [string, CanaryKind, string, string][] = [
    ["no comparison", "flipped-comparison", "function f(a: number, b: number) { return a + b; }", "no comparison and no condition in `f`"],
    ["a returned call of a function not declared boolean", "flipped-comparison", "function f(s: string) { return s.trim(); }", "no comparison and no condition in `f`"],
    ["only a hexadecimal literal and no bound", "off-by-one", "function f(n: number) { return n + 0x10; }", "no loop bound, compared `.length`, `slice` bound, integer literal in arithmetic or as an index, or ordering comparison in `f`"],
    ["only the only return, a pure statement and an unused declaration", "dropped-statement", "function f(x: number) { x; const unused = x * 2; return x + 1; }", "no statement with an effect in `f`"],
    // Dropping a wait changes when later code runs, which no caller observes: an equivalent canary.
    ["only waits", "dropped-statement", "async function f(x: number) {\n  await Promise.resolve();\n  await x;\n  await new Promise((r) => setTimeout(r, 1));\n  return x;\n}", "no statement with an effect in `f`"],
    ["equal arguments, symmetric calls, spreads and commutative operators", "swapped-arguments", "function f(a: number, b: number, xs: number[]) { return g(a, a) + Math.max(a, b) + Math.min(...xs, b) + a * b; }\ndeclare function g(a: number, b: number): number;", "no call with two different arguments and no non-commutative operator in `f`"],
    ["x - x", "swapped-arguments", "function f(x: number) { return x - x; }", "no call with two different arguments"],
    ["results not used: a statement, `void`", "dropped-call", "function f(xs: number[]) { xs.sort(); void xs.map(String); }", "no call whose result is used and whose receiver or first argument could stand in for it in `f`"],
    ["calls that copy or give back their receiver", "dropped-call", "function f(xs: number[][], s: string) { return [xs.slice(), xs.slice(0), xs.concat(), xs.flat(0), s.repeat(1), Math.max(s.length), Math.min(s.length, s.length)]; }", "no call whose result is used"],
    ["imported, parameter and two-argument functions", "dropped-call", "import { g } from './g.js';\nfunction f(x: number, h: (x: number) => number) { return g(x) + h(x) + k(x, x); }\nfunction k(a: number, b: number) { return a - b; }", "no call whose result is used"],
    ["`Math` as a local name, and a `super` receiver", "dropped-call", "function f(Math: { max(a: number, b: number): number }, a: number) {\n  return [Math.max(a, 1), class extends Array<number> { m() { return super.map((x) => x); } }];\n}", "no call whose result is used"],
    ["only a `trim`, in a node with another canary", "dropped-call", "function f(s: string) { return s.trim().length > 0; }", "only calls that normalize a string or drop falsy items in `f`"],
    ["only a `filter(Boolean)`, in a node with another canary", "dropped-call", "function f(words: string[]) { return words.filter(Boolean).length > 0; }", "made only for a node with no other canary"],
  ];
  it.each(cases)("%s", (_title, kind, code, reason) => {
    const result = makeCanaries(target(code));
    expect(result.canaries.filter((c) => c.kind === kind)).toEqual([]);
    expect(result.missing.find((m) => m.kind === kind)?.reason).toContain(reason);
  });

  it("every kind, with the reason, when the node cannot be found or the file does not parse", () => {
    const kinds = ["flipped-comparison", "off-by-one", "dropped-statement", "swapped-arguments", "dropped-call"];
    const absent = makeCanaries(target("function g() {}"));
    expect(absent.canaries).toEqual([]);
    expect(absent.missing.map((m) => m.kind)).toEqual(kinds);
    expect(absent.missing[0]!.reason).toMatch(/^cannot make canaries of src\/m\.ts#f: no top-level function, class or variable named `f`/);
    const broken = makeCanaries(target("function f( {"));
    expect(broken.missing.map((m) => m.kind)).toEqual(kinds);
    expect(broken.missing[0]!.reason).toMatch(/the file does not parse/);
  });

  it("refuses a perKind that is not a positive integer", () => {
    expect(() => makeCanaries(target("function f(a: number) { return a < 1; }"), { perKind: 0 })).toThrow(/perKind/);
    expect(() => makeCanaries(target("function f(a: number) { return a < 1; }"), { perKind: 1.5 })).toThrow(/perKind/);
  });
});

const shopFile = (name: string): string => readFileSync(new URL(`../../examples/shop/src/${name}`, import.meta.url), "utf8");

describe("properties", () => {
  const fixtures: MutationTarget[] = [
    target("import { x } from './x.js';\n// head\nexport function f(xs: number[], k: number) {\n  const out: number[] = [];\n  for (let i = 0; i < xs.length - 1; i++) {\n    if (xs[i]! > k && !out.includes(xs[i]!)) out.push(xs[i]! - k);\n  }\n  return out.slice(0, k);\n}\n// tail\nexport const y = x - 1;\n"),
    target("export const f = (a: string, b: string): boolean => a.length === b.length ? a < b : a.startsWith(b, 1);\nf('a', 'b');\n"),
    target("class C {\n  #n = 0;\n  m(xs: number[]) {\n    xs.forEach((x) => { this.#n += x * 2; });\n    while (this.#n > 10) this.#n -= 3;\n    return this.#n;\n  }\n}\n", "C.m"),
    target("function f(s: string) {\n  return `${s}!`;\n}\n"),
    target("function f(xs: number[], s: string) {\n  const ys = xs.map((x) => Math.max(x, 0)).filter((x) => half(x) > 1);\n  return [(s + s).trim().slice(1), new Array<number>(2).reverse(), ys.sort()];\n}\nconst half = (x: number) => x / 2;\n"),
    ...[["users.ts", "sortUsers"], ["users.ts", "sortUsersByKey"], ["users.ts", "sortUsersInsertion"], ["users.ts", "compareUsers"], ["inventory.ts", "Inventory.reserve"], ["catalog.ts", "searchProducts"], ["catalog.ts", "labels"], ["cart.ts", "Cart.total"]].map(([file, name]) =>
      target(shopFile(file!), name, `src/${file}`),
    ),
  ];

  it("every canary re-parses, changes the node, keeps the rest of the file, and at most perKind of each kind; deterministic, and a prefix of a larger perKind", () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.integer({ min: 1, max: 3 }), (t, perKind) => {
        const fn = locateFunction(parseSource(t.file, t.source), t.qualifiedName);
        if ("reason" in fn) throw new Error(fn.reason);
        const [start, end] = [fn.node.start!, fn.node.end!];
        const result = makeCanaries(t, { perKind });
        for (const c of result.canaries) {
          expect(() => parseSource(t.file, c.source)).not.toThrow();
          expect(c.nodeText).not.toBe(t.source.slice(start, end));
          expect(c.source.slice(0, start)).toBe(t.source.slice(0, start));
          expect(c.source.slice(start + c.nodeText.length)).toBe(t.source.slice(end));
          expect(c.source.slice(start, start + c.nodeText.length)).toBe(c.nodeText);
          expect(c.summary).toMatch(/\(line \d+\)$/);
        }
        const kinds = new Set(result.canaries.map((c) => c.kind));
        for (const kind of kinds) {
          const ofKind = result.canaries.filter((c) => c.kind === kind);
          expect(ofKind.length).toBeLessThanOrEqual(perKind);
          expect(new Set(ofKind.map((c) => c.nodeText)).size).toBe(ofKind.length);
          expect(result.missing.some((m) => m.kind === kind)).toBe(false);
        }
        expect(kinds.size + result.missing.length).toBe(5);
        expect(makeCanaries(t, { perKind })).toEqual(result);
        const larger = makeCanaries(t, { perKind: perKind + 1 }).canaries;
        for (const kind of kinds) {
          expect(larger.filter((c) => c.kind === kind).slice(0, perKind)).toEqual(result.canaries.filter((c) => c.kind === kind));
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("the shop example", () => {
  /** The nodes its constraints.cdl constrains, and the alternatives it names; the kinds each one gets. */
  const nodes: [file: string, name: string, kinds: CanaryKind[]][] = [
    ["users.ts", "sortUsers", ["dropped-call"]],
    ["catalog.ts", "dedupeSkus", ["flipped-comparison", "dropped-statement"]],
    ["catalog.ts", "searchProducts", ["flipped-comparison", "dropped-statement", "swapped-arguments", "dropped-call"]],
    ["catalog.ts", "matchesAll", ["flipped-comparison", "dropped-statement"]],
    ["cart.ts", "Cart.total", ["flipped-comparison", "dropped-statement"]],
    ["inventory.ts", "Inventory.reserve", ["flipped-comparison", "off-by-one", "dropped-statement", "swapped-arguments"]],
    ["checkout.ts", "Checkout.run", ["dropped-statement", "swapped-arguments"]],
    ["users.ts", "sortUsersInsertion", ["flipped-comparison", "off-by-one", "dropped-statement", "swapped-arguments"]],
    ["users.ts", "sortUsersByKey", ["flipped-comparison", "off-by-one", "swapped-arguments", "dropped-call"]],
    // The other functions of the example.
    ["catalog.ts", "labels", ["off-by-one", "dropped-statement", "swapped-arguments"]],
    ["users.ts", "compareUsers", ["flipped-comparison", "off-by-one", "swapped-arguments"]],
  ];
  const constrained = 9;

  it("the table covers every node constraints.cdl names", () => {
    const cdl = readFileSync(new URL("../../examples/shop/constraints.cdl", import.meta.url), "utf8");
    const named = [...cdl.matchAll(/^constraint "?(?:src\/[\w.]+#)?([\w.]+)"? \{/gm), ...cdl.matchAll(/algorithm: \[([^\]]*)\]/g)].flatMap((m) => m[1]!.split(/,\s*/));
    expect(named.sort()).toEqual(nodes.slice(0, constrained).map(([, name]) => name).sort());
  });

  it.each(nodes)("%s: %s gets a canary of each of its kinds", (file, name, kinds) => {
    const result = makeCanaries(target(shopFile(file), name, `src/${file}`));
    expect([...new Set(result.canaries.map((c) => c.kind))]).toEqual(kinds);
    expect(result.canaries.length).toBeGreaterThanOrEqual(1);
  });

  it("sortUsers (`[...users].sort(compareUsers)`) gets its dropped call, and says why the other kinds have no site", () => {
    const source = shopFile("users.ts");
    const result = makeCanaries(target(source, "sortUsers", "src/users.ts"));
    expect(result.canaries.map((c) => [c.kind, c.summary, c.nodeText])).toEqual([
      ["dropped-call", "`[...users].sort(compareUsers)` → `[...users]` (line 9)", "function sortUsers(users: readonly User[]): User[] {\n  return [...users];\n}"],
    ]);
    expect(result.canaries[0]!.source).toBe(source.replace("return [...users].sort(compareUsers);", "return [...users];"));
    expect(result.missing.map((m) => m.reason)).toEqual([
      "no comparison and no condition in `sortUsers`",
      "no loop bound, compared `.length`, `slice` bound, integer literal in arithmetic or as an index, or ordering comparison in `sortUsers`",
      "no statement with an effect in `sortUsers` (an assignment, update or call, `throw`, `break`, `continue`, or a `return` that is not the only one)",
      "no call with two different arguments and no non-commutative operator in `sortUsers`",
    ]);
  });

  it("sortUsersByKey drops the returned chain's outermost call first; matchesAll's only call, `toLowerCase`, is left out", () => {
    const byKey = makeCanaries(target(shopFile("users.ts"), "sortUsersByKey", "src/users.ts")).canaries.filter((c) => c.kind === "dropped-call");
    expect(byKey.map((c) => c.summary)).toEqual([
      "`….map((x) => x.u)` → `…` (line 36)",
      "`….sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.u.id - b.u.…` → `…` (line 35)",
    ]);
    const matches = makeCanaries(target(shopFile("catalog.ts"), "matchesAll", "src/catalog.ts"));
    expect(matches.missing.find((m) => m.kind === "dropped-call")?.reason).toMatch(/^only calls that normalize a string/);
  });
});
