import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PLAN_ENV, type RecordPlan } from "./plan.js";
import { GATE_ENV, PARENT_ENV, publishPlan, settleGate } from "./plan-file.js";
import { EDITS_SUFFIX, type PreparedEdits } from "./prepared-edits.js";
import { mergeRecordings, readRecording, RECORDING_VERSION, type Recording } from "./recording.js";

/**
 * Runs the user's command with the recorder preloaded into every Node
 * process and worker it starts, waits for it, and merges what each of them
 * recorded into one recording. The command's standard streams are its own
 * (inherited), and so is its exit status, which is returned as it was.
 */

export interface RecordedRun {
  /** The command's exit code, or null when a signal ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  recording: Recording;
  /** Per-process record files that could not be read (a process killed while writing cannot leave one: writes are atomic). */
  unreadable: string[];
  /** Edits the processes made by parsing a file, handed back to be kept for the next run (prepared-edits.ts). */
  edits: { source: string; edits: PreparedEdits }[];
}

export class CommandNotStarted extends Error {}

export interface RecordRunOptions {
  /**
   * The plan, without `outDir` (a private temporary folder is used). It may
   * still be in the making: the command starts at once, and the recorder in
   * it waits for the plan when it needs it; undefined records nothing.
   */
  plan: Omit<RecordPlan, "outDir"> | undefined | Promise<Omit<RecordPlan, "outDir"> | undefined>;
  /**
   * When given, the command starts at once, and its first Node process waits
   * at the gate before any of the command's code runs: until this resolves
   * true (go on) or false (end there; no plan is then needed). Only for a
   * command whose program is Node (see node-command.ts).
   */
  gate?: Promise<boolean>;
  command: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  toolVersion: string;
}

export async function runRecorded(options: RecordRunOptions): Promise<RecordedRun> {
  const work = mkdtempSync(join(tmpdir(), "cdlc-record-"));
  try {
    const outDir = join(work, "records");
    const planPath = join(work, "plan.json");
    const env = { ...(options.env ?? process.env) };
    env[PLAN_ENV] = planPath;
    env[PARENT_ENV] = String(process.pid);
    const gatePath = join(work, "gate");
    if (options.gate !== undefined) env[GATE_ENV] = gatePath;
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --require ${quoted(preloadPath())}`.trim();
    const startedAt = new Date().toISOString();
    const ended = runInherited(options.command, options.cwd, env);
    // Handled here too: a command that cannot start is reported once the plan is settled.
    ended.catch(() => undefined);
    let gateSettled = options.gate === undefined;
    try {
      // A closed gate ends the command before it runs: there is nothing to plan.
      const open = options.gate === undefined ? true : await options.gate.catch(() => false);
      if (!gateSettled) settleGate(gatePath, open);
      gateSettled = true;
      const plan = open ? await options.plan : undefined;
      publishPlan(planPath, { ...(plan ?? { version: 1, nodes: [], edges: [] }), outDir });
    } catch (e) {
      // A plan that cannot be made or written records nothing; the command is still waited for (never left at the gate).
      if (!gateSettled) settleGate(gatePath, false);
      publishPlan(planPath, { version: 1, nodes: [], edges: [], outDir });
      await ended.catch(() => undefined);
      throw e;
    }
    const { code, signal } = await ended;
    const recording: Recording = {
      version: RECORDING_VERSION,
      tool: { name: "cdlc", version: options.toolVersion },
      startedAt,
      endedAt: new Date().toISOString(),
      command: options.command,
      exitCode: code,
      ...(signal !== null ? { signal } : {}),
      processes: 0,
      nodes: {},
      edges: {},
      notes: { instrumented: [], skipped: [], problems: [] },
    };
    const unreadable: string[] = [];
    const files = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith(".json")).sort() : [];
    for (const f of files) {
      try {
        const part = readRecording(join(outDir, f));
        part.startedAt = recording.startedAt;
        part.endedAt = recording.endedAt;
        mergeRecordings(recording, part);
      } catch (e) {
        unreadable.push(`${f}: ${(e as Error).message}`);
      }
    }
    return { exitCode: code, signal, recording, unreadable, edits: handedBack(outDir) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The edits the command's processes handed back (a file that cannot be read is skipped: they only save time). */
function handedBack(outDir: string): { source: string; edits: PreparedEdits }[] {
  const files = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith(EDITS_SUFFIX)) : [];
  return files.flatMap((f) => {
    try {
      return [JSON.parse(readFileSync(join(outDir, f), "utf8")) as { source: string; edits: PreparedEdits }];
    } catch {
      return [];
    }
  });
}

/** The exit status a shell would report for the command: its code, or 128 + the signal's number. */
export function exitStatusOf(run: Pick<RecordedRun, "exitCode" | "signal">): number {
  if (run.exitCode !== null) return run.exitCode;
  return 128 + (run.signal !== null ? (constants.signals[run.signal] ?? 0) : 0);
}

/**
 * Runs the command with inherited stdio. Ctrl-C in a terminal reaches the
 * command directly (the whole foreground group gets it), so SIGINT is not
 * forwarded a second time; SIGTERM and SIGHUP sent to cdlc are passed on.
 * cdlc waits for the command to end either way, then writes the recording.
 */
function runInherited(command: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { cwd, env, stdio: "inherit" });
    const forward = (signal: NodeJS.Signals) => () => void child.kill(signal);
    const handlers = { SIGINT: () => undefined, SIGTERM: forward("SIGTERM"), SIGHUP: forward("SIGHUP") } as const;
    for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler);
    const done = (): void => {
      for (const [signal, handler] of Object.entries(handlers)) process.removeListener(signal, handler);
    };
    child.on("error", (e: NodeJS.ErrnoException) => {
      done();
      reject(new CommandNotStarted(e.code === "ENOENT" ? `cannot run \`${command[0]}\`: not found (is it on PATH?)` : `cannot run \`${command[0]}\`: ${e.message}`));
    });
    child.on("exit", (code, signal) => {
      done();
      resolve({ code, signal });
    });
  });
}

/** The preload file next to cdlc, in each shape cdlc runs in (CLI bundle, library, sources under test). */
function preloadPath(): string {
  for (const candidate of ["./record-preload.cjs", "../record-preload.cjs", "../../record-preload.cjs", "../../dist/record-preload.cjs"]) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error("cannot find the recorder (record-preload.cjs) next to cdlc; rebuild cdlc (npm run build)");
}

/** A path as one NODE_OPTIONS word. */
function quoted(path: string): string {
  return /[\s"\\]/.test(path) ? `"${path.replace(/["\\]/g, "\\$&")}"` : path;
}
