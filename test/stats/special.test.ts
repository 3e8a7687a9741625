import { describe, expect, it } from "vitest";
import { binomialCdf, binomialSf, incompleteBeta, logGamma, normalCdf, normalQuantile, studentTCdf, studentTQuantile } from "../../src/measure/stats/index.js";

/** Direct summation of the binomial pmf in log space (no underflow). */
function exactBinomialCdf(k: number, n: number, p: number): number {
  let s = 0;
  let logPmf = n * Math.log1p(-p);
  for (let i = 0; i <= k; i++) {
    s += Math.exp(logPmf);
    logPmf += Math.log((n - i) / (i + 1)) + Math.log(p / (1 - p));
  }
  return s;
}

describe("special functions", () => {
  it("log-gamma matches factorials", () => {
    expect(logGamma(1)).toBeCloseTo(0, 10);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 10);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 10);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 8);
  });

  it("incomplete beta has the textbook values", () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; symmetry I_x(a, b) = 1 − I_{1−x}(b, a).
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.3, 3, 1)).toBeCloseTo(0.027, 12);
    expect(incompleteBeta(0.7, 2.5, 4)).toBeCloseTo(1 - incompleteBeta(0.3, 4, 2.5), 12);
  });

  it("normal quantiles are the tabulated ones", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 7);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829304, 7);
    expect(normalQuantile(0.0005)).toBeCloseTo(-3.290526731, 6);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 7);
  });

  it("Student t quantiles are the tabulated ones", () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062047, 5);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.2281389, 6);
    expect(studentTQuantile(0.995, 4)).toBeCloseTo(4.6040949, 6);
    expect(studentTQuantile(0.05, 30)).toBeCloseTo(-1.6972609, 6);
    expect(studentTCdf(2.2281389, 10)).toBeCloseTo(0.975, 7);
    // Far tail used after Holm and error spending.
    expect(studentTQuantile(1 - 5e-5, 5)).toBeCloseTo(11.1777, 3);
    expect(studentTQuantile(1 - 5e-4, 5)).toBeCloseTo(6.8688, 3);
  });

  it("binomial tails agree with direct summation", () => {
    for (const [n, p] of [
      [10, 0.5],
      [50, 0.95],
      [200, 0.99],
      [1000, 0.5],
    ] as const) {
      for (const k of [0, 1, Math.floor(n * p) - 2, Math.floor(n * p), n - 1]) {
        if (k < 0) continue;
        expect(binomialCdf(k, n, p)).toBeCloseTo(exactBinomialCdf(k, n, p), 9);
        expect(binomialSf(k + 1, n, p)).toBeCloseTo(1 - exactBinomialCdf(k, n, p), 9);
      }
    }
    expect(binomialCdf(-1, 10, 0.5)).toBe(0);
    expect(binomialCdf(10, 10, 0.5)).toBe(1);
  });

  it("binomial tails stay accurate for large n", () => {
    // Normal approximation check at n = 1e6: P(B ≤ np − 3σ) ≈ Φ(−3).
    const n = 1_000_000;
    const p = 0.95;
    const sd = Math.sqrt(n * p * (1 - p));
    expect(binomialCdf(Math.round(n * p - 3 * sd), n, p)).toBeCloseTo(normalCdf(-3), 3);
  });
});
