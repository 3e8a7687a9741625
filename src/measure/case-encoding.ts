import { deserialize, serialize } from "node:v8";
import type { WorkloadCase } from "./workload.js";

/**
 * A case (argument list and receiver) as `cdlc record --capture-args` keeps
 * it and the measurement and oracle children receive it: the v8
 * serialization (the structured clone format) of `{ args, this? }`, in
 * base64 — so a recording, which is JSON, keeps Maps, Sets, Dates,
 * `undefined`, `-0`, NaN and BigInts exactly as the program passed them.
 * Decoding makes a fresh copy each time, so every run starts from the
 * values as recorded.
 */
export type EncodedCase = string;

export function encodeCase(args: readonly unknown[], receiver?: unknown): { encoded: EncodedCase; bytes: number } {
  const foreign = classInstanceIn([args, receiver]);
  if (foreign !== undefined) throw new TypeError(`a ${foreign} instance would lose its class in a copy`);
  const buffer = serialize(receiver === undefined ? { args } : { args, this: receiver });
  return { encoded: buffer.toString("base64"), bytes: buffer.length };
}

/** A recorded case as the measurement and the oracle call it; a damaged entry throws. */
export function decodeCase(encoded: EncodedCase): WorkloadCase {
  const value = deserialize(Buffer.from(encoded, "base64")) as { args?: unknown; this?: unknown };
  if (value === null || typeof value !== "object" || !Array.isArray(value.args)) throw new Error("a recorded case is damaged: it holds no argument list");
  return { args: value.args, thisArg: value.this, hasThis: "this" in value };
}

/** Prototypes a structured clone keeps: values of these classes come back as what they were. */
const KEPT = new Set<unknown>([Object.prototype, Array.prototype, Map.prototype, Set.prototype, Date.prototype, RegExp.prototype, ArrayBuffer.prototype, DataView.prototype, Error.prototype, Boolean.prototype, Number.prototype, String.prototype, BigInt.prototype, null]);
const TYPED = Object.getPrototypeOf(Uint8Array.prototype) as object;

/**
 * The name of the first class whose instance a structured clone would turn
 * into a plain object (a `Cart`, say), or undefined: such a copy would not
 * behave as the program's value did, so it is not kept.
 */
function classInstanceIn(value: unknown, seen = new Set<object>()): string | undefined {
  if (value === null || typeof value !== "object" || seen.has(value)) return undefined;
  seen.add(value);
  const proto = Object.getPrototypeOf(value) as object | null;
  if (!KEPT.has(proto) && !(proto !== null && Object.getPrototypeOf(proto) === TYPED) && !(value instanceof Error)) {
    return (proto as { constructor?: { name?: string } } | null)?.constructor?.name || "class";
  }
  const children = value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? [...value] : ArrayBuffer.isView(value) ? [] : Object.values(value);
  for (const child of children) {
    const found = classInstanceIn(child, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}
