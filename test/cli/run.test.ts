import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMemoryIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "cdlc-run-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("run(argv, io) in-process", () => {
  const bad = { "c.cdl": "constraint a { max_execution_time: 1MB }\n" };

  it("colours pretty output only on a terminal, never with NO_COLOR or --no-color", async () => {
    const cwd = project(bad);
    const tty = createMemoryIo({ cwd, isTTY: true });
    expect(await run(["check", "c.cdl"], tty)).toBe(2);
    expect(tty.out).toContain("\u001b[");
    for (const [env, args] of [[{ NO_COLOR: "1" }, []], [{}, ["--no-color"]]] as const) {
      const io = createMemoryIo({ cwd, isTTY: true, env });
      await run(["check", "c.cdl", ...args], io);
      expect(io.out).not.toContain("\u001b[");
    }
  });

  it("prints JSON diagnostics with the contract's fields", async () => {
    const io = createMemoryIo({ cwd: project(bad) });
    expect(await run(["check", "c.cdl", "--format", "json"], io)).toBe(2);
    const json = JSON.parse(io.out);
    expect(Object.keys(json.diagnostics[0])).toEqual(expect.arrayContaining(["severity", "code", "message", "file", "line", "column", "endLine", "endColumn"]));
  });

  it("shows a CDL file outside the working directory relative to it, as program files are", async () => {
    const dir = project(bad);
    mkdirSync(join(dir, "sub"));
    const io = createMemoryIo({ cwd: join(dir, "sub") });
    expect(await run(["check", "../c.cdl", "--format", "json"], io)).toBe(2);
    expect(JSON.parse(io.out).diagnostics[0].file).toBe("../c.cdl");
  });

  it("prints GitHub annotations", async () => {
    const io = createMemoryIo({ cwd: project(bad) });
    await run(["check", "c.cdl", "--format", "github"], io);
    expect(io.out).toMatch(/^::error file=c\.cdl,line=1,col=36,endLine=1,endColumn=39,title=CDL0103::/);
  });

  it("--quiet prints nothing for a valid file", async () => {
    const io = createMemoryIo({ cwd: project({ "c.cdl": "constraint a { max_execution_time: 1ms }\n" }) });
    expect(await run(["check", "c.cdl", "--quiet"], io)).toBe(0);
    expect(io.out).toBe("");
  });

  it("rejects a malformed --report with exit 2", async () => {
    const io = createMemoryIo({ cwd: project(bad) });
    expect(await run(["check", "c.cdl", "--report", "json"], io)).toBe(2);
    expect(io.err).toContain("FORMAT:PATH");
  });

  it("prints help with no arguments and exits 0", async () => {
    const io = createMemoryIo();
    expect(await run([], io)).toBe(0);
    expect(io.out).toContain("Usage: cdlc");
  });
});
