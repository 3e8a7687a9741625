/**
 * Version diffs: the stored patch and the patch between two versions are
 * unified diffs that `git apply` accepts and that turn one state of the
 * program into the other, byte for byte (CRLF, BOM, bytes that are not UTF-8).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyVersion, rollbackTo, stageVersion, versionDiff } from "../../src/versions/index.js";
import { awkwardFiles, changed, makeProject, read, removeProjects, snapshot, writeFiles } from "./helpers.js";

afterAll(removeProjects);

const hasGit = spawnSync("git", ["--version"]).status === 0;
const paths = Object.keys(awkwardFiles);

function stage(root: string, after: Record<string, Buffer | string>) {
  return stageVersion(root, { files: Object.entries(after).map(([path, text]) => ({ path, before: read(root, path), after: text })), nodes: [] });
}

/** Applies `patch` with git to a fresh repository holding `files`; returns the files afterwards. */
function gitApply(files: Record<string, Buffer>, patch: Buffer): Record<string, Buffer> {
  const dir = mkdtempSync(join(tmpdir(), "cdlc-git-apply-"));
  try {
    execFileSync("git", ["init", "-q"], { cwd: dir });
    writeFiles(dir, files);
    writeFileSync(join(dir, "change.patch"), patch);
    execFileSync("git", ["apply", "--check", "change.patch"], { cwd: dir, stdio: "pipe" });
    execFileSync("git", ["apply", "change.patch"], { cwd: dir, stdio: "pipe" });
    return Object.fromEntries(Object.keys(files).map((p) => [p, readFileSync(join(dir, p))]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A project with three versions: 1 and 2 applied (2 changes a file 1 did not), then 3 rolls back to 1. */
function history() {
  const root = makeProject({ ...awkwardFiles, "extra.ts": "x0\n" });
  const v1 = changed(awkwardFiles, "v1");
  stage(root, v1);
  applyVersion(root, 1);
  const all = [...paths, "extra.ts"];
  const asOf1 = snapshot(root, all);
  stage(root, { "src/crlf.ts": changed({ f: read(root, "src/crlf.ts") }, "v2").f!, "extra.ts": "x2\n" });
  applyVersion(root, 2);
  const asOf2 = snapshot(root, all);
  rollbackTo(root, 1);
  return { root, all, asOf0: { ...awkwardFiles, "extra.ts": Buffer.from("x0\n") }, asOf1, asOf2 };
}

describe("versionDiff", () => {
  it("gives a version's stored patch, against its parent", () => {
    const { root } = history();
    const d = versionDiff(root, 2);
    expect(d).toMatchObject({ from: 1, to: 2, files: ["extra.ts", "src/crlf.ts"] });
    expect(d.patch).toEqual(readFileSync(join(root, ".cdl/versions/2/2.patch")));
    expect(d.patch.toString("latin1")).toContain("--- a/extra.ts\n+++ b/extra.ts\n@@ -1,1 +1,1 @@\n-x0\n+x2\n");
    expect(versionDiff(root, 0)).toMatchObject({ from: null, to: 0, files: [] });
    expect(versionDiff(root, 0).patch.length).toBe(0);
  });

  it("between two versions covers the files either one, or an applied version between them, changed", () => {
    const { root } = history();
    // Versions 1 and 3 do not change extra.ts, but version 2 between them did (and 3 undid it).
    expect(versionDiff(root, 1, 2).files).toEqual(["extra.ts", "src/crlf.ts"]);
    expect(versionDiff(root, 1, 3).files).toEqual([]);
    expect(versionDiff(root, 0, 3).files).toEqual([...paths].sort());
    expect(versionDiff(root, 2, 0).files).toEqual(["extra.ts", ...paths].sort());
  });

  it.skipIf(!hasGit)("is accepted by git apply and turns each state into the other, byte for byte", () => {
    const { root, asOf0, asOf1, asOf2 } = history();
    expect(gitApply(asOf0, versionDiff(root, 1).patch)).toEqual(asOf1);
    expect(gitApply(asOf1, versionDiff(root, 2).patch)).toEqual(asOf2);
    expect(gitApply(asOf2, versionDiff(root, 3).patch)).toEqual(asOf1);
    expect(gitApply(asOf0, versionDiff(root, 0, 2).patch)).toEqual(asOf2);
    expect(gitApply(asOf2, versionDiff(root, 2, 0).patch)).toEqual(asOf0);
    expect(gitApply(asOf1, versionDiff(root, 3, 2).patch)).toEqual(asOf2);
  });

  it.skipIf(!hasGit)("names files with spaces and non-ASCII letters so that git apply finds them", () => {
    const root = makeProject({ "src/é t.ts": "a0\n" });
    stage(root, { "src/é t.ts": "a1\n" });
    const before = { "src/é t.ts": Buffer.from("a0\n") };
    expect(gitApply(before, versionDiff(root, 1).patch)).toEqual({ "src/é t.ts": Buffer.from("a1\n") });
  });

  it("diffs a staged version from its parent's texts", () => {
    const root = makeProject({ "a.ts": "a0\n", "b.ts": "b0\n" });
    stage(root, { "a.ts": "a1\n" });
    applyVersion(root, 1);
    stage(root, { "b.ts": "b2\n" });
    // Version 2 is staged: as of 2, a.ts is as of its parent (1), b.ts its new text.
    const d = versionDiff(root, 0, 2);
    expect(d.files).toEqual(["a.ts", "b.ts"]);
    expect(d.patch.toString()).toBe("--- a/a.ts\n+++ b/a.ts\n@@ -1,1 +1,1 @@\n-a0\n+a1\n--- a/b.ts\n+++ b/b.ts\n@@ -1,1 +1,1 @@\n-b0\n+b2\n");
  });

  it("refuses a version that does not exist", () => {
    const root = makeProject({ "a.ts": "a0\n" });
    stage(root, { "a.ts": "a1\n" });
    expect(() => versionDiff(root, 4)).toThrow("there is no version 4");
    expect(() => versionDiff(root, 0, 4)).toThrow("there is no version 4");
  });

  it("copies cleanly: a copied project keeps its versions", () => {
    const { root, asOf0 } = history();
    const copy = makeProject({});
    cpSync(root, copy, { recursive: true });
    rollbackTo(copy, 0);
    expect(snapshot(copy, Object.keys(asOf0))).toEqual(asOf0);
  });
});
