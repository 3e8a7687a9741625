/**
 * docs/diagnostics.md is generated from the catalog and the golden tests by
 * `npm run gen`; this fails when the checked-in copy is stale, or when a
 * code of the front end has no example.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allDefinitions } from "../../src/diagnostics/index.js";
import { diagnosticsMarkdown, outputs, repoRoot } from "../../scripts/generate-lib.mjs";

describe("docs/diagnostics.md", () => {
  const generated = diagnosticsMarkdown(allDefinitions);

  it("is up to date with the catalog and the golden baselines (run `npm run gen`)", () => {
    expect(readFileSync(join(repoRoot, outputs.diagnosticsDoc), "utf8")).toBe(generated);
  });

  it("documents every code with its explanation", () => {
    for (const d of allDefinitions) {
      expect(generated, d.code).toContain(`## ${d.code}\n\n**${d.name}** (${d.severity})`);
      expect(generated, d.code).toContain(d.explanation.trim());
    }
  });

  it("shows the rendered output of each syntax, semantic and input code", () => {
    const frontEnd = allDefinitions.filter((d) => /^CDL0(0|1|9)/.test(d.code));
    expect(frontEnd.length).toBeGreaterThan(20);
    for (const d of frontEnd) {
      const section = generated.slice(generated.indexOf(`## ${d.code}\n`)).split(/\n## CDL/)[0]!;
      expect(section, d.code).toMatch(new RegExp(`\\n(error|warning)\\[${d.code}\\]: `));
    }
  });
});
