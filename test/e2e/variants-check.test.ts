/**
 * `cdlc variants --check` through the built CLI on the shipped example: the
 * oracle's children are the shipped dist/shadow-child.js, run under the
 * permission model. Verdicts, canaries and trust, in JSON and in the
 * pretty listing.
 */
import { cpSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cdlc, removeTempDirs, repoRoot, tempDir } from "../helpers/built-cli.js";

afterAll(removeTempDirs);

interface NodeJson {
  node: string;
  variants: { id: number; operators: string[]; verdict?: string; reason?: string; inputs?: Record<string, number>; firstDifference?: { input: string; original: string; variant: string } }[];
  canaries?: { injected: number; caught: number; escaped: string[] };
  trusted?: boolean;
  inputs?: Record<string, number>;
  seed?: number;
}

describe("cdlc variants --check (built)", () => {
  it("proves the example's rewrites of dedupeSkus and Cart.total equivalent, with every canary caught", { timeout: 180_000 }, async () => {
    const dir = tempDir();
    cpSync(join(repoRoot, "examples/shop"), dir, { recursive: true, filter: (src) => !src.includes("/.cdl") });
    const args = ["variants", "constraints.cdl", "-p", "tsconfig.json", "--check", "--node", "dedupeSkus", "--node", "Cart.total", "--inputs", "50"];
    const json = await cdlc([...args, "--format", "json"], { cwd: dir });
    expect(json.err).toBe("");
    expect(json.code).toBe(0);
    const nodes = (JSON.parse(json.out) as { nodes: NodeJson[] }).nodes;
    expect(nodes.map((n) => n.node)).toEqual(["src/cart.ts#Cart.total", "src/catalog.ts#dedupeSkus"]);
    const [total, dedupe] = nodes as [NodeJson, NodeJson];
    expect(dedupe.variants.map((v) => [v.operators.join(" → "), v.verdict])).toEqual([
      ["set_membership", "equivalent"],
      ["index_loop", "equivalent"],
      ["set_membership → index_loop", "equivalent"],
    ]);
    // The workload's six cases and fifty generated from `skus: string[]`.
    expect(dedupe.inputs).toEqual({ workload: 6, generated: 50 });
    expect(total.variants.map((v) => [v.operators.join(" → "), v.verdict])).toEqual([["map_index", "equivalent"]]);
    for (const n of nodes) {
      expect(n.canaries!.injected, n.node).toBeGreaterThan(0);
      expect(n.canaries!.caught, n.node).toBe(n.canaries!.injected);
      expect(n.trusted, n.node).toBe(true);
    }

    // The listing says the same, node by node (one node: each run tests every variant again).
    const pretty = await cdlc(["variants", "constraints.cdl", "-p", "tsconfig.json", "--check", "--node", "Cart.total"], { cwd: dir });
    expect(pretty.code).toBe(0);
    expect(pretty.out).toMatch(/^src\/cart\.ts#Cart\.total\n  oracle: 6 workload cases \(seed \d+\); canaries caught (\d+) of \1\n/);
    expect(pretty.out).toContain("    equivalent: behaves like the original on 6 cases\n");
    expect(pretty.out).toContain("1 variant of 1 node: 1 equivalent\n");
  });
});
