import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../util/atomic-write.js";
import type { RecordPlan } from "./plan.js";

/**
 * The plan file between `cdlc record` and the recorder in the user's
 * processes. `cdlc record` starts the command first and binds the CDL file
 * while the command starts (binding takes a few hundred milliseconds, which
 * would otherwise be added to every run); so the recorder may look for the
 * plan before it exists. It waits then, but only when it has to: when a
 * file that may hold a watched node loads. The plan is written atomically
 * (renamed into place), and a failed binding writes a plan with no nodes,
 * so a waiting process always goes on. Should cdlc itself die before
 * writing, the wait ends when its process is gone.
 */

/** The environment variable holding `cdlc record`'s process id. */
export const PARENT_ENV = "CDLC_RECORD_PARENT";

/**
 * The environment variable naming the gate: when `cdlc record` starts a
 * Node command before it has checked the CDL file, the command's first
 * process waits here, before any of the command's own code runs, until cdlc
 * opens the gate (`go`) or closes it (`stop`: the process ends at once).
 */
export const GATE_ENV = "CDLC_RECORD_GATE";

/** How often a process at the gate looks again, ms (cdlc decides within a few tens of milliseconds). */
const GATE_POLL_MS = 1;

/** How often a waiting process looks for the plan, ms. */
const POLL_MS = 5;

/** Writes the plan where the recorder looks for it: whole, or not at all. */
export function publishPlan(path: string, plan: RecordPlan): void {
  writeFileAtomic(path, JSON.stringify(plan), 0o600);
}

/** Opens (true) or closes the gate. */
export function settleGate(path: string, open: boolean): void {
  writeFileAtomic(path, open ? "go" : "stop", 0o600);
}

/** Waits at the gate; whether the command may run (it may also when cdlc is gone without deciding: it then runs unrecorded). */
export function passGate(path: string): boolean {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    if (existsSync(path)) return readFileSync(path, "utf8") !== "stop";
    if (!parentAlive()) return true;
    Atomics.wait(sleeper, 0, 0, GATE_POLL_MS);
  }
}

/** The plan, waiting for it synchronously (module loading cannot wait otherwise); undefined if none will come, it cannot be read, or it watches nothing. */
export function readPlanSync(path: string): RecordPlan | undefined {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(path)) {
    if (!parentAlive()) return undefined;
    Atomics.wait(sleeper, 0, 0, POLL_MS);
  }
  return parse(path);
}

/** The plan, waiting for it without blocking the thread (undefined as for {@link readPlanSync}). */
export async function readPlan(path: string): Promise<RecordPlan | undefined> {
  while (!existsSync(path)) {
    if (!parentAlive()) return undefined;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return parse(path);
}

/**
 * Whether a loaded file could hold a watched node, judged before the plan
 * is known: packages in node_modules never do (the plan's files are the
 * program's own), nor files that are neither TypeScript nor JavaScript.
 */
export function mayHoldWatchedNode(file: string): boolean {
  return /\.[cm]?[jt]sx?$/.test(file.split("?")[0]!) && !/[\\/]node_modules[\\/]/.test(file);
}

/** A failed binding publishes a plan with no nodes: nothing to record, as with no plan. */
function parse(path: string): RecordPlan | undefined {
  try {
    const plan = JSON.parse(readFileSync(path, "utf8")) as RecordPlan;
    return plan.nodes.length > 0 ? plan : undefined;
  } catch {
    return undefined;
  }
}

/** cdlc is still running (or its id is not known: then the plan was written before the command started). */
function parentAlive(): boolean {
  const pid = Number(process.env[PARENT_ENV]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
