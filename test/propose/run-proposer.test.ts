import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ProposerRequest } from "../../src/propose/protocol.js";
import { runProposer } from "../../src/propose/run-proposer.js";

/**
 * A proposer is a child process with a timeout and an output cap; whatever
 * it does, the run gets an answer or a failure with a reason, never an
 * exception, and nothing it started outlives a timeout.
 */
const dir = mkdtempSync(join(tmpdir(), "cdlc-run-proposer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = (name: string, body: string) => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return `"${process.execPath}" "${path}"`;
};
/** Whether a process runs: gone, or a zombie waiting for a parent that does not reap (as PID 1 may not in a container), is not running. */
function running(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}
const request = { protocol: 1, round: 1, node: { id: "src/a.ts#f" } } as unknown as ProposerRequest;
const limits = { cwd: dir, timeoutMs: 10_000, maxOutputBytes: 64 * 1024 };

describe("running a proposer", () => {
  it("hands it the request on standard input and returns what it prints", async () => {
    const echo = script("echo.mjs", `let s = ""; process.stdin.on("data", (c) => (s += c)); process.stdin.on("end", () => console.log(JSON.stringify({ got: JSON.parse(s).node.id })));`);
    const r = await runProposer(echo, request, limits);
    expect(r).toMatchObject({ ok: true });
    expect(r.ok && JSON.parse(r.stdout)).toEqual({ got: "src/a.ts#f" });
  });

  it("runs in the given folder, through the shell", async () => {
    const r = await runProposer("pwd && echo $((1 + 2))", request, limits);
    expect(r.ok && r.stdout.split("\n").slice(0, 2)).toEqual([dir, "3"]);
  });

  it("reports a non-zero exit with the end of its standard error", async () => {
    const failing = script("fail.mjs", `console.error("no key set"); process.exit(4);`);
    const r = await runProposer(failing, request, limits);
    expect(r).toMatchObject({ ok: false, reason: "exited with code 4", stderr: "no key set\n" });
  });

  it("reports a command that does not exist", async () => {
    const r = await runProposer("no-such-proposer-cdlc --x", request, limits);
    expect(r).toMatchObject({ ok: false, reason: "exited with code 127" });
    expect(!r.ok && r.stderr).toMatch(/not found/);
  });

  it("stops one that does not answer in time, and what it started too", async () => {
    const pidFile = join(dir, "grandchild.pid");
    // The shell starts a child that starts a grandchild; only the process group reaches all of them.
    const hanging = `sleep 30 & echo $! > "${pidFile}"; wait`;
    const started = performance.now();
    const r = await runProposer(hanging, request, { ...limits, timeoutMs: 500 });
    expect(r).toMatchObject({ ok: false, reason: "did not answer within 1 s" });
    expect(performance.now() - started).toBeLessThan(5_000);
    const pid = Number(readFileSync(pidFile, "utf8"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(running(pid)).toBe(false);
  });

  it("stops one that prints more than the cap", async () => {
    const flood = script("flood.mjs", `const line = "x".repeat(1000) + "\\n"; const go = () => { while (process.stdout.write(line)); process.stdout.once("drain", go); }; go();`);
    const r = await runProposer(flood, request, { ...limits, maxOutputBytes: 100_000 });
    expect(r).toMatchObject({ ok: false, reason: "printed more than 98 KB" });
  });

  it("does not mind a proposer that never reads its input", async () => {
    const big = { ...request, file: { path: "a.ts", text: "x".repeat(1 << 20) } } as unknown as ProposerRequest;
    const r = await runProposer(`echo '{"protocol":1,"candidates":[]}'`, big, limits);
    expect(r).toMatchObject({ ok: true, stdout: '{"protocol":1,"candidates":[]}\n' });
  });
});
