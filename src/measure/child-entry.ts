import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Finds the JavaScript file a measurement child runs. cdlc runs in three
 * shapes, and each has the child next to it:
 * - the CLI bundle (dist/cli.js, chunks in dist/chunks/): dist/measure-child.js,
 *   an entry point of scripts/build.mjs;
 * - the library (dist/lib/measure/*.js, from tsc): dist/lib/measure/child.js;
 * - the TypeScript sources (tests): src/measure/child.ts, which plain node
 *   cannot run, so it is bundled with esbuild (a development dependency) into
 *   `cacheDir` once per content hash.
 */
export async function resolveChildEntry(cacheDir: string): Promise<string> {
  const here = import.meta.url;
  for (const candidate of ["./child.js", "./measure-child.js", "../measure-child.js"]) {
    const path = fileURLToPath(new URL(candidate, here));
    if (existsSync(path) && !path.endsWith(join("src", "measure", "child.js"))) return path;
  }
  const source = fileURLToPath(new URL("./child.ts", here));
  if (!existsSync(source)) throw new Error(`cannot find the measurement child next to ${fileURLToPath(here)}; rebuild cdlc (npm run build)`);
  return bundleChild(source, cacheDir);
}

/** The bundled child's code, made once per process; each cache folder gets its own copy. */
let bundled: Promise<string> | undefined;

async function bundleChild(source: string, cacheDir: string): Promise<string> {
  bundled ??= (async () => {
    // A computed specifier: bundlers of cdlc itself must not pull esbuild into the CLI.
    const esbuild = "esbuild";
    const { build } = (await import(esbuild)) as typeof import("esbuild");
    const out = await build({ entryPoints: [source], bundle: true, write: false, format: "esm", platform: "node", target: "node20", logLevel: "silent" });
    return out.outputFiles[0]!.text;
  })();
  const code = await bundled;
  // Not remembered across calls: an earlier cache folder may be gone (calibrate measures in a temporary one).
  const path = join(cacheDir, `measure-child-${createHash("sha256").update(code).digest("hex").slice(0, 12)}.mjs`);
  if (!existsSync(path) || readFileSync(path, "utf8") !== code) {
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, code);
    renameSync(temp, path);
  }
  return path;
}
