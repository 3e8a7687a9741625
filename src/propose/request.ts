import type { IrConstraint } from "../cdl/compile.js";
import { decodeCase, type EncodedCase } from "../measure/case-encoding.js";
import { caseText, type CaseText } from "../measure/case-preview.js";
import type { BoundResult } from "../measure/types.js";
import type { MutationTarget } from "../mutate/types.js";
import { boundLabel } from "../report/format.js";
import { positionOf } from "../util/text-position.js";
import { PROTOCOL_VERSION, type ProposerFigure, type ProposerRequest, type ShownCase, type TriedVariant } from "./protocol.js";

/**
 * The request for one node (protocol.ts): the node's text and signature,
 * its file, its constraint, the figure measured before, a few cases, and
 * what was tried. Built from what the run already knows: no user code runs
 * here, so workload cases come as the measurement child showed them, and
 * recorded ones (`--recording`) are decoded from their structured-clone
 * bytes.
 */

/** At most this many cases are shown. */
export const CASES_SHOWN = 5;

export interface RequestInput {
  target: MutationTarget;
  span: { start: number; end: number; bodyStart: number };
  constraints: readonly IrConstraint[];
  violated: readonly string[];
  before?: ProposerFigure;
  recorded?: readonly EncodedCase[];
  /** The workload's cases as the measurement child showed them (`previewCases`): how many, and the first few. */
  workload?: { total: number; shown: readonly CaseText[] };
  tried: readonly TriedVariant[];
  round: number;
  limits: ProposerRequest["limits"];
}

export function buildRequest(input: RequestInput): ProposerRequest {
  const { target, span } = input;
  const nodeText = target.source.slice(span.start, span.end);
  const recorded = input.recorded ?? [];
  return {
    protocol: PROTOCOL_VERSION,
    round: input.round,
    node: {
      id: target.node,
      file: target.file,
      qualifiedName: target.qualifiedName,
      source: nodeText,
      start: positionOf(target.source, span.start),
      end: positionOf(target.source, span.end),
      // Up to the body: for an arrow with an expression body, up to and with its `=>`.
      signature: target.source.slice(span.start, span.bodyStart).trim(),
    },
    file: { path: target.file, text: target.source },
    constraint: {
      bounds: input.constraints.flatMap((c) => c.bounds.map((b) => boundLabel({ metric: b.metric as BoundResult["metric"], op: b.op as BoundResult["op"], limit: b.value, unit: b.unit as BoundResult["unit"], ...(b.percentile !== undefined ? { percentile: b.percentile } : {}) }))),
      violated: [...input.violated],
      mutations: target.mutations === "all" || target.mutations === "none" ? target.mutations : [...target.mutations],
      algorithm: [...target.algorithm],
    },
    ...(input.before !== undefined ? { before: input.before } : {}),
    // The workload's first, then recorded ones.
    cases: { total: (input.workload?.total ?? 0) + recorded.length, shown: [...(input.workload?.shown ?? []), ...recorded.slice(0, CASES_SHOWN).map(showCase)].slice(0, CASES_SHOWN) },
    tried: [...input.tried],
    limits: input.limits,
  };
}

/** A recorded argument list as text (see case-preview.ts). */
function showCase(encoded: EncodedCase): ShownCase {
  try {
    return caseText(decodeCase(encoded).args);
  } catch (e) {
    return { args: `(cannot be shown: ${(e as Error).message})`, truncated: false };
  }
}
