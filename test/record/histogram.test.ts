import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LogHistogram } from "../../src/record/histogram.js";

const times = fc.array(fc.oneof(fc.double({ min: 0, max: 1e10, noNaN: true }), fc.integer({ min: 0, max: 5_000_000 })), { minLength: 1, maxLength: 300 });

describe("LogHistogram", () => {
  it("puts every value ≥ 1 in a bucket that holds it, no wider than 2^-bits of its lower edge", () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e15, noNaN: true }), fc.integer({ min: 1, max: 12 }), (v, bits) => {
        const h = new LogHistogram(bits);
        const [lo, hi] = h.bounds(h.indexOf(v));
        expect(lo <= v && v < hi).toBe(true);
        expect((hi - lo) / lo).toBeLessThanOrEqual(2 ** -bits + 1e-12);
      }),
    );
    // Exact powers of two open a bucket.
    const h = new LogHistogram();
    for (const v of [1, 2, 4, 1024, 2 ** 40]) expect(h.bounds(h.indexOf(v))[0]).toBe(v);
  });

  it("gives each quantile as the bucket of the exact order statistic", () => {
    fc.assert(
      fc.property(times, fc.double({ min: 0.001, max: 1, noNaN: true }), (values, p) => {
        const h = new LogHistogram();
        for (const v of values) h.record(v);
        const sorted = [...values].sort((a, b) => a - b);
        const exact = sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
        const q = h.quantile(p)!;
        expect(q.range[0] <= exact && (exact < q.range[1] || (exact < 1 && q.range[1] === 1))).toBe(true);
        if (exact >= 1) expect(Math.abs(q.estimate - exact) / exact).toBeLessThan(0.008);
      }),
    );
  });

  it("brackets the count of values at or below any limit, and never more loosely than one bucket", () => {
    fc.assert(
      fc.property(times, fc.double({ min: 0, max: 1e10, noNaN: true }), (values, limit) => {
        const h = new LogHistogram();
        for (const v of values) h.record(v);
        const exact = values.filter((v) => v <= limit).length;
        const { certain, possible } = h.countAtOrBelow(limit);
        expect(certain).toBeLessThanOrEqual(exact);
        expect(possible).toBeGreaterThanOrEqual(exact);
        // The gap is the one bucket that straddles the limit.
        const straddling = limit >= 1 ? h.indexOf(limit) : -1;
        const inBucket = values.filter((v) => v >= 1 && h.indexOf(v) === straddling).length + (limit < 1 ? values.filter((v) => v < 1).length : 0);
        expect(possible - certain).toBeLessThanOrEqual(inBucket);
      }),
    );
  });

  it("merges as if both had been recorded in one, and survives JSON", () => {
    fc.assert(
      fc.property(times, times, (a, b) => {
        const [ha, hb, all] = [new LogHistogram(), new LogHistogram(), new LogHistogram()];
        for (const v of a) ha.record(v), all.record(v);
        for (const v of b) hb.record(v), all.record(v);
        ha.merge(hb);
        expect(ha.toJSON()).toEqual(all.toJSON());
        const back = LogHistogram.fromJSON(JSON.parse(JSON.stringify(all.toJSON())));
        expect(back.toJSON()).toEqual(all.toJSON());
        expect(back.count).toBe(a.length + b.length);
      }),
    );
  });

  it("refuses what is not a time, and histograms of another precision", () => {
    const h = new LogHistogram();
    for (const bad of [NaN, -1, Infinity]) expect(() => h.record(bad)).toThrow(/cannot record/);
    expect(() => h.merge(new LogHistogram(5))).toThrow(/cannot merge/);
    expect(() => new LogHistogram(0)).toThrow(/1 to 12 bits/);
  });

  it("keeps a million calls spread over six orders of magnitude in at most a few thousand buckets", () => {
    const h = new LogHistogram();
    for (let i = 0; i < 1_000_000; i++) h.record(100 * 1.0000138 ** i);
    expect(h.count).toBe(1_000_000);
    expect(h.toJSON().buckets.length).toBeLessThan(3_000);
  });
});
