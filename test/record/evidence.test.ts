import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quantileBounds, quantileSignTest, sortAscending } from "../../src/measure/stats/quantile.js";
import { LogHistogram } from "../../src/record/histogram.js";
import { recordedQuantileEvidence } from "../../src/record/evidence.js";

const values = fc.array(fc.double({ min: 1, max: 1e7, noNaN: true }), { minLength: 5, maxLength: 400 });

describe("recordedQuantileEvidence", () => {
  it("is never more decisive than the exact values it summarises, and its interval holds theirs", () => {
    fc.assert(
      fc.property(values, fc.constantFrom(0.5, 0.9, 0.95, 0.99), fc.double({ min: 1, max: 1e7, noNaN: true }), (xs, p, limit) => {
        const h = new LogHistogram();
        for (const x of xs) h.record(x);
        const ev = recordedQuantileEvidence(h, p, limit)!;
        const sorted = sortAscending(xs);
        const exact = quantileSignTest(sorted, p, limit);
        expect(ev.pAbove).toBeGreaterThanOrEqual(exact.pAbove - 1e-12);
        expect(ev.pBelow).toBeGreaterThanOrEqual(exact.pBelow - 1e-12);
        const [lo, hi] = ev.interval(0.005, 0.005);
        const b = quantileBounds(sorted, p, 0.005, 0.005);
        expect(lo).toBeLessThanOrEqual(b.lower);
        expect(hi).toBeGreaterThanOrEqual(b.upper);
      }),
    );
  });

  it("decides a clear case from a million recorded calls", () => {
    const h = new LogHistogram();
    for (let i = 0; i < 1_000_000; i++) h.record(1_000 + (i % 1_000));
    const pass = recordedQuantileEvidence(h, 0.95, 5_000)!;
    expect(pass.pBelow).toBeLessThan(1e-6);
    expect(pass.pAbove).toBe(1);
    const fail = recordedQuantileEvidence(h, 0.95, 1_200)!;
    expect(fail.pAbove).toBeLessThan(1e-6);
    expect(fail.measured).toBeGreaterThan(1_900);
    expect(recordedQuantileEvidence(new LogHistogram(), 0.95, 1)).toBeUndefined();
  });
});
