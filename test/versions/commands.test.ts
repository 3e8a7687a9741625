/** `cdlc versions`, `apply`, `rollback` and `diff`, in-process: output, exit codes and refusals as messages. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createMemoryIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";
import { stageVersion } from "../../src/versions/index.js";
import { makeProject, read, removeProjects } from "./helpers.js";

afterAll(removeProjects);

const node = { node: "src/a.ts#f", status: "improved", speedup: { estimate: 2.5, interval: [2.1, 3], measuredOn: "test" } };

/** A project with a tsconfig and version 1 staged (a.ts and b.ts changed). */
function project(): string {
  const root = makeProject({ "tsconfig.json": "{}\n", "src/a.ts": "export const a = 1;\n", "src/b.ts": "export const b = 1;\n" });
  stageVersion(root, {
    files: [
      { path: "src/a.ts", before: "export const a = 1;\n", after: "export const a = 2;\n" },
      { path: "src/b.ts", before: "export const b = 1;\n", after: "export const b = 2;\n" },
    ],
    nodes: [node],
  });
  return root;
}

async function cdlc(root: string, ...args: string[]) {
  const io = createMemoryIo({ cwd: root });
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

describe("cdlc versions", () => {
  it("lists versions newest first, with kind, status, files, parent and nodes with their speedup", async () => {
    const root = project();
    const r = await cdlc(root, "versions", "--project", "tsconfig.json");
    expect(r).toMatchObject({ code: 0, err: "" });
    const lines = r.out.split("\n");
    expect(lines[0]).toMatch(/^1 {2}optimize {2}staged {3}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}2 files {2}parent 0 {2}1 node$/);
    expect(lines[1]).toBe("    src/a.ts#f  2.50× faster [2.10, 3.00]  (improved)");
    expect(lines[2]).toMatch(/^0 {2}original {2}applied {2}\S+ {2}2 files {12}the program as first found$/);
    const json = JSON.parse((await cdlc(root, "versions", "-p", ".", "--format", "json")).out) as { versions: { version: number; partial: boolean; nodes: unknown[] }[] };
    expect(json.versions.map((v) => [v.version, v.partial])).toEqual([[1, false], [0, false]]);
    expect(json.versions[0]!.nodes).toEqual([node]);
  });

  it("says when there are no versions, and shows a partly applied one", async () => {
    const empty = makeProject({ "tsconfig.json": "{}\n" });
    expect(await cdlc(empty, "versions", "-p", "tsconfig.json")).toEqual({ code: 0, out: "no versions yet: cdlc optimize stages one\n", err: "" });
    const root = project();
    writeFileSync(join(root, "src/a.ts"), "export const a = 2;\n");
    expect((await cdlc(root, "versions", "-p", ".")).out).toContain("    partly applied: 1 of 2 files written when a run stopped; 'cdlc apply 1' finishes it\n");
  });
});

describe("cdlc apply, rollback, diff", () => {
  it("applies, rolls back to 0 and says what it did", async () => {
    const root = project();
    expect(await cdlc(root, "apply", "1", "-p", ".")).toEqual({ code: 0, out: "applied version 1: 2 files written\n", err: "" });
    expect(read(root, "src/a.ts").toString()).toBe("export const a = 2;\n");
    expect(await cdlc(root, "apply", "1", "-p", ".")).toEqual({ code: 0, out: "version 1 is already applied; nothing to write\n", err: "" });
    expect(await cdlc(root, "rollback", "0", "-p", ".")).toEqual({ code: 0, out: "rolled back to version 0 as version 2: 2 files restored\n", err: "" });
    expect(read(root, "src/a.ts").toString()).toBe("export const a = 1;\n");
    expect(await cdlc(root, "rollback", "0", "-p", ".")).toEqual({ code: 0, out: "the sources already are as of version 0; nothing to write\n", err: "" });
    const json = await cdlc(root, "rollback", "1", "-p", ".", "--format", "json");
    expect(JSON.parse(json.out)).toEqual({ version: 3, restores: 1, files: ["src/a.ts", "src/b.ts"] });
  });

  it("finishes a stopped apply and says so", async () => {
    const root = project();
    writeFileSync(join(root, "src/a.ts"), "export const a = 2;\n");
    expect((await cdlc(root, "apply", "1", "-p", ".")).out).toBe("applied version 1: 1 file written (1 already held the new text: a stopped apply is finished)\n");
    const json = await cdlc(root, "apply", "1", "-p", ".", "--format", "json");
    expect(JSON.parse(json.out)).toEqual({ version: 1, applied: [], alreadyApplied: ["src/a.ts", "src/b.ts"] });
  });

  it("prints a version's patch, and the patch between two versions", async () => {
    const root = project();
    const patch = "--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,1 +1,1 @@\n-export const a = 1;\n+export const a = 2;\n--- a/src/b.ts\n+++ b/src/b.ts\n@@ -1,1 +1,1 @@\n-export const b = 1;\n+export const b = 2;\n";
    expect(await cdlc(root, "diff", "1", "-p", ".")).toEqual({ code: 0, out: patch, err: "" });
    expect((await cdlc(root, "diff", "0", "1", "-p", ".")).out).toBe(patch);
    expect(JSON.parse((await cdlc(root, "diff", "1", "-p", ".", "--format", "json")).out)).toEqual({ from: 0, to: 1, files: ["src/a.ts", "src/b.ts"], patch });
    // Colour only on a terminal.
    const io = createMemoryIo({ cwd: root, isTTY: true });
    await run(["diff", "1", "-p", "."], io);
    expect(io.out).toContain("\u001b[32m+export const a = 2;\u001b[39m");
    expect(io.out).toContain("--- a/src/a.ts\n");
  });

  it("warns when a patch holds bytes that are not UTF-8", async () => {
    const root = makeProject({ "l.ts": Buffer.from([0x61, 0xe9, 0x0a]) });
    stageVersion(root, { files: [{ path: "l.ts", before: Buffer.from([0x61, 0xe9, 0x0a]), after: Buffer.from([0x62, 0xe9, 0x0a]) }], nodes: [] });
    const r = await cdlc(root, "diff", "1", "-p", ".");
    expect(r.code).toBe(0);
    expect(r.err).toBe("warning: the diff holds bytes that are not UTF-8, printed as replacement characters; the exact patch is .cdl/versions/1/1.patch\n");
  });
});

describe("refusals are exit 2 with a message, never a trace", () => {
  it.each([
    [["apply", "9"], "error: there is no version 9 (versions: 0, 1)\n"],
    [["apply", "one"], "error: a version is a whole number, as 'cdlc versions' lists them (got 'one')\n"],
    [["apply", "-1"], "error: a version is a whole number, as 'cdlc versions' lists them (got '-1')\n"],
    [["rollback", "1"], "error: version 1 is staged and was never applied: there is no state as of it to restore (apply it instead)\n"],
    [["rollback", "5"], "error: there is no version 5\n"],
    [["diff", "0", "x"], "error: a version is a whole number, as 'cdlc versions' lists them (got 'x')\n"],
    [["diff", "3"], "error: there is no version 3 (versions: 0, 1)\n"],
    [["versions", "--format", "xml"], "error: unknown format 'xml': use pretty or json\n"],
  ])("cdlc %j", async (args, message) => {
    const r = await cdlc(project(), ...args, "-p", ".");
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("refuses to apply over a file changed since, naming it, and writes nothing", async () => {
    const root = project();
    writeFileSync(join(root, "src/b.ts"), "export const b = 7;\n");
    const r = await cdlc(root, "apply", "1", "-p", ".");
    expect(r).toEqual({ code: 2, out: "", err: "error: src/b.ts changed since version 1 was made: nothing was written (stage a new version from the files as they are now)\n" });
    expect(read(root, "src/a.ts").toString()).toBe("export const a = 1;\n");
  });

  it("needs --project, and one that exists", async () => {
    const root = project();
    expect((await cdlc(root, "versions")).err).toContain("required option '-p, --project <tsconfig>' not specified");
    expect(await cdlc(root, "versions", "-p", "nowhere/tsconfig.json")).toMatchObject({ code: 2, err: "error: --project: nowhere/tsconfig.json does not exist\n" });
  });

  it.each(["versions", "apply", "rollback", "diff"])("%s --help says what it does, its exit codes and examples", async (command) => {
    const r = await cdlc(project(), command, "--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Usage: cdlc ${command}`);
    expect(r.out).toContain("--project <tsconfig>");
    expect(r.out).toContain("Exit codes: 0 done, 2 invalid input");
    expect(r.out).toMatch(new RegExp(`Examples:\\n  cdlc ${command} `));
  });
});
