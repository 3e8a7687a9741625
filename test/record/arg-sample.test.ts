import { describe, expect, it } from "vitest";
import { ArgumentSample } from "../../src/record/arg-sample.js";

describe("ArgumentSample (--capture-args)", () => {
  it("keeps at most maxCount argument lists of all the calls it saw, as copies", () => {
    const s = new ArgumentSample(5);
    const arrays: number[][] = [];
    for (let i = 0; i < 100; i++) {
      const a = [i];
      arrays.push(a);
      s.offer([a, `x${i}`]);
    }
    for (const a of arrays) a[0] = -1; // the program changes its values later: the sample does not
    const r = s.toRecord();
    expect(r.kept).toHaveLength(5);
    expect(r.seen).toBe(100);
    for (const k of r.kept as { args: [number[], string] }[]) expect(k.args[0][0]).toBeGreaterThanOrEqual(0);
  });

  it("counts what cannot be cloned or is over the size cap, keeps none of it, and never throws", () => {
    const s = new ArgumentSample(10, 1_000);
    s.offer([() => 1]);
    s.offer([new WeakMap()]);
    s.offer(["x".repeat(5_000)]);
    s.offer([{ ok: true }], { id: 7 });
    const r = s.toRecord();
    expect(r).toMatchObject({ seen: 4, notCloneable: 2, overCap: 1 });
    expect(r.kept).toEqual([{ args: [{ ok: true }], this: { id: 7 } }]);
  });
});
