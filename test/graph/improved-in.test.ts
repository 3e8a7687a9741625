import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";
import { stageVersion } from "../../src/versions/index.js";
import { copyFixture, ensureCurrentBuild, removeTempDirs } from "../helpers/built-cli.js";
import { chromiumMissing, sharedChromium } from "../helpers/chromium.js";
import { clickNode, drawnLabels, openView } from "../helpers/graph-view.js";

/**
 * `cdlc graph --improved-in VERSION`: the nodes a version made faster carry
 * what it did (JSON `improvedIn`; in the HTML view, `⇣×N` after the name and
 * the figures in the details), so the graph tells the optimization story.
 */
let project: string;
const TOTAL = "src/cart.ts#Cart.total";

async function cdlc(args: string[], cwd = project) {
  const io = createMemoryIo({ cwd, env: {}, isTTY: false });
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

beforeAll(() => {
  ensureCurrentBuild();
  project = copyFixture("graph-basic");
  const cart = readFileSync(join(project, "src/cart.ts"), "utf8");
  // As `cdlc optimize` stages one: the files it changed and its entries, per node considered.
  stageVersion(project, {
    files: [{ path: "src/cart.ts", before: cart, after: cart.replace("return this.#sum() - this.discount;", "return this.#sum() - this.discount; // faster") }],
    nodes: [
      {
        node: TOTAL,
        violated: ["execution_time p95 <= 20000 ns"],
        before: { metric: "execution_time", statistic: "p95", value: 12_900_000, interval: [12_100_000, 19_100_000], unit: "ns" },
        after: { metric: "execution_time", statistic: "p95", value: 310_000, interval: [290_000, 350_000], unit: "ns" },
        speedup: { estimate: 41.6, interval: [36.2, 47.9], measuredOn: "test" },
        accepted: { id: 3, operators: ["map_index"], risk: 0.1, diff: "", parent: null },
        attempts: 7,
        status: "improved",
      },
      { node: "src/main.ts#main", violated: [], attempts: 2, status: "no-faster-variant", reason: "not faster" },
    ],
  });
});
afterAll(removeTempDirs);

describe("cdlc graph --improved-in", () => {
  it("puts what the version did on the nodes it improved, and on no other", async () => {
    const r = await cdlc(["graph", "--project", ".", "--improved-in", "latest", "--no-cache"]);
    expect(r.code, r.err).toBe(0);
    const nodes = (JSON.parse(r.out) as { nodes: { id: string; improvedIn?: unknown }[] }).nodes;
    expect(nodes.find((n) => n.id === TOTAL)!.improvedIn).toEqual({
      version: 1,
      status: "improved",
      before: { metric: "execution_time", statistic: "p95", value: 12_900_000, interval: [12_100_000, 19_100_000], unit: "ns" },
      after: { metric: "execution_time", statistic: "p95", value: 310_000, interval: [290_000, 350_000], unit: "ns" },
      speedup: { estimate: 41.6, interval: [36.2, 47.9], measuredOn: "test" },
      operators: ["map_index"],
    });
    expect(nodes.filter((n) => n.improvedIn !== undefined).map((n) => n.id)).toEqual([TOTAL]);
    const byNumber = await cdlc(["graph", "--project", ".", "--improved-in", "1"]);
    expect(byNumber.out).toBe(r.out);
  });

  it.each([
    ["7", "there is no version 7"],
    ["0", "version 0 was not made by cdlc optimize (it is the program as cdlc first found it)"],
    ["two", "--improved-in takes a version number or 'latest' (got 'two')"],
  ])("refuses --improved-in %s (exit 2): %s", async (spec, message) => {
    const r = await cdlc(["graph", "--project", ".", "--improved-in", spec]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it("says so when no version was made yet (exit 2)", async () => {
    const fresh = copyFixture("graph-basic");
    const r = await cdlc(["graph", "--project", ".", "--improved-in", "latest", "--no-cache"], fresh);
    expect(r.code).toBe(2);
    expect(r.err).toContain("cdlc optimize has made no version of this program yet");
  });
});

describe.skipIf(chromiumMissing)("cdlc graph --improved-in in the HTML view (Chromium)", () => {
  const browser = sharedChromium();

  it("marks the improved node after its name, and gives before → after in its details", async () => {
    const r = await cdlc(["graph", "constraints.cdl", "--project", ".", "--improved-in", "latest", "--format", "html"]);
    expect(r.code, r.err).toBe(0);
    const { page, errors } = await openView(browser(), r.out, "improved-in");
    expect(errors).toEqual([]);
    expect((await drawnLabels(page)).map((l) => l.label)).toContain("Cart.total  ⇣×41.6");
    await clickNode(page, TOTAL);
    const details = (await page.textContent("#details"))!;
    expect(details).toContain("Made faster by version 1");
    expect(details).toContain("p95 12.9 ms → 310 µs, interval [290 µs, 350 µs] · 41.6× faster, interval [36.2×, 47.9×], on held-out cases · map_index");
    expect(await page.textContent("#legend")).toContain("made N times faster by version 1");
    await page.close();
  }, 60_000);
});
