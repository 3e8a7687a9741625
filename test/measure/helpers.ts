import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { MeasureTarget, SampleBatch } from "../../src/measure/sampler.js";

export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** A target from a node id, the way the Living Graph hands them over. */
export function target(root: string, id: string, workloadExport: string, edges: { from: string; to: string }[] = [], workload = "bench/workloads.ts"): MeasureTarget {
  const hash = id.indexOf("#");
  return { node: id, file: join(root, id.slice(0, hash)), qualifiedName: id.slice(hash + 1), workloadModule: join(root, workload), workloadExport, edges };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Tests keep runs short: small warm-up floors, few memory samples. */
export const quickLimits = { warmupMinMs: 20, memorySamples: 10, flowPasses: 3 };

export function describeBatch(batch: SampleBatch): string {
  return JSON.stringify({ failure: batch.failure, samples: batch.timesNs.length, calls: batch.calls, errors: batch.errors });
}
