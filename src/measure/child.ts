/**
 * The measurement child: its own process, started by the sampler with
 * `node --expose-gc --max-old-space-size=<MB> <this file>` and an IPC
 * channel. It receives one `ChildRequest`, measures, sends one `ChildResult`
 * and exits. User code runs here and only here.
 *
 * Built as its own entry point (scripts/build.mjs: `measure-child` →
 * dist/measure-child.js; tsc: dist/lib/measure/child.js); when cdlc runs
 * from its TypeScript sources, `child-entry.ts` bundles this file on demand.
 *
 * Guards against user code:
 * - `process.exit` / `process.reallyExit` are replaced before any user code
 *   loads: a call marks the run as `exited` and throws, so the call cannot
 *   end the process with a success code, and a caught throw does not hide it;
 * - uncaught exceptions and unhandled rejections outside a call end the run
 *   as `crashed`, with the error;
 * - the answer carries the parent's nonce and is sent through a reference to
 *   `process.send` taken before user code loads.
 */
import { childClockAtScriptStart, clockNowMs, exitedFailure, measureInChild, type ExitWatch } from "./child-measure.js";
import type { ChildRequest, ChildResult } from "./protocol.js";
import type { RunFailure } from "./types.js";
import { describeError } from "./workload.js";

// First, so that the run's breakdown can tell Node's start-up from the measurement.
const started = childClockAtScriptStart();
const realExit = process.exit.bind(process);
const send = process.send?.bind(process);
const exit: ExitWatch = { attempted: false };
let nonce = "";
let finished = false;

class ExitAttempt extends Error {
  constructor(code: unknown) {
    super(`process.exit(${String(code ?? "")}) called by user code (intercepted by cdlc)`);
  }
}

function interceptExit(code?: number | string | null): never {
  if (!exit.attempted) {
    exit.attempted = true;
    exit.code = code;
  }
  throw new ExitAttempt(code);
}

function finish(result: Omit<ChildResult, "type" | "nonce">): void {
  if (finished) return;
  finished = true;
  const message: ChildResult = { type: "result", nonce, ...result };
  // Exit once the answer is flushed: user code may leave timers or sockets open.
  send!(message, undefined, {}, () => realExit(0));
}

function fail(kind: RunFailure, message: string): void {
  finish({ timesNs: [], memoryBytes: [], calls: 0, errors: 0, batchSize: 1, edges: [], failure: exit.attempted ? exitedFailure(exit) : { kind, message } });
}

if (send === undefined) {
  process.stderr.write("cdlc measurement child: start it through the sampler (it needs an IPC channel)\n");
  realExit(70);
}

process.exit = interceptExit as typeof process.exit;
(process as unknown as { reallyExit: (code?: number) => never }).reallyExit = interceptExit;
process.on("uncaughtException", (e) => fail("crashed", `uncaught exception outside a measured call: ${e instanceof Error ? (e.stack ?? describeError(e)) : String(e)}`));
process.on("unhandledRejection", (e) => fail("crashed", `unhandled promise rejection outside a measured call: ${e instanceof Error ? (e.stack ?? describeError(e)) : String(e)}`));

const gc = (globalThis as { gc?: () => void }).gc;

process.once("message", (message: ChildRequest) => {
  nonce = message.nonce;
  if (gc === undefined) {
    fail("crashed", "the measurement child was started without --expose-gc");
    return;
  }
  measureInChild(message, exit, gc, { ...started, requestReceived: clockNowMs() }).then(finish, (e: unknown) => fail("crashed", `measurement failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
});
