/**
 * The oracle child: its own process, started by the oracle with Node's
 * permission model on (reads allowed; writing files, starting processes or
 * workers and native addons denied) and an IPC channel. It receives one
 * `OracleRequest`, reports a progress message before each variant and a
 * verdict after it, then one `OracleResult`, and exits.
 *
 * Built as its own entry point (scripts/build.mjs: `shadow-child` →
 * dist/shadow-child.js; tsc: dist/lib/shadow/child.js); from the TypeScript
 * sources, `measure/child-entry.ts` bundles it on demand.
 *
 * Guards against user code, as in the measurement child: `process.exit` is
 * intercepted before any user code loads (a call is recorded as the call's
 * outcome, and throws); answers carry the parent's nonce and go through a
 * reference to `process.send` taken first. An uncaught error ends the
 * process: the parent charges it to the variant that was running.
 */
import type { OracleOriginal, OracleProgress, OracleRequest, OracleResult, OracleVerdictMessage } from "./protocol.js";
import { runOracle, type ChildHooks } from "./child-run.js";

const realExit = process.exit.bind(process);
const send = process.send?.bind(process);

if (send === undefined) {
  process.stderr.write("cdlc oracle child: start it through the oracle (it needs an IPC channel)\n");
  realExit(70);
}

const hooks: ChildHooks = { exit: { attempted: false }, progress: () => undefined, original: () => undefined, verdict: () => undefined };

function interceptExit(code?: number | string | null): never {
  hooks.exit.attempted = true;
  hooks.exit.code = code;
  throw new Error(`process.exit(${String(code ?? "")}) called by user code (intercepted by cdlc)`);
}
process.exit = interceptExit as typeof process.exit;
(process as unknown as { reallyExit: (code?: number) => never }).reallyExit = interceptExit;

function die(what: string, e: unknown): void {
  process.stderr.write(`cdlc oracle child: ${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  realExit(1);
}
process.on("uncaughtException", (e) => die("uncaught exception", e));
process.on("unhandledRejection", (e) => die("unhandled promise rejection", e));

process.once("message", (request: OracleRequest) => {
  const nonce = request.nonce;
  hooks.progress = (variant) => send!({ type: "progress", nonce, variant } satisfies OracleProgress);
  hooks.original = (cases, generatedNote) => send!({ type: "original", nonce, cases, ...(generatedNote === undefined ? {} : { generatedNote }) } satisfies OracleOriginal);
  hooks.verdict = (verdict) => send!({ type: "verdict", nonce, verdict } satisfies OracleVerdictMessage);
  runOracle(request, hooks).then(
    (result) => send!({ type: "result", nonce, ...result } satisfies OracleResult, undefined, {}, () => realExit(0)),
    (e: unknown) => die("the oracle failed", e),
  );
});
