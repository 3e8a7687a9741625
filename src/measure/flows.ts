import type { CdlcRuntime } from "./runtime.js";
import { callOnce, isThenable, type PreparedCall } from "./invoke.js";
import type { EdgeMeasurement } from "./types.js";

/**
 * Flow edges (`flow a -> b`), measured while the node runs its workload with
 * tracking on: for every case, one call of the node, and per edge the number
 * of calls from `a` to `b` it caused (`callsPerCase`); the runtime records
 * each such call's argument volume and the callee's latency. Tracking is off
 * during timing, so it never inflates execution times.
 */
export async function measureFlows(
  rt: CdlcRuntime,
  edges: { from: string; to: string }[],
  calls: PreparedCall[],
  options: { passes: number; deadline: number; isAsync: boolean; stopped: () => boolean },
): Promise<EdgeMeasurement[]> {
  const perCase: number[][] = edges.map(() => []);
  rt.tracking = true;
  try {
    // Pass 0 warms the tracking path up and is discarded: its latencies would be cold.
    for (let pass = 0; pass <= options.passes; pass++) {
      if (pass <= 1) rt.trackEdges(edges);
      if (pass > 1 && performance.now() > options.deadline) break;
      for (const call of calls) {
        rt.resetEdgeCalls();
        try {
          const r = callOnce(call);
          if (options.isAsync && isThenable(r)) await r;
        } catch {
          // A failing call still made the calls it made before failing.
        }
        if (options.stopped()) return [];
        if (pass > 0) rt.edgeCalls().forEach((n, i) => perCase[i]!.push(n));
      }
    }
  } finally {
    rt.tracking = false;
  }
  return rt.edgeStats().map((s, i) => ({ ...s, callsPerCase: perCase[i]! }));
}
