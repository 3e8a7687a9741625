import { randomUUID } from "node:crypto";
import { InternalError } from "../diagnostics/errors.js";
import { runChild } from "../measure/run-child.js";
import type { RunFailure } from "../measure/types.js";
import type { OracleOriginal, OracleProgress, OracleRequest, OracleResult, OracleVerdictMessage } from "./protocol.js";
import type { CaseOrigin, Verdict, VerdictKind } from "./types.js";

/**
 * Runs oracle children until every variant has a verdict. A child reports
 * progress before each variant, so when one dies (a hang killed by the
 * watchdog, a crash, heap exhaustion, a real exit) the variant that was
 * running gets that as its verdict, and a new child takes the rest. A death
 * while the original runs makes the whole node untestable.
 */

export interface ChildRunOptions {
  childEntry: string;
  cwd: string;
  /** The child is killed after this long without a message. */
  silenceLimitMs: number;
  maxOldSpaceMb: number;
  /** Copies of the build, as many as one child may need. */
  sides: string[];
  /** The request without its nonce, sides and variants. */
  request: Omit<OracleRequest, "type" | "nonce" | "sides" | "variants">;
  /** How many variants one child judges at most (each needs a fresh side). */
  perChild: number;
  onVerdict?: (verdict: Verdict) => void;
}

export interface ChildRunsResult {
  verdicts: Map<number, Verdict>;
  untestable?: string;
  cases: Partial<Record<CaseOrigin, number>>;
  generatedNote?: string;
}

/** Node's permission model: reads stay allowed, writes, child processes, workers and addons are denied. */
export function permissionFlags(): string[] {
  const flag = process.allowedNodeEnvironmentFlags.has("--permission") ? "--permission" : "--experimental-permission";
  // --no-warnings: the model's "experimental" warning would otherwise end up in every failure message.
  return [flag, "--allow-fs-read=*", "--no-warnings"];
}

const DEATHS: Record<RunFailure, VerdictKind> = {
  timeout: "timed-out",
  crashed: "crashed",
  exited: "exited",
  "out-of-memory": "out-of-memory",
  "workload-error": "crashed",
  "not-found": "crashed",
  "build-error": "crashed",
};

export async function runOracleChildren(variants: number[], options: ChildRunOptions): Promise<ChildRunsResult> {
  const verdicts = new Map<number, Verdict>();
  const pending = [...variants];
  let cases: Partial<Record<CaseOrigin, number>> = {};
  let generatedNote: string | undefined;
  // Even with no variant to judge, one run checks the original (determinism, cases).
  let first = true;
  while (pending.length > 0 || first) {
    first = false;
    const batch = pending.slice(0, options.perChild);
    let running = -1;
    const request: OracleRequest = { type: "oracle", nonce: randomUUID(), sides: options.sides, variants: batch, ...options.request };
    const outcome = await runChild<OracleResult>(request, {
      childEntry: options.childEntry,
      hardLimitMs: options.silenceLimitMs,
      maxOldSpaceMb: options.maxOldSpaceMb,
      cwd: options.cwd,
      extraExecArgv: permissionFlags(),
      processName: "oracle process",
      onMessage: (m) => {
        if (m.type === "progress") running = (m as OracleProgress).variant;
        if (m.type === "original") ({ cases, generatedNote } = m as OracleOriginal);
        if (m.type === "verdict") {
          const v = (m as OracleVerdictMessage).verdict;
          verdicts.set(v.variant, v);
          options.onVerdict?.(v);
        }
      },
    });
    for (const v of batch) if (verdicts.has(v)) pending.splice(pending.indexOf(v), 1);
    if ("failure" in outcome) {
      if (running <= 0) {
        const what = running < 0 ? "before the original ran" : "while the original ran on its cases";
        return { verdicts, untestable: `the oracle process ended ${what}: ${outcome.failure.message}`, cases, ...(generatedNote === undefined ? {} : { generatedNote }) };
      }
      const verdict: Verdict = { variant: running, kind: DEATHS[outcome.failure.kind], reason: outcome.failure.message, cases: {} };
      verdicts.set(running, verdict);
      options.onVerdict?.(verdict);
      pending.splice(pending.indexOf(running), 1);
      continue;
    }
    const result = outcome.result;
    if (result.untestable !== undefined) return { verdicts, untestable: result.untestable, cases, ...(generatedNote === undefined ? {} : { generatedNote }) };
    // A child that judged nothing would be followed by another doing the same.
    if (batch.length > 0 && batch.every((v) => !verdicts.has(v))) throw new InternalError(`an oracle child judged none of variants ${batch.join(", ")} (${options.sides.length} copies of the build)`);
  }
  return { verdicts, cases, ...(generatedNote === undefined ? {} : { generatedNote }) };
}
