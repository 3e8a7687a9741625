/**
 * The scripts a user is told to run exist: every file that a package.json
 * script or a README command hands to `node`. (`npm run bench` once named a
 * file that was never written.)
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;

/** The script files in a command line: what follows `node` (after its own flags). */
function nodeScripts(command: string): string[] {
  return [...command.matchAll(/\bnode((?:\s+--?[\w-]+(?:=\S+)?)*)\s+([\w./-]+\.m?js)\b/g)].map((m) => m[2]!);
}

/** A compiled example's script (`examples/shop/dist/scripts/x.js`, built by the README's tsc step) stands for its TypeScript source. */
function sourceOf(file: string): string {
  return /^examples\/[\w-]+\/dist\//.test(file) ? file.replace("/dist/", "/").replace(/\.m?js$/, ".ts") : file;
}

describe("scripts named in package.json and the README", () => {
  it("finds the script files of a command line", () => {
    expect(nodeScripts("npm run build && node --expose-gc bench/a.mjs 3 && node scripts/b.mjs")).toEqual(["bench/a.mjs", "scripts/b.mjs"]);
  });

  it("exist", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const named = [...Object.values(pkg.scripts).flatMap(nodeScripts), ...nodeScripts(readme)];
    expect(named).toContain("bench/run.mjs");
    expect(named).toContain("bench/compile-throughput.mjs");
    // A command run inside an example (a proposer runs in the project's folder) names files relative to it.
    const examples = readdirSync(join(root, "examples")).map((d) => join(root, "examples", d));
    const exists = (file: string) => existsSync(join(root, sourceOf(file))) || (file.startsWith("../") && examples.some((d) => existsSync(join(d, file))));
    for (const file of named) expect(exists(file), file).toBe(true);
  });
});
