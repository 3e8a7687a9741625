import vm from "node:vm";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { generateVariants } from "../../src/mutate/engine.js";
import { algorithmSwap } from "../../src/mutate/operators/algorithm-swap.js";
import { operators } from "../../src/mutate/operators/index.js";
import { locateFunction, parseSource } from "../../src/mutate/source.js";

/**
 * algorithm_swap tables: a module's source, the node (default `f`), the
 * alternatives as the binding hands them over (node ids), and the node's
 * exact text in each variant — or the reason there is none.
 */

const FILE = "src/m.ts";

function run(code: string, algorithm: string[], name = "f") {
  const result = generateVariants(
    { node: `${FILE}#${name}`, file: FILE, qualifiedName: name, source: code, mutations: ["algorithm_swap"], algorithm },
    { operators: [algorithmSwap], depth: 1 },
  );
  if (result.unavailable !== undefined) throw new Error(result.unavailable);
  return result;
}

function expectSwaps(code: string, algorithm: string[], expected: string[], name = "f"): void {
  const result = run(code, algorithm, name);
  expect(result.notApplied.filter((n) => n.reason.startsWith("cdlc bug"))).toEqual([]);
  expect(result.variants.map((v) => v.nodeText)).toEqual(expected);
  const fn = locateFunction(parseSource(FILE, code), name);
  if ("reason" in fn) throw new Error(fn.reason);
  for (const v of result.variants) {
    // Outside the node, the file is byte-identical.
    expect(v.source.slice(0, fn.node.start!)).toBe(code.slice(0, fn.node.start!));
    expect(v.source.slice(fn.node.start! + v.nodeText.length)).toBe(code.slice(fn.node.end!));
  }
}

function expectNoSwap(code: string, algorithm: string[], reason: RegExp, name = "f"): void {
  const result = run(code, algorithm, name);
  expect(result.variants.map((v) => v.nodeText)).toEqual([]);
  expect(result.notApplied.map((n) => n.reason).join("\n")).toMatch(reason);
}

const id = (name: string, file = FILE) => `${file}#${name}`;

describe("algorithm_swap: applies", () => {
  const cases: [title: string, code: string, algorithm: string[], expected: string[], name?: string][] = [
    [
      "a function declared in the file, multi-line body, indentation kept",
      "export function f(xs: number[]): number[] {\n  const out = [...xs];\n  out.sort((a, b) => a - b);\n  return out;\n}\nfunction g(xs: number[]): number[] {\n  return [...xs].sort((a, b) => a - b);\n}",
      [id("g")],
      ["function f(xs: number[]): number[] {\n  return g(xs);\n}"],
    ],
    [
      "one variant per alternative, the node itself skipped",
      "function f(a: number, b: number) { return a + b; }\nconst g = (a: number, b: number) => b + a;\nfunction h(a: number, b: number) { return [a, b].reduce((s, x) => s + x, 0); }",
      [id("g"), id("f"), id("h")],
      ["function f(a: number, b: number) { return g(a, b); }", "function f(a: number, b: number) { return h(a, b); }"],
    ],
    [
      "imported by name from the alternative's file, renamed",
      'import { sortFast as fast } from "./sort/fast.js";\nexport function f(xs: number[]) { return xs.slice().sort(); }',
      [id("sortFast", "src/sort/fast.ts")],
      ["function f(xs: number[]) { return fast(xs); }"],
    ],
    [
      "imported through a namespace, a specifier without extension",
      'import * as sorts from "../lib/sorts";\nexport function f(xs: number[]) { return xs.slice().sort(); }',
      [id("quick", "lib/sorts.ts")],
      ["function f(xs: number[]) { return sorts.quick(xs); }"],
    ],
    [
      "an arrow with an expression body in parentheses",
      "const g = (s: string) => s.trim();\nconst f = (s: string) => (s.replace(/^\\s+|\\s+$/g, ''));",
      [id("g")],
      ["(s: string) => g(s)"],
    ],
    [
      "defaults, optional and rest parameters: the values the body would see",
      "function g(a: number, b = 1, c?: string, ...rest: number[]) { return a + b + (c ?? '') + rest.length; }\nfunction f(a: number, b = 1, c?: string, ...rest: number[]) { return String(a + b) + (c ?? '') + rest.length; }",
      [id("g")],
      ["function f(a: number, b = 1, c?: string, ...rest: number[]) { return g(a, b, c, ...rest); }"],
    ],
    [
      "a destructured parameter of a function: the argument itself, through `arguments`",
      "function g(p: { x: number; y: number }) { return p.x + p.y; }\nfunction f({ x, y }: { x: number; y: number }) { return y + x; }",
      [id("g")],
      ["function f({ x, y }: { x: number; y: number }) { return g(arguments[0]); }"],
    ],
    [
      "an async node returns the alternative's promise",
      "async function g(n: number) { return n * 2; }\nasync function f(n: number) { await null; return n + n; }",
      [id("g")],
      ["async function f(n: number) { return g(n); }"],
    ],
    [
      "a generator delegates with yield*",
      "function* g(n: number) { for (let i = 0; i < n; i++) yield i; }\nfunction* f(n: number) {\n  let i = 0;\n  while (i < n) yield i++;\n}",
      [id("g")],
      ["function* f(n: number) {\n  return yield* g(n);\n}"],
    ],
    [
      "a static method of a class in the file",
      "class Sorters { static quick(xs: number[]) { return xs.slice().sort(); } }\nfunction f(xs: number[]) { return [...xs].sort(); }",
      [id("Sorters.quick")],
      ["function f(xs: number[]) { return Sorters.quick(xs); }"],
    ],
    [
      "a method that reads `this` hands its receiver to a plain function that may read it",
      "function g(this: C, n: number) { return this.base + n; }\nclass C { base = 1; f(n: number) { return this.base + n; } }",
      [id("g")],
      ["f(n: number) { return g.call(this, n); }"],
      "C.f",
    ],
    [
      "a method that reads `this`, and an arrow alternative (no receiver to hand on)",
      "const g = (n: number) => n + 1;\nclass C { base = 1; f(n: number) { return this.base + n - this.base + 1; } }",
      [id("g")],
      ["f(n: number) { return g(n); }"],
      "C.f",
    ],
    [
      "an instance method of the same class: through the prototype, on the same receiver",
      "class C {\n  items: number[] = [];\n  f(k: number) {\n    return this.items.filter((x) => x === k).length;\n  }\n  fast(k: number) {\n    let n = 0;\n    for (const x of this.items) if (x === k) n++;\n    return n;\n  }\n}",
      [id("C.fast")],
      ["f(k: number) {\n    return C.prototype.fast.call(this, k);\n  }"],
      "C.f",
    ],
    [
      "a private method of the same class",
      "class C { items: number[] = []; f() { return this.items.length; } #count() { return this.items.length; } }",
      [id("C.#count")],
      ["f() { return this.#count(); }"],
      "C.f",
    ],
    [
      "a member of an object literal, with a directive kept",
      "const sorts = { quick(xs: number[]) { return xs.slice().sort(); } };\nfunction f(xs: number[]) {\n  'use strict';\n  return xs.slice().sort();\n}",
      [id("sorts.quick")],
      ["function f(xs: number[]) {\n  'use strict';\n  return sorts.quick(xs);\n}"],
    ],
    [
      "a static method that reads `this`, and a static alternative of its class that may too: the receiver is handed on",
      "class C {\n  static base = 1;\n  static f(n: number) { return this.base + n; }\n  static fast(n: number) { return n + this.base; }\n}",
      [id("C.fast")],
      ["static f(n: number) { return C.fast.call(this, n); }"],
      "C.f",
    ],
    [
      "an object method that reads `this`, and a member of the same object",
      "const o = {\n  base: 1,\n  f(n: number) { return this.base + n; },\n  g(n: number) { return n + this.base; },\n};",
      [id("o.g")],
      ["f(n: number) { return o.g.call(this, n); }"],
      "o.f",
    ],
    [
      "an instance method of a class in a const, `.mjs` and `.mts`",
      'import { other } from "./other.mjs";\nexport const C = class {\n  f(k: number) { return k * 1; }\n  g(k: number) { return k; }\n};',
      [id("other", "src/other.mts"), id("C.g")],
      ["f(k: number) { return other(k); }", "f(k: number) { return C.prototype.g.call(this, k); }"],
      "C.f",
    ],
    [
      "a plain name imported by that name",
      'import { g } from "./g.js";\nfunction f(xs: number[]) { return xs.length; }',
      ["g"],
      ["function f(xs: number[]) { return g(xs); }"],
    ],
    [
      "a plain name (a selector as written) declared in the file",
      "function g(xs: number[]) { return xs.length; }\nfunction f(xs: number[]) { return xs.filter(() => true).length; }",
      ["g"],
      ["function f(xs: number[]) { return g(xs); }"],
    ],
  ];
  for (const [title, code, algorithm, expected, name] of cases) it(title, () => expectSwaps(code, algorithm, expected, name));
});

describe("algorithm_swap: does not apply", () => {
  const cases: [title: string, code: string, algorithm: string[], reason: RegExp, name?: string][] = [
    ["an alternative neither declared nor imported", "export function f(xs: number[]) { return xs; }", [id("sortB", "src/x.ts")], /`sortB` is not in scope in src\/m\.ts: import it so algorithm_swap can call it/],
    ["imported from another module than the alternative's", 'import { sortB } from "./other.js";\nexport function f(xs: number[]) { return xs; }', [id("sortB", "src/x.ts")], /`sortB` is not in scope in src\/m\.ts/],
    ["a type-only import", 'import type { sortB } from "./x.js";\nexport function f(xs: number[]) { return xs; }', [id("sortB", "src/x.ts")], /not in scope/],
    ["a default import", 'import sortB from "./x.js";\nexport function f(xs: number[]) { return xs; }', [id("sortB", "src/x.ts")], /imported as a default export/],
    ["a member of an imported class", 'import { Sorters } from "./x.js";\nexport function f(xs: number[]) { return xs; }', [id("Sorters.quick", "src/x.ts")], /cannot see whether it can be called as `Sorters\.quick\(…\)`/],
    ["the only alternative is the node itself", "function f(xs: number[]) { return xs; }", [id("f")], /the only alternative listed is the node itself/],
    ["no alternatives", "function f(xs: number[]) { return xs; }", [], /lists no `algorithm:` alternatives/],
    ["a parameter hides the alternative", "function g(x: number) { return x; }\nfunction f(g: number) { return g; }", [id("g")], /the parameter `g` hides `src\/m\.ts#g`/],
    ["a destructured parameter of an arrow", "function g(p: { x: number }) { return p.x; }\nconst f = ({ x }: { x: number }) => x;", [id("g")], /destructured and an arrow function has no `arguments`/],
    ["the node reads `arguments`", "function g(a: number) { return a; }\nfunction f(a: number) { return arguments.length > 1 ? 0 : a; }", [id("g")], /reads `arguments`/],
    ["a getter", "function g() { return 1; }\nclass C { get f() { return 1; } }", [id("g")], /a getter/, "C.f"],
    ["an instance method of another class", "class D { fast() { return 1; } }\nclass C { f() { return 1; } }", [id("D.fast")], /needs a receiver of class `D`, and this node is not a method of that class/, "C.f"],
    ["a node reading `this`, an alternative of another object that may read its own", "const o = { base: 1, g(n: number) { return this.base + n; } };\nclass C { base = 1; f(n: number) { return this.base + n; } }", [id("o.g")], /would run on `o` instead of the node's receiver/, "C.f"],
    ["an arrow reading the `this` around it", "class C { static base = 1; static f = (n: number) => this.base + n; }\nfunction g(n: number) { return n + 1; }", [id("g")], /reads the `this` around it/, "C.f"],
  ];
  for (const [title, code, algorithm, reason, name] of cases) it(title, () => expectNoSwap(code, algorithm, reason, name));
});

describe("algorithm_swap: variants type-check", () => {
  it("under strict options: receivers, `arguments[i]`, generators, async", () => {
    const sources: [code: string, algorithm: string[], name: string][] = [
      ["export class C {\n  items: number[] = [];\n  f(k: number): number {\n    return this.items.filter((x) => x === k).length;\n  }\n  fast(k: number): number {\n    let n = 0;\n    for (const x of this.items) if (x === k) n++;\n    return n;\n  }\n}", [id("C.fast")], "C.f"],
      ["function g(this: C, n: number) { return this.base + n; }\nexport class C { base = 1; f(n: number) { return this.base + n; } }", [id("g")], "C.f"],
      ["function g(p: { x: number; y: number }) { return p.x + p.y; }\nexport function f({ x, y }: { x: number; y: number }) { return y + x; }", [id("g")], "f"],
      ["function* g(n: number) { for (let i = 0; i < n; i++) yield i; }\nexport function* f(n: number) {\n  let i = 0;\n  while (i < n) yield i++;\n}", [id("g")], "f"],
      ["async function g(n: number) { return n * 2; }\nexport async function f(n: number) { await null; return n + n; }", [id("g")], "f"],
      ["function g(a: number, b = 1, ...rest: number[]) { return a + b + rest.length; }\nexport function f(a: number, b = 1, ...rest: number[]) { return a + b + rest.length; }", [id("g")], "f"],
      ["export class S {\n  static base = 1;\n  static f(n: number) { return this.base + n; }\n  static fast(n: number) { return n + this.base; }\n}", [id("S.fast")], "S.f"],
    ];
    const files = new Map(
      sources.map(([code, algorithm, name], i) => {
        const [variant] = run(code, algorithm, name).variants;
        return [`/virtual/v${i}.ts`, variant!.source];
      }),
    );
    expect(typeErrors(files)).toEqual([]);
  });
});

/** TypeScript's errors for in-memory modules (libraries from the installed compiler). */
function typeErrors(files: ReadonlyMap<string, string>): string[] {
  const options: ts.CompilerOptions = { strict: true, noUncheckedIndexedAccess: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, lib: ["lib.es2023.d.ts"], noEmit: true, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => (files.has(name) ? ts.createSourceFile(name, files.get(name)!, version) : read(name, version));
  host.fileExists = (name) => files.has(name) || ts.sys.fileExists(name);
  const program = ts.createProgram([...files.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

describe("algorithm_swap: in the engine", () => {
  it("is registered, and not applied only by name", () => {
    expect(operators).toContain(algorithmSwap);
    expect(algorithmSwap.byNameOnly).toBe(false);
    expect(algorithmSwap.risk).toBeGreaterThan(0);
  });
});

/** Transpiles a module and runs it (strict, as a module is) in a fresh context, returning the named functions. */
function load(code: string, names: string[]): Record<string, (...args: unknown[]) => unknown> {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, alwaysStrict: true } }).outputText;
  const exports: Record<string, unknown> = {};
  vm.runInNewContext(`${js}\n${names.map((n) => `exports.${n} = ${n};`).join("\n")}`, { exports, require: () => ({}) });
  return exports as Record<string, (...args: unknown[]) => unknown>;
}

describe("algorithm_swap: the variant runs the alternative with what the node received", () => {
  it("defaults, omitted and extra arguments, rest and receiver", () => {
    const code =
      "function g(this: unknown, a: number, b = 5, ...rest: number[]) { return [this, a, b, rest, arguments.length]; }\n" +
      "function f(this: unknown, a: number, b = 5, ...rest: number[]) { return [this, a, b, rest, 1 + rest.length + 1]; }";
    const [variant] = run(code, [id("g")]).variants;
    const original = load(code, ["f"]).f!;
    const swapped = load(variant!.source, ["f"]).f!;
    const receiver = { r: 1 };
    // Omitted b: the node's default reaches the alternative as a value.
    expect(swapped.call(receiver, 1)).toEqual([receiver, 1, 5, [], 2]);
    expect(original.call(receiver, 1)).toEqual([receiver, 1, 5, [], 2]);
    expect(swapped.call(undefined, 1, 2, 3, 4)).toEqual([undefined, 1, 2, [3, 4], 4]);
  });
});
