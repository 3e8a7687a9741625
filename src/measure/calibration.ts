import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CalibrationResult } from "./decide/calibrate.js";
import type { MeasureTarget } from "./sampler.js";

/**
 * `cdlc calibrate`: A-versus-A comparisons of a reference function against
 * itself through the real child-process runner, on this machine, now. Every
 * decision is a false positive, so the observed rate checks the error
 * control; the pair-to-pair noise gives the smallest change the same time
 * budget detects with 95% power.
 */

/** A reference workload: a few microseconds of arithmetic and allocation per call. */
const REFERENCE_SOURCE = `export function reference(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += Math.sqrt(v) * 1.0001;
  return [sum, values.length].join(":").length + sum;
}
`;
const REFERENCE_WORKLOAD = `export const reference = () => [[Array.from({ length: 2_000 }, (_, i) => i)]];
`;

export interface MachineCalibrationOptions {
  /** Time budget of one A/A comparison (both arms), ms. */
  timeBudgetMs: number;
  experiments: number;
  alpha: number;
  onExperiment?: (index: number, falsePositive: boolean) => void;
}

/** Runs the A/A experiments on a reference program written to a temporary folder (removed afterwards). */
export async function calibrateMachine(options: MachineCalibrationOptions): Promise<CalibrationResult> {
  const dir = mkdtempSync(join(tmpdir(), "cdlc-calibrate-"));
  const file = join(dir, "reference.ts");
  const workload = join(dir, "workload.ts");
  writeFileSync(file, REFERENCE_SOURCE);
  writeFileSync(workload, REFERENCE_WORKLOAD);
  const target: MeasureTarget = { node: "reference.ts#reference", file, qualifiedName: "reference", workloadModule: workload, workloadExport: "reference", edges: [] };
  const { createProcessSampler } = await import("./sampler.js");
  const { calibrate } = await import("./decide/calibrate.js");
  const sampler = createProcessSampler({ projectRoot: dir, files: [file, workload], targets: [target] });
  try {
    return await calibrate({ sampler, target }, {
      timeBudgetMs: options.timeBudgetMs,
      experiments: options.experiments,
      alpha: options.alpha,
      ...(options.onExperiment !== undefined ? { onExperiment: options.onExperiment } : {}),
    });
  } finally {
    await sampler.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
