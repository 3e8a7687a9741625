/**
 * End-to-end: `cdlc record` through the built CLI on a small project
 * (test/fixtures/record-project) run as people run TypeScript — plain Node
 * on tsc's output with source maps, and tsx — with workers and child
 * processes; and on examples/shop's own vitest suite, whose recording
 * `check --recording` and `graph --recording` then use.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCase } from "../../src/measure/case-encoding.js";
import { readRecording, type Recording } from "../../src/record/recording.js";
import { cdlc, cliPath, copyFixture, ensureCurrentBuild, removeTempDirs, repoRoot, tempDir } from "../helpers/built-cli.js";

const env = { PATH: process.env.PATH ?? "" };
let project: string;

beforeAll(() => {
  ensureCurrentBuild();
  project = copyFixture("record-project");
  tsc(project, "--outDir", "dist");
  copyFileSync(join(project, "package.json"), join(project, "dist/package.json"));
});
afterAll(removeTempDirs);

/** tsc on a copied project's tsconfig.build.json. The copy lives outside the repository, so Node's types come from the repository's node_modules. */
function tsc(dir: string, ...options: string[]): void {
  const typeRoots = join(repoRoot, "node_modules/@types");
  execFileSync(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json", "--typeRoots", typeRoots, ...options], { cwd: dir });
}

/** `cdlc record` of the fixture with `command`, into a fresh file; the run and its recording. */
async function record(command: string[], extra: string[] = []): Promise<{ code: number | null; out: string; err: string; recording: Recording; path: string }> {
  const path = join(tempDir(), "recording.json");
  const r = await cdlc(["record", "constraints.cdl", "--project", ".", "--out", path, ...extra, "--", ...command], { cwd: project, env });
  return { ...r, recording: readRecording(path), path };
}

const calls = (r: Recording, name: string) => r.nodes[`src/lib.ts#${name}`]?.calls ?? 0;

describe("cdlc record (built)", () => {
  it("records plain Node on compiled JavaScript through its source maps, and passes the command's output and exit code through", async () => {
    const plain = spawnSync(process.execPath, ["dist/scripts/run.js", "basic", "3"], { cwd: project, encoding: "utf8" });
    const r = await record(["node", "dist/scripts/run.js", "basic", "3"]);
    expect(r.code).toBe(3);
    expect(r.out).toBe(plain.stdout);
    expect(r.err.startsWith(plain.stderr)).toBe(true);
    expect(r.err).toContain("8 of 8 watched nodes called");
    const rec = r.recording;
    expect(rec.exitCode).toBe(3);
    expect(rec.command).toEqual(["node", "dist/scripts/run.js", "basic", "3"]);
    // 1,000 direct calls, and 3 + 2 + 0 from sumSquares.
    expect(calls(rec, "square")).toBe(1_005);
    expect(rec.nodes["src/lib.ts#parse"]).toMatchObject({ calls: 5, errors: 2 });
    expect(rec.nodes["src/lib.ts#refuse"]).toMatchObject({ calls: 1, errors: 1 });
    // Recursion: one record per call (fib(10) makes 177 calls).
    expect(calls(rec, "fib")).toBe(177);
    expect(calls(rec, "Basket.add")).toBe(2);
    expect(calls(rec, "double")).toBe(1);
    // Async calls are timed to their settlement: each waits 2 ms.
    const later = rec.nodes["src/lib.ts#later"]!;
    expect(later.calls).toBe(3);
    for (const [index] of later.timeNs.buckets) expect(2 ** Math.floor(index / 128)).toBeGreaterThanOrEqual(1_000_000);
    const edge = rec.edges["src/lib.ts#sumSquares -> src/lib.ts#square"]!;
    expect(edge.calls).toBe(5);
    expect(edge.callsPerCallerCall!.zero + edge.callsPerCallerCall!.buckets.reduce((a, [, c]) => a + c, 0)).toBe(3);
    expect(statSync(r.path).mode & 0o777).toBe(0o600);
    // No argument value is written without --capture-args.
    expect(Object.values(rec.nodes).every((n) => n.args === undefined)).toBe(true);
  });

  it("records TypeScript run through tsx (Node's module hooks)", async () => {
    const tsx = join(repoRoot, "node_modules/tsx/dist/cli.mjs");
    const r = await record(["node", tsx, "scripts/run.ts", "basic"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("fib=55");
    expect(calls(r.recording, "square")).toBe(1_005);
    expect(calls(r.recording, "fib")).toBe(177);
    expect(r.recording.nodes["src/lib.ts#parse"]!.errors).toBe(2);
  });

  it("records worker threads and child processes the command starts, and merges them", async () => {
    const r = await record(["node", "dist/scripts/run.js", "workers"]);
    expect(r.code).toBe(0);
    expect(calls(r.recording, "square")).toBe(100 + 200 + 200);
    expect(r.recording.processes).toBeGreaterThanOrEqual(3);
  });

  it("keeps what a crashing command recorded, and exits with its code", async () => {
    const r = await record(["node", "dist/scripts/run.js", "crash"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("the program crashed");
    expect(calls(r.recording, "square")).toBe(500);
  });

  /**
   * Records the endless mode until it is well under way, then sends `signal`: to cdlc alone, or (`group`) to
   * its whole process group, as a terminal does for the foreground job. The exit code and the recording.
   */
  async function recordUntilSignal(signal: NodeJS.Signals, group: boolean): Promise<{ code: number | null; rec: Recording }> {
    const path = join(tempDir(), "recording.json");
    const child = spawn(process.execPath, [cliPath, "record", "constraints.cdl", "--project", ".", "--out", path, "--", "node", "dist/scripts/run.js", "forever"], { cwd: project, env, detached: group });
    await new Promise<void>((resolve) => child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve()));
    if (group) process.kill(-child.pid!, signal);
    else child.kill(signal);
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    return { code, rec: readRecording(path) };
  }

  it.each([
    ["SIGTERM to cdlc (passed on to the command)", "SIGTERM", false, 15],
    ["Ctrl-C (SIGINT to the whole process group)", "SIGINT", true, 2],
  ] as const)("leaves a valid recording when %s ends the run, and exits as the signal did", async (_, signal, group, number) => {
    const { code, rec } = await recordUntilSignal(signal, group);
    expect(code).toBe(128 + number);
    expect(rec.signal).toBe(signal);
    expect(calls(rec, "square")).toBeGreaterThanOrEqual(3_000);
  });

  it("--capture-args keeps at most its cap of argument lists for a node called a million times", async () => {
    const r = await record(["node", "dist/scripts/run.js", "million"], ["--capture-args", "--max-args", "20"]);
    expect(r.code).toBe(0);
    const double = r.recording.nodes["src/lib.ts#double"]!;
    expect(double.calls).toBe(1_000_000);
    expect(double.args!.seen).toBe(1_000_000);
    expect(double.args!.kept.length).toBe(20);
    for (const k of double.args!.kept) expect(decodeCase(k).args[0]).toBeGreaterThanOrEqual(0);
  });

  it("applies the edits an earlier run kept without parsing, and only to the very text they were made for", async () => {
    const own = copyFixture("record-project");
    tsc(own, "--outDir", "dist");
    copyFileSync(join(own, "package.json"), join(own, "dist/package.json"));
    const run = (command: string[], extra: string[] = []) => cdlc(["record", "constraints.cdl", "--project", ".", "--quiet", "--out", join(tempDir(), "r.json"), ...extra, "--", ...command], { cwd: own, env });
    const show = ["node", "-e", "import('./dist/src/lib.js').then((m) => console.log(m.square(3), globalThis.__fromKeptEdits === true))"];
    expect((await run(show)).out).toBe("9 false\n");
    // The parse's edits were kept; mark them so that applying them shows.
    const cachePath = join(own, ".cdl/cache/record-edits.json");
    const cache = JSON.parse(readFileSync(cachePath, "utf8")) as { bySource: Record<string, { inserts: { text: string }[] }[]> };
    const kept = cache.bySource["src/lib.ts"]!;
    expect(kept.length).toBe(1);
    for (const insert of kept[0]!.inserts) if (insert.text.includes("var __cdlc_r")) insert.text += "globalThis.__fromKeptEdits = true;";
    writeFileSync(cachePath, JSON.stringify(cache));
    expect((await run(show)).out).toBe("9 true\n");
    // --no-cache neither reads them nor keeps new ones; a changed text is parsed again.
    expect((await run(show, ["--no-cache"])).out).toBe("9 false\n");
    writeFileSync(join(own, "dist/src/lib.js"), `${readFileSync(join(own, "dist/src/lib.js"), "utf8")}\n// changed\n`);
    const changed = await run(show);
    expect(changed.out).toBe("9 false\n");
    expect(changed.code).toBe(0);
    expect((JSON.parse(readFileSync(cachePath, "utf8")) as typeof cache).bySource["src/lib.ts"]!.length).toBe(2);
  });

  it("refuses a command that cannot start (exit 2)", async () => {
    const missing = await cdlc(["record", "constraints.cdl", "--project", ".", "--", "no-such-command-cdlc"], { cwd: project, env });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("cannot run `no-such-command-cdlc`");
  });

  it("runs none of the command when the CDL file does not compile or the project is missing (exit 2)", async () => {
    writeFileSync(join(project, "syntax.cdl"), "constraint square { max_execution_time: 1ms\n");
    const marker = join(tempDir(), "started");
    // A Node command starts at once and is held at the gate before its code runs; a shell command starts after the check.
    const touchers = [
      ["node", "-e", `require("fs").writeFileSync(${JSON.stringify(marker)}, "")`],
      ["sh", "-c", `echo > ${JSON.stringify(marker)}`],
    ];
    for (const touch of touchers) {
      const syntax = await cdlc(["record", "syntax.cdl", "--project", ".", "--", ...touch], { cwd: project, env });
      expect(syntax.code).toBe(2);
      expect(syntax.err).toContain("error[CDL0010]");
      const noProject = await cdlc(["record", "constraints.cdl", "--project", "nowhere", "--", ...touch], { cwd: project, env });
      expect(noProject.code).toBe(2);
      expect(noProject.err).toContain("--project: nowhere does not exist");
      expect(existsSync(marker)).toBe(false);
    }
  });

  it("lets the command run to its end when binding fails after it started, then reports (exit 2)", async () => {
    // The command starts while the CDL file is bound; a node the program lacks is found only then.
    writeFileSync(join(project, "unbound.cdl"), "constraint nosuch { max_execution_time: 1ms }\n");
    const command = ["node", "-e", "setTimeout(() => { console.log('done'); console.error('own stderr'); }, 300)"];
    const r = await cdlc(["record", "unbound.cdl", "--project", ".", "--", ...command], { cwd: project, env });
    expect(r.code).toBe(2);
    expect(r.out).toBe("done\n");
    // cdlc's messages come after the command's own output, never in the middle of it.
    expect(r.err.startsWith("own stderr\n")).toBe(true);
    expect(r.err).toContain("no node `nosuch` in the program");
    expect(r.err).toContain("the command ran unrecorded (its exit status was 0)");
  });
});

describe("the vitest plugin as users import it", () => {
  it("resolves as cdlc/vitest and does nothing outside cdlc record", () => {
    const script = "const { cdlcRecord } = await import('cdlc/vitest'); const p = cdlcRecord(); console.log(p.name, p.enforce, JSON.stringify(await p.transform('export function f() {}', '/x/src/a.ts')));";
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: repoRoot, env, encoding: "utf8" });
    expect(out.trim()).toBe("cdlc-record pre null");
  });
});

describe("cdlc record on examples/shop's vitest suite (the plugin)", () => {
  const shop = join(repoRoot, "examples/shop");
  const shopRecordings = () => (existsSync(join(shop, ".cdl/recordings")) ? readdirSync(join(shop, ".cdl/recordings")) : []);
  let path: string;
  let before: string[];

  beforeAll(async () => {
    before = shopRecordings();
    path = join(tempDir(), "shop.json");
    const vitest = join(repoRoot, "node_modules/vitest/vitest.mjs");
    const r = await cdlc(["record", "constraints.cdl", "--project", ".", "--out", path, "--", "node", vitest, "run"], { cwd: shop, env });
    expect(r.code, r.err).toBe(0);
  });

  it("records the nodes the tests call, with their call counts", () => {
    const rec = readRecording(path);
    expect(rec.nodes["src/checkout.ts#Checkout.run"]).toMatchObject({ calls: 2, errors: 1 });
    // 1 from the first checkout, 40 from "totals many carts".
    expect(rec.nodes["src/cart.ts#Cart.total"]!.calls).toBe(41);
    expect(rec.nodes["src/catalog.ts#dedupeSkus"]!.calls).toBe(2);
    // Two lines reserved, then one refused (out of stock).
    expect(rec.nodes["src/inventory.ts#Inventory.reserve"]).toMatchObject({ calls: 3, errors: 1 });
    expect(rec.edges["src/checkout.ts#Checkout.run -> src/inventory.ts#Inventory.reserve"]!.calls).toBe(3);
    // --out was given: nothing is written into the example's own store.
    expect(shopRecordings()).toEqual(before);
  });

  it("check --recording decides the bounds on it, and graph --recording shows it", async () => {
    const check = await cdlc(["check", "constraints.cdl", "--project", ".", "--recording", path, "--format", "json"], { cwd: shop, env });
    const report = JSON.parse(check.out);
    const total = report.results.find((r: { node: string; metric: string }) => r.node === "src/cart.ts#Cart.total" && r.metric === "execution_time");
    expect(total).toMatchObject({ origin: "recorded", samples: 41 });
    expect(["pass", "fail", "inconclusive"]).toContain(total.status);
    const graph = await cdlc(["graph", "constraints.cdl", "--project", ".", "--recording", path, "--format", "json"], { cwd: shop, env });
    const edge = JSON.parse(graph.out).edges.find((e: { from: string; to: string }) => e.to === "src/inventory.ts#Inventory.reserve" && e.from === "src/checkout.ts#Checkout.run");
    expect(edge.calls).toMatchObject({ origin: "recorded", total: 3 });
  });
});

describe("cdlc record on examples/shop's compiled output (plain Node, source maps)", () => {
  it("records the shop's traffic script run with node on tsc's output, with the calls it makes", async () => {
    const shop = tempDir();
    cpSync(join(repoRoot, "examples/shop"), shop, { recursive: true, filter: (src) => !/[/\\](\.cdl|dist|node_modules)$/.test(src) });
    tsc(shop);
    const path = join(tempDir(), "traffic.json");
    const r = await cdlc(["record", "constraints.cdl", "--project", ".", "--out", path, "--", "node", "dist/scripts/traffic.js", "40"], { cwd: shop, env });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^40 orders, 0 refused/);
    const rec = readRecording(path);
    const calls = (id: string) => rec.nodes[id]?.calls;
    // 40 orders: each deduped, checked out (its cart totalled); a search every tenth order (300 products each); one user sort.
    expect(calls("src/catalog.ts#dedupeSkus")).toBe(40);
    expect(calls("src/checkout.ts#Checkout.run")).toBe(40);
    expect(calls("src/cart.ts#Cart.total")).toBe(40);
    expect(calls("src/catalog.ts#searchProducts")).toBe(4);
    expect(calls("src/catalog.ts#matchesAll")).toBe(4 * 300);
    expect(calls("src/users.ts#sortUsers")).toBe(1);
    const reserve = rec.edges["src/checkout.ts#Checkout.run -> src/inventory.ts#Inventory.reserve"]!;
    expect(reserve.calls).toBe(calls("src/inventory.ts#Inventory.reserve"));
  });
});

describe("cdlc optimize --recording (built)", () => {
  it("puts recorded argument lists into the train, validation and test sets, and derived inputs into the equivalence check", { timeout: 240_000 }, async () => {
    const shop = tempDir();
    cpSync(join(repoRoot, "examples/shop"), shop, { recursive: true, filter: (src) => !/[/\\](\.cdl|dist|node_modules)$/.test(src) });
    const path = join(tempDir(), "traffic.json");
    const tsx = join(repoRoot, "node_modules/tsx/dist/cli.mjs");
    const recorded = await cdlc(["record", "constraints.cdl", "--project", ".", "--capture-args", "--out", path, "--", "node", tsx, "scripts/traffic.ts", "100"], { cwd: shop, env });
    expect(recorded.code, recorded.err).toBe(0);
    expect(readRecording(path).nodes["src/catalog.ts#dedupeSkus"]!.args!.kept.length).toBe(100);
    const r = await cdlc(["optimize", "constraints.cdl", "--project", ".", "--node", "dedupeSkus", "--recording", path, "--out", join(tempDir(), "out"), "--budget", "90s", "--time-budget", "1s", "--format", "json"], { cwd: shop, env });
    expect(r.code, r.err).toBe(0);
    const node = JSON.parse(r.out).nodes[0];
    // Six workload cases and 100 recorded ones, split a quarter each to validation and test.
    for (const set of ["train", "validation", "test"]) expect(node.cases[set].recorded).toBeGreaterThan(0);
    expect(node.cases.train.workload + node.cases.validation.workload + node.cases.test.workload).toBe(6);
    expect(node.checkedOn.recorded).toBe(100);
    expect(node.checkedOn.generated).toBeGreaterThan(100);
  });

  it("refuses a recording without argument lists (exit 2)", async () => {
    const path = join(tempDir(), "bare.json");
    const bare = await cdlc(["record", "constraints.cdl", "--project", ".", "--out", path, "--", "node", "dist/scripts/run.js", "basic"], { cwd: project, env });
    expect(bare.code).toBe(0);
    const r = await cdlc(["optimize", "constraints.cdl", "--project", ".", "--recording", path], { cwd: project, env });
    expect(r.code).toBe(2);
    expect(r.err).toContain("--capture-args");
  });
});
