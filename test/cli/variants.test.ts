import { describe, expect, it } from "vitest";
import { createMemoryIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";

/** `cdlc variants` on the README's example project, in-process. */
const repo = new URL("../../", import.meta.url).pathname;
const args = ["variants", "examples/shop/constraints.cdl", "--project", "examples/shop/tsconfig.json", "--no-cache"];

interface Listed {
  node: string;
  variants: { id: number; parent: number | null; operators: string[]; risk: number; diff: string }[];
  notApplied: { operator: string; reason: string }[];
}

describe("cdlc variants", () => {
  it("lists the variants of dedupeSkus and Cart.total, and why the other allowed operators did not apply", async () => {
    const io = createMemoryIo({ cwd: repo });
    expect(await run([...args, "--format", "json"], io)).toBe(0);
    const nodes = (JSON.parse(io.out) as { nodes: Listed[] }).nodes;
    const node = (id: string) => nodes.find((n) => n.node === id)!;

    const dedupe = node("src/catalog.ts#dedupeSkus");
    const chains = dedupe.variants.map((v) => v.operators.join(" → "));
    expect(chains).toEqual(expect.arrayContaining(["set_membership", "index_loop", "set_membership → index_loop"]));
    const set = dedupe.variants.find((v) => v.operators.join() === "set_membership")!;
    expect(set.diff).toContain("--- a/src/catalog.ts\n+++ b/src/catalog.ts\n");
    expect(set.diff).toMatch(/\+ +const outSet = new Set\(out\);/);
    expect(set.diff).toMatch(/- +if \(!out\.includes\(sku\)\) out\.push\(sku\);/);
    expect(set.diff).toMatch(/\+.*outSet\.add\(sku\)/);
    const chained = dedupe.variants.find((v) => v.operators.length === 2)!;
    expect(chained.parent).toBe(dedupe.variants.find((v) => v.operators.join() === chained.operators[0])!.id);

    const total = node("src/cart.ts#Cart.total");
    expect(total.variants.map((v) => v.operators)).toEqual([["map_index"]]);
    expect(total.variants[0]!.diff).toMatch(/- +const product = this\.products\.find\(\(p\) => p\.sku === line\.sku\);\n\+ +const product = findBySku\(this\.products, line\.sku\);/);
    // mutations: [map_index, hoist_invariant] — only those are tried.
    expect(total.notApplied.map((n) => n.operator)).toEqual(expect.arrayContaining(["hoist_invariant"]));
    expect(total.notApplied.every((n) => ["map_index", "hoist_invariant"].includes(n.operator))).toBe(true);

    // Checkout.run's loop walks `cart.lines`, whose type comes from another file: no rewrite, and the reason says so.
    expect(node("src/checkout.ts#Checkout.run").notApplied).toContainEqual({ operator: "index_loop", reason: expect.stringContaining("`cart.lines` is not known to be an array") });
  });

  it("limits the listing to --node, and rejects a node without a constraint", async () => {
    const io = createMemoryIo({ cwd: repo });
    expect(await run([...args, "--node", "Cart.total"], io)).toBe(0);
    expect(io.out).toMatch(/^src\/cart\.ts#Cart\.total\n  variant 1  map_index  risk 0\.2\n/);
    expect(io.out).toContain("1 variant of 1 node; not checked for equivalence (--check runs the oracle)");
    const bad = createMemoryIo({ cwd: repo });
    expect(await run([...args, "--node", "labels"], bad)).toBe(2);
    expect(bad.err).toContain("src/catalog.ts#labels has no constraint in examples/shop/constraints.cdl");
  });
});
