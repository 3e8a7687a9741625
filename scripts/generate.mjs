// `npm run gen`: regenerates the files derived from the compiler —
// grammar/diagrams.html (syntax diagrams of the parser) and
// docs/diagnostics.md (the diagnostic catalog with golden examples).
// Tests under test/grammar and test/docs fail when the checked-in copies are stale.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { diagnosticsMarkdown, diagramsHtml, loadFrontEnd, outputs, repoRoot } from "./generate-lib.mjs";

const { CdlParser, allDefinitions } = await loadFrontEnd();
const files = {
  [outputs.diagrams]: diagramsHtml(new CdlParser().getSerializedGastProductions()),
  [outputs.diagnosticsDoc]: diagnosticsMarkdown(allDefinitions),
};

for (const [path, text] of Object.entries(files)) {
  const target = join(repoRoot, path);
  let old;
  try {
    old = readFileSync(target, "utf8");
  } catch {
    old = undefined;
  }
  if (old === text) {
    console.log(`unchanged ${path}`);
    continue;
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  console.log(`wrote     ${path}`);
}
