import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { changeSite, type FinderContext, operand, operatorEdit, type Site, truthUse } from "./canary-sites.js";

/**
 * Canary sites that change a condition or a bound: flipped comparisons
 * (`<` → `>=`; failing that, a condition negated) and off-by-one changes
 * (a loop bound, a `.length` compared, a `slice` bound, an integer literal,
 * any other ordering comparison's boundary). Tiers rank the forms most
 * likely to change what the function returns first.
 */

const FLIPPED: Readonly<Record<string, string>> = { "<": ">=", ">=": "<", "<=": ">", ">": "<=", "===": "!==", "!==": "===", "==": "!=", "!=": "==" };
const BOUNDARY: Readonly<Record<string, string>> = { "<": "<=", "<=": "<", ">": ">=", ">=": ">" };
const ARITHMETIC = new Set(["+", "-", "*", "/", "%", "**"]);
const ARITHMETIC_ASSIGNMENT = new Set(["+=", "-=", "*=", "/=", "%=", "**="]);
const SLICING = new Set(["slice", "substring", "substr"]);

/**
 * flipped-comparison. Tier 1: a comparison used as a condition or returned;
 * 2: any other comparison; 3: a condition that is not a comparison, negated
 * (`!x` → `x`, `x` → `!x`), when its truth is all that is used.
 */
export function flippedComparisonSites(ctx: FinderContext): Site[] {
  const sites: Site[] = [];
  ctx.fn.traverse({
    BinaryExpression(path) {
      const to = FLIPPED[path.node.operator];
      const edit = to === undefined ? undefined : operatorEdit(ctx.source, path.node, to);
      if (edit !== undefined) sites.push(changeSite(ctx, path, truthUse(path) === undefined ? 2 : 1, [edit]));
    },
    Expression(path) {
      const negated = negatedCondition(ctx, path);
      if (negated !== undefined) sites.push(negated);
    },
  });
  return sites;
}

/** A condition that is not a comparison, negated: only where its truth alone is used, so the change always shows. */
function negatedCondition(ctx: FinderContext, path: NodePath<t.Expression>): Site | undefined {
  const node = path.node;
  const use = truthUse(path);
  if (use !== "test" && use !== "loop") return undefined;
  // `a && b`: each operand is a condition of its own; the operand of `!` is handled with its `!`.
  if ((t.isLogicalExpression(node) && node.operator !== "??") || t.isUnaryExpression(path.parent, { operator: "!" })) return undefined;
  if (t.isBinaryExpression(node) && FLIPPED[node.operator] !== undefined) return undefined;
  if (t.isUnaryExpression(node, { operator: "!" })) {
    if (ctx.source[node.start!] !== "!") return undefined;
    return changeSite(ctx, path, 3, [{ start: node.start!, end: node.start! + 1, text: "" }]);
  }
  return changeSite(ctx, path, 3, [{ start: node.start!, end: node.end!, text: `!${operand(ctx.source, node)}` }]);
}

/** An integer written in decimal digits, plus one; undefined for anything else. */
function nextInteger(node: t.Node): string | undefined {
  if (!t.isNumericLiteral(node)) return undefined;
  const raw = (node.extra as { raw?: string } | undefined)?.raw;
  return raw !== undefined && /^\d+$/.test(raw) && Number.isSafeInteger(node.value + 1) ? String(node.value + 1) : undefined;
}

/** `x.length` (not `x["length"]`). */
const isLength = (node: t.Node): boolean =>
  (t.isMemberExpression(node) || t.isOptionalMemberExpression(node)) && !node.computed && t.isIdentifier(node.property, { name: "length" });

/** Where an integer literal counts: an arithmetic operand or an index. The expression to show, or undefined. */
function arithmeticContext(path: NodePath): t.Node | undefined {
  // `-1` is the literal 1 under a unary minus: the context is around the minus.
  const at = t.isUnaryExpression(path.parent) && (path.parent.operator === "-" || path.parent.operator === "+") ? path.parentPath! : path;
  const parent = at.parent;
  if (parent === null) return undefined;
  if (t.isBinaryExpression(parent) && ARITHMETIC.has(parent.operator)) return parent;
  if (t.isAssignmentExpression(parent) && ARITHMETIC_ASSIGNMENT.has(parent.operator) && at.key === "right") return parent;
  if ((t.isMemberExpression(parent) || t.isOptionalMemberExpression(parent)) && parent.computed && at.key === "property") return parent;
  return undefined;
}

/**
 * off-by-one. Tier 1: a loop's bound (`i < n` → `i <= n`); 2: a compared
 * `.length` (→ `.length - 1`); 3: the end of `slice`/`substring` (→ `+ 1`);
 * 4: an integer literal in arithmetic or as an index (`k` → `k + 1`);
 * 5: the boundary of any other ordering comparison.
 */
export function offByOneSites(ctx: FinderContext): Site[] {
  const sites: Site[] = [];
  const { source } = ctx;
  const sliceBound = (path: NodePath<t.CallExpression | t.OptionalCallExpression>) => {
    const { callee, arguments: args } = path.node;
    if (!(t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) || callee.computed || !t.isIdentifier(callee.property) || !SLICING.has(callee.property.name)) return;
    const bound = args[1] ?? args[0];
    if (bound === undefined || args.length > 2 || !t.isExpression(bound)) return;
    const next = nextInteger(bound) ?? `${operand(source, bound)} + 1`;
    sites.push(changeSite(ctx, path, 3, [{ start: bound.start!, end: bound.end!, text: next }]));
  };
  ctx.fn.traverse({
    BinaryExpression(path) {
      const { node } = path;
      const to = BOUNDARY[node.operator];
      const edit = to === undefined ? undefined : operatorEdit(source, node, to);
      if (edit !== undefined) sites.push(changeSite(ctx, path, truthUse(path) === "loop" ? 1 : 5, [edit]));
      if (FLIPPED[node.operator] === undefined) return;
      for (const side of [node.left, node.right]) {
        if (isLength(side)) sites.push(changeSite(ctx, path, 2, [{ start: side.end!, end: side.end!, text: " - 1" }]));
      }
    },
    CallExpression: sliceBound,
    OptionalCallExpression: sliceBound,
    NumericLiteral(path) {
      const next = nextInteger(path.node);
      const context = next === undefined ? undefined : arithmeticContext(path);
      if (next !== undefined && context !== undefined) sites.push(changeSite(ctx, path, 4, [{ start: path.node.start!, end: path.node.end!, text: next }], context));
    },
  });
  return sites;
}

/** Shown in `missing` when a kind has no site: what the finder looked for. */
export const noFlipSite = (name: string): string => `no comparison and no condition in \`${name}\``;
export const noOffByOneSite = (name: string): string => `no loop bound, compared \`.length\`, \`slice\` bound, integer literal in arithmetic or as an index, or ordering comparison in \`${name}\``;
