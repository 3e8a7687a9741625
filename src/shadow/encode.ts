import { firstDifference } from "./encode-diff.js";
import { childNode, parseTree, TreeRenderer } from "./encode-tree.js";
import { GraphWriter } from "./encode-kinds.js";
import type { Child, EncodeLimits } from "./encode-writer.js";

/**
 * The equivalence oracle's deterministic encoder. It runs in the child
 * process beside the user's modules (load it before them: it captures the
 * built-ins it uses), turns what one side observed of a call into text,
 * and the oracle compares the two sides' texts as strings.
 *
 * The rule: two values no program could tell apart without comparing
 * objects across the sides by identity encode equal; values a program
 * could tell apart encode differently. So numbers compare as Object.is
 * does, key order, holes, property flags, accessors (never called),
 * extensibility and Map/Set order count; an object's prototype is written
 * by its class's name chain (each side loads its own copy of the user's
 * classes); built-ins both sides share (`Math`, `Object.prototype`) by
 * name; and references are numbered across the result, the arguments and
 * the receiver of one observation, so "returns its argument" and "returns
 * a copy of its argument" differ, and cycles end.
 *
 * Where equal texts would prove nothing, `truncated` says so: a limit was
 * reached, or a part cannot be read without running user code — a Proxy
 * (reading it runs its traps), a generator or an iterator (its state shows
 * only by resuming it). Opaque by design, and not incomplete: WeakMap and
 * WeakSet (no program can list them) and Promise (the oracle awaits results
 * first). Functions are compared by kind, name, length and own enumerable
 * properties, never by their code.
 */

export type { EncodeLimits } from "./encode-writer.js";

/** One side's observation of one call. */
export interface Observation {
  outcome: { kind: "returned"; value: unknown } | { kind: "threw"; error: unknown } | { kind: "exited"; code: unknown } | { kind: "timed-out" };
  /** The argument list AFTER the call (mutations of arguments are observable). */
  args: unknown[];
  /** The receiver AFTER the call, when the call had one (even `undefined`: the key's presence counts). */
  thisArg?: unknown;
}

/** An encoding, compared as a string; `truncated` when it does not cover everything (see the module comment). */
export interface Encoded {
  text: string;
  truncated: boolean;
}

export const DEFAULT_LIMITS: Readonly<EncodeLimits> = { maxNodes: 100_000, maxDepth: 200 };

function writerFor(limits: Partial<EncodeLimits> | undefined): GraphWriter {
  return new GraphWriter({ ...DEFAULT_LIMITS, ...limits });
}

/** Encodes an observation as one graph: the outcome's value, then each argument, then the receiver. */
export function encodeObservation(o: Observation, limits?: Partial<EncodeLimits>): Encoded {
  const children: Child[] = [];
  const outcome = o.outcome;
  if (outcome.kind === "returned") children.push({ kind: "value", label: "result", value: outcome.value });
  else if (outcome.kind === "threw") children.push({ kind: "value", label: "thrown", value: outcome.error });
  else if (outcome.kind === "exited") children.push({ kind: "value", label: "exit code", value: outcome.code });
  for (let i = 0; i < o.args.length; i++) children.push({ kind: "value", label: `args[${i}]`, value: o.args[i] });
  if (Object.hasOwn(o, "thisArg")) children.push({ kind: "value", label: "this", value: o.thisArg });
  const writer = writerFor(limits);
  const text = writer.write("observation", outcome.kind, children);
  return { text, truncated: writer.truncated };
}

/** Encodes one value (its graph alone). */
export function encodeValue(value: unknown, limits?: Partial<EncodeLimits>): Encoded {
  const writer = writerFor(limits);
  const text = writer.write("value", undefined, [{ kind: "value", label: "value", value }]);
  return { text, truncated: writer.truncated };
}

/** A short human rendering of a value for messages: `[NaN]`, `{ a: 1, b: [2, 3] }`, `Map(2) { 1 => "a", … }`, at most `max` chars (default 120). */
export function renderValue(value: unknown, max = 120): string {
  const { text } = encodeValue(value, { maxNodes: Math.max(64, 2 * max), maxDepth: 6 });
  const root = parseTree(text);
  const node = root?.c?.[0];
  if (root === undefined || node === undefined) return "?";
  return new TreeRenderer(root).render(childNode(node), max);
}

/** Where two encodings first differ, in words: `result[2].name: "a" vs "b"`, `args[0] after the call: length 3 vs 4`, `threw TypeError: x vs returned 1`. undefined when equal. */
export function describeDifference(a: Encoded, b: Encoded): string | undefined {
  return firstDifference(a.text, b.text);
}
