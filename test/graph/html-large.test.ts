import { beforeAll, describe, expect, it } from "vitest";
import { exportHtml } from "../../src/graph/export-html.js";
import { cdlc, ensureCurrentBuild, repoRoot } from "../helpers/built-cli.js";
import { chromiumMissing, sharedChromium } from "../helpers/chromium.js";
import { clickNode, drawnColour, drawnLabels, generatedLivingGraph, openView, overlappingPairs, shownNodes, verdictMetrics } from "../helpers/graph-view.js";

/**
 * The HTML view on a program too large to show node by node: a generated
 * graph of 10,000 nodes in about 80 folders (bench/graph-view/generate.mjs),
 * 20 of them with verdicts. It must paint within 3 s on this machine, open
 * with the constrained nodes, their callers and callees, and the rest in
 * folders that open on click, keep every label apart, and show every node
 * when asked, within 3 s again. And the measured example: its two failing
 * nodes in the failing colour.
 */

const FAIL = "#cf222e";
let html: string;
let failing: string[];
/** Nodes the view has: the generated ones but module nodes no call touches. */
let viewNodes: number;
beforeAll(() => {
  ensureCurrentBuild();
  const graph = generatedLivingGraph(10_000);
  const metrics = verdictMetrics(graph, 500);
  failing = [...metrics.nodes!].filter(([, m]) => (m.verdicts as { status: string }[])[0]!.status === "fail").map(([id]) => id);
  html = exportHtml(graph, { title: "generated 10,000", metrics });
  viewNodes = (JSON.parse(/<script type="application\/json" id="graph-data">(.*?)<\/script>/s.exec(html)![1]!) as { nodes: unknown[] }).nodes.length;
}, 120_000);

describe.skipIf(chromiumMissing)("the HTML view of a 10,000-node program in Chromium", () => {
  const browser = sharedChromium();

  it("paints within 3 s, showing the constrained nodes and their neighbours, the rest in folders, no label over another", async () => {
    const { page, errors, requests, firstPaintMs } = await openView(browser(), html, "large-default");
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(firstPaintMs).toBeLessThan(3_000);
    const shown = await shownNodes(page);
    expect(shown.nodes).toBe(viewNodes);
    expect(viewNodes).toBeGreaterThan(9_500);
    // The 20 nodes with verdicts and their callers and callees; every other node is inside a folder node.
    expect(shown.shown).toBeGreaterThanOrEqual(20);
    expect(shown.shown).toBeLessThan(1_000);
    expect(shown.folders).toBeGreaterThan(50);
    for (const id of failing) expect(await drawnColour(page, id)).toBe(FAIL);
    const labels = await drawnLabels(page);
    expect(labels.length).toBeGreaterThan(10);
    expect(overlappingPairs(labels)).toEqual([]);
    expect(await page.textContent("#status")).toMatch(/\d{4} nodes, \d+ edges · \d+ folders closed/);
    await page.screenshot({ path: new URL("../.tmp/large-default.png", import.meta.url).pathname });
    await page.close();
  }, 120_000);

  it("opens a folder on click and closes it again, and shows every node on request within 3 s, labels still apart", async () => {
    const { page, errors } = await openView(browser(), html, "large-open");
    const before = await shownNodes(page);
    // A closed folder with room around it (folder nodes sit at the centre of their nodes, and may overlap).
    const folder = (await page.evaluate(`(() => {
      const { graph, renderer } = window.cdlcView;
      const at = graph.mapNodes((id, a) => ({ id, folder: a.isFolder ? a.folder : -1, ...renderer.graphToViewport(a) }));
      let best = -1, room = -1;
      for (const p of at) {
        if (p.folder < 0) continue;
        const nearest = Math.min(...at.filter((q) => q !== p).map((q) => Math.hypot(q.x - p.x, q.y - p.y)));
        if (nearest > room) { room = nearest; best = p.folder; }
      }
      return best;
    })()`)) as number;
    expect(folder).toBeGreaterThanOrEqual(0);
    const members = (await page.evaluate(`window.cdlcView.graph.getNodeAttribute("folder:${folder}", "members")`)) as number;
    await clickNode(page, folder);
    const opened = await shownNodes(page);
    expect(opened.shown).toBe(before.shown + members);
    expect(opened.folders).toBe(before.folders - 1);
    expect(await page.evaluate(`window.cdlcView.graph.hasNode("folder:${folder}")`)).toBe(false);
    expect(await page.textContent("#details")).toContain("Close this folder");
    // And closed again: the folder node is back, its nodes inside it.
    await page.click("#details button.action");
    expect(await shownNodes(page)).toEqual(before);
    expect(await page.evaluate(`window.cdlcView.graph.hasNode("folder:${folder}")`)).toBe(true);

    // Every node, from the keyboard: Enter on the focused button.
    await page.focus("#open-all");
    const started = Date.now();
    await page.keyboard.press("Enter");
    await page.evaluate("new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))");
    const elapsed = Date.now() - started;
    expect(await shownNodes(page)).toEqual({ nodes: viewNodes, shown: viewNodes, folders: 0 });
    expect(elapsed).toBeLessThan(3_000);
    expect(await page.isHidden("#open-all")).toBe(true);
    const labels = await drawnLabels(page);
    expect(labels.length).toBeGreaterThan(10);
    expect(overlappingPairs(labels)).toEqual([]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: new URL("../.tmp/large-open.png", import.meta.url).pathname });
    await page.close();
  }, 120_000);

  it("is usable at 1280×800: the panel, search and legend fit, the view fills the rest", async () => {
    const { page } = await openView(browser(), html, "large-1280");
    const view = (await page.locator("#view").boundingBox())!;
    const panel = (await page.locator("aside").boundingBox())!;
    expect(view.width).toBeGreaterThan(900);
    expect(view.height).toBeGreaterThan(700);
    expect(panel.x + panel.width).toBeLessThanOrEqual(1280);
    expect(await page.locator("#search").isVisible()).toBe(true);
    expect(await page.textContent("#legend")).toContain("folder");
    await page.close();
  }, 60_000);
});

describe.skipIf(chromiumMissing)("the HTML view of the measured example in Chromium", () => {
  const browser = sharedChromium();

  it("shows the two failing nodes in the failing colour", async () => {
    const r = await cdlc(["graph", "examples/shop/constraints.cdl", "--project", "examples/shop", "--format", "html", "--measure", "--time-budget", "1s", "--quiet"], { cwd: repoRoot });
    expect(r.code, r.err).toBe(0);
    const { page, errors } = await openView(browser(), r.out, "shop-measured");
    expect(errors).toEqual([]);
    expect(await drawnColour(page, "src/catalog.ts#dedupeSkus")).toBe(FAIL);
    expect(await drawnColour(page, "src/cart.ts#Cart.total")).toBe(FAIL);
    expect(await drawnColour(page, "src/users.ts#sortUsers")).not.toBe(FAIL);
    expect(await page.textContent("#legend")).toContain("a bound fails");
    await page.close();
  }, 120_000);
});
