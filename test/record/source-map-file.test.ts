import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { FileMatcher } from "../../src/record/file-matcher.js";
import type { RecordPlan } from "../../src/record/plan.js";
import { sourcesOf } from "../../src/record/source-map-file.js";

/**
 * `cdlc record` on compiled JavaScript: a loaded `.js` file is matched to
 * the TypeScript file it was compiled from through its source map. Each
 * test lays out a small project in a temporary folder.
 */

const root = mkdtempSync(join(tmpdir(), "cdlc-source-map-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let projects = 0;

/** Writes files (relative path → text; or made from the folder's path) under a fresh project folder; returns the folder. */
function project(files: Record<string, string> | ((dir: string) => Record<string, string>)): string {
  const dir = join(root, `p${projects++}`);
  mkdirSync(dir);
  for (const [path, text] of Object.entries(typeof files === "function" ? files(dir) : files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const map = (o: Record<string, unknown>): string => JSON.stringify({ version: 3, mappings: "AAAA", names: [], ...o });
const compiled = (url: string, comment = "//#"): string => `"use strict";\nfunction f() { return 1; }\n${comment} sourceMappingURL=${url}\n`;
const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

describe("sourcesOf", () => {
  it("reads a map file beside the compiled file, sources relative to the map", () => {
    const dir = project({ "dist/a.js.map": map({ sources: ["../src/a.ts"] }) });
    expect(sourcesOf(join(dir, "dist/a.js"), compiled("a.js.map"))).toEqual([join(dir, "src/a.ts")]);
  });

  it("reads a map in another folder, and resolves sources from the map's folder, not the compiled file's", () => {
    const dir = project({ "maps/deep/a.js.map": map({ sources: ["../../src/a.ts", "../../src/b.ts"] }) });
    expect(sourcesOf(join(dir, "dist/a.js"), compiled("../maps/deep/a.js.map"))).toEqual([join(dir, "src/a.ts"), join(dir, "src/b.ts")]);
  });

  it("decodes a percent-encoded map file name", () => {
    const dir = project({ "dist/my file.js.map": map({ sources: ["../src/a.ts"] }) });
    expect(sourcesOf(join(dir, "dist/my file.js"), compiled("my%20file.js.map"))).toEqual([join(dir, "src/a.ts")]);
  });

  it("reads an inline base64 map, sources relative to the compiled file", () => {
    const dir = project({});
    const url = `data:application/json;charset=utf-8;base64,${base64(map({ sources: ["../src/a.ts"] }))}`;
    expect(sourcesOf(join(dir, "dist/a.js"), compiled(url))).toEqual([join(dir, "src/a.ts")]);
  });

  it("reads an inline percent-encoded (not base64) map", () => {
    const dir = project({});
    const url = `data:application/json,${encodeURIComponent(map({ sources: ["../src/a.ts"] }))}`;
    expect(sourcesOf(join(dir, "dist/a.js"), compiled(url))).toEqual([join(dir, "src/a.ts")]);
  });

  it.each([
    ["a relative sourceRoot", "../src", ["a.ts"], "src/a.ts"],
    ["a sourceRoot ending in a slash", "../src/", ["a.ts"], "src/a.ts"],
    ["an empty sourceRoot", "", ["../src/a.ts"], "src/a.ts"],
  ])("joins %s to the sources", (_what, sourceRoot, sources, expected) => {
    const dir = project({ "dist/a.js.map": map({ sourceRoot, sources }) });
    expect(sourcesOf(join(dir, "dist/a.js"), compiled("a.js.map"))).toEqual([join(dir, expected)]);
  });

  it("reads file: URL sources and a file: URL sourceRoot", () => {
    const dir = project((at) => ({
      "dist/a.js.map": map({ sources: [pathToFileURL(join(at, "src/a.ts")).href] }),
      "dist/b.js.map": map({ sourceRoot: pathToFileURL(join(at, "src")).href, sources: ["b.ts"] }),
    }));
    expect(sourcesOf(join(dir, "dist/a.js"), compiled("a.js.map"))).toEqual([join(dir, "src/a.ts")]);
    expect(sourcesOf(join(dir, "dist/b.js"), compiled("b.js.map"))).toEqual([join(dir, "src/b.ts")]);
  });

  it("reads a map named by a file: URL, and by the old //@ comment", () => {
    const dir = project({ "dist/a.js.map": map({ sources: ["../src/a.ts"] }) });
    expect(sourcesOf(join(dir, "dist/a.js"), compiled(pathToFileURL(join(dir, "dist/a.js.map")).href))).toEqual([join(dir, "src/a.ts")]);
    expect(sourcesOf(join(dir, "dist/a.js"), compiled("a.js.map", "//@"))).toEqual([join(dir, "src/a.ts")]);
    expect(sourcesOf(join(dir, "dist/a.js"), compiled("a.js.map", "/*#").replace(/\n$/, " */\n"))).toEqual([join(dir, "src/a.ts")]);
  });

  it("keeps absolute sources as they are, and skips sources that are not strings", () => {
    const dir = project({ "dist/a.js.map": map({ sources: [join(root, "elsewhere/a.ts"), null, 3] }) });
    expect(sourcesOf(join(dir, "dist/a.js"), compiled("a.js.map"))).toEqual([join(root, "elsewhere/a.ts")]);
  });

  it("the last sourceMappingURL comment wins", () => {
    const dir = project({ "dist/old.js.map": map({ sources: ["../src/old.ts"] }), "dist/a.js.map": map({ sources: ["../src/a.ts"] }) });
    const code = `${compiled("old.js.map")}${compiled("a.js.map")}`;
    expect(sourcesOf(join(dir, "dist/a.js"), code)).toEqual([join(dir, "src/a.ts")]);
  });

  it.each([
    ["no map comment", () => '"use strict";\nfunction f() { return 1; }\n', {}],
    ["the text outside a comment", () => 'const s = "sourceMappingURL=a.js.map";\n', { "dist/a.js.map": map({ sources: ["../src/a.ts"] }) }],
    ["a map file that is missing", () => compiled("gone.js.map"), {}],
    ["a damaged map file", () => compiled("a.js.map"), { "dist/a.js.map": '{"version":3,"sources":["../src/a.ts"' }],
    ["a map without sources", () => compiled("a.js.map"), { "dist/a.js.map": map({ sources: undefined }) }],
    ["a map whose sources are not a list", () => compiled("a.js.map"), { "dist/a.js.map": map({ sources: "../src/a.ts" }) }],
    ["a damaged inline map", () => compiled(`data:application/json;base64,${base64("{not json")}`), {}],
    ["a map that is JSON but not an object", () => compiled("a.js.map"), { "dist/a.js.map": "null" }],
  ])("returns no sources for %s", (_what, code, files) => {
    const dir = project(files);
    expect(sourcesOf(join(dir, "dist/a.js"), code())).toEqual([]);
  });
});

describe("FileMatcher", () => {
  const plan = (dir: string, captureArgs?: RecordPlan["captureArgs"]): RecordPlan => ({
    version: 1,
    nodes: [
      { id: "src/a.ts#f", file: join(dir, "src/a.ts"), qualifiedName: "f" },
      { id: "src/a.ts#C.m", file: join(dir, "src/a.ts"), qualifiedName: "C.m" },
      { id: "src/view.tsx#render", file: join(dir, "src/view.tsx"), qualifiedName: "render" },
      { id: "src/b.mts#g", file: join(dir, "src/b.mts"), qualifiedName: "g" },
    ],
    edges: [{ from: 0, to: 3 }],
    outDir: join(dir, ".cdl/record"),
    ...(captureArgs !== undefined ? { captureArgs } : {}),
  });
  const aNodes = [
    { index: 0, qualifiedName: "f" },
    { index: 1, qualifiedName: "C.m" },
  ];

  it("matches a TypeScript file directly, by path or file: URL, without reading its code", () => {
    const dir = project({});
    const matcher = new FileMatcher(plan(dir));
    expect(matcher.match(join(dir, "src/a.ts"), "")).toEqual({ source: join(dir, "src/a.ts"), nodes: aNodes, typescript: true, jsx: false });
    expect(matcher.match(pathToFileURL(join(dir, "src/a.ts")).href, "")).toEqual({ source: join(dir, "src/a.ts"), nodes: aNodes, typescript: true, jsx: false });
    expect(matcher.match(join(dir, "src/view.tsx"), "")).toMatchObject({ typescript: true, jsx: true, nodes: [{ index: 2, qualifiedName: "render" }] });
    expect(matcher.match(join(dir, "src/b.mts"), "")).toMatchObject({ typescript: true, jsx: false });
    expect(matcher.match(join(dir, "src/unwatched.ts"), "")).toBeUndefined();
  });

  it("matches a compiled JavaScript file through its source map, as JavaScript", () => {
    const dir = project({ "dist/a.js.map": map({ sources: ["../src/a.ts"] }), "dist/b.mjs.map": map({ sources: ["../src/b.mts"] }) });
    const matcher = new FileMatcher(plan(dir));
    expect(matcher.match(join(dir, "dist/a.js"), compiled("a.js.map"))).toEqual({ source: join(dir, "src/a.ts"), nodes: aNodes, typescript: false, jsx: false });
    expect(matcher.match(pathToFileURL(join(dir, "dist/b.mjs")).href, compiled("b.mjs.map"))).toMatchObject({ source: join(dir, "src/b.mts"), typescript: false });
  });

  it("matches a bundle through the first of its sources that holds watched nodes", () => {
    const dir = project({ "dist/bundle.cjs.map": map({ sources: ["../src/other.ts", "../src/a.ts"] }) });
    expect(new FileMatcher(plan(dir)).match(join(dir, "dist/bundle.cjs"), compiled("bundle.cjs.map"))).toMatchObject({ source: join(dir, "src/a.ts"), nodes: aNodes });
  });

  it.each([
    ["a file under node_modules, even if its map names a watched source", "node_modules/dep/a.js"],
    ["a compiled file without a map", "dist/plain.js"],
    ["a compiled file whose map names no watched source", "dist/other.js"],
    ["a file that is not JavaScript", "dist/a.json"],
  ])("refuses %s", (_what, path) => {
    const dir = project({
      "node_modules/dep/a.js.map": map({ sources: ["../../src/a.ts"] }),
      "dist/other.js.map": map({ sources: ["../src/other.ts"] }),
      "dist/a.json.map": map({ sources: ["../src/a.ts"] }),
    });
    const name = path.split("/").pop()!;
    const code = path === "dist/plain.js" ? "module.exports = 1;\n" : compiled(`${name}.map`);
    expect(new FileMatcher(plan(dir)).match(join(dir, path), code)).toBeUndefined();
  });

  it("asks for arguments from every node with --capture-args, otherwise only from flow callees", () => {
    const dir = project({});
    expect([...new FileMatcher(plan(dir)).passArgs]).toEqual([3]);
    expect([...new FileMatcher(plan(dir, { maxCount: 10, maxBytes: 100 })).passArgs].sort()).toEqual([0, 1, 2, 3]);
  });
});
