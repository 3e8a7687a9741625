/**
 * The runner's sampling interface, as the decision layer uses it. Type-only:
 * importing it loads nothing of the runner, so tests can drive the
 * decisions with a fake sampler.
 */
export type { MeasureTarget, SampleBatch, SampleRequest, Sampler } from "../sampler.js";
