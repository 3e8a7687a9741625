/**
 * The kill loop: a child process applies (stages, rolls back) a version of
 * 40 files of ~50 KB, and is killed with SIGKILL after a random (seeded)
 * delay (sent by a watchdog thread in the child, timed from the start of
 * the operation: see kill-child.ts). After each kill: every file is wholly its old or its new text,
 * every manifest parses, no version folder is incomplete; and finishing
 * the work in this process leaves every file at its intended text.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seeded } from "../helpers/seeded.js";
import { applyVersion, listVersions, readVersion, rollbackTo, stageVersion } from "../../src/versions/index.js";
import { listFiles, makeProject, removeProjects, sha256 } from "./helpers.js";

const repo = resolve(new URL("../..", import.meta.url).pathname);
const childPath = join(repo, "test/.tmp", `versions-kill-child-${process.pid}.mjs`);
const FILES = 40;
const SEED = 0x5eed_2025;
/** Children at a time: the work is mostly waiting for the disk. */
const PARALLEL = 3;

beforeAll(async () => {
  mkdirSync(dirname(childPath), { recursive: true });
  await build({ entryPoints: [join(repo, "test/versions/kill-child.ts")], bundle: true, platform: "node", format: "esm", target: "node20", outfile: childPath, logLevel: "warning" });
});
afterAll(() => {
  rmSync(childPath, { force: true });
  removeProjects();
});


/** ~50 KB of TypeScript; every fourth file CRLF, every fifth without a final newline. */
function source(i: number, version: string): Buffer {
  const eol = i % 4 === 0 ? "\r\n" : "\n";
  const lines = Array.from({ length: 1800 }, (_, k) => `export const value_${i}_${k} = ${k} * ${i}; // ${version === "old" || (k < 900 || k >= 905) ? "as found" : version}`);
  const text = lines.join(eol) + (i % 5 === 0 ? "" : eol);
  return Buffer.from(text);
}

const paths = Array.from({ length: FILES }, (_, i) => `src/m${Math.floor(i / 10)}/file${i}.ts`);
const oldTexts = Object.fromEntries(paths.map((p, i) => [p, source(i, "old")]));
const newTexts = Object.fromEntries(paths.map((p, i) => [p, source(i, "new")]));

interface Outcome {
  /** Milliseconds the operation took, when the child finished before the kill. */
  done?: number;
}

/** Runs the child, which is killed `delayMs` after its operation starts (never, with Infinity). */
function runChild(args: string[], delayMs: number): Promise<Outcome> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [childPath, ...args, String(delayMs)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code, signal) => {
      if (signal !== null && signal !== "SIGKILL") return fail(new Error(`kill-child died of ${signal}: ${err}`));
      if (signal === null && code !== 0) return fail(new Error(`kill-child failed (${code}): ${err}`));
      const m = /done ([\d.]+)/.exec(out);
      done(m === null ? {} : { done: Number(m[1]) });
    });
  });
}

/** Runs `iteration` for each delay, a few at a time (each in its own project folder). */
async function inParallel(delays: readonly number[], iteration: (delay: number, k: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < delays.length) {
      const k = next++;
      await iteration(delays[k]!, k);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

/** What a file holds: its old text, its new one, or (never acceptable) something else. */
function stateOf(root: string, path: string): "old" | "new" | "torn" {
  const bytes = readFileSync(join(root, path));
  return bytes.equals(oldTexts[path]!) ? "old" : bytes.equals(newTexts[path]!) ? "new" : "torn";
}

/**
 * The store's invariants after a kill: every manifest parses and names its
 * own number; every version folder holds each text its manifest names, with
 * that hash, and its patch. Checked from the files, not through the store.
 */
function checkStore(root: string): void {
  const dir = join(root, ".cdl/versions");
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".tmp-")) continue;
    expect(name).toMatch(/^\d+$/);
    const manifest = JSON.parse(readFileSync(join(dir, name, "manifest.json"), "utf8")) as { version: number; files: { path: string; before: string; after: string }[] };
    expect(manifest.version).toBe(Number(name));
    expect(existsSync(join(dir, name, `${name}.patch`)), `${name}.patch`).toBe(true);
    for (const f of manifest.files) {
      expect(sha256(readFileSync(join(dir, name, "before", f.path))), `${name}/before/${f.path}`).toBe(f.before);
      // Version 0 (before equals after) keeps one text.
      const after = f.before === f.after && name === "0" ? "before" : "after";
      expect(sha256(readFileSync(join(dir, name, after, f.path))), `${name}/${after}/${f.path}`).toBe(f.after);
    }
  }
}

/** No temporary file is left beside the sources, and no temporary version folder in the store. */
function checkNoLitter(root: string): void {
  expect(listFiles(join(root, "src")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  expect(readdirSync(join(root, ".cdl/versions")).filter((n) => n.startsWith(".tmp-"))).toEqual([]);
}

/** A template project: the old texts, optionally with a first version staged (and applied). */
function template(stage: "none" | "staged" | "applied"): string {
  const root = makeProject(oldTexts);
  if (stage !== "none") {
    stageVersion(root, { files: paths.map((p) => ({ path: p, before: oldTexts[p]!, after: newTexts[p]! })), nodes: [] });
    if (stage === "applied") applyVersion(root, 1);
  }
  return root;
}

/**
 * A copy of a project for one iteration. The texts a version stored are
 * hard links: the store never writes them again once their folder is in
 * place (were it to, the template's hashes would stop matching, and
 * `checkStore` would say so in a later iteration).
 */
function copyOf(root: string): string {
  const copy = makeProject({});
  for (const path of listFiles(root)) {
    const to = join(copy, path);
    mkdirSync(dirname(to), { recursive: true });
    if (/^\.cdl\/versions\/\d+\/(before|after)\//.test(path)) linkSync(join(root, path), to);
    else copyFileSync(join(root, path), to);
  }
  return copy;
}

/** Delays spread over the operation's measured duration (and a little beyond), from the seed. */
async function delaysFor(args: (root: string) => string[], from: string, n: number, seed: number): Promise<number[]> {
  const probe = copyOf(from);
  const { done } = await runChild(args(probe), Infinity);
  rmSync(probe, { recursive: true, force: true });
  expect(done, "the calibration run finished").toBeDefined();
  // A seeded generator, so a failing delay can be replayed.
  const next = seeded(seed);
  return Array.from({ length: n }, () => next() * done! * 1.25);
}

describe("killed with SIGKILL at a random instant", () => {
  it("apply: each file wholly old or new, and applying again finishes it", { timeout: 120_000 }, async () => {
    const staged = template("staged");
    const delays = await delaysFor((root) => ["apply", root, "1"], staged, 60, SEED);
    const seen = { untouched: 0, partial: 0, complete: 0 };
    await inParallel(delays, async (delay, k) => {
      const root = copyOf(staged);
      await runChild(["apply", root, "1"], delay);
      const states = paths.map((p) => stateOf(root, p));
      expect(states.filter((s) => s === "torn"), `iteration ${k} (delay ${delay.toFixed(3)} ms, seed ${SEED})`).toEqual([]);
      checkStore(root);
      const written = states.filter((s) => s === "new").length;
      seen[written === 0 ? "untouched" : written < FILES ? "partial" : "complete"]++;
      if (written > 0 && readVersion(root, 1).status === "staged") expect(listVersions(root).find((v) => v.version === 1)).toMatchObject({ partial: true, filesAtAfter: written });

      const result = applyVersion(root, 1);
      if (readVersion(root, 1).status === "applied" && written === FILES) expect(result.applied).toEqual([]);
      expect(paths.filter((p) => stateOf(root, p) !== "new")).toEqual([]);
      expect(readVersion(root, 1).status).toBe("applied");
      checkNoLitter(root);
      rmSync(root, { recursive: true, force: true });
    });
    // The delays must have landed inside the operation, or this loop proves nothing.
    expect(seen.partial, JSON.stringify(seen)).toBeGreaterThan(0);
  });

  it("stage: no version folder half-written, sources untouched, and staging again works", { timeout: 60_000 }, async () => {
    // Version 1 changes the first half; the staged version changes the rest too, so version 0 gains files.
    const base = makeProject(oldTexts);
    const half = paths.slice(0, FILES / 2);
    stageVersion(base, { files: half.map((p) => ({ path: p, before: oldTexts[p]!, after: newTexts[p]! })), nodes: [] });
    const newDir = makeProject(newTexts);
    const delays = await delaysFor((root) => ["stage", root, newDir], base, 12, SEED + 1);
    await inParallel(delays, async (delay, k) => {
      const root = copyOf(base);
      const { done } = await runChild(["stage", root, newDir], delay);
      expect(paths.filter((p) => stateOf(root, p) !== "old"), `iteration ${k}: staging never writes sources`).toEqual([]);
      checkStore(root);
      const numbers = listVersions(root).map((v) => v.version);
      expect(numbers.slice(-2)).toEqual([1, 0]);
      if (done !== undefined) expect(numbers[0]).toBe(2);
      const v0 = readVersion(root, 0).files.length;
      expect([FILES / 2, FILES]).toContain(v0);

      // Staging again (one file of the second half) clears the stopped writer's folder and takes the next number.
      const last = paths[FILES - 1]!;
      const again = stageVersion(root, { files: [{ path: last, before: oldTexts[last]!, after: newTexts[last]! }], nodes: [] });
      expect(again.version).toBe(numbers[0]! + 1);
      expect(readVersion(root, 0).files.map((f) => f.path)).toContain(last);
      checkStore(root);
      checkNoLitter(root);
      rmSync(root, { recursive: true, force: true });
    });
  });

  it("rollback: each file wholly old or new, and the rollback can be finished", { timeout: 60_000 }, async () => {
    const applied = template("applied");
    const delays = await delaysFor((root) => ["rollback", root, "0"], applied, 12, SEED + 2);
    await inParallel(delays, async (delay, k) => {
      const root = copyOf(applied);
      await runChild(["rollback", root, "0"], delay);
      expect(paths.filter((p) => stateOf(root, p) === "torn"), `iteration ${k} (delay ${delay.toFixed(3)} ms)`).toEqual([]);
      checkStore(root);
      // Finish: the rollback version if the child made it, else the rollback from the start.
      const made = listVersions(root).find((v) => v.version === 2);
      if (made === undefined) rollbackTo(root, 0);
      else applyVersion(root, 2);
      expect(paths.filter((p) => stateOf(root, p) !== "old")).toEqual([]);
      expect(readVersion(root, 2)).toMatchObject({ kind: "rollback", status: "applied", restores: 0 });
      expect(readVersion(root, 1).status).toBe("rolled-back");
      checkNoLitter(root);
      rmSync(root, { recursive: true, force: true });
    });
  });
});
