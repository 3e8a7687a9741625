/**
 * The versions commands through the built CLI (`dist/cli.js`), on a copy of
 * test/fixtures/versions-project: a version staged through the library is
 * listed, diffed, applied and rolled back to 0 by `cdlc`, and the files end
 * byte-identical to how they started (one of them CRLF without a final
 * newline, the other with a BOM).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stageVersion } from "../../src/versions/index.js";
import { cdlcSync, copyFixture, removeTempDirs } from "../helpers/built-cli.js";

afterAll(removeTempDirs);

const files = ["src/cart.ts", "src/catalog.ts"];

/** The fixture, with cart.ts turned CRLF without a final newline and catalog.ts given a BOM. */
function project(): { dir: string; original: Record<string, Buffer> } {
  const dir = copyFixture("versions-project");
  const cart = join(dir, "src/cart.ts");
  writeFileSync(cart, readFileSync(cart, "utf8").trimEnd().replace(/\n/g, "\r\n"));
  const catalog = join(dir, "src/catalog.ts");
  writeFileSync(catalog, `\ufeff${readFileSync(catalog, "utf8")}`);
  return { dir, original: Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f))])) };
}

function current(dir: string): Record<string, Buffer> {
  return Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f))]));
}

describe("cdlc versions, diff, apply, rollback (built)", () => {
  it("lists, diffs, applies and rolls back a staged version, ending byte-identical", () => {
    const { dir, original } = project();
    const catalog = original["src/catalog.ts"]!.toString("utf8");
    const cart = original["src/cart.ts"]!.toString("utf8");
    const after = {
      "src/catalog.ts": catalog.replace("  const out: string[] = [];\n", "  const out: string[] = [];\n  const seen = new Set<string>();\n").replace("if (!out.includes(sku)) out.push(sku);", "if (!seen.has(sku)) {\n      seen.add(sku);\n      out.push(sku);\n    }"),
      "src/cart.ts": cart.replace("return dedupeSkus(lines.map((line) => line.sku));", "return dedupeSkus(lines.map((l) => l.sku));"),
    };
    expect(after["src/catalog.ts"]).not.toBe(catalog);
    expect(after["src/cart.ts"]).not.toBe(cart);
    const node = { node: "src/catalog.ts#dedupeSkus", status: "improved", speedup: { estimate: 41.6, interval: [36.2, 47.9], measuredOn: "test" } };
    stageVersion(dir, { files: files.map((path) => ({ path, before: original[path]!, after: after[path as keyof typeof after] })), nodes: [node] });

    const listed = cdlcSync(["versions", "--project", "tsconfig.json"], { cwd: dir });
    expect(listed).toMatchObject({ code: 0, err: "" });
    expect(listed.out).toMatch(/^1 {2}optimize {2}staged {3}\S+ {2}2 files {2}parent 0 {2}1 node\n {4}src\/catalog\.ts#dedupeSkus {2}41\.6× faster \[36\.2, 47\.9\] {2}\(improved\)\n0 {2}original/);
    const json = JSON.parse(cdlcSync(["versions", "--project", ".", "--format", "json"], { cwd: dir }).out) as { versions: { version: number; status: string; files: { path: string }[] }[] };
    expect(json.versions.map((v) => [v.version, v.status, v.files.map((f) => f.path)])).toEqual([
      [1, "staged", files],
      [0, "applied", files],
    ]);

    const diff = cdlcSync(["diff", "1", "--project", "tsconfig.json"], { cwd: dir });
    expect(diff).toMatchObject({ code: 0, err: "" });
    expect(diff.out).toBe(readFileSync(join(dir, ".cdl/versions/1/1.patch"), "utf8"));
    expect(diff.out).toContain("--- a/src/cart.ts\n+++ b/src/cart.ts\n");
    expect(diff.out).toContain("-  return dedupeSkus(lines.map((line) => line.sku));\r\n");
    expect(diff.out).toContain("+  return dedupeSkus(lines.map((l) => l.sku));\r\n");
    expect(diff.out).toContain("+    if (!seen.has(sku)) {\n");
    expect(current(dir)).toEqual(original);

    expect(cdlcSync(["apply", "1", "--project", "tsconfig.json"], { cwd: dir })).toEqual({ code: 0, out: "applied version 1: 2 files written\n", err: "" });
    expect(current(dir)).toEqual(Object.fromEntries(Object.entries(after).map(([p, t]) => [p, Buffer.from(t)])));

    const back = cdlcSync(["rollback", "0", "--project", "tsconfig.json"], { cwd: dir });
    expect(back).toEqual({ code: 0, out: "rolled back to version 0 as version 2: 2 files restored\n", err: "" });
    expect(current(dir)).toEqual(original);
    expect(cdlcSync(["versions", "-p", "."], { cwd: dir }).out).toMatch(/^2 {2}rollback {2}applied {6}\S+ {2}2 files {2}parent 1 {2}restores version 0\n1 {2}optimize {2}rolled-back /);
  });

  it("refuses to apply over an edited file with exit 2 and a message", () => {
    const { dir, original } = project();
    stageVersion(dir, { files: [{ path: "src/cart.ts", before: original["src/cart.ts"]!, after: "export {};\n" }], nodes: [] });
    writeFileSync(join(dir, "src/cart.ts"), "// edited\n");
    expect(cdlcSync(["apply", "1", "--project", "tsconfig.json"], { cwd: dir })).toEqual({
      code: 2,
      out: "",
      err: "error: src/cart.ts changed since version 1 was made: nothing was written (stage a new version from the files as they are now)\n",
    });
    expect(readFileSync(join(dir, "src/cart.ts"), "utf8")).toBe("// edited\n");
  });

  it.each(["versions", "apply", "rollback", "diff"])("%s --help", (command) => {
    const help = cdlcSync([command, "--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain(`Usage: cdlc ${command} [options]`);
    expect(help.out).toContain("Exit codes: 0 done, 2 invalid input");
    expect(help.out).toContain(`  cdlc ${command} `);
  });

  it("lists the four commands in cdlc --help", () => {
    const help = cdlcSync(["--help"]).out;
    for (const command of ["versions", "apply", "rollback", "diff"]) expect(help).toMatch(new RegExp(`\\n  ${command} `));
  });
});
