import { describeDifference, type Encoded } from "./encode.js";

/**
 * How the oracle compares what two sides observed of one case. By default,
 * the encodings of everything observable must be equal. When the constraint
 * names a comparison function (`equivalence: "module#function"`), a result
 * returned on both sides is equal when the function says so (called with the
 * original's result, then the variant's, under the call watchdog), and the
 * rest of the observation — arguments and receiver after the call, what a
 * throw carried — is still compared by encoding.
 */

export interface Compared {
  encoded: Encoded;
  outcome: string;
  /** The returned value, kept when a comparison function will look at it. */
  value?: unknown;
  /** The encoding without the returned value (compared when a function compares the results). */
  rest?: Encoded;
}

export interface Comparison {
  same(o: Compared, v: Compared): boolean;
  /** Where two observations that are not the same differ, in words. */
  where(o: Compared, v: Compared): string;
}

export const BY_ENCODING: Comparison = {
  same: (o, v) => o.encoded.text === v.encoded.text,
  where: (o, v) => describeDifference(o.encoded, v.encoded) ?? "the observations differ",
};

/** A comparison whose results are judged by the user's function; `run` calls it under the watchdog. */
export function byFunction(fn: (a: unknown, b: unknown) => unknown, display: string, run: (call: () => unknown) => unknown): Comparison {
  const verdict = (o: Compared, v: Compared): { equal: boolean; why?: string } => {
    if (o.outcome !== "returned" || v.outcome !== "returned" || o.rest === undefined || v.rest === undefined) return { equal: BY_ENCODING.same(o, v) };
    if (o.rest.text !== v.rest.text) return { equal: false };
    try {
      return run(() => fn(o.value, v.value)) === true ? { equal: true } : { equal: false, why: `the equivalence function ${display} did not return true for the two results` };
    } catch (e) {
      return { equal: false, why: `the equivalence function ${display} threw on the two results: ${e instanceof Error ? e.message : String(e)}` };
    }
  };
  return {
    same: (o, v) => verdict(o, v).equal,
    where: (o, v) => verdict(o, v).why ?? describeDifference(o.rest ?? o.encoded, v.rest ?? v.encoded) ?? BY_ENCODING.where(o, v),
  };
}
