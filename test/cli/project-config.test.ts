import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readProjectConfig } from "../../src/cli/project-config.js";

/** cdlc.json beside the tsconfig: read as documented, refused whole when wrong. */
const dir = mkdtempSync(join(tmpdir(), "cdlc-project-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const withConfig = (text: string) => {
  writeFileSync(join(dir, "cdlc.json"), text);
  return () => readProjectConfig(dir);
};

describe("cdlc.json", () => {
  it("is optional", () => {
    expect(readProjectConfig(join(dir, "nowhere"))).toEqual({});
  });

  it("gives optimize's proposers and their timeout", () => {
    expect(withConfig(JSON.stringify({ optimize: { proposers: ["node a.mjs", "sh b.sh"], proposerTimeout: "90s", proposerRounds: 3 } }))()).toEqual({ optimize: { proposers: ["node a.mjs", "sh b.sh"], proposerTimeout: "90s", proposerRounds: 3 } });
    expect(withConfig("{}")()).toEqual({});
  });

  it.each([
    ["{", /not valid JSON/],
    ["[]", /must hold an object/],
    ['{ "optimise": {} }', /unknown setting "optimise"/],
    ['{ "optimize": [] }', /"optimize" must be an object/],
    ['{ "optimize": { "proposer": ["x"] } }', /unknown setting "optimize.proposer"/],
    ['{ "optimize": { "proposers": "node a.mjs" } }', /must be a list of commands/],
    ['{ "optimize": { "proposers": [""] } }', /must be a list of commands/],
    ['{ "optimize": { "proposerTimeout": 60 } }', /must be a duration/],
    ['{ "optimize": { "proposerRounds": 0 } }', /must be a whole number, at least 1/],
    ['{ "optimize": { "proposerRounds": "2" } }', /must be a whole number, at least 1/],
  ])("refuses %s", (text, message) => {
    expect(withConfig(text)).toThrow(message);
  });
});
