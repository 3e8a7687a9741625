/**
 * `cdlc check --measure` end to end, in-process, on a fixture with a
 * clearly fast and a clearly slow node: verdicts, not timings.
 */
import { describe, expect, it } from "vitest";
import { createMemoryIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";

const fixture = new URL("../fixtures/measure-check/", import.meta.url).pathname;

describe("cdlc check --measure", () => {
  it("passes the fast node, fails the slow one, and exits 1", async () => {
    const io = createMemoryIo({ cwd: fixture });
    const code = await run(["check", "constraints.cdl", "--project", "tsconfig.json", "--measure", "--time-budget", "2s", "--format", "json", "--no-cache"], io);
    const report = JSON.parse(io.out);
    const verdict = (node: string) => report.results.find((r: { node: string; metric: string }) => r.node === node && r.metric === "execution_time");
    expect(verdict("src/work.ts#addOne")).toMatchObject({ status: "pass", op: "<=", limit: 1_000_000, unit: "ns" });
    expect(verdict("src/work.ts#sortMany")).toMatchObject({ status: "fail", limit: 10_000 });
    expect(verdict("src/work.ts#sortMany").measured).toBeGreaterThan(10_000);
    expect(verdict("src/work.ts#sortMany").source).toMatchObject({ file: "constraints.cdl", line: 4 });
    expect(report.environment.node).toBe(process.version);
    expect(report.nodes.find((n: { node: string }) => n.node === "src/work.ts#addOne").timesNs.length).toBeGreaterThan(0);
    expect(code).toBe(1);
  });

  it("needs --project", async () => {
    const io = createMemoryIo({ cwd: fixture });
    expect(await run(["check", "constraints.cdl", "--measure"], io)).toBe(2);
    expect(io.err).toContain("--project");
  });
});
