import Module from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { isMainThread } from "node:worker_threads";
import { FileMatcher } from "./file-matcher.js";
import { PLAN_ENV, RECORDER_GLOBAL, type RecordPlan } from "./plan.js";
import { GATE_ENV, mayHoldWatchedNode, passGate, readPlanSync } from "./plan-file.js";
import { handBack, instrumentMatched, type Instrumenter } from "./prepared-edits.js";
import { createRecorder, FLUSH_EVERY_MS, type RecorderApi } from "./recorder.js";
import { runsNoUserModules } from "./tool-entries.js";

/**
 * The recorder's preload, bundled as `dist/record-preload.cjs` and loaded
 * with `--require` through NODE_OPTIONS, so it runs in every Node process
 * and worker thread the user's command starts. It does nothing unless
 * `cdlc record` named a plan in the environment. Then, once the plan is
 * there (see plan-file.ts), it installs the recorder, instruments watched
 * files as they load (CommonJS through `Module.prototype._compile`, ES
 * modules through a module-hooks `load` hook), and writes this process's
 * records every second, at exit and on SIGINT/SIGTERM/SIGHUP. Nothing here may throw into the user's program.
 */

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/** The exit code of a command stopped at the gate (cdlc reports why and exits 2 itself). */
const STOPPED_AT_GATE = 2;

/** The plan and what is built from it, once known (null: no recording in this process). */
interface Active {
  recorder: RecorderApi;
  matcher: FileMatcher;
}

function install(): void {
  const planPath = process.env[PLAN_ENV];
  if (planPath === undefined || planPath === "" || RECORDER_GLOBAL in globalThis) return;
  const gate = process.env[GATE_ENV];
  if (gate !== undefined && gate !== "") {
    // cdlc found the CDL file in error: the command ends here, before any of its code has run.
    if (!passGate(gate)) process.exit(STOPPED_AT_GATE);
    // Passed once: what this process starts need not wait.
    delete process.env[GATE_ENV];
  }
  // The plan may still be on its way (see plan-file.ts): it is read when first needed.
  let active: Active | null | undefined;
  const activate = (): Active | null => {
    if (active !== undefined) return active;
    const plan = readPlanSync(planPath);
    active = plan === undefined ? null : start(plan);
    if (active !== null) Object.defineProperty(globalThis, RECORDER_GLOBAL, { value: active.recorder, configurable: true, enumerable: false, writable: false });
    return active;
  };
  // Instrumented modules read the recorder when they are evaluated; one instrumented elsewhere
  // (the module-hooks thread, vitest's main process) may be the first to need the plan here.
  Object.defineProperty(globalThis, RECORDER_GLOBAL, { get: () => activate()?.recorder, configurable: true, enumerable: false });
  patchCommonJs(activate);
  if (!runsNoUserModules(process.argv[1])) registerEsmHook(planPath, activate);
}

/** Installs the recorder of a plan, with its periodic and final writes. */
function start(plan: RecordPlan): Active {
  const recorder = createRecorder(plan);
  setInterval(() => recorder.flush(), FLUSH_EVERY_MS).unref();
  process.on("exit", () => recorder.flush());
  if (isMainThread) for (const signal of SIGNALS) flushOnSignal(signal, recorder);
  return { recorder, matcher: new FileMatcher(plan) };
}

/** Instruments CommonJS modules (plain `require`, and loaders that compile to CommonJS) as they are compiled. */
function patchCommonJs(activate: () => Active | null): void {
  let instrumenter: Instrumenter | undefined;
  const proto = Module.prototype as unknown as { _compile(content: string, filename: string): unknown };
  const original = proto._compile;
  proto._compile = function (content: string, filename: string) {
    let code = content;
    const active = mayHoldWatchedNode(filename) ? activate() : null;
    if (active !== null) {
      try {
        const matched = active.matcher.match(filename, content);
        if (matched !== undefined) {
          // The parser is loaded only when a watched file has no prepared edits: most processes never pay for it.
          const done = instrumentMatched(matched, content, active.matcher.passArgs, () => (instrumenter ??= require(join(__dirname, "record-instrument.cjs")) as Instrumenter));
          if (done !== undefined) {
            active.recorder.noteFile(done.outcome);
            if (done.fresh !== undefined) handBack(active.matcher.outDir, matched.source, done.fresh);
            code = done.outcome.code;
          }
        }
      } catch (e) {
        active.recorder.problems.push(`could not instrument ${filename}: ${(e as Error).message}`);
      }
    }
    return original.call(this, code, filename);
  };
}

/**
 * ES modules: a `load` hook on Node's hooks thread instruments them and
 * writes its own notes beside the records. (No message port: on Node 20 a
 * port handed to `register` from a `--require` preload ends the process.)
 */
function registerEsmHook(planPath: string, activate: () => Active | null): void {
  const register = (Module as unknown as { register?: (url: string, options: unknown) => void }).register;
  if (register === undefined) return;
  try {
    register(pathToFileURL(join(__dirname, "record-hooks.mjs")).href, { data: { planPath } });
  } catch (e) {
    activate()?.recorder.problems.push(`could not register the module hook, so ES modules are not recorded: ${(e as Error).message}`);
  }
}

/**
 * Writes the records when a signal arrives. If nothing else listens, the
 * signal is raised again with this listener gone, so the process ends as it
 * would have; if the program has its own listener, the program decides.
 */
function flushOnSignal(signal: (typeof SIGNALS)[number], recorder: RecorderApi): void {
  const listener = (): void => {
    recorder.flush();
    if (process.listenerCount(signal) === 1) {
      process.removeListener(signal, listener);
      process.kill(process.pid, signal);
    }
  };
  process.on(signal, listener);
}

try {
  install();
} catch {
  // The recorder must never break the command.
}
