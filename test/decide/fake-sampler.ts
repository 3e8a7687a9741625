import { createRng, type Rng } from "../../src/measure/stats/index.js";
import type { MeasureTarget, SampleBatch, SampleRequest, Sampler } from "../../src/measure/decide/index.js";
import type { RunFailure } from "../../src/measure/types.js";

/** How the fake runner behaves for one node. */
export interface FakeNode {
  /** Per-call time, ns, one draw. */
  time(rng: Rng): number;
  /** Per-call heap growth, bytes. */
  memory?(rng: Rng): number;
  errorRate?: number;
  /** Multiplicative run effect (log-normal sd); 0 = identical runs. */
  runSd?: number;
  samplesPerRun?: number;
  wallTimeMs?: number;
  failure?: { kind: RunFailure; message: string };
  edges?: { to: string; calls: number; volume: number; latency(rng: Rng): number }[];
}

/** A seeded stand-in for the child-process runner: every sample() is an independent "run". */
export class FakeSampler implements Sampler {
  readonly requests: SampleRequest[] = [];
  private readonly rng: Rng;
  constructor(
    private readonly nodes: Record<string, FakeNode>,
    seed: number,
  ) {
    this.rng = createRng(seed);
  }

  async sample(request: SampleRequest): Promise<SampleBatch> {
    this.requests.push(request);
    const spec = this.nodes[request.target.node];
    if (!spec) throw new Error(`no fake for ${request.target.node}`);
    const wallTimeMs = spec.wallTimeMs ?? 100;
    if (spec.failure) return { timesNs: [], memoryBytes: [], calls: 0, errors: 0, batchSize: 1, edges: [], failure: spec.failure, wallTimeMs };
    const n = Math.max(request.minSamples, spec.samplesPerRun ?? 100);
    const k = spec.runSd ? Math.exp(this.rng.normal(0, spec.runSd)) : 1;
    const timesNs = Array.from({ length: n }, () => k * spec.time(this.rng));
    const memoryBytes = spec.memory ? Array.from({ length: 20 }, () => spec.memory!(this.rng)) : [];
    const calls = n * 10;
    let errors = 0;
    for (let i = 0; i < calls; i++) if (this.rng.next() < (spec.errorRate ?? 0)) errors++;
    const edges = (spec.edges ?? []).map((e) => ({
      from: request.target.node,
      to: e.to,
      callsPerCase: [e.calls, e.calls],
      volumeBytes: [e.volume],
      latencyNs: Array.from({ length: 50 }, () => e.latency(this.rng)),
    }));
    return { timesNs, memoryBytes, calls, errors, batchSize: 1, edges, wallTimeMs };
  }

  async close(): Promise<void> {}
}

export function target(node: string): MeasureTarget {
  return { node, file: `src/${node}.ts`, qualifiedName: node, workloadModule: "bench/workloads.ts", workloadExport: node, edges: [] };
}

export const here = { file: "constraints.cdl", line: 1, column: 1 };
