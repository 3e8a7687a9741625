import type { ExposedNode } from "./runtime.js";
import { now } from "./timer.js";
import type { WorkloadCase } from "./workload.js";

/**
 * Calling a node on a case, and timing batches of such calls. Everything a
 * call needs is resolved once per case, so a timed batch is a bare loop:
 * the call, a store of its result into a sink (an escaping store, so the
 * compiler cannot drop the call as dead code) and an error counter.
 */

/** One case, ready to call. */
export interface PreparedCall {
  fn: (...args: unknown[]) => unknown;
  thisArg: unknown;
  args: unknown[];
  construct: boolean;
}

/** Results land here; read by nothing but impossible for the optimizer to prove so. */
export const sink: unknown[] = new Array(16).fill(undefined);

/** Resolves an exposed node into one prepared call per case. */
export function prepareCalls(node: ExposedNode, cases: WorkloadCase[]): PreparedCall[] {
  const fn = node.get();
  if (typeof fn !== "function") throw new TypeError(`the node resolved to ${fn === null ? "null" : typeof fn}, not a function`);
  const receiver = node.receiver?.();
  return cases.map((c) => ({
    fn: fn as (...args: unknown[]) => unknown,
    thisArg: c.hasThis ? c.thisArg : receiver,
    args: c.args,
    construct: node.construct === true,
  }));
}

/** Calls once; a throw propagates. */
export function callOnce(call: PreparedCall): unknown {
  return call.construct ? Reflect.construct(call.fn, call.args) : Reflect.apply(call.fn, call.thisArg, call.args);
}

export interface BatchTiming {
  /** Elapsed ns for the whole batch, timer included. */
  ns: number;
  errors: number;
}

/** Times `n` synchronous calls. */
export function timeSyncBatch(call: PreparedCall, n: number): BatchTiming {
  const { fn, thisArg, args } = call;
  let errors = 0;
  if (call.construct) {
    const start = now();
    for (let i = 0; i < n; i++) {
      try {
        sink[i & 15] = Reflect.construct(fn, args);
      } catch {
        errors++;
      }
    }
    return { ns: Number(now() - start), errors };
  }
  const start = now();
  for (let i = 0; i < n; i++) {
    try {
      sink[i & 15] = Reflect.apply(fn, thisArg, args);
    } catch {
      errors++;
    }
  }
  return { ns: Number(now() - start), errors };
}

/** Times `n` calls of an async node, each awaited before the next starts (rejections are errors). */
export async function timeAsyncBatch(call: PreparedCall, n: number): Promise<BatchTiming> {
  let errors = 0;
  const start = now();
  for (let i = 0; i < n; i++) {
    try {
      sink[i & 15] = await callOnce(call);
    } catch {
      errors++;
    }
  }
  return { ns: Number(now() - start), errors };
}

/** Whether a value is a thenable (the node is async, or returns promises). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { then?: unknown }).then === "function";
}
