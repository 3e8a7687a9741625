import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMemoryIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";
import { warmStart } from "../../src/graph/warm-start.js";
import { copyFixture } from "./helpers.js";

const repo = new URL("../../", import.meta.url).pathname;

async function cdlc(argv: string[], cwd = repo) {
  const io = createMemoryIo({ cwd, env: {}, isTTY: false });
  const code = await run(argv, io);
  return { code, out: io.out, err: io.err };
}

describe("cdlc check --project", () => {
  it("binds the shipped example with no problems", async () => {
    const r = await cdlc(["check", "examples/shop/constraints.cdl", "--project", "examples/shop/tsconfig.json", "--no-cache"]);
    expect(r.out).toBe("no problems found\n");
    expect(r.code).toBe(0);
  });

  it("exits 2 with machine-readable diagnostics when a selector does not resolve", async () => {
    const r = await cdlc(["check", "test/golden/cases/CDL0201-unresolved-selector.cdl", "--project", "test/fixtures/graph-bind/tsconfig.json", "--format", "json", "--no-cache"]);
    expect(r.code).toBe(2);
    const json = JSON.parse(r.out) as { diagnostics: { code: string; line: number; column: number }[] };
    expect(json.diagnostics).toMatchObject([{ code: "CDL0201", line: 2, column: 12 }]);
  });
});

describe("cdlc graph", () => {
  const project = ["--project", "test/fixtures/graph-basic/tsconfig.json", "--no-cache"];

  it("writes the JSON graph of the contract, sorted", async () => {
    const r = await cdlc(["graph", ...project]);
    expect(r.code).toBe(0);
    const g = JSON.parse(r.out) as { nodes: { id: string; name: string; file: string; line: number; kind: string }[]; edges: { from: string; to: string; kind: string; sites: unknown[] }[] };
    expect(g.nodes).toHaveLength(31);
    expect(g.edges).toHaveLength(29);
    const ids = g.nodes.map((n) => n.id);
    expect(ids).toEqual([...ids].sort());
    expect(g.nodes.find((n) => n.id === "src/cart.ts#Cart.total")).toMatchObject({ name: "Cart.total", file: "src/cart.ts", line: 12, kind: "method" });
    expect(g.edges.find((e) => e.kind === "dispatch")).toMatchObject({ from: "src/shapes.ts#Base.describe", to: "src/shapes.ts#Circle.area", sites: [{ line: 9, column: 25 }] });
  });

  it("attaches constraints and resolved flows when a CDL file is given", async () => {
    const r = await cdlc(["graph", "test/fixtures/graph-basic/constraints.cdl", ...project]);
    expect(r.code).toBe(0);
    const g = JSON.parse(r.out) as { nodes: { id: string; constraints?: { selector: string; alternatives: string[]; bounds: unknown[] }[] }[]; flows: { fromNodes: string[]; toNodes: string[] }[] };
    const constrained = g.nodes.filter((n) => n.constraints !== undefined).map((n) => n.id);
    expect(constrained).toEqual(["src/cart.ts#Cart.total", "src/fib.ts#fib", "src/lib/math.ts#add", "src/lib/math.ts#mul", "src/lib/math.ts#square"]);
    const fib = g.nodes.find((n) => n.id === "src/fib.ts#fib")!;
    expect(fib.constraints).toMatchObject([{ selector: "fib", alternatives: ["src/fib.ts#handlers.run"], bounds: [{ metric: "execution_time", op: "<=", value: 1_000_000, unit: "ns" }] }]);
    expect(g.flows).toMatchObject([{ fromNodes: ["src/main.ts#main"], toNodes: ["src/utils.ts#Utils.pad"] }]);
  });

  it("writes DOT and Mermaid with constrained nodes highlighted", async () => {
    const withCdl = ["graph", "test/fixtures/graph-basic/constraints.cdl", ...project];
    const dot = await cdlc([...withCdl, "--format", "dot"]);
    expect(dot.code).toBe(0);
    expect(dot.out).toMatch(/^digraph living_graph \{/);
    expect(dot.out).toContain('"src/cart.ts#Cart.total" [label="Cart.total", tooltip="src/cart.ts#Cart.total (method, line 12)", style="rounded,filled,bold"');
    expect(dot.out).toContain('"src/shapes.ts#totalArea" -> "src/shapes.ts#Square.area" [tooltip="dispatch at line 33", style=dashed];');
    expect(dot.out).toContain('"src/main.ts#main" -> "src/shapes.ts#Circle.constructor" [tooltip="construct at line 8", arrowhead=empty];');
    expect(dot.out.match(/fillcolor/g)).toHaveLength(5);
    const mermaid = await cdlc([...withCdl, "--format", "mermaid"]);
    expect(mermaid.out).toMatch(/^flowchart LR\n/);
    expect(mermaid.out).toContain('("Cart.total")');
    expect(mermaid.out).toContain('>"Shape.area (interface)"]');
    expect(mermaid.out).toMatch(/class n\d+(,n\d+){4} constrained;/);
    expect(mermaid.out.match(/ -\.-> /g)).toHaveLength(3);
    expect(mermaid.out.match(/ ==> /g)).toHaveLength(3);
  });

  it("cuts a neighbourhood with --focus and --depth", async () => {
    const r = await cdlc(["graph", ...project, "--format", "mermaid", "--focus", "Base.describe", "--depth", "1"]);
    expect(r.code).toBe(0);
    const labels = [...r.out.matchAll(/n\d+[(>]"([^"]+)"/g)].map((m) => m[1]);
    expect(labels).toEqual(["Base.area (abstract)", "Base.describe", "Circle.area"]);
    const bad = await cdlc(["graph", ...project, "--focus", "Base.describ"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("Base.describe");
  });

  it("takes --focus as a node id the tool prints, even one no selector can write", async () => {
    const r = await cdlc(["graph", "--project", "test/fixtures/graph-basic/tsconfig.json", "--no-cache", "--focus", "src/cart.ts#Cart.#sum", "--depth", "1"]);
    expect(r.code).toBe(0);
    const ids = (JSON.parse(r.out) as { nodes: { id: string }[] }).nodes.map((n) => n.id);
    expect(ids).toContain("src/cart.ts#Cart.#sum");
    expect(ids).toContain("src/cart.ts#Cart.total");
  });

  it("sees a file added to a referenced project outside the root on a cached run", async () => {
    const dir = copyFixture("graph-refs");
    const argv = ["graph", "--project", "packages/app/tsconfig.json"];
    const before = await cdlc(argv, dir);
    expect(before.code).toBe(0);
    // Unchanged: the next run is answered from the cache without TypeScript, references included.
    const config = join(dir, "packages/app/tsconfig.json");
    expect(warmStart(config).graph).toBeDefined();
    writeFileSync(join(dir, "packages/core/src/extra.ts"), "export function extra(): number {\n  return 1;\n}\n");
    expect(warmStart(config).graph).toBeUndefined();
    const after = await cdlc(argv, dir);
    expect((JSON.parse(after.out) as { nodes: { name: string }[] }).nodes.map((n) => n.name)).toContain("extra");
  });

  it("stays silent in CI with --quiet, and logs one line per stage without it", async () => {
    const argv = ["graph", "--project", "test/fixtures/graph-basic/tsconfig.json", "--no-cache"];
    const quiet = createMemoryIo({ cwd: repo, env: { CI: "true" }, isTTY: false });
    await run([...argv, "--quiet"], quiet);
    expect(quiet.err).toBe("");
    const ci = createMemoryIo({ cwd: repo, env: { CI: "true" }, isTTY: false });
    await run(argv, ci);
    expect(ci.err).toMatch(/^cdlc: collecting nodes: done/m);
  });

  it("writes to a file with -o, and rejects an unknown format", async () => {
    const dir = copyFixture("graph-js");
    const r = await cdlc(["graph", "--project", "tsconfig.json", "--format", "html", "-o", "out/graph.html"], dir);
    expect(r.code).toBe(0);
    expect(r.out).toBe("");
    expect(readFileSync(join(dir, "out/graph.html"), "utf8")).toMatch(/^<!doctype html>/);
    expect(existsSync(join(dir, ".cdl/cache"))).toBe(true);
    const bad = await cdlc(["graph", ...project, "--format", "svg"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("unknown graph format 'svg'");
  });

  it("reports a missing project with exit 2", async () => {
    const r = await cdlc(["graph", "--project", "test/fixtures/nope/tsconfig.json"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("CDL0210");
  });
});
