import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { generateGraph, livingGraphOf } from "../../bench/graph-view/generate.mjs";
import type { GraphMetrics } from "../../src/graph/export-json.js";
import type { LivingGraph } from "../../src/graph/living-graph.js";
import type { LabelBox } from "../../src/graph/view/page-types.js";

/**
 * The HTML view in Chromium, for the tests: generated graphs of any size,
 * the page opened with its errors and requests collected, and the view's
 * own state read through `window.cdlcView` (the renderer, what it drew).
 */

export const tmpDir = new URL("../.tmp/", import.meta.url).pathname;

/** bench/graph-view/generate.mjs's graph (folders, files, power-law calls) as a LivingGraph. */
export function generatedLivingGraph(size: number): LivingGraph {
  return livingGraphOf(generateGraph(size));
}

/** Verdicts on every `every`-th node with calls (fail, pass, inconclusive in turn), as `--measure` attaches them. */
export function verdictMetrics(graph: LivingGraph, every: number): GraphMetrics {
  const statuses = ["fail", "pass", "inconclusive"] as const;
  const nodes = new Map<string, Record<string, unknown>>();
  const called = [...graph.nodes.values()].filter((n) => n.kind !== "module");
  for (let i = 0; i < called.length; i += every) {
    const status = statuses[(i / every) % statuses.length]!;
    nodes.set(called[i]!.id, { timeNs: { samples: 100, p50: 1_000 * (1 + (i % 7)), p95: 2_000, p99: 3_000, max: 4_000, mean: 1_100 }, verdicts: [{ metric: "execution_time", op: "<=", limit: 2_000, unit: "ns", measured: 1_500, status }] });
  }
  return { nodes };
}

export interface OpenedView {
  page: Page;
  errors: string[];
  requests: string[];
  /** From navigation start to the page's `cdlc-first-paint` mark, ms. */
  firstPaintMs: number;
}

/** Writes the page under test/.tmp/ and opens it; resolves when the view says it is ready. */
export async function openView(browser: Browser, html: string, name: string, viewport = { width: 1280, height: 800 }): Promise<OpenedView> {
  mkdirSync(tmpDir, { recursive: true });
  const file = join(tmpDir, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => {
    if (!r.url().startsWith("file:") && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) requests.push(r.url());
  });
  await page.goto(`file://${file}`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  const firstPaintMs = (await page.evaluate("performance.getEntriesByName('cdlc-first-paint')[0].startTime")) as number;
  return { page, errors, requests, firstPaintMs };
}

/** Where a node (by id) or a closed folder (by index) is on the page, or null when it is not shown. */
export async function onPage(page: Page, id: string | number): Promise<{ x: number; y: number } | null> {
  const at = (await page.evaluate(`window.cdlcView.screenPosition(${JSON.stringify(id)})`)) as { x: number; y: number } | null;
  if (at === null) return null;
  const box = (await page.locator("#view").boundingBox())!;
  return { x: box.x + at.x, y: box.y + at.y };
}

/** Clicks a node or a closed folder where the renderer drew it. */
export async function clickNode(page: Page, id: string | number): Promise<void> {
  const at = await onPage(page, id);
  if (at === null) throw new Error(`${id} is not shown`);
  await page.mouse.click(at.x, at.y);
}


/** The labels the renderer drew in its last frame, in view pixels. */
export async function drawnLabels(page: Page): Promise<LabelBox[]> {
  return (await page.evaluate("window.cdlcView.labels()")) as LabelBox[];
}

/** Pairs of labels whose boxes intersect. */
export function overlappingPairs(boxes: readonly LabelBox[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) pairs.push([a.label, b.label]);
    }
  }
  return pairs;
}

/** Nodes in the page's data, how many of them are drawn, and how many closed folders stand for the rest. */
export async function shownNodes(page: Page): Promise<{ nodes: number; shown: number; folders: number }> {
  return (await page.evaluate("window.cdlcView.counts()")) as { nodes: number; shown: number; folders: number };
}

/** The colour the renderer draws a node in (after the view's reducers). */
export async function drawnColour(page: Page, id: string): Promise<string | undefined> {
  return (await page.evaluate(`window.cdlcView.renderer.getNodeDisplayData(${JSON.stringify(id)})?.color`)) as string | undefined;
}
