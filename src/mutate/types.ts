import type { NodePath } from "@babel/traverse";
import type * as t from "@babel/types";
import type { MutationOperator } from "../cdl/properties.js";
import type { FunctionLike } from "../measure/find-node.js";

/**
 * The mutation engine's data, in the order it flows: a target (a bound
 * node and what its constraint allows) → operators, each with its
 * preconditions → rewrites (edits of the node's source) → variants (new
 * file text, diff, lineage). Nothing here prints, reads `process` or exits.
 */

export type { MutationOperator } from "../cdl/properties.js";
export type { FunctionLike } from "../measure/find-node.js";

/** A node to rewrite, with what its constraint allows. */
export interface MutationTarget {
  /** Node id, `<file>#<qualified name>`. */
  node: string;
  /** The file's path relative to the project root (as in the node id). */
  file: string;
  qualifiedName: string;
  /** The file's text as analysed: every variant is relative to it. */
  source: string;
  /** Operators the constraint allows (`mutations:`): "all", "none" or a list. */
  mutations: "all" | "none" | readonly MutationOperator[];
  /** Alternatives from `algorithm:`, as the node ids the binding resolved them to, for `algorithm_swap`. */
  algorithm: readonly string[];
}

/** One replacement in the file's text: `[start, end)` becomes `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** What one application of an operator changes, and a line saying what and where. */
export interface Rewrite {
  edits: Edit[];
  /** e.g. "`skus.includes(sku)` → `skusSet.has(sku)`, set built once before the loop (line 12)". */
  summary: string;
  /** This rewrite's risk, when it differs from the operator's (e.g. a form that relies on more). */
  risk?: number;
}

/** What an operator sees of the node. */
export interface OperatorContext {
  /** The node's function, in the file's AST (with scopes): read it, never change it. */
  fn: NodePath<FunctionLike>;
  /** The file's text; node offsets index into it. */
  source: string;
  /** Alternatives from `algorithm:` (for `algorithm_swap`): node ids as the binding resolved them. */
  alternatives: readonly string[];
  /** The node's file relative to the project root (as in node ids): `algorithm_swap` tells a declaration of this file from an import by it. */
  file: string;
  /** The source text of a node of `fn` as the user wrote it (keep it where the rewrite keeps the code). */
  text(node: t.Node): string;
  /** Prints a new (or deep-cloned) AST node as source text. */
  print(node: t.Node): string;
  /** A name not yet used in the function's scope, from a hint (`seen` → `seenSet`). */
  freshName(hint: string): string;
}

/**
 * A mutation operator (spec section 7): a stable id, a risk, and a
 * function that either rewrites the node (one rewrite per place where its
 * preconditions hold) or says why it cannot. Operators read the AST and
 * return edits; applying them is the engine's job.
 */
export interface Operator {
  readonly id: MutationOperator;
  /** 0 when the preconditions make the rewrite exact; higher when it relies on facts testing must confirm. */
  readonly risk: number;
  /** Tried only when the constraint lists it by name (`memoize`, order-changing rewrites). */
  readonly byNameOnly: boolean;
  apply(ctx: OperatorContext): OperatorResult;
}

export type OperatorResult = { rewrites: Rewrite[] } | { reason: string };

/** A variant of a node: the node's new text in an otherwise byte-identical file. */
export interface Variant {
  /** 1-based within the target; 0 is the original. */
  id: number;
  /** The variant it was derived from (null for one made from the original). */
  parent: number | null;
  /** Operators applied, first to last. */
  operators: MutationOperator[];
  /** The largest risk along the chain. */
  risk: number;
  summary: string[];
  /** The whole file with the variant in place. */
  source: string;
  /** The node's new text (the function, as in the file). */
  nodeText: string;
  /** Unified diff of the file, paths relative to the project root (`a/…`, `b/…`). */
  diff: string;
  /** Made by an outside proposer (`cdlc optimize --proposer`), not by operators: who, and what it said. */
  proposal?: { proposer: string; name?: string; rationale?: string };
}

/** An operator the constraint allowed that did not apply, and why. */
export interface NotApplied {
  operator: MutationOperator;
  reason: string;
}

export interface TargetVariants {
  node: string;
  variants: Variant[];
  notApplied: NotApplied[];
}
