/**
 * Golden diagnostics: every `cases/*.cdl` is run through the CLI in-process
 * (`run(argv, io)`, cwd = cases/) and its output must equal
 * `baselines/<name>.txt`. The first line of a case may give the command:
 *   // cdlc: check {file} --project ../../fixtures/graph-basic/tsconfig.json
 * (default: `check {file}`). Review baseline diffs like code; regenerate with
 *   UPDATE_GOLDEN=1 npx vitest run test/golden
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMemoryIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";

const here = new URL(".", import.meta.url).pathname;
const casesDir = join(here, "cases");
const baselinesDir = join(here, "baselines");
const update = process.env.UPDATE_GOLDEN === "1";

/** Splits a command line on spaces, keeping "quoted strings" whole. */
function splitArgs(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

export function caseCommand(file: string, text: string): string[] {
  const first = text.split("\n", 1)[0] ?? "";
  const m = /^\/\/\s*cdlc:\s*(.+)$/.exec(first);
  const args = m ? splitArgs(m[1]!.trim()) : ["check", "{file}"];
  return args.map((a) => (a === "{file}" ? file : a));
}

export async function renderCase(file: string): Promise<string> {
  const text = readFileSync(join(casesDir, file), "utf8");
  const argv = caseCommand(file, text);
  const io = createMemoryIo({ cwd: casesDir, env: {}, isTTY: false });
  const code = await run(argv, io);
  return `$ cdlc ${argv.join(" ")}\n${io.out}${io.err}exit: ${code}\n`;
}

const cases = readdirSync(casesDir).filter((f) => f.endsWith(".cdl")).sort();

describe("golden diagnostics", () => {
  it("has cases", () => expect(cases.length).toBeGreaterThan(0));
  for (const file of cases) {
    it(file, async () => {
      const actual = await renderCase(file);
      const baseline = join(baselinesDir, file.replace(/\.cdl$/, ".txt"));
      if (update || !existsSync(baseline)) {
        if (!update) throw new Error(`no baseline for ${file}: run UPDATE_GOLDEN=1 npx vitest run test/golden`);
        writeFileSync(baseline, actual);
      }
      expect(actual).toBe(readFileSync(baseline, "utf8"));
    });
  }
});
