import type { IrConstraint } from "../cdl/compile.js";
import type { EncodedCase } from "../measure/case-encoding.js";
import type { CaseText } from "../measure/case-preview.js";
import type { MutationTarget, TargetVariants, Variant } from "../mutate/types.js";
import { candidateVariant, nodeSpan, operatorsOnProposal } from "../propose/candidates.js";
import { parseResponse } from "../propose/parse-response.js";
import type { ProposerFigure, TriedVariant } from "../propose/protocol.js";
import { buildRequest } from "../propose/request.js";
import { runProposer } from "../propose/run-proposer.js";
import type { AttemptLog } from "./attempts.js";
import type { NodeOutcome, ProposerRecord } from "./types.js";

/**
 * `cdlc optimize --proposer CMD`: each proposer is asked about each node
 * under optimization, and its candidates (with the operators applied on top
 * of each) join the operators' variants of that node, to be judged with them
 * by the same oracle and the same speed gate. A candidate that fails the static checks (it does not parse, or
 * changes more than the node) is archived here as `does-not-compile`; a
 * proposer that fails is recorded and skipped.
 */

export interface ProposalOptions {
  proposers: readonly string[];
  /** The project root: proposers run there. */
  cwd: string;
  timeoutMs: number;
  maxCandidates: number;
  maxSourceBytes: number;
  maxOutputBytes: number;
}

export const PROPOSER_DEFAULTS = { timeoutMs: 60_000, maxCandidates: 5, maxSourceBytes: 64 * 1024, maxOutputBytes: 1024 * 1024 } as const;

export interface ProposalNode {
  target: MutationTarget;
  /** The node's variants so far (the operators'); the proposals are added to them. */
  variants: TargetVariants;
  constraints: readonly IrConstraint[];
  outcome: NodeOutcome;
  recorded?: readonly EncodedCase[];
  /** The workload's cases as the measurement showed them. */
  workload?: { total: number; shown: readonly CaseText[] };
}

/**
 * Asks every proposer about every node, once (one round). Later rounds pass
 * the records of the first (counts add up) and are told, through `tried`,
 * what the archive says of every variant judged so far.
 */
export async function collectProposals(
  nodes: readonly ProposalNode[],
  options: ProposalOptions,
  log: AttemptLog,
  progress: (message: string, node: string) => void,
  context: { round: number; records?: ProposerRecord[] } = { round: 1 },
): Promise<ProposerRecord[]> {
  const records = context.records ?? options.proposers.map((command): ProposerRecord => ({ command, asked: 0, candidates: 0, accepted: 0, rejected: 0, failures: [], notes: [] }));
  const round = context.round;
  for (const node of nodes) {
    const span = nodeSpan(node.target);
    if ("reason" in span) continue;
    for (const record of records) {
      progress(`asking \`${record.command}\` for candidates (round ${round})`, node.target.node);
      record.asked++;
      const tried: TriedVariant[] = node.variants.variants.map((v) => triedOf(v, log, node.target.node));
      const limits = { maxCandidates: options.maxCandidates, maxSourceBytes: options.maxSourceBytes, timeoutMs: options.timeoutMs };
      const request = buildRequest({
        target: node.target,
        span,
        constraints: node.constraints,
        violated: node.outcome.violated,
        ...(node.outcome.before !== undefined ? { before: figureOf(node.outcome.before) } : {}),
        ...(node.recorded !== undefined ? { recorded: node.recorded } : {}),
        ...(node.workload !== undefined ? { workload: node.workload } : {}),
        tried,
        round,
        limits,
      });
      const ran = await runProposer(record.command, request, { cwd: options.cwd, timeoutMs: options.timeoutMs, maxOutputBytes: options.maxOutputBytes });
      if (!ran.ok) {
        record.failures.push({ node: node.target.node, round, reason: ran.reason, ...(ran.stderr.trim() !== "" ? { stderr: ran.stderr.trim() } : {}) });
        continue;
      }
      const parsed = parseResponse(ran.stdout, limits);
      if (!parsed.ok) {
        record.failures.push({ node: node.target.node, round, reason: parsed.reason });
        continue;
      }
      record.notes.push(...parsed.notes.map((n) => `${node.target.node}: ${n}`));
      for (const candidate of parsed.candidates) {
        record.candidates++;
        const id = nextId(node, log);
        const origin = { proposer: record.command, ...(candidate.name !== undefined ? { name: candidate.name } : {}), ...(candidate.rationale !== undefined ? { rationale: candidate.rationale } : {}) };
        // A parent the request did not offer is not kept (lineage must point at a real variant).
        const parent = candidate.parent !== undefined && node.variants.variants.some((v) => v.id === candidate.parent) ? candidate.parent : undefined;
        if (candidate.parent !== undefined && parent === undefined) record.notes.push(`${node.target.node}: a candidate of \`${record.command}\` names parent ${candidate.parent}, which is not a variant it was sent; kept without a parent`);
        const { parent: _named, ...rest } = candidate;
        const made = candidateVariant(node.target, span, { ...rest, ...(parent !== undefined ? { parent } : {}) }, id, origin);
        if ("reason" in made) {
          record.rejected++;
          log.variant(node.target.node, { id, parent: null, operators: [], risk: 0, proposal: origin }, "does-not-compile", made.reason);
          continue;
        }
        const same = node.variants.variants.find((v) => v.source === made.variant.source);
        if (same !== undefined) {
          record.rejected++;
          record.notes.push(`${node.target.node}: a candidate of \`${record.command}\` is variant ${same.id} again, and was not judged twice`);
          continue;
        }
        node.variants.variants.push(made.variant);
        // The operators the constraint allows, on top of the proposal (lineage: parent = the proposal).
        const firstId = nextId(node, log);
        const seen = new Set(node.variants.variants.map((v) => v.source));
        node.variants.variants.push(...operatorsOnProposal(node.target, made.variant, firstId).filter((v) => !seen.has(v.source)).map((v, i) => ({ ...v, id: firstId + i })));
      }
    }
  }
  return records;
}

/**
 * After the run: each proposer's candidates accepted (a node whose accepted
 * variant is one of its candidates, or an operator on top of one) and
 * rejected (the rest of its candidates, at whatever stage).
 */
export function settleRecords(records: ProposerRecord[], outcomes: Iterable<NodeOutcome>, judged: readonly Variant[]): void {
  const accepted = [...outcomes].map((o) => o.accepted?.proposal?.proposer).filter((p): p is string => p !== undefined);
  for (const r of records) {
    // Candidates as the proposer gave them (no operator applied; operators on top of one are its children).
    const given = judged.filter((v) => v.proposal?.proposer === r.command && v.operators.length === 0).length;
    r.accepted = accepted.filter((p) => p === r.command).length;
    r.rejected += given - r.accepted;
  }
}

/** The next variant number of a node: after every variant it has, and every number the archive used (a candidate refused before it became a variant keeps its number). */
function nextId(node: ProposalNode, log: AttemptLog): number {
  const archived = log.entries.filter((e) => e.node === node.target.node && e.variant > 0).map((e) => e.variant);
  return Math.max(0, ...node.variants.variants.map((v) => v.id), ...archived) + 1;
}

/** A variant as a proposer is told of it: what the archive says so far (its last line), or pending. */
function triedOf(v: Variant, log: AttemptLog, node: string): TriedVariant {
  const line = log.entries.findLast((e) => e.node === node && e.variant === v.id);
  const train = (line?.measurements as { train?: { change?: number } } | undefined)?.train?.change;
  // A change of −0.75 in time is a ratio of 4 (original ÷ variant).
  const speedup = train !== undefined && Number.isFinite(train) && train > -1 ? 1 / (1 + train) : undefined;
  return {
    id: v.id,
    origin: v.proposal !== undefined ? "proposer" : "operator",
    ...(v.proposal === undefined || v.operators.length > 0 ? { operators: [...v.operators] } : {}),
    ...(v.proposal !== undefined ? { proposer: v.proposal.proposer, ...(v.proposal.name !== undefined ? { name: v.proposal.name } : {}) } : {}),
    verdict: line?.verdict ?? "pending",
    reason: line?.reason ?? "not judged yet: it is judged with the candidates of this round",
    ...(line?.firstDifference !== undefined ? { firstDifference: line.firstDifference } : {}),
    ...(speedup !== undefined && Number.isFinite(speedup) ? { speedup } : {}),
    source: v.nodeText,
  };
}

function figureOf(f: NonNullable<NodeOutcome["before"]>): ProposerFigure {
  return { metric: f.metric, statistic: f.statistic, value: f.value, interval: f.interval, unit: f.unit };
}
