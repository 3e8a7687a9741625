import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { buildProgram } from "../../src/measure/build.js";
import { instrumentModule } from "../../src/measure/instrument.js";
import { runtimeFilesOf } from "../../src/measure/monitor.js";
import type { CdlcRuntime } from "../../src/measure/runtime.js";

const instrument = (code: string, targets: { id: string; qualifiedName: string; track?: boolean }[]) =>
  instrumentModule(code, { targets, runtimeSpecifier: "./__cdlc_runtime.mjs" });

describe("instrumentModule", () => {
  it("registers an unexported function without exporting it", () => {
    const out = instrument("function hidden(a) { return a; }\nexport function shown() { return hidden(1); }", [{ id: "m.ts#hidden", qualifiedName: "hidden" }]);
    expect(out.missing).toEqual([]);
    expect(out.exposed).toEqual(["m.ts#hidden"]);
    expect(out.code).toMatch(/^import __cdlc\$ from "\.\/__cdlc_runtime\.mjs";/);
    expect(out.code).toContain('__cdlc$.expose("m.ts#hidden", {\n  get: () => hidden,');
    expect(out.code).not.toMatch(/export\s*{[^}]*hidden/);
  });

  it("reaches methods, static methods, getters, constructors, private and object-literal methods", () => {
    const code = `export class Cart {
      #secret(x) { return x; }
      total() { return 1; }
      static empty() { return new Cart(); }
      get size() { return 0; }
    }
    const handlers = { run() { return 1; }, stop: () => 2 };`;
    const out = instrument(code, [
      { id: "a", qualifiedName: "Cart.total" },
      { id: "b", qualifiedName: "Cart.empty" },
      { id: "c", qualifiedName: "Cart.size" },
      { id: "d", qualifiedName: "Cart.constructor" },
      { id: "e", qualifiedName: "Cart.#secret" },
      { id: "f", qualifiedName: "handlers.run" },
      { id: "g", qualifiedName: "handlers.stop" },
    ]);
    expect(out.missing).toEqual([]);
    expect(out.code).toContain('Object.getOwnPropertyDescriptor(Cart.prototype, "total").value');
    expect(out.code).toContain('Object.getOwnPropertyDescriptor(Cart, "empty").value,\n  receiver: () => Cart');
    expect(out.code).toContain('Object.getOwnPropertyDescriptor(Cart.prototype, "size").get');
    expect(out.code).toMatch(/get: \(\) => Cart,\s*construct: true/);
    expect(out.code).toMatch(/static \{\s*__cdlc\$\.expose\("e", \{\s*get: \(\) => function \(\.\.\.args\) \{\s*return this\.#secret\(\.\.\.args\);/);
    expect(out.code).toContain('receiver: () => handlers');
  });

  it("explains what it cannot reach", () => {
    const code = "export function outer() { function inner() {} return inner; }\nexport class A { f = () => 1; }";
    const out = instrument(code, [
      { id: "x", qualifiedName: "inner" },
      { id: "y", qualifiedName: "A.f" },
      { id: "z", qualifiedName: "A.nope" },
    ]);
    expect(out.exposed).toEqual([]);
    expect(out.missing.map((m) => m.id)).toEqual(["x", "y", "z"]);
    expect(out.missing[0]!.reason).toContain("nested");
    expect(out.missing[1]!.reason).toContain("instance field");
    expect(out.missing[2]!.reason).toContain("has no method `nope`");
  });

  it("wraps tracked bodies with enter/exit and keeps the original statements", () => {
    const out = instrument("export const f = ({ a }, b) => a + b;\nexport function g(x) { 'use strict'; return x; }", [
      { id: "f", qualifiedName: "f", track: true },
      { id: "g", qualifiedName: "g", track: true },
    ]);
    expect(out.untracked).toEqual([]);
    // Destructured arrow parameters cannot be named: the volume is then not recorded.
    expect(out.code).toContain('const __cdlc_f = __cdlc$.tracking ? __cdlc$.enter("f", null) : 0;');
    expect(out.code).toContain('const __cdlc_f = __cdlc$.tracking ? __cdlc$.enter("g", arguments) : 0;');
    expect(out.code).toMatch(/function g\(x\) \{\s*'use strict';\s*const __cdlc_f/);
    expect(out.code).toContain("if (__cdlc_f !== 0) __cdlc$.exit(__cdlc_f);");
  });

  it("does not track generators, and says so", () => {
    const out = instrument("export function* gen() { yield 1; }", [{ id: "g", qualifiedName: "gen", track: true }]);
    expect(out.exposed).toEqual(["g"]);
    expect(out.untracked[0]!.reason).toContain("generator");
  });
});

describe("buildProgram", () => {
  const dir = mkdtempSync(join(tmpdir(), "cdlc-build-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "src", "lib"), { recursive: true });
  writeFileSync(join(dir, "src", "main.ts"), 'import { twice } from "./lib";\nimport type { N } from "./lib/types.ts";\nconst pick = (x: N): N => twice(x);\nexport const run = (x: N) => pick(x);\n');
  writeFileSync(join(dir, "src", "lib", "index.ts"), "export function twice(x: number): number { return 2 * x; }\n");
  writeFileSync(join(dir, "src", "lib", "types.ts"), "export type N = number;\n");
  const targets = [{ id: "src/main.ts#pick", file: join(dir, "src", "main.ts"), qualifiedName: "pick", variants: ["return -x;"] }];

  it("transpiles, rewrites specifiers and reuses an unchanged build", () => {
    const first = buildProgram({ projectRoot: dir, targets });
    expect(first.reused).toBe(false);
    expect(first.errors).toEqual([]);
    const main = readFileSync(first.outputs.get(join(dir, "src", "main.ts"))!, "utf8");
    expect(main).toContain('from "./lib/index.js"');
    expect(main).not.toContain("types");
    expect(JSON.parse(readFileSync(join(first.dir, "package.json"), "utf8")).type).toBe("module");
    const second = buildProgram({ projectRoot: dir, targets });
    expect(second.reused).toBe(true);
    expect(second.dir).toBe(first.dir);
  });

  it("hosts variants behind the runtime switch (mutant schemata)", async () => {
    const build = buildProgram({ projectRoot: dir, targets });
    await import(pathToFileURL(build.outputs.get(join(dir, "src", "main.ts"))!).href);
    const rt = (globalThis as unknown as { __cdlc: CdlcRuntime }).__cdlc;
    const pick = rt.nodes.get("src/main.ts#pick")!.get() as (x: number) => number;
    expect(pick(3)).toBe(6);
    rt.active.set("src/main.ts#pick", 1);
    expect(pick(3)).toBe(-3);
    rt.active.clear();
    expect(pick(3)).toBe(6);
  });

  it("builds from a program's file list: the JavaScript beside a declaration, nothing outside the root", async () => {
    const root = mkdtempSync(join(tmpdir(), "cdlc-build-list-"));
    const project = join(root, "project");
    mkdirSync(join(project, "src"), { recursive: true });
    writeFileSync(join(project, "src", "legacy.js"), "export function legacy() { return 41; }\n");
    writeFileSync(join(project, "src", "legacy.d.ts"), "export declare function legacy(): number;\n");
    writeFileSync(join(project, "src", "only-types.d.ts"), "export type T = number;\n");
    writeFileSync(join(project, "src", "x.ts"), 'import { legacy } from "./legacy.js";\nexport function answer(): number { return legacy() + 1; }\n');
    writeFileSync(join(root, "outside.ts"), "export function outside(): number { return 1; }\n");
    const program = ["src/legacy.d.ts", "src/only-types.d.ts", "src/x.ts"].map((f) => join(project, f));
    const files = runtimeFilesOf([...program, join(root, "outside.ts")]);
    expect(files).toEqual([join(project, "src/legacy.js"), join(project, "src/x.ts"), join(root, "outside.ts")]);
    const build = buildProgram({
      projectRoot: project,
      files,
      targets: [
        { id: "src/x.ts#answer", file: join(project, "src", "x.ts"), qualifiedName: "answer" },
        { id: "../outside.ts#outside", file: join(root, "outside.ts"), qualifiedName: "outside" },
      ],
    });
    const x = (await import(pathToFileURL(build.outputs.get(join(project, "src", "x.ts"))!).href)) as { answer(): number };
    expect(x.answer()).toBe(42);
    expect(existsSync(join(project, "outside.js"))).toBe(false);
    expect(build.outputs.has(join(root, "outside.ts"))).toBe(false);
    expect(build.missing).toEqual([{ id: "../outside.ts#outside", reason: "the file ../outside.ts is outside the project root, which is what the instrumented build copies", kind: "not-found" }]);
    rmSync(root, { recursive: true, force: true });
  });

  it("reports a file that does not compile", () => {
    writeFileSync(join(dir, "src", "broken.ts"), "export function f( { return 1 }\n");
    const build = buildProgram({ projectRoot: dir, targets: [{ id: "src/broken.ts#f", file: join(dir, "src", "broken.ts"), qualifiedName: "f" }] });
    expect(build.errors.map((e) => e.file)).toEqual(["src/broken.ts"]);
    expect(build.missing[0]!.reason).toContain("does not compile");
  });
});
