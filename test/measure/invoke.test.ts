import { describe, expect, it } from "vitest";
import { sink, timeAsyncBatch, timeSyncBatch, type PreparedCall } from "../../src/measure/invoke.js";

/**
 * A timed call whose result nobody reads is dead code to an optimizing
 * compiler, which may then drop the call and time an empty loop. Every
 * result must reach the sink, on every path of the batch loop.
 */
function counting(construct: boolean): { call: PreparedCall; made: object[] } {
  const made: object[] = [];
  function Make(this: unknown): object {
    const result = { n: made.length };
    made.push(result);
    return result;
  }
  return { call: { fn: Make as (...args: unknown[]) => unknown, thisArg: undefined, args: [], construct }, made };
}

describe("timed batches consume every result", () => {
  for (const construct of [false, true]) {
    it(`stores each result of a ${construct ? "constructor" : "function"} call in the sink`, () => {
      const { call, made } = counting(construct);
      sink.fill(undefined);
      const t = timeSyncBatch(call, 5);
      expect(t.errors).toBe(0);
      expect(made).toHaveLength(5);
      expect(sink.slice(0, 5)).toEqual(made);
      made.forEach((m, i) => expect(sink[i]).toBe(m));
    });
  }

  it("stores each awaited result of an async node in the sink", async () => {
    const results = [1, 2, 3].map((n) => ({ n }));
    let k = 0;
    const call: PreparedCall = { fn: async () => results[k++], thisArg: undefined, args: [], construct: false };
    sink.fill(undefined);
    const t = await timeAsyncBatch(call, 3);
    expect(t.errors).toBe(0);
    results.forEach((r, i) => expect(sink[i]).toBe(r));
  });

  it("counts a throw as an error and keeps going", () => {
    let k = 0;
    const call: PreparedCall = { fn: () => { if (k++ % 2 === 0) throw new Error("odd"); return k; }, thisArg: undefined, args: [], construct: false };
    expect(timeSyncBatch(call, 6).errors).toBe(3);
  });
});
