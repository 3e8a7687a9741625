import { beforeAll, describe, expect, it } from "vitest";
import { createMemoryIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";
import { ensureCurrentBuild } from "../helpers/built-cli.js";
import { chromiumMissing, sharedChromium } from "../helpers/chromium.js";
import { clickNode, drawnColour, drawnLabels, onPage, openView, overlappingPairs, shownNodes } from "../helpers/graph-view.js";

/**
 * The HTML view of a small program in a real browser (Debian's chromium,
 * headless): every node drawn with no network, labels that never overlap,
 * search, keys, and a node's details on click. Large graphs, folders and
 * verdicts: html-large.test.ts.
 */
const repo = new URL("../../", import.meta.url).pathname;

let html: string;
beforeAll(async () => {
  // The page inlines the view's bundle (dist/graph-view.js).
  ensureCurrentBuild();
  const io = createMemoryIo({ cwd: repo, env: {}, isTTY: false });
  const code = await run(["graph", "test/fixtures/graph-basic/constraints.cdl", "--project", "test/fixtures/graph-basic/tsconfig.json", "--format", "html", "--no-cache"], io);
  expect(code).toBe(0);
  html = io.out;
}, 120_000);

// Needs no browser: runs wherever the suite runs.
describe("cdlc graph --format html", () => {
  it("is one self-contained file: the script inline with its bundled packages' licences, no external reference", () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    // (The licences name their projects' sites; nothing in the page loads from anywhere: see the browser tests.)
    expect(/(src|href)=["']?(https?:)?\/\//.test(html)).toBe(false);
    expect(html).toContain("sigma:\nCopyright (C)");
    expect(html).toContain("graphology:\nThe MIT License");
  });

  it("embeds the data laid out and escaped, so that no string can end the script element", () => {
    const json = /<script type="application\/json" id="graph-data">(.*?)<\/script>/s.exec(html)![1]!;
    expect(json).not.toContain("<");
    const data = JSON.parse(json) as { nodes: { id: string; x: number; y: number; folder: number; verdict?: string }[]; folders: string[] };
    expect(data.nodes).toHaveLength(27);
    expect(data.nodes.every((n) => Number.isFinite(n.x) && Number.isFinite(n.y))).toBe(true);
    expect(data.folders).toEqual(["src", "src/lib"]);
    expect(data.nodes.filter((n) => n.verdict === "constrained")).toHaveLength(5);
  });
});

describe.skipIf(chromiumMissing)("cdlc graph --format html in Chromium", () => {
  const browser = sharedChromium();

  it("draws every node of a small program inside the view, with no request, no overlapping label, and the constrained nodes marked", async () => {
    const { page, errors, requests } = await openView(browser(), html, "basic-graph");
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    // Up to 300 nodes, nothing is folded into folders.
    expect(await shownNodes(page)).toEqual({ nodes: 27, shown: 27, folders: 0 });
    const view = (await page.locator("#view").boundingBox())!;
    for (const id of ["src/main.ts#main", "src/shapes.ts#Shape.area", "src/cart.ts#Cart.total"]) {
      const at = (await onPage(page, id))!;
      expect(at.x).toBeGreaterThan(view.x);
      expect(at.x).toBeLessThan(view.x + view.width);
      expect(at.y).toBeGreaterThan(view.y);
      expect(at.y).toBeLessThan(view.y + view.height);
    }
    const labels = await drawnLabels(page);
    expect(labels.length).toBeGreaterThan(10);
    expect(overlappingPairs(labels)).toEqual([]);
    // Constrained and not measured: amber, as the legend says.
    expect(await drawnColour(page, "src/cart.ts#Cart.total")).toBe("#e0b100");
    expect(await page.textContent("#legend")).toContain("constrained, not measured yet");
    await page.screenshot({ path: new URL("../.tmp/basic-graph.png", import.meta.url).pathname });
    await page.close();
  }, 60_000);

  it("searches: matches stay coloured and labelled, the rest dims, and Enter jumps to the next match", async () => {
    const { page } = await openView(browser(), html, "basic-graph-search");
    await page.fill("#search", "area");
    expect(await page.textContent("#status")).toContain("5 matches");
    expect(await drawnColour(page, "src/main.ts#main")).toBe("#e6e9ef");
    expect(await drawnColour(page, "src/shapes.ts#Circle.area")).not.toBe("#e6e9ef");
    const labels = (await drawnLabels(page)).map((l) => l.label);
    expect(labels.some((l) => l.includes("area"))).toBe(true);
    await page.press("#search", "Enter");
    expect(await page.textContent("#details")).toContain("src/shapes.ts#Base.area");
    await page.press("#search", "Enter");
    expect(await page.textContent("#details")).toContain("src/shapes.ts#Circle.area");
    await page.close();
  }, 60_000);

  it("shows a node's details on click: constraints with their source, metrics, file:line, callers and callees as links that jump", async () => {
    const { page, errors } = await openView(browser(), html, "basic-graph-details");
    await clickNode(page, "src/main.ts#main");
    let details = (await page.textContent("#details"))!;
    expect(details).toContain("src/main.ts#main");
    expect(details).toMatch(/function · src\/main\.ts:\d+/);
    expect(details).toContain("Calls (8)");
    await clickNode(page, "src/cart.ts#Cart.total");
    details = (await page.textContent("#details"))!;
    expect(details).toContain("execution_time <= 20 µs (p95)");
    expect(details).toMatch(/Cart\.total {2}\(.*constraints\.cdl:\d+\)/);
    expect(details).toContain("mutations: map_index, hoist_invariant");
    expect(details).toContain("not measured yet");
    // A caller is a link: it selects that node.
    const caller = page.locator("#details a").first();
    const target = await caller.getAttribute("title");
    await caller.click();
    expect(await page.textContent("#details h2")).toBe(target!.slice(target!.indexOf("#") + 1));
    // A click on the background clears the panel.
    const view = (await page.locator("#view").boundingBox())!;
    await page.mouse.click(view.x + 3, view.y + 3);
    expect(await page.textContent("#details")).toContain("Click a node");
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("answers keys: / focuses search, c selects the next constrained node, + zooms, 0 fits, Escape clears", async () => {
    const { page } = await openView(browser(), html, "basic-graph-keys");
    const ratio = () => page.evaluate("window.cdlcView.renderer.getCamera().ratio") as Promise<number>;
    await page.locator("#view").click({ position: { x: 2, y: 2 } });
    await page.keyboard.press("c");
    const first = await page.textContent("#details h2");
    expect(first).not.toBeNull();
    await page.keyboard.press("c");
    expect(await page.textContent("#details h2")).not.toBe(first);
    await page.keyboard.press("0");
    await page.waitForTimeout(300);
    const fitted = await ratio();
    await page.keyboard.press("+");
    await page.waitForTimeout(300);
    expect(await ratio()).toBeLessThan(fitted);
    await page.keyboard.press("0");
    await page.waitForTimeout(300);
    expect(await ratio()).toBeCloseTo(fitted, 5);
    await page.keyboard.press("/");
    expect(await page.evaluate("document.activeElement.id")).toBe("search");
    await page.keyboard.type("pad");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    expect(await page.inputValue("#search")).toBe("");
    expect(await page.textContent("#details")).toContain("Click a node");
    await page.close();
  }, 60_000);
});
