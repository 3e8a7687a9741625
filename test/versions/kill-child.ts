/**
 * The process the kill loop kills (test/versions/kill.test.ts): one store
 * operation on a project, bundled by the test with esbuild so it needs no
 * dist/. Prints "done <ms>" when the operation finished.
 *
 *   apply <root> <n> <killAfterMs>        applyVersion
 *   rollback <root> <n> <killAfterMs>     rollbackTo
 *   stage <root> <dir> <killAfterMs>      stageVersion of every file under <dir> (their new texts)
 *
 * With a finite `killAfterMs`, a watchdog thread sends this process SIGKILL
 * that long after the operation starts. A thread, not the parent's timer:
 * the parent runs several children and does synchronous checks, so its
 * timers fire late; the thread's clock starts with the operation itself.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { applyVersion, rollbackTo, stageVersion } from "../../src/versions/index.js";

function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`]));
}

const [operation, root, arg, killAfter = "Infinity"] = process.argv.slice(2);
if (root === undefined || arg === undefined) throw new Error("usage: kill-child apply|rollback|stage <root> <arg> [killAfterMs]");

let run: () => unknown;
if (operation === "apply") run = () => applyVersion(root, Number(arg));
else if (operation === "rollback") run = () => rollbackTo(root, Number(arg));
else if (operation === "stage") {
  // The new texts are read first: the kill lands in the store's work, not in ours.
  const files = filesUnder(arg).map((path) => ({ path, before: readFileSync(join(root, path)), after: readFileSync(join(arg, path)) }));
  run = () => stageVersion(root, { files, nodes: [{ node: "kill#loop" }] });
} else throw new Error(`unknown operation ${operation}`);

const delay = Number(killAfter);
const go = new Int32Array(new SharedArrayBuffer(4));
if (Number.isFinite(delay)) {
  const watchdog = new Worker(
    `const { workerData } = require("node:worker_threads");
     const go = new Int32Array(workerData.go);
     Atomics.wait(go, 0, 0);
     Atomics.wait(go, 0, 1, workerData.delay);
     process.kill(process.pid, "SIGKILL");`,
    { eval: true, workerData: { go: go.buffer, delay } },
  );
  await new Promise((ready) => watchdog.once("online", ready));
}

Atomics.store(go, 0, 1);
Atomics.notify(go, 0);
const start = performance.now();
run();
process.stdout.write(`done ${(performance.now() - start).toFixed(3)}\n`);
process.exit(0);
