import { describe, expect, it } from "vitest";
import { ArgumentSample } from "../../src/record/arg-sample.js";
import { decodeCase } from "../../src/measure/case-encoding.js";

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
    for (const k of r.kept) expect((decodeCase(k).args[0] as number[])[0]).toBeGreaterThanOrEqual(0);
  });

  it("keeps what JSON would lose: Maps, Sets, Dates, undefined, -0, NaN and BigInts, and no receiver when there was none", () => {
    const s = new ArgumentSample(5);
    const args = [new Map([[1, new Set(["a"])]]), new Date(0), undefined, -0, NaN, 10n];
    s.offer(args);
    const [kept] = s.toRecord().kept.map(decodeCase);
    expect(kept!.args).toEqual(args);
    expect(Object.is(kept!.args[3], -0)).toBe(true);
    expect(kept!.hasThis).toBe(false);
  });

  it("counts what cannot be cloned or is over the size cap, keeps none of it, and never throws", () => {
    const s = new ArgumentSample(10, 1_000);
    s.offer([() => 1]);
    s.offer([new WeakMap()]);
    s.offer(["x".repeat(5_000)]);
    s.offer([{ ok: true }], { id: 7 });
    const r = s.toRecord();
    expect(r).toMatchObject({ seen: 4, notCloneable: 2, overCap: 1 });
    expect(r.kept.map(decodeCase)).toEqual([{ args: [{ ok: true }], thisArg: { id: 7 }, hasThis: true }]);
  });

  it("does not offer a call made while it copies (a getter that calls the node again), and keeps the outer one", () => {
    const s = new ArgumentSample(5);
    const arg = {
      get value(): number {
        s.offer([1]); // the node called from inside the copy
        return 7;
      },
    };
    s.offer([arg]);
    const r = s.toRecord();
    expect(r.seen).toBe(1);
    expect(r.kept.map(decodeCase)).toEqual([{ args: [{ value: 7 }], thisArg: undefined, hasThis: false }]);
  });
});
