import vm from "node:vm";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { instrumentSource } from "../../src/record/instrument-source.js";

/**
 * The recorder's instrumenter must be invisible to the program: every form
 * of function people write is instrumented as TypeScript and as the
 * JavaScript tsc emits from it, then the original and the instrumented
 * module are both run (in a fresh `node:vm` context each) and must return
 * the same, throw the same error objects and see the same `this` and
 * `arguments` — with a recorder present, and with none. A fake recorder logs
 * what the instrumented code calls, so the enter/leave pairs can be checked.
 */

// A module's exports, as the drivers below use them: loosely typed on purpose (they call into another realm).
type Module = Record<string, any>;

type Event =
  | { op: "e"; node: number; token: number; args?: unknown[] | null; receiver?: unknown; passed: number }
  | { op: "x"; node: number }
  | { op: "l"; node: number; token: number };

/** A recorder that logs every call the instrumented code makes; each entered call gets a token of its own. */
function fakeRecorder(): { log: Event[]; recorder: object } {
  const log: Event[] = [];
  let next = 0;
  const recorder = {
    e(node: number, ...rest: unknown[]) {
      const token = next++;
      const [args, receiver] = rest as [ArrayLike<unknown> | null | undefined, unknown];
      log.push({ op: "e", node, token, passed: rest.length, ...(rest.length > 0 ? { args: args == null ? null : Array.from(args), receiver } : {}) });
      return token;
    },
    x(node: number) {
      log.push({ op: "x", node });
    },
    l(node: number, token: number) {
      log.push({ op: "l", node, token });
    },
    // As the real recorder: a returned promise ends the call when it settles.
    a(node: number, token: number, promise: Promise<unknown>) {
      promise.then(
        () => recorder.l(node, token),
        () => {
          recorder.x(node);
          recorder.l(node, token);
        },
      );
      return promise;
    },
  };
  return { log, recorder };
}

/** Runs CommonJS text as Node does (a function of exports, require, module), in a fresh context; returns its exports. */
function load(js: string, recorder?: object): Module {
  const context = vm.createContext(recorder === undefined ? {} : { __cdlcRecorder: recorder });
  const module = { exports: {} as Module };
  const body = vm.compileFunction(js, ["exports", "require", "module"], { parsingContext: context });
  body.call(module.exports, module.exports, () => ({}), module);
  return module.exports;
}

const toCommonJs = (code: string, fileName = "module.ts"): string =>
  ts.transpileModule(code, { fileName, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.React } }).outputText;
const toEsModule = (code: string, fileName = "module.ts"): string =>
  ts.transpileModule(code, { fileName, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.React } }).outputText;

const lines = (code: string): number => code.split("\n").length;

/**
 * One form of a module, as it is instrumented (`code`, parsed as TypeScript or not),
 * and how the instrumented text becomes something `load` runs.
 */
interface Form {
  name: string;
  code: string;
  typescript: boolean;
  jsx?: boolean;
  runnable: (code: string) => string;
}

interface Case {
  form: string;
  /** A TypeScript module; also instrumented as tsc's CommonJS and ES module output of it. */
  ts?: string;
  tsx?: boolean;
  /** Hand-written CommonJS JavaScript, run as it is. */
  js?: string;
  /** Watched nodes by qualified name; node i is plan index i. */
  nodes: string[];
  /** Uses the module and returns what was observed (plain data, made in this realm). */
  run: (m: Module) => unknown;
  /** Calls the fake recorder must see entered, and errors, per node. */
  calls: number[];
  errors?: number[];
  /** Async bodies: calls may overlap, so enter/leave pairs need not nest. */
  async?: boolean;
  /** Forms left out of the table (each is tested on its own below, with the reason). */
  notIn?: string[];
}

function formsOf(c: Case): Form[] {
  const forms: Form[] = [];
  const fileName = c.tsx === true ? "module.tsx" : "module.ts";
  if (c.ts !== undefined) {
    forms.push({ name: "TypeScript", code: c.ts, typescript: true, jsx: c.tsx === true, runnable: (code) => toCommonJs(code, fileName) });
    forms.push({ name: "tsc CommonJS output", code: toCommonJs(c.ts, fileName), typescript: false, runnable: (code) => code });
    forms.push({ name: "tsc ES module output", code: toEsModule(c.ts, fileName), typescript: false, runnable: (code) => toCommonJs(code, "module.js") });
  }
  if (c.js !== undefined) forms.push({ name: "JavaScript", code: c.js, typescript: false, runnable: (code) => code });
  return forms.filter((f) => !(c.notIn ?? []).includes(f.name));
}

/** What a call returned or threw; `given` says whether the thrown value is the very object passed in. */
function attempt(run: () => unknown, given?: unknown): unknown {
  try {
    return { value: run() };
  } catch (e) {
    return { threw: String(e), given: e === given };
  }
}

async function attemptAsync(run: () => unknown, given?: unknown): Promise<unknown> {
  try {
    return { value: await run() };
  } catch (e) {
    return { threw: String(e), given: e === given };
  }
}

/**
 * Every entered call is left exactly once, with its own token; an `x` is
 * followed at once by the `l` of the same node; for synchronous code the
 * pairs nest like the calls do.
 */
function expectWellFormed(log: Event[], nested: boolean): void {
  const open = new Map<number, number>();
  const stack: number[] = [];
  log.forEach((event, i) => {
    if (event.op === "e") {
      open.set(event.token, event.node);
      stack.push(event.token);
    } else if (event.op === "x") {
      const following = log[i + 1];
      expect(following).toMatchObject({ op: "l", node: event.node });
    } else {
      expect(open.get(event.token)).toBe(event.node);
      open.delete(event.token);
      if (nested) expect(stack.pop()).toBe(event.token);
    }
  });
  expect([...open.keys()]).toEqual([]);
}

const count = (log: Event[], op: "e" | "x", nodes: number): number[] => Array.from({ length: nodes }, (_, n) => log.filter((e) => e.op === op && e.node === n).length);

const cases: Case[] = [
  {
    form: "function declaration (not exported)",
    ts: `function area(w: number, h: number = w): number {
  if (w < 0) throw new RangeError(\`negative width \${w}\`);
  return w * h + arguments.length / 10;
}
export const api = { area };
`,
    nodes: ["area"],
    run: (m) => [attempt(() => m.api.area(2, 3)), attempt(() => m.api.area(4)), attempt(() => m.api.area(-1))],
    calls: [3],
    errors: [1],
  },
  {
    form: "exported function, rethrowing the very error object",
    ts: `export function check(value: unknown, error: Error): unknown {
  if (value === undefined) throw error;
  return value;
}
`,
    nodes: ["check"],
    run: (m) => {
      const boom = new TypeError("boom");
      return [attempt(() => m.check(1, boom)), attempt(() => m.check(undefined, boom), boom)];
    },
    calls: [2],
    errors: [1],
  },
  {
    form: "module strictness kept (the prologue goes after \"use strict\")",
    ts: `export function mode(this: unknown): string {
  return this === undefined ? "strict" : "sloppy";
}
`,
    nodes: ["mode"],
    run: (m) => {
      const mode = m.mode;
      return mode();
    },
    calls: [1],
  },
  {
    form: "CommonJS written by hand, \"use strict\" at the top",
    js: `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.whoAmI = whoAmI;
function whoAmI() {
  return this === undefined ? "strict" : "sloppy";
}
`,
    nodes: ["whoAmI"],
    run: (m) => {
      const whoAmI = m.whoAmI;
      return [whoAmI(), m.whoAmI() === "sloppy"];
    },
    calls: [2],
  },
  {
    form: "function with its own \"use strict\" directive in a sloppy script",
    js: `function strictThis() {
  "use strict";
  return this === undefined;
}
function sloppyThis() {
  return this === undefined;
}
module.exports = { strictThis, sloppyThis };
`,
    nodes: ["strictThis", "sloppyThis"],
    run: (m) => {
      const { strictThis, sloppyThis } = m;
      return [strictThis(), sloppyThis()];
    },
    calls: [1, 1],
  },
  {
    form: "arrow with an expression body",
    ts: `export const double = (x: number): number => x * 2;
export const fail = (error: Error) => { throw error; };
`,
    nodes: ["double", "fail"],
    run: (m) => {
      const error = new Error("from the arrow");
      return [attempt(() => m.double(21)), attempt(() => m.fail(error), error)];
    },
    calls: [1, 1],
    errors: [0, 1],
  },
  {
    form: "arrow returning an object literal",
    ts: `export const point = (x: number, y: number) => ({ x, y, sum: x + y });
`,
    nodes: ["point"],
    run: (m) => JSON.stringify(m.point(1, 2)),
    calls: [1],
  },
  {
    form: "async arrow with an expression body",
    ts: `export const later = async (x: number, failure?: Error) => failure ? Promise.reject(failure) : x + 1;
`,
    nodes: ["later"],
    run: async (m) => {
      const failure = new Error("rejected");
      return [await attemptAsync(() => m.later(1)), await attemptAsync(() => m.later(1, failure), failure)];
    },
    calls: [2],
    errors: [1],
    async: true,
  },
  {
    form: "async function with several returns (one a rejected promise)",
    ts: `export async function fetchValue(key: string, failure: Error): Promise<string> {
  const pad = (s: string): string => {
    return s.padStart(6, ".");
  };
  if (key === "") return Promise.reject(failure);
  if (key === "sync") return pad("plain");
  await null;
  if (key === "throw") throw failure;
  if (key === "late") return Promise.resolve(pad(key));
  return \`value \${key}\`;
}
`,
    nodes: ["fetchValue"],
    run: async (m) => {
      const failure = new Error("no such key");
      const out: unknown[] = [];
      for (const key of ["", "sync", "throw", "late", "k"]) out.push(await attemptAsync(() => m.fetchValue(key, failure), failure));
      return out;
    },
    calls: [5],
    errors: [2],
    async: true,
  },
  {
    form: "class method (this, default and rest parameters, arguments.length)",
    ts: `export class Counter {
  count = 0;
  seen: number[] = [];
  add(step = 1, ..._rest: number[]): this {
    this.count += step;
    this.seen.push(arguments.length);
    return this;
  }
}
`,
    nodes: ["Counter.add"],
    run: (m) => {
      const c = new m.Counter();
      const same = c.add() === c && c.add(2, 3, 4) === c;
      return [same, c.count, [...c.seen]];
    },
    calls: [2],
  },
  {
    form: "static method (this is the class it is called on)",
    ts: `export class Shape {
  constructor(readonly size: number) {}
  static make(size: number): Shape {
    if (size < 0) throw new RangeError("negative size");
    return new this(size);
  }
}
export class Square extends Shape {}
`,
    nodes: ["Shape.make"],
    run: (m) => [m.Square.make(2) instanceof m.Square, m.Shape.make(3).size, attempt(() => m.Shape.make(-1))],
    calls: [3],
    errors: [1],
  },
  {
    form: "static arrow field",
    ts: `export class Money {
  constructor(readonly cents: number) {}
  static of = (euros: number) => new Money(Math.round(euros * 100));
}
`,
    nodes: ["Money.of"],
    run: (m) => m.Money.of(1.5).cents,
    calls: [1],
  },
  {
    form: "getter",
    ts: `export class Cart {
  items: number[] = [];
  get total(): number {
    return this.items.reduce((a, b) => a + b, 0);
  }
}
`,
    nodes: ["Cart.total"],
    run: (m) => {
      const cart = new m.Cart();
      const empty = cart.total;
      cart.items.push(2, 3);
      return [empty, cart.total];
    },
    calls: [2],
  },
  {
    form: "private #method",
    ts: `export class Vault {
  #key = 3;
  #seal(value: number): number {
    if (value < 0) throw new RangeError("cannot seal a negative value");
    return value * this.#key;
  }
  seal(value: number): number {
    return this.#seal(value);
  }
}
`,
    nodes: ["Vault.#seal"],
    run: (m) => {
      const vault = new m.Vault();
      return [attempt(() => vault.seal(2)), attempt(() => vault.seal(-1))];
    },
    calls: [2],
    errors: [1],
  },
  {
    form: "constructor of a derived class (code before super, parameter properties, new.target)",
    ts: `class Base {
  constructor(readonly id: number) {}
}
export class Derived extends Base {
  label: string;
  made: string;
  constructor(id: number, readonly extra: string = "x") {
    if (id < 0) throw new RangeError("negative id");
    super(id * 2);
    this.label = \`\${this.id}:\${extra}:\${arguments.length}\`;
    this.made = new.target.name;
  }
}
export class Leaf extends Derived {}
`,
    nodes: ["Derived.constructor"],
    run: (m) => {
      const d = new m.Derived(2);
      const leaf = new m.Leaf(1, "y");
      return [d.id, d.extra, d.label, d.made, d instanceof m.Derived, leaf.made, leaf.label, attempt(() => new m.Derived(-1))];
    },
    calls: [3],
    errors: [1],
  },
  {
    form: "object-literal method and arrow property",
    ts: `export const ops = {
  factor: 3,
  scale(x: number): number {
    return x * this.factor;
  },
  negate: (x: number) => -x,
};
`,
    nodes: ["ops.scale", "ops.negate"],
    // tsc emits `exports.ops = {…}`: no binding named `ops` is left (see "known bugs").
    notIn: ["tsc CommonJS output"],
    run: (m) => [m.ops.scale(2), m.ops.negate(4), m.ops.scale.call({ factor: 10 }, 2)],
    calls: [2, 1],
  },
  {
    form: "module with a hashbang",
    ts: `#!/usr/bin/env node
export function main(argv: string[]): number {
  return argv.length;
}
`,
    nodes: ["main"],
    run: (m) => m.main(["a", "b"]),
    calls: [1],
  },
  {
    form: "overloads",
    ts: `export function pick(x: string): string;
export function pick(x: number): number;
export function pick(x: string | number): string | number {
  return typeof x === "string" ? x.toUpperCase() : x * 2;
}
`,
    nodes: ["pick"],
    run: (m) => [m.pick("a"), m.pick(2)],
    calls: [2],
  },
  {
    form: "default parameters containing =>",
    ts: `export const apply = (x: number, f: (n: number) => number = (n) => n + 1): number => f(x) * 2;
export const typed = (g: (x: number) => number) => g(1);
export function compose(f = (a: number) => a * 2, g = (b: number): number => b - 1) {
  return (x: number) => g(f(x));
}
`,
    nodes: ["apply", "typed", "compose"],
    run: (m) => [m.apply(3), m.apply(3, (n: number) => n * 10), m.typed((x: number) => x + 41), m.compose()(5)],
    calls: [2, 1, 1],
  },
  {
    form: "recursion",
    ts: `export function fact(n: number): number {
  return n <= 1 ? 1 : n * fact(n - 1);
}
`,
    nodes: ["fact"],
    run: (m) => [m.fact(5), m.fact(0)],
    calls: [6],
  },
  {
    form: "export default function and an async method",
    ts: `export default function twice(x: number): number {
  return 2 * x;
}
export class Store {
  data = new Map<string, number>([["a", 1]]);
  async get(key: string): Promise<number> {
    const v = this.data.get(key);
    if (v === undefined) throw new Error(\`no \${key}\`);
    return v;
  }
}
`,
    nodes: ["twice", "Store.get"],
    run: async (m) => {
      const store = new m.Store();
      return [m.default(4), await attemptAsync(() => store.get("a")), await attemptAsync(() => store.get("b"))];
    },
    calls: [1, 2],
    errors: [0, 1],
    async: true,
  },
  {
    form: "TSX generic arrow",
    tsx: true,
    ts: `export const first = <T,>(items: T[]): T | undefined => items[0];
`,
    nodes: ["first"],
    run: (m) => [m.first([7, 8]), m.first([]) === undefined],
    calls: [2],
  },
];

const rows = cases.flatMap((c) => formsOf(c).map((form) => ({ label: `${c.form} — ${form.name}`, c, form })));

describe("instrumentSource: every form keeps its behaviour", () => {
  it.each(rows.map((r) => [r.label, r] as const))("%s", async (_label, { c, form }) => {
    const indexes = c.nodes.map((_, i) => i);
    const original = await c.run(load(form.runnable(form.code)));
    for (const passArgs of [false, true]) {
      const out = instrumentSource(form.code, {
        nodes: c.nodes.map((qualifiedName, index) => ({ index, qualifiedName })),
        typescript: form.typescript,
        ...(form.jsx === true ? { jsx: true } : {}),
        ...(passArgs ? { passArgs: new Set(indexes) } : {}),
      });
      expect(out.skipped).toEqual([]);
      expect(out.instrumented).toEqual(indexes);
      // (a) no line is added: stack traces, source maps and coverage still point where they did.
      expect(lines(out.code)).toBe(lines(form.code));
      expect(out.code).not.toBe(form.code);
      const runnable = form.runnable(out.code);
      // (b, c) same observations, and the recorder saw every call and every error, paired.
      const { log, recorder } = fakeRecorder();
      expect(await c.run(load(runnable, recorder))).toEqual(original);
      expect(count(log, "e", c.nodes.length)).toEqual(c.calls);
      expect(count(log, "x", c.nodes.length)).toEqual(c.errors ?? c.calls.map(() => 0));
      expectWellFormed(log, c.async !== true);
      for (const event of log) if (event.op === "e") expect(event.passed > 0).toBe(passArgs);
      // (f) with no recorder installed the instrumented module runs as the original.
      expect(await c.run(load(runnable))).toEqual(original);
    }
  });
});

/** Instruments `code` (CommonJS JavaScript, or TypeScript) and checks that it still runs as the original did. */
async function expectSameBehaviour(code: string, nodes: string[], run: (m: Module) => unknown, typescript = false): Promise<Event[]> {
  const runnable = (text: string): string => (typescript ? toCommonJs(text) : text);
  const out = instrumentSource(code, { nodes: nodes.map((qualifiedName, index) => ({ index, qualifiedName })), typescript });
  expect(out.skipped).toEqual([]);
  expect(lines(out.code)).toBe(lines(code));
  const { log, recorder } = fakeRecorder();
  const original = await run(load(runnable(code)));
  expect(await run(load(runnable(out.code), recorder))).toEqual(original);
  return log;
}

describe("instrumentSource: what it leaves alone, and why", () => {
  it.each([
    ["a generator", "export function* ids(): Generator<number> {\n  yield 1;\n}\n", "ids", /a generator: its body runs after the call returns/],
    ["an async generator", "export async function* pages(): AsyncGenerator<number> {\n  yield 1;\n}\n", "pages", /a generator/],
    ["a missing name", "export function present(): number {\n  return 1;\n}\n", "absent", /no top-level function, class or variable named `absent`/],
    ["a function nested in another", "export function outer() {\n  function inner() { return 1; }\n  return inner();\n}\n", "inner", /no top-level .* named `inner`/],
    ["a missing method", "export class A {\n  m() { return 1; }\n}\n", "A.n", /class `A` has no method `n`/],
    ["an instance field", "export class A {\n  f = () => 1;\n}\n", "A.f", /an instance field: it exists only on instances/],
    ["a class itself", "export class A {}\n", "A", /a class is measured through its constructor/],
    ["a class without a constructor of its own", "export class A {}\n", "A.constructor", /the class has no constructor of its own/],
    ["a value that is not a function literal", "const make = () => () => 1;\nexport const f = make();\n", "f", /its initialiser is not a function literal/],
    ["a TypeScript namespace member", "export namespace NS {\n  export function f() { return 1; }\n}\n", "NS.f", /no top-level .* named `NS`/],
    ["a compiled namespace member", "var NS;\n(function (NS) {\n  function f() { return 1; }\n  NS.f = f;\n})(NS || (NS = {}));\n", "NS.f", /reached by property access/],
    ["a module that does not parse", "export function f( {\n", "f", /the module does not parse/],
  ])("skip %s with a reason, and change nothing", (_what, code, qualifiedName, reason) => {
    const out = instrumentSource(code, { nodes: [{ index: 4, qualifiedName }], typescript: true });
    expect(out.instrumented).toEqual([]);
    expect(out.skipped).toEqual([{ index: 4, reason: expect.stringMatching(reason) }]);
    expect(out.code).toBe(code);
  });

  it("instrument what it can next to what it skips, with one recorder binding per module", async () => {
    const code = "function* gen() {\n  yield 1;\n}\nfunction plain(x) {\n  return x + 1;\n}\nmodule.exports = { gen, plain };\n";
    const out = instrumentSource(code, { nodes: [{ index: 0, qualifiedName: "gen" }, { index: 1, qualifiedName: "plain" }, { index: 2, qualifiedName: "nope" }], typescript: false });
    expect(out.instrumented).toEqual([1]);
    expect(out.skipped.map((s) => s.index)).toEqual([0, 2]);
    expect(out.code.match(/var __cdlc_r = globalThis\.__cdlcRecorder;/g)).toHaveLength(1);
    const log = await expectSameBehaviour(code, ["plain"], (m) => [[...m.gen()], m.plain(1)]);
    expect(log.map((e) => e.op)).toEqual(["e", "l"]);
  });
});

describe("instrumentSource: async calls are timed to their settlement", () => {
  const code = `export function deferred() {
  let resolve!: (v: number) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<number>((ok, fail) => { resolve = ok; reject = fail; });
  return { promise, resolve, reject };
}
export async function wait(gate: Promise<number>): Promise<number> {
  return gate;
}
export const waitArrow = async (gate: Promise<number>) => gate;
export async function waitInside(gate: Promise<number>): Promise<number> {
  const v = await gate;
  return v + 1;
}
export const awaitedMethod = {
  async run(gate: Promise<number>): Promise<number> {
    return await gate;
  },
};
`;
  const watched = ["wait", "waitArrow", "waitInside", "awaitedMethod.run"];
  const out = instrumentSource(code, { nodes: watched.map((qualifiedName, index) => ({ index, qualifiedName })), typescript: true });
  const call = (m: Module, index: number, gate: unknown): Promise<number> => (index === 3 ? m.awaitedMethod.run(gate) : m[watched[index]!](gate));
  /** Lets every pending job and timer of this turn run. */
  const turns = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await new Promise((done) => setImmediate(done));
  };

  it.each(watched.map((name, index) => [name, index] as const))("%s: leave only after the promise resolves", async (_name, index) => {
    expect(out.instrumented).toEqual([0, 1, 2, 3]);
    const { log, recorder } = fakeRecorder();
    const m = load(toCommonJs(out.code), recorder);
    const gate = m.deferred();
    const result = call(m, index, gate.promise);
    await turns();
    expect(log.map((e) => e.op)).toEqual(["e"]);
    gate.resolve(41);
    const value = await result;
    expect(value).toBe(index === 2 ? 42 : 41);
    expect(log.map((e) => e.op)).toEqual(["e", "l"]);
  });

  it.each(watched.map((name, index) => [name, index] as const))("%s: a rejection is an error, with the same error object", async (_name, index) => {
    const { log, recorder } = fakeRecorder();
    const m = load(toCommonJs(out.code), recorder);
    const gate = m.deferred();
    const failure = new Error("rejected later");
    const result = call(m, index, gate.promise);
    await turns();
    expect(log.map((e) => e.op)).toEqual(["e"]);
    gate.reject(failure);
    await expect(result).rejects.toBe(failure);
    expect(log.map((e) => e.op)).toEqual(["e", "x", "l"]);
  });

  it("overlapping calls each leave when their own promise settles", async () => {
    const { log, recorder } = fakeRecorder();
    const m = load(toCommonJs(out.code), recorder);
    const [a, b] = [m.deferred(), m.deferred()];
    const first = m.wait(a.promise);
    const second = m.wait(b.promise);
    b.resolve(2);
    expect(await second).toBe(2);
    expect(log.filter((e) => e.op === "l").map((e) => (e as { token: number }).token)).toEqual([1]);
    a.resolve(1);
    expect(await first).toBe(1);
    expect(log.filter((e) => e.op === "l").map((e) => (e as { token: number }).token)).toEqual([1, 0]);
  });
});

describe("instrumentSource: recursion", () => {
  it("one enter/leave pair per call, nested as the calls are", async () => {
    const code = "function fact(n) {\n  return n <= 1 ? 1 : n * fact(n - 1);\n}\nmodule.exports = { fact };\n";
    const log = await expectSameBehaviour(code, ["fact"], (m) => m.fact(4));
    expect(log.map((e) => e.op)).toEqual(["e", "e", "e", "e", "l", "l", "l", "l"]);
    expect(log.filter((e) => e.op === "l").map((e) => (e as { token: number }).token)).toEqual([3, 2, 1, 0]);
  });

  it("mutual recursion between two watched functions interleaves their pairs", async () => {
    const code = "const isEven = (n) => n === 0 ? true : isOdd(n - 1);\nfunction isOdd(n) {\n  return n === 0 ? false : isEven(n - 1);\n}\nmodule.exports = { isEven };\n";
    const log = await expectSameBehaviour(code, ["isEven", "isOdd"], (m) => [m.isEven(3), m.isEven(4)]);
    expect(log.slice(0, 8).map((e) => `${e.op}${e.node}`)).toEqual(["e0", "e1", "e0", "e1", "l1", "l0", "l1", "l0"]);
    expectWellFormed(log, true);
  });

  it("a recursive call that throws is an error at every level it passes through", async () => {
    const code = "function down(n) {\n  if (n === 0) throw new Error('bottom');\n  return down(n - 1);\n}\nmodule.exports = { down };\n";
    const log = await expectSameBehaviour(code, ["down"], (m) => attempt(() => m.down(2)));
    expect(log.map((e) => e.op)).toEqual(["e", "e", "e", "x", "l", "x", "l", "x", "l"]);
  });
});

describe("instrumentSource: arguments and receivers handed to the recorder", () => {
  const code = `export function sum(a: number, b = 10): number {
  return a + b;
}
export const spread = (x: number, ...rest: number[]) => x + rest.length;
export const picked = ({ a }: { a: number }) => a;
export class K {
  constructor(readonly k: number) {}
  m(x: number): number {
    return x * this.k;
  }
  static s(): string {
    return this.name;
  }
}
`;
  const watched = ["sum", "spread", "picked", "K.m", "K.s", "K.constructor"];

  it("passes `arguments` for functions, the parameters for arrows, `this` for methods, no receiver for constructors", () => {
    const out = instrumentSource(code, { nodes: watched.map((qualifiedName, index) => ({ index, qualifiedName })), typescript: true, passArgs: new Set([0, 1, 2, 3, 4, 5]) });
    const { log, recorder } = fakeRecorder();
    const m = load(toCommonJs(out.code), recorder);
    const k = new m.K(3);
    expect([m.sum(1), m.spread(1, 2, 3), m.picked({ a: 5 }), k.m(2), m.K.s()]).toEqual([11, 3, 5, 6, "K"]);
    const enters = log.filter((e): e is Extract<Event, { op: "e" }> => e.op === "e");
    expect(enters.map((e) => [e.node, e.passed, e.args])).toEqual([
      [5, 1, [3]],
      [0, 1, [1]],
      [1, 1, [1, 2, 3]],
      [2, 1, null],
      [3, 2, [2]],
      [4, 2, []],
    ]);
    expect(enters[4]!.receiver).toBe(k);
    expect(enters[5]!.receiver).toBe(m.K);
  });

  it("passes nothing for nodes not asked for", () => {
    const out = instrumentSource(code, { nodes: watched.map((qualifiedName, index) => ({ index, qualifiedName })), typescript: true, passArgs: new Set([3]) });
    const { log, recorder } = fakeRecorder();
    const m = load(toCommonJs(out.code), recorder);
    m.sum(1);
    new m.K(1).m(1);
    expect(log.filter((e) => e.op === "e").map((e) => (e as { passed: number }).passed)).toEqual([0, 0, 2]);
  });
});

describe("instrumentSource: property", () => {
  const leaf = fc.oneof(fc.constantFrom("a", "b"), fc.integer({ min: -4, max: 4 }).map((n) => `(${n})`));
  const exprOf = (depth: number): fc.Arbitrary<string> =>
    depth === 0
      ? leaf
      : fc.oneof(
          leaf,
          fc.tuple(exprOf(depth - 1), fc.constantFrom("+", "-", "*"), exprOf(depth - 1)).map(([x, op, y]) => `(${x} ${op} ${y})`),
          fc.tuple(exprOf(depth - 1), fc.constantFrom("<", "===", ">"), exprOf(depth - 1), exprOf(depth - 1), exprOf(depth - 1)).map(([x, op, y, p, q]) => `(${x} ${op} ${y} ? ${p} : ${q})`),
        );
  const expr = exprOf(2);
  const cond = fc.tuple(expr, fc.constantFrom("<", "===", ">"), expr).map(([x, op, y]) => `${x} ${op} ${y}`);
  const statement = fc.oneof(
    fc.tuple(cond, expr).map(([c, e]) => `if (${c}) return ${e};`),
    expr.map((e) => `a = ${e};`),
    fc.tuple(cond, expr).map(([c, e]) => `if (${c}) throw new RangeError("t" + ${e});`),
    expr.map((e) => `{ let c = ${e}; b = b + c; }`),
    cond.map((c) => `for (let i = 0; i < 3; i++) { if (${c}) break; a = a + i; }`),
    cond.map((c) => `try { if (${c}) throw new Error("inner"); a = a + 1; } catch { b = b - 1; } finally { a = a * 2; }`),
    fc.tuple(cond, expr).map(([c, e]) => `try { if (${c}) return ${e}; } finally { b = b + 1; }`),
  );
  const body = fc.tuple(fc.array(statement, { maxLength: 5 }), fc.option(expr, { nil: undefined })).map(([s, last]) => [...s, ...(last === undefined ? [] : [`return ${last};`])].join("\n  "));
  /** The same body in several kinds of function; `name` is its qualified name. */
  const shapes: { name: string; wrap: (body: string, expression: string) => string; async?: boolean }[] = [
    { name: "f", wrap: (b) => `function f(a, b) {\n  ${b}\n}` },
    { name: "f", wrap: (b) => `const f = function (a, b) {\n  ${b}\n};` },
    { name: "f", wrap: (b) => `const f = (a, b) => {\n  ${b}\n};` },
    { name: "f", wrap: (_b, e) => `const f = (a, b) =>\n  ${e};` },
    { name: "o.f", wrap: (b) => `const o = {\n  f(a, b) {\n  ${b}\n  },\n};\nconst f = (a, b) => o.f(a, b);` },
    { name: "f", wrap: (b) => `async function f(a, b) {\n  ${b}\n}`, async: true },
    { name: "f", wrap: (_b, e) => `const f = async (a, b) => ${e};`, async: true },
  ];

  it("random bodies and return positions keep their results, errors and call counts", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...shapes), body, expr, fc.array(fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 })), { minLength: 1, maxLength: 4 }), async (shape, b, e, inputs) => {
        const code = `"use strict";\n${shape.wrap(b, e)}\nmodule.exports = { f };\n`;
        const run = async (m: Module): Promise<unknown[]> => {
          const out: unknown[] = [];
          for (const [x, y] of inputs) out.push(await attemptAsync(() => m.f(x, y)));
          return out;
        };
        const log = await expectSameBehaviour(code, [shape.name], run);
        expect(count(log, "e", 1)).toEqual([inputs.length]);
        const threw = (await run(load(code))).filter((r) => "threw" in (r as object)).length;
        expect(count(log, "x", 1)).toEqual([threw]);
        expectWellFormed(log, true);
      }),
      { numRuns: 150 },
    );
  });
});

/** Inputs on which the instrumenter once broke the program or missed a node (regressions). */
describe("instrumentSource: forms that once broke", () => {
  // A directive without a semicolon (`standard` style) must stay one and not run into the prologue.
  it("a module whose \"use strict\" has no semicolon still parses and runs", async () => {
    const code = '"use strict"\nfunction mode() {\n  return this === undefined ? "strict" : "sloppy"\n}\nmodule.exports = { mode }\n';
    await expectSameBehaviour(code, ["mode"], (m) => {
      const mode = m.mode;
      return mode();
    });
  });

  // The same inside a function body.
  it("a function whose own \"use strict\" has no semicolon still parses and runs", async () => {
    const code = 'function strictThis() {\n  "use strict"\n  return this === undefined\n}\nmodule.exports = { strictThis }\n';
    await expectSameBehaviour(code, ["strictThis"], (m) => {
      const strictThis = m.strictThis;
      return strictThis();
    });
  });

  // A returned expression that ends at the closing brace (`return p}`, as in minified code): its closing text
  // must go before the body's `} catch … finally …`.
  it("an async function whose return touches the closing brace still parses and runs", async () => {
    const code = "async function f(p){return p}\nmodule.exports = { f };\n";
    await expectSameBehaviour(code, ["f"], async (m) => m.f(Promise.resolve(3)));
  });

  // A `=>` in a comment between the parameters and the arrow is not the arrow.
  it("an arrow with `=>` in a comment after its parameters still parses and runs", async () => {
    const code = "const inc = (a /* => */) => a + 1;\nmodule.exports = { inc };\n";
    await expectSameBehaviour(code, ["inc"], (m) => m.inc(1));
  });

  // Once a bug: `return p` became `return await p`, and the await landed inside the user's own try, so the
  // user's `catch` caught a rejection the original passed on. The returned promise is now watched, not awaited.
  it("an async `return promise` inside the user's try/catch still rejects past that catch", async () => {
    const code = `"use strict";
async function load(p) {
  try {
    return p;
  } catch {
    return -1;
  }
}
const rejected = (message) => Promise.reject(new Error(message));
module.exports = { load, rejected };
`;
    // The promise is made in the module's realm: a promise of another realm is not `instanceof Promise` there.
    await expectSameBehaviour(code, ["load"], (m) => attemptAsync(() => m.load(m.rejected("gone"))));
  });

  // Once a gap: tsc's CommonJS output of `export const ops = { m() {} }` is `exports.ops = { m() {} }`,
  // with no binding named `ops`; find-node now reads such assignments.
  it("an exported object literal's method is found in tsc's CommonJS output", async () => {
    const code = toCommonJs("export const ops = {\n  twice(x: number): number {\n    return 2 * x;\n  },\n};\n");
    await expectSameBehaviour(code, ["ops.twice"], (m) => m.ops.twice(2));
  });
});
