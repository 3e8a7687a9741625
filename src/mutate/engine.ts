import { mutationOperators, type MutationOperator } from "../cdl/properties.js";
import { createOperatorContext } from "./context.js";
import { unifiedDiff } from "./diff.js";
import { operators as allOperators } from "./operators/index.js";
import { locateFunction, parseSource } from "./source.js";
import { accessorNames, READ_COUNT_CHANGING, readOfAccessor } from "./accessors.js";
import type { Edit, MutationTarget, NotApplied, Operator, Rewrite, TargetVariants, Variant } from "./types.js";

/**
 * Placing variants: runs each operator the constraint allows on the node,
 * applies its edits to the file's text, and checks what an operator must
 * never break — the edits stay inside the node, the file still parses.
 * With `depth` 2, each variant is rewritten again by the other operators
 * (chains, with lineage). Identical files are one variant.
 */

export interface VariantOptions {
  /** Operators applied in a chain at most (default 2). */
  depth?: number;
  /** Variants per node at most (default 50); the first found are kept. */
  limit?: number;
  /** The operators to use (default: all eleven). */
  operators?: readonly Operator[];
}

/** Operators the constraint allows: `all` leaves out those tried only when listed by name. */
export function allowedOperators(mutations: MutationTarget["mutations"], available: readonly Operator[] = allOperators): Operator[] {
  if (mutations === "none") return [];
  const order = (o: Operator) => mutationOperators.indexOf(o.id);
  const chosen = mutations === "all" ? available.filter((o) => !o.byNameOnly) : available.filter((o) => mutations.includes(o.id));
  return [...chosen].sort((a, b) => order(a) - order(b));
}

/** Every variant of the node that the allowed operators make, and why the others made none. */
export function generateVariants(target: MutationTarget, options: VariantOptions = {}): TargetVariants & { unavailable?: string } {
  const ops = allowedOperators(target.mutations, options.operators);
  const out: TargetVariants & { unavailable?: string } = { node: target.node, variants: [], notApplied: [] };
  const limit = options.limit ?? 50;
  const seen = new Set<string>([target.source]);

  const first = applyAll(target, target.source, ops);
  if ("unavailable" in first) return { ...out, unavailable: first.unavailable };
  out.notApplied = [...first.notApplied, ...notYetAvailable(target.mutations, options.operators ?? allOperators)];
  const add = (made: Made, parent: Variant | undefined): Variant | undefined => {
    if (seen.has(made.source) || out.variants.length >= limit) return undefined;
    seen.add(made.source);
    const operators = [...(parent?.operators ?? []), made.operator.id];
    const variant: Variant = {
      id: out.variants.length + 1,
      parent: parent?.id ?? null,
      operators,
      risk: Math.max(parent?.risk ?? 0, made.risk),
      summary: [...(parent?.summary ?? []), made.summary],
      source: made.source,
      nodeText: made.nodeText,
      diff: unifiedDiff(target.file, target.source, made.source),
    };
    out.variants.push(variant);
    return variant;
  };
  let frontier = first.made.map((m) => add(m, undefined)).filter((v): v is Variant => v !== undefined);
  for (let level = 2; level <= (options.depth ?? 2) && frontier.length > 0; level++) {
    const next: Variant[] = [];
    for (const parent of frontier) {
      const others = ops.filter((o) => !parent.operators.includes(o.id));
      const derived = applyAll(target, parent.source, others);
      if ("unavailable" in derived) continue;
      for (const m of derived.made) {
        const v = add(m, parent);
        if (v !== undefined) next.push(v);
      }
    }
    frontier = next;
  }
  return out;
}

/** Operators the constraint allows that this version of cdlc does not have yet. */
function notYetAvailable(mutations: MutationTarget["mutations"], available: readonly Operator[]): NotApplied[] {
  if (mutations === "none") return [];
  // `all` never includes memoize, the one operator applied only when listed by name (spec section 7).
  const wanted = mutations === "all" ? mutationOperators.filter((id) => id !== "memoize") : mutations;
  return wanted.filter((id) => !available.some((o) => o.id === id)).map((operator) => ({ operator, reason: "not available in this version of cdlc yet" }));
}

interface Made {
  operator: Operator;
  risk: number;
  summary: string;
  source: string;
  nodeText: string;
}

/** Applies each operator once to the node in `source`. */
function applyAll(target: MutationTarget, source: string, ops: readonly Operator[]): { made: Made[]; notApplied: NotApplied[] } | { unavailable: string } {
  let ast;
  try {
    ast = parseSource(target.file, source);
  } catch (e) {
    return { unavailable: `the file does not parse: ${(e as Error).message}` };
  }
  const fn = locateFunction(ast, target.qualifiedName);
  if ("reason" in fn) return { unavailable: `cannot rewrite ${target.node}: ${fn.reason}` };
  const span = { start: fn.node.start!, end: fn.node.end! };
  const made: Made[] = [];
  const notApplied: NotApplied[] = [];
  const getterRead = readOfAccessor(fn.node, accessorNames(ast));
  for (const operator of ops) {
    if (getterRead !== undefined && READ_COUNT_CHANGING.has(operator.id)) {
      notApplied.push({ operator: operator.id, reason: `the node reads \`${getterRead.name}\`${getterRead.line !== undefined ? ` (line ${getterRead.line})` : ""}, a name this file declares as a getter or setter: this rewrite would change how often it runs` });
      continue;
    }
    const result = operator.apply(createOperatorContext(fn, source, target.algorithm, target.file));
    if ("reason" in result) {
      notApplied.push({ operator: operator.id, reason: result.reason });
      continue;
    }
    for (const rewrite of withCombined(result.rewrites, operator.risk)) {
      const applied = applyEdits(target.file, source, rewrite.edits, span, operator.id);
      if ("reason" in applied) notApplied.push({ operator: operator.id, reason: applied.reason });
      else made.push({ operator, risk: rewrite.risk ?? operator.risk, summary: rewrite.summary, ...applied });
    }
  }
  return { made, notApplied };
}

/** The rewrites of one operator, plus one that makes all of them at once when there are several and none overlap. */
function withCombined(rewrites: readonly Rewrite[], operatorRisk: number): Rewrite[] {
  if (rewrites.length < 2) return [...rewrites];
  const edits = rewrites.flatMap((r) => r.edits).sort((a, b) => a.start - b.start);
  if (edits.some((e, i) => i > 0 && e.start < edits[i - 1]!.end)) return [...rewrites];
  return [...rewrites, { edits, summary: rewrites.map((r) => r.summary).join("; "), risk: Math.max(...rewrites.map((r) => r.risk ?? operatorRisk)) }];
}

/** Applies edits that must lie inside the node's span; the result must parse. */
function applyEdits(file: string, source: string, edits: readonly Edit[], span: { start: number; end: number }, operator: MutationOperator): { source: string; nodeText: string } | { reason: string } {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let text = "";
  let at = 0;
  let delta = 0;
  for (const e of sorted) {
    if (e.start < span.start || e.end > span.end || e.start < at || e.end < e.start) {
      return { reason: `cdlc bug: ${operator} made an edit outside the node or overlapping another (${e.start}–${e.end}); the rewrite was dropped` };
    }
    text += source.slice(at, e.start) + e.text;
    delta += e.text.length - (e.end - e.start);
    at = e.end;
  }
  text += source.slice(at);
  try {
    parseSource(file, text);
  } catch (e) {
    return { reason: `cdlc bug: ${operator} produced code that does not parse (${(e as Error).message}); the rewrite was dropped` };
  }
  return { source: text, nodeText: text.slice(span.start, span.end + delta) };
}
