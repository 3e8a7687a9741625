import type { EdgeMeasurement, NodeMeasurement, RunSummary, SourcePosition } from "../types.js";
import type { RunData } from "./evidence.js";
import type { SampleBatch } from "../sampler.js";

/** Pools a node's runs into the report's {@link NodeMeasurement}, keeping run boundaries in `runs`. */
export function poolRuns(node: string, batches: readonly SampleBatch[], declaration?: SourcePosition): NodeMeasurement {
  const runs: RunSummary[] = batches.map((b) => ({ samples: b.timesNs.length, memorySamples: b.memoryBytes.length, calls: b.calls, errors: b.errors, batchSize: b.batchSize, wallTimeMs: b.wallTimeMs }));
  const m: NodeMeasurement = {
    node,
    timesNs: batches.flatMap((b) => b.timesNs),
    memoryBytes: batches.flatMap((b) => b.memoryBytes),
    calls: batches.reduce((n, b) => n + b.calls, 0),
    errors: batches.reduce((n, b) => n + b.errors, 0),
    batchSize: batches.reduce((n, b) => Math.max(n, b.batchSize), 1),
    wallTimeMs: batches.reduce((n, b) => n + b.wallTimeMs, 0),
    runs,
  };
  if (declaration !== undefined) m.declaration = declaration;
  const shown = batches.find((b) => b.casesShown !== undefined)?.casesShown;
  if (shown !== undefined) m.casesShown = shown;
  const failure = batches.find((b) => b.failure)?.failure;
  if (failure !== undefined) m.failure = failure;
  return m;
}

/**
 * Splits a stored measurement back into runs (one run when the report did
 * not record them). Edges are not stored per node, so runs carry none.
 */
export function splitRuns(m: NodeMeasurement): RunData[] {
  if (!m.runs || m.runs.length === 0) return [{ timesNs: m.timesNs, memoryBytes: m.memoryBytes, calls: m.calls, errors: m.errors, batchSize: m.batchSize, edges: [] }];
  let t = 0;
  let b = 0;
  return m.runs.map((r) => {
    const run: RunData = { timesNs: m.timesNs.slice(t, t + r.samples), memoryBytes: m.memoryBytes.slice(b, b + r.memorySamples), calls: r.calls, errors: r.errors, batchSize: r.batchSize, edges: [] };
    t += r.samples;
    b += r.memorySamples;
    return run;
  });
}

/** Merges the edge measurements of several runs by (from, to). */
export function mergeEdges(lists: readonly (readonly EdgeMeasurement[])[]): EdgeMeasurement[] {
  const byKey = new Map<string, EdgeMeasurement>();
  for (const list of lists)
    for (const e of list) {
      const key = `${e.from}\u0000${e.to}`;
      const have = byKey.get(key);
      if (have) {
        have.callsPerCase.push(...e.callsPerCase);
        have.volumeBytes.push(...e.volumeBytes);
        have.latencyNs.push(...e.latencyNs);
      } else byKey.set(key, { from: e.from, to: e.to, callsPerCase: [...e.callsPerCase], volumeBytes: [...e.volumeBytes], latencyNs: [...e.latencyNs] });
    }
  return [...byKey.values()];
}
