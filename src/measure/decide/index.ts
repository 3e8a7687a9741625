/**
 * Decisions from measurements: verdicts on bounds (sequential, Holm over
 * the run), comparisons with a baseline, and A/A calibration.
 */
export { DEFAULT_ALPHA, decideBound, decideBounds, evidenceFor, type BoundEvidence } from "./decide.js";
export { evaluateBound, directionalPValues, percentileLevel, satisfies, type Evidence, type RunData } from "./evidence.js";
export { runSequential, type SequentialOptions, type SequentialResult } from "./sequential.js";
export { compareToBaseline, compareInterleaved, type CompareOptions, type StoredCompareOptions, type InterleavedOptions } from "./baseline.js";
export { comparePairedSequential, samplerRunSource, lookSchedule, type RunSource, type RunOutcome, type PairedOptions, type PairedOutcome } from "./paired.js";
export { calibrate, type CalibrateOptions, type CalibrationResult } from "./calibrate.js";
export { poolRuns, splitRuns, mergeEdges } from "./measurement.js";
export { boundSpecsForNode, boundSpecsForFlow, type BoundSpec } from "./spec.js";
export type { MeasureTarget, SampleRequest, SampleBatch, Sampler } from "../sampler.js";
export type { ProgressState, ProgressEvent, NodeProgress } from "./progress-state.js";
