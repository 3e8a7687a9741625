import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

/**
 * Headless Chromium for the browser tests: Debian's package, never a
 * downloaded browser. Locally the tests skip (with a reason) when it is not
 * installed; in CI (`CI` set) they run and fail instead, so a missing browser
 * can never pass for green.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const chromiumMissing = !existsSync(CHROMIUM_PATH) && !process.env.CI;
if (chromiumMissing) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);

/** Flags for a headless run on a machine with no network and no GPU. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** A browser with a fresh temporary profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** One browser for the tests of the enclosing `describe`: launched before them, closed after; call the result inside a test. */
export function sharedChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

/** How many pixels of a PNG screenshot fall in each colour class, and in how many columns. */
export interface PixelCounts {
  width: number;
  height: number;
  counts: Record<string, number>;
  columns: Record<string, number>;
}

/**
 * Decodes a screenshot in the page (through a canvas) and counts its pixels
 * by class. `classify` is the source of a browser-side function
 * `(r, g, b) => string | null` (a string: the tests are type-checked without
 * the DOM library); `region` limits the count to a rectangle.
 */
export async function countPixels(page: Page, png: Buffer, classify: string, region?: { x: number; y: number; width?: number; height?: number }): Promise<PixelCounts> {
  return (await page.evaluate(`(async () => {
    const img = new Image();
    img.src = "data:image/png;base64,${png.toString("base64")}";
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const r = ${JSON.stringify(region ?? { x: 0, y: 0 })};
    const w = r.width ?? img.width - r.x, h = r.height ?? img.height - r.y;
    const d = ctx.getImageData(r.x, r.y, w, h).data;
    const classify = ${classify};
    const counts = {}, columns = {};
    for (let i = 0; i < d.length; i += 4) {
      const k = classify(d[i], d[i + 1], d[i + 2]);
      if (k === null) continue;
      counts[k] = (counts[k] ?? 0) + 1;
      (columns[k] ??= new Set()).add((i / 4) % w);
    }
    for (const k of Object.keys(columns)) columns[k] = columns[k].size;
    return { width: w, height: h, counts, columns };
  })()`)) as PixelCounts;
}
