import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { indexProgram } from "../../src/graph/build-graph.js";
import { collectFileEdges } from "../../src/graph/call-edges.js";
import { loadProject } from "../../src/graph/project-loader.js";
import { ASK_CHECKER, createMemberResolver, type MemberResolver } from "../../src/graph/receivers.js";
import { ctx, tmpDir } from "./helpers.js";

/**
 * The member resolver answers some accesses without the checker's inference
 * (receivers.ts). Its answers must be the checker's: the edges of every file
 * are built twice, on separate programs, once with the resolver and once
 * asking the checker for everything, and must be the same.
 */

const model = `
export interface Item { id: number; tag?: string; score(w: number): number }
export class Base {
  run(): number { return 1; }
  static make(): Base { return new Base(); }
}
export class Derived extends Base {
  run(): number { return 2; }
  extra(): number { return this.run(); }
}
export class Other { run(): number { return 3; } }
export function isDerived(x: Base): x is Derived { return x instanceof Derived; }
export function assertDerived(x: Base): asserts x is Derived { if (!(x instanceof Derived)) throw new Error("no"); }
export function fail(message: string): never { throw new Error(message); }
export const tools = {
  go(): number { return 1; },
  get size(): number { return 1; },
  set size(v: number) { void v; },
  inner: { deep(): number { return 2; } },
  twice: (): number => tools.go() * 2,
};
export const spread = { ...tools, go(): number { return 5; } };
export const typed: { go(): number } = { go: () => 4 };
export const asserted = { go: () => 4 } as { go(): number; run?(): number };
export function makeBase(): Base { return new Base(); }
export function overloaded(x: string): Base;
export function overloaded(x: number): Derived;
export function overloaded(x: unknown): Base { return typeof x === "string" ? new Base() : new Derived(); }
export function generic<T>(x: T): T { return x; }
export class Box<T> {
  constructor(readonly v: T) {}
  get(): T { return this.v; }
  map<U>(f: (v: T) => U): Box<U> { return new Box(f(this.v)); }
  self(): this { return this; }
}
export namespace Space { export function go(): number { return 6; } }
export type FatalFn = (message: string) => never;
export interface Logger { fatal: FatalFn; info(message: string): void }
export declare const logger: Logger;
`;

const use = `
import { Base, Derived, Other, isDerived, assertDerived, fail, tools, spread, typed, asserted, makeBase, overloaded, generic, Box, Space, logger, type FatalFn, type Item } from "./model.js";
import * as model from "./model.js";

export function narrowing(items: Item[], bases: Base[]): number {
  let n = 0;
  bases.forEach((b) => { if (b instanceof Derived) n += b.run(); else n += b.run(); });
  bases.forEach((b) => { if (isDerived(b)) n += b.extra(); });
  bases.forEach((b) => { assertDerived(b); n += b.extra(); });
  bases.forEach((b) => { n += b.run(); });
  bases.map((b) => b && b.run());
  items.forEach((i) => { if (i.tag === undefined) return; n += i.score(1); });
  items.forEach((i) => { if (i.tag) n += i.score(2); });
  const d = new Derived();
  n += d.run() + d.extra();
  const b1 = makeBase();
  if (b1 instanceof Derived) n += b1.extra();
  n += b1.run();
  const o = overloaded(1);
  n += o.run();
  const g = generic(new Derived());
  n += g.run();
  const box = new Box(new Derived());
  n += box.get().run() + box.map((v) => v.extra()).get().run() + box.self().get().run();
  n += tools.go() + tools.size + tools.inner.deep() + tools.twice() + spread.go() + typed.go() + asserted.go() + (asserted.run?.() ?? 0);
  n += model.tools.go() + model.makeBase().run() + Space.go() + model.Space.go();
  tools.size = 3;
  n += Base.make().run();
  return n;
}
export function afterNever(b: Base): number { fail("x"); return b.run(); }
export function afterNeverMember(b: Base): number { Base.make(); return b.run(); }
export function union(x: Derived | Other): number { return x.run(); }
export function unionNarrowed(x: Derived | Other): number { if (x instanceof Other) return x.run(); return x.run(); }
export function optional(x?: Derived): number { return (x?.run() ?? 0) + x!.extra(); }
export function reassigned(): number { let a: Base = new Base(); a = new Derived(); return a.run(); }
export function constNarrowed(): number { const a: Base = new Derived(); if (a instanceof Derived) return a.extra(); return a.run(); }
export function shadow(): number { const b = new Base(); { const b = new Derived(); return b.extra(); } }
export function shadowParam(xs: Derived[]): number { return xs.map((x) => { const y = x; return y.extra() + x.run(); }).length; }
export function overloadsOfReduce(xs: Derived[]): number { return xs.reduce((acc, x) => acc + x.extra(), 0) + xs.reduce((acc, x) => (acc.run() > x.run() ? acc : x)).run(); }
export function promiseThen(p: Promise<Derived>): Promise<number> { return p.then((d) => d.extra()); }
export function genericCallback<T extends Base>(xs: T[]): number { return xs.map((x) => x.run()).length; }
export function functionExpression(xs: Derived[]): void { xs.forEach(function (x) { x.extra(); }); }
export const guarded = (xs: Base[]): number[] => xs.filter((x): x is Derived => x instanceof Derived).map((x) => x.extra());
export function switched(x: Derived | Other, k: "a" | "b"): number { switch (k) { case "a": return x.run(); } return 0; }
export function loop(xs: Base[]): number { let n = 0; for (const x of xs) { n += x.run(); } return n; }
export function destructured({ a }: { a: Derived }): number { return a.extra(); }
export function withDefault(x: Derived = new Derived()): number { return x.extra(); }
export function nestedCallbacks(xs: Derived[][]): number { return xs.map((row) => row.map((x) => x.extra())).length; }
export function typedCallback(xs: Base[]): number { return xs.map((x: Base) => x.run()).length; }
export function capture(xs: Base[]): () => number { const b = xs[0]!; if (b instanceof Derived) return () => b.extra(); return () => b.run(); }
export function sortBy(xs: Item[]): Item[] { return [...xs].sort((a, b) => a.score(1) - b.score(1)); }
export function mapOf(m: Map<string, Derived>): number { let n = 0; m.forEach((v, k) => { n += v.extra() + k.length; }); return n; }
export function loopAssigned(xs: Base[]): number { let n = 0; xs.forEach((x) => { for (let i = 0; i < 2; i++) { n += x.run(); x = new Derived(); } }); return n; }
export function ternary(xs: (Derived | undefined)[]): number { return xs.map((x) => (x ? x.extra() : 0)).length; }
export function asserting(xs: Base[]): number { return xs.map((x) => { x.run(); return x.run(); }).length; }
export function afterFatal(b: Base): number { logger.fatal("x"); return b.run(); }
export function afterInfo(b: Base): number { logger.info("x"); return b.run(); }
export function afterAlias(b: Base): number { const f: FatalFn = (m) => { throw new Error(m); }; f("x"); return b.run(); }
export function receiverCalls(xs: Base[]): number { const d = new Derived(); d.run(); xs.forEach((x) => { x.run(); }); return d.extra(); }

export class Self {
  field = this.run();
  run(): number { return 1; }
  isSpecial(): this is Special { return this instanceof Special; }
  assertSpecial(): asserts this is Special { if (!(this instanceof Special)) throw new Error("no"); }
  plain(): number { return this.run() + [1].map(() => this.run()).length + [1].map(function (this: Self) { return this.run(); }).length; }
  narrowed(): number { if (this instanceof Special) return this.only(); if (this.isSpecial()) return this.only(); return this.run(); }
  asserted(): number { this.assertSpecial(); return this.only(); }
  afterCall(): number { this.plain(); return this.run(); }
  static make(): Self { return this.build(); }
  static build(): Self { return new Self(); }
}
export class Special extends Self {
  only(): number { return 2; }
  run(): number { return this.only() + super.run(); }
}
export const Anon = class { go(): number { return this.go2(); } go2(): number { return 1; } };
export const literal = { a(): number { return this.b(); }, b(): number { return 1; } };
`;

function writeProject(): string {
  mkdirSync(tmpDir, { recursive: true });
  const dir = mkdtempSync(join(tmpDir, "receivers-"));
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ["src"] }));
  writeFileSync(join(dir, "src", "model.ts"), model);
  writeFileSync(join(dir, "src", "use.ts"), use);
  return dir;
}

/** Edge lines of every file, with or without the resolver; counts the resolver's own answers. */
function edges(dir: string, withResolver: boolean): { lines: string[]; answered: number; asked: number } {
  const project = loadProject(join(dir, "tsconfig.json"), ctx).value!;
  const program = project.program();
  const checker = program.getTypeChecker();
  const { index, collectors, files } = indexProgram(program, project.root);
  let answered = 0;
  let asked = 0;
  let members: MemberResolver | undefined;
  if (withResolver) {
    const inner = createMemberResolver(checker);
    members = {
      member(access) {
        const a = inner.member(access);
        if (a === ASK_CHECKER) asked++;
        else answered++;
        return a;
      },
    };
  }
  const lines: string[] = [];
  for (const sf of files) {
    const collector = collectors.get(sf.fileName)!;
    const found = collectFileEdges({ sf, checker, index, sites: collector.sites, ...(members !== undefined ? { members } : {}), moduleNode: () => collector.moduleNode() });
    for (const e of found) lines.push(`${e.from} -${e.kind}-> ${e.to} @${e.sites.map((s) => `${s.line}:${s.column}`).join(",")}`);
  }
  return { lines: lines.sort(), answered, asked };
}

describe("member resolution without the checker's inference", () => {
  it("finds exactly the edges the checker finds", () => {
    const dir = writeProject();
    const byChecker = edges(dir, false);
    const byResolver = edges(dir, true);
    expect(byResolver.lines).toEqual(byChecker.lines);
    // The resolver answered a good part itself, and sent the doubtful cases back.
    expect(byResolver.answered).toBeGreaterThan(25);
    expect(byResolver.asked).toBeGreaterThan(15);
    expect(byChecker.lines.length).toBeGreaterThan(40);
  });

  it("answers callback parameters, object literals, constructed and returned values itself, and leaves narrowed receivers to the checker", () => {
    const dir = writeProject();
    const project = loadProject(join(dir, "tsconfig.json"), ctx).value!;
    const program = project.program();
    const checker = program.getTypeChecker();
    const resolver = createMemberResolver(checker);
    const sf = program.getSourceFiles().find((f) => f.fileName.endsWith("/src/use.ts"))!;
    const answers = new Map<string, string[]>();
    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAccessExpression(n) && ts.isCallExpression(n.parent) && n.parent.expression === n) {
        const fn = ts.findAncestor(n, (a) => ts.isFunctionDeclaration(a) || ts.isMethodDeclaration(a) || ts.isVariableStatement(a));
        const where = fn !== undefined && (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) ? fn.name!.getText(sf) : "";
        const a = resolver.member(n);
        const key = `${where}:${n.getText(sf)}`;
        answers.set(key, [...(answers.get(key) ?? []), a === ASK_CHECKER ? "checker" : a === undefined ? "none" : "resolved"]);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    const of = (key: string): string[] => answers.get(key) ?? [];
    expect(of("sortBy:a.score")).toEqual(["resolved"]);
    expect(of("narrowing:d.extra")).toEqual(["resolved"]);
    expect(of("narrowing:tools.go")).toEqual(["resolved"]);
    expect(of("narrowing:tools.inner.deep")).toEqual(["resolved"]);
    expect(of("narrowing:Base.make")).toEqual(["resolved"]);
    expect(of("overloadsOfReduce:x.extra")).toEqual(["resolved"]);
    expect(of("narrowing:b.extra")).toEqual(["checker", "checker"]);
    expect(of("narrowing:b1.extra")).toEqual(["checker"]);
    expect(of("afterNever:b.run")).toEqual(["checker"]);
    expect(of("union:x.run")).toEqual(["checker"]);
    expect(of("constNarrowed:a.extra")).toEqual(["checker"]);
    expect(of("narrowing:spread.go")).toEqual(["checker"]);
    expect(of("narrowing:asserted.go")).toEqual(["checker"]);
    expect(of("afterFatal:b.run")).toEqual(["checker"]);
    expect(of("afterInfo:b.run")).toEqual(["resolved"]);
    expect(of("afterAlias:b.run")).toEqual(["checker"]);
    expect(of("receiverCalls:d.extra")).toEqual(["resolved"]);
    expect(of("receiverCalls:x.run")).toEqual(["resolved"]);
    expect(of("plain:this.run")).toEqual(["resolved", "resolved", "checker"]);
    expect(of("afterCall:this.run")).toEqual(["resolved"]);
    expect(of("make:this.build")).toEqual(["resolved"]);
    expect(of("narrowed:this.only")).toEqual(["checker", "checker"]);
    expect(of("asserted:this.only")).toEqual(["checker"]);
    expect(of("go:this.go2")).toEqual(["checker"]);
    expect(of("a:this.b")).toEqual(["checker"]);
  });
});
