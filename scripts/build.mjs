// Builds the library (tsc → dist/lib, with declarations) and the CLI bundle
// (esbuild → dist/cli.js). The CLI is bundled so that `cdlc check` loads one
// file instead of hundreds of modules; heavy dependencies (ts-morph, Babel,
// TypeScript) stay external and are imported lazily by the commands that
// need them.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

rmSync("dist", { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], { stdio: "inherit" });

const external = Object.keys(pkg.dependencies).filter((d) => d !== "chevrotain" && d !== "commander");
await build({
  entryPoints: { cli: "src/cli/bin.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  sourcemap: "linked",
  legalComments: "linked",
  external,
  banner: { js: "import { createRequire as __cdlcCreateRequire } from 'node:module'; const require = __cdlcCreateRequire(import.meta.url);" },
  logLevel: "warning",
});
chmodSync("dist/cli.js", 0o755);
