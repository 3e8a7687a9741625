import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { LivingGraph } from "../../src/graph/living-graph.js";
import { buildFixture, buildProjectAt, edgeLines, nodeLines } from "./helpers.js";

describe("graph-basic: every node kind and edge kind", () => {
  let graph: LivingGraph;
  beforeAll(() => {
    graph = buildFixture("graph-basic");
  });

  it("has exactly the expected nodes", () => {
    expect(nodeLines(graph)).toEqual([
      "src/cart.ts#Cart.#sum method",
      "src/cart.ts#Cart.#sum.<anonymous-1> arrow <- src/cart.ts#Cart.#sum",
      "src/cart.ts#Cart.constructor constructor",
      "src/cart.ts#Cart.empty method",
      "src/cart.ts#Cart.onChange arrow",
      "src/cart.ts#Cart.rate= setter",
      "src/cart.ts#Cart.reset method",
      "src/cart.ts#Cart.size getter",
      "src/cart.ts#Cart.total method",
      "src/fib.ts#all function",
      "src/fib.ts#all.<anonymous-1> arrow <- src/fib.ts#all",
      "src/fib.ts#all.<anonymous-2> function-expression <- src/fib.ts#all",
      "src/fib.ts#fib function",
      "src/fib.ts#handlers.nested.deep object-method",
      "src/fib.ts#handlers.run object-method",
      "src/fib.ts#handlers.twice arrow",
      "src/lib/math.ts#add function",
      "src/lib/math.ts#mul arrow",
      "src/lib/math.ts#square function-expression",
      "src/main.ts#<module> module",
      "src/main.ts#main function",
      "src/main.ts#main.<anonymous-1> arrow <- src/main.ts#main",
      "src/shapes.ts#Base.area abstract-method",
      "src/shapes.ts#Base.describe method",
      "src/shapes.ts#Circle.area method",
      "src/shapes.ts#Circle.constructor constructor",
      "src/shapes.ts#Shape.area interface-method",
      "src/shapes.ts#Square.area method",
      "src/shapes.ts#Square.constructor constructor",
      "src/shapes.ts#totalArea function",
      "src/utils.ts#Utils.pad function",
    ]);
  });

  it("has exactly the expected edges, with their call sites", () => {
    expect(edgeLines(graph)).toEqual([
      // through a path alias and a renamed re-export; inside a callback, attributed to #sum
      "src/cart.ts#Cart.#sum -call-> src/lib/math.ts#mul @17:45",
      "src/cart.ts#Cart.constructor -call-> src/cart.ts#Cart.reset @9:10",
      // static method constructing its class
      "src/cart.ts#Cart.empty -construct-> src/cart.ts#Cart.constructor @33:16",
      "src/cart.ts#Cart.onChange -call-> src/cart.ts#Cart.total @36:33",
      // a setter reading a getter; a method writing through a setter
      "src/cart.ts#Cart.rate= -call-> src/cart.ts#Cart.size @29:34",
      "src/cart.ts#Cart.reset -call-> src/cart.ts#Cart.rate= @21:10",
      // `this.#sum()`: a private method
      "src/cart.ts#Cart.total -call-> src/cart.ts#Cart.#sum @13:17",
      "src/fib.ts#all -call-> src/fib.ts#fib @20:24",
      "src/fib.ts#all -call-> src/lib/math.ts#add @21:12",
      // recursion, two sites
      "src/fib.ts#fib -call-> src/fib.ts#fib @4:26,4:38",
      // re-export `export { add } from`, through the `@lib/*` alias
      "src/fib.ts#fib -call-> src/lib/math.ts#add @4:22",
      // object-literal methods
      "src/fib.ts#handlers.nested.deep -call-> src/fib.ts#handlers.twice @14:23",
      "src/fib.ts#handlers.run -call-> src/fib.ts#fib @9:12",
      "src/fib.ts#handlers.twice -call-> src/fib.ts#handlers.run @11:42",
      "src/lib/math.ts#square -call-> src/lib/math.ts#mul @8:10",
      // a call at the top level of a module
      "src/main.ts#<module> -call-> src/main.ts#main @13:1",
      "src/main.ts#main -call-> src/cart.ts#Cart.empty @7:21",
      "src/main.ts#main -call-> src/cart.ts#Cart.total @10:32",
      "src/main.ts#main -call-> src/fib.ts#all @9:3",
      "src/main.ts#main -call-> src/fib.ts#handlers.run @9:39",
      "src/main.ts#main -construct-> src/shapes.ts#Circle.constructor @8:23",
      "src/main.ts#main -construct-> src/shapes.ts#Square.constructor @8:38",
      "src/main.ts#main -call-> src/shapes.ts#totalArea @10:42",
      "src/main.ts#main -call-> src/utils.ts#Utils.pad @10:16",
      // abstract method: the declaration, and dispatch to the implementation
      "src/shapes.ts#Base.describe -call-> src/shapes.ts#Base.area @9:25",
      "src/shapes.ts#Base.describe -dispatch-> src/shapes.ts#Circle.area @9:25",
      // interface method: the declaration, and dispatch to both implementations (one through the abstract class)
      "src/shapes.ts#totalArea -dispatch-> src/shapes.ts#Circle.area @33:36",
      "src/shapes.ts#totalArea -call-> src/shapes.ts#Shape.area @33:36",
      "src/shapes.ts#totalArea -dispatch-> src/shapes.ts#Square.area @33:36",
    ]);
  });

  it("records modifiers and positions", () => {
    const sum = graph.nodes.get("src/cart.ts#Cart.#sum")!;
    expect(sum.modifiers).toEqual(["private"]);
    expect(graph.nodes.get("src/cart.ts#Cart.empty")!.modifiers).toEqual(["static"]);
    expect(graph.nodes.get("src/fib.ts#fib")!.modifiers).toEqual(["exported"]);
    expect(graph.nodes.get("src/cart.ts#Cart.total")).toMatchObject({ file: "src/cart.ts", line: 12, column: 3, span: { line: 12, column: 3, endColumn: 8 } });
    expect(graph.files).toEqual(["src/cart.ts", "src/fib.ts", "src/lib/index.ts", "src/lib/math.ts", "src/main.ts", "src/shapes.ts", "src/utils.ts"]);
  });

  it("is deterministic across builds", () => {
    const again = buildFixture("graph-basic");
    expect(nodeLines(again)).toEqual(nodeLines(graph));
    expect(edgeLines(again)).toEqual(edgeLines(graph));
  });
});

describe("graph-js: an allowJs project", () => {
  it("reads JavaScript files and resolves calls into them", () => {
    const graph = buildFixture("graph-js");
    expect(nodeLines(graph)).toEqual([
      "src/lib.js#Store.add method",
      "src/lib.js#Store.constructor constructor",
      "src/lib.js#Store.count method",
      "src/lib.js#parse function",
      "src/lib.js#parse.<anonymous-1> arrow <- src/lib.js#parse",
      "src/main.ts#load function",
    ]);
    expect(edgeLines(graph)).toEqual([
      "src/lib.js#Store.add -call-> src/lib.js#Store.count @12:17",
      "src/main.ts#load -call-> src/lib.js#Store.add @6:45",
      "src/main.ts#load -construct-> src/lib.js#Store.constructor @4:21",
      "src/main.ts#load -call-> src/lib.js#parse @6:22",
    ]);
  });
});

describe("graph-refs: a solution config with project references", () => {
  it("joins the referenced projects and resolves calls across them", () => {
    const graph = buildFixture("graph-refs");
    expect(nodeLines(graph)).toEqual(["packages/app/src/main.ts#greet function", "packages/core/src/index.ts#normalize function"]);
    expect(edgeLines(graph)).toEqual(["packages/app/src/main.ts#greet -call-> packages/core/src/index.ts#normalize @4:19"]);
  });
});

describe("module resolution through folder listings", () => {
  it("resolves imports through symbolic links, missing candidates and nested folders as the compiler's own file checks do", () => {
    const dir = mkdtempSync(join(tmpdir(), "cdlc-listings-"));
    mkdirSync(join(dir, "src/deep/er"), { recursive: true });
    mkdirSync(join(dir, "shared"));
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", types: [] }, include: ["src"] }));
    writeFileSync(join(dir, "shared/util.ts"), "export function shout(s: string): string { return s.toUpperCase(); }\n");
    symlinkSync(join(dir, "shared"), join(dir, "src/linked"), "dir");
    writeFileSync(join(dir, "src/deep/er/leaf.ts"), "export const leaf = (): number => 1;\n");
    writeFileSync(join(dir, "src/deep/index.ts"), 'export { leaf } from "./er/leaf.js";\n');
    writeFileSync(
      join(dir, "src/main.ts"),
      'import { shout } from "./linked/util.js";\nimport { leaf } from "./deep/index.js";\nimport { nothing } from "./missing.js";\nexport function main(): string { return shout(String(leaf())) + nothing; }\n',
    );
    const graph = buildProjectAt(dir);
    expect(edgeLines(graph)).toEqual(["src/main.ts#main -call-> src/deep/er/leaf.ts#leaf @4:54", "src/main.ts#main -call-> src/linked/util.ts#shout @4:41"]);
  });
});

describe("call sites the node walk records for the edge pass", () => {
  it("attributes computed keys, field heads and constructors written after methods as a full walk would, in source order", () => {
    const dir = mkdtempSync(join(tmpdir(), "cdlc-sites-"));
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", types: [] }, include: ["src"] }));
    writeFileSync(
      join(dir, "src/w.ts"),
      [
        "export function key(): string { return 'k'; }",
        "export function helper(): number { return 1; }",
        "export class Widget {",
        "  [key()] = (): number => helper();",
        "  size = helper();",
        "  run(): number { return helper(); }",
        "  constructor() { helper(); }",
        "}",
        "export const table = { [key()]: 1, [key() + 'x']: (): number => helper() };",
      ].join("\n") + "\n",
    );
    const graph = buildProjectAt(dir);
    expect(edgeLines(graph)).toEqual([
      // The computed keys run at the top level (class definition, object literal), not in the functions they name.
      "src/w.ts#<module> -call-> src/w.ts#key @4:4,9:25,9:37",
      // A field's initializer runs in the constructor, written after the method that precedes it in the class.
      "src/w.ts#Widget.[key()] -call-> src/w.ts#helper @4:27",
      "src/w.ts#Widget.constructor -call-> src/w.ts#helper @5:10,7:19",
      "src/w.ts#Widget.run -call-> src/w.ts#helper @6:26",
      "src/w.ts#table.[key()_+_'x'] -call-> src/w.ts#helper @9:65",
    ]);
  });
});
