import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startsInNode } from "../../src/record/node-command.js";

const dir = mkdtempSync(join(tmpdir(), "cdlc-node-command-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bin = join(dir, "bin");
mkdirSync(bin);
const script = (name: string, text: string) => {
  writeFileSync(join(bin, name), text);
  chmodSync(join(bin, name), 0o755);
};
script("npx-like", "#!/usr/bin/env node\nrequire('x');\n");
script("direct-node", "#!/usr/local/bin/node --max-old-space-size=100\n");
script("env-s", "#!/usr/bin/env -S node --enable-source-maps\n");
script("shell", "#!/bin/sh\necho hi\n");
script("nodemon-sh", "#!/bin/sh\n# runs node later\nexec node x.js\n");
script("binary", "\u007fELF\u0002\u0001");
mkdirSync(join(dir, "pkg"));
writeFileSync(join(dir, "pkg", "cli.mjs"), "#!/usr/bin/env node\nconsole.log(1)\n");
symlinkSync(join(dir, "pkg", "cli.mjs"), join(bin, "linked"));
const env = { PATH: `${bin}:/nowhere` };

describe("whether a command's program is Node (it may then start before the CDL file is checked)", () => {
  it.each([
    ["node", true],
    [process.execPath, true],
    ["npx-like", true],
    ["direct-node", true],
    ["env-s", true],
    ["linked", true],
    ["./bin/npx-like", true],
    ["shell", false],
    ["nodemon-sh", false],
    ["binary", false],
    ["missing", false],
    ["./bin/missing", false],
    ["sh", false],
    ["/usr/bin/node", true],
    ["/bin/node-but-not", false],
  ])("%s → %s", (program, expected) => {
    expect(startsInNode(program, env, dir)).toBe(expected);
  });
});
