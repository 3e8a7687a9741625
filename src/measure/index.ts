/**
 * Measurement (the part that runs user code): instrumented builds, workload
 * loading and the child-process runner. Statistics and decisions live in
 * ./stats and ./decide. Heavy modules (Babel, TypeScript) load lazily, when
 * the first sample needs a build.
 */
export { createProcessSampler } from "./sampler.js";
export type { MeasureTarget, ProcessSampleBatch, ProcessSampler, ProcessSamplerOptions, SampleBatch, SampleRequest, Sampler } from "./sampler.js";
export type { BuildOptions, BuildTarget, BuiltProgram } from "./build.js";
export type { ChildLimits, RunDetails } from "./protocol.js";
export type { CdlcRuntime, ExposedNode } from "./runtime.js";
// pickWorkloadModule (./workload-exports.js) loads TypeScript: import it lazily where needed.
