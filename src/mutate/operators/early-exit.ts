import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { callbackSideEffect } from "../purity.js";
import type { Operator, OperatorContext, Rewrite } from "../types.js";

/**
 * early_exit: `xs.filter(p).length > 0` → `xs.some(p)` (and `=== 0` →
 * `!xs.some(p)`, a bare `.length` in a condition), `xs.filter(p)[0]` →
 * `xs.find(p)`: stop at the first match instead of building an array.
 *
 * Preconditions: `p` is a function literal without side effects (`some`
 * and `find` call it fewer times than `filter`). `find` visits the holes of
 * a sparse array, which `filter` skips: that rewrite carries more risk and
 * is left to the oracle, whose generated inputs include sparse arrays.
 */

type Shape = "nonEmpty" | "empty" | "first";

/** `.length` compared with 0 or 1 so that it asks "any?" (`nonEmpty`) or "none?" (`empty`); either side may be the length. */
function lengthTest(op: string, lengthOnLeft: boolean, n: number): Exclude<Shape, "first"> | undefined {
  const flipped: Record<string, string> = { ">": "<", "<": ">", ">=": "<=", "<=": ">=" };
  const o = lengthOnLeft ? op : (flipped[op] ?? op);
  if (n === 0 && (o === ">" || o === "!==" || o === "!=")) return "nonEmpty";
  if (n === 1 && o === ">=") return "nonEmpty";
  if (n === 0 && (o === "===" || o === "==" || o === "<=")) return "empty";
  if (n === 1 && o === "<") return "empty";
  return undefined;
}

/** Whether a value is only tested for truth: `if (…)`, `while (…)`, `… ? :`, `!…`. */
function inTestPosition(path: NodePath): boolean {
  const parent = path.parentPath;
  if (parent === null) return false;
  if ((parent.isIfStatement() || parent.isWhileStatement() || parent.isDoWhileStatement() || parent.isConditionalExpression() || parent.isForStatement()) && path.key === "test") return true;
  return parent.isUnaryExpression({ operator: "!" });
}

interface Site {
  /** The expression replaced. */
  whole: t.Node;
  call: t.CallExpression | t.OptionalCallExpression;
  shape: Shape;
  /** The original yields `false` for a nullish receiver (`xs?.filter(p).length > 0`): compare the new call with `true`/`false`. */
  optional: boolean;
}

function filterCall(node: t.Node | null | undefined): t.CallExpression | t.OptionalCallExpression | undefined {
  if (!(t.isCallExpression(node) || t.isOptionalCallExpression(node))) return undefined;
  const callee = node.callee;
  if (!(t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) || callee.computed || !t.isIdentifier(callee.property, { name: "filter" })) return undefined;
  return node;
}

/** `filter(p)` followed by `.length` (or `[0]`): the site, when the whole is one of the shapes. */
function siteAt(path: NodePath<t.MemberExpression | t.OptionalMemberExpression>): Site | undefined {
  const member = path.node;
  const call = filterCall(member.object);
  if (call === undefined) return undefined;
  const optional = t.isOptionalCallExpression(call) || t.isOptionalMemberExpression(member);
  if (member.computed && t.isNumericLiteral(member.property, { value: 0 })) return { whole: member, call, shape: "first", optional: false };
  if (member.computed || !t.isIdentifier(member.property, { name: "length" })) return undefined;
  const parent = path.parentPath;
  if (parent.isBinaryExpression()) {
    const other = parent.node.left === member ? parent.node.right : parent.node.left;
    if (!t.isNumericLiteral(other)) return undefined;
    const shape = lengthTest(parent.node.operator, parent.node.left === member, other.value);
    return shape === undefined ? undefined : { whole: parent.node, call, shape, optional };
  }
  // A bare length in a condition: only its truth counts.
  return inTestPosition(path) ? { whole: member, call, shape: "nonEmpty", optional: false } : undefined;
}

function rewrite(site: Site, ctx: OperatorContext): Rewrite | { reason: string } {
  const { call } = site;
  const [callback, ...rest] = call.arguments;
  if (!(t.isArrowFunctionExpression(callback) || t.isFunctionExpression(callback))) {
    return { reason: `\`${ctx.text(call)}\`: the predicate is not a function literal, so cdlc cannot see that it has no side effects` };
  }
  const effect = callbackSideEffect(callback);
  if (effect !== undefined) {
    return { reason: `\`${ctx.text(call)}\`: the predicate may have a side effect (\`${ctx.text(effect)}\`, line ${effect.loc?.start.line}); stopping at the first match would run it fewer times` };
  }
  const callee = call.callee as t.MemberExpression | t.OptionalMemberExpression;
  const receiver = ctx.text(callee.object);
  const dot = t.isOptionalMemberExpression(callee) && callee.optional ? "?." : ".";
  const args = [callback, ...rest].map((a) => ctx.text(a)).join(", ");
  const method = site.shape === "first" ? "find" : "some";
  let text = `${receiver}${dot}${method}(${args})`;
  if (site.optional) text = `${text} === ${site.shape === "empty" ? "false" : "true"}`;
  else if (site.shape === "empty") text = `!${text}`;
  // `!call` and a call bind tighter than the comparison they replace; `call === true` does not.
  const edit = site.optional ? `(${text})` : text;
  return { edits: [{ start: site.whole.start!, end: site.whole.end!, text: edit }], summary: `\`${ctx.text(site.whole)}\` → \`${text}\` (line ${site.whole.loc?.start.line})` };
}

export const earlyExit: Operator = {
  id: "early_exit",
  risk: 0.1,
  byNameOnly: false,
  apply(ctx) {
    const sites: Site[] = [];
    const visit = (path: NodePath<t.MemberExpression | t.OptionalMemberExpression>) => {
      const site = siteAt(path);
      if (site !== undefined) sites.push(site);
    };
    ctx.fn.traverse({ MemberExpression: visit, OptionalMemberExpression: visit });
    if (sites.length === 0) return { reason: "no `filter(…).length` tested against 0 and no `filter(…)[0]` in the body" };
    const rewrites: Rewrite[] = [];
    const reasons: string[] = [];
    for (const site of sites) {
      const r = rewrite(site, ctx);
      if ("reason" in r) reasons.push(r.reason);
      else rewrites.push(r);
    }
    return rewrites.length > 0 ? { rewrites } : { reason: reasons.join("; ") };
  },
};
