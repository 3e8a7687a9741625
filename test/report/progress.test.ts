import { describe, expect, it } from "vitest";
import { runSequential, type ProgressState } from "../../src/measure/decide/index.js";
import { eraseLines, renderProgress } from "../../src/report/index.js";
import { FakeSampler, here, target } from "../decide/fake-sampler.js";

async function states(): Promise<ProgressState[]> {
  const out: ProgressState[] = [];
  const sampler = new FakeSampler({ "src/a.ts#fast": { time: (r) => r.exponential(1) }, "src/b.ts#undecided": { time: (r) => r.exponential(1) } }, 1);
  await runSequential(
    sampler,
    [target("src/a.ts#fast"), target("src/b.ts#undecided")],
    [
      { node: "src/a.ts#fast", metric: "execution_time", op: "<=", limit: 100, unit: "ns", percentile: "p50", severity: "error", source: here },
      { node: "src/b.ts#undecided", metric: "execution_time", op: "<=", limit: Math.LN2, unit: "ns", percentile: "p50", severity: "error", source: here },
    ],
    { timeBudgetMs: 800, maxLooks: 8, onProgress: (s) => out.push(s) },
  );
  return out;
}

describe("renderProgress", () => {
  it("prints one line per finished node and a closing line in CI logs, nothing else", async () => {
    const all = await states();
    const text = all.map((s) => renderProgress(s, { tty: false })).join("");
    const lines = text.trim().split("\n");
    expect(lines).toHaveLength(3);
    // Decided at the first look, but a node stops early only after two runs.
    expect(lines[0]).toMatch(/^measured src\/a\.ts#fast \(1\/2\): 2 runs, 200 samples, 0\.2 s; 1 bound of 1 decided early$/);
    expect(lines[1]).toMatch(/^measured src\/b\.ts#undecided \(2\/2\): 8 runs, 800 samples, 0\.8 s/);
    expect(lines[2]).toMatch(/^measured 2 nodes in 1\.0 s: 1 passed; 1 inconclusive$/);
    expect(text).not.toContain("\u001b");
  });

  it("draws bars with runs, samples and time left on a terminal", async () => {
    const all = await states();
    const mid = all.find((s) => s.event.kind === "look" && s.event.node === "src/b.ts#undecided" && s.nodes[1]!.looks === 4)!;
    const frame = renderProgress(mid, { tty: true, width: 100 });
    const lines = frame.trimEnd().split("\n");
    expect(lines[0]).toBe("measuring 1/2 nodes");
    expect(lines[1]).toMatch(/src\/a\.ts#fast\s+█+ 2 runs, 200 samples, (1 passed|1\/1 decided)/);
    // The fast node handed its unused time on, so the undecided one's later runs get twice its own
    // 0.1 s slice: 0.3 s used before this look + 5 looks × 0.2 s, less this look's 0.1 s run.
    expect(lines[2]).toMatch(/src\/b\.ts#undecided\s+█+▌?░+ 4\/8 runs 400 samples 0\.9 s left/);
    expect(renderProgress(mid, { tty: true, color: true })).toContain("\u001b[36m");
    expect(eraseLines(lines.length)).toBe("\u001b[3A\u001b[0J");
  });

  it("shortens long node names to fit the terminal", () => {
    const state: ProgressState = { event: { kind: "start" }, nodes: [{ node: "src/" + "very/".repeat(20) + "deep.ts#f", status: "pending", samples: 0, looks: 0, maxLooks: 8, usedMs: 0, budgetMs: 1000, bounds: 1, decided: 0 }] };
    const line = renderProgress(state, { tty: true, width: 60 }).split("\n")[1]!;
    expect([...line].length).toBeLessThanOrEqual(60);
    expect(line.startsWith("…")).toBe(true);
  });
});
