import { fork, type ChildProcess } from "node:child_process";
import type { ChildResult } from "./protocol.js";
import type { RunFailure } from "./types.js";

/**
 * Runs one measurement child and classifies how it ended. The parent owns
 * the budgets: it kills the child after `hardLimitMs` (`timeout`), caps its
 * heap with `--max-old-space-size` (`out-of-memory`, recognised by V8's fatal
 * message on stderr), and treats any end without a result as `exited` (the
 * process exited: user code reached a real exit) or `crashed` (a signal, or
 * an uncaught error). Output of user code is captured, never shown, and its
 * tail is quoted in failure messages.
 */

export interface RunChildOptions {
  childEntry: string;
  /** Kill the child after this long (ms). */
  hardLimitMs: number;
  maxOldSpaceMb: number;
  cwd: string;
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Aborting kills the child (used by `Sampler.close`). */
  signal?: AbortSignal;
  /** More flags for node (the oracle's permission model). */
  extraExecArgv?: string[];
  /**
   * Messages before the result that carry the request's nonce (the oracle's
   * progress and verdicts). Each one restarts the `hardLimitMs` clock: the
   * limit is then on silence, not on the whole run.
   */
  onMessage?: (message: { type: string; nonce: string }) => void;
  /** How messages name the process (default "measurement process"). */
  processName?: string;
}

export type ChildOutcome<R = ChildResult> = { result: R; wallTimeMs: number } | { failure: { kind: RunFailure; message: string }; wallTimeMs: number };

const TAIL_BYTES = 4_096;
const OOM = /JavaScript heap out of memory|Reached heap limit|Allocation failed|Fatal JavaScript out of memory|FatalProcessOutOfMemory/;
/** After a result arrives, give the child this long to exit on its own before killing it. */
const GRACE_MS = 2_000;

export function runChild<R extends { type: "result"; nonce: string } = ChildResult>(request: { nonce: string }, options: RunChildOptions): Promise<ChildOutcome<R>> {
  const started = performance.now();
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = fork(options.childEntry, [], {
        execPath: options.execPath ?? process.execPath,
        execArgv: ["--expose-gc", `--max-old-space-size=${options.maxOldSpaceMb}`, ...(options.extraExecArgv ?? [])],
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        serialization: "json",
      });
    } catch (e) {
      resolve({ failure: { kind: "crashed", message: `cannot start the ${options.processName ?? "measurement process"}: ${(e as Error).message}` }, wallTimeMs: 0 });
      return;
    }
    let stdout = "";
    let stderr = "";
    let result: R | undefined;
    let timedOut = false;
    let aborted = false;
    let settled = false;
    child.stdout?.on("data", (d: Buffer) => (stdout = (stdout + d.toString()).slice(-TAIL_BYTES)));
    child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-TAIL_BYTES)));
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    };
    const expire = (): void => {
      timedOut = true;
      kill();
    };
    let timer = setTimeout(expire, options.hardLimitMs);
    let grace: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      aborted = true;
      kill();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });

    child.on("message", (m: unknown) => {
      const message = m as { type?: unknown; nonce?: unknown } | null;
      if (message?.nonce !== request.nonce || result !== undefined || typeof message.type !== "string") return;
      if (message.type !== "result") {
        clearTimeout(timer);
        timer = setTimeout(expire, options.hardLimitMs);
        options.onMessage?.(message as { type: string; nonce: string });
        return;
      }
      result = message as R;
      grace = setTimeout(kill, GRACE_MS);
    });
    const done = (outcome: ChildOutcome<R>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (grace !== undefined) clearTimeout(grace);
      options.signal?.removeEventListener("abort", onAbort);
      resolve(outcome);
    };
    child.on("error", (e) => {
      if (result === undefined) done({ failure: { kind: "crashed", message: `${options.processName ?? "measurement process"} error: ${e.message}` }, wallTimeMs: performance.now() - started });
    });
    child.on("close", (code, signal) => {
      const wallTimeMs = performance.now() - started;
      if (result !== undefined) return done({ result, wallTimeMs });
      done({ failure: classifyEnd({ code, signal, stderr, stdout, timedOut, aborted, limitMs: options.hardLimitMs, maxOldSpaceMb: options.maxOldSpaceMb, processName: options.processName }), wallTimeMs });
    });
    child.send(request, (e) => {
      if (e) kill();
    });
  });
}

/** How a child that sent no result ended. */
export function classifyEnd(end: {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
  timedOut: boolean;
  aborted: boolean;
  limitMs: number;
  maxOldSpaceMb: number;
  processName?: string | undefined;
}): { kind: RunFailure; message: string } {
  const tail = quoteTail(end.stderr || end.stdout);
  const name = end.processName ?? "measurement process";
  if (end.timedOut) return { kind: "timeout", message: `the run did not finish within ${Math.round(end.limitMs)} ms and was killed (a call that never returns, or a workload too slow for the budget)` };
  if (end.aborted) return { kind: "crashed", message: "the run was cancelled (sampler closed)" };
  if (OOM.test(end.stderr)) return { kind: "out-of-memory", message: `the JavaScript heap exceeded its limit of ${end.maxOldSpaceMb} MB (--max-old-space-size)` };
  if (end.signal !== null) return { kind: "crashed", message: `the ${name} was killed by ${end.signal}${tail}` };
  if (end.code !== 0 && /\n\s+at /.test(end.stderr)) return { kind: "crashed", message: `the ${name} failed with exit code ${end.code}${tail}` };
  return { kind: "exited", message: `the ${name} exited (code ${end.code}) before reporting: user code ended the process${tail}` };
}

function quoteTail(text: string): string {
  const lines = text.trim().split("\n").slice(-6).join("\n");
  return lines === "" ? "" : `; last output:\n${lines}`;
}
