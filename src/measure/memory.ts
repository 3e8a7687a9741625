import { getHeapStatistics } from "node:v8";
import { callOnce, isThenable, type PreparedCall } from "./invoke.js";

/**
 * `memory_usage`: the JavaScript heap growth that one call leaves behind.
 *
 * One memory sample of a case is taken as follows:
 *   1. a results array of N slots is allocated (before the first reading, so it is not counted);
 *   2. `gc()` (a full, synchronous collection), then `before = v8.getHeapStatistics().used_heap_size`;
 *   3. N calls, each result (awaited for async nodes) stored in the array, so it stays alive;
 *   4. `gc()` again, then `after = used_heap_size`, while the array is still referenced;
 *   5. the sample is `(after − before − bias) / N` bytes, where `bias` is the median of
 *      `after − before` for zero calls (what the procedure itself leaves on the heap).
 *
 * So the figure counts what a call retains: its result and anything it adds to
 * long-lived state (caches, leaks), not the temporary garbage it creates and
 * that the collector frees. Memory outside the JavaScript heap (ArrayBuffer
 * contents, native addons) is not counted. A sample may be slightly negative
 * when a call frees more than it keeps (say, it empties a cache).
 */

type Gc = () => void;

/** Keeps a sample's results reachable until the second reading, whatever the optimizer proves. */
const holder: { results: unknown[] | undefined } = { results: undefined };

/** The procedure's own footprint: `after − before` for zero calls, median of 5. */
export function measureBias(gc: Gc): number {
  const values: number[] = [];
  for (let i = 0; i < 5; i++) {
    holder.results = new Array(1).fill(undefined);
    gc();
    const before = getHeapStatistics().used_heap_size;
    gc();
    const after = getHeapStatistics().used_heap_size;
    holder.results = undefined;
    values.push(after - before);
  }
  values.sort((a, b) => a - b);
  return values[2]!;
}

/** One memory sample of `n` calls: heap growth per call in bytes (bias removed), and how many of the calls threw or rejected. */
export async function heapGrowthPerCall(call: PreparedCall, n: number, isAsync: boolean, gc: Gc, bias: number): Promise<{ bytesPerCall: number; errors: number }> {
  let errors = 0;
  const results = new Array(n).fill(undefined);
  holder.results = results;
  gc();
  const before = getHeapStatistics().used_heap_size;
  for (let i = 0; i < n; i++) {
    try {
      const r = callOnce(call);
      results[i] = isAsync && isThenable(r) ? await r : r;
    } catch {
      // A thrown value is garbage here; the call counts as an error.
      errors++;
    }
  }
  gc();
  const after = getHeapStatistics().used_heap_size;
  holder.results = undefined;
  return { bytesPerCall: (after - before - bias) / n, errors };
}
