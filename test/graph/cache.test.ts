import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildGraph } from "../../src/graph/build-graph.js";
import { cachePath } from "../../src/graph/cache.js";
import { loadProject } from "../../src/graph/project-loader.js";
import { copyFixture, ctx, edgeLines, nodeLines } from "./helpers.js";

function build(dir: string) {
  const project = loadProject(join(dir, "tsconfig.json"), ctx).value!;
  return { project, ...buildGraph(project, ctx).value };
}

describe("graph cache", () => {
  it("reuses an unchanged project without creating a program, and invalidates what a change affects", () => {
    const dir = copyFixture("graph-basic");
    const first = build(dir);
    expect(first.stats).toMatchObject({ programCreated: true, cachedFiles: 0, cacheWritten: true });

    const second = build(dir);
    expect(second.stats).toMatchObject({ programCreated: false, cachedFiles: first.stats.files });
    expect(nodeLines(second.graph)).toEqual(nodeLines(first.graph));
    expect(edgeLines(second.graph)).toEqual(edgeLines(first.graph));

    // Change math.ts: it and every file importing it (transitively) are rebuilt; utils.ts is not.
    const math = join(dir, "src/lib/math.ts");
    writeFileSync(math, readFileSync(math, "utf8") + "\nexport function cube(x: number): number {\n  return mul(x, square(x));\n}\n");
    const third = build(dir);
    expect(third.stats.programCreated).toBe(true);
    expect(third.stats.cachedFiles).toBeGreaterThan(0);
    expect(third.stats.cachedFiles).toBeLessThan(third.stats.files);
    expect(nodeLines(third.graph)).toContain("src/lib/math.ts#cube function");
    expect(edgeLines(third.graph)).toContain("src/lib/math.ts#cube -call-> src/lib/math.ts#square @12:17");
    // Unchanged edges elsewhere are still there.
    expect(edgeLines(third.graph)).toEqual(expect.arrayContaining(edgeLines(first.graph)));
  });

  it("ignores a corrupt cache", () => {
    const dir = copyFixture("graph-basic");
    const first = build(dir);
    writeFileSync(cachePath(dir, first.project.configHash), "{ not json");
    const again = build(dir);
    expect(again.stats).toMatchObject({ programCreated: true, cachedFiles: 0, cacheWritten: true });
    expect(edgeLines(again.graph)).toEqual(edgeLines(first.graph));
    writeFileSync(cachePath(dir, first.project.configHash), JSON.stringify({ version: 2, configHash: first.project.configHash, files: { "src/main.ts": { hash: 1 } }, external: {} }));
    expect(build(dir).stats.programCreated).toBe(true);
  });
});
