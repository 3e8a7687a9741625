import { spawn } from "node:child_process";
import type { ProposerRequest } from "./protocol.js";

/**
 * Runs a proposer once: `sh -c CMD` in its own process group, the request
 * on standard input, standard output collected up to a cap, a timeout. A
 * proposer that fails in any way — cannot start, exits non-zero, is killed,
 * hangs, prints too much — comes back as a failure with a reason and the
 * end of its standard error; it never throws into the run.
 */

export interface ProposerLimits {
  cwd: string;
  timeoutMs: number;
  maxOutputBytes: number;
  env?: NodeJS.ProcessEnv;
}

export type ProposerRun = { ok: true; stdout: string; ms: number } | { ok: false; reason: string; stderr: string; ms: number };

/** Standard error kept for the report: its end, where the error usually is. */
const STDERR_TAIL_BYTES = 2_000;

/**
 * Proposers running now, by process group. Each runs in a group of its own
 * (so that a timeout reaches what it started), which a Ctrl-C in the
 * terminal does not reach: if cdlc exits or is stopped by a signal, it
 * ends them first, then lets the signal do what it would have done.
 */
const running = new Set<number>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function endAll(): void {
  for (const group of running) killGroup(group);
}

function onSignal(signal: NodeJS.Signals): void {
  endAll();
  stopWatching();
  process.kill(process.pid, signal);
}

function watch(group: number): void {
  if (running.size === 0) {
    process.on("exit", endAll);
    for (const s of SIGNALS) process.on(s, onSignal);
  }
  running.add(group);
}

function unwatch(group: number): void {
  running.delete(group);
  if (running.size === 0) stopWatching();
}

function stopWatching(): void {
  process.removeListener("exit", endAll);
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

function killGroup(group: number): void {
  try {
    process.kill(-group, "SIGKILL");
  } catch {
    // Already gone.
  }
}

export function runProposer(command: string, request: ProposerRequest, limits: ProposerLimits): Promise<ProposerRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    let child;
    try {
      // Its own process group, so that a timeout ends what the shell started too.
      child = spawn("sh", ["-c", command], { cwd: limits.cwd, env: limits.env ?? process.env, stdio: ["pipe", "pipe", "pipe"], detached: true });
    } catch (e) {
      resolve({ ok: false, reason: `could not start: ${(e as Error).message}`, stderr: "", ms: 0 });
      return;
    }
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = Buffer.alloc(0);
    let failure: string | undefined;
    if (child.pid !== undefined) watch(child.pid);
    const stop = (reason: string) => {
      failure ??= reason;
      if (child.pid !== undefined) killGroup(child.pid);
    };
    const timer = setTimeout(() => stop(`did not answer within ${Math.round(limits.timeoutMs / 1000)} s`), limits.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > limits.maxOutputBytes) stop(`printed more than ${Math.round(limits.maxOutputBytes / 1024)} KB`);
      else out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err = Buffer.concat([err, chunk]);
      if (err.length > STDERR_TAIL_BYTES * 2) err = err.subarray(err.length - STDERR_TAIL_BYTES);
    });
    // A proposer that exits without reading its input closes the pipe: not an error of ours.
    child.stdin.on("error", () => undefined);
    child.on("error", (e) => stop(`could not start: ${e.message}`));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) {
        // What the proposer left running in its group (a server it started) ends with it.
        killGroup(child.pid);
        unwatch(child.pid);
      }
      const ms = Math.round(performance.now() - started);
      const stderr = err.subarray(Math.max(0, err.length - STDERR_TAIL_BYTES)).toString("utf8");
      if (failure !== undefined) resolve({ ok: false, reason: failure, stderr, ms });
      else if (code !== 0) resolve({ ok: false, reason: signal !== null ? `was ended by ${signal}` : `exited with code ${code}`, stderr, ms });
      else resolve({ ok: true, stdout: Buffer.concat(out).toString("utf8"), ms });
    });
    child.stdin.end(JSON.stringify(request));
  });
}
