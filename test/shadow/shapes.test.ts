import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { indexProgram } from "../../src/graph/build-graph.js";
import { loadProject } from "../../src/graph/project-loader.js";
import { morphCommon, ts } from "../../src/graph/typescript.js";
import { arbitraryOf } from "../../src/shadow/arbitraries.js";
import type { NodeShape, Shape } from "../../src/shadow/shape.js";
import { shapeOfNode } from "../../src/shadow/shapes.js";

/**
 * Parameter types → shapes, on an in-memory program. Expectations are
 * written in a compact, type-like notation (`render`), union members
 * sorted, so they read as the declarations do. The last part closes the
 * loop: generated inputs, printed back as TypeScript calls, must type-check
 * against the declarations — the values are ones a real caller could pass.
 */

const libFolder = morphCommon.libFolderInMemoryPath;
const libTexts = new Map(morphCommon.getLibFiles().map((f) => [`${libFolder}/${f.fileName}`, f.text]));
/** Parsed standard library files, shared by every program of this file (parsing them is most of a program's cost). */
const libSources = new Map<string, ts.SourceFile>();

function programOf(text: string, options: ts.CompilerOptions = {}): ts.Program {
  const all: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, strict: true, lib: ["lib.es2023.d.ts"], types: [], noEmit: true, skipLibCheck: true, ...options };
  const host = ts.createCompilerHost(all);
  host.getDefaultLibLocation = () => libFolder;
  host.getDefaultLibFileName = (o) => `${libFolder}/${ts.getDefaultLibFileName(o)}`;
  host.fileExists = (f) => f === "/p/src/m.ts" || libTexts.has(f);
  host.readFile = (f) => (f === "/p/src/m.ts" ? text : libTexts.get(f));
  host.getSourceFile = (f, version) => {
    if (f === "/p/src/m.ts") return ts.createSourceFile(f, text, version, true);
    const lib = libTexts.get(f);
    if (lib === undefined) return undefined;
    let sf = libSources.get(f);
    if (sf === undefined) {
      sf = ts.createSourceFile(f, lib, version, true);
      libSources.set(f, sf);
    }
    return sf;
  };
  return ts.createProgram(["/p/src/m.ts"], all, host);
}

/** The shapes of every node of the module, by qualified name (as `src/m.ts#<name>` ids have it). */
function shapesOf(text: string, options: ts.CompilerOptions = {}): (name: string) => NodeShape {
  const program = programOf(text, options);
  const checker = program.getTypeChecker();
  const { index } = indexProgram(program, "/p");
  return (name) => {
    const decl = index.declarationOf.get(`src/m.ts#${name}`);
    if (decl === undefined) throw new Error(`no node ${name}; nodes: ${[...index.declarationOf.keys()].join(", ")}`);
    return shapeOfNode(checker, decl);
  };
}

function render(s: Shape): string {
  const inner = (x: Shape): string => (x.kind === "union" ? `(${render(x)})` : render(x));
  switch (s.kind) {
    case "number":
      return s.integer === true ? "int" : "number";
    case "literal":
      return s.type === "string" ? JSON.stringify(s.value) : s.type === "bigint" ? `${s.value}n` : String(s.value);
    case "array":
      return `${s.readonly === true ? "readonly " : ""}${inner(s.element)}[]`;
    case "tuple":
      return `${s.readonly === true ? "readonly " : ""}[${s.elements.map((e) => (e.role === "rest" ? `...${inner(e.shape)}[]` : e.role === "optional" ? `${inner(e.shape)}?` : render(e.shape))).join(", ")}]`;
    case "object":
      return `{${[...s.properties.map((p) => `${p.name}${p.optional === true ? "?" : ""}: ${render(p.shape)}`), ...(s.index !== undefined ? [`[${s.index.key}]: ${render(s.index.value)}`] : [])].join(", ")}}`;
    case "record":
      return `Record<${s.key}, ${render(s.value)}>`;
    case "union":
      return s.members.map(render).sort().join(" | ");
    case "map":
      return `${s.readonly === true ? "Readonly" : ""}Map<${render(s.key)}, ${render(s.value)}>`;
    case "set":
      return `${s.readonly === true ? "Readonly" : ""}Set<${render(s.element)}>`;
    case "date":
      return "Date";
    case "ref":
      return s.name;
    case "unsupported":
      return `!(${s.why})`;
    default:
      return s.kind;
  }
}

/** `(a, b?, ...c[]) this: T`, with the definitions after `where`. */
function renderNode(n: NodeShape): string {
  const params = n.params.map((p, i) => (n.optionalFrom !== undefined && i >= n.optionalFrom ? `${p.kind === "union" ? `(${render(p)})` : render(p)}?` : render(p)));
  if (n.rest !== undefined) params.push(`...${n.rest.kind === "union" ? `(${render(n.rest)})` : render(n.rest)}[]`);
  const defs = Object.entries(n.definitions).map(([k, v]) => `${k} = ${render(v)}`);
  return `(${params.join(", ")})${n.receiver !== undefined ? ` this: ${render(n.receiver)}` : ""}${defs.length > 0 ? ` where ${defs.join("; ")}` : ""}`;
}

const supported = `
export function list(xs: number[]) {}
export function opts(o: { a?: string; b: number | null }) {}
export function lookup(m: Map<string, number[]>) {}
export function pair(t: [number, string?]) {}
export function tail(t: readonly [string, ...boolean[]]) {}
export enum Color { Red, Green = 5 }
export enum Mode { On = "on", Off = "off" }
export function paint(c: Color, m: Mode) {}
export type Tree = { v: number; kids: Tree[] };
export function walk(t: Tree) {}
export interface List { head: string; next: List | null }
export function follow(l: List, ls: List[]) {}
export function pick(s: "a" | "b" | "c") {}
export function names(xs: readonly string[]) {}
export function sum(first: number, ...rest: number[]) {}
export function greet(name: string, greeting?: string, times = 1) {}
export function early(a = 1, b: string) {}
export interface Point { x: number; y: number }
export const geometry = { norm(this: Point, scale: number) { return Math.hypot(this.x, this.y) * scale; } };
export function scaled(this: Point, k: number) { return this.x * k; }
export function dedupe<T>(xs: T[]): T[] { return xs; }
export function bounded<K extends string, V extends K[]>(k: K, v: V) {}
export function table(r: Record<string, number>, n: { [k: number]: boolean }, keys: Record<"a" | "b", number>) {}
export function sets(s: Set<string>, rs: ReadonlySet<number>, rm: ReadonlyMap<string, Date>) {}
export function lits(n: 1.5 | 2n | -3n | true, m: boolean | undefined) {}
export type Figure = { kind: "circle"; r: number } | { kind: "square"; side: number };
export function area(f: Figure) {}
export function prims(b: bigint, u: unknown, a: any, nul: null, und: undefined, v: void) {}
export function spread(...args: [string, number?]) {}
export function mixed(o: { id: number; [k: string]: number }) {}
export function both(o: { a: number } & { b: string }, p: Partial<Point>, r: Readonly<Point>) {}
export function keyed(o: { "__proto__": number; "with space": string }) {}
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export function parse(j: Json) {}
export class Tools { static twice(x: number) { return x * 2; } }
export const arrow = (xs: ReadonlyArray<number>, { a }: { a: string }) => xs.length + a.length;
`;

describe("shapeOfNode: supported parameter types", () => {
  const shapeOf = shapesOf(supported);
  it.each([
    ["list", "(number[])"],
    ["opts", "({a?: string | undefined, b: null | number})"],
    ["lookup", "(Map<string, number[]>)"],
    ["pair", "([number, (string | undefined)?])"],
    ["tail", "(readonly [string, ...boolean[]])"],
    ["paint", '(0 | 5, "off" | "on")'],
    ["walk", "(Tree) where Tree = {v: number, kids: Tree[]}"],
    ["follow", "(List, List[]) where List = {head: string, next: List | null}"],
    ["pick", '("a" | "b" | "c")'],
    ["names", "(readonly string[])"],
    ["sum", "(number, ...number[])"],
    ["greet", "(string, (string | undefined)?, (number | undefined)?)"],
    // A defaulted parameter before a required one cannot be left out, but takes `undefined`.
    ["early", "(number | undefined, string)"],
    ["geometry.norm", "(number) this: {x: number, y: number}"],
    ["scaled", "(number) this: {x: number, y: number}"],
    // Unresolved type parameters: their base constraint, `unknown` (anything) when there is none.
    ["dedupe", "(anything[])"],
    ["bounded", "(string, string[])"],
    ["table", "(Record<string, number>, Record<number, boolean>, {a: number, b: number})"],
    ["sets", "(Set<string>, ReadonlySet<number>, ReadonlyMap<string, Date>)"],
    ["lits", "(-3n | 1.5 | 2n | true, boolean | undefined)"],
    ["area", '({kind: "circle", r: number} | {kind: "square", side: number})'],
    ["prims", "(bigint, anything, anything, null, undefined, undefined)"],
    ["spread", "(string, (number | undefined)?)"],
    ["mixed", "({id: number, [string]: number})"],
    ["both", "({a: number, b: string}, {x?: number | undefined, y?: number | undefined}, {x: number, y: number})"],
    ["keyed", "({__proto__: number, with space: string})"],
    // Static members run on their class: no receiver to generate.
    ["parse", "(Json) where Json = Json[] | Record<string, Json> | boolean | null | number | string"],
    ["Tools.twice", "(number)"],
    ["arrow", "(readonly number[], {a: string})"],
  ])("%s: %s", (name, expected) => {
    const shape = shapeOf(name);
    expect(shape.unsupported).toBeUndefined();
    expect(renderNode(shape)).toBe(expected);
  });

  it("encodes literals JSON can not carry, and survives JSON", () => {
    const shape = shapesOf("enum Odd { Nan = 0 / 0, Inf = 1 / 0, Neg = -1 / 0 }\nexport function odd(o: Odd, z: -0, b: -12n) {}")("odd");
    expect(shape.unsupported).toBeUndefined();
    const values = shape.params.map((p) => (p.kind === "union" ? p.members : [p]).map((m) => (m.kind === "literal" ? m.value : m.kind)));
    expect(values[0]?.slice().sort()).toEqual(["-Infinity", "Infinity", "NaN"]);
    // TypeScript reads the type `-0` as 0.
    expect(values[1]).toEqual([0]);
    expect(values[2]).toEqual(["-12"]);
    expect(JSON.parse(JSON.stringify(shape))).toEqual(shape);
  });

  it("with exactOptionalPropertyTypes, an optional property may be absent but not undefined unless its type says so", () => {
    const shapeOf = shapesOf("export function f(o: { a?: string; c?: string | undefined }, t: [number, string?]) {}", { exactOptionalPropertyTypes: true });
    expect(renderNode(shapeOf("f"))).toBe("({a?: string, c?: string | undefined}, [number, string?])");
  });
});

const refused = `
export class Cart { private items: string[] = []; total(): number { return this.items.length; } get size() { return this.items.length; } handler = () => this.items.length; }
export function checkout(c: Cart) {}
export function carts(xs: Cart[]) {}
export function callback(f: () => void) {}
export function later(p: Promise<number>) {}
export function sym(s: symbol) {}
export const key = Symbol("k");
export function unique(k: typeof key) {}
export function nested(o: { id: number; cb: (x: number) => void }) {}
export function method(o: { area(): number }) {}
export function brand(b: string & { __brand: "id" }) {}
export function template(t: \`id-\${number}\`) {}
export function mapped<K extends string>(r: Record<K, number>) {}
export function untyped(x) { return x; }
export function over(x: string): string;
export function over(x: number): number;
export function over(x: unknown) { return x; }
export type Loop = { next: Loop };
export function loop(l: Loop) {}
export function pattern(r: RegExp) {}
export function obj(o: object) {}
export enum Computed { A = "a".length }
export function computed(e: Computed) {}
export function weak(w: WeakMap<object, number>) {}
export function never(n: never) {}
export function keys<T>(k: keyof T) {}
export function secret(o: { id: number } & Cart) {}
export function lateRest(...xs: [...string[], number]) {}
export function optionalCallback(o?: { done?: () => void }) {}
export function missing(x: Missing) {}
export type Deep<T> = { v: T; d?: Deep<T[]> };
export function deep(d: Deep<number>) {}
`;

describe("shapeOfNode: refusals, with the reason", () => {
  const shapeOf = shapesOf(refused);
  it.each([
    ["checkout", "parameter `c` has class type `Cart`"],
    ["carts", "parameter `xs`: `xs[]` has class type `Cart`"],
    ["Cart.total", "receiver `this` has class type `Cart`"],
    ["Cart.size", "receiver `this` has class type `Cart`"],
    ["Cart.handler", "receiver `this` has class type `Cart`"],
    ["callback", "parameter `f` has function type `() => void`"],
    ["later", "parameter `p` has built-in type `Promise<number>`"],
    ["sym", "parameter `s` has type `symbol` (a symbol cannot be copied for the two sides)"],
    ["unique", "parameter `k` has unique symbol type `typeof key`"],
    ["nested", "parameter `o`: `o.cb` has function type `(x: number) => void`"],
    ["method", "parameter `o`: `o.area` has method type `() => number`"],
    ["brand", 'parameter `b` has intersection type `string & { __brand: "id"; }` (a branded primitive?)'],
    ["template", "parameter `t` has template literal type `` `id-${number}` ``"],
    ["mapped", "parameter `r` has generic mapped type `Record<K, number>`"],
    ["untyped", "parameter `x` has no declared type (implicitly `any`)"],
    ["over", "the function is overloaded: callers use its 2 other signatures"],
    ["loop", "parameter `l` has the recursive type `Loop`, which has no finite value"],
    ["pattern", "parameter `r` has built-in type `RegExp`"],
    ["obj", "parameter `o` has type `object` (any object at all)"],
    ["computed", "parameter `e` has enum member `Computed`, whose value is computed"],
    ["weak", "parameter `w` has built-in type `WeakMap<object, number>`"],
    ["never", "parameter `n` has type `never` (no value has it)"],
    ["keys", "parameter `k` has generic type `keyof T`"],
    ["secret", "parameter `o` has class type `Cart`"],
    ["lateRest", "parameter `xs` has elements after the rest element of `[...string[], number]`"],
    ["optionalCallback", "parameter `o`: `o.done` has function type `() => void`"],
    ["missing", "parameter `x` has a type TypeScript could not resolve"],
    ["deep", `parameter \`d\`: \`d${".d".repeat(24)}\` has a type nested more than 48 levels deep (\`Deep<number${"[]".repeat(24)}>\`)`],
  ])("%s", (name, why) => {
    expect(shapeOf(name).unsupported).toBe(why);
  });

  it("refuses what is not a function", () => {
    const program = programOf("export const x = 1;");
    expect(shapeOfNode(program.getTypeChecker(), program.getSourceFile("/p/src/m.ts")!).unsupported).toBe("the node is not a function");
  });
});

describe("shapeOfNode on the example shop", () => {
  const project = loadProject(join(new URL("../../examples/shop/", import.meta.url).pathname, "tsconfig.json"), { displayPath: (p) => p }).value!;
  const program = project.program();
  const checker = program.getTypeChecker();
  const { index } = indexProgram(program, project.root);
  const shapeOf = (id: string): NodeShape => shapeOfNode(checker, index.declarationOf.get(id)!);
  const product = "{sku: string, title: string, priceCents: number, tags: string[]}";
  it.each([
    ["src/catalog.ts#dedupeSkus", "(readonly string[])"],
    ["src/catalog.ts#matchesAll", `(${product}, readonly string[])`],
    ["src/catalog.ts#searchProducts", `(readonly ${product}[], string)`],
    ["src/users.ts#sortUsers", "(readonly {id: number, name: string, signedUpAt: number}[])"],
    ["src/cart.ts#Cart.empty", `(readonly ${product}[])`],
    ["src/inventory.ts#Inventory.constructor", "((Record<string, number> | undefined)?)"],
  ])("%s: %s", (id, expected) => {
    const shape = shapeOf(id);
    expect(shape.unsupported).toBeUndefined();
    expect(renderNode(shape)).toBe(expected);
  });
  it.each([
    ["src/cart.ts#Cart.total", "receiver `this` has class type `Cart`"],
    ["src/checkout.ts#Checkout.run", "parameter `cart` has class type `Cart`"],
    ["src/inventory.ts#Inventory.reserve", "receiver `this` has class type `Inventory`"],
  ])("%s: unsupported", (id, why) => {
    expect(shapeOf(id).unsupported).toBe(why);
  });
});

/** A generated value as a TypeScript expression; holes become `hole()` (typed `never`: a hole fits any array). */
function source(v: unknown): string {
  if (v === undefined) return "undefined";
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null || typeof v === "boolean") return String(v);
  if (v instanceof Date) return `new Date(${source(v.getTime())})`;
  if (v instanceof Map) return `mapOf(${[...v].map(([k, x]) => `[${source(k)}, ${source(x)}]`).join(", ")})`;
  if (v instanceof Set) return `setOf(${[...v].map(source).join(", ")})`;
  if (Array.isArray(v)) return `[${Array.from({ length: v.length }, (_, i) => (i in v ? source(v[i]) : "hole()")).join(", ")}]`;
  // Computed keys: a literal `__proto__:` would set the prototype.
  return `{ ${Object.entries(v as object).map(([k, x]) => `[${JSON.stringify(k)}]: ${source(x)}`).join(", ")} }`;
}

describe("generated inputs are calls a caller could write", () => {
  // String enums are nominal (a string is no `Mode`) and `this`-typed object methods are called through `.call`.
  const calls: [name: string, callee: string][] = [
    ...[
      "list", "opts", "lookup", "pair", "tail", "walk", "follow", "pick", "names", "sum", "greet", "early",
      "table", "sets", "lits", "area", "prims", "spread", "mixed", "both", "keyed", "arrow", "parse",
    ].map((n): [string, string] => [n, n]),
    ["Tools.twice", "Tools.twice"],
    // The shapes of generic functions are those of one instantiation: name it, as inference would pick a narrower one.
    ["dedupe", "dedupe<unknown>"],
    ["bounded", "bounded<string, string[]>"],
  ];
  const helpers = [
    "declare function hole(): never;",
    // Rest parameters infer tuples: mixed values (in `unknown` positions) need no common type.
    "declare function mapOf<E extends [unknown, unknown][]>(...entries: E): Map<E[number][0], E[number][1]>;",
    "declare function setOf<T extends unknown[]>(...values: T): Set<T[number]>;",
  ].join("\n");

  it("type-checks 25 generated calls of each supported function (and `this` through `.call`)", () => {
    const shapeOf = shapesOf(supported);
    const lines: string[] = [];
    for (const [name, callee] of [...calls, ["geometry.norm", "geometry.norm.call"] as [string, string], ["scaled", "scaled.call"] as [string, string]]) {
      const shape = shapeOf(name);
      // Small values: validity does not depend on size, and type-checking big literals is slow.
      for (const input of fc.sample(arbitraryOf(shape, { maxLength: 4, maxDepth: 2 }), { seed: 7, numRuns: 25 })) {
        const args = [...("thisArg" in input ? [input.thisArg] : []), ...input.args].map(source);
        lines.push(`${callee}(${args.join(", ")});`);
      }
    }
    const program = programOf(`${supported}\n${helpers}\n${lines.join("\n")}\n`);
    const lineOf = (d: ts.Diagnostic): string => (d.file !== undefined && d.start !== undefined ? d.file.text.split("\n")[d.file.getLineAndCharacterOfPosition(d.start).line]!.slice(0, 160) : "");
    const problems = ts.getPreEmitDiagnostics(program).map((d) => `${ts.flattenDiagnosticMessageText(d.messageText, " ")} in ${lineOf(d)}`);
    expect(problems).toEqual([]);
    expect(lines.length).toBe((calls.length + 2) * 25);
  });

  it("with exactOptionalPropertyTypes too", () => {
    const text = "export function f(o: { a?: string; c?: string | undefined }, t: [number, boolean?], ...more: [string?]) {}";
    const options = { exactOptionalPropertyTypes: true };
    const shape = shapesOf(text, options)("f");
    const inputs = fc.sample(arbitraryOf(shape), { seed: 3, numRuns: 100 });
    const lines = inputs.map((i) => `f(${i.args.map(source).join(", ")});`);
    expect(ts.getPreEmitDiagnostics(programOf(`${text}\n${lines.join("\n")}\n`, options)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "))).toEqual([]);
    // …and the check sees an explicit `undefined` where only absence is allowed.
    expect(ts.getPreEmitDiagnostics(programOf(`${text}\nf({ a: undefined }, [1]);\n`, options))).toHaveLength(1);
  });

  it("the check can fail: a value outside the shape does not type-check", () => {
    const program = programOf(`${supported}\n${helpers}\nlist(${source(["x"])});\npair(${source([1, 2])});\nopts(${source({ b: 1, c: 2 })});\n`);
    expect(ts.getPreEmitDiagnostics(program)).toHaveLength(3);
  });
});
