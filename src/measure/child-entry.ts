import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The child processes cdlc starts: measurement (src/measure/child.ts) and the equivalence oracle (src/shadow/child.ts). */
export type ChildKind = "measure" | "shadow";

/**
 * Finds the JavaScript file a child of `kind` runs. cdlc runs in three
 * shapes, and each has the child next to it:
 * - the CLI bundle (dist/cli.js, chunks in dist/chunks/): dist/<kind>-child.js,
 *   an entry point of scripts/build.mjs;
 * - the library (dist/lib/measure/*.js, from tsc): dist/lib/<kind>/child.js;
 * - the TypeScript sources (tests): src/<kind>/child.ts, which plain node
 *   cannot run, so it is bundled with esbuild (a development dependency) into
 *   `cacheDir` once per content hash.
 */
export async function resolveChildEntry(cacheDir: string, kind: ChildKind = "measure"): Promise<string> {
  const here = import.meta.url;
  for (const candidate of [`../${kind}/child.js`, `./${kind}-child.js`, `../${kind}-child.js`]) {
    const path = fileURLToPath(new URL(candidate, here));
    if (existsSync(path) && !path.endsWith(join("src", kind, "child.js"))) return path;
  }
  const source = fileURLToPath(new URL(`../${kind}/child.ts`, here));
  if (!existsSync(source)) throw new Error(`cannot find the ${kind === "measure" ? "measurement" : "oracle"} child next to ${fileURLToPath(here)}; rebuild cdlc (npm run build)`);
  return bundleChild(source, cacheDir, kind);
}

/** The bundled children's code, made once per process; each cache folder gets its own copy. */
const bundled = new Map<ChildKind, Promise<string>>();

async function bundleChild(source: string, cacheDir: string, kind: ChildKind): Promise<string> {
  if (!bundled.has(kind)) bundled.set(kind, (async () => {
    // A computed specifier: bundlers of cdlc itself must not pull esbuild into the CLI.
    const esbuild = "esbuild";
    const { build } = (await import(esbuild)) as typeof import("esbuild");
    const out = await build({ entryPoints: [source], bundle: true, write: false, format: "esm", platform: "node", target: "node20", logLevel: "silent" });
    return out.outputFiles[0]!.text;
  })());
  const code = await bundled.get(kind)!;
  // Not remembered across calls: an earlier cache folder may be gone (calibrate measures in a temporary one).
  const path = join(cacheDir, `${kind}-child-${createHash("sha256").update(code).digest("hex").slice(0, 12)}.mjs`);
  if (!existsSync(path) || readFileSync(path, "utf8") !== code) {
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, code);
    renameSync(temp, path);
  }
  return path;
}
