// Builds the library (dist/lib: tsc type-checks and writes declarations,
// esbuild writes the JavaScript file by file, which also inlines the
// lexer's const enum) and the CLI bundle (dist/cli.js). The CLI is bundled
// so that `cdlc check` loads one file instead of hundreds of modules; heavy
// dependencies (ts-morph, Babel, TypeScript) stay external and are imported
// lazily by the commands that need them.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

rmSync("dist", { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json", "--emitDeclarationOnly"], { stdio: "inherit" });

/** Every TypeScript source under a folder. */
function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (join(dir, e.name) === viewClient ? [] : sources(join(dir, e.name))) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [join(dir, e.name)] : []));
}
/** The graph view's page script: browser code, type-checked with the DOM's types and bundled on its own (below). */
const viewClient = join("src", "graph", "view", "client");
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.client.json"], { stdio: "inherit" });

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
// The graph view's page script, with sigma.js and graphology, inlined into every `cdlc graph --format html` page.
const view = await build({ entryPoints: { "graph-view": join(viewClient, "main.ts") }, outdir: "dist", bundle: true, format: "iife", platform: "browser", target: "es2020", minify: true, metafile: true, logLevel: "warning" });
// The licences of the packages bundled into it go with every page (MIT: the notice travels with the copies).
const bundled = [...new Set(Object.keys(view.metafile.inputs).map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter((x) => x !== undefined))].sort();
const notices = bundled.map((name) => {
  const dir = join("node_modules", name);
  const licence = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  if (licence === undefined) throw new Error(`the graph view bundles ${name}, which has no licence file`);
  return `${name}:\n${readFileSync(join(dir, licence), "utf8").trim().replace(/\*\//g, "* /")}`;
});
writeFileSync("dist/graph-view.js", `/*! The Living Graph view of cdlc, with these packages bundled:\n\n${notices.join("\n\n")}\n*/\n${readFileSync("dist/graph-view.js", "utf8")}`);
chmodSync("dist/cli.js", 0o755);
