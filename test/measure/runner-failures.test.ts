import { afterAll, describe, expect, it } from "vitest";
import { createProcessSampler } from "../../src/measure/sampler.js";
import { describeBatch, fixture, quickLimits, target } from "./helpers.js";

// User code that hangs, throws, exits, crashes and exhausts memory: each run
// reports its own failure kind, and the sampler stays usable for the next.
const root = fixture("measure-failures");
const names = ["hang", "alwaysThrows", "alwaysRejects", "exits", "exitsQuietly", "eatsMemory", "killsItself", "fine"];
const targets = names.map((n) => target(root, `src/bad.ts#${n}`, n));
const sampler = createProcessSampler({ projectRoot: root, timeoutMs: 1_500, maxOldSpaceMb: 32, targets, limits: quickLimits });
afterAll(() => sampler.close());

// A short budget: runs that fail end at it (a hang runs to budget + timeout). Runs that measure get
// a generous one, so that a loaded machine still reaches minSamples before 75% of it is spent.
const run = (name: string, workloadExport = name, timeBudgetMs = 250) => sampler.sample({ target: target(root, `src/bad.ts#${name}`, workloadExport), minSamples: 10, timeBudgetMs });
const measured = (name: string, workloadExport = name) => run(name, workloadExport, 3_000);

describe("measurement child: failures of user code", () => {
  it("reports a call that never returns as timeout", async () => {
    const batch = await run("hang");
    expect(batch.failure?.kind, describeBatch(batch)).toBe("timeout");
    expect(batch.timesNs).toEqual([]);
  });

  it("counts every throw as an error, and keeps measuring", async () => {
    const batch = await measured("alwaysThrows");
    expect(batch.failure, describeBatch(batch)).toBeUndefined();
    expect(batch.calls).toBeGreaterThan(0);
    expect(batch.errors).toBe(batch.calls);
    expect(batch.timesNs.length).toBeGreaterThanOrEqual(10);
  });

  it("counts every rejection of an async function as an error", async () => {
    const batch = await measured("alwaysRejects");
    expect(batch.failure, describeBatch(batch)).toBeUndefined();
    expect(batch.calls).toBeGreaterThan(0);
    expect(batch.errors).toBe(batch.calls);
  });

  it("reports process.exit(0) as exited, never as success", async () => {
    const batch = await run("exits");
    expect(batch.failure?.kind, describeBatch(batch)).toBe("exited");
    expect(batch.timesNs).toEqual([]);
  });

  it("reports process.exit even when user code catches what it throws", async () => {
    const batch = await run("exitsQuietly");
    expect(batch.failure?.kind, describeBatch(batch)).toBe("exited");
  });

  it("reports process.exit in the workload as exited", async () => {
    const batch = await run("fine", "exitsInWorkload");
    expect(batch.failure?.kind, describeBatch(batch)).toBe("exited");
    expect(batch.failure?.message).toContain("process.exit(3)");
  });

  it("reports heap exhaustion as out-of-memory", async () => {
    const batch = await run("eatsMemory");
    expect(batch.failure?.kind, describeBatch(batch)).toBe("out-of-memory");
    expect(batch.failure?.message).toContain("32 MB");
  });

  it("reports a process killed by a signal as crashed", async () => {
    const batch = await run("killsItself");
    expect(batch.failure?.kind, describeBatch(batch)).toBe("crashed");
    expect(batch.failure?.message).toContain("SIGKILL");
  });

  it("still measures a healthy node after all of the above", async () => {
    const batch = await measured("fine", "generated");
    expect(batch.failure, describeBatch(batch)).toBeUndefined();
    expect(batch.errors).toBe(0);
    expect(batch.timesNs.length).toBeGreaterThanOrEqual(10);
    expect(batch.memoryBytes.length).toBeGreaterThan(0);
  });

  it("reports a node that does not exist as not-found, without starting a process", async () => {
    const batch = await sampler.sample({ target: target(root, "src/bad.ts#nothing", "fine"), minSamples: 5, timeBudgetMs: 100 });
    expect(batch.failure?.kind).toBe("not-found");
    expect(batch.failure?.message).toContain("nothing");
  });
});

describe("measurement child: workload mistakes", () => {
  const cases: [string, RegExp][] = [
    ["nope", /has no export `nope` \(it exports .*`alwaysThrows`/],
    ["notAFunction", /is a number; expected a function/],
    ["returnsNumber", /returned a number; expected an array or an iterable/],
    ["malformedCase", /case 2 of workload `malformedCase` is a number/],
    ["badArgs", /case 1 of workload `badArgs`: `args` is a number/],
    ["empty", /returned no cases/],
    ["throwsWhileBuilding", /threw while producing its cases: Error: fixture generator broke/],
  ];
  for (const [workloadExport, message] of cases) {
    it(`reports workload \`${workloadExport}\` as workload-error`, async () => {
      const batch = await run("fine", workloadExport);
      expect(batch.failure?.kind, describeBatch(batch)).toBe("workload-error");
      expect(batch.failure?.message).toMatch(message);
      expect(batch.failure?.message).not.toContain(".cdl");
    });
  }

  it("reports a workload module outside the program as workload-error", async () => {
    const t = { ...target(root, "src/bad.ts#fine", "fine"), workloadModule: fixture("measure-program/bench/none.ts") };
    const batch = await sampler.sample({ target: t, minSamples: 5, timeBudgetMs: 100 });
    expect(batch.failure?.kind).toBe("workload-error");
  });
});
