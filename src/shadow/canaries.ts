import { InternalError } from "../diagnostics/errors.js";
import { locateFunction, parseSource } from "../mutate/source.js";
import type { Edit, MutationTarget } from "../mutate/types.js";
import { DROPPED_CALL_LAST_RESORT, droppedCallSites, noDroppedCallSite, onlyNormalizingCalls } from "./canary-calls.js";
import { flippedComparisonSites, noFlipSite, noOffByOneSite, offByOneSites } from "./canary-conditions.js";
import type { FinderContext, Site } from "./canary-sites.js";
import { droppedStatementSites, noDropSite, noSwapSite, swappedArgumentSites } from "./canary-statements.js";
import type { CanaryKind } from "./types.js";

/**
 * Canaries: variants of a node known to be wrong, each made from the
 * original by one small mutation. The oracle must reject every one; a
 * canary it accepts shows its tests are too weak for the node, and then no
 * variant of the node is accepted. Sites are chosen where the change is
 * likely to show (the node's own conditions and effects before those of
 * its callbacks), since a canary that happens to be equivalent would make
 * the oracle look weak for nothing.
 */

/** The kinds are declared with the oracle's types (./types.ts), which count what each canary did. */
export type { CanaryKind };

export interface Canary {
  kind: CanaryKind;
  /** e.g. "`a < b` → `a >= b` (line 4)" */
  summary: string;
  /** The whole file with the canary in place (same shape as Variant.source). */
  source: string;
  /** The node's new text. */
  nodeText: string;
}

export interface CanaryResult {
  canaries: Canary[];
  /** The kinds that have no canary, and why. */
  missing: { kind: CanaryKind; reason: string }[];
}

interface KindFinder {
  kind: CanaryKind;
  sites(ctx: FinderContext): Site[];
  none(name: string): string;
  /**
   * Sites from this tier on seldom show: they are used only when the kind
   * has no other site and the kinds before it made no canary; `reason`
   * says why a node with only such sites got none.
   */
  lastResort?: { fromTier: number; reason(name: string): string };
}

/** The kinds, in the order their canaries are listed (a kind with a last resort sees the canaries of those before it). */
const FINDERS: readonly KindFinder[] = [
  { kind: "flipped-comparison", sites: flippedComparisonSites, none: noFlipSite },
  { kind: "off-by-one", sites: offByOneSites, none: noOffByOneSite },
  { kind: "dropped-statement", sites: droppedStatementSites, none: noDropSite },
  { kind: "swapped-arguments", sites: swappedArgumentSites, none: noSwapSite },
  { kind: "dropped-call", sites: droppedCallSites, none: noDroppedCallSite, lastResort: { fromTier: DROPPED_CALL_LAST_RESORT, reason: onlyNormalizingCalls } },
];

/** Preferred first: lower tier, then the node's own code before its callbacks, then source order. */
const bySiteRank = (a: Site, b: Site): number => a.tier - b.tier || Number(a.nested) - Number(b.nested) || a.start - b.start;

/** A kind's sites, best first; its last-resort sites only when it has no other and no earlier kind made a canary. */
function sitesToTry(finder: KindFinder, found: readonly Site[], othersMade: boolean): readonly Site[] {
  const { lastResort } = finder;
  if (lastResort === undefined) return found;
  const strong = found.filter((s) => s.tier < lastResort.fromTier);
  return strong.length > 0 ? strong : othersMade ? [] : found;
}

/** Up to `perKind` (default 2) canaries of each kind, deterministic order; kinds with no site are absent. */
export function makeCanaries(target: MutationTarget, options: { perKind?: number } = {}): CanaryResult {
  const perKind = options.perKind ?? 2;
  if (!Number.isInteger(perKind) || perKind < 1) throw new InternalError(`makeCanaries: perKind must be a positive integer, got ${perKind}`);
  const refuse = (reason: string): CanaryResult => ({ canaries: [], missing: FINDERS.map(({ kind }) => ({ kind, reason })) });
  let ast;
  try {
    ast = parseSource(target.file, target.source);
  } catch (e) {
    return refuse(`cannot make canaries of ${target.node}: the file does not parse: ${(e as Error).message}`);
  }
  const fn = locateFunction(ast, target.qualifiedName);
  if ("reason" in fn) return refuse(`cannot make canaries of ${target.node}: ${fn.reason}`);
  const ctx: FinderContext = { fn, source: target.source };
  const span = { start: fn.node.start!, end: fn.node.end! };
  const original = target.source.slice(span.start, span.end);

  const result: CanaryResult = { canaries: [], missing: [] };
  for (const finder of FINDERS) {
    const found = finder.sites(ctx).sort(bySiteRank);
    const sites = sitesToTry(finder, found, result.canaries.length > 0);
    const made: Canary[] = [];
    const broken: string[] = [];
    for (const site of sites) {
      if (made.length >= perKind) break;
      const applied = applyEdits(target.file, target.source, site.edits, span);
      if ("reason" in applied) broken.push(`${site.summary}: ${applied.reason}`);
      else if (applied.nodeText !== original && !made.some((c) => c.nodeText === applied.nodeText)) made.push({ kind: finder.kind, summary: site.summary, ...applied });
    }
    result.canaries.push(...made);
    if (made.length > 0) continue;
    const reason =
      broken.length > 0
        ? `cdlc bug: every ${finder.kind} canary of \`${target.qualifiedName}\` was dropped (${broken.join("; ")})`
        : sites.length === 0 && found.length > 0 && finder.lastResort !== undefined
          ? finder.lastResort.reason(target.qualifiedName)
          : finder.none(target.qualifiedName);
    result.missing.push({ kind: finder.kind, reason });
  }
  return result;
}

/**
 * The file with edits applied; they must lie inside the node and the result
 * must parse. (The engine's own helper for this is not exported; this one
 * follows it.)
 */
function applyEdits(file: string, source: string, edits: readonly Edit[], span: { start: number; end: number }): { source: string; nodeText: string } | { reason: string } {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let text = "";
  let at = span.start;
  for (const e of sorted) {
    if (e.start < at || e.end > span.end || e.end < e.start) return { reason: `an edit outside the node or overlapping another (${e.start}–${e.end})` };
    text += source.slice(at, e.start) + e.text;
    at = e.end;
  }
  const nodeText = text + source.slice(at, span.end);
  const whole = source.slice(0, span.start) + nodeText + source.slice(span.end);
  try {
    parseSource(file, whole);
  } catch (e) {
    return { reason: `the canary does not parse (${(e as Error).message})` };
  }
  return { source: whole, nodeText };
}
