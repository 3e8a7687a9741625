import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mayHoldWatchedNode, PARENT_ENV, passGate, publishPlan, readPlan, readPlanSync, settleGate } from "../../src/record/plan-file.js";
import type { RecordPlan } from "../../src/record/plan.js";
import { restoreEnvAfterEach } from "../helpers/env.js";

const dir = mkdtempSync(join(tmpdir(), "cdlc-plan-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
restoreEnvAfterEach(PARENT_ENV);

const plan: RecordPlan = { version: 1, nodes: [{ id: "src/a.ts#f", file: "/p/src/a.ts", qualifiedName: "f" }], edges: [], outDir: "/p/out" };
let n = 0;
const freshPath = () => join(dir, `plan-${n++}.json`);

/** A process that stands for `cdlc record`: alive for `ms`, and writing `text` (the plan) to `path` after `writeAfterMs` if given. */
function standIn(ms: number, path?: string, writeAfterMs?: number, text = JSON.stringify(plan)) {
  const write = path === undefined ? "" : `setTimeout(() => { const fs = require("fs"); fs.writeFileSync(${JSON.stringify(`${path}.tmp`)}, ${JSON.stringify(text)}); fs.renameSync(${JSON.stringify(`${path}.tmp`)}, ${JSON.stringify(path)}); }, ${writeAfterMs});`;
  const child = spawn(process.execPath, ["-e", `${write} setTimeout(() => {}, ${ms});`], { stdio: "ignore" });
  return { child, ended: new Promise((resolve) => child.on("exit", resolve)) };
}

/** The files `write` leaves in the test folder that were not there before. */
function filesAdded(write: () => void): string[] {
  const before = new Set(readdirSync(dir));
  write();
  return readdirSync(dir).filter((f) => !before.has(f));
}

/** Runs `wait` while a stand-in for cdlc writes `text` to `path` after `ms`; how long `wait` took; the stand-in is ended after. */
async function whileCdlcWrites<T>(path: string, ms: number, text: string, wait: () => T | Promise<T>): Promise<{ value: T; waitedMs: number }> {
  const { child, ended } = standIn(5_000, path, ms, text);
  process.env[PARENT_ENV] = String(child.pid);
  const started = performance.now();
  try {
    const value = await wait();
    return { value, waitedMs: performance.now() - started };
  } finally {
    child.kill();
    await ended;
  }
}

describe("the plan file between cdlc record and the recorder", () => {
  it("is written whole, readable by its owner only, with no partial file left", () => {
    const path = freshPath();
    expect(filesAdded(() => publishPlan(path, plan))).toEqual([basename(path)]);
    expect(readPlanSync(path)).toEqual(plan);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("reads as none when it watches nothing (a failed binding publishes it so, so that waiting processes go on)", async () => {
    const path = freshPath();
    publishPlan(path, { ...plan, nodes: [] });
    expect(readPlanSync(path)).toBeUndefined();
    expect(await readPlan(path)).toBeUndefined();
  });

  it("is waited for, synchronously, while cdlc runs and has not written it yet", async () => {
    const path = freshPath();
    const { value, waitedMs } = await whileCdlcWrites(path, 300, JSON.stringify(plan), () => readPlanSync(path));
    expect(value).toEqual(plan);
    expect(waitedMs).toBeGreaterThan(100);
  });

  it("is waited for without blocking the thread", async () => {
    const path = freshPath();
    const { child, ended } = standIn(5_000, path, 200);
    process.env[PARENT_ENV] = String(child.pid);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    expect(await readPlan(path)).toEqual(plan);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
    child.kill();
    await ended;
  });

  it("is given up when cdlc dies before writing it, is gone already, or was never said to be coming", async () => {
    const path = freshPath();
    const { child, ended } = standIn(200);
    process.env[PARENT_ENV] = String(child.pid);
    const started = performance.now();
    // Waiting without blocking, while the stand-in dies (and is reaped: a blocked parent could not reap its own child).
    expect(await readPlan(path)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(4_000);
    await ended;
    expect(readPlanSync(path)).toBeUndefined();
    delete process.env[PARENT_ENV];
    expect(readPlanSync(freshPath())).toBeUndefined();
    expect(existsSync(path)).toBe(false);
  });
});

describe("mayHoldWatchedNode: which loaded files make the recorder wait for the plan", () => {
  it.each([
    ["/p/src/a.ts", true],
    ["/p/src/a.tsx", true],
    ["/p/dist/a.js", true],
    ["/p/dist/a.mjs", true],
    ["file:///p/src/a.mts", true],
    ["/p/src/a.ts?v=123", true],
    ["/p/node_modules/lib/index.js", false],
    ["file:///p/node_modules/.pnpm/x/index.mjs", false],
    ["/p/data.json", false],
    ["/p/src/a.css", false],
  ])("%s → %s", (file, expected) => {
    expect(mayHoldWatchedNode(file)).toBe(expected);
  });
});

describe("the gate a Node command waits at while cdlc checks the CDL file", () => {
  it("holds the process until cdlc opens it, then lets it on", async () => {
    const path = join(dir, `gate-${n++}`);
    const { value, waitedMs } = await whileCdlcWrites(path, 250, "go", () => passGate(path));
    expect(value).toBe(true);
    expect(waitedMs).toBeGreaterThan(100);
  });

  it("says stop when cdlc closes it", async () => {
    const path = join(dir, `gate-${n++}`);
    expect((await whileCdlcWrites(path, 100, "stop", () => passGate(path))).value).toBe(false);
  });

  it("lets the command on, unrecorded, when cdlc is gone without deciding", async () => {
    const path = join(dir, `gate-${n++}`);
    // Gone and reaped (a parent blocked in passGate could not reap its own child, which would then look alive).
    const { child, ended } = standIn(5_000);
    process.env[PARENT_ENV] = String(child.pid);
    child.kill();
    await ended;
    expect(passGate(path)).toBe(true);
  });

  it("is written whole (settleGate), readable by its owner only, with no partial file left", () => {
    const path = join(dir, `gate-${n++}`);
    expect(filesAdded(() => settleGate(path, true))).toEqual([basename(path)]);
    expect(passGate(path)).toBe(true);
    expect(filesAdded(() => settleGate(path, false))).toEqual([]);
    expect(passGate(path)).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
