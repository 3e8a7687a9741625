import { unifiedDiff } from "../mutate/diff.js";
import { generateVariants } from "../mutate/engine.js";
import { locateFunction, parseSource } from "../mutate/source.js";
import type { MutationTarget, Variant } from "../mutate/types.js";
import type { ProposedCandidate } from "./protocol.js";

/**
 * A proposer's candidate as a variant of its node. Static checks first,
 * before any process runs: the candidate must parse as the node's function,
 * and replace only the node — the rest of the file is kept byte for byte,
 * and the node found in the new file must be exactly the candidate's text.
 * What passes is judged from here on as an operator's variant is (the
 * oracle type-checks it with the program, then tests it).
 */

/** A proposal's correctness rests on testing alone, as the riskiest of the operators' forms that testing confirms do. */
export const PROPOSAL_RISK = 0.5;

/** Where the node's text is in its file (the span `locateFunction` gives, as the mutation engine uses), and where its body starts. */
export function nodeSpan(target: Pick<MutationTarget, "file" | "source" | "qualifiedName">): { start: number; end: number; bodyStart: number } | { reason: string } {
  let ast;
  try {
    ast = parseSource(target.file, target.source);
  } catch (e) {
    return { reason: `the file does not parse: ${(e as Error).message}` };
  }
  const fn = locateFunction(ast, target.qualifiedName);
  if ("reason" in fn) return fn;
  return { start: fn.node.start!, end: fn.node.end!, bodyStart: fn.node.body.start! };
}

export interface ProposalOrigin {
  /** The proposer's command, as given to --proposer. */
  proposer: string;
  name?: string;
  rationale?: string;
}

/** The variant a candidate makes, or why it cannot be one (archived as `does-not-compile`). `span`: the node's, from {@link nodeSpan}. */
export function candidateVariant(target: MutationTarget, span: { start: number; end: number }, candidate: ProposedCandidate, id: number, origin: ProposalOrigin): { variant: Variant } | { reason: string } {
  const nodeText = withoutRepeatedExport(candidate.source.trim(), target.source.slice(0, span.start));
  if (nodeText === target.source.slice(span.start, span.end)) return { reason: "the candidate is the node's text unchanged" };
  const source = target.source.slice(0, span.start) + nodeText + target.source.slice(span.end);
  let ast;
  try {
    ast = parseSource(target.file, source);
  } catch (e) {
    return { reason: `the file does not parse with the candidate in place: ${(e as Error).message}` };
  }
  const fn = locateFunction(ast, target.qualifiedName);
  if ("reason" in fn) return { reason: `with the candidate in place, ${target.qualifiedName} is no longer found: ${fn.reason}` };
  // Anything around the function (a second declaration, a statement) would change more than the node.
  if (fn.node.start !== span.start || fn.node.end !== span.start + nodeText.length) {
    return { reason: `the candidate is more than ${target.qualifiedName}'s own text: only the function itself may be replaced` };
  }
  const label = origin.name ?? `proposal ${id}`;
  return {
    variant: {
      id,
      parent: candidate.parent ?? null,
      operators: [],
      risk: PROPOSAL_RISK,
      summary: [`${label}, proposed by \`${origin.proposer}\``],
      source,
      nodeText,
      diff: unifiedDiff(target.file, target.source, source),
      proposal: origin,
    },
  };
}

/**
 * The node's text starts after `export` (and `default`), which stay in the
 * file; a candidate that repeats them (as a whole declaration would) loses
 * them, so that the file does not read `export export function`.
 */
function withoutRepeatedExport(candidate: string, before: string): string {
  const kept = /\bexport\s+(default\s+)?$/.exec(before);
  if (kept === null) return candidate;
  const repeated = /^export\s+(default\s+)?/.exec(candidate);
  return repeated === null ? candidate : candidate.slice(repeated[0].length);
}

/**
 * Operators on top of a proposal: each operator the constraint allows,
 * applied once to the proposal's text, gives a variant whose parent is the
 * proposal (lineage kept in the archive) and whose diff is against the
 * original file. Judged with the rest.
 */
export function operatorsOnProposal(target: MutationTarget, proposal: Variant, firstId: number): Variant[] {
  const derived = generateVariants({ ...target, source: proposal.source }, { depth: 1 }).variants;
  return derived.map((d, i) => ({
    ...d,
    id: firstId + i,
    parent: proposal.id,
    risk: Math.max(proposal.risk, d.risk),
    summary: [...proposal.summary, ...d.summary],
    diff: unifiedDiff(target.file, target.source, d.source),
    ...(proposal.proposal !== undefined ? { proposal: proposal.proposal } : {}),
  }));
}
