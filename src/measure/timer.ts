/**
 * The clock every timed batch uses (`process.hrtime.bigint`, monotonic, ns)
 * and what it can resolve on this machine.
 */

export const now: () => bigint = process.hrtime.bigint;

export interface TimerCalibration {
  /** Smallest non-zero step between two readings, ns (at least 1). */
  resolutionNs: number;
  /** Median of `t1 - t0` for two back-to-back readings, ns: the fixed cost inside every timed batch. */
  overheadNs: number;
}

/**
 * Measures the timer. The resolution is the smallest step the clock makes
 * (a coarse clock on some virtual machines ticks in microseconds); the
 * overhead is what timing an empty batch costs and is subtracted from each
 * batch so that batching small calls does not bias them upwards.
 */
export function calibrateTimer(rounds = 2_000): TimerCalibration {
  const overheads: number[] = [];
  let resolution = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    const a = now();
    const b = now();
    overheads.push(Number(b - a));
    let c = now();
    while (c === b) c = now();
    const step = Number(c - b);
    if (step < resolution) resolution = step;
  }
  overheads.sort((x, y) => x - y);
  return { resolutionNs: Math.max(1, resolution), overheadNs: overheads[overheads.length >> 1] ?? 0 };
}
