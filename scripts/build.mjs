// Builds the library (dist/lib: tsc type-checks and writes declarations,
// esbuild writes the JavaScript file by file, which also inlines the
// lexer's const enum) and the CLI bundle (dist/cli.js). The CLI is bundled
// so that `cdlc check` loads one file instead of hundreds of modules; heavy
// dependencies (ts-morph, Babel, TypeScript) stay external and are imported
// lazily by the commands that need them.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

rmSync("dist", { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json", "--emitDeclarationOnly"], { stdio: "inherit" });

/** Every TypeScript source under a folder. */
function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [join(dir, e.name)] : []));
}

await build({
  entryPoints: sources("src"),
  outdir: "dist/lib",
  outbase: "src",
  bundle: false,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
});

const external = Object.keys(pkg.dependencies).filter((d) => d !== "chevrotain" && d !== "commander");
await build({
  // measure-child and shadow-child: the processes that run user code, for measurements and for the
  // equivalence oracle (src/measure/child-entry.ts looks for dist/<kind>-child.js).
  entryPoints: { cli: "src/cli/bin.ts", "measure-child": "src/measure/child.ts", "shadow-child": "src/shadow/child.ts" },
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
// The recorder `cdlc record` preloads into the user's command (src/record/preload.ts): a CommonJS
// preload (so --require carries it into worker threads too), the instrumenter it loads only when a
// watched file loads, and the module-hooks file for ES modules. Babel stays in node_modules.
const babel = ["@babel/parser", "@babel/types"];
await build({ entryPoints: { "record-preload": "src/record/preload.ts", "record-instrument": "src/record/instrument-file.ts" }, outdir: "dist", outExtension: { ".js": ".cjs" }, bundle: true, format: "cjs", platform: "node", target: "node20", minify: true, sourcemap: "linked", external: babel, logLevel: "warning" });
await build({ entryPoints: { "record-hooks": "src/record/hooks.ts" }, outdir: "dist", outExtension: { ".js": ".mjs" }, bundle: true, format: "esm", platform: "node", target: "node20", minify: true, sourcemap: "linked", external: babel, logLevel: "warning" });
chmodSync("dist/cli.js", 0o755);
