import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { recordingOf } from "../helpers/recordings.js";
import { createMemoryIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";
import { LogHistogram } from "../../src/record/histogram.js";
import { writeRecording, type NodeRecord, type Recording } from "../../src/record/recording.js";

/**
 * `cdlc check --recording` in-process on the shipped example: bounds decided
 * on a synthetic recording (no user code runs), with the exit codes and
 * report fields of `--measure`.
 */
const repo = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "cdlc-check-recording-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shop = ["examples/shop/constraints.cdl", "--project", "examples/shop/tsconfig.json", "--no-cache"];
const ids = {
  sortUsers: "src/users.ts#sortUsers",
  dedupeSkus: "src/catalog.ts#dedupeSkus",
  searchProducts: "src/catalog.ts#searchProducts",
  matchesAll: "src/catalog.ts#matchesAll",
  cartTotal: "src/cart.ts#Cart.total",
  reserve: "src/inventory.ts#Inventory.reserve",
  checkout: "src/checkout.ts#Checkout.run",
};

/** `calls` calls, each taking `ns` (give or take a tenth). */
function calls(count: number, ns: number, errors = 0): NodeRecord {
  const h = new LogHistogram();
  for (let i = 0; i < count; i++) h.record(ns * (0.9 + (0.2 * i) / count));
  return { calls: count, errors, timeNs: h.toJSON() };
}

function recordingFile(name: string, nodes: Record<string, NodeRecord>, edgeCalls: number): string {
  const volume = new LogHistogram();
  volume.record(21, edgeCalls);
  const latency = new LogHistogram();
  latency.record(800, edgeCalls);
  const recording: Recording = recordingOf({
    endedAt: "2026-12-02T10:01:00.000Z",
    nodes,
    edges: { [`${ids.checkout} -> ${ids.reserve}`]: { calls: edgeCalls, volumeBytes: volume.toJSON(), latencyNs: latency.toJSON() } },
  });
  const path = join(dir, name);
  writeRecording(path, recording);
  return path;
}

/** Every budget of the example kept by a wide margin; Checkout.run called once, reserving 40 times. */
const withinBudgets = () => ({
  [ids.sortUsers]: calls(10_000, 1e6),
  [ids.dedupeSkus]: calls(10_000, 2e5),
  [ids.searchProducts]: calls(10_000, 1e5),
  [ids.matchesAll]: calls(10_000, 1e3),
  [ids.cartTotal]: calls(10_000, 2e4),
  [ids.reserve]: calls(10_000, 500),
  [ids.checkout]: calls(1, 1e5),
});

async function cdlc(argv: string[]) {
  const io = createMemoryIo({ cwd: repo, env: {}, isTTY: false });
  const code = await run(argv, io);
  return { code, out: io.out, err: io.err };
}

describe("cdlc check --recording", () => {
  it("exits 0 when no bound of severity error is violated, and labels every result as recorded", async () => {
    const path = recordingFile("ok.json", withinBudgets(), 40);
    const r = await cdlc(["check", ...shop, "--recording", path, "--format", "json"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.recording).toEqual({ file: path, command: ["npm", "test"], exitCode: 0, startedAt: "2026-12-02T10:00:00.000Z", endedAt: "2026-12-02T10:01:00.000Z", processes: 1, recordedWith: "0.1.0" });
    expect(report.results.length).toBe(17);
    expect(report.results.every((x: { origin: string }) => x.origin === "recorded")).toBe(true);
    const find = (node: string, metric: string) => report.results.find((x: { node: string; metric: string }) => x.node === node && x.metric === metric);
    expect(find(ids.cartTotal, "execution_time")).toMatchObject({ status: "pass", samples: 10_000, percentile: "p95", method: "order-statistic (recorded calls, histogram)" });
    expect(find(ids.sortUsers, "error_rate")).toMatchObject({ status: "pass", samples: 10_000, measured: 0, method: "wilson (recorded calls)" });
    expect(find(ids.sortUsers, "memory_usage")).toMatchObject({ status: "unmeasured", reason: "not recorded: run `check --measure` for memory", samples: 0 });
    // One call of the caller: its per-call count is exact.
    expect(find(ids.checkout, "calls")).toMatchObject({ status: "pass", measured: 40, interval: [40, 40], edge: { from: ids.checkout, to: ids.reserve } });
    expect(find(ids.checkout, "volume")).toMatchObject({ status: "pass", measured: 21, interval: [21, 21] });
    // One recorded call cannot show a p95.
    expect(find(ids.checkout, "execution_time")).toMatchObject({ status: "inconclusive", samples: 1 });
    expect(report.nodes).toEqual([]);
    expect(report.summary).toMatchObject({ pass: 14, inconclusive: 2, unmeasured: 1 });
  });

  it("exits 1 on a violated bound, says recorded in pretty, Markdown and HTML, and --strict fails on what it could not decide", async () => {
    const path = recordingFile("slow.json", { ...withinBudgets(), [ids.cartTotal]: calls(5_000, 5e6, 2_500) }, 40);
    const markdown = join(dir, "report.md");
    const html = join(dir, "report.html");
    const r = await cdlc(["check", ...shop, "--recording", path, "--no-color", "--report", `markdown:${markdown}`, "--report", `html:${html}`]);
    expect(r.code).toBe(1);
    expect(r.out.startsWith(`recorded: decided on the calls in ${path}, recorded from \`npm test\``)).toBe(true);
    expect(r.out).toMatch(/src\/cart\.ts#Cart\.total +execution_time p95 ≤ 200 µs +5\.\d+ ms .*✗ fail/);
    expect(r.out).toMatch(/note: src\/cart\.ts#Cart\.total error_rate < 1%: 2500 of 5000 recorded calls failed/);
    expect(readFileSync(markdown, "utf8")).toContain("cdlc check --recording: ");
    expect(readFileSync(html, "utf8")).toContain("<h1>cdlc check --recording</h1>");
  });

  it("--strict fails on a bound a recording cannot decide (memory)", async () => {
    const path = recordingFile("strict.json", withinBudgets(), 40);
    expect((await cdlc(["check", ...shop, "--recording", path, "--strict", "--quiet"])).code).toBe(1);
  });

  it.each([
    ["a missing recording", (p: string) => ["check", ...shop, "--recording", join(p, "missing.json")], /^error: cannot read the recording .*missing\.json: ENOENT/],
    ["a file that is not a recording", (p: string) => ["check", ...shop, "--recording", join(p, "not.json")], /^error: .*not\.json is not a cdlc recording \(not JSON\)\n$/],
    ["--measure with --recording", (p: string) => ["check", ...shop, "--measure", "--recording", join(p, "ok.json")], /^error: --measure and --recording are alternatives/],
    ["--recording without --project", (p: string) => ["check", "examples/shop/constraints.cdl", "--recording", join(p, "ok.json")], /^error: --recording needs the program: add --project tsconfig\.json\n$/],
  ])("exits 2 on %s, with the reason and no trace", async (_name, argv, message) => {
    writeFileSync(join(dir, "not.json"), "{ half");
    const r = await cdlc(argv(dir));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toContain("internal error");
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe("");
  });

  it("documents --recording in --help", async () => {
    const r = await cdlc(["check", "--help"]);
    expect(r.out).toContain("--recording <path>");
    expect(r.out).toContain("With --recording (instead of --measure)");
  });
});
