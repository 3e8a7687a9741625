import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { MeasureReport } from "../../src/measure/types.js";
import { renderReport } from "../../src/report/index.js";
import { chromiumMissing, countPixels, sharedChromium } from "../helpers/chromium.js";
import { sampleReport } from "./fixture.js";

const tmp = new URL("../.tmp/report-html/", import.meta.url).pathname;

let report: MeasureReport;
let html: string;
beforeAll(async () => {
  report = await sampleReport();
  html = renderReport("html", report);
});

describe("html (static)", () => {
  it("is one self-contained file: no scripts, no external resources", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link |src="http|href="http|@import|url\(/i);
  });

  it("has a section per node with a plot, the limits drawn, verdicts and the neighbourhood", () => {
    const nodes = new Set([...report.results.map((r) => r.node), ...report.nodes.map((n) => n.node)]);
    expect(html.match(/<section class="node"/g)).toHaveLength(nodes.size);
    const timeBounds = report.results.filter((r) => r.metric === "execution_time" && report.nodes.find((n) => n.node === r.node)!.timesNs.length > 0);
    expect(html.match(/<line class="limit"/g)!.length).toBeGreaterThanOrEqual(timeBounds.length);
    expect(html).toContain("sortUsers");
    expect(html).toContain('class="callee"');
    // Escaping: the node id with markup characters stays text.
    expect(html).toContain("parse&lt;T&gt;|&quot;x&quot;");
  });
});

describe.skipIf(chromiumMissing)("html in headless Chromium", () => {
  const browser = sharedChromium();
  beforeAll(() => void mkdirSync(tmp, { recursive: true }));

  it("renders the plots with the failing limit drawn in red", async () => {
    const page = await browser().newPage({ viewport: { width: 1000, height: 800 } });
    const file = join(tmp, "report.html");
    writeFileSync(file, html);
    const requests: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) requests.push(r.url());
    });
    await page.goto(`file://${file}`);
    expect(requests).toEqual([]);
    expect(await page.locator("section.node").count()).toBe(4);
    expect(await page.locator("td.verdict.fail").count()).toBeGreaterThan(0);

    const section = page.locator('section.node[data-node="src/sort.ts#sortUsers"]');
    const plot = section.locator("svg.plot").first();
    const box = await plot.boundingBox();
    expect(box!.width).toBeGreaterThan(500);
    const shot = await plot.screenshot({ path: join(tmp, "sortUsers-plot.png") });
    await page.screenshot({ path: join(tmp, "report.png"), fullPage: true });

    // The failing limit's red (#cf222e) and the histogram's grey bars.
    const counted = await countPixels(
      page,
      shot,
      "(r, g, b) => Math.abs(r - 0xcf) < 24 && Math.abs(g - 0x22) < 24 && Math.abs(b - 0x2e) < 24 ? 'red' : Math.abs(r - 0x8c) < 10 && Math.abs(g - 0x95) < 10 && Math.abs(b - 0x9f) < 10 ? 'grey' : null",
    );
    const pixels = { red: counted.counts.red ?? 0, grey: counted.counts.grey ?? 0, width: counted.width, redColumns: counted.columns.red ?? 0 };
    expect(pixels.grey).toBeGreaterThan(500); // histogram bars
    expect(pixels.red).toBeGreaterThan(100); // the limit line (3 px wide, full plot height) and its label
    // A vertical line: red pixels concentrate in a few columns, plus the label text.
    expect(pixels.redColumns).toBeLessThan(pixels.width / 2);
    await page.close();
  }, 60_000);
});
