import { describe, expect, it } from "vitest";
import { runsNoUserModules } from "../../src/record/tool-entries.js";

describe("processes that go without a module-hooks thread (about 50 ms each)", () => {
  it.each([
    ["/usr/bin/npx", true],
    ["/usr/lib/node_modules/npm/bin/npx-cli.js", true],
    ["/usr/local/bin/npm", true],
    ["/home/u/.local/share/pnpm/pnpm", true],
    ["/usr/bin/yarn", true],
    ["/usr/lib/node_modules/corepack/dist/corepack.js", true],
    ["/p/node_modules/.bin/vitest", true],
    ["/p/node_modules/vitest/vitest.mjs", true],
    ["/p/node_modules/vitest/dist/workers/forks.js", true],
    ["/p/node_modules/@vitest/runner/dist/index.js", true],
    ["/p/node_modules/tsx/dist/cli.mjs", true],
    ["/p/node_modules/.bin/tsx", true],
    // The program itself, and tools that may load it through Node's loader.
    ["/p/dist/server.js", false],
    ["/p/scripts/npm-release.mjs", false],
    ["/p/node_modules/.bin/ts-node", false],
    ["/p/node_modules/tsx/dist/loader.mjs", false],
    ["/p/src/yarnball.ts", false],
    [undefined, false],
  ])("%s → %s", (entry, expected) => {
    expect(runsNoUserModules(entry)).toBe(expected);
  });
});
