import { randomUUID } from "node:crypto";
import { join, resolve } from "node:path";
import type { BuildTarget, BuiltProgram } from "./build.js";
import { resolveChildEntry } from "./child-entry.js";
import { projectRelative, splitNodeId } from "../graph/node-ids.js";
import type { ChildLimits, ChildRequest, RunDetails } from "./protocol.js";
import { runChild } from "./run-child.js";
import { now } from "./timer.js";
import type { EdgeMeasurement, RunFailure } from "./types.js";

/**
 * What the statistics engine calls to get raw samples. One `sample()` is one
 * independent run: a fresh process (fresh JIT, fresh heap) measures one node
 * on its workload and returns per-call samples; calling again gives more.
 */

export interface SampleRequest {
  target: MeasureTarget;
  minSamples: number;
  timeBudgetMs: number;
  /** `budget`: sample until the run's time slice ends, not only until `minSamples` (see ChildRequest). */
  until?: "samples" | "budget";
  /** Take memory samples (default true). */
  memory?: boolean;
  /** Run this variant of the target (1-based index into `target.variants`); default the original. */
  variant?: number;
  /** Run only these workload cases (indices); default every case. */
  cases?: number[];
}
export interface SampleBatch { timesNs: number[]; memoryBytes: number[]; calls: number; errors: number; batchSize: number; edges: EdgeMeasurement[]; failure?: { kind: RunFailure; message: string }; wallTimeMs: number; casesShown?: RunDetails["casesShown"]; }
export interface Sampler { sample(request: SampleRequest): Promise<SampleBatch>; close(): Promise<void>; }
export interface MeasureTarget {
  node: string;
  file: string;
  qualifiedName: string;
  workloadModule: string;
  workloadExport: string;
  edges: { from: string; to: string }[];
  /** Variant bodies the build hosts behind the schemata switch (see instrument.ts); a request picks one with `variant`. */
  variants?: string[];
  /** Recorded argument lists that follow the workload's cases (`optimize --recording`). */
  recordedCases?: string[];
}

/** A `SampleBatch` with facts about the run (timer, batch sizes per case, warm-up, edges that could not be tracked). */
export interface ProcessSampleBatch extends SampleBatch {
  details?: RunDetails & { untrackedEdges?: { from: string; to: string; reason: string }[]; buildDir?: string };
}

export interface ProcessSamplerOptions {
  /** The program's root (where its tsconfig.json usually is); node ids are relative to it. */
  projectRoot: string;
  /** Where instrumented builds go; default `<projectRoot>/.cdl/build`. */
  buildDir?: string;
  /**
   * Grace beyond a request's `timeBudgetMs` before the child is killed and the
   * run reported as `timeout`: the hard limit of a run is `timeBudgetMs + timeoutMs`.
   * The child stops sampling at its budget by itself, so only a call (or a
   * workload) that runs `timeoutMs` past the budget trips it. Default 10 000.
   */
  timeoutMs?: number;
  /** The child's `--max-old-space-size`; default 2048. */
  maxOldSpaceMb?: number;
  /** Every target that will be sampled, so that one build serves them all (otherwise builds grow as targets come). */
  targets?: MeasureTarget[];
  /** Source files of the program (absolute); default every source file under the root. */
  files?: string[];
  tsconfig?: string;
  /** The child script; default: found next to cdlc (see child-entry.ts). */
  childEntry?: string;
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Tunables of the measurement procedure (tests use them to stay fast). */
  limits?: Partial<ChildLimits>;
  /** Every run shows this many of its cases as text (`casesShown` on its batch), for `optimize --proposer`. */
  previewCases?: number;
}

export interface ProcessSampler extends Sampler {
  sample(request: SampleRequest): Promise<ProcessSampleBatch>;
  /** Builds (or reuses) the instrumented program for the known targets; `sample` calls it as needed. */
  prepare(targets?: MeasureTarget[]): Promise<BuiltProgram>;
}

/** Creates a sampler that runs each `sample()` in its own child process. */
export function createProcessSampler(options: ProcessSamplerOptions): ProcessSampler {
  const root = resolve(options.projectRoot);
  const buildRoot = resolve(options.buildDir ?? join(root, ".cdl", "build"));
  const known = new Map<string, BuildTarget>();
  const running = new Set<AbortController>();
  let current: { key: string; build: Promise<BuiltProgram> } | undefined;
  let closed = false;

  const addTargets = (targets: MeasureTarget[]): void => {
    for (const t of targets) {
      add({ id: t.node, file: resolve(root, t.file), qualifiedName: t.qualifiedName, ...(t.variants !== undefined && t.variants.length > 0 ? { variants: t.variants } : {}) });
      for (const e of t.edges) {
        for (const id of [e.from, e.to]) {
          const { file, name } = splitNodeId(id);
          add({ id, file: resolve(root, file), qualifiedName: name, track: true });
        }
      }
    }
  };
  const add = (t: BuildTarget): void => {
    const old = known.get(t.id);
    const variants = t.variants ?? old?.variants;
    known.set(t.id, { ...t, track: t.track === true || old?.track === true, ...(variants !== undefined ? { variants } : {}) });
  };

  addTargets(options.targets ?? []);

  const prepare = async (targets: MeasureTarget[] = []): Promise<BuiltProgram> => {
    addTargets(targets);
    const list = [...known.values()];
    const key = JSON.stringify(list.map((t) => [t.id, t.track, t.variants ?? []]).sort());
    if (current?.key !== key) {
      const build = import("./build.js").then((m) => m.buildProgram({ projectRoot: root, buildRoot, targets: list, ...(options.files ? { files: options.files } : {}), ...(options.tsconfig ? { tsconfig: options.tsconfig } : {}) }));
      current = { key, build };
    }
    return current.build;
  };

  const sample = async (request: SampleRequest): Promise<ProcessSampleBatch> => {
    if (closed) throw new Error("the sampler is closed");
    const started = performance.now();
    const target = request.target;
    const fail = (kind: RunFailure, message: string): ProcessSampleBatch => ({
      timesNs: [], memoryBytes: [], calls: 0, errors: 0, batchSize: 1, edges: [], failure: { kind, message }, wallTimeMs: performance.now() - started,
    });
    let build: BuiltProgram;
    try {
      build = await prepare([target]);
    } catch (e) {
      return fail("build-error", `cannot build the instrumented program: ${(e as Error).message}`);
    }
    if ((request.variant ?? 0) > (target.variants?.length ?? 0)) return fail("not-found", `${target.node}: variant ${request.variant} is not hosted by the build (it has ${target.variants?.length ?? 0})`);
    const missing = build.missing.find((m) => m.id === target.node);
    if (missing !== undefined) return fail(missing.kind, `${target.node}: ${missing.reason}`);
    const nodeModule = build.outputs.get(resolve(root, target.file));
    if (nodeModule === undefined) return fail("not-found", `${target.node}: ${projectRelative(root, target.file)} is not part of the program`);
    const workloadModule = build.outputs.get(resolve(root, target.workloadModule));
    if (workloadModule === undefined) {
      return fail("workload-error", `the workload module ${projectRelative(root, target.workloadModule)} must be a source file inside the project root ${root}`);
    }
    const untrackedEdges = untracked(build, target.edges);
    const edges = target.edges.filter((e) => !untrackedEdges.some((u) => u.from === e.from && u.to === e.to));

    const childEntry = options.childEntry ?? (await resolveChildEntry(join(buildRoot, "..", "child")));
    const childRequest: ChildRequest = {
      type: "measure",
      nonce: randomUUID(),
      nodeModule,
      node: target.node,
      workloadModule,
      workloadExport: target.workloadExport,
      workloadDisplay: projectRelative(root, target.workloadModule),
      edges,
      minSamples: Math.max(1, request.minSamples),
      timeBudgetMs: request.timeBudgetMs,
      ...(request.until !== undefined ? { until: request.until } : {}),
      ...(request.memory !== undefined ? { memory: request.memory } : {}),
      ...(request.variant !== undefined && request.variant > 0 ? { variant: request.variant } : {}),
      ...(request.cases !== undefined ? { cases: request.cases } : {}),
      ...(target.recordedCases !== undefined && target.recordedCases.length > 0 ? { recordedCases: target.recordedCases } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.previewCases !== undefined ? { previewCases: options.previewCases } : {}),
    };
    const controller = new AbortController();
    running.add(controller);
    try {
      const forkedAtMs = Number(now()) / 1e6;
      const outcome = await runChild(childRequest, {
        childEntry,
        hardLimitMs: request.timeBudgetMs + (options.timeoutMs ?? 10_000),
        maxOldSpaceMb: options.maxOldSpaceMb ?? 2_048,
        cwd: root,
        signal: controller.signal,
        ...(options.execPath ? { execPath: options.execPath } : {}),
        ...(options.env ? { env: options.env } : {}),
      });
      if ("failure" in outcome) return { ...fail(outcome.failure.kind, outcome.failure.message), wallTimeMs: outcome.wallTimeMs };
      const { type: _type, nonce: _nonce, details, ...batch } = outcome.result;
      const placed = details === undefined ? undefined : withParentPhases(details, forkedAtMs, outcome.wallTimeMs);
      return { ...batch, wallTimeMs: outcome.wallTimeMs, ...(details?.casesShown !== undefined ? { casesShown: details.casesShown } : {}), details: { ...(placed as RunDetails), untrackedEdges, buildDir: build.dir } };
    } finally {
      running.delete(controller);
    }
  };

  return {
    sample,
    prepare,
    close: async () => {
      closed = true;
      for (const c of running) c.abort();
    },
  };
}

/**
 * Adds the parent's phases to a child's: `spawn` (fork to the child's process
 * start), `exit` (its answer being ready to the end of the run) and `idle`
 * (what is left of `wallTimeMs`). Both processes read the same monotonic
 * clock; the child's phases are contiguous, so `idle` is only rounding and
 * the few microseconds between this process's clock read and the fork.
 */
export function withParentPhases(details: RunDetails, forkedAtMs: number, wallTimeMs: number): RunDetails {
  const { phasesMs, clockMs } = details;
  // A child of another cdlc build may not time its phases: its details pass as they are.
  if (phasesMs === undefined || clockMs === undefined) return details;
  const spawn = Math.max(0, clockMs.processStart - forkedAtMs);
  const exit = Math.max(0, forkedAtMs + wallTimeMs - clockMs.answered);
  const phases = { ...phasesMs, spawn, exit, idle: 0 };
  const explained = Object.values(phases).reduce((a, b) => a + b, 0);
  return { ...details, phasesMs: { ...phases, idle: Math.max(0, wallTimeMs - explained) } };
}

/** Edges whose endpoints the build could not track: left out of the run, with why. */
function untracked(build: BuiltProgram, edges: { from: string; to: string }[]): { from: string; to: string; reason: string }[] {
  const out: { from: string; to: string; reason: string }[] = [];
  for (const e of edges) {
    const problem = [e.from, e.to]
      .map((id) => build.missing.find((m) => m.id === id) ?? build.untracked.find((u) => u.id === id))
      .find((p) => p !== undefined);
    if (problem !== undefined) out.push({ ...e, reason: `${problem.id}: ${problem.reason}` });
  }
  return out;
}

