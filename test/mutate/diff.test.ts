import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../../src/mutate/diff.js";

/** Applies a unified diff made by unifiedDiff (one file) to `before`: hunks in order, context checked. */
function applyDiff(before: string, diff: string): string {
  const old = before.split(/(?<=\n)/).filter((l) => l !== "");
  const lines = diff.split("\n");
  const out: string[] = [];
  let at = 0;
  for (let k = 2; k < lines.length; k++) {
    const m = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(lines[k]!);
    if (m === null) continue;
    const start = Number(m[2]) === 0 ? Number(m[1]) : Number(m[1]) - 1;
    out.push(...old.slice(at, start));
    at = start;
    for (k++; k < lines.length && !lines[k]!.startsWith("@@"); k++) {
      const line = lines[k]!;
      if (line === "") continue;
      const noEol = lines[k + 1] === "\\ No newline at end of file";
      const text = line.slice(1) + (noEol ? "" : "\n");
      if (line[0] === " " || line[0] === "-") expect(old[at], `context at old line ${at + 1}`).toBe(text), at++;
      if (line[0] === " " || line[0] === "+") out.push(text);
      if (noEol) k++;
    }
    k--;
  }
  out.push(...old.slice(at));
  return out.join("");
}

const text = fc.array(fc.constantFrom("a", "b", "c", "{", "}", "  x();", ""), { maxLength: 30 }).chain((lines) =>
  fc.boolean().map((eol) => lines.join("\n") + (eol && lines.length > 0 ? "\n" : "")),
);

describe("unifiedDiff", () => {
  it("diffs a long file changed at both ends as two hunks (the edit is short, whatever the distance between them)", () => {
    // Between the two changes lie 20,000 lines: a table over them (the former LCS) would need 400 million cells.
    const lines = Array.from({ length: 20_010 }, (_, i) => `line ${i}\n`);
    const before = lines.join("");
    const after = lines.map((l, i) => (i === 5 ? "changed first\n" : i === 20_005 ? "changed last\n" : l)).join("");
    const diff = unifiedDiff("src/big.ts", before, after);
    expect(diff.match(/^@@ /gm)).toHaveLength(2);
    expect(applyDiff(before, diff)).toBe(after);
  });

  it("turns before into after when applied, for any two texts", () => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        const diff = unifiedDiff("src/a.ts", before, after);
        if (before === after) {
          expect(diff).toBe("");
        } else {
          expect(diff.startsWith("--- a/src/a.ts\n+++ b/src/a.ts\n@@ ")).toBe(true);
          expect(applyDiff(before, diff)).toBe(after);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("is accepted by git apply, with and without a final newline", () => {
    const dir = mkdtempSync(join(tmpdir(), "cdlc-diff-"));
    try {
      execFileSync("git", ["init", "-q"], { cwd: dir });
      const cases: [string, string][] = [
        ["line 1\nline 2\nfunction f() {\n  return xs.filter((x) => x > 1).length > 0;\n}\nline 6\nline 7\nline 8\nline 9\nline 10\n", "line 1\nline 2\nfunction f() {\n  return xs.some((x) => x > 1);\n}\nline 6\nline 7\nline 8\nline 9\nline 10\n"],
        ["a\nb\nc", "a\nB\nc"],
        ["a\nb\n", "a\nb\nc"],
      ];
      for (const [before, after] of cases) {
        writeFileSync(join(dir, "f.ts"), before);
        writeFileSync(join(dir, "p.diff"), unifiedDiff("f.ts", before, after));
        execFileSync("git", ["apply", "p.diff"], { cwd: dir });
        expect(readFileSync(join(dir, "f.ts"), "utf8")).toBe(after);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
