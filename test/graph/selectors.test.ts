import { beforeAll, describe, expect, it } from "vitest";
import { nameSelector, stringSelector, type ParsedSelector } from "../../src/cdl/selector.js";
import type { LivingGraph } from "../../src/graph/living-graph.js";
import { fileGlob, nameGlob, resolveSelector } from "../../src/graph/selectors.js";
import { buildFixture } from "./helpers.js";

function sel(text: string): ParsedSelector {
  if (text.includes("#")) {
    const r = stringSelector(text);
    if (!r.ok) throw new Error(r.reason);
    return r.selector;
  }
  return nameSelector(text.split("."));
}

describe("globs", () => {
  it("matches files with * and **", () => {
    expect(fileGlob("src/**/*.ts").test("src/a/b/c.ts")).toBe(true);
    expect(fileGlob("src/**/*.ts").test("src/c.ts")).toBe(true);
    expect(fileGlob("src/*.ts").test("src/a/c.ts")).toBe(false);
    expect(fileGlob("src/**").test("src/a/c.ts")).toBe(true);
    expect(fileGlob("src/lib.ts").test("src/libxts")).toBe(false);
  });
  it("matches names with * per segment, and * alone for any name", () => {
    expect(nameGlob("*").test("Cart.total")).toBe(true);
    expect(nameGlob("Cart.*").test("Cart.total")).toBe(true);
    expect(nameGlob("Cart.*").test("Cart")).toBe(false);
    expect(nameGlob("*.area").test("Circle.area")).toBe(true);
    expect(nameGlob("sort*").test("sortUsers")).toBe(true);
    expect(nameGlob("sort*").test("sort.Users")).toBe(false);
  });
});

describe("resolveSelector on graph-basic", () => {
  let graph: LivingGraph;
  beforeAll(() => {
    graph = buildFixture("graph-basic");
  });
  const resolve = (text: string) => resolveSelector(graph, sel(text));

  it("resolves bare names to top-level nodes, else to the one member of that name", () => {
    expect(resolve("fib")).toEqual({ status: "resolved", ids: ["src/fib.ts#fib"] });
    expect(resolve("describe")).toEqual({ status: "resolved", ids: ["src/shapes.ts#Base.describe"] });
  });
  it("resolves qualified names, also by suffix", () => {
    expect(resolve("Cart.total")).toEqual({ status: "resolved", ids: ["src/cart.ts#Cart.total"] });
    expect(resolve("handlers.nested.deep")).toEqual({ status: "resolved", ids: ["src/fib.ts#handlers.nested.deep"] });
    expect(resolve("nested.deep")).toEqual({ status: "resolved", ids: ["src/fib.ts#handlers.nested.deep"] });
  });
  it("resolves file-qualified ids exactly", () => {
    expect(resolve("src/utils.ts#Utils.pad")).toEqual({ status: "resolved", ids: ["src/utils.ts#Utils.pad"] });
    expect(resolve("src/utils.ts#Utils.pd").status).toBe("none");
  });
  it("resolves every id the tools print, private members, setters and callbacks included", () => {
    for (const id of ["src/cart.ts#Cart.#sum", "src/cart.ts#Cart.rate=", "src/cart.ts#Cart.#sum.<anonymous-1>"]) {
      expect(graph.nodes.has(id)).toBe(true);
      expect(resolve(id)).toEqual({ status: "resolved", ids: [id] });
    }
  });
  it("reports ambiguity with candidates", () => {
    const r = resolve("area");
    expect(r.status).toBe("ambiguous");
    if (r.status === "ambiguous") expect(r.candidates.map((n) => n.id)).toEqual(["src/shapes.ts#Base.area", "src/shapes.ts#Circle.area", "src/shapes.ts#Shape.area", "src/shapes.ts#Square.area"]);
  });
  it("suggests near names when nothing matches", () => {
    const r = resolve("totl");
    expect(r.status).toBe("none");
    if (r.status === "none") expect(r.near).toContain("total");
  });
  it("matches patterns against named nodes with a body", () => {
    expect(resolve("src/**#*.area")).toEqual({ status: "resolved", ids: ["src/shapes.ts#Circle.area", "src/shapes.ts#Square.area"] });
    expect(resolve("src/lib/*#*")).toEqual({ status: "resolved", ids: ["src/lib/math.ts#add", "src/lib/math.ts#mul", "src/lib/math.ts#square"] });
    expect(resolve("src/nothing/**#*")).toEqual({ status: "none", near: [] });
  });
  it("never resolves names to excluded nodes", () => {
    const r = resolveSelector(graph, sel("fib"), { exclude: (n) => n.file === "src/fib.ts" });
    expect(r.status).toBe("none");
  });
});
