// Regenerates the README's screenshots of the Living Graph view (docs/images/), through the built CLI
// (`npm run build` first) and headless Chromium at 1280×800:
//   - graph-shop-measured.png: examples/shop with its constraints measured (`--measure`), a failing
//     node selected;
//   - graph-cdlc-default.png: a large real program's default view — cdlc's own sources, about 3,000
//     nodes, opening with most nodes inside their folders.
//
//   node scripts/screenshots.mjs
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const repo = fileURLToPath(new URL("..", import.meta.url));
const out = join(repo, "docs", "images");
const cli = join(repo, "dist", "cli.js");
const cdlc = (...args) => execFileSync(process.execPath, [cli, ...args], { cwd: repo, encoding: "utf8", maxBuffer: 256 << 20, stdio: ["ignore", "pipe", "inherit"] });

const shots = [
  {
    name: "graph-shop-measured.png",
    html: () => cdlc("graph", "examples/shop/constraints.cdl", "--project", "examples/shop", "--format", "html", "--measure", "--time-budget", "2s", "--quiet"),
    select: "src/catalog.ts#dedupeSkus",
  },
  { name: "graph-cdlc-default.png", html: () => cdlc("graph", "--project", "tsconfig.json", "--format", "html", "--quiet") },
];

mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "cdlc-screenshots-"));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
try {
  for (const shot of shots) {
    process.stderr.write(`${shot.name}: writing the page\n`);
    const file = join(work, `${shot.name}.html`);
    writeFileSync(file, shot.html());
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    if (shot.select !== undefined) {
      const at = await page.evaluate(`window.cdlcView.screenPosition(${JSON.stringify(shot.select)})`);
      const box = await page.locator("#view").boundingBox();
      await page.mouse.click(box.x + at.x, box.y + at.y);
    }
    await page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
    await page.screenshot({ path: join(out, shot.name) });
    await page.close();
    process.stderr.write(`${shot.name}: written to docs/images/\n`);
  }
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
