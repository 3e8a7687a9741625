// Generation of the checked-in artefacts that derive from the compiler:
// grammar/diagrams.html (railroad diagrams of the parser's rules) and
// docs/diagnostics.md (every diagnostic code, with an example from its golden
// case). Both `npm run gen` (scripts/generate.mjs) and the staleness tests
// (test/grammar, test/docs) use these functions, so what the tests compare
// against is exactly what the script writes.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSyntaxDiagramsCode } from "chevrotain";

/** The repository root (this file lives in scripts/). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Where each generated file goes, relative to the repository root. */
export const outputs = {
  diagrams: "grammar/diagrams.html",
  diagnosticsDoc: "docs/diagnostics.md",
};

/** The golden test folders that docs/diagnostics.md takes its examples from. */
export const goldenDirs = {
  cases: join(repoRoot, "test/golden/cases"),
  baselines: join(repoRoot, "test/golden/baselines"),
};

/**
 * Loads the parser and the diagnostic catalog from the TypeScript sources,
 * bundled in memory with esbuild, so that `npm run gen` works on a fresh
 * checkout without a build and never reads a stale dist/.
 */
export async function loadFrontEnd() {
  const { build } = await import("esbuild");
  const result = await build({
    stdin: {
      contents: [
        'export { CdlParser } from "./src/cdl/parser.ts";',
        'export { allDefinitions } from "./src/diagnostics/catalog/index.ts";',
      ].join("\n"),
      resolveDir: repoRoot,
      sourcefile: "generate-entry.ts",
      loader: "ts",
    },
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "error",
  });
  const code = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}

/** The installed chevrotain package's folder (its exports hide package.json). */
function chevrotainRoot() {
  let dir = dirname(fileURLToPath(import.meta.resolve("chevrotain")));
  while (!existsSync(join(dir, "diagrams", "diagrams.css"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("chevrotain's diagrams/ folder was not found");
    dir = up;
  }
  return dir;
}

const RESOURCES = "@@cdl-diagram-resources@@/";
const CSS = "@@cdl-diagram-css@@";

/**
 * The syntax diagrams page for a serialized grammar
 * (`new CdlParser().getSerializedGastProductions()`). Chevrotain's page
 * loads its scripts and stylesheet from a CDN; the same files ship in
 * chevrotain's package (diagrams/), so they are inlined here and the page
 * works offline, from the file system, and always matches the installed
 * Chevrotain.
 */
export function diagramsHtml(productions) {
  const base = chevrotainRoot();
  const read = (path) => readFileSync(join(base, "diagrams", path), "utf8").replace(/\r\n/g, "\n").trimEnd();
  let html = createSyntaxDiagramsCode(productions, { resourceBase: RESOURCES, css: CSS });
  html = html.replace(`<link rel='stylesheet' href='${CSS}'>`, () => `<style>\n${read("diagrams.css")}\n</style>`);
  html = html.replace(new RegExp(`<script src='${RESOURCES}([^']+)'></script>`, "g"), (_, path) => {
    const script = read(path);
    if (/<\/script/i.test(script)) throw new Error(`cannot inline diagrams/${path}: it contains </script>`);
    return `<script>\n${script}\n</script>`;
  });
  if (html.includes(RESOURCES) || html.includes(CSS)) throw new Error("chevrotain's diagrams page changed shape: a resource was not inlined");
  // The doctype stays first (anything before it puts browsers in quirks mode).
  const head = '<meta charset="utf-8">';
  const banner = "<!-- Generated from the parser (src/cdl/parser.ts) by `npm run gen`. Do not edit. -->";
  const body = html.replace("<!-- This is a generated file -->", "").replace(/[ \t]+$/gm, "").replace(/\n{3,}/g, "\n\n").trim();
  if (!body.includes(head)) throw new Error("chevrotain's diagrams page changed shape: no charset meta");
  return body.replace(head, `${head}\n<title>CDL syntax diagrams</title>\n${banner}`) + "\n";
}

/** A code span that survives backticks in its text. */
function codeSpan(text) {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run inside. */
function fenced(text, info) {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${info}\n${text.replace(/\n+$/, "")}\n${fence}`;
}

/** The `// cdlc: …` first line of a golden case, which only the harness reads. */
const directive = /^\/\/\s*cdlc:.*(\r?\n|$)/;

/**
 * The example of one code: its golden case `<CODE>-<name>.cdl`, the helper
 * files the output names (under support/), and the baseline output.
 */
function example(def, dirs) {
  const stem = `${def.code}-${def.name}`;
  const casePath = join(dirs.cases, `${stem}.cdl`);
  const baselinePath = join(dirs.baselines, `${stem}.txt`);
  if (!existsSync(casePath) || !existsSync(baselinePath)) return undefined;
  const source = readFileSync(casePath, "utf8").replace(/\r\n/g, "\n");
  const output = readFileSync(baselinePath, "utf8").replace(/\r\n/g, "\n");
  const command = output.split("\n", 1)[0];
  const parts = [];
  // A case whose command does not read the case file (a missing file) has no source to show.
  if (command.includes(`${stem}.cdl`)) {
    const shown = source.replace(directive, "");
    if (shown.trim() !== "") parts.push(`${codeSpan(`${stem}.cdl`)}:\n\n${fenced(shown, "cdl")}`);
  }
  const helpers = [...new Set(output.match(/support\/[\w./-]+\.\w+/g) ?? [])].sort();
  for (const helper of helpers) {
    const path = join(dirs.cases, helper);
    if (existsSync(path)) parts.push(`${codeSpan(helper)}:\n\n${fenced(readFileSync(path, "utf8").replace(/\r\n/g, "\n"), "cdl")}`);
  }
  parts.push(`Output:\n\n${fenced(output, "text")}`);
  return parts.join("\n\n");
}

/** A table cell: pipes escaped, one line. */
function cell(text) {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

/**
 * docs/diagnostics.md: an index of every code, then per code its severity,
 * name, message template, explanation (as `cdlc explain CODE` prints it) and
 * an example taken from its golden case and baseline.
 */
export function diagnosticsMarkdown(definitions, dirs = goldenDirs) {
  const defs = [...definitions].sort((a, b) => a.code.localeCompare(b.code));
  const lines = [
    "<!-- Generated from the diagnostic catalog (src/diagnostics/catalog) and the golden tests (test/golden) by `npm run gen`. Do not edit. -->",
    "",
    "# cdlc diagnostics",
    "",
    "Every diagnostic that `cdlc` reports has a stable code. `cdlc explain CODE` prints the",
    "explanation below in a terminal; `--format json` and `--format sarif` carry the code for tools.",
    "Errors make `cdlc check` exit with code 2; warnings do not change the exit code.",
    "In messages, `{name}` stands for a part filled in at the report site.",
    "The examples are the golden tests of the compiler, so they show the output of this version exactly.",
    "",
    "| code | severity | name | message |",
    "|---|---|---|---|",
    ...defs.map((d) => `| [${d.code}](#${d.code.toLowerCase()}) | ${d.severity} | ${d.name} | ${cell(d.message)} |`),
  ];
  for (const d of defs) {
    lines.push(
      "",
      `## ${d.code}`,
      "",
      `**${d.name}** (${d.severity})`,
      "",
      `Message: ${codeSpan(d.message)}`,
      "",
      d.explanation.trim(),
      "",
      "### Example",
      "",
      example(d, dirs) ?? "No example yet: add `test/golden/cases/" + `${d.code}-${d.name}.cdl` + "`.",
    );
  }
  return lines.join("\n") + "\n";
}
