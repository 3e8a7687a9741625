import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import type { Edit, FunctionLike } from "../mutate/types.js";

/**
 * What the canary finders share: a site (one small wrong change, as text
 * edits inside the node, with its rank) and the text helpers that keep the
 * user's code as written around the change.
 */

/** One place where a canary can be made, and the edits that make it. */
export interface Site {
  /** Lower is preferred: the kind's main form first, its fallbacks after. */
  tier: number;
  /** Inside a function nested in the node (a callback): ranked after the node's own code. */
  nested: boolean;
  /** Where the changed code starts in the file: source order breaks ties. */
  start: number;
  edits: Edit[];
  summary: string;
}

/** What a finder sees of the node. */
export interface FinderContext {
  fn: NodePath<FunctionLike>;
  source: string;
}

export const text = (source: string, node: t.Node): string => source.slice(node.start!, node.end!);

/** Whether code at `path` belongs to a function nested in the node rather than to the node itself. */
export function isNested(path: NodePath, fn: NodePath<FunctionLike>): boolean {
  return path.getFunctionParent()?.node !== fn.node;
}

/** Expressions that need no parentheses as an operand of any binary operator. */
function isAtomic(node: t.Node): boolean {
  return (
    t.isIdentifier(node) || t.isThisExpression(node) || t.isStringLiteral(node) || t.isNumericLiteral(node) || t.isBooleanLiteral(node) || t.isNullLiteral(node) ||
    t.isBigIntLiteral(node) || t.isTemplateLiteral(node) || t.isMemberExpression(node) || t.isOptionalMemberExpression(node) || t.isCallExpression(node) ||
    t.isOptionalCallExpression(node) || t.isNewExpression(node) || t.isTSNonNullExpression(node) || t.isArrayExpression(node)
  );
}

/** The node's text, parenthesized unless it is atomic: safe as an operand wherever it is moved. */
export function operand(source: string, node: t.Node): string {
  return isAtomic(node) ? text(source, node) : `(${text(source, node)})`;
}

/**
 * The offset of a binary operator between its operands: Babel records no
 * position for it, and parentheses and comments may sit around it.
 * Undefined when the text there is not what was expected (the site is skipped).
 */
function operatorOffset(source: string, left: t.Node, right: t.Node, operator: string): number | undefined {
  let i = left.end!;
  while (i < right.start!) {
    if (source.startsWith("/*", i)) {
      const close = source.indexOf("*/", i + 2);
      if (close === -1) return undefined;
      i = close + 2;
    } else if (source.startsWith("//", i)) {
      const newline = source.indexOf("\n", i);
      if (newline === -1) return undefined;
      i = newline;
    } else if (/[\s()]/.test(source[i]!)) i++;
    else return source.startsWith(operator, i) ? i : undefined;
  }
  return undefined;
}

/** The longest excerpt of code a summary shows. */
export const EXCERPT_LENGTH = 72;

/** A one-line excerpt of code for a summary: whitespace collapsed, long code cut. */
export function excerpt(code: string): string {
  const line = code.replace(/\s+/g, " ");
  return line.length > EXCERPT_LENGTH ? `${line.slice(0, EXCERPT_LENGTH - 1)}…` : line;
}

/** The text of `context` with `edits` (all inside it) applied. */
function applyWithin(source: string, context: t.Node, edits: readonly Edit[]): string {
  let out = "";
  let at = context.start!;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    out += source.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + source.slice(at, context.end!);
}

export const lineOf = (node: t.Node): string => (node.loc === null || node.loc === undefined ? "" : ` (line ${node.loc.start.line})`);

/** "`before` → `after` (line n)": the context node before and after the edits. */
function changeSummary(source: string, context: t.Node, edits: readonly Edit[]): string {
  return `\`${excerpt(text(source, context))}\` → \`${excerpt(applyWithin(source, context, edits))}\`${lineOf(context)}`;
}

/** "dropped `statement` (line n)". */
export function dropSummary(source: string, statement: t.Node): string {
  return `dropped \`${excerpt(text(source, statement))}\`${lineOf(statement)}`;
}

/** A site changing `context` by `edits`, summarized as before → after. */
export function changeSite(ctx: FinderContext, path: NodePath, tier: number, edits: Edit[], context: t.Node = path.node): Site {
  return { tier, nested: isNested(path, ctx.fn), start: context.start!, edits, summary: changeSummary(ctx.source, context, edits) };
}

/** Replaces one operator token of a binary expression; undefined when the token was not found. */
export function operatorEdit(source: string, node: t.BinaryExpression, to: string): Edit | undefined {
  const at = operatorOffset(source, node.left, node.right, node.operator);
  return at === undefined ? undefined : { start: at, end: at + node.operator.length, text: to };
}

/** Array methods whose callback's result is only tested for truth. */
const PREDICATE_METHODS = new Set(["filter", "some", "every", "find", "findIndex", "findLast", "findLastIndex"]);

/** Whether a function is the predicate literal of `filter`, `some`, `every`, `find`…: its result is a condition. */
function isPredicateCallback(path: NodePath): boolean {
  if (!(path.isArrowFunctionExpression() || path.isFunctionExpression()) || path.listKey !== "arguments" || path.key !== 0) return false;
  const call = path.parent;
  if (!(t.isCallExpression(call) || t.isOptionalCallExpression(call))) return false;
  const callee = call.callee;
  return (t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) && !callee.computed && t.isIdentifier(callee.property) && PREDICATE_METHODS.has(callee.property.name);
}

/** Whether a function's declared return type is `boolean` (or a type predicate `x is T`). */
function returnsBoolean(fn: t.Node): boolean {
  const annotation = (fn as { returnType?: t.Node | null }).returnType;
  if (!t.isTSTypeAnnotation(annotation)) return false;
  const type = annotation.typeAnnotation;
  return t.isTSBooleanKeyword(type) || (t.isTSTypePredicate(type) && type.asserts !== true);
}

/**
 * How a value's truth is used, climbing through `&&`, `||` and `!`:
 * `test` for the test of `if`, a loop or `?:`, or the result of a predicate
 * callback or a function declared to return `boolean`; `loop` when that test
 * is a loop's; `returned` for another function's result; undefined otherwise.
 */
export function truthUse(path: NodePath): "loop" | "test" | "returned" | undefined {
  let p = path;
  for (;;) {
    const parent = p.parentPath;
    if (parent === null) return undefined;
    const climbs = (t.isLogicalExpression(parent.node) && parent.node.operator !== "??") || t.isUnaryExpression(parent.node, { operator: "!" });
    if (!climbs) break;
    p = parent;
  }
  const parent = p.parentPath!;
  const node = parent.node;
  if (p.key === "test" && (t.isForStatement(node) || t.isWhileStatement(node) || t.isDoWhileStatement(node))) return "loop";
  if (p.key === "test" && (t.isIfStatement(node) || t.isConditionalExpression(node))) return "test";
  const owner = t.isReturnStatement(node) ? parent.getFunctionParent() : t.isArrowFunctionExpression(node) && p.key === "body" ? parent : undefined;
  if (owner === undefined || owner === null) return undefined;
  return isPredicateCallback(owner) || returnsBoolean(owner.node) ? "test" : "returned";
}
