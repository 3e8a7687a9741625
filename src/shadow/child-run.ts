import fc from "fast-check";
import { join } from "node:path";
import { Script } from "node:vm";
import { pathToFileURL } from "node:url";
import { isThenable } from "../measure/invoke.js";
import { RUNTIME_GLOBAL, type CdlcRuntime, type ExposedNode } from "../measure/runtime.js";
import { describeError, loadWorkload, type WorkloadCase } from "../measure/workload.js";
import { decodeCase } from "../measure/case-encoding.js";
import { arbitraryOf } from "./arbitraries.js";
import { BY_ENCODING, byFunction, type Comparison } from "./compare.js";
import { deriveArgs } from "./derive.js";
import { encodeObservation, renderValue, type Encoded, type Observation } from "./encode.js";
import type { ChildVerdict, OracleRequest, OracleResult } from "./protocol.js";
import type { CaseOrigin, Difference } from "./types.js";

/**
 * The oracle's procedure inside its child process (user code runs here and
 * only here, under the permission model):
 *
 * 1. the original runs its whole sequence of cases on two fresh sides; if the
 *    two disagree, the node is not deterministic and nothing can be judged;
 * 2. each variant runs the same sequence on a fresh side of its own (the
 *    schemata switch picks its body); its observations are compared, case by
 *    case, with the original's;
 * 3. on a difference in a generated case, fast-check shrinks the input on two
 *    more fresh sides (original and variant), to report a small one.
 *
 * A side is a copy of the build not loaded before, so its module state is
 * fresh; the cases of a side are built by that side's workload module, so
 * they hold that side's class instances. `Math.random` is seeded identically
 * before each side builds and runs its cases.
 */

export interface ChildHooks {
  progress(variant: number): void;
  original(cases: Partial<Record<CaseOrigin, number>>, generatedNote: string | undefined): void;
  verdict(verdict: ChildVerdict): void;
  /** Set by the child's `process.exit` interceptor. */
  exit: { attempted: boolean; code?: unknown };
}

interface Case {
  args: unknown[];
  thisArg: unknown;
  hasThis: boolean;
  origin: CaseOrigin;
  /** The inputs rendered before the call (a call may change them). */
  shown: string;
  derivedFrom?: number;
}

/** One side's observation of one case: encoded to compare, rendered to report. */
interface Seen {
  encoded: Encoded;
  outcome: Observation["outcome"]["kind"];
  /** The call hit the permission model (it tried to write a file, start a process or a worker). */
  forbidden: boolean;
  /** `returned [false]`, `threw TypeError: …`. */
  shown: string;
  /** With a comparison function: the returned value, and the encoding without it. */
  value?: unknown;
  rest?: Encoded;
}

/** How observations are compared in this run (set by `runOracle` from the request). */
let comparison: Comparison = BY_ENCODING;

interface Side {
  node: ExposedNode;
  cases: Case[];
}

/** Raised when the workload or the build cannot give a side: nothing can be judged. */
class Untestable extends Error {}

export async function runOracle(request: OracleRequest, hooks: ChildHooks): Promise<Omit<OracleResult, "type" | "nonce">> {
  const sides = [...request.sides];
  const take = (): string | undefined => sides.shift();
  const counts: Partial<Record<CaseOrigin, number>> = {};
  const generatedNote = request.generated === undefined ? "no input shapes" : request.generated.shape.unsupported;
  try {
    const [a, b] = [take(), take()];
    if (a === undefined || b === undefined) throw new Untestable("the oracle needs at least two copies of the build");
    hooks.progress(0);
    const first = await loadSide(a, request);
    comparison = request.compare === undefined ? BY_ENCODING : await comparisonFrom(a, request);
    for (const c of first.cases) counts[c.origin] = (counts[c.origin] ?? 0) + 1;
    if (first.cases.length === 0) throw new Untestable("there are no cases to compare on: the node has no workload and no inputs could be generated from its parameter types");
    const original = await runSequence(first, 0, request, hooks);
    const again = await runSequence(await loadSide(b, request), 0, request, hooks);
    const denied = original.findIndex((o) => o.forbidden);
    if (denied >= 0) throw new Untestable(`the original itself needs what the oracle forbids on case ${denied + 1} (${original[denied]!.shown}): it writes files or starts processes, which the oracle cannot observe`);
    const drift = firstDifference(original, again);
    if (drift !== undefined) {
      throw new Untestable(`the original itself behaves differently on the same inputs (case ${drift + 1}: ${comparison.where(original[drift]!, again[drift]!)}): it is not deterministic, so comparing runs cannot prove a variant equivalent`);
    }
    hooks.original(counts, generatedNote);
    const remaining = [...request.variants];
    while (remaining.length > 0) {
      const dir = take();
      if (dir === undefined) break;
      const variant = remaining.shift()!;
      hooks.progress(variant);
      hooks.verdict(await judge(variant, await loadSide(dir, request), original, request, hooks, take));
    }
    return { remaining };
  } catch (e) {
    if (!(e instanceof Untestable)) throw e;
    return { remaining: [], untestable: e.message };
  }
}

async function judge(variant: number, side: Side, original: Seen[], request: OracleRequest, hooks: ChildHooks, take: () => string | undefined): Promise<ChildVerdict> {
  const cases: Partial<Record<CaseOrigin, number>> = {};
  const observed = await runSequence(side, variant, request, hooks, (c) => (cases[c.origin] = (cases[c.origin] ?? 0) + 1));
  const at = firstDifference(original, observed);
  if (at === undefined) {
    // Equal texts prove nothing where either side could not be read in full (too large, a proxy, an iterator).
    const unread = observed.findIndex((o, i) => o.encoded.truncated || original[i]!.encoded.truncated);
    if (unread >= 0) return { variant, kind: "untestable", reason: `what case ${unread + 1} returns cannot be compared in full (too large, or a proxy or iterator the oracle will not run): equivalence is not proven`, cases };
    return { variant, kind: "equivalent", reason: `behaves like the original on ${observed.length} ${observed.length === 1 ? "case" : "cases"}`, cases };
  }
  const c = side.cases[at]!;
  const [o, v] = [original[at]!, observed[at]!];
  let difference: Difference = { caseIndex: at, origin: c.origin, input: c.shown, original: o.shown, variant: v.shown, where: comparison.where(o, v), shrunk: false, ...(c.derivedFrom !== undefined ? { derivedFrom: c.derivedFrom } : {}) };
  if (c.origin === "generated" && c.derivedFrom === undefined && request.shrink.includes(variant)) difference = (await shrink(variant, difference, request, hooks, take)) ?? difference;
  const kind = v.forbidden ? "forbidden" : v.outcome === "exited" && o.outcome !== "exited" ? "exited" : v.outcome === "timed-out" && o.outcome !== "timed-out" ? "timed-out" : "not-equivalent";
  const what = { forbidden: "touches what the permission model forbids", exited: "calls process.exit", "timed-out": "does not finish within the call's time", "not-equivalent": "differs" }[kind];
  return { variant, kind, reason: `${what} on ${difference.input}: original ${difference.original}, variant ${difference.variant} (${difference.where})`, difference, cases };
}

/** Loads the node and builds the cases from one side's copy of the build. */
async function loadSide(dir: string, request: OracleRequest): Promise<Side> {
  try {
    await import(pathToFileURL(join(dir, request.nodeModule)).href);
  } catch (e) {
    throw new Untestable(`the node's module cannot be loaded: ${describeError(e)}`);
  }
  // Registered while this side's module was evaluated; later sides register their own.
  const node = runtime()?.nodes.get(request.node);
  if (node === undefined) throw new Untestable(`the build does not expose ${request.node}`);
  const cases: Case[] = [];
  if (request.workload !== undefined) {
    seedRandom(request.randomSeed);
    let built: WorkloadCase[];
    try {
      built = await loadWorkload(join(dir, request.workload.module), request.workload.exportName, request.workload.display);
    } catch (e) {
      throw new Untestable(describeError(e));
    }
    cases.push(...built.map((c) => ({ ...c, origin: "workload" as const, shown: renderArgs(c.args) })));
  }
  if (request.recorded !== undefined) cases.push(...recordedCases(request.recorded));
  if (request.generated !== undefined && request.generated.shape.unsupported === undefined) {
    const values = fc.sample(arbitraryOf(request.generated.shape), { seed: request.generated.seed, numRuns: request.generated.count });
    cases.push(...values.map(asCase));
  }
  return { node, cases };
}

/** The recorded cases, fresh copies, then the inputs derived from each (copies of their own). */
function recordedCases(recorded: NonNullable<OracleRequest["recorded"]>): Case[] {
  let decoded: WorkloadCase[];
  try {
    decoded = recorded.cases.map(decodeCase);
  } catch (e) {
    throw new Untestable(describeError(e));
  }
  const cases: Case[] = decoded.map((c) => ({ ...c, origin: "recorded" as const, shown: renderArgs(c.args) }));
  decoded.forEach((c, i) => {
    for (const args of deriveArgs(decodeCase(recorded.cases[i]!).args, recorded.derived, recorded.seed + i)) {
      const copy = structuredClone(args);
      cases.push({ args: copy, thisArg: c.hasThis ? decodeCase(recorded.cases[i]!).thisArg : undefined, hasThis: c.hasThis, origin: "generated", shown: renderArgs(copy), derivedFrom: i });
    }
  });
  return cases;
}

async function runSequence(side: Side, variant: number, request: OracleRequest, hooks: ChildHooks, onCase?: (c: Case) => void): Promise<Seen[]> {
  seedRandom(request.randomSeed);
  const out: Seen[] = [];
  for (const c of side.cases) {
    onCase?.(c);
    out.push(await observe(side.node, c, variant, request, hooks));
  }
  return out;
}

/** Calls the node once on a case with `variant` active, and encodes everything a caller could see afterwards. */
async function observe(node: ExposedNode, c: Case, variant: number, request: OracleRequest, hooks: ChildHooks): Promise<Seen> {
  const rt = runtime()!;
  rt.active.clear();
  rt.active.set(request.node, variant);
  const fn = node.get() as (...args: unknown[]) => unknown;
  const thisArg = c.hasThis ? c.thisArg : node.receiver?.();
  hooks.exit.attempted = false;
  let outcome: Observation["outcome"];
  try {
    let value = callWithin(request.callTimeoutMs, () => (node.construct === true ? Reflect.construct(fn, c.args) : Reflect.apply(fn, thisArg, c.args)));
    if (isThenable(value)) value = await settle(value, request.callTimeoutMs);
    outcome = value === TIMED_OUT ? { kind: "timed-out" } : { kind: "returned", value };
  } catch (e) {
    outcome = (e as { code?: unknown } | null)?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT" ? { kind: "timed-out" } : { kind: "threw", error: e };
  }
  // A caught exit is still an exit: the real program would have ended there.
  if (hooks.exit.attempted) outcome = { kind: "exited", code: hooks.exit.code };
  rt.active.clear();
  const observation: Observation = { outcome, args: c.args };
  if (thisArg !== undefined && node.construct !== true) observation.thisArg = thisArg;
  const forbidden = outcome.kind === "threw" && isAccessDenied(outcome.error);
  const seen: Seen = { encoded: encodeObservation(observation), outcome: outcome.kind, forbidden, shown: renderOutcome(outcome) };
  if (request.compare !== undefined && outcome.kind === "returned") {
    seen.value = outcome.value;
    seen.rest = encodeObservation({ ...observation, outcome: { kind: "returned", value: "<compared by the equivalence function>" } });
  }
  return seen;
}

/** The constraint's comparison function, from the original's copy of the build. */
async function comparisonFrom(dir: string, request: OracleRequest): Promise<Comparison> {
  const { module, exportName, display } = request.compare!;
  let fn: unknown;
  try {
    fn = ((await import(pathToFileURL(join(dir, module)).href)) as Record<string, unknown>)[exportName];
  } catch (e) {
    throw new Untestable(`the equivalence module ${display} cannot be loaded: ${describeError(e)}`);
  }
  if (typeof fn !== "function") throw new Untestable(`${display} has no function \`${exportName}\` to compare results with (equivalence)`);
  return byFunction(fn as (a: unknown, b: unknown) => unknown, `\`${display}#${exportName}\``, (call) => callWithin(request.callTimeoutMs, call));
}

function renderOutcome(outcome: Observation["outcome"]): string {
  switch (outcome.kind) {
    case "returned":
      return `returned ${renderValue(outcome.value, 160)}`;
    case "threw":
      return `threw ${outcome.error instanceof Error ? `${outcome.error.name}: ${outcome.error.message}` : renderValue(outcome.error, 120)}`;
    case "exited":
      return `called process.exit(${renderValue(outcome.code, 20)})`;
    default:
      return "did not finish in time";
  }
}

/** What Node's permission model throws (ERR_ACCESS_DENIED), possibly wrapped by user code as a cause. */
function isAccessDenied(error: unknown): boolean {
  for (let e = error, depth = 0; e !== null && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "ERR_ACCESS_DENIED") return true;
  }
  return false;
}

/** The registry the build's runtime module installs on first load (shared by every side). */
function runtime(): CdlcRuntime | undefined {
  return (globalThis as Record<string, unknown>)[RUNTIME_GLOBAL] as CdlcRuntime | undefined;
}

const TIMED_OUT = Symbol("timed out");

/** Runs the call from a script with a watchdog, which stops synchronous code that never returns (no need to kill the process). */
const callScript = new Script("globalThis.__cdlc_oracle_call()", { filename: "cdlc-oracle-call" });

function callWithin(ms: number, call: () => unknown): unknown {
  const holder = globalThis as { __cdlc_oracle_call?: () => unknown };
  holder.__cdlc_oracle_call = call;
  try {
    return callScript.runInThisContext({ timeout: ms, breakOnSigint: false });
  } finally {
    delete holder.__cdlc_oracle_call;
  }
}

function settle(value: PromiseLike<unknown>, ms: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(TIMED_OUT), ms);
    value.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    );
  });
}

/**
 * Shrinks a generated input that tells the variant apart, on two fresh sides:
 * fast-check replays the generation from the same seed and shrinks the first
 * input that differs. Each side gets its own copy of every input (a call may
 * change its arguments). Undefined when no fresh sides are left or no
 * generated input differs there (the difference needed the cases before it).
 */
async function shrink(variant: number, found: Difference, request: OracleRequest, hooks: ChildHooks, take: () => string | undefined): Promise<Difference | undefined> {
  const generated = request.generated!;
  const [a, b] = [take(), take()];
  if (a === undefined || b === undefined) return undefined;
  const bare: OracleRequest = { ...request, workload: undefined, generated: undefined, recorded: undefined };
  const [left, right] = [await loadSide(a, bare), await loadSide(b, bare)];
  let last: { shown: string; original: Seen; variant: Seen } | undefined;
  const property = fc.asyncProperty(arbitraryOf(generated.shape), async (input) => {
    const shown = renderArgs(input.args);
    const copies = [structuredClone(input), structuredClone(input)] as const;
    const o = await observe(left.node, asCase(copies[0]), 0, request, hooks);
    const v = await observe(right.node, asCase(copies[1]), variant, request, hooks);
    if (comparison.same(o, v)) return true;
    last = { shown, original: o, variant: v };
    return false;
  });
  const run = await fc.check(property, { seed: generated.seed, numRuns: generated.count, interruptAfterTimeLimit: request.shrinkMs });
  if (!run.failed || last === undefined) return undefined;
  const { shown, original, variant: seen } = last;
  return { ...found, input: shown, original: original.shown, variant: seen.shown, where: comparison.where(original, seen), shrunk: run.numShrinks > 0 };
}

function asCase(input: { args: unknown[]; thisArg?: unknown }): Case {
  return { args: input.args, thisArg: input.thisArg, hasThis: "thisArg" in input, origin: "generated", shown: renderArgs(input.args) };
}

function renderArgs(args: unknown[]): string {
  return renderValue(args, 160);
}

/** Index of the first case whose observations differ. */
function firstDifference(a: Seen[], b: Seen[]): number | undefined {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (x === undefined || y === undefined || !comparison.same(x, y)) return i;
  }
  return undefined;
}

/** `Math.random` replaced by a seeded generator (mulberry32), reset before each side builds and runs its cases. */
function seedRandom(seed: number): void {
  let state = seed >>> 0;
  Math.random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
