import { transformSync } from "esbuild";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { generateVariants } from "../../src/mutate/engine.js";
import { sortKeys } from "../../src/mutate/operators/sort-keys.js";
import { expectNoVariant, expectVariants } from "./helpers.js";

type Case = [title: string, code: string, expected: string[], name?: string];

/** The in-place form on one line: `decorate` maps an element to its entry, `compare` sorts entries. */
const inPlace = (receiver: string, decorate: string, compare: string, o: { ts?: boolean; optional?: boolean; param?: string } = {}) => {
  const a = o.param ?? "a";
  const unpack = o.ts === false ? "?.value" : "?.value!";
  return `((array) => { ${o.optional ? "if (array == null) return undefined; " : ""}const copy = array.slice(); if (copy.filter((${a}) => ${a} !== undefined).length < 2) return array.sort(); const sorted = copy.map(${decorate}).sort(${compare}); for (let i = 0; i < sorted.length; i++) { if (i in sorted) array[i] = sorted[i]${unpack}; else delete array[i]; } return array; })(${receiver})`;
};
/** The decoration of an element `a` with one key. */
const entry = (key: string, ts = true) => `(a) => (a === undefined ? ${ts ? "(a as never)" : "a"} : { value: a, key: ${key} })`;

describe("sort_keys: applies", () => {
  const cases: Case[] = [
    [
      "a.title.toLowerCase().localeCompare(b.title.toLowerCase()), with a tie-break on a property",
      "function f(items: { id: number; title: string }[]) { return items.sort((a, b) => a.title.toLowerCase().localeCompare(b.title.toLowerCase()) || a.id - b.id); }",
      [`function f(items: { id: number; title: string }[]) { return ${inPlace("items", entry("a.title.toLowerCase()"), "({ value: a, key: ka }, { value: b, key: kb }) => ka.localeCompare(kb) || a.id - b.id")}; }`],
    ],
    [
      "a pure function of this file on both sides, key(a) < key(b) ? -1 : …, written on lines",
      "function norm(s: string) { return s.trim().toLowerCase(); }\nfunction f(users: { name: string }[]) {\n  users.sort((a, b) => norm(a.name) < norm(b.name) ? -1 : norm(a.name) > norm(b.name) ? 1 : 0);\n  return users;\n}",
      [
        "function f(users: { name: string }[]) {\n  ((array) => {\n    const copy = array.slice();\n    if (copy.filter((a) => a !== undefined).length < 2) return array.sort();\n    const sorted = copy.map((a) => (a === undefined ? (a as never) : { value: a, key: norm(a.name) })).sort(({ key: ka }, { key: kb }) => ka < kb ? -1 : ka > kb ? 1 : 0);\n    for (let i = 0; i < sorted.length; i++) {\n      if (i in sorted) array[i] = sorted[i]?.value!;\n      else delete array[i];\n    }\n    return array;\n  })(users);\n  return users;\n}",
      ],
    ],
    [
      "toSorted with JSON.stringify: a new array, holes read as undefined",
      "function f(xs: object[]) { return xs.toSorted((a, b) => JSON.stringify(a) < JSON.stringify(b) ? -1 : 1); }",
      ["function f(xs: object[]) { return ((array) => { const copy = [...array]; if (copy.filter((a) => a !== undefined).length < 2) return array.toSorted(); return copy.map((a) => (a === undefined ? (a as never) : { value: a, key: JSON.stringify(a) })).sort(({ key: ka }, { key: kb }) => ka < kb ? -1 : 1).map((entry) => entry?.value!); })(xs); }"],
    ],
    [
      "dates: destructured parameters, new Date(x).getTime(), a spread copy as receiver",
      "function f(xs: { date: string }[]) { return [...xs].sort(({ date: x }, { date: y }) => new Date(x).getTime() - new Date(y).getTime()); }",
      [`function f(xs: { date: string }[]) { return ${inPlace("[...xs]", "(value) => { if (value === undefined) return value as never; const { date: x } = value; return { value, key: new Date(x).getTime() }; }", "({ key: ka }, { key: kb }) => ka - kb", { param: "value" })}; }`],
    ],
    [
      "a regex replace in a function comparator whose keys are locals",
      "function f(xs: string[]) { return xs.sort(function (a, b) { const ka = a.replace(/\\W/g, ''); const kb = b.replace(/\\W/g, ''); return ka < kb ? -1 : ka > kb ? 1 : 0; }); }",
      [`function f(xs: string[]) { return ${inPlace("xs", entry("a.replace(/\\W/g, '')"), "function ({ key: ka2 }, { key: kb2 }) { const ka = ka2; const kb = kb2; return ka < kb ? -1 : ka > kb ? 1 : 0; }")}; }`],
    ],
    [
      "two keys computed in every comparison",
      "function f(xs: { last: string; first: string }[]) { return xs.sort((a, b) => 2 * Math.sign(a.last.trim().localeCompare(b.last.trim())) + Math.sign(a.first.trim().localeCompare(b.first.trim()))); }",
      [
        `function f(xs: { last: string; first: string }[]) { return ${inPlace(
          "xs",
          "(a) => (a === undefined ? (a as never) : { value: a, key0: a.last.trim(), key1: a.first.trim() })",
          "({ key0: ka, key1: ka2 }, { key0: kb, key1: kb2 }) => 2 * Math.sign(ka.localeCompare(kb)) + Math.sign(ka2.localeCompare(kb2))",
        )}; }`,
      ],
    ],
    [
      // The second key is computed only on ties of the first: it stays in the comparator, with a cheap tie-break.
      "a key used only on ties stays where it is",
      "function f(xs: { last: string; first: string; id: number }[]) { return xs.sort((a, b) => a.last.toUpperCase().localeCompare(b.last.toUpperCase()) || a.first.toUpperCase().localeCompare(b.first.toUpperCase()) || a.id - b.id); }",
      [
        `function f(xs: { last: string; first: string; id: number }[]) { return ${inPlace(
          "xs",
          entry("a.last.toUpperCase()"),
          "({ value: a, key: ka }, { value: b, key: kb }) => ka.localeCompare(kb) || a.first.toUpperCase().localeCompare(b.first.toUpperCase()) || a.id - b.id",
        )}; }`,
      ],
    ],
    [
      "an optional receiver: undefined when it is nullish",
      "function f(xs?: { s: string }[]) { return xs?.sort((a, b) => a.s.toLowerCase().localeCompare(b.s.toLowerCase())); }",
      [`function f(xs?: { s: string }[]) { return ${inPlace("xs", entry("a.s.toLowerCase()"), "({ key: ka }, { key: kb }) => ka.localeCompare(kb)", { optional: true })}; }`],
    ],
    [
      "a class property, and annotated comparator parameters (the entries' types come from the array)",
      "class C { rows: { n: string }[] = []; byValue() { return this.rows.sort((a: { n: string }, b: { n: string }) => Number.parseFloat(a.n) - Number.parseFloat(b.n)); } }",
      [`byValue() { return ${inPlace("this.rows", entry("Number.parseFloat(a.n)"), "({ key: ka }, { key: kb }) => ka - kb")}; }`],
      "C.byValue",
    ],
    [
      "a .ts file without annotations still gets the casts",
      "function f(n) { const xs = Array.from({ length: n }, (_, j) => `k${n - j}`); return xs.sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())); }",
      [`function f(n) { const xs = Array.from({ length: n }, (_, j) => \`k\${n - j}\`); return ${inPlace("xs", entry("a.toLowerCase()"), "({ key: ka }, { key: kb }) => ka.localeCompare(kb)")}; }`],
    ],
    [
      // Identity comparisons are fine when the key is a string.
      "=== on keys known to be strings",
      "function f(xs: string[]) { return xs.sort((a, b) => (a.trim() === b.trim() ? 0 : a.trim() < b.trim() ? -1 : 1)); }",
      [`function f(xs: string[]) { return ${inPlace("xs", entry("a.trim()"), "({ key: ka }, { key: kb }) => (ka === kb ? 0 : ka < kb ? -1 : 1)")}; }`],
    ],
  ];
  for (const [title, code, expected, name] of cases) it(title, () => expectVariants(sortKeys, code, expected, name ?? "f"));

  it("a JavaScript file gets no casts", () => {
    const code = "function f(n) { const xs = Array.from({ length: n }, (_, j) => `k${n - j}`); return xs.sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())); }";
    const result = generateVariants({ node: "src/m.js#f", file: "src/m.js", qualifiedName: "f", source: code, mutations: ["sort_keys"], algorithm: [] }, { operators: [sortKeys], depth: 1 });
    expect(result.variants.map((v) => v.nodeText)).toEqual([`function f(n) { const xs = Array.from({ length: n }, (_, j) => \`k\${n - j}\`); return ${inPlace("xs", entry("a.toLowerCase()", false), "({ key: ka }, { key: kb }) => ka.localeCompare(kb)", { ts: false })}; }`]);
  });
});

describe("sort_keys: does not apply", () => {
  const cases: [string, string, RegExp, string?][] = [
    ["a key that is a property read", "function f(xs: { age: number }[]) { return xs.sort((a, b) => a.age - b.age); }", /the key is a property read \(`a\.age`\): nothing to precompute/],
    ["a plain localeCompare of properties", "function f(xs: { name: string }[]) { return xs.sort((a, b) => a.name.localeCompare(b.name)); }", /the key is a property read \(`a\.name`\): nothing to precompute/],
    // Computing the key n times instead of at every comparison is unobservable only without side effects.
    ["a key function from elsewhere (it may have side effects)", "function f(xs: number[], key: (x: number) => number) { return xs.sort((a, b) => key(a) - key(b)); }", /may have a side effect or give another value another time \(`key\(a\)`, line 1\)/],
    ["an imported key function", "import { norm } from './norm.js';\nfunction f(xs: string[]) { return xs.sort((a, b) => norm(a) - norm(b)); }", /`norm\(a\)`, line 2/],
    ["a local function that counts its calls", "let calls = 0;\nfunction key(s: string) { calls++; return s.length; }\nfunction f(xs: string[]) { return xs.sort((a, b) => key(a) - key(b)); }", /`key\(a\)`, line 3/],
    ["a key that is not the same each time", "function f(xs: number[]) { return xs.sort((a, b) => a * Math.random() - b * Math.random()); }", /`Math\.random\(\)`/],
    ["new Date() without an argument reads the clock", "function f(xs: number[]) { return xs.sort((a, b) => new Date().getTime() + a - (new Date().getTime() + b)); }", /`new Date\(\)\.getTime\(\)`/],
    ["a replace with a function", "function f(xs: string[], fix: (s: string) => string) { return xs.sort((a, b) => a.replace(/x/g, fix).length - b.replace(/x/g, fix).length); }", /`a\.replace\(\/x\/g, fix\)`/],
    ["a replace with a pattern that may be an object", "function f(xs: string[], p: RegExp) { return xs.sort((a, b) => a.replace(p, '').length - b.replace(p, '').length); }", /`a\.replace\(p, ''\)`/],
    ["a sticky regex (its lastIndex carries state)", "const re = /a/y;\nfunction f(xs: string[]) { return xs.sort((a, b) => a.search(re) - b.search(re)); }", /`a\.search\(re\)`/],
    ["a key computed only in some comparisons (it could throw where the sort does not)", "function f(xs: { k: number; s: string }[]) { return xs.sort((a, b) => a.k === b.k ? 0 : a.s.toLowerCase() < b.s.toLowerCase() ? -1 : 1); }", /`a\.s\.toLowerCase\(\)` is computed only in some comparisons/],
    ["a key after an early return", "function f(xs: { k: number; s: string }[]) { return xs.sort((a, b) => { if (a.k !== b.k) return a.k - b.k; return a.s.trim().length - b.s.trim().length; }); }", /`a\.s\.trim\(\)\.length` is computed only in some comparisons/],
    // `{ a }` is `{ a: a }` and `{ b }` is `{ b: b }`: the same text but for the name, and different keys.
    ["shorthand properties make different keys of the two sides", "function f(xs: string[]) { return xs.sort((a, b) => JSON.stringify({ a }).length - JSON.stringify({ b }).length); }", /`JSON\.stringify\(\{ a \}\)\.length` has no counterpart on the other side/],
    ["a key on one side only", "function f(xs: string[]) { return xs.sort((a, b) => a.trim().length - b.length); }", /`a\.trim\(\)\.length` has no counterpart on the other side/],
    ["a key that may be a new object, compared by identity", "function pair(s: string) { return [s.length, s]; }\nfunction f(xs: string[]) { return xs.sort((a, b) => (pair(a) === pair(b) ? 0 : pair(a)[0] - pair(b)[0])); }", /the key `pair\(a\)` may be a new object each time and `pair\(a\) === pair\(b\)` compares by identity/],
    ["parameters destructured differently", "function f(xs: { p: string; q: string }[]) { return xs.sort(({ p }, { q }) => p.trim().length - q.trim().length); }", /destructured differently/],
    ["a comparator that is not a function literal", "function cmp(a: string, b: string) { return a.trim().length - b.trim().length; }\nfunction f(xs: string[]) { return xs.sort(cmp); }", /the comparator `cmp` is not a function literal/],
    ["a function comparator that uses this", "function f(xs: string[]) { return xs.sort(function (a, b) { return this.k(a) - this.k(b); }); }", /the `function` comparator uses `this`/],
    ["a receiver of unknown type", "function f(xs) { return xs.sort((a, b) => a.trim().length - b.trim().length); }", /the parameter `xs` has no type annotation; a user's class may sort its own way/],
    ["a typed array (its sort is another)", "function f(xs: Float64Array) { return xs.sort((a, b) => Math.abs(a) - Math.abs(b)); }", /its type `Float64Array` is not an array type/],
    ["an optional chain that goes on after the sort", "function f(xs?: string[]) { return xs?.sort((a, b) => a.trim().length - b.trim().length).length; }", /the optional chain goes on after it/],
    ["a comparator with one parameter", "function f(xs: string[]) { return xs.sort((a) => a.trim().length); }", /the comparator takes 1 parameter, not two/],
    ["a parameter with a default value", "function f(xs: string[]) { return xs.sort((a = '', b) => a.trim().length - b.trim().length); }", /has a default value/],
    ["no sort", "function f(xs: string[]) { return xs.map((x) => x.trim()); }", /no `sort` or `toSorted` call with a comparator/],
    ["a sort without a comparator", "function f(xs: string[]) { return xs.sort(); }", /no `sort` or `toSorted` call with a comparator/],
  ];
  for (const [title, code, reason, name] of cases) it(title, () => expectNoVariant(sortKeys, code, reason, name));

  it("is not applied only by name, and carries a risk", () => {
    expect(sortKeys.byNameOnly).toBe(false);
    expect(sortKeys.risk).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------- the variants run like the originals

/** The one variant of `f`. */
function variantOf(code: string): string {
  const result = generateVariants({ node: "src/m.ts#f", file: "src/m.ts", qualifiedName: "f", source: code, mutations: ["sort_keys"], algorithm: [] }, { operators: [sortKeys], depth: 1 });
  expect(result.notApplied).toEqual([]);
  expect(result.variants).toHaveLength(1);
  return result.variants[0]!.source;
}

/** The module's `f`, types stripped, in strict mode as in a module. */
function compile(source: string): (...args: unknown[]) => unknown {
  const js = transformSync(source, { loader: "ts", format: "esm", target: "es2022" }).code;
  return new Function(`"use strict";\n${js}\nreturn f;`)() as (...args: unknown[]) => unknown;
}

/** What one call does: its result (and whether it is the array passed in), the array afterwards (holes kept), or the error. */
function outcome(fn: (...args: unknown[]) => unknown, input: unknown[]): unknown {
  const array = input.slice();
  try {
    const value = fn(array);
    return { value, same: value === array, array };
  } catch (e) {
    return { threw: (e as Error).constructor.name, message: (e as Error).message, array };
  }
}

function alike(code: string, inputs: unknown[][]): void {
  const original = compile(code);
  const variant = compile(variantOf(code));
  for (const input of inputs) expect(outcome(variant, input), JSON.stringify(input)).toStrictEqual(outcome(original, input));
}

type Row = { id: number; name: string } | undefined;
const row = (id: number, name: string): Row => ({ id, name });
const rows: Row[][] = [[], [row(1, "b")], [row(1, "B"), row(2, "a"), row(3, "b"), row(4, "A")], [row(1, "x"), undefined, row(2, "a"), , row(3, "x"), , undefined], [, , row(1, "z")], [undefined, undefined]];

describe("sort_keys: variants behave like the original", () => {
  it("sort in place: ties keep their order (stable), undefined then holes go last, the receiver is returned", () => {
    const code = "function f(xs: ({ id: number; name: string } | undefined)[]) { return xs.sort((a, b) => a!.name.toLowerCase().localeCompare(b!.name.toLowerCase())); }";
    alike(code, rows);
    // The original's own behaviour, which the variant reproduces: [b(1), B(3)] tie, undefined kept, holes last.
    const sorted = outcome(compile(code), rows[3]!) as { array: Row[]; same: boolean };
    expect(sorted.same).toBe(true);
    expect(sorted.array.map((r) => r?.id)).toEqual([2, 1, 3, undefined, undefined, undefined, undefined]);
    expect(Object.keys(sorted.array)).toEqual(["0", "1", "2", "3", "4"]);
  });

  it("toSorted returns a new array, leaves the receiver as it was, and reads holes as undefined", () => {
    alike("function f(xs: ({ id: number; name: string } | undefined)[]) { return xs.toSorted((a, b) => a!.name.trim().localeCompare(b!.name.trim()) || b!.id - a!.id); }", rows);
  });

  it("NaN keys make the comparator inconsistent: the same comparisons give the same order", () => {
    alike("function f(xs: string[]) { return xs.sort((a, b) => parseFloat(a) - parseFloat(b)); }", [["3", "x", "1", "NaN", "2", "y", "0", "-1", "z", "5", "4"], ["b", "a"], ["1"]]);
  });

  it("a key that would throw: not computed for fewer than two values; with more, both throw the same error", () => {
    const code = "function f(xs: ({ name?: string } | undefined)[]) { return xs.sort((a, b) => a!.name!.trim().length - b!.name!.trim().length); }";
    alike(code, [[{}], [undefined, {}], [], [{}, { name: "x" }], [{ name: "x" }, {}, { name: "y" }]]);
    expect(outcome(compile(variantOf(code)), [{}])).toMatchObject({ same: true });
  });

  it("long arrays (past the insertion-sort runs) with many ties", () => {
    const next = (() => {
      let s = 11;
      return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    })();
    const long = Array.from({ length: 300 }, (_, id) => ({ id, name: ["Ann", "bob", "ANN", "Bob", " cy"][Math.floor(next() * 5)]! }));
    alike("function f(xs: { id: number; name: string }[]) { return xs.sort((a, b) => a.name.trim().toLowerCase().localeCompare(b.name.trim().toLowerCase())); }", [long]);
  });

  it("agrees with the original on random arrays with holes, undefined and duplicate keys (property)", () => {
    const code = "function f(xs: (string | undefined)[]) { return xs.sort((a, b) => (a!.toLowerCase() < b!.toLowerCase() ? -1 : a!.toLowerCase() > b!.toLowerCase() ? 1 : 0)); }";
    const original = compile(code);
    const variant = compile(variantOf(code));
    const arrays = fc.tuple(fc.nat(40), fc.array(fc.tuple(fc.nat(39), fc.option(fc.constantFrom("a", "A", "b", "B", "c", "é", "É"), { nil: undefined })), { maxLength: 40 })).map(([length, entries]) => {
      const xs: (string | undefined)[] = new Array(length);
      for (const [i, v] of entries) if (i < length) xs[i] = v;
      return xs;
    });
    fc.assert(
      fc.property(arrays, (xs) => {
        expect(outcome(variant, xs)).toStrictEqual(outcome(original, xs));
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});

describe("sort_keys: the variants type-check where the original does", () => {
  it("sort, toSorted, optional receivers and destructured entries", () => {
    const originals = [
      "export function a(xs: { id: number; title: string }[]): { id: number; title: string }[] { return xs.sort((a, b) => a.title.toLowerCase().localeCompare(b.title.toLowerCase()) || a.id - b.id); }",
      "export function b(xs: (string | undefined)[]): (string | undefined)[] { return xs.toSorted((a, b) => (a ?? '').trim().localeCompare((b ?? '').trim())); }",
      "export function c(xs?: { date: string }[]): { date: string }[] | undefined { return xs?.sort(({ date: x }, { date: y }) => new Date(x).getTime() - new Date(y).getTime()); }",
      "function norm(s: string): string { return s.normalize('NFD').toLowerCase(); }\nexport function d(xs: readonly string[]): string[] { return [...xs].sort((a, b) => (norm(a) < norm(b) ? -1 : norm(a) > norm(b) ? 1 : 0)); }",
    ];
    const options: ts.CompilerOptions = { strict: true, noUncheckedIndexedAccess: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2023, module: ts.ModuleKind.ESNext, lib: ["lib.es2023.d.ts"], types: [] };
    const check = (files: Record<string, string>, old?: ts.Program) => {
      const host = ts.createCompilerHost(options);
      const { getSourceFile } = host;
      host.getSourceFile = (name, version, ...rest) => {
        const text = files[name.replace(/^.*[\\/]/, "")];
        return text !== undefined ? ts.createSourceFile(name, text, version) : getSourceFile.call(host, name, version, ...rest);
      };
      const program = ts.createProgram(Object.keys(files), options, host, old);
      const errors = Object.keys(files).flatMap((n) => [...program.getSyntacticDiagnostics(program.getSourceFile(n)), ...program.getSemanticDiagnostics(program.getSourceFile(n))]);
      return { program, errors: errors.map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`) };
    };
    const before: Record<string, string> = {};
    const after: Record<string, string> = {};
    originals.forEach((code, k) => {
      const name = /export function (\w+)/.exec(code)![1]!;
      before[`o${k}.ts`] = code;
      const result = generateVariants({ node: `src/m.ts#${name}`, file: "src/m.ts", qualifiedName: name, source: code, mutations: ["sort_keys"], algorithm: [] }, { operators: [sortKeys], depth: 1 });
      expect(result.variants, JSON.stringify(result.notApplied)).toHaveLength(1);
      after[`v${k}.ts`] = result.variants[0]!.source;
    });
    const first = check(before);
    expect(first.errors).toEqual([]);
    expect(check(after, first.program).errors).toEqual([]);
  });
});
