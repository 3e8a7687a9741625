/**
 * The versions store: staging, applying and rolling back keep every byte,
 * refuse (writing nothing) when a file is not what the version expects, and
 * leave `.cdl/` in the contract's layout.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  applyVersion, listVersions, readVersion, readVersionText, rollbackTo, stageVersion, VersionError, type VersionErrorCode,
} from "../../src/versions/index.js";
import { VERSION } from "../../src/version.js";
import { awkwardFiles, changed, listFiles, makeProject, read, removeProjects, sha256, snapshot, writeFiles } from "./helpers.js";

afterAll(removeProjects);

const paths = Object.keys(awkwardFiles);

/** Stages a version that changes `files` from what they hold now to `after`. */
function stage(root: string, after: Record<string, Buffer | string>, nodes: unknown[] = []) {
  return stageVersion(root, { files: Object.entries(after).map(([path, text]) => ({ path, before: read(root, path), after: text })), nodes });
}

function refusal(f: () => unknown): { code: VersionErrorCode; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof VersionError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("stage, apply, rollback", () => {
  it("round-trips CRLF, no final newline, a BOM and bytes that are not UTF-8, byte for byte", () => {
    const root = makeProject(awkwardFiles);
    const after = changed(awkwardFiles, "v1");
    const nodes = [{ node: "src/crlf.ts#a", status: "improved", speedup: { estimate: 2.5, interval: [2.1, 3], measuredOn: "test" } }];
    const v1 = stage(root, after, nodes);

    expect(v1).toMatchObject({ version: 1, parent: 0, cdlc: VERSION, status: "staged", kind: "optimize", nodes });
    expect(v1.files.map((f) => f.path)).toEqual([...paths].sort());
    for (const f of v1.files) expect(f).toEqual({ path: f.path, before: sha256(awkwardFiles[f.path]!), after: sha256(after[f.path]!) });
    expect(new Date(v1.created).toISOString()).toBe(v1.created);
    // Staging leaves the sources alone.
    expect(snapshot(root, paths)).toEqual(awkwardFiles);

    // Version 0: the program as found, recorded with the first version.
    const v0 = readVersion(root, 0);
    expect(v0).toMatchObject({ version: 0, parent: null, status: "applied", kind: "original", nodes: [] });
    for (const f of v0.files) expect(f.before).toBe(f.after);
    for (const p of paths) expect(readVersionText(root, 0, p, "before")).toEqual(awkwardFiles[p]);
    for (const p of paths) expect(readVersionText(root, 1, p, "after")).toEqual(after[p]);

    expect(applyVersion(root, 1)).toEqual({ version: 1, applied: [...paths].sort(), alreadyApplied: [] });
    expect(snapshot(root, paths)).toEqual(after);
    expect(readVersion(root, 1).status).toBe("applied");

    const back = rollbackTo(root, 0)!;
    expect(back).toMatchObject({ version: 2, parent: 1, kind: "rollback", restores: 0, status: "applied", nodes: [] });
    expect(snapshot(root, paths)).toEqual(awkwardFiles);
    expect(readVersion(root, 1).status).toBe("rolled-back");
    expect(listVersions(root).map((v) => [v.version, v.kind, v.status])).toEqual([
      [2, "rollback", "applied"],
      [1, "optimize", "rolled-back"],
      [0, "original", "applied"],
    ]);
  });

  it("lays out .cdl/ as the contract says: manifest, <n>.patch, before/ and after/ texts", () => {
    const root = makeProject({ "src/a.ts": "const a = 1;\n" });
    stage(root, { "src/a.ts": "const a = 2;\n" });
    expect(listFiles(join(root, ".cdl/versions")).sort()).toEqual([
      "0/0.patch", "0/before/src/a.ts", "0/manifest.json",
      "1/1.patch", "1/after/src/a.ts", "1/before/src/a.ts", "1/manifest.json",
    ]);
    expect(readFileSync(join(root, ".cdl/versions/1/1.patch"), "utf8")).toBe("--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,1 +1,1 @@\n-const a = 1;\n+const a = 2;\n");
    expect(readFileSync(join(root, ".cdl/versions/0/0.patch"), "utf8")).toBe("");
    const manifest = JSON.parse(readFileSync(join(root, ".cdl/versions/1/manifest.json"), "utf8")) as Record<string, unknown>;
    expect(Object.keys(manifest)).toEqual(["version", "parent", "created", "cdlc", "status", "kind", "files", "nodes"]);
  });

  it("rolls back to an intermediate version, forward again to a rolled-back one, and to 0", () => {
    const root = makeProject({ "a.ts": "a0\n", "b.ts": "b0\n", "c.ts": "c0\n" });
    const all = ["a.ts", "b.ts", "c.ts"];
    stage(root, { "a.ts": "a1\n", "b.ts": "b1\n" });
    applyVersion(root, 1);
    const asOf1 = snapshot(root, all);
    stage(root, { "b.ts": "b2\n", "c.ts": "c2\n" });
    applyVersion(root, 2);
    const asOf2 = snapshot(root, all);
    // c.ts was first changed by version 2: version 0 gained its text as found.
    expect(readVersion(root, 0).files.map((f) => f.path)).toEqual(all);
    expect(readVersionText(root, 0, "c.ts", "after").toString()).toBe("c0\n");

    expect(rollbackTo(root, 1)).toMatchObject({ version: 3, restores: 1, parent: 2, files: [{ path: "b.ts" }, { path: "c.ts" }] });
    expect(snapshot(root, all)).toEqual(asOf1);
    expect(readVersion(root, 2).status).toBe("rolled-back");
    expect(readVersion(root, 1).status).toBe("applied");

    // Version 2 was rolled back; rolling back "to" it restores it.
    expect(rollbackTo(root, 2)).toMatchObject({ version: 4, restores: 2, parent: 3 });
    expect(snapshot(root, all)).toEqual(asOf2);
    expect(readVersion(root, 3).status).toBe("rolled-back");

    // A new version on top, then everything undone.
    stage(root, { "a.ts": "a5\n" });
    expect(readVersion(root, 5).parent).toBe(4);
    applyVersion(root, 5);
    expect(rollbackTo(root, 1)).toMatchObject({ version: 6, restores: 1 });
    expect(snapshot(root, all)).toEqual(asOf1);
    rollbackTo(root, 0);
    expect(snapshot(root, all)).toEqual({ "a.ts": Buffer.from("a0\n"), "b.ts": Buffer.from("b0\n"), "c.ts": Buffer.from("c0\n") });
    expect(listVersions(root).filter((v) => v.status === "applied").map((v) => v.version)).toEqual([7, 0]);
  });

  it("does nothing when the sources already are as of the version, and refuses a version never applied", () => {
    const root = makeProject({ "a.ts": "a0\n" });
    stage(root, { "a.ts": "a1\n" });
    expect(rollbackTo(root, 0)).toBeUndefined();
    expect(refusal(() => rollbackTo(root, 1))).toMatchObject({ code: "not-staged", message: expect.stringContaining("version 1 is staged and was never applied") });
    expect(refusal(() => rollbackTo(root, 9))).toMatchObject({ code: "not-found" });
    applyVersion(root, 1);
    expect(rollbackTo(root, 1)).toBeUndefined();
    expect(listVersions(root)).toHaveLength(2);
  });

  it("keeps a file's mode (an executable script stays executable)", () => {
    const root = makeProject({ "bin/run.ts": "#!/usr/bin/env node\nrun();\n" });
    chmodSync(join(root, "bin/run.ts"), 0o755);
    stage(root, { "bin/run.ts": "#!/usr/bin/env node\nrun(1);\n" });
    applyVersion(root, 1);
    expect(statSync(join(root, "bin/run.ts")).mode & 0o777).toBe(0o755);
    rollbackTo(root, 0);
    expect(statSync(join(root, "bin/run.ts")).mode & 0o777).toBe(0o755);
  });
});

describe("refusals write nothing", () => {
  it("apply refuses when a file changed since staging, and names it", () => {
    const root = makeProject({ "a.ts": "a0\n", "b.ts": "b0\n" });
    stage(root, { "a.ts": "a1\n", "b.ts": "b1\n" });
    writeFileSync(join(root, "b.ts"), "b0 edited\n");
    expect(refusal(() => applyVersion(root, 1))).toEqual({ code: "changed", message: "b.ts changed since version 1 was made: nothing was written (stage a new version from the files as they are now)" });
    expect(read(root, "a.ts").toString()).toBe("a0\n");
    expect(readVersion(root, 1).status).toBe("staged");
  });

  it("apply is a no-op on an applied version, and refuses a rolled-back version, one that does not exist and a deleted file", () => {
    const root = makeProject({ "a.ts": "a0\n", "b.ts": "b0\n" });
    stage(root, { "a.ts": "a1\n", "b.ts": "b1\n" });
    expect(applyVersion(root, 1).applied).toEqual(["a.ts", "b.ts"]);
    expect(applyVersion(root, 1)).toEqual({ version: 1, applied: [], alreadyApplied: ["a.ts", "b.ts"] });
    rollbackTo(root, 0);
    expect(refusal(() => applyVersion(root, 1))).toMatchObject({ code: "not-staged", message: expect.stringContaining("rolled back") });
    expect(refusal(() => applyVersion(root, 7))).toMatchObject({ code: "not-found", message: "there is no version 7" });
    stage(root, { "a.ts": "a3\n" });
    rmSync(join(root, "a.ts"));
    expect(refusal(() => applyVersion(root, 3))).toMatchObject({ code: "changed", message: expect.stringContaining("a.ts (deleted)") });
  });

  it("stage refuses a before that is not the file's text, and writes no version (not even version 0)", () => {
    const root = makeProject({ "a.ts": "a0\n" });
    expect(refusal(() => stageVersion(root, { files: [{ path: "a.ts", before: "a?\n", after: "a1\n" }], nodes: [] }))).toMatchObject({ code: "changed", message: expect.stringContaining("a.ts is not what the new version was made from") });
    expect(refusal(() => stageVersion(root, { files: [{ path: "new.ts", before: "", after: "x\n" }], nodes: [] }))).toMatchObject({ code: "changed" });
    expect(existsSync(join(root, ".cdl/versions/0"))).toBe(false);
  });

  it.each([
    ["../outside.ts", "it has an empty, '.' or '..' segment"],
    ["/etc/passwd", "it is absolute"],
    ["C:/x.ts", "it is absolute"],
    ["src\\a.ts", "backslash"],
    [".cdl/versions/1/manifest.json", "inside .cdl/"],
    ["src//a.ts", "empty"],
    ["src/a\n.ts", "control character"],
    ["", "empty"],
  ])("stage refuses the path %j", (path, why) => {
    const root = makeProject({ "a.ts": "a0\n" });
    expect(refusal(() => stageVersion(root, { files: [{ path, before: "a0\n", after: "a1\n" }], nodes: [] }))).toMatchObject({ code: "bad-request", message: expect.stringContaining(why) });
  });

  it("stage refuses an unchanged file, a file listed twice, no files, and a symbolic link", () => {
    const root = makeProject({ "a.ts": "a0\n" });
    const same = { path: "a.ts", before: "a0\n", after: "a0\n" };
    expect(refusal(() => stageVersion(root, { files: [same], nodes: [] })).message).toContain("before and after texts are the same");
    const once = { path: "a.ts", before: "a0\n", after: "a1\n" };
    expect(refusal(() => stageVersion(root, { files: [once, once], nodes: [] })).message).toContain("listed twice");
    expect(refusal(() => stageVersion(root, { files: [], nodes: [] })).message).toContain("at least one file");
    symlinkSync("a.ts", join(root, "link.ts"));
    expect(refusal(() => stageVersion(root, { files: [{ path: "link.ts", before: "a0\n", after: "a1\n" }], nodes: [] })).message).toContain("symbolic link");
  });

  it("rollback refuses when a file was edited since cdlc wrote it", () => {
    const root = makeProject({ "a.ts": "a0\n", "b.ts": "b0\n" });
    stage(root, { "a.ts": "a1\n", "b.ts": "b1\n" });
    applyVersion(root, 1);
    writeFileSync(join(root, "a.ts"), "a1 edited\n");
    expect(refusal(() => rollbackTo(root, 0))).toMatchObject({ code: "changed", message: expect.stringMatching(/^a\.ts changed since cdlc last wrote it: nothing was rolled back/) });
    expect(read(root, "b.ts").toString()).toBe("b1\n");
    expect(listVersions(root)).toHaveLength(2);
  });

  it("apply refuses a stored text that does not match its manifest's hash", () => {
    const root = makeProject({ "a.ts": "a0\n", "b.ts": "b0\n" });
    stage(root, { "a.ts": "a1\n", "b.ts": "b1\n" });
    writeFileSync(join(root, ".cdl/versions/1/after/b.ts"), "tampered\n");
    expect(refusal(() => applyVersion(root, 1))).toMatchObject({ code: "damaged", message: "version 1's after text of b.ts does not match its manifest's hash" });
    expect(snapshot(root, ["a.ts", "b.ts"])).toEqual({ "a.ts": Buffer.from("a0\n"), "b.ts": Buffer.from("b0\n") });
  });

  it.each([
    ["not JSON", "{", "is not valid JSON"],
    ["another number", JSON.stringify({ version: 2 }), "its version is 2, not 1"],
    ["an unknown status", null, 'unknown status "done"'],
  ])("reading refuses a damaged manifest (%s)", (_what, text, message) => {
    const root = makeProject({ "a.ts": "a0\n" });
    stage(root, { "a.ts": "a1\n" });
    const path = join(root, ".cdl/versions/1/manifest.json");
    writeFileSync(path, text ?? readFileSync(path, "utf8").replace('"staged"', '"done"'));
    expect(refusal(() => listVersions(root))).toMatchObject({ code: "damaged", message: expect.stringContaining(message) });
  });
});

describe("stopped runs", () => {
  it("reports a half-applied version as partial, and apply finishes it", () => {
    const root = makeProject({ "a.ts": "a0\n", "b.ts": "b0\n", "c.ts": "c0\n" });
    stage(root, { "a.ts": "a1\n", "b.ts": "b1\n", "c.ts": "c1\n" });
    expect(listVersions(root)[0]).toMatchObject({ version: 1, partial: false, filesAtAfter: 0 });
    // What a run killed after its second rename leaves.
    writeFiles(root, { "a.ts": "a1\n", "b.ts": "b1\n" });
    expect(listVersions(root)[0]).toMatchObject({ version: 1, status: "staged", partial: true, filesAtAfter: 2 });
    // Nothing may be staged on top of a half-applied file.
    expect(refusal(() => stage(root, { "b.ts": "b2\n" }))).toMatchObject({ code: "unfinished", message: expect.stringContaining("finish it first with 'cdlc apply 1'") });
    expect(refusal(() => rollbackTo(root, 0))).toMatchObject({ code: "unfinished" });
    expect(applyVersion(root, 1)).toEqual({ version: 1, applied: ["c.ts"], alreadyApplied: ["a.ts", "b.ts"] });
    expect(listVersions(root)[0]).toMatchObject({ status: "applied", partial: false });
  });

  it("removes a temporary version folder and temporary source files a stopped run left", () => {
    const root = makeProject({ "src/a.ts": "a0\n" });
    stage(root, { "src/a.ts": "a1\n" });
    mkdirSync(join(root, ".cdl/versions/.tmp-0123456789abcdef/after"), { recursive: true });
    writeFileSync(join(root, "src/.a.ts.cdlc-0123456789ab.tmp"), "a1\n");
    writeFileSync(join(root, "src/.a.ts.mine.tmp"), "not ours\n");
    applyVersion(root, 1);
    expect(listFiles(join(root, ".cdl/versions")).filter((f) => f.startsWith(".tmp-"))).toEqual([]);
    expect(listFiles(join(root, "src")).sort()).toEqual([".a.ts.mine.tmp", "a.ts"]);
  });

  it("refuses to apply a version whose file a later applied version changed (each file's history follows the numbers)", () => {
    const root = makeProject({ "a.ts": "a0\n" });
    stage(root, { "a.ts": "a1\n" });
    stage(root, { "a.ts": "a1\n" }, [{ node: "a.ts#same-change" }]);
    applyVersion(root, 2);
    expect(refusal(() => applyVersion(root, 1))).toMatchObject({ code: "out-of-order", message: expect.stringContaining("version 2, applied after version 1 was made, also changes a.ts") });
    // Version 1 is dead, not partial: it does not block new versions.
    expect(listVersions(root).find((v) => v.version === 1)).toMatchObject({ partial: false, filesAtAfter: 1 });
    stage(root, { "a.ts": "a3\n" });
  });

  it("refuses to count a file as applied when an earlier version left that very text", () => {
    const root = makeProject({ "a.ts": "a0\n" });
    stage(root, { "a.ts": "a1\n" });
    stage(root, { "a.ts": "a1\n" });
    applyVersion(root, 1);
    expect(refusal(() => applyVersion(root, 2))).toMatchObject({ code: "out-of-order", message: expect.stringContaining("version 1 already gave a.ts the text version 2 would write") });
    expect(rollbackTo(root, 0)).toMatchObject({ version: 3 });
    expect(read(root, "a.ts").toString()).toBe("a0\n");
  });

  it("refuses to stage into a store whose version 0 is gone, or on a parent that does not exist", () => {
    const root = makeProject({ "a.ts": "a0\n" });
    stage(root, { "a.ts": "a1\n" });
    expect(refusal(() => stageVersion(root, { parent: 5, files: [{ path: "a.ts", before: "a0\n", after: "a2\n" }], nodes: [] })).message).toBe("parent 5 is not a version");
    rmSync(join(root, ".cdl/versions/0"), { recursive: true });
    expect(refusal(() => stage(root, { "a.ts": "a2\n" }))).toEqual({ code: "damaged", message: "the store has versions but no version 0 (the program as first found)" });
  });

  it("numbers versions after the highest, whatever happened to the ones between", () => {
    const root = makeProject({ "a.ts": "a0\n" });
    stage(root, { "a.ts": "a1\n" });
    stage(root, { "a.ts": "a2\n" });
    expect(stage(root, { "a.ts": "a3\n" }).version).toBe(3);
    expect(listVersions(root).map((v) => v.version)).toEqual([3, 2, 1, 0]);
  });
});
