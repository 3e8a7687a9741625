import { pairedLogSd } from "../stats/compare.js";
import { mean } from "../stats/mean.js";
import { minimumDetectableEffect } from "../stats/power.js";
import { wilsonInterval } from "../stats/proportion.js";
import { DEFAULT_ALPHA } from "./decide.js";
import { comparePairedSequential, samplerRunSource, type PairedOptions, type RunSource } from "./paired.js";
import type { MeasureTarget, Sampler } from "../sampler.js";

export interface CalibrateOptions extends Omit<PairedOptions, "stopLevel"> {
  /** Error rate of one comparison (default 0.01). */
  alpha?: number;
  /** A/A experiments to run; default 20. */
  experiments?: number;
  /** Power for the minimum detectable effect; default 0.95. */
  power?: number;
  onExperiment?: (index: number, falsePositive: boolean) => void;
}

export interface CalibrationResult {
  experiments: number;
  falsePositives: number;
  falsePositiveRate: number;
  /** 95% Wilson interval of the false-positive rate. */
  falsePositiveInterval: [number, number];
  alpha: number;
  /** Mean pairs and milliseconds an A/A comparison took. */
  meanPairs: number;
  meanTimeMs: number;
  /** Pooled standard deviation of the paired log ratios (run-to-run noise of a pair). */
  logRatioSd: number;
  /**
   * The smallest relative change detected with `power` at the last look's
   * level, given the pairs that fit in the budget.
   */
  minimumDetectableEffect: number;
  power: number;
}

/**
 * A-versus-A comparisons of one target against itself: every decision is
 * a false positive. Reports the observed false-positive rate, and from the
 * observed pair-to-pair noise the smallest change the same budget detects
 * with the requested power. Pass a sampler and a target to calibrate the
 * child-process runner, or any {@link RunSource} (e.g. an in-process loop).
 */
export async function calibrate(source: RunSource | { sampler: Sampler; target: MeasureTarget; minSamples?: number }, o: CalibrateOptions): Promise<CalibrationResult> {
  const alpha = o.alpha ?? DEFAULT_ALPHA;
  const run: RunSource = typeof source === "function" ? source : samplerRunSource(source.sampler, source.target, source.target, source.minSamples);
  const experiments = o.experiments ?? 20;
  const power = o.power ?? 0.95;
  // A single comparison: two directions, Holm over two ⇒ α/2 to stop at once.
  const stopLevel = alpha / 2;
  let falsePositives = 0;
  const pairsUsed: number[] = [];
  const times: number[] = [];
  const sds: { sd: number; n: number }[] = [];
  let finalWeight = 1;
  for (let i = 0; i < experiments; i++) {
    const out = await comparePairedSequential(run, { ...o, stopLevel });
    finalWeight = out.weights[out.weights.length - 1] ?? 1;
    // Every A/A decision is wrong; the final Holm step of the pair decides at α/2 too, so the early rule is the decision.
    const fp = out.decidedAtMs !== undefined || decidedAtEnd(out.looks.map((l) => l.estimate), out.weights, stopLevel);
    if (fp) falsePositives++;
    o.onExperiment?.(i, fp);
    pairsUsed.push(out.pairs.length);
    times.push(out.usedMs);
    const sd = pairedLogSd(out.pairs);
    if (Number.isFinite(sd)) sds.push({ sd, n: out.pairs.length });
  }
  const dfTotal = sds.reduce((s, x) => s + x.n - 1, 0);
  const pooledSd = dfTotal > 0 ? Math.sqrt(sds.reduce((s, x) => s + (x.n - 1) * x.sd * x.sd, 0) / dfTotal) : NaN;
  const meanPairs = mean(pairsUsed);
  return {
    experiments,
    falsePositives,
    falsePositiveRate: falsePositives / experiments,
    falsePositiveInterval: wilsonInterval(falsePositives, experiments, 0.025),
    alpha,
    meanPairs,
    meanTimeMs: mean(times),
    logRatioSd: pooledSd,
    minimumDetectableEffect: minimumDetectableEffect({ sd: pooledSd, pairs: Math.floor(meanPairs), alpha: stopLevel * finalWeight, power }),
    power,
  };
}

function decidedAtEnd(looks: readonly { pSlower: number; pFaster: number }[], weights: readonly number[], level: number): boolean {
  return looks.some((l, k) => Math.min(l.pSlower, l.pFaster) <= level * (weights[k] ?? 0));
}
