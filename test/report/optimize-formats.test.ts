import { parse as parseJunit } from "junit2json";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, countPixels, sharedChromium } from "../helpers/chromium.js";
import { sarifValidator } from "../helpers/sarif-schema.js";
import { renderOptimizeResult } from "../../src/index.js";
import type { OptimizeResult } from "../../src/optimize/types.js";

const before = "export function f(xs: string[]) {\n  const out: string[] = [];\n  for (const x of xs) if (!out.includes(x)) out.push(x);\n  return out;\n}\n";
const result: OptimizeResult = {
  version: 3,
  mode: "staged",
  budget: 300_000,
  elapsedMs: 41_500,
  canaries: { injected: 7, caught: 7 },
  nodes: [
    {
      node: "src/tags.ts#f",
      violated: ["execution_time p95 <= 300000 ns"],
      before: { metric: "execution_time", statistic: "p95", value: 4_400_000, interval: [3_300_000, 5_000_000], unit: "ns", cases: "all" },
      after: { metric: "execution_time", statistic: "p95", value: 120_000, interval: [110_000, 150_000], unit: "ns", cases: "test" },
      speedup: { estimate: 36.5, interval: [20.1, 60.2], measuredOn: "test", pairs: 6, confidence: 0.998 },
      accepted: {
        id: 1,
        operators: ["set_membership"],
        risk: 0.2,
        parent: null,
        diff: "--- a/src/tags.ts\n+++ b/src/tags.ts\n@@ -1,5 +1,6 @@\n export function f(xs: string[]) {\n   const out: string[] = [];\n-  for (const x of xs) if (!out.includes(x)) out.push(x);\n+  const seen = new Set(out);\n+  for (const x of xs) if (!seen.has(x)) { out.push(x); seen.add(x); }\n   return out;\n }\n",
        fix: { path: "src/tags.ts", start: { line: 3, column: 1 }, end: { line: 4, column: 1 }, text: "  const seen = new Set(out);\n  for (const x of xs) if (!seen.has(x)) { out.push(x); seen.add(x); }\n" },
      },
      attempts: 3,
      status: "improved",
      limitNs: 300_000,
      samples: { before: Array.from({ length: 400 }, (_, i) => 3_000_000 + (i % 40) * 40_000), after: Array.from({ length: 400 }, (_, i) => 100_000 + (i % 40) * 1_500) },
    },
    { node: "src/cart.ts#total", violated: ["execution_time p95 <= 20000 ns"], attempts: 2, status: "no-faster-variant", reason: "faster on the train cases (-40.0% time) but not significantly on the validation cases (-2.0% time, inconclusive): not-faster" },
    { node: "src/cart.ts#count", violated: [], attempts: 0, status: "no-variant", reason: "no operator applied" },
  ],
};

describe("optimize reports", () => {
  it("markdown: a table of nodes with speedups and intervals, the reasons, the diffs folded", async () => {
    const md = await renderOptimizeResult(result, "markdown", { color: false });
    expect(md).toMatch(/^### cdlc optimize: 1 of 3 nodes improved \(version 3, staged\)/);
    expect(md).toContain("| `src/tags.ts#f` | ✅ improved | p95 4.4 ms | p95 120 µs [110 µs, 150 µs] | 36.50× [20.10×, 60.20×] | set_membership |");
    expect(md).toContain("not significantly on the validation cases");
    expect(md).toContain("<details><summary>src/tags.ts#f: set_membership</summary>");
    expect(md).toContain("```diff\n--- a/src/tags.ts");
  });

  it("junit: an improved node passes, one still over budget fails, one with nothing to do is skipped", async () => {
    const xml = await renderOptimizeResult(result, "junit", { color: false });
    const parsed = (await parseJunit(xml)) as { tests: number; failures: number; skipped: number };
    expect([parsed.tests, parsed.failures, parsed.skipped]).toEqual([3, 1, 1]);
    expect(xml).toContain('<failure message="still violates execution_time p95 &lt;= 20000 ns" type="no-faster-variant">');
  });

  it("sarif: valid 2.1.0, with the accepted variant as a fix that turns the original into the variant", async () => {
    const log = JSON.parse(await renderOptimizeResult(result, "sarif", { color: false }));
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const [improved, slower] = log.runs[0].results;
    expect(slower.fixes).toBeUndefined();
    // Applying the replacement to the original text gives the variant's text.
    const r = improved.fixes[0].artifactChanges[0].replacements[0];
    const lines = before.split(/(?<=\n)/);
    const offset = (line: number, column: number) => lines.slice(0, line - 1).join("").length + column - 1;
    const start = offset(r.deletedRegion.startLine, r.deletedRegion.startColumn);
    const end = offset(r.deletedRegion.endLine, r.deletedRegion.endColumn);
    const after = before.slice(0, start) + r.insertedContent.text + before.slice(end);
    expect(after).toContain("const seen = new Set(out);\n  for (const x of xs) if (!seen.has(x))");
    expect(after.startsWith("export function f(xs: string[]) {\n  const out: string[] = [];\n")).toBe(true);
    expect(after.endsWith("  return out;\n}\n")).toBe(true);
  });

  it("html: one self-contained page, a section per node, before and after plots for an improved node, the diff", async () => {
    const html = await renderOptimizeResult(result, "html", { color: false });
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link |src="http|href="http|@import|url\(/i);
    expect(html.match(/<section class="node"/g)).toHaveLength(3);
    const improved = html.slice(html.indexOf('data-node="src/tags.ts#f"'), html.indexOf('data-node="src/cart.ts#total"'));
    expect(improved.match(/<svg class="plot"/g)).toHaveLength(2);
    expect(improved).toContain("36.50× faster [20.10×, 60.20×], measured on held-out test cases");
    expect(improved).toContain('<span class="add">+  const seen = new Set(out);</span>');
    expect(html).toContain("not significantly on the validation cases");
  });
});

describe.skipIf(chromiumMissing)("optimize html in headless Chromium", () => {
  const tmp = new URL("../.tmp/optimize-html/", import.meta.url).pathname;
  const browser = sharedChromium();
  beforeAll(() => void mkdirSync(tmp, { recursive: true }));

  it("draws the limit red before and green after, with no request leaving the page", async () => {
    const file = join(tmp, "optimize.html");
    writeFileSync(file, await renderOptimizeResult(result, "html", { color: false }));
    const page = await browser().newPage({ viewport: { width: 1000, height: 800 } });
    const requests: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) requests.push(r.url());
    });
    await page.goto(`file://${file}`);
    expect(requests).toEqual([]);
    const plots = page.locator('section.node[data-node="src/tags.ts#f"] svg.plot');
    expect(await plots.count()).toBe(2);
    const colour = "(r, g, b) => Math.abs(r - 0xcf) < 24 && Math.abs(g - 0x22) < 24 && Math.abs(b - 0x2e) < 24 ? 'red' : Math.abs(r - 0x1a) < 24 && Math.abs(g - 0x7f) < 24 && Math.abs(b - 0x37) < 24 ? 'green' : null";
    const before = await countPixels(page, await plots.nth(0).screenshot(), colour);
    const after = await countPixels(page, await plots.nth(1).screenshot(), colour);
    // Before, the limit is broken (red); after, it holds (green).
    expect(before.counts.red ?? 0).toBeGreaterThan(100);
    expect(after.counts.green ?? 0).toBeGreaterThan(100);
    await page.close();
  }, 60_000);
});
