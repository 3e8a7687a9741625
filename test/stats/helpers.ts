import { createRng, type Rng } from "../../src/measure/stats/index.js";

/** The four reference distributions with their true quantiles and means. */
export interface Reference {
  name: string;
  draw(rng: Rng): number;
  quantile(p: number): number;
  mean: number;
}

// Inverse normal CDF for true quantiles of the reference distributions
// (independent of the code under test: Wichura's AS241 would be overkill; bisection on erf via series is enough).
function stdNormalQuantile(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (phi(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// Φ by numerical integration of the density (Simpson), independent of the library's erfc.
function phi(z: number): number {
  if (z < -9) return 0;
  const a = -9;
  const n = 4000;
  const h = (z - a) / n;
  const f = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  let s = f(a) + f(z);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

export const references: Reference[] = [
  { name: "exponential(1)", draw: (r) => r.exponential(1), quantile: (p) => -Math.log(1 - p), mean: 1 },
  { name: "lognormal(0, 1)", draw: (r) => r.lognormal(0, 1), quantile: (p) => Math.exp(stdNormalQuantile(p)), mean: Math.exp(0.5) },
  { name: "normal(10, 2)", draw: (r) => r.normal(10, 2), quantile: (p) => 10 + 2 * stdNormalQuantile(p), mean: 10 },
  { name: "uniform(3, 5)", draw: (r) => r.uniform(3, 5), quantile: (p) => 3 + 2 * p, mean: 4 },
];

export function draws(rng: Rng, ref: Reference, n: number): number[] {
  return Array.from({ length: n }, () => ref.draw(rng));
}

/**
 * Smallest coverage we accept from S simulated intervals of nominal level
 * c: 3 binomial standard errors below nominal. A correct method fails it
 * with probability about 0.13% per check — and never in practice, since the
 * streams are seeded — while an interval that undercovers by a few points
 * fails it reliably at S ≥ 1000.
 */
export function coverageFloor(c: number, S: number): number {
  return c - 3 * Math.sqrt((c * (1 - c)) / S);
}

export { createRng };
