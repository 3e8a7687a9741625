/**
 * The compiler's V8 code cache (src/graph/code-cache.ts), through the built
 * CLI: made by the first graph build, used as is by the next, replaced when
 * V8 rejects it, never written when turned off; the graph is the same in
 * every case.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cliPath as cli, ensureCurrentBuild, repoRoot as root } from "../helpers/built-cli.js";

beforeAll(ensureCurrentBuild);
const project = join(root, "test/fixtures/graph-basic/tsconfig.json");

function graph(env: Record<string, string>): string {
  const r = spawnSync(process.execPath, [cli, "graph", "--project", project, "--no-cache", "--format", "json"], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...env } });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}

const cacheFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".v8cache"));

describe("compiler code cache", () => {
  it("is written once, reused, replaced when rejected, and changes nothing in the graph", () => {
    const dir = mkdtempSync(join(tmpdir(), "cdlc-code-cache-"));
    const first = graph({ CDLC_CODE_CACHE_DIR: dir });
    // One for the compiler, one for @ts-morph/common (the standard library's text).
    const files = cacheFiles(dir).sort();
    expect(files).toHaveLength(2);
    const paths = files.map((f) => join(dir, f));
    for (const p of paths) expect(readFileSync(p).length).toBeGreaterThan(10_000);

    // Accepted by V8: not written again.
    const mtimes = paths.map((p) => statSync(p).mtimeMs);
    expect(graph({ CDLC_CODE_CACHE_DIR: dir })).toBe(first);
    expect(paths.map((p) => statSync(p).mtimeMs)).toEqual(mtimes);

    // Damaged: rejected by V8, the build goes on, and a good cache replaces it. Saving also
    // removes the data of an earlier version of the same file and files of the first naming,
    // and leaves other files alone.
    for (const p of paths) writeFileSync(p, "not a code cache");
    const olderVersion = `${files[0]!.split("-")[0]}-000000000000.v8cache`;
    for (const stale of [olderVersion, "0123456789abcdef.v8cache", "unrelated.v8cache"]) writeFileSync(join(dir, stale), "old");
    expect(graph({ CDLC_CODE_CACHE_DIR: dir })).toBe(first);
    for (const p of paths) expect(readFileSync(p).length).toBeGreaterThan(10_000);
    expect(cacheFiles(dir).sort()).toEqual([...files, "unrelated.v8cache"].sort());
  });

  it("writes nothing when turned off", () => {
    const dir = mkdtempSync(join(tmpdir(), "cdlc-code-cache-off-"));
    graph({ CDLC_CODE_CACHE_DIR: dir, CDLC_CODE_CACHE: "off" });
    expect(cacheFiles(dir)).toEqual([]);
  });
});
