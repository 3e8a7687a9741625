import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Babel's typed `NodePath.get("key")` on an unnarrowed NodePath costs the type checker seconds per call
// (it resolves the key against every node type); a few dozen made `tsc` take minutes. Operators read
// children through `childPath` / `childPaths` in src/mutate/source.ts instead.
const root = join(import.meta.dirname, "../../src/mutate");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

describe("src/mutate reads child paths without Babel's typed get", () => {
  it.each(sources(root).map((f) => [f.slice(root.length + 1), f]))("%s", (_name, file) => {
    const offending = readFileSync(file, "utf8")
      .split("\n")
      .map((line, i) => [i + 1, line] as const)
      .filter(([, line]) => /\.get\((?:"[^"]*"|[a-zA-Z_$][\w$]*)\)\s+as\s+NodePath(?:\[\])?\s*[;,)]/.test(line))
      .map(([n, line]) => `${n}: ${line.trim()}`);
    expect(offending).toEqual([]);
  });
});
