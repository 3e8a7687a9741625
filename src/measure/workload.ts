import { pathToFileURL } from "node:url";

/**
 * Loading a workload (spec section 6): the module's export, under the node's
 * simple name or the name given by `workload:`, is a function, possibly
 * async, that returns an array or an iterable (sync or async) of cases; a
 * case is the argument list of one call or `{ args: [...], this: value }`.
 * Runs in the measurement child only: it executes user code.
 */

/** One call's inputs. `hasThis` distinguishes `this: undefined` from no receiver given. */
export interface WorkloadCase {
  args: unknown[];
  thisArg: unknown;
  hasThis: boolean;
}

/** A user mistake in a workload; the run reports it as `workload-error`. */
export class WorkloadError extends Error {
  override readonly name = "WorkloadError";
}

/** Imports the (built) workload module and returns its cases for `exportName`. */
export async function loadWorkload(modulePath: string, exportName: string, displayName = modulePath): Promise<WorkloadCase[]> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  } catch (e) {
    throw new WorkloadError(`cannot load workload module ${displayName}: ${describeError(e)}`);
  }
  if (!(exportName in mod)) {
    const names = Object.keys(mod).filter((k) => k !== "default");
    const known = names.length > 0 ? `it exports ${names.map((n) => `\`${n}\``).join(", ")}` : "it exports nothing";
    throw new WorkloadError(`workload module ${displayName} has no export \`${exportName}\` (${known}); name the export with \`workload:\` in the constraint`);
  }
  const factory = mod[exportName];
  if (typeof factory !== "function") {
    throw new WorkloadError(`workload export \`${exportName}\` of ${displayName} is ${kindOf(factory)}; expected a function that returns the cases`);
  }
  let produced: unknown;
  try {
    produced = await (factory as () => unknown)();
  } catch (e) {
    throw new WorkloadError(`workload \`${exportName}\` threw while producing its cases: ${describeError(e)}`);
  }
  const cases = await collect(produced, exportName);
  if (cases.length === 0) throw new WorkloadError(`workload \`${exportName}\` returned no cases`);
  return cases.map((c, i) => toCase(c, i, exportName));
}

async function collect(produced: unknown, exportName: string): Promise<unknown[]> {
  if (Array.isArray(produced)) return produced;
  if (produced !== null && typeof produced === "object") {
    if (Symbol.iterator in produced) return [...(produced as Iterable<unknown>)];
    if (Symbol.asyncIterator in produced) {
      const out: unknown[] = [];
      for await (const c of produced as AsyncIterable<unknown>) out.push(c);
      return out;
    }
  }
  throw new WorkloadError(`workload \`${exportName}\` returned ${kindOf(produced)}; expected an array or an iterable of cases`);
}

/** Validates one case: an argument list, or `{ args, this }`. */
export function toCase(value: unknown, index: number, exportName: string): WorkloadCase {
  if (Array.isArray(value)) return { args: value, thisArg: undefined, hasThis: false };
  if (value !== null && typeof value === "object" && "args" in value) {
    const args = (value as { args: unknown }).args;
    if (!Array.isArray(args)) {
      throw new WorkloadError(`case ${index + 1} of workload \`${exportName}\`: \`args\` is ${kindOf(args)}; expected an array of arguments`);
    }
    const hasThis = "this" in value;
    return { args, thisArg: hasThis ? (value as { this: unknown }).this : undefined, hasThis };
  }
  const kind = value !== null && typeof value === "object" ? "an object without `args`" : kindOf(value);
  throw new WorkloadError(`case ${index + 1} of workload \`${exportName}\` is ${kind}; a case is an argument list (\`[a, b]\`) or \`{ args: [a, b], this: receiver }\``);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/** A one-line description of a thrown value. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
