import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { changeSite, EXCERPT_LENGTH, excerpt, type FinderContext, isNested, lineOf, operand, type Site, text } from "./canary-sites.js";

/**
 * Canary sites that drop a call but keep what it was called on: `xs.sort(f)`
 * → `xs`, `s.trim()` → `s`, `Math.max(a, b)` → `a`, `g(x)` → `x`. They reach
 * nodes with no comparison, bound or effect to change, such as
 * `return [...users].sort(compareUsers);`. Only calls whose result is used
 * qualify (a dropped call alone in a statement is dropped-statement's), and
 * only where the stand-in has the call's kind of value, so the canary runs
 * and differs rather than merely breaking.
 */

/** Array and string methods whose result is a value of the receiver's kind, usually a different one. */
const RECEIVER_METHODS = new Set([
  "sort", "map", "filter", "slice", "reverse", "concat", "flat", "flatMap", "toSorted", "toReversed", "toSpliced", "with",
  "trim", "trimStart", "trimEnd", "toLowerCase", "toUpperCase", "toLocaleLowerCase", "toLocaleUpperCase",
  "substring", "substr", "replace", "replaceAll", "padStart", "padEnd", "repeat",
]);

/** Methods that copy their receiver when given no argument (`xs.slice()`), or only `0` (`xs.flat(0)`): dropping such a call shows nothing. */
const COPY_WITHOUT_ARGUMENTS = new Set(["slice", "substring", "substr", "concat", "toSpliced"]);
const COPY_FROM_ZERO = new Set(["slice", "substring", "substr", "flat"]);

/** Methods that only change a string's case or surrounding whitespace: dropping them shows only on inputs that have some. */
const NORMALIZING_METHODS = new Set(["trim", "trimStart", "trimEnd", "toLowerCase", "toUpperCase", "toLocaleLowerCase", "toLocaleUpperCase"]);

/** `Math.max(a)` and `Math.min(a)` are `a` for any number: not a canary. */
const IDENTITY_WITH_ONE_ARGUMENT = new Set(["max", "min"]);

/** How a call's result reaches the node's result: 1 returned by the node, 2 a link of that returned chain, 3 used otherwise. */
const RETURNED = 1;
const RETURNED_CHAIN = 2;
const USED = 3;
/**
 * A call that only normalizes a string (`trim`, `toLowerCase`…) or drops
 * falsy items (`filter(Boolean)`): inputs seldom have what it removes, so
 * its canary often escapes and makes the oracle look weak for nothing.
 * Used only for a node that has no other canary (see makeCanaries).
 */
export const DROPPED_CALL_LAST_RESORT = 4;

/** Type-only and grouping wrappers: a value passes through them unchanged. */
const isTransparent = (node: t.Node): boolean =>
  t.isParenthesizedExpression(node) || t.isTSAsExpression(node) || t.isTSSatisfiesExpression(node) || t.isTSNonNullExpression(node) || t.isTSTypeAssertion(node);

/** The outermost wrapper around `path` that only passes its value through. */
function unwrapped(path: NodePath): NodePath {
  let p = path;
  while (p.parentPath !== null && isTransparent(p.parentPath.node)) p = p.parentPath;
  return p;
}

/** Whether the call's value goes anywhere: not a statement of its own, not under `void`, not a discarded operand of `,`. */
function isResultUsed(path: NodePath): boolean {
  const at = unwrapped(path);
  const parent = at.parent;
  if (parent === null) return false;
  if (t.isExpressionStatement(parent) || t.isUnaryExpression(parent, { operator: "void" })) return false;
  if (t.isSequenceExpression(parent) && parent.expressions[parent.expressions.length - 1] !== at.node) return false;
  if (t.isForStatement(parent) && (at.key === "init" || at.key === "update")) return false;
  return true;
}

/** Whether the value at `path` is what the node itself returns (a `return` of its own, or its arrow body). */
function isReturnedByNode(path: NodePath, ctx: FinderContext): boolean {
  const at = unwrapped(path);
  const parent = at.parentPath;
  if (parent === null) return false;
  if (parent.node === ctx.fn.node) return at.key === "body";
  return t.isReturnStatement(parent.node) && parent.getFunctionParent()?.node === ctx.fn.node;
}

/** RETURNED for the node's returned call, RETURNED_CHAIN for a call it was made on (`a.f().g()`: `a.f()`), else USED. */
function returnTier(path: NodePath, ctx: FinderContext): number {
  if (isReturnedByNode(path, ctx)) return RETURNED;
  let p = path;
  // Up the chain: this call is the receiver of the next one.
  for (;;) {
    const receiver = unwrapped(p);
    const member = receiver.parentPath;
    const call = member?.parentPath;
    if (member === null || member === undefined || call === null || call === undefined || receiver.key !== "object") return USED;
    if (!(t.isMemberExpression(member.node) || t.isOptionalMemberExpression(member.node)) || member.key !== "callee") return USED;
    if (!(t.isCallExpression(call.node) || t.isOptionalCallExpression(call.node))) return USED;
    if (isReturnedByNode(call, ctx)) return RETURNED_CHAIN;
    p = call;
  }
}

/** The expression's text where the call stood: parenthesized unless it is surely a single operand there (`new C` never is). */
function standIn(source: string, node: t.Node): string {
  const parenthesized = (node.extra as { parenthesized?: boolean } | undefined)?.parenthesized === true;
  return parenthesized || t.isNewExpression(node) ? `(${text(source, node)})` : operand(source, node);
}

/** Whether `name` is a function written in this module (declared, or a `const` holding an arrow or function expression). */
function isLocalFunction(path: NodePath, name: string): boolean {
  const binding = path.scope.getBinding(name);
  if (binding === undefined || binding.kind === "module" || binding.kind === "param") return false;
  const declared = binding.path.node;
  return t.isFunctionDeclaration(declared) || (t.isVariableDeclarator(declared) && (t.isArrowFunctionExpression(declared.init) || t.isFunctionExpression(declared.init)));
}

/** Whether `method(...args)` only copies its receiver (or gives it back): `slice()`, `slice(0)`, `flat(0)`, `repeat(1)`. */
function onlyCopies(method: string, args: readonly t.Node[]): boolean {
  if (args.length === 0) return COPY_WITHOUT_ARGUMENTS.has(method);
  const only = args.length === 1 ? args[0] : undefined;
  return (COPY_FROM_ZERO.has(method) && t.isNumericLiteral(only, { value: 0 })) || (method === "repeat" && t.isNumericLiteral(only, { value: 1 }));
}

/** Whether dropping the call changes only inputs that have uppercase letters, edge whitespace or falsy items. */
function isNormalizing(node: t.CallExpression | t.OptionalCallExpression): boolean {
  const { callee, arguments: args } = node;
  if (!(t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) || callee.computed || !t.isIdentifier(callee.property)) return false;
  const method = callee.property.name;
  return NORMALIZING_METHODS.has(method) || (method === "filter" && args.length === 1 && t.isIdentifier(args[0], { name: "Boolean" }));
}

/** What stands in for the call: its receiver or its first argument; undefined where neither makes a likely visible change. */
function standInFor(path: NodePath<t.CallExpression | t.OptionalCallExpression>, source: string): t.Node | undefined {
  const { callee, arguments: args } = path.node;
  if ((t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) && !callee.computed && t.isIdentifier(callee.property)) {
    const method = callee.property.name;
    const receiver = callee.object;
    // `Math.f(a, …)` → `a`, unless `Math` is a local name or the call cannot change `a`.
    if (t.isIdentifier(receiver, { name: "Math" }) && path.scope.getBinding("Math") === undefined) {
      const [first, ...rest] = args;
      if (!t.isExpression(first)) return undefined;
      if (IDENTITY_WITH_ONE_ARGUMENT.has(method) && rest.every((a) => t.isExpression(a) && text(source, a) === text(source, first))) return undefined;
      return first;
    }
    if (t.isSuper(receiver) || !RECEIVER_METHODS.has(method)) return undefined;
    return onlyCopies(method, args) ? undefined : receiver;
  }
  // `g(x)` → `x` for a one-argument function of this module.
  const [only] = args;
  if (t.isIdentifier(callee) && args.length === 1 && t.isExpression(only) && isLocalFunction(path, callee.name)) return only;
  return undefined;
}

/**
 * A site replacing the call by `kept`. When the call is too long to show
 * whole (a chain over several lines), the summary shows what is dropped,
 * `….map((x) => x.u)` → `…`, at the line of the dropped method.
 */
function dropSite(ctx: FinderContext, path: NodePath<t.CallExpression | t.OptionalCallExpression>, tier: number, kept: t.Node): Site {
  const { source } = ctx;
  const call = path.node;
  const edits = [{ start: call.start!, end: call.end!, text: standIn(source, kept) }];
  const callee = call.callee;
  const isReceiver = (t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) && callee.object === kept;
  if (!isReceiver || text(source, call).replace(/\s+/g, " ").length <= EXCERPT_LENGTH) return changeSite(ctx, path, tier, edits);
  const dropped = `${callee.optional === true ? "?." : "."}${source.slice(callee.property.start!, call.end!)}`;
  return { tier, nested: isNested(path, ctx.fn), start: call.start!, edits, summary: `\`…${excerpt(dropped)}\` → \`…\`${lineOf(callee.property)}` };
}

/**
 * dropped-call: a call whose result is used, replaced by its receiver or
 * first argument. Tier 1: the node's returned call (the outermost of a
 * returned chain); 2: the calls that chain was made on, outermost first;
 * 3: any other call whose result is used; 4 (a last resort): a call that
 * only normalizes a string or drops falsy items.
 */
export function droppedCallSites(ctx: FinderContext): Site[] {
  const sites: Site[] = [];
  const call = (path: NodePath<t.CallExpression | t.OptionalCallExpression>) => {
    if (!isResultUsed(path)) return;
    const kept = standInFor(path, ctx.source);
    if (kept === undefined) return;
    sites.push(dropSite(ctx, path, isNormalizing(path.node) ? DROPPED_CALL_LAST_RESORT : returnTier(path, ctx), kept));
  };
  // Babel visits an outer call before the calls inside it: a chain's links are listed outermost first, and the ranking keeps that order.
  ctx.fn.traverse({ CallExpression: call, OptionalCallExpression: call });
  return sites;
}

export const noDroppedCallSite = (name: string): string =>
  `no call whose result is used and whose receiver or first argument could stand in for it in \`${name}\` (an array or string method such as \`sort\`, \`map\`, \`filter\`, \`trim\`, \`slice\`; a \`Math\` function; a one-argument function of the module)`;
export const onlyNormalizingCalls = (name: string): string =>
  `only calls that normalize a string or drop falsy items in \`${name}\` (\`trim\`, \`toLowerCase\`, \`filter(Boolean)\`…): their canaries seldom show, so they are made only for a node with no other canary`;
