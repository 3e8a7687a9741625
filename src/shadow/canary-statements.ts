import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import type { Edit } from "../mutate/types.js";
import { firstSideEffect } from "../mutate/purity.js";
import { changeSite, dropSummary, type FinderContext, isNested, operand, type Site, text } from "./canary-sites.js";

/**
 * Canary sites that drop a statement or swap two operands: an effect
 * forgotten, arguments passed in the wrong order.
 */

/** Calls whose two arguments can be swapped without a visible change. */
const SYMMETRIC_CALLS = new Set(["Math.max", "Math.min", "Math.hypot", "Object.is"]);
/** Operators for which `b op a` is not `a op b` (`+` only on strings: see isString). */
const NON_COMMUTATIVE = new Set(["-", "/", "%", "**", "<<", ">>", ">>>"]);

/** Returns per function in the node: the only `return` of a function is never dropped. */
function countReturns(ctx: FinderContext): Map<t.Node, number> {
  const counts = new Map<t.Node, number>();
  const count = (path: NodePath) => {
    const owner = path.getFunctionParent()?.node;
    if (owner !== undefined) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  };
  ctx.fn.traverse({ ReturnStatement: count });
  return counts;
}

/** Whether a statement stands where a statement list or a body is (not a `for` head's declaration). */
const isStatementPosition = (path: NodePath): boolean => path.listKey !== undefined || path.key === "body" || path.key === "consequent" || path.key === "alternate";

/** Dropping a declaration others need only makes a ReferenceError: used when nothing else can be dropped. */
const LAST_RESORT = 4;

/** The variable an expression statement assigns or updates (`j--`, `i = k`), if it is a plain name. */
function assignedName(expression: t.Expression): string | undefined {
  const target = t.isUpdateExpression(expression) ? expression.argument : t.isAssignmentExpression(expression) ? expression.left : undefined;
  return t.isIdentifier(target) ? target.name : undefined;
}

/** Whether the test of a loop around `path` (in the same function) reads `name`: without the update the loop may never end. */
function drivesLoop(path: NodePath, name: string): boolean {
  for (let p = path.parentPath; p !== null && !p.isFunction(); p = p.parentPath) {
    const node = p.node;
    if (!(t.isWhileStatement(node) || t.isDoWhileStatement(node) || t.isForStatement(node)) || node.test === null || node.test === undefined) continue;
    let reads = false;
    t.traverseFast(node.test, (n) => {
      if (t.isIdentifier(n, { name })) reads = true;
    });
    if (reads) return true;
  }
  return false;
}

/**
 * The tier at which dropping a statement makes a canary: 1 an expression
 * statement with an effect; 2 `throw`, `break`, `continue`, a `return` that
 * is not its function's only one; 3 the update of a variable a loop's test
 * reads (the canary may only hang, which costs the oracle a timeout); 4 (a
 * last resort) a declaration whose names are used: a ReferenceError.
 */
function dropTier(path: NodePath, returns: ReadonlyMap<t.Node, number>): number | undefined {
  const node = path.node;
  if (!isStatementPosition(path)) return undefined;
  if (t.isExpressionStatement(node)) {
    if (firstSideEffect(node.expression) === undefined || onlyWaits(node.expression)) return undefined;
    const name = assignedName(node.expression);
    return name !== undefined && drivesLoop(path, name) ? 3 : 1;
  }
  if (t.isThrowStatement(node) || t.isBreakStatement(node) || t.isContinueStatement(node)) return 2;
  if (t.isReturnStatement(node)) {
    const owner = path.getFunctionParent()?.node;
    if (owner === undefined || (returns.get(owner) ?? 0) < 2) return undefined;
    // Without its last `return`, a function declared to return a value does not type-check: no canary, only a compile error.
    return path.parent === owner.body && owner.returnType !== null && owner.returnType !== undefined ? undefined : 2;
  }
  if (t.isVariableDeclaration(node) && node.declare !== true) {
    const names = Object.keys(t.getBindingIdentifiers(node));
    return names.some((name) => path.scope.getBinding(name)?.referenced === true) ? LAST_RESORT : undefined;
  }
  return undefined;
}

/**
 * `await x`, `await Promise.resolve(…)`, `await new Promise((r) => setTimeout(r, n))`:
 * dropping a wait changes only when later code runs, which the oracle does not
 * observe — such a canary would be equivalent to the original, and make the
 * node look untrustworthy for nothing.
 */
function onlyWaits(expression: t.Expression): boolean {
  if (!t.isAwaitExpression(expression)) return false;
  const arg = expression.argument;
  if (t.isIdentifier(arg) || t.isLiteral(arg)) return true;
  if (t.isCallExpression(arg) && t.isMemberExpression(arg.callee) && t.isIdentifier(arg.callee.object, { name: "Promise" }) && t.isIdentifier(arg.callee.property, { name: "resolve" })) {
    return arg.arguments.every((a) => t.isIdentifier(a) || t.isLiteral(a));
  }
  if (t.isNewExpression(arg) && t.isIdentifier(arg.callee, { name: "Promise" })) {
    const executor = arg.arguments[0];
    if (!t.isArrowFunctionExpression(executor) || executor.params.length !== 1 || !t.isIdentifier(executor.params[0])) return false;
    const resolve = executor.params[0].name;
    const body = t.isBlockStatement(executor.body) && executor.body.body.length === 1 && t.isExpressionStatement(executor.body.body[0]) ? executor.body.body[0].expression : executor.body;
    return t.isCallExpression(body) && t.isIdentifier(body.callee, { name: "setTimeout" }) && t.isIdentifier(body.arguments[0], { name: resolve }) && body.arguments.slice(1).every((a) => t.isLiteral(a) || t.isIdentifier(a));
  }
  return false;
}

/** Removes a statement: its whole lines when it stands alone on them; `{}` where a body is required. */
function removal(source: string, path: NodePath): Edit {
  const { start, end } = { start: path.node.start!, end: path.node.end! };
  if (path.listKey === undefined) return { start, end, text: "{}" };
  const lineStart = source.lastIndexOf("\n", start - 1) + 1;
  const lineEnd = source.indexOf("\n", end);
  const after = source.slice(end, lineEnd === -1 ? source.length : lineEnd);
  if (/^[ \t]*$/.test(source.slice(lineStart, start)) && /^[ \t\r]*$/.test(after) && lineEnd !== -1) return { start: lineStart, end: lineEnd + 1, text: "" };
  return { start, end, text: "" };
}

/** dropped-statement: statements with an effect; declarations others need only when there is nothing else. */
export function droppedStatementSites(ctx: FinderContext): Site[] {
  const returns = countReturns(ctx);
  const sites: Site[] = [];
  ctx.fn.traverse({
    Statement(path) {
      const tier = dropTier(path, returns);
      if (tier === undefined) return;
      sites.push({ tier, nested: isNested(path, ctx.fn), start: path.node.start!, edits: [removal(ctx.source, path)], summary: dropSummary(ctx.source, path.node) });
    },
  });
  return sites.some((s) => s.tier < LAST_RESORT) ? sites.filter((s) => s.tier < LAST_RESORT) : sites;
}

function calleeName(callee: t.Node): string | undefined {
  if (t.isIdentifier(callee)) return callee.name;
  if (t.isMemberExpression(callee) && !callee.computed && t.isIdentifier(callee.object) && t.isIdentifier(callee.property)) return `${callee.object.name}.${callee.property.name}`;
  return undefined;
}

/** Whether an expression is surely a string: a string or template literal, or `+` with one. */
function isString(node: t.Node): boolean {
  return t.isStringLiteral(node) || t.isTemplateLiteral(node) || (t.isBinaryExpression(node, { operator: "+" }) && (isString(node.left) || isString(node.right)));
}

/** An argument's text where another argument stood: a comma expression keeps its parentheses. */
const argumentText = (source: string, node: t.Node): string => (t.isSequenceExpression(node) ? `(${text(source, node)})` : text(source, node));

/**
 * The type an argument surely has, as written in this file: a literal's, or
 * the annotation of the parameter or variable it names. Undefined when
 * unknown (cdlc reads no types here).
 */
function writtenType(source: string, path: NodePath, node: t.Node): string | undefined {
  if (t.isStringLiteral(node) || t.isTemplateLiteral(node)) return "string";
  if (t.isNumericLiteral(node)) return "number";
  if (t.isBooleanLiteral(node)) return "boolean";
  if (!t.isIdentifier(node)) return undefined;
  const annotation = path.scope.getBinding(node.name)?.identifier.typeAnnotation;
  return t.isTSTypeAnnotation(annotation) ? text(source, annotation.typeAnnotation).replace(/\s+/g, " ") : undefined;
}

/**
 * swapped-arguments. Tier 1: the first two arguments of a call (or `new`)
 * when both have the same written type; 2: the operands of a
 * non-commutative operator (the swap keeps the types); 3: other arguments
 * whose types are unknown. A canary that does not type-check shows nothing
 * about the oracle, so arguments of two different written types are left alone.
 */
export function swappedArgumentSites(ctx: FinderContext): Site[] {
  const { source } = ctx;
  const sites: Site[] = [];
  const call = (path: NodePath<t.CallExpression | t.OptionalCallExpression | t.NewExpression>) => {
    const [a, b] = path.node.arguments;
    if (!t.isExpression(a) || !t.isExpression(b) || text(source, a) === text(source, b)) return;
    const name = calleeName(path.node.callee);
    if (name !== undefined && SYMMETRIC_CALLS.has(name)) return;
    const [typeA, typeB] = [writtenType(source, path, a), writtenType(source, path, b)];
    if (typeA !== undefined && typeB !== undefined && typeA !== typeB) return;
    const edits = [
      { start: a.start!, end: a.end!, text: argumentText(source, b) },
      { start: b.start!, end: b.end!, text: argumentText(source, a) },
    ];
    sites.push(changeSite(ctx, path, typeA !== undefined && typeA === typeB ? 1 : 3, edits));
  };
  ctx.fn.traverse({
    CallExpression: call,
    OptionalCallExpression: call,
    NewExpression: call,
    BinaryExpression(path) {
      const { left, right, operator } = path.node;
      if (!(NON_COMMUTATIVE.has(operator) || (operator === "+" && (isString(left) || isString(right))))) return;
      if (t.isPrivateName(left) || text(source, left) === text(source, right)) return;
      sites.push(changeSite(ctx, path, 2, [{ start: path.node.start!, end: path.node.end!, text: `${operand(source, right)} ${operator} ${operand(source, left)}` }]));
    },
  });
  return sites;
}

export const noDropSite = (name: string): string =>
  `no statement with an effect in \`${name}\` (an assignment, update or call, \`throw\`, \`break\`, \`continue\`, or a \`return\` that is not the only one)`;
export const noSwapSite = (name: string): string => `no call with two different arguments and no non-commutative operator in \`${name}\``;
