import type { NodePath, Scope } from "@babel/traverse";
import * as t from "@babel/types";
import { isInside } from "../loops.js";
import { firstSideEffect } from "../purity.js";
import { childPath, childPaths } from "../source.js";
import type { Operator, OperatorContext, Rewrite } from "../types.js";
import { chainGoesOn, Code, hasTypeScript, indentOf, ownUse, seeValue } from "./loop-fusion.js";

/**
 * sort_keys: a sort whose comparator computes an expensive key of each side
 * (`(a, b) => norm(a) - norm(b)`, `a.title.toLowerCase().localeCompare(
 * b.title.toLowerCase())`, `JSON.stringify(a) < JSON.stringify(b) ? …`)
 * computes it about 2·n·log n times; decorate–sort–undecorate computes it
 * n times:
 *
 *   items.sort((a, b) => norm(a) - norm(b))
 *   →
 *   ((array) => {
 *     const copy = array.slice();
 *     if (copy.filter((a) => a !== undefined).length < 2) return array.sort();
 *     const sorted = copy.map((a) => (a === undefined ? a : { value: a, key: norm(a) })).sort(({ key: ka }, { key: kb }) => ka - kb);
 *     for (let i = 0; i < sorted.length; i++) {
 *       if (i in sorted) array[i] = sorted[i]?.value;
 *       else delete array[i];
 *     }
 *     return array;
 *   })(items)
 *
 * (In a TypeScript file, `(a as never)` and `?.value!` keep the entries and
 * the result typed as before; `toSorted` builds a new array the same way.)
 *
 * Why it is exact:
 * - The decorated array has the original's holes and `undefined`s in the
 *   same places (`slice` and `map` keep holes), so the built-in sort does to
 *   it what it does to the original: it compares the same values in the same
 *   order with the SAME comparison (the comparator's own text, each key
 *   replaced by its precomputed value), keeps ties in their order (sort is
 *   stable), never passes `undefined` to the comparator, and puts the
 *   `undefined`s, then the holes, last. Being the same algorithm on the same
 *   outcomes, it gives the same order even where the comparator is
 *   inconsistent (NaN keys). The order is then written back in place, holes
 *   deleted, and `sort` returns its receiver; `toSorted` reads holes as
 *   `undefined` (`[...array]`) and returns a new array.
 * - With fewer than two values the original compares nothing, so it never
 *   computes a key (which could throw): the variant then sorts without a
 *   comparator, which compares nothing either.
 * - A key is computed once per element instead of at every comparison: this
 *   is unobservable only when it has no side effect and gives the same value
 *   each time. The whole comparator must be free of side effects: property
 *   reads, operators, pure built-ins (`Math.*`, `Number`, `JSON.stringify`,
 *   `Date.parse`, `new Date(x).getTime()`), string methods (on values taken
 *   to be strings), and functions of this file whose body is made of the
 *   same. A key must be computed in every comparison, on both sides (not
 *   only in a branch): then the original computes it for every element too,
 *   and one that throws makes both throw.
 * - A key that may be a new object each time (`norm(a)` returning `{…}`) is
 *   refused when the comparator compares by identity (`===`, `Object.is`).
 * - The receiver is known to be an array, evaluated once (as before); a
 *   `function` comparator uses no `this` or `arguments`.
 * - A key that is only a property read (`a.age - b.age`) costs less than an
 *   entry: nothing to precompute, refused.
 *
 * Risk 0.2, what testing must confirm: getters (or `toString`/`valueOf`)
 * run fewer times; string methods are taken to be called on strings; when
 * keys throw for several elements, the variant may throw another one's
 * error (it computes them in array order); TypeScript's types are trusted
 * for "is an array".
 */

type Fn = t.ArrowFunctionExpression | t.FunctionExpression;
type Call = t.CallExpression | t.OptionalCallExpression;

const line = (node: t.Node): number | undefined => node.loc?.start.line;
const MAX_CALL_DEPTH = 4;

// ---------------------------------------------------------------- what a key may compute

/** String methods that compute from their receiver and arguments only. */
const STRING_METHODS = new Set([
  "toLowerCase", "toUpperCase", "toLocaleLowerCase", "toLocaleUpperCase", "trim", "trimStart", "trimEnd", "normalize",
  "slice", "substring", "substr", "padStart", "padEnd", "repeat", "replace", "replaceAll", "split", "at", "charAt", "charCodeAt", "codePointAt",
  "indexOf", "lastIndexOf", "includes", "startsWith", "endsWith", "localeCompare", "concat", "match", "search",
]);
/** Those whose first argument, when an object, brings its own method (`Symbol.replace`, …): only literals there. */
const PATTERN_METHODS = new Set(["replace", "replaceAll", "split", "match", "search"]);
/** Those whose result is an object. */
const OBJECT_RESULTS = new Set(["split", "match"]);
/** Global functions without side effects beyond purity.ts's list. */
const MORE_PURE_CALLS = new Set(["JSON.stringify", "Date.parse", "parseInt", "parseFloat", "Number.parseInt", "Number.parseFloat"]);

interface Purity {
  scope: Scope;
  /** Functions being checked (a recursive one is as pure as the rest of its body). */
  seen: Set<t.Node>;
  depth: number;
}

function globalName(callee: t.Node, scope: Scope): string | undefined {
  if (t.isIdentifier(callee)) return scope.getBinding(callee.name) === undefined ? callee.name : undefined;
  if (t.isMemberExpression(callee) && !callee.computed && t.isIdentifier(callee.object) && t.isIdentifier(callee.property)) {
    return scope.getBinding(callee.object.name) === undefined ? `${callee.object.name}.${callee.property.name}` : undefined;
  }
  return undefined;
}

function methodName(callee: t.Node): string | undefined {
  if (!(t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) || callee.computed || !t.isIdentifier(callee.property)) return undefined;
  return callee.property.name;
}

/** `new Date(x)` (with an argument: `new Date()` reads the clock). */
function isDateOf(node: t.Node, scope: Scope): node is t.NewExpression {
  return t.isNewExpression(node) && t.isIdentifier(node.callee, { name: "Date" }) && scope.getBinding("Date") === undefined && node.arguments.length > 0;
}

/** A literal a pattern method may take: a string, a template, a regex without the sticky flag (whose `lastIndex` carries state). */
function inertPattern(node: t.Node | undefined, scope: Scope): boolean {
  if (node === undefined || t.isStringLiteral(node) || (t.isTemplateLiteral(node) && node.expressions.length === 0)) return true;
  if (t.isRegExpLiteral(node)) return !node.flags.includes("y");
  if (t.isIdentifier(node)) {
    const b = scope.getBinding(node.name);
    const init = b?.kind === "const" && b.path.isVariableDeclarator() ? b.path.node.init : undefined;
    return init != null && !t.isIdentifier(init) && inertPattern(init, scope);
  }
  return false;
}

/** A function of this file that a name refers to, never reassigned: its node and the scope of its body. */
function localFunction(name: string, scope: Scope): { fn: t.Function; scope: Scope } | undefined {
  const b = scope.getBinding(name);
  if (b === undefined || !b.constant) return undefined;
  if (b.kind === "hoisted" && b.path.isFunctionDeclaration()) return { fn: b.path.node, scope: b.path.scope };
  if (b.kind === "const" && b.path.isVariableDeclarator()) {
    const init = childPath(b.path, "init");
    if (init.isArrowFunctionExpression() || init.isFunctionExpression()) return { fn: init.node, scope: init.scope };
  }
  return undefined;
}

/** Whether a function body uses `this`, `arguments` or `new.target` of its own (not through an arrow's). */
function usesOwnContext(node: t.Node, top = true): boolean {
  if (!top && (t.isFunctionDeclaration(node) || t.isFunctionExpression(node) || t.isObjectMethod(node) || t.isClassMethod(node))) return false;
  if (t.isThisExpression(node) || t.isMetaProperty(node) || t.isIdentifier(node, { name: "arguments" })) return true;
  for (const key of t.VISITOR_KEYS[node.type] ?? []) {
    const child = (node as unknown as Record<string, unknown>)[key];
    for (const c of Array.isArray(child) ? child : [child]) if (c !== null && typeof c === "object" && typeof (c as t.Node).type === "string" && usesOwnContext(c as t.Node, false)) return true;
  }
  return false;
}

/** The first place where a function of this file may have a side effect (or read something that changes), undefined when none. */
function functionEffect(fn: t.Function, p: Purity): t.Node | undefined {
  if (p.seen.has(fn)) return undefined;
  if (fn.async || fn.generator || p.depth >= MAX_CALL_DEPTH) return fn;
  if (!t.isArrowFunctionExpression(fn) && usesOwnContext(fn.body)) return fn;
  const inner: Purity = { ...p, seen: new Set([...p.seen, fn]), depth: p.depth + 1 };
  for (const param of fn.params) if (!t.isIdentifier(param)) return param;
  return t.isBlockStatement(fn.body) ? statementsEffect(fn.body.body, inner) : effect(fn.body, inner);
}

function statementsEffect(statements: readonly t.Statement[], p: Purity): t.Node | undefined {
  for (const s of statements) {
    const found = statementEffect(s, p);
    if (found !== undefined) return found;
  }
  return undefined;
}

function statementEffect(s: t.Statement, p: Purity): t.Node | undefined {
  if (t.isReturnStatement(s)) return effect(s.argument, p);
  if (t.isVariableDeclaration(s) && s.kind !== "var") {
    for (const d of s.declarations) {
      if (!t.isIdentifier(d.id)) return d;
      const found = effect(d.init, p);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (t.isIfStatement(s)) return effect(s.test, p) ?? statementEffect(s.consequent, p) ?? (s.alternate ? statementEffect(s.alternate, p) : undefined);
  if (t.isBlockStatement(s)) return statementsEffect(s.body, p);
  if (t.isExpressionStatement(s)) return effect(s.expression, p);
  return s;
}

/**
 * The first node of an expression that may have a side effect or give
 * another value another time; purity.ts's rules plus string methods,
 * `JSON.stringify`, dates, and functions of this file.
 */
function effect(node: t.Node | null | undefined, p: Purity): t.Node | undefined {
  if (node === null || node === undefined) return undefined;
  const all = (nodes: readonly (t.Node | null | undefined)[]): t.Node | undefined => {
    for (const n of nodes) {
      const found = effect(n, p);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  switch (node.type) {
    case "TemplateLiteral":
      return all(node.expressions);
    case "MemberExpression":
    case "OptionalMemberExpression":
      return all([node.object, node.computed ? node.property : undefined]);
    case "BinaryExpression":
    case "LogicalExpression":
      return all([node.left, node.right]);
    case "UnaryExpression":
      return node.operator === "delete" ? node : effect(node.argument, p);
    case "ConditionalExpression":
      return all([node.test, node.consequent, node.alternate]);
    case "ParenthesizedExpression":
    case "TSAsExpression":
    case "TSSatisfiesExpression":
    case "TSNonNullExpression":
    case "TSTypeAssertion":
      return effect(node.expression, p);
    case "NewExpression":
      return isDateOf(node, p.scope) ? all(node.arguments) : node;
    case "CallExpression":
    case "OptionalCallExpression": {
      if (node.arguments.some((a) => t.isSpreadElement(a) || t.isArgumentPlaceholder(a))) return node;
      const args = node.arguments as t.Expression[];
      // A built-in purity.ts knows (Math.*, Number, String, …).
      if (firstSideEffect({ ...node, arguments: [] } as t.CallExpression) === undefined) return all(args);
      const name = globalName(node.callee, p.scope);
      if (name !== undefined && MORE_PURE_CALLS.has(name)) return name === "JSON.stringify" && args.length !== 1 ? node : all(args);
      const method = methodName(node.callee);
      const callee = node.callee as t.MemberExpression;
      if (method === "getTime" || method === "valueOf") return isDateOf(callee.object, p.scope) && args.length === 0 ? all(callee.object.arguments) : node;
      if (method !== undefined && STRING_METHODS.has(method)) {
        if (PATTERN_METHODS.has(method) && !inertPattern(args[0], p.scope)) return node;
        if ((method === "replace" || method === "replaceAll") && !inertPattern(args[1], p.scope)) return node;
        return all([callee.object, ...args]);
      }
      if (t.isIdentifier(node.callee)) {
        const local = localFunction(node.callee.name, p.scope);
        if (local === undefined) return node;
        return functionEffect(local.fn, { ...p, scope: local.scope }) === undefined ? all(args) : node;
      }
      return node;
    }
    default:
      // Identifiers, literals, functions made but not called, and the rest as purity.ts says.
      return firstSideEffect(node);
  }
}

/** Whether a key's value is surely not an object (so a cached key and a recomputed one are the same value, even by identity). */
function primitive(node: t.Node, scope: Scope, depth = 0): boolean {
  if (depth > MAX_CALL_DEPTH) return false;
  if (t.isTSAsExpression(node) || t.isTSNonNullExpression(node) || t.isTSSatisfiesExpression(node) || t.isParenthesizedExpression(node)) return primitive(node.expression, scope, depth);
  if ((t.isLiteral(node) && !t.isRegExpLiteral(node)) || t.isBinaryExpression(node)) return true;
  if (t.isUnaryExpression(node)) return node.operator !== "delete";
  if (t.isConditionalExpression(node)) return primitive(node.consequent, scope, depth) && primitive(node.alternate, scope, depth);
  if (!(t.isCallExpression(node) || t.isOptionalCallExpression(node))) return false;
  if (firstSideEffect({ ...node, arguments: [] } as t.CallExpression) === undefined) return true;
  const name = globalName(node.callee, scope);
  if (name !== undefined && MORE_PURE_CALLS.has(name)) return true;
  const method = methodName(node.callee);
  if (method !== undefined && STRING_METHODS.has(method)) return !OBJECT_RESULTS.has(method);
  if (method === "getTime" || method === "valueOf") return true;
  if (t.isIdentifier(node.callee)) {
    const local = localFunction(node.callee.name, scope);
    if (local === undefined) return false;
    const body = local.fn.body;
    if (!t.isBlockStatement(body)) return primitive(body, local.scope, depth + 1);
    const returns: t.ReturnStatement[] = [];
    t.traverseFast(body, (n) => {
      if (t.isReturnStatement(n)) returns.push(n);
    });
    return returns.length > 0 && returns.every((r) => r.argument != null && primitive(r.argument, local.scope, depth + 1));
  }
  return false;
}

// ---------------------------------------------------------------- keys

type Side = "a" | "b";

/** An A-only or B-only expression of the comparator: a key when it computes something and the other side has the same. */
interface Occurrence {
  path: NodePath;
  side: Side;
  /** Computed only in some comparisons (a branch, the right of `&&`, after an early return). */
  conditional: boolean;
  /** It calls something (else it is a cheap read). */
  computes: boolean;
  /** Its text with the side's names replaced by their positions, to match the other side. */
  canonical: string;
}

interface Key {
  a: Occurrence[];
  b: Occurrence[];
}

/** What the comparator's parameters bind: per side, the names in the order the pattern declares them. */
interface Params {
  a: t.Node;
  b: t.Node;
  names: Record<Side, string[]>;
}

/** A pattern's structure with its bound names replaced by their positions (`{ date: x }` → `{date:#0}`), or undefined for a computed key. */
function patternShape(param: t.Node, names: string[]): string | undefined {
  if (t.isIdentifier(param)) return `#${names.indexOf(param.name)}`;
  if (t.isArrayPattern(param)) {
    const parts = param.elements.map((e) => (e === null ? "" : patternShape(e, names)));
    return parts.some((x) => x === undefined) ? undefined : `[${parts.join(",")}]`;
  }
  if (t.isObjectPattern(param)) {
    const parts = param.properties.map((p) => {
      if (!t.isObjectProperty(p) || p.computed) return undefined;
      const key = t.isIdentifier(p.key) ? p.key.name : t.isStringLiteral(p.key) || t.isNumericLiteral(p.key) ? String(p.key.value) : undefined;
      const value = patternShape(p.value, names);
      return key === undefined || value === undefined ? undefined : `${JSON.stringify(key)}:${value}`;
    });
    return parts.some((x) => x === undefined) ? undefined : `{${parts.join(",")}}`;
  }
  return undefined;
}

/** The text of a pattern (or name) without its type annotation. */
function withoutAnnotation(ctx: OperatorContext, param: t.Node): string {
  const annotation = (param as { typeAnnotation?: t.Node | null }).typeAnnotation;
  return ctx.source.slice(param.start!, annotation != null ? annotation.start! : param.end!).replace(/\?$/, "").trimEnd();
}

function paramsOf(fn: NodePath<Fn>, ctx: OperatorContext): Params | { reason: string } {
  const params = fn.node.params;
  if (params.length !== 2) return { reason: `the comparator takes ${params.length} parameter${params.length === 1 ? "" : "s"}, not two` };
  const [a, b] = params as [t.Node, t.Node];
  for (const p of [a, b]) {
    if (!(t.isIdentifier(p) || t.isObjectPattern(p) || t.isArrayPattern(p))) return { reason: `the parameter \`${ctx.text(p)}\` has a default value or is a rest parameter` };
    let nested: t.Node | undefined;
    t.traverseFast(p, (n) => {
      if (t.isAssignmentPattern(n) || t.isRestElement(n)) nested ??= n;
    });
    if (nested !== undefined) return { reason: `the parameter \`${ctx.text(p)}\` has a default value or a rest element inside` };
  }
  const names = { a: Object.keys(t.getBindingIdentifiers(a)), b: Object.keys(t.getBindingIdentifiers(b)) };
  const shape = patternShape(a, names.a);
  if (shape === undefined || shape !== patternShape(b, names.b)) {
    return { reason: "the two parameters are destructured differently, so cdlc cannot match a key of one with the other's" };
  }
  return { a, b, names };
}

/** Which side each name of the comparator's scope belongs to, for identifiers met in its body. */
function sideOf(id: NodePath<t.Identifier>, fn: NodePath<Fn>, params: Params): Side | "local" | "outer" {
  const binding = id.scope.getBinding(id.node.name);
  if (binding === undefined) return "outer";
  for (const side of ["a", "b"] as const) {
    if (params.names[side].includes(id.node.name) && fn.scope.getBinding(id.node.name) === binding && binding.kind === "param") return side;
  }
  return isInside(binding.path, fn) ? "local" : "outer";
}

/** The sides an expression reads (`a`, `b`, a local of the comparator), and whether it calls something. */
function reads(path: NodePath, fn: NodePath<Fn>, params: Params): { sides: Set<string>; computes: boolean; refs: NodePath<t.Identifier>[] } {
  const sides = new Set<string>();
  const refs: NodePath<t.Identifier>[] = [];
  let computes = false;
  const visit = (p: NodePath) => {
    if (p.isIdentifier() && p.isReferencedIdentifier()) {
      const side = sideOf(p, fn, params);
      if (side !== "outer") sides.add(side);
      if (side === "a" || side === "b") refs.push(p);
    } else if (p.isCallExpression() || p.isOptionalCallExpression() || p.isNewExpression()) computes = true;
  };
  visit(path);
  path.traverse({ enter: visit });
  return { sides, computes, refs };
}

/** Whether an expression stands where a value is read (not a callee, an assignment target or a pattern). */
function valuePosition(path: NodePath): boolean {
  const parent = path.parentPath;
  if (parent === null || !path.isExpression() || path.isIdentifier() || path.isLiteral()) return false;
  if ((parent.isCallExpression() || parent.isOptionalCallExpression() || parent.isNewExpression()) && path.key === "callee") return false;
  if (parent.isTaggedTemplateExpression() && path.key === "tag") return false;
  if (parent.isAssignmentExpression() && path.key === "left") return false;
  if (parent.isUpdateExpression() || parent.isUnaryExpression({ operator: "delete" })) return false;
  return !(parent.isPattern() || parent.isRestElement());
}

/** Finds the A-only and B-only expressions of the comparator's body, largest first, noting which are computed only in some comparisons. */
function occurrences(fn: NodePath<Fn>, params: Params, ctx: OperatorContext): Occurrence[] {
  const out: Occurrence[] = [];
  const visit = (path: NodePath, conditional: boolean): void => {
    if (path.isFunction()) return;
    if (valuePosition(path)) {
      const r = reads(path, fn, params);
      const side = r.sides.size === 1 ? ([...r.sides][0] as string) : undefined;
      if (side === "a" || side === "b") {
        let canonical = ctx.text(path.node);
        const base = path.node.start!;
        for (const ref of [...r.refs].sort((x, y) => y.node.start! - x.node.start!)) {
          // A shorthand property (`{ a }`) is also a key named like the side's variable: the text of the other side differs there.
          const shorthand = ref.parentPath.isObjectProperty() && ref.parentPath.node.shorthand;
          const at = ref.node.start! - base;
          const placeholder = shorthand ? `${ref.node.name}:\u0000${params.names[side].indexOf(ref.node.name)}` : `\u0000${params.names[side].indexOf(ref.node.name)}`;
          canonical = `${canonical.slice(0, at)}${placeholder}${canonical.slice(at + ref.node.name.length)}`;
        }
        out.push({ path, side, conditional, computes: r.computes, canonical });
        return;
      }
    }
    const node = path.node;
    if (t.isLogicalExpression(node)) {
      visit(childPath(path, "left"), conditional);
      visit(childPath(path, "right"), true);
    } else if (t.isConditionalExpression(node) || t.isIfStatement(node)) {
      visit(childPath(path, "test"), conditional);
      visit(childPath(path, "consequent"), true);
      if (node.alternate != null) visit(childPath(path, "alternate"), true);
    } else if (t.isOptionalMemberExpression(node) || t.isOptionalCallExpression(node)) {
      const head = t.isOptionalMemberExpression(node) ? "object" : "callee";
      for (const key of t.VISITOR_KEYS[node.type] ?? []) for (const c of children(path, key)) visit(c, key === head ? conditional : true);
    } else if (t.isBlockStatement(node)) {
      // After a statement that may return, the rest runs only in some comparisons.
      let early = conditional;
      for (const s of childPaths(path, "body")) {
        visit(s, early);
        let returns = false;
        t.traverseFast(s.node, (n) => {
          if (t.isReturnStatement(n)) returns = true;
        });
        if (returns) early = true;
      }
    } else {
      for (const key of t.VISITOR_KEYS[node.type] ?? []) for (const c of children(path, key)) visit(c, conditional);
    }
  };
  visit(childPath(fn, "body"), false);
  return out;
}

function children(path: NodePath, key: string): NodePath[] {
  const value = (path.node as unknown as Record<string, unknown>)[key];
  if (Array.isArray(value)) return childPaths(path, key).filter((c) => c.node != null);
  return value !== null && typeof value === "object" ? [childPath(path, key)] : [];
}

// ---------------------------------------------------------------- the rewrite

interface Site {
  call: NodePath<Call>;
  method: "sort" | "toSorted";
  receiver: NodePath;
  comparator: NodePath<Fn>;
}

function siteAt(call: NodePath<Call>): Site | undefined {
  const callee = call.node.callee;
  const method = methodName(callee);
  if (method !== "sort" && method !== "toSorted") return undefined;
  const args = childPaths(call, "arguments");
  const comparator = args[0];
  if (args.length !== 1 || comparator === undefined) return undefined;
  return { call, method, receiver: childPath(childPath(call, "callee"), "object"), comparator: comparator as NodePath<Fn> };
}

function describeSite(site: Site, ctx: OperatorContext): string {
  const optional = t.isOptionalMemberExpression(site.call.node.callee) && site.call.node.callee.optional === true;
  return `\`${ctx.text(site.receiver.node)}${optional ? "?." : "."}${site.method}(…)\` (line ${line(site.call.node)})`;
}

function rewrite(site: Site, ctx: OperatorContext, isTs: boolean): Rewrite | { reason: string } {
  const where = describeSite(site, ctx);
  const refuse = (why: string) => ({ reason: `${where}: ${why}` });
  const fn = site.comparator;
  if (!(fn.isArrowFunctionExpression() || fn.isFunctionExpression())) return refuse(`the comparator \`${ctx.text(fn.node)}\` is not a function literal`);
  if (fn.node.async || fn.node.generator) return refuse(`the comparator is ${fn.node.async ? "async" : "a generator"}`);
  if (fn.node.typeParameters != null) return refuse("the comparator has type parameters");
  const own = ownUse(fn);
  if (own !== undefined) return refuse(`the \`function\` comparator uses \`${ctx.text(own)}\` (line ${line(own)})`);

  const seen = seeValue(site.receiver, ctx);
  if ("why" in seen) return refuse(`${seen.why}; a user's class may sort its own way`);
  if (seen.kind !== "array") return refuse(`\`${ctx.text(site.receiver.node)}\` is a string, not an array`);
  const callee = site.call.node.callee;
  const optional = t.isOptionalMemberExpression(callee) && callee.optional === true;
  if (seen.nullable && !optional) return refuse(`\`${ctx.text(site.receiver.node)}\` may be null or undefined`);
  if (optional && chainGoesOn(site.call)) return refuse("the optional chain goes on after it, and the rewrite cannot end it early");

  const params = paramsOf(fn, ctx);
  if ("reason" in params) return refuse(params.reason);
  const body = fn.node.body;
  const purity: Purity = { scope: fn.scope, seen: new Set(), depth: 0 };
  const impure = t.isBlockStatement(body) ? statementsEffect(body.body, purity) : effect(body, purity);
  if (impure !== undefined) {
    return refuse(`the comparator may have a side effect or give another value another time (\`${ctx.text(impure)}\`, line ${line(impure)}); computing its keys once would change that`);
  }

  const found = occurrences(fn, params, ctx);
  const bySide = new Map<string, Key>();
  for (const o of found.filter((o) => o.computes)) {
    const key = bySide.get(o.canonical) ?? { a: [], b: [] };
    key[o.side].push(o);
    bySide.set(o.canonical, key);
  }
  const paired = [...bySide.values()].filter((k) => k.a.length > 0 && k.b.length > 0);
  if (paired.length === 0) {
    const lone = found.find((o) => o.computes);
    if (lone !== undefined) return refuse(`\`${ctx.text(lone.path.node)}\` has no counterpart on the other side: no key of both elements to precompute`);
    if (found.length > 0) return refuse(`the key is a property read (\`${ctx.text(found[0]!.path.node)}\`): nothing to precompute`);
    return refuse("the comparator computes no key of each element");
  }
  // A key computed only in some comparisons stays where it is: computed for every element, it could throw where the sort does not.
  const keys = paired.filter((k) => k.a.some((o) => !o.conditional) && k.b.some((o) => !o.conditional));
  if (keys.length === 0) {
    const k = paired[0]!;
    const o = k.a.every((x) => x.conditional) ? k.a[0]! : k.b[0]!;
    return refuse(`\`${ctx.text(o.path.node)}\` is computed only in some comparisons; computed for every element, it could throw where the sort does not`);
  }
  let identity: t.Node | undefined;
  fn.traverse({
    BinaryExpression(p) {
      if (["==", "!=", "===", "!=="].includes(p.node.operator)) identity ??= p.node;
    },
    CallExpression(p) {
      if (globalName(p.node.callee, p.scope) === "Object.is") identity ??= p.node;
    },
  });
  const objectKey = keys.find((k) => !primitive(k.a[0]!.path.node, fn.scope));
  if (identity !== undefined && objectKey !== undefined) {
    return refuse(`the key \`${ctx.text(objectKey.a[0]!.path.node)}\` may be a new object each time and \`${ctx.text(identity)}\` compares by identity`);
  }
  return { edits: [{ start: site.call.node.start!, end: site.call.node.end!, text: decorated(site, ctx, { params, keys, isTs, optional }) }], summary: summaryOf(site, ctx, keys, where) };
}

function summaryOf(site: Site, ctx: OperatorContext, keys: Key[], where: string): string {
  const list = keys.map((k) => `\`${ctx.text(k.a[0]!.path.node)}\``).join(", ");
  return `${where}: ${keys.length === 1 ? "the key" : "the keys"} ${list} computed once per element (decorate, sort, undecorate) instead of at every comparison`;
}

interface Parts {
  params: Params;
  keys: Key[];
  isTs: boolean;
  optional: boolean;
}

/** The sort call rewritten: the array decorated with its keys, sorted by the same comparison of the keys, undecorated. */
function decorated(site: Site, ctx: OperatorContext, parts: Parts): string {
  const { params, keys, isTs } = parts;
  const fn = site.comparator;
  const array = ctx.freshName("array");
  const copy = ctx.freshName("copy");
  const props = keys.length === 1 ? ["key"] : keys.map((_, k) => `key${k}`);
  const names = keys.map(() => ({ a: ctx.freshName("ka"), b: ctx.freshName("kb") }));

  // The decoration: each element with its keys, `undefined` (and holes) left as they are.
  const keyOf = (k: Key) => ctx.text(k.a[0]!.path.node);
  const fields = (value: string) => `{ ${value === "value" ? value : `value: ${value}`}, ${keys.map((k, j) => `${props[j]}: ${keyOf(k)}`).join(", ")} }`;
  const skip = (v: string, wrap: boolean) => (isTs ? (wrap ? `(${v} as never)` : `${v} as never`) : v);
  let decorate: string;
  let defined: string;
  if (t.isIdentifier(params.a)) {
    const a = params.a.name;
    decorate = `(${a}) => (${a} === undefined ? ${skip(a, true)} : ${fields(a)})`;
    defined = `(${a}) => ${a} !== undefined`;
  } else {
    const v = ctx.freshName("value");
    decorate = `(${v}) => { if (${v} === undefined) return ${skip(v, false)}; const ${withoutAnnotation(ctx, params.a)} = ${v}; return ${fields(v)}; }`;
    defined = `(${v}) => ${v} !== undefined`;
  }

  // The comparator: the same text, its parameters now entries, each key replaced by its precomputed value.
  const replaced = new Set<t.Node>();
  const edits: { start: number; end: number; text: string }[] = [];
  keys.forEach((k, j) => {
    for (const side of ["a", "b"] as const) {
      for (const o of k[side]) {
        replaced.add(o.path.node);
        edits.push({ start: o.path.node.start!, end: o.path.node.end!, text: names[j]![side] });
      }
    }
  });
  const entryParam = (side: Side) => {
    const fieldsOf = keys.map((_, j) => `${props[j]}: ${names[j]![side]}`);
    const value = readsBesidesKeys(fn, params, side, replaced) ? [`value: ${withoutAnnotation(ctx, params[side])}`] : [];
    return `{ ${[...value, ...fieldsOf].join(", ")} }`;
  };
  const [pa, pb] = fn.node.params as [t.Node, t.Node];
  edits.push({ start: pa.start!, end: pb.end!, text: `${entryParam("a")}, ${entryParam("b")}` });
  edits.sort((x, y) => y.start - x.start);
  let comparator = ctx.text(fn.node);
  const base = fn.node.start!;
  for (const e of edits) comparator = `${comparator.slice(0, e.start - base)}${e.text}${comparator.slice(e.end - base)}`;

  const code = new Code();
  const unpack = isTs ? "?.value!" : "?.value";
  code.open(`((${array}) => {`);
  if (parts.optional) code.add(`if (${array} == null) return undefined;`);
  if (site.method === "sort") {
    const sorted = ctx.freshName("sorted");
    const i = ctx.freshName("i");
    code.add(`const ${copy} = ${array}.slice();`);
    code.add(`if (${copy}.filter(${defined}).length < 2) return ${array}.sort();`);
    code.add(`const ${sorted} = ${copy}.map(${decorate}).sort(${comparator});`);
    code.open(`for (let ${i} = 0; ${i} < ${sorted}.length; ${i}++) {`);
    code.add(`if (${i} in ${sorted}) ${array}[${i}] = ${sorted}[${i}]${unpack};`);
    code.add(`else delete ${array}[${i}];`);
    code.close();
    code.add(`return ${array};`);
  } else {
    const entry = ctx.freshName("entry");
    code.add(`const ${copy} = [...${array}];`);
    code.add(`if (${copy}.filter(${defined}).length < 2) return ${array}.toSorted();`);
    code.add(`return ${copy}.map(${decorate}).sort(${comparator}).map((${entry}) => ${entry}${unpack});`);
  }
  code.close(`})(${t.isSequenceExpression(site.receiver.node) ? `(${ctx.text(site.receiver.node)})` : ctx.text(site.receiver.node)})`);
  const multiline = ctx.text(ctx.fn.node).includes("\n");
  return code.print(multiline ? indentOf(ctx.source, site.call.node.start!) : undefined);
}

/** Whether the comparator reads a side's names outside the keys being replaced (`a.id - b.id` after the keys): then its entry keeps the value. */
function readsBesidesKeys(fn: NodePath<Fn>, params: Params, side: Side, replaced: ReadonlySet<t.Node>): boolean {
  let reads = false;
  fn.traverse({
    Identifier(p) {
      if (reads || !p.isReferencedIdentifier() || sideOf(p, fn, params) !== side) return;
      if (p.findParent((q) => replaced.has(q.node)) === null) reads = true;
    },
  });
  return reads;
}

export const sortKeys: Operator = {
  id: "sort_keys",
  risk: 0.2,
  byNameOnly: false,
  apply(ctx) {
    const sites: Site[] = [];
    const visit = (p: NodePath<Call>) => {
      const site = siteAt(p);
      if (site !== undefined) sites.push(site);
    };
    ctx.fn.traverse({ CallExpression: visit, OptionalCallExpression: visit });
    if (sites.length === 0) return { reason: "no `sort` or `toSorted` call with a comparator in the body" };
    const isTs = hasTypeScript(ctx);
    const rewrites: Rewrite[] = [];
    const reasons: string[] = [];
    for (const site of sites) {
      const r = rewrite(site, ctx, isTs);
      if ("reason" in r) reasons.push(r.reason);
      else rewrites.push(r);
    }
    return rewrites.length > 0 ? { rewrites } : { reason: reasons.join("; ") };
  },
};
