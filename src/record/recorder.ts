import { threadId } from "node:worker_threads";
import { join } from "node:path";
import { ArgumentSample } from "./arg-sample.js";
import type { RecordPlan } from "./plan.js";
import { RECORDING_VERSION, writeRecording, type NodeRecord, type Recording } from "./recording.js";
import { TimeHistogram } from "./time-histogram.js";
import { volumeOf } from "./volume.js";

/**
 * The recorder inside the user's process: instrumented bodies call
 * `e(node)` on entry, `x(node)` when they throw, `l(node, token)` on leaving.
 *
 * Every call and every error is counted. Time costs two clock reads (about
 * 70 ns each on a small virtual machine), which would more than double the
 * time of a fast function; so, after timing a node's first 64 calls to learn
 * how long a call takes, the recorder times a random share of its calls,
 * each independently (Bernoulli sampling), chosen so that timing adds about
 * 2% to the node's own time, and never fewer than 1 call in 64. The share is
 * reviewed as the code warms up and only ever lowered; what was kept before
 * is thinned to the new share, so the kept times stay a uniform sample of
 * all the calls, warm-up included. The share is written with them. Times
 * are as read, the clock's cost included (`clockNs` bounds it).
 *
 * Flow edges (`flow a -> b`): a call of `b` counts for the edge while a call
 * of `a` is running (from its entry until its body completes, for async
 * callers until they settle), as `cdlc check --measure` counts them.
 */

/** Calls timed before choosing a node's share. */
const PROBE_CALLS = 64;
/** The share is reviewed after this many timed calls, then after 4×, 16×, … as many (the code warms up for longer than the probe). */
const FIRST_REVIEW = 256;
const RECENT = 64;
/** Share of a node's own time that timing may add. */
const TIMING_BUDGET = 0.02;
const MIN_SHARE = 1 / 64;
const FLUSH_EVERY_MS = 1_000;
/** The recorder's two slow paths, by their place in its `paths` (see offPath). */
const ENTER = 0;
const LEAVE = 1;

/**
 * A node's state off the hot path. (What every call touches — its count,
 * the calls until the next timed one, whether the node needs more than
 * that — lives in typed arrays indexed by node: their layout never changes,
 * so the code V8 compiles for an instrumented function stays as it was
 * compiled. Object fields that change from small integers to fractions, or
 * are first written after the probe, deprecated the object's layout midway
 * and made the same program 1.7× slower in some runs and not in others.)
 */
interface NodeState {
  index: number;
  errors: number;
  /** The latest timed calls' times (a ring), and when the share is next reviewed (a count of timed calls). */
  recent: number[];
  timed: number;
  review: number;
  /** The calls timed before the share is chosen (with their edge hits), or null after. */
  probe: ProbeCall[] | null;
  time: TimeHistogram;
  /** Running calls, for nodes that are the caller of a flow. */
  depth: number;
  isCaller: boolean;
  /** Edges out of this node (when it is a flow's caller), and their call counts when its outermost running call began. */
  out: EdgeState[];
  outAtEntry: number[];
  /** Edges into this node. */
  into: EdgeState[] | null;
  args: ArgumentSample | null;
}

interface EdgeState {
  from: NodeState;
  calls: number;
  /** Calls of the edge made during each outermost call of the caller (recursion and overlapping async calls count once). */
  perCallerCall: TimeHistogram;
  volume: TimeHistogram;
  latency: TimeHistogram;
}

interface ProbeCall {
  ns: number;
  hits: EdgeState[] | null;
  bytes: number;
}

/**
 * The token `e` returns for a call in flight: -1 untimed, a start time (ms)
 * for a timed call, or a frame for a call of the probe or of an edge's callee.
 */
type Token = number | Frame;

interface Frame {
  start: number;
  hits: EdgeState[] | null;
  bytes: number;
  /** Started during the node's probe. */
  probe: boolean;
}

export interface RecorderApi {
  e(node: number, args?: ArrayLike<unknown> | null, receiver?: unknown): Token;
  x(node: number): void;
  l(node: number, token: Token): void;
  /** An async call returned a promise: the call ends when it settles (a rejection is an error). Returns the promise itself. */
  a(node: number, token: Token, promise: Promise<unknown>): Promise<unknown>;
  /** Writes this process's records now (also done every second and at exit). */
  flush(): void;
  /** Notes what instrumenting a loaded file did (which nodes, and why others could not be). */
  noteFile(outcome: { instrumented: number[]; skipped: { index: number; reason: string }[] }): void;
  /** Problems the recorder met (never thrown into user code). */
  problems: string[];
}

export function createRecorder(plan: RecordPlan, options: { now?: () => number; random?: () => number; clockNs?: number } = {}): RecorderApi {
  const now = options.now ?? performance.now.bind(performance);
  // Captured now: the program may replace `then` later.
  const then = Promise.prototype.then;
  const random = options.random ?? Math.random;
  const clockNs = options.clockNs ?? clockCost(now);
  const startedAt = new Date().toISOString();
  const count = plan.nodes.length;
  /** Per node: calls; calls until the next timed one (1: the next is); 1 when a call needs nothing but these two (no probe, flow or argument sample). */
  const calls = new Float64Array(count);
  const skip = new Int32Array(count).fill(1);
  const plain = new Uint8Array(count);
  /** Per node: the Bernoulli share of calls timed (1 during the probe), and 1 / ln(1 − share), for drawing gaps with one logarithm. */
  const shares = new Float64Array(count).fill(1);
  const gapScales = new Float64Array(count);
  const nodes: NodeState[] = plan.nodes.map((_, index) => ({
    index,
    errors: 0,
    recent: [],
    timed: 0,
    review: FIRST_REVIEW,
    probe: [],
    time: new TimeHistogram(),
    depth: 0,
    isCaller: false,
    out: [],
    outAtEntry: [],
    into: null,
    args: plan.captureArgs === undefined ? null : new ArgumentSample(plan.captureArgs.maxCount, plan.captureArgs.maxBytes, 1 + Math.floor(random() * 0xffff_fffe)),
  }));
  const edges = plan.edges.map((e) => {
    const state: EdgeState = { from: nodes[e.from]!, calls: 0, perCallerCall: new TimeHistogram(), volume: new TimeHistogram(), latency: new TimeHistogram() };
    nodes[e.from]!.isCaller = true;
    nodes[e.from]!.out.push(state);
    (nodes[e.to]!.into ??= []).push(state);
    return { key: `${plan.nodes[e.from]!.id} -> ${plan.nodes[e.to]!.id}`, to: nodes[e.to]!, state };
  });
  let dirty = false;
  const instrumented = new Set<string>();
  const skipped = new Map<string, string>();

  /** Draws the gap to the next timed call: geometric with the node's share. */
  const nextGap = (s: NodeState): number => (shares[s.index]! >= 1 ? 1 : 1 + Math.floor(Math.log(1 - random()) * gapScales[s.index]!));

  /** The share that keeps timing near TIMING_BUDGET of a call of `typicalNs` (a timed call costs two clock reads and a little bookkeeping). */
  const shareFor = (typicalNs: number): number => Math.min(1, Math.max(MIN_SHARE, (TIMING_BUDGET * typicalNs) / (2 * clockNs + 40)));

  const setShare = (s: NodeState, share: number): void => {
    shares[s.index] = share;
    gapScales[s.index] = share < 1 ? 1 / Math.log(1 - share) : 0;
  };

  /** After the probe: picks the share, and keeps each probe time with that same chance. */
  const endProbe = (s: NodeState): void => {
    const probe = s.probe!;
    s.probe = null;
    // The median of the probe's later half: its first calls run cold (compiling, filling caches) and would make the node look slow.
    setShare(s, shareFor(median(probe.slice(probe.length >> 1).map((p) => p.ns))));
    for (const p of probe) if (shares[s.index]! >= 1 || random() < shares[s.index]!) keep(s, p);
    skip[s.index] = nextGap(s);
    plain[s.index] = s.isCaller || s.into !== null || s.args !== null ? 0 : 1;
  };

  /**
   * Later, warm: a node that got faster gets a smaller share. What was kept
   * so far is thinned to the new share (each kept time stays with chance
   * new / old), so all the kept times remain one uniform sample of the calls.
   */
  const reviewShare = (s: NodeState): void => {
    s.review *= 4;
    const share = shareFor(median(s.recent));
    if (share >= shares[s.index]! * 0.8) return;
    const keepShare = share / shares[s.index]!;
    s.time.thin(keepShare, random);
    for (const e of s.into ?? []) {
      e.latency.thin(keepShare, random);
      e.volume.thin(keepShare, random);
    }
    setShare(s, share);
    skip[s.index] = nextGap(s);
  };

  const keep = (s: NodeState, call: ProbeCall): void => {
    s.time.record(call.ns);
    s.recent[s.timed++ % RECENT] = call.ns;
    if (s.timed >= s.review && s.probe === null) reviewShare(s);
    if (call.hits === null) return;
    for (const h of call.hits) {
      h.latency.record(call.ns);
      if (call.bytes >= 0) h.volume.record(call.bytes);
    }
  };

  /** A call that is timed, in the node's probe, in a flow, or sampled for its arguments. */
  const enter = (i: number, args: ArrayLike<unknown> | null | undefined, receiver: unknown): Token => {
    const s = nodes[i]!;
    if (s.isCaller && s.depth++ === 0) for (let k = 0; k < s.out.length; k++) s.outAtEntry[k] = s.out[k]!.calls;
    let hits: EdgeState[] | null = null;
    if (s.into !== null) {
      for (const edge of s.into) {
        if (edge.from.depth > 0) {
          edge.calls++;
          (hits ??= []).push(edge);
        }
      }
    }
    if (s.args !== null && args != null) s.args.offer(args, receiver);
    const probe = s.probe !== null;
    if (!probe) {
      if (plain[i] === 0 && --skip[i]! > 0) return -1;
      // The next gap is drawn now, so calls that start before this one ends (recursion, overlapping async calls) keep the share.
      skip[i] = nextGap(s);
      if (hits === null) return now();
    }
    // Sized before the clock starts, so that sizing is not callee time.
    const bytes = hits !== null && args != null ? volumeOf(args) : -1;
    return { start: now(), hits, bytes, probe };
  };

  const leave = (i: number, token: Token): void => {
    const end = token === -1 ? 0 : now();
    const s = nodes[i]!;
    if (s.isCaller && --s.depth === 0) for (let k = 0; k < s.out.length; k++) s.out[k]!.perCallerCall.record(s.out[k]!.calls - s.outAtEntry[k]!);
    if (token === -1) return;
    if (typeof token === "number") {
      keep(s, { ns: (end - token) * 1e6, hits: null, bytes: -1 });
      return;
    }
    const call: ProbeCall = { ns: (end - token.start) * 1e6, hits: token.hits, bytes: token.bytes };
    if (!token.probe) keep(s, call);
    else if (s.probe !== null) {
      s.probe.push(call);
      if (s.probe.length >= PROBE_CALLS) endProbe(s);
    }
    // Started in the probe, ended after it: thinned like the probe's other calls.
    else if (shares[i]! >= 1 || random() < shares[i]!) keep(s, call);
  };

  /**
   * Calls enter or leave. This one call site sees both, so V8's feedback for
   * it is megamorphic from a node's first call on, and V8 never inlines the
   * slow path into the instrumented function: the function stays small enough
   * to be inlined into its own callers, as it was before it was instrumented.
   * (A loop of 640 multiplications ran 1.7× slower when it was not.)
   */
  const paths: ((i: number, a: unknown, b: unknown) => unknown)[] = [enter as (i: number, a: unknown, b: unknown) => unknown, leave as (i: number, a: unknown, b: unknown) => unknown];
  const offPath = (path: number, i: number, a: unknown, b?: unknown): unknown => paths[path]!(i, a, b);

  const api: RecorderApi = {
    problems: [],
    noteFile(outcome) {
      for (const i of outcome.instrumented) instrumented.add(plan.nodes[i]!.id);
      for (const s of outcome.skipped) skipped.set(plan.nodes[s.index]!.id, s.reason);
      dirty = true;
    },
    // The hot path: small enough for V8 to inline into the instrumented function; the rest is in enter and leave.
    e(i, args, receiver) {
      calls[i] = calls[i]! + 1;
      dirty = true;
      if (plain[i] === 1 && --skip[i]! > 0) return -1;
      return offPath(ENTER, i, args, receiver) as Token;
    },
    x(i) {
      nodes[i]!.errors++;
    },
    a(i, token, promise) {
      then.call(
        promise,
        () => api.l(i, token),
        () => {
          api.x(i);
          api.l(i, token);
        },
      );
      return promise;
    },
    l(i, token) {
      if (token === -1 && plain[i] === 1) return;
      offPath(LEAVE, i, token);
    },
    flush() {
      if (!dirty) return;
      try {
        writeRecording(join(plan.outDir, `${process.pid}-${threadId}.json`), snapshot());
        dirty = false;
      } catch (e) {
        const message = `could not write the records of process ${process.pid}: ${(e as Error).message}`;
        if (!api.problems.includes(message)) api.problems.push(message);
      }
    },
  };

  const snapshot = (): Recording => {
    // Nodes still in their probe: every call so far was timed (share 1); fold the probe into copies.
    const folded = new Map<NodeState, { time: TimeHistogram; edges: Map<EdgeState, { volume: TimeHistogram; latency: TimeHistogram }> }>();
    for (const s of nodes) {
      if (s.probe === null || s.probe.length === 0) continue;
      const time = s.time.copy();
      const edgeCopies = new Map((s.into ?? []).map((e) => [e, { volume: e.volume.copy(), latency: e.latency.copy() }]));
      for (const p of s.probe) {
        time.record(p.ns);
        for (const h of p.hits ?? []) {
          edgeCopies.get(h)!.latency.record(p.ns);
          if (p.bytes >= 0) edgeCopies.get(h)!.volume.record(p.bytes);
        }
      }
      folded.set(s, { time, edges: edgeCopies });
    }
    const out: Recording = {
      version: RECORDING_VERSION,
      tool: { name: "cdlc", version: "" },
      startedAt,
      endedAt: new Date().toISOString(),
      command: [],
      exitCode: null,
      processes: 1,
      nodes: {},
      edges: {},
      notes: { instrumented: [...instrumented].sort(), skipped: [...skipped].map(([node, reason]) => ({ node, reason })), problems: [...api.problems] },
    };
    nodes.forEach((s, i) => {
      if (calls[i] === 0) return;
      const record: NodeRecord = { calls: calls[i]!, errors: s.errors, timeNs: (folded.get(s)?.time ?? s.time).toJSON(), timedShare: s.probe === null ? shares[i]! : 1, clockNs };
      if (s.args !== null) record.args = s.args.toRecord();
      out.nodes[plan.nodes[i]!.id] = record;
    });
    for (const e of edges) {
      // An edge never called still has its callers' zeros.
      if (e.state.calls === 0 && e.state.perCallerCall.count === 0) continue;
      const copy = folded.get(e.to)?.edges.get(e.state);
      out.edges[e.key] = {
        calls: e.state.calls,
        callsPerCallerCall: e.state.perCallerCall.toJSON(),
        volumeBytes: (copy?.volume ?? e.state.volume).toJSON(),
        latencyNs: (copy?.latency ?? e.state.latency).toJSON(),
        sampledShare: e.to.probe === null ? shares[e.to.index]! : 1,
      };
    }
    return out;
  };

  return api;
}

/**
 * What the clock adds to a timed interval, ns, at most: the median of
 * back-to-back reads at start-up, while they are still slow. Times are
 * kept as measured, clock included (so they never look faster than they
 * were); `check --recording` allows this much when it shows a time above a
 * limit, and the share of calls timed is sized with it.
 */
function clockCost(now: () => number): number {
  const gaps: number[] = [];
  for (let i = 0; i < 1_000; i++) {
    const a = now();
    gaps.push((now() - a) * 1e6);
  }
  return median(gaps);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? 0;
}

export { FLUSH_EVERY_MS };
