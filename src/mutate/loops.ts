import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { firstSideEffect } from "./purity.js";
import type { FunctionLike } from "./types.js";
import { childPath } from "./source.js";

/**
 * Loops of a node and what stays the same across their iterations: the
 * facts that set_membership, map_index and hoist_invariant rely on. All of
 * it is syntactic and conservative: when cdlc cannot see that a value is
 * the same in every iteration, or that nothing changes an array, it says
 * so (with the place) and the operator does not apply.
 */

/** Array methods that call a function literal once per element: their callback is a loop body. */
export const ITERATION_METHODS = new Set(["forEach", "map", "filter", "some", "every", "find", "findIndex", "findLast", "findLastIndex", "reduce", "reduceRight", "flatMap"]);

/**
 * Array methods that never change the array they are called on (their
 * callbacks are checked apart). Not `join` or `toString`: they call each
 * element's `toString`, which is user code.
 */
export const READING_METHODS = new Set([...ITERATION_METHODS, "includes", "indexOf", "lastIndexOf", "at", "slice", "concat", "keys", "values", "entries"]);

/** Array methods that change the array. */
export const MUTATING_METHODS = new Set(["push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin"]);

export interface Loop {
  kind: "for" | "for-of" | "for-in" | "while" | "do-while" | "callback";
  /** The loop statement, or the callback function. */
  path: NodePath;
  /** What runs once per iteration (test and update included for `for` and `while`). */
  region: NodePath;
}

/** Whether a function is a literal callback of an iteration method (`xs.forEach((x) => …)`). */
export function isIterationCallback(path: NodePath): boolean {
  if (!(path.isArrowFunctionExpression() || path.isFunctionExpression()) || path.listKey !== "arguments" || path.key !== 0) return false;
  const call = path.parentPath;
  if (!(call?.isCallExpression() || call?.isOptionalCallExpression())) return false;
  const callee = (call.node as t.CallExpression).callee;
  return (t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) && !callee.computed && t.isIdentifier(callee.property) && ITERATION_METHODS.has(callee.property.name);
}

function asLoop(path: NodePath): Loop | undefined {
  if (path.isForStatement()) return { kind: "for", path, region: path };
  if (path.isForOfStatement()) return { kind: "for-of", path, region: path.get("body") };
  if (path.isForInStatement()) return { kind: "for-in", path, region: path.get("body") };
  if (path.isWhileStatement()) return { kind: "while", path, region: path };
  if (path.isDoWhileStatement()) return { kind: "do-while", path, region: path };
  if (isIterationCallback(path)) return { kind: "callback", path, region: path };
  return undefined;
}

/** The loops around `path` inside `fn`, innermost first (a nested function that is not an iteration callback ends the search). */
export function enclosingLoops(path: NodePath, fn: NodePath<FunctionLike>): Loop[] {
  const out: Loop[] = [];
  for (let p: NodePath | null = path.parentPath; p !== null && p.node !== fn.node; p = p.parentPath) {
    const loop = asLoop(p);
    // Only code in the region repeats: `xs` in `for (const x of xs)` is evaluated once, before the loop.
    if (loop !== undefined && isInside(path, loop.region)) out.push(loop);
    else if (p.isFunction() && loop === undefined) break;
  }
  return out;
}

/** Whether `inner` lies inside `outer` (or is it). */
export function isInside(inner: NodePath, outer: NodePath): boolean {
  return inner.node.start! >= outer.node.start! && inner.node.end! <= outer.node.end!;
}

/**
 * Where the binding of `name` visible at `at` may change while `region`
 * runs: declared in it, assigned in it, or assigned in another function
 * (a closure the loop may call). Undefined when nothing can.
 */
function reassignedIn(name: string, at: NodePath, loop: Loop): NodePath | undefined {
  const binding = at.scope.getBinding(name);
  if (binding === undefined) return undefined;
  // The whole loop: `x` of `for (const x of xs)` is declared in the head and differs in every iteration.
  if (isInside(binding.path, loop.path)) return binding.path;
  const home = binding.scope.getFunctionParent();
  return binding.constantViolations.find((v) => isInside(v, loop.path) || v.scope.getFunctionParent() !== home);
}

/**
 * Why `expr` may have another value in another iteration of `loop`, with
 * the place; undefined when it has the same value in every iteration:
 * identifiers not assigned or declared in the loop, `this` (outside a
 * `function` callback), and property reads of such values when nothing in
 * the loop writes a property or calls code that could.
 */
export function whyVaries(expr: NodePath, loop: Loop): string | undefined {
  const node = expr.node;
  if (t.isThisExpression(node)) return loop.kind === "callback" && loop.path.isFunctionExpression() ? "`this` is the callback's own" : undefined;
  if (t.isIdentifier(node)) {
    const changed = reassignedIn(node.name, expr, loop);
    if (changed === undefined) return undefined;
    const where = isInside(changed, loop.path) ? "inside the loop" : "in another function the loop may call";
    return `\`${node.name}\` is ${changed.isDeclaration() || changed.isVariableDeclarator() ? "declared" : "assigned"} ${where} (line ${changed.node.loc?.start.line})`;
  }
  if (t.isLiteral(node) && !t.isTemplateLiteral(node)) return undefined;
  if (expr.isMemberExpression() || expr.isOptionalMemberExpression()) {
    const object = whyVaries(childPath(expr, "object"), loop);
    if (object !== undefined) return object;
    if ((expr.node as t.MemberExpression).computed) {
      const property = whyVaries(childPath(expr, "property"), loop);
      if (property !== undefined) return property;
    }
    const writer = firstWriteIn(loop.region);
    return writer === undefined ? undefined : `the loop ${describeWrite(writer)} (line ${writer.loc?.start.line}), which could change \`${expr.toString()}\``;
  }
  if (expr.isTSAsExpression() || expr.isTSNonNullExpression() || expr.isTSSatisfiesExpression() || expr.isParenthesizedExpression()) return whyVaries(childPath(expr, "expression"), loop);
  return `\`${expr.toString()}\` is computed anew each time`;
}

function describeWrite(node: t.Node): string {
  if (t.isCallExpression(node) || t.isOptionalCallExpression(node) || t.isNewExpression(node) || t.isTaggedTemplateExpression(node)) return "calls other code";
  if (t.isAwaitExpression(node) || t.isYieldExpression(node) || t.isForOfStatement(node)) return "lets other code run (`await`/`yield`)";
  if (t.isUpdateExpression(node)) return "updates a property";
  if (t.isUnaryExpression(node)) return "deletes a property";
  return "writes a property";
}

/** The first node in `region` that may write a property: a member assignment, `++` on one, `delete`, or a call other than a pure built-in or a reading array method. */
export function firstWriteIn(region: NodePath): t.Node | undefined {
  let found: t.Node | undefined;
  const visit = (p: NodePath) => {
    if (found !== undefined) return p.stop();
    const n = p.node;
    if ((t.isAssignmentExpression(n) || t.isUpdateExpression(n)) && !t.isIdentifier(t.isAssignmentExpression(n) ? n.left : n.argument)) found = n;
    else if (t.isUnaryExpression(n, { operator: "delete" })) found = n;
    else if (t.isNewExpression(n) || t.isTaggedTemplateExpression(n) || t.isAwaitExpression(n) || t.isYieldExpression(n)) found = n;
    else if (t.isForOfStatement(n) && n.await) found = n;
    else if ((t.isCallExpression(n) || t.isOptionalCallExpression(n)) && !isReadingCall(n)) found = n;
  };
  region.traverse({ enter: visit });
  visit(region);
  return found;
}

/** A call that changes nothing: a pure built-in, or a reading array method (its callback's own writes are visited apart). */
function isReadingCall(call: t.CallExpression | t.OptionalCallExpression): boolean {
  const callee = call.callee;
  if ((t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) && !callee.computed && t.isIdentifier(callee.property) && READING_METHODS.has(callee.property.name)) return true;
  return firstSideEffect({ ...call, arguments: [] } as t.CallExpression) === undefined;
}

/**
 * The first place in `region` that may change the array bound to the
 * local `name`: a mutating method, an element or `length` write, or the
 * array handed to other code (an argument, a stored or returned
 * reference). Undefined when none. It sees only uses of this name: the
 * caller must know the local holds an array made in the node and not
 * shared before the region (`const seen = src` aliases `src`).
 */
export function firstChangeOfLocal(name: string, at: NodePath, region: NodePath): NodePath | undefined {
  const binding = at.scope.getBinding(name);
  if (binding === undefined) return undefined;
  const inRegion = binding.referencePaths.filter((r) => isInside(r, region)).sort((a, b) => a.node.start! - b.node.start!);
  for (const ref of inRegion) {
    const parent = ref.parentPath!;
    if ((parent.isMemberExpression() || parent.isOptionalMemberExpression()) && parent.node.object === ref.node) {
      const property = parent.node.property;
      const method = !parent.node.computed && t.isIdentifier(property) ? property.name : undefined;
      const call = parent.parentPath;
      const called = (call?.isCallExpression() || call?.isOptionalCallExpression()) && (call.node as t.CallExpression).callee === parent.node;
      if (called && method !== undefined && READING_METHODS.has(method)) continue;
      if (called) return parent.parentPath!;
      const target = parent.parentPath;
      const written = (target?.isAssignmentExpression() && target.node.left === parent.node) || target?.isUpdateExpression() || target?.isUnaryExpression({ operator: "delete" });
      if (written) return target!;
      continue;
    }
    // Any other use hands the array to code cdlc does not follow.
    return ref;
  }
  return binding.constantViolations.find((v) => isInside(v, region));
}

/** Visits `region`, then its descendants in source order, until `visit` returns true. */
export function visitUntil(region: NodePath, visit: (p: NodePath) => boolean): void {
  if (visit(region)) return;
  region.traverse({
    enter(p) {
      if (visit(p)) p.stop();
    },
  });
}
