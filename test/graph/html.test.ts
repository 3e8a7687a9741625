import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createMemoryIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";
import { chromiumMissing, countPixels, sharedChromium } from "../helpers/chromium.js";
import { tmpDir } from "./helpers.js";

/**
 * The HTML view in a real browser (Debian's chromium, headless): the page
 * must draw every node without any network, respond to search and show a
 * node's constraints on click. A screenshot is kept under test/.tmp/.
 */
const repo = new URL("../../", import.meta.url).pathname;

let html: string;
beforeAll(async () => {
  const io = createMemoryIo({ cwd: repo, env: {}, isTTY: false });
  const code = await run(["graph", "test/fixtures/graph-basic/constraints.cdl", "--project", "test/fixtures/graph-basic/tsconfig.json", "--format", "html", "--no-cache"], io);
  expect(code).toBe(0);
  html = io.out;
}, 60_000);

// Needs no browser: runs wherever the suite runs.
describe("cdlc graph --format html", () => {
  it("is self-contained", () => {
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });
});

describe.skipIf(chromiumMissing)("cdlc graph --format html in Chromium", () => {
  const browser = sharedChromium();
  beforeAll(() => void mkdirSync(tmpDir, { recursive: true }));

  it("draws every node, searches, and shows constraints on click", async () => {
    const page = await browser().newPage({ viewport: { width: 1200, height: 800 } });
    const requests: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) requests.push(r.url());
    });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const file = join(tmpDir, "basic-graph.html");
    writeFileSync(file, html);
    await page.goto(`file://${file}`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 10_000 });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);

    // Every diagram node is drawn, inside the visible area, with a size.
    const drawn = await page.$$eval("g.node", (gs) =>
      gs.map((g) => {
        const r = g.getBoundingClientRect();
        return { id: g.getAttribute("data-id"), w: r.width, h: r.height, inside: r.right > 0 && r.bottom > 0 && r.left < 1200 && r.top < 800 };
      }),
    );
    expect(drawn.length).toBe(27);
    expect(drawn.map((d) => d.id)).toContain("src/shapes.ts#Shape.area");
    expect(drawn.every((d) => d.w > 10 && d.h > 5 && d.inside)).toBe(true);
    expect(await page.$$eval("g.node.constrained", (gs) => gs.length)).toBe(5);
    expect(await page.$$eval("line.edge", (ls) => ls.length)).toBe(29);

    const shot = await page.screenshot({ path: join(tmpDir, "basic-graph.png") });
    // The drawing area only (left of the details panel, below the header): pixels that are not background.
    const viewport = page.viewportSize()!;
    const pixels = await countPixels(page, shot, "(r, g, b) => (r < 240 || g < 240 || b < 240 ? 'painted' : null)", { x: 0, y: 60, width: viewport.width - 360 });
    const painted = pixels.counts.painted ?? 0;
    expect(painted).toBeGreaterThan(5000);

    // Search highlights matches.
    await page.fill("#search", "area");
    expect(await page.$$eval("g.node.match", (gs) => gs.map((g) => g.getAttribute("data-id")))).toEqual([
      "src/shapes.ts#Base.area",
      "src/shapes.ts#Circle.area",
      "src/shapes.ts#Shape.area",
      "src/shapes.ts#Square.area",
      "src/shapes.ts#totalArea",
    ]);
    await page.fill("#search", "");

    // Clicking a node shows its constraints and its calls.
    await page.click('g.node[data-id="src/main.ts#main"]');
    let details = await page.textContent("#details");
    expect(details).toContain("src/main.ts#main");
    expect(details).toContain("Calls (8)");
    await page.click('g.node[data-id="src/cart.ts#Cart.total"]');
    details = await page.textContent("#details");
    expect(details).toContain("execution_time <= 20 µs (p95)");
    expect(details).toContain("mutations: map_index, hoist_invariant");
    expect(details).toContain("not measured yet");

    // Zoom with the wheel changes the viewport transform.
    const before = await page.getAttribute("#viewport", "transform");
    await page.mouse.move(400, 400);
    await page.mouse.wheel(0, -300);
    expect(await page.getAttribute("#viewport", "transform")).not.toBe(before);
    await page.close();
  }, 60_000);
});
