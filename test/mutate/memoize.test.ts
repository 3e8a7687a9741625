import vm from "node:vm";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { allowedOperators, generateVariants } from "../../src/mutate/engine.js";
import { memoize } from "../../src/mutate/operators/memoize.js";
import { operators } from "../../src/mutate/operators/index.js";
import { expectNoVariant, expectVariants } from "./helpers.js";

/** The cache's code the variant puts at the top of the body (`T`: the return type as written, or none). */
function prelude(holder: string, params: string[], returns: string | undefined, indent: string): string {
  const stored = returns ?? "unknown";
  const key =
    params.length === 1
      ? [`const memoKey = memoPart(${params[0]});`]
      : [`const memoParts = [${params.map((p) => `memoPart(${p})`).join(", ")}];`, 'const memoKey = memoParts.includes(undefined) ? undefined : memoParts.join("");'];
  const lines = [
    `const memo = ((${holder} as unknown as Record<symbol, { map: Map<string, ${stored}>; weight: number } | undefined>)[Symbol.for("cdlc.memoize")] ??= { map: new Map(), weight: 0 });`,
    "const memoPart = (value: unknown): string | undefined =>",
    '  (typeof value === "object" && value !== null) || typeof value === "function" || typeof value === "symbol"',
    "    ? undefined",
    '    : typeof value === "string" ? `string:${value.length}:${value};` : `${typeof value}:${Object.is(value, -0) ? "-0" : String(value)};`;',
    ...key,
    `if (memoKey !== undefined && memo.map.has(memoKey)) return memo.map.get(memoKey) as ${returns ?? "never"};`,
    returns !== undefined ? `const remember = (value: ${returns}): ${returns} => {` : "const remember = <V,>(value: V): V => {",
    "  const kept: unknown = value;",
    '  const weight = (memoKey?.length ?? 0) + (typeof kept === "string" ? kept.length : 8);',
    "  if (memoKey !== undefined && weight <= 65536 && memoPart(kept) !== undefined) {",
    "    if (memo.map.size >= 10000 || memo.weight + weight > 4194304) {",
    "      memo.map.clear();",
    "      memo.weight = 0;",
    "    }",
    "    memo.map.set(memoKey, value);",
    "    memo.weight += weight;",
    "  }",
    "  return value;",
    "};",
  ];
  return lines.map((l) => indent + l).join("\n");
}

const fib = "export function fib(n: number): number {\n  if (n < 2) return n;\n  return fib(n - 1) + fib(n - 2);\n}\n";

describe("memoize: applies", () => {
  it("a recursive function declaration: the whole variant, as written", () =>
    expectVariants(
      memoize,
      fib,
      [
        `function fib(n: number): number {
  const memo = ((fib as unknown as Record<symbol, { map: Map<string, number>; weight: number } | undefined>)[Symbol.for("cdlc.memoize")] ??= { map: new Map(), weight: 0 });
  const memoPart = (value: unknown): string | undefined =>
    (typeof value === "object" && value !== null) || typeof value === "function" || typeof value === "symbol"
      ? undefined
      : typeof value === "string" ? \`string:\${value.length}:\${value};\` : \`\${typeof value}:\${Object.is(value, -0) ? "-0" : String(value)};\`;
  const memoKey = memoPart(n);
  if (memoKey !== undefined && memo.map.has(memoKey)) return memo.map.get(memoKey) as number;
  const remember = (value: number): number => {
    const kept: unknown = value;
    const weight = (memoKey?.length ?? 0) + (typeof kept === "string" ? kept.length : 8);
    if (memoKey !== undefined && weight <= 65536 && memoPart(kept) !== undefined) {
      if (memo.map.size >= 10000 || memo.weight + weight > 4194304) {
        memo.map.clear();
        memo.weight = 0;
      }
      memo.map.set(memoKey, value);
      memo.weight += weight;
    }
    return value;
  };
  if (n < 2) return remember(n);
  return remember(fib(n - 1) + fib(n - 2));
}`,
      ],
      "fib",
    ));

  const cases: [title: string, code: string, expected: string, name?: string][] = [
    [
      "an arrow in a const with two parameters: a composite key, the expression body opened into a block",
      "export const f = (a: string, b: string): number => a.length * 10 + b.length;",
      `(a: string, b: string): number => {\n${prelude("f", ["a", "b"], "number", "  ")}\n  return remember(a.length * 10 + b.length);\n}`,
    ],
    [
      "no return type, every result provably primitive; a one-line body opens into lines",
      "function f(a: number, s: string) { if (a > 0) return s.length + a; return `${s}!`.toUpperCase(); }",
      `function f(a: number, s: string) {\n${prelude("f", ["a", "s"], undefined, "  ")}\n  if (a > 0) return remember(s.length + a); return remember(\`\${s}!\`.toUpperCase());\n}`,
    ],
    [
      "a static method calling a pure static method of its class",
      "class C {\n  static f(a: number): number {\n    return C.twice(a) + 1;\n  }\n  static twice(a: number) { return a * 2; }\n}",
      `static f(a: number): number {\n${prelude("C.f", ["a"], "number", "    ")}\n    return remember(C.twice(a) + 1);\n  }`,
      "C.f",
    ],
    [
      "a static arrow field, and a private static method",
      "class C {\n  static f = (a: number): number => C.#g(a) * 2;\n  static #g(a: number): number {\n    return a + 1;\n  }\n}",
      `(a: number): number => {\n${prelude("C.f", ["a"], "number", "    ")}\n    return remember(C.#g(a) * 2);\n  }`,
      "C.f",
    ],
    [
      "literal unions, an alias, an enum and an optional parameter; a module lookup table and constant",
      "type Unit = 'ms' | 's';\nenum Scale { Small = 1, Big = 1000 }\nconst FACTORS = { ms: 1, s: 1000 };\nconst OFFSET = 2 ** 3;\nfunction f(value: number | bigint, unit: Unit, scale?: Scale): number {\n  return Number(value) * FACTORS[unit] * (scale ?? Scale.Small) + OFFSET;\n}",
      `function f(value: number | bigint, unit: Unit, scale?: Scale): number {\n${prelude("f", ["value", "unit", "scale"], "number", "  ")}\n  return remember(Number(value) * FACTORS[unit] * (scale ?? Scale.Small) + OFFSET);\n}`,
    ],
    [
      "`keyof typeof` a table, through an alias (types do not count as uses of the table)",
      "const FACTORS = { ms: 1, s: 1000 };\ntype Unit = keyof typeof FACTORS;\nconst f = (v: number, u: Unit): number => v * FACTORS[u];",
      `(v: number, u: Unit): number => {\n${prelude("f", ["v", "u"], "number", "  ")}\n  return remember(v * FACTORS[u]);\n}`,
    ],
    [
      "its own arrays written in loops, a pure helper in a const, Math and string methods (edit distance)",
      "const cost = (x: string, y: string) => (x === y ? 0 : 1);\nfunction f(a: string, b: string): number {\n  const row: number[] = [];\n  for (let j = 0; j <= b.length; j++) row.push(j);\n  for (let i = 1; i <= a.length; i++) {\n    let prev = row[0]!;\n    row[0] = i;\n    for (let j = 1; j <= b.length; j++) {\n      const old = row[j]!;\n      row[j] = Math.min(old + 1, row[j - 1]! + 1, prev + cost(a.charAt(i - 1), b.charAt(j - 1)));\n      prev = old;\n    }\n  }\n  return row[b.length]!;\n}",
      `function f(a: string, b: string): number {\n${prelude("f", ["a", "b"], "number", "  ")}\n  const row: number[] = [];\n  for (let j = 0; j <= b.length; j++) row.push(j);\n  for (let i = 1; i <= a.length; i++) {\n    let prev = row[0]!;\n    row[0] = i;\n    for (let j = 1; j <= b.length; j++) {\n      const old = row[j]!;\n      row[j] = Math.min(old + 1, row[j - 1]! + 1, prev + cost(a.charAt(i - 1), b.charAt(j - 1)));\n      prev = old;\n    }\n  }\n  return remember(row[b.length]!);\n}`,
    ],
    [
      "a named function expression keeps the cache on its own name; returns in nested functions untouched",
      "const f = function g(n: number): string {\n  const parts = [n, n + 1].map((x) => { return String(x); });\n  return parts.join(',');\n};",
      `function g(n: number): string {\n${prelude("g", ["n"], "string", "  ")}\n  const parts = [n, n + 1].map((x) => { return String(x); });\n  return remember(parts.join(','));\n}`,
    ],
    [
      "a directive stays first; a frozen exported table may be read",
      'export const NAMES = Object.freeze(["zero", "one"]);\nfunction f(i: 0 | 1): string {\n  "use strict";\n  return NAMES[i]!;\n}',
      `function f(i: 0 | 1): string {\n  "use strict";\n${prelude("f", ["i"], "string", "  ")}\n  return remember(NAMES[i]!);\n}`,
    ],
  ];
  for (const [title, code, expected, name] of cases) it(title, () => expectVariants(memoize, code, [expected], name));
});

describe("memoize: does not apply", () => {
  const cases: [title: string, code: string, reason: RegExp, name?: string][] = [
    ["a write outside the function", "let count = 0;\nfunction f(a: number): number { count++; return a; }", /not pure: it writes `count`, which is declared outside the function \(line 2\)/],
    ["a read of a module-level let", "let rate = 2;\nfunction f(a: number): number { return a * rate; }", /it reads `rate`, a module-level `let`: it can change between calls/],
    ["a read of a module-level var", "var rate = 2;\nfunction f(a: number): number { return a * rate; }", /a module-level `var`/],
    ["`this` in a static method", "class C { static k = 2; static f(a: number): number { return a * this.k; } }", /it uses `this`/, "C.f"],
    ["an instance method", "class C { f(a: number): number { return a; } }", /an instance method has a receiver/, "C.f"],
    ["a static getter", "class C { static get f(): number { return 1; } }", /a static getter/, "C.f"],
    ["a class method reading a static field", "class C { static k = 2; static f(a: number): number { return a * C.k; } }", /it uses the class `C` other than by calling a static method/, "C.f"],
    ["an object-literal method", "const o = { f(a: number): number { return a; } };", /an object-literal method has a receiver/, "o.f"],
    ["an object returned (annotated)", "function f(a: number): { v: number } { return { v: a }; }", /returns `\{ v: number \}`, not a primitive: every caller would get the same cached object/],
    ["an array returned (unannotated)", "function f(a: number) { return [a]; }", /`\[a\]` \(line 1\) is not provably a primitive and the function has no return type/],
    ["an unannotated parameter", "function f(a): number { return a; }", /`a` has no type annotation: memoize needs primitive arguments/],
    ["an object parameter", "function f(a: number[]): number { return a.length; }", /`a` is `number\[\]`, not a primitive type/],
    ["an alias of an object type", "type P = { x: number };\nfunction f(p: P): number { return p.x; }", /`p` is `P`, not a primitive type/],
    ["a default", "function f(a: number, b: number = 1): number { return a + b; }", /the parameter `b: number = 1` has a default: memoize keys on plain parameters only/],
    ["a rest parameter", "function f(...a: number[]): number { return a.length; }", /is a rest parameter/],
    ["an async function", "async function f(a: number): Promise<number> { return a; }", /^it is async: the cache would hand every caller the same promise$/],
    ["an async function without a return type", "async function f(a: number) { return a; }", /it is async: the cache would hand every caller the same promise/],
    ["a generator", "function* f(a: number) { yield a; }", /it is a generator: each call must make a new iterator/],
    ["Math.random", "function f(a: number): number { return a * Math.random(); }", /it calls `Math\.random\(\)`: not deterministic/],
    ["Date", "function f(a: number): number { return a + Date.now(); }", /it uses `Date`: the clock is not an argument/],
    ["I/O", "function f(a: number): number { console.log(a); return a; }", /it uses `console\.log`, which cdlc does not know to be pure/],
    ["a call to an impure helper", "const log: number[] = [];\nfunction helper(x: number) { log.push(x); return x; }\nfunction f(a: number): number { return helper(a) + 1; }", /it uses `helper` \(line 3\), which is not pure: it (calls `log\.push`|reads `log`)/],
    ["an imported helper", 'import { helper } from "./h.js";\nfunction f(a: number): number { return helper(a); }', /`helper`, which is imported: cdlc cannot see that it is pure/],
    ["a table the module changes elsewhere", "const T = { a: 1 };\nexport function set(v: number) { T.a = v; }\nfunction f(k: 'a'): number { return T[k]; }", /it reads `T`, which the module can change/],
    ["an exported table", "export const T = { a: 1 };\nfunction f(k: 'a'): number { return T[k]; }", /it reads `T`, which the module can change/],
    ["a table pushed to", "const XS = [1, 2];\nfunction f(a: number): number { XS.push(a); return XS.length; }", /XS/],
    ["a write into an object it did not create", "function f(a: number): number { const o = { v: 1 }; const alias = o; alias.v = a; return o.v; }", /it writes `alias\.v`: cdlc follows writes only into arrays and objects the function itself creates/],
    ["a nested write", "function f(n: number): number { const g: number[][] = [[0]]; g[0]![0] = n; return g[0]![0]!; }", /one level deep/],
    ["`arguments`", "function f(a: number): number { return arguments.length + a; }", /it reads `arguments`/],
    ["no parameters", "function f(): number { return 42; }", /it takes no arguments/],
    ["a reassigned function", "function f(a: number): number { return a; }\nexport function reset() { f = (a: number) => a + 1; }", /the module reassigns `f`/],
    ["a global the cache needs is hidden", "function f(a: number, Map: number): number { return a + Map; }", /`Map` is declared in reach of the function/],
    ["helpers followed only four calls deep", "const h5 = (x: number) => x;\nconst h4 = (x: number) => h5(x);\nconst h3 = (x: number) => h4(x);\nconst h2 = (x: number) => h3(x);\nconst h1 = (x: number) => h2(x);\nfunction f(a: number): number { return h1(a); }", /more than 4 calls deep/],
  ];
  for (const [title, code, reason, name] of cases) it(title, () => expectNoVariant(memoize, code, reason, name));
});

describe("memoize: in the engine", () => {
  it("is registered, applied only when listed by name, with a higher risk than the exact operators", () => {
    expect(operators).toContain(memoize);
    expect(memoize.byNameOnly).toBe(true);
    expect(allowedOperators("all").map((o) => o.id)).not.toContain("memoize");
    expect(allowedOperators(["memoize"]).map((o) => o.id)).toEqual(["memoize"]);
    expect(memoize.risk).toBeGreaterThan(Math.max(...operators.filter((o) => o !== memoize && o.id !== "algorithm_swap").map((o) => o.risk)));
  });
});

/** The variant's file text, made by the engine. */
function variantOf(code: string, name = "f"): string {
  const result = generateVariants({ node: `src/m.ts#${name}`, file: "src/m.ts", qualifiedName: name, source: code, mutations: ["memoize"], algorithm: [] }, { operators: [memoize], depth: 1 });
  expect(result.notApplied).toEqual([]);
  expect(result.variants).toHaveLength(1);
  return result.variants[0]!.source;
}

/** Transpiles a module and runs it (strict, as a module is) in a fresh context; returns its function `name`. */
function load<F extends (...args: never[]) => unknown>(code: string, name = "f"): F {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, alwaysStrict: true } }).outputText;
  const sandbox = { exports: {} as Record<string, unknown>, require: () => ({}) };
  vm.runInNewContext(`${js}\nexports.__node = ${name};`, sandbox);
  return sandbox.exports.__node as F;
}

/** What a call returns (compared with Object.is), or the error it throws. */
function outcome(run: () => unknown): { value: unknown } | { threw: string } {
  try {
    return { value: run() };
  } catch (e) {
    return { threw: String(e) };
  }
}

describe("memoize: the variant behaves like the original", () => {
  const signOfZero = "function f(a: number): string {\n  return Object.is(a, -0) ? 'minus zero' : a === 0 ? 'zero' : String(a);\n}";

  it.each([
    ["0 first", [0, -0, -0, 0, NaN, NaN]],
    ["-0 first", [-0, 0, 0, -0, NaN, -NaN]],
  ])("keeps -0 and 0 apart (%s), as a Map keyed by the number would not", (_title, inputs) => {
    const original = load<(a: number) => string>(signOfZero);
    const variant = load<(a: number) => string>(variantOf(signOfZero));
    const results = inputs.map((x) => variant(x));
    expect(results).toEqual(inputs.map((x) => original(x)));
    expect(results.slice(0, 2)).toEqual(Object.is(inputs[0], -0) ? ["minus zero", "zero"] : ["zero", "minus zero"]);
  });

  it("keeps apart arguments a naive key would merge: joined strings, 1 / '1' / 1n / true, null / undefined", () => {
    const code = "function f(a: string | number | bigint | boolean | null | undefined, b: string): string {\n  return `${typeof a}|${String(a)}|${b.length}`;\n}";
    const original = load<(a: unknown, b: string) => string>(code);
    const variant = load<(a: unknown, b: string) => string>(variantOf(code));
    const calls: [unknown, string][] = [["a,b", "c"], ["a", "b,c"], ["a;", "b"], ["a", ";b"], ["string:1:a;", ""], [1, "x"], ["1", "x"], [1n, "x"], [true, "x"], ["true", "x"], [null, "x"], [undefined, "x"], ["null", "x"], ["undefined", "x"], [-0, ""], [0, ""]];
    for (const [a, b] of [...calls, ...calls.reverse()]) expect(variant(a, b)).toBe(original(a, b));
  });

  it("agrees with the original on random call sequences over a pool of tricky primitives", () => {
    const code = "function f(a: number | string | bigint | boolean | null | undefined, b: number): string {\n  return `${typeof a}:${Object.is(a, -0) ? '-0' : String(a)}:${Object.is(b, -0) ? '-0' : String(b)}`;\n}";
    const original = load<(a: unknown, b: number) => string>(code);
    const variant = load<(a: unknown, b: number) => string>(variantOf(code));
    const pool = fc.constantFrom<unknown>(0, -0, NaN, Infinity, -Infinity, 1, 1n, "", "0", "-0", "number:0;", true, "true", null, undefined, "undefined");
    fc.assert(
      fc.property(fc.array(fc.tuple(pool, fc.constantFrom(0, -0, 1, NaN)), { maxLength: 30 }), (calls) => {
        // Each sequence starts from an empty cache.
        delete (variant as unknown as Record<symbol, unknown>)[Symbol.for("cdlc.memoize")];
        for (const [a, b] of calls) expect(variant(a, b)).toBe(original(a, b));
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it("makes exponential recursion linear, with the same results", () => {
    const variant = load<(n: number) => number>(variantOf(fib, "fib"), "fib");
    const original = load<(n: number) => number>(fib, "fib");
    expect([0, 1, 2, 10, 20].map((n) => variant(n))).toEqual([0, 1, 1, 55, 6765].map((_, i) => original([0, 1, 2, 10, 20][i]!)));
    expect(variant(90)).toBe(2880067194370816000); // the original would take centuries
  });

  it("does not cache arguments that are not primitives at run time (the types were wrong)", () => {
    const code = "function f(a: number): number { return (a as unknown as { n: number }).n ?? a; }";
    const original = load<(a: unknown) => unknown>(code);
    const variant = load<(a: unknown) => unknown>(variantOf(code));
    const box = { n: 1 };
    expect(variant(box)).toBe(1);
    box.n = 2;
    expect(variant(box)).toBe(original(box));
    expect(variant(box)).toBe(2);
  });

  it("does not keep a result that is not a primitive at run time (a return type wrong through `any`)", () => {
    const code = "function f(s: string): number { return JSON.parse(s); }";
    const variant = load<(s: string) => unknown>(variantOf(code));
    const first = variant('{"n":1}');
    expect(variant('{"n":1}')).not.toBe(first);
    expect(variant("7")).toBe(7);
    expect((variant as unknown as Record<symbol, { map: Map<string, unknown> }>)[Symbol.for("cdlc.memoize")]!.map.size).toBe(1);
  });

  it("does not cache a throw: the next call runs (and throws) again", () => {
    const code = "function f(a: number): number { if (a < 0) throw new RangeError(`negative: ${a}`); return Math.sqrt(a); }";
    const original = load<(a: number) => number>(code);
    const variant = load<(a: number) => number>(variantOf(code));
    for (const a of [-1, -1, 4, 4, -0]) expect(outcome(() => variant(a))).toEqual(outcome(() => original(a)));
  });

  it("keeps memory bounded: 10,000 entries at most, and nothing heavier than 64 Ki characters", () => {
    const code = "function f(a: number | string): string { return String(a).slice(0, 3); }";
    const variant = load<(a: number | string) => string>(variantOf(code));
    const cache = () => (variant as unknown as Record<symbol, { map: Map<string, unknown>; weight: number }>)[Symbol.for("cdlc.memoize")]!;
    const wrong = Array.from({ length: 25_000 }, (_, i) => i).filter((i) => variant(i) !== String(i).slice(0, 3));
    expect(wrong).toEqual([]);
    expect(cache().map.size).toBeGreaterThan(0);
    expect(cache().map.size).toBeLessThanOrEqual(10_000);
    const before = cache().map.size;
    expect(variant("x".repeat(70_000))).toBe("xxx");
    expect(cache().map.size).toBe(before);
    for (let i = 0; i < 100; i++) variant(`${i}`.padEnd(60_000, "y"));
    expect(cache().weight).toBeLessThanOrEqual(4_194_304);
  });
});

describe("memoize: variants type-check", () => {
  it("under strict options, with and without a return type", () => {
    const sources = [
      fib,
      "export const f = (a: string, b: string): number => a.length * 10 + b.length;",
      "export function f(a: number, s: string) { if (a > 0) return s.length + a; return `${s}!`.toUpperCase(); }\nexport const n: string | number = f(1, 'x');",
      "export class C {\n  static f(a: number): number {\n    return C.twice(a) + 1;\n  }\n  static twice(a: number) { return a * 2; }\n}",
      "export class C {\n  static f(a: number): number {\n    return C.#g(a) * 2;\n  }\n  static #g(a: number): number {\n    return a + 1;\n  }\n}",
      "type Unit = 'ms' | 's';\nexport enum Scale { Small = 1, Big = 1000 }\nconst FACTORS = { ms: 1, s: 1000 };\nexport function f(value: number | bigint, unit: Unit, scale?: Scale): number {\n  return Number(value) * FACTORS[unit] * (scale ?? Scale.Small);\n}",
    ];
    const files = new Map(sources.map((code, i) => [`/virtual/v${i}.ts`, variantOf(code, code.includes("fib") ? "fib" : code.includes("class C") ? "C.f" : "f")]));
    expect(files.size).toBe(sources.length);
    expect(typeErrors(files)).toEqual([]);
  });
});

/** TypeScript's errors for in-memory modules (libraries from the installed compiler). */
function typeErrors(files: ReadonlyMap<string, string>): string[] {
  const options: ts.CompilerOptions = { strict: true, noUncheckedIndexedAccess: true, noUnusedLocals: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, lib: ["lib.es2023.d.ts"], noEmit: true, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => (files.has(name) ? ts.createSourceFile(name, files.get(name)!, version) : read(name, version));
  host.fileExists = (name) => files.has(name) || ts.sys.fileExists(name);
  const program = ts.createProgram([...files.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}
