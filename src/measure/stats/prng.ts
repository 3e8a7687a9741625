/**
 * A small seeded pseudo-random generator (xoshiro128**, seeded through
 * splitmix32) and samplers for the distributions the tests and the
 * bootstrap need. Reproducible across platforms: only 32-bit integer
 * arithmetic via `Math.imul`.
 */
export interface Rng {
  /** Uniform on [0, 1). */
  next(): number;
  /** Uniform integer on [0, n). */
  int(n: number): number;
  normal(mean?: number, sd?: number): number;
  exponential(rate?: number): number;
  lognormal(mu?: number, sigma?: number): number;
  uniform(low?: number, high?: number): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A seeded generator; the same seed gives the same stream everywhere. */
export function createRng(seed: number): Rng {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  if ((a | b | c | d) === 0) a = 1;
  const u32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const next = (): number => (u32() * 2 ** 21 + (u32() >>> 11)) / 2 ** 53;
  let spare: number | undefined;
  const stdNormal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    // Marsaglia's polar method.
    for (;;) {
      const u = 2 * next() - 1;
      const v = 2 * next() - 1;
      const q = u * u + v * v;
      if (q > 0 && q < 1) {
        const f = Math.sqrt((-2 * Math.log(q)) / q);
        spare = v * f;
        return u * f;
      }
    }
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal: (mean = 0, sd = 1) => mean + sd * stdNormal(),
    exponential: (rate = 1) => -Math.log(1 - next()) / rate,
    lognormal: (mu = 0, sigma = 1) => Math.exp(mu + sigma * stdNormal()),
    uniform: (low = 0, high = 1) => low + (high - low) * next(),
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
