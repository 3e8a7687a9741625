import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { MUTATING_METHODS } from "../loops.js";
import type { Operator, OperatorContext, Rewrite } from "../types.js";
import { childPath, childPaths } from "../source.js";
import { accumulatorTypes, FileTypeNames, type AccumulatorTypes, type KeyKind } from "./accumulator-types.js";
import { hasTypeScript } from "./loop-fusion.js";

/**
 * accumulator_mutation: a `reduce` (or `reduceRight`) whose callback returns
 * a copy of its accumulator plus something (`{ ...acc, [k]: v }`,
 * `[...acc, x]`, `acc.concat([x])`, `Object.assign({}, acc, { k: v })`)
 * copies everything gathered so far at every step: quadratic. The rewrite
 * keeps the call and makes the callback update the one accumulator and
 * return it (`acc.k = v; return acc;`, `acc.push(x); return acc;`): linear.
 *
 * Preconditions, each with its reason:
 * - The initial value is an object or array literal written at the call
 *   (`{}`, `[]`, `{} as Record<K, V>`, `<T[]>[]`). Any other value may be
 *   shared with the caller, who would see it change. Without an initial
 *   value the accumulator is the caller's first element.
 * - That literal has no getter or setter (a copy turns them into plain
 *   properties, an assignment would run them), no literal `__proto__` key
 *   (the first copy drops the prototype it sets) and no hole (the first
 *   array copy fills it with `undefined`).
 * - The callback is a function literal, neither async nor a generator, whose
 *   first parameter names the accumulator and is never assigned. A
 *   `function` callback does not use `arguments`, and nothing calls `eval`:
 *   both could reach the accumulator under another name.
 * - Every `return` gives the accumulator itself, a copy of it, or a choice
 *   between those (`c ? [...acc, x] : acc`), and the callback cannot end
 *   without a `return` (if/else, `switch` with a `default` and no `break`
 *   out of it, `try`): the next step must get the accumulator. The original
 *   would start again from `undefined`; in place, the accumulator is lost.
 * - The accumulator does not escape: no closure captures it, it is not
 *   stored, passed to other code, compared (`acc === prev` tells the copies
 *   apart), changed, or given to a method as `this`. Property reads, `k in
 *   acc`, `const { a } = acc`, `Object.keys(acc)`, spreading it, and the
 *   array methods that only read it (with a callback literal that does not
 *   take the array) are allowed: they run before the update of the step.
 * - `...acc` comes first. `{ a: 1, ...acc }` lets keys of acc override `a`,
 *   and `[x, ...acc]` would need `unshift`, as slow as the copy.
 * - Object copies add `key: value` properties only: no second spread and no
 *   method or accessor. A literal `__proto__` key sets the copy's prototype
 *   instead of adding a property: refused.
 * - A key the literal defines but an assignment would not: a computed key
 *   that may be `"__proto__"` (an assignment sets the prototype instead) or
 *   the name of a property of `Object.prototype` (an assignment fails when
 *   that prototype is frozen, as hardened JavaScript does). Such keys are set
 *   with `Object.defineProperty` and a plain data descriptor, exactly what
 *   the literal does; keys known to be none of these (literals, numbers,
 *   the index parameter, strings with a telling prefix or suffix) get a
 *   plain assignment.
 * - `Object.assign({}, acc, …)` sets keys by assignment in both versions, but
 *   a `__proto__` key there would change the copy's prototype for one step
 *   and the accumulator's for all later ones: its sources must be object
 *   literals with keys known not to be `__proto__`, and such a callback has
 *   no other kind of copy.
 * - `acc.concat(…)` flattens arrays but not other values: only array
 *   literal arguments.
 * - An array spread after `...acc` (`[...acc, ...ys]`) becomes a `for…of`
 *   loop that pushes (`push(...ys)` throws RangeError for very long `ys`).
 * - Once a copy's update has begun, its remaining keys and values do not
 *   read the accumulator (they would see the new values), except a written-
 *   out key (`acc.b`) that no earlier statement of that copy can have set
 *   (`{ ...s, a: s.a + 1, b: s.b - 1 }`). A loop's iterable never reads it.
 * - No copy is returned inside `try`: an exception in the middle of an
 *   update, caught there, would leave the accumulator half-changed.
 * - Types, in a TypeScript file: a copy type-checks where a write may not
 *   (`{ ...acc, [k]: v }` extends a `{}`, `acc[k] = v` cannot index one), so
 *   the writes follow the accumulator's type as the file writes it (the
 *   callback's annotation, else the reduce's type argument, else the initial
 *   value's assertion or literal — and the receiver's element type too, when
 *   it is written and could hold the initial value: TypeScript's
 *   `reduce(cb, initial: T)` overload then types the accumulator with it;
 *   see accumulator-types.ts). A readonly accumulator (`readonly T[]`,
 *   `ReadonlyArray`, `Readonly<…>`, a readonly member, `as const`) is
 *   refused: changing it in place is what its type forbids. An array copy
 *   needs a type cdlc sees is a mutable array (`T[]`, `Array<T>`, a literal,
 *   the file's alias of one), or `push` may not type-check: refused. An
 *   object key is assigned only where every possible type shows it writable
 *   (a declared property: `acc.k = v`; an index signature of the key's kind:
 *   `acc["k"] = v`, as `noPropertyAccessFromIndexSignature` wants); any other
 *   key is set with `Object.defineProperty`, which does at run time exactly
 *   what the literal does and type-checks on any object. So an untyped `{}`
 *   still gets a linear variant of the same type, `{}`. Adding a type
 *   argument instead would change the type of the reduce's result, which the
 *   rest of the function sees. A callback whose declared return type is not
 *   written as the accumulator's type is refused (`return acc` may not match
 *   it where the copy did). A type cdlc cannot follow (imported, a type
 *   parameter) allows no assignment; an element type it cannot see is taken
 *   not to hold the initial value (left to the compile check). A JavaScript
 *   file has no types to follow.
 *
 * What is left to testing (the risk): the receiver's `reduce` behaves like
 * Array's (calls the callback in order, each time with what the last call
 * returned, keeps no earlier accumulator, lets an exception through); nothing
 * was added to `Object.prototype` or patched in the array built-ins; and a
 * computed key that is an object whose conversion to a key has side effects
 * (`acc[k] = v` and `defineProperty` convert it after computing `v`, the
 * literal before). An exception thrown in the middle of an update leaves
 * a half-updated accumulator that nothing can reach: the accumulator was
 * never handed out, and `reduce` is abandoned.
 *
 * Side effects of the callback keep their order: the callback runs as
 * often as before, and each step computes the same keys and values in the
 * same order; only the accumulator's identity changes, which nothing can
 * observe under the rules above.
 */

type Callback = t.ArrowFunctionExpression | t.FunctionExpression;
type Call = t.CallExpression | t.OptionalCallExpression;

const REDUCE_METHODS = new Set(["reduce", "reduceRight"]);

/** The own keys of `Object.prototype`: the literal defines them, an assignment may not (`__proto__`, a frozen prototype). */
const OBJECT_PROTOTYPE_KEYS = new Set([
  "__proto__", "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "toString", "valueOf",
  "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__",
]);

/** Array methods that read an array without handing it to other code. */
const ARRAY_READS = new Set(["includes", "indexOf", "lastIndexOf", "at", "join", "slice"]);
/** Array methods that read it and call a callback (which gets the array as its third argument). */
const ARRAY_CALLBACK_READS = new Set(["some", "every", "find", "findIndex", "findLast", "findLastIndex", "filter", "map", "flatMap", "forEach"]);
/** Built-ins that read an object given as their first argument and keep nothing. */
const READING_BUILTINS = new Set(["Object.keys", "Object.values", "Object.entries", "Object.hasOwn", "Object.getOwnPropertyNames", "Object.getOwnPropertySymbols", "Array.isArray"]);

const WRAPPERS = new Set(["TSAsExpression", "TSSatisfiesExpression", "TSNonNullExpression", "TSTypeAssertion", "ParenthesizedExpression"]);

class Refusal {
  constructor(readonly reason: string) {}
}
function refuse(reason: string): never {
  throw new Refusal(reason);
}

/** One statement of the update, with the expressions it evaluates. */
interface Step {
  text: string;
  operands: t.Node[];
  /** A `for…of` that pushes: its iterable must not be the accumulator. */
  loop: boolean;
  /** The key an object step writes, when it is known. */
  key?: string;
}

interface Copy {
  node: t.Node;
  family: "object" | "array";
  viaAssign: boolean;
  steps: Step[];
}

type Shape = { kind: "acc" } | { kind: "copy"; copy: Copy } | { kind: "cond"; test: t.Expression; then: Shape; otherwise: Shape };

/** What the operator knows of one reduce callback. */
interface Site {
  ctx: OperatorContext;
  path: NodePath<Callback>;
  /** `xs.reduce(…)` (line n), to start reasons. */
  where: string;
  acc: string;
  /** The identifiers that refer to the accumulator parameter, with their paths. */
  refs: Map<t.Node, NodePath>;
  /** Those that are the copied accumulator of a copy (`...acc`, `acc.concat`, `Object.assign({}, acc)`), or returned as is. */
  allowed: Set<t.Node>;
  /** The identifiers that refer to the index parameter, when it is never assigned (a number). */
  indexRefs: Set<t.Node>;
  needsObject: boolean;
  copies: Copy[];
  /** In a TypeScript file, the accumulator's possible types: what the writes must type-check on. */
  types?: AccumulatorTypes;
}

const line = (node: t.Node): number | undefined => node.loc?.start.line;

function snippet(ctx: OperatorContext, node: t.Node, max = 60): string {
  const s = ctx.text(node).replace(/\s+/g, " ");
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Text of an expression put where an AssignmentExpression goes (an argument, the right of `=`). */
function operand(ctx: OperatorContext, node: t.Node): string {
  return t.isSequenceExpression(node) ? `(${ctx.text(node)})` : ctx.text(node);
}

/** The expression inside TypeScript assertions and parentheses (`(acc as T)!` → `acc`). */
function unwrap(node: t.Node): t.Node {
  let n = node;
  while (WRAPPERS.has(n.type)) n = (n as t.TSAsExpression).expression;
  return n;
}

/** The outermost assertion or parenthesis around `path` (`acc` in `(acc as T)` → the `as`). */
function outermost(path: NodePath): NodePath {
  let p = path;
  while (p.parentPath !== null && WRAPPERS.has(p.parentPath.node.type) && (p.parentPath.node as t.TSAsExpression).expression === p.node) p = p.parentPath;
  return p;
}

function findAll(node: t.Node, nodes: Map<t.Node, NodePath>): NodePath[] {
  const found: NodePath[] = [];
  t.traverseFast(node, (n) => {
    const p = nodes.get(n);
    if (p !== undefined) found.push(p);
  });
  return found;
}

/** The key of a computed key written as a literal (`["a"]`, `[1]`), as `{ key }`; else nothing. */
function literalKey(node: t.Node): { key?: string } {
  const e = unwrap(node);
  if (t.isStringLiteral(e)) return { key: e.value };
  if (t.isNumericLiteral(e)) return { key: String(e.value) };
  if (t.isTemplateLiteral(e) && e.expressions.length === 0 && e.quasis[0]?.value.cooked !== undefined && e.quasis[0].value.cooked !== null) return { key: e.quasis[0].value.cooked };
  return {};
}

/** The key a property read of the accumulator reads when it is written out (`acc.a`, `acc["a"]`); undefined otherwise. */
function readKey(ref: NodePath): string | undefined {
  const self = outermost(ref);
  const member = self.parent;
  if (!(t.isMemberExpression(member) || t.isOptionalMemberExpression(member)) || member.object !== self.node) return undefined;
  if (!member.computed) return t.isIdentifier(member.property) ? member.property.name : undefined;
  return literalKey(member.property).key;
}

/** The children of a node, in source order. */
function children(node: t.Node): t.Node[] {
  const out: t.Node[] = [];
  for (const key of t.VISITOR_KEYS[node.type] ?? []) {
    const child = (node as unknown as Record<string, unknown>)[key];
    for (const c of Array.isArray(child) ? child : [child]) if (c !== null && typeof c === "object" && typeof (c as t.Node).type === "string") out.push(c as t.Node);
  }
  return out;
}

/** `Object.assign` or `Array.isArray` written with the global, unshadowed. */
function globalMember(callee: t.Node, scope: NodePath, names: Set<string>): boolean {
  if (!t.isMemberExpression(callee) || callee.computed || !t.isIdentifier(callee.object) || !t.isIdentifier(callee.property)) return false;
  return names.has(`${callee.object.name}.${callee.property.name}`) && scope.scope.getBinding(callee.object.name) === undefined;
}
const OBJECT_ASSIGN = new Set(["Object.assign"]);

/** The name of a non-computed key. */
function staticKey(key: t.Node): string | undefined {
  if (t.isIdentifier(key)) return key.name;
  if (t.isStringLiteral(key)) return key.value;
  if (t.isNumericLiteral(key)) return String(key.value);
  if (t.isBigIntLiteral(key)) return key.value;
  return undefined;
}

const NUMERIC_OR_BOOLEAN_OPERATORS = new Set(["-", "*", "/", "%", "**", "&", "|", "^", "<<", ">>", ">>>", "==", "!=", "===", "!==", "<", ">", "<=", ">=", "in", "instanceof"]);

/** What a string-valued expression is known to start and end with; undefined when it may not be a string. */
function stringAffixes(node: t.Node): { prefix: string; suffix: string } | undefined {
  const e = unwrap(node);
  if (t.isStringLiteral(e)) return { prefix: e.value, suffix: e.value };
  if (t.isTemplateLiteral(e)) return { prefix: e.quasis[0]?.value.cooked ?? "", suffix: e.quasis[e.quasis.length - 1]?.value.cooked ?? "" };
  if (t.isBinaryExpression(e, { operator: "+" })) {
    // When one side is a string, `+` concatenates: the string side's affix stays.
    const left = stringAffixes(e.left);
    const right = stringAffixes(e.right);
    if (left === undefined && right === undefined) return undefined;
    return { prefix: left?.prefix ?? "", suffix: right?.suffix ?? "" };
  }
  return undefined;
}

/**
 * Whether a computed key is surely a primitive that is neither `__proto__`
 * nor another key of `Object.prototype`: then `acc[key] = value` does what
 * the literal does, and converting the key runs no code.
 */
function plainKey(node: t.Node, site: Site): boolean {
  const e = unwrap(node);
  if (t.isNumericLiteral(e) || t.isBigIntLiteral(e) || t.isBooleanLiteral(e) || t.isNullLiteral(e)) return true;
  if (t.isStringLiteral(e) || (t.isTemplateLiteral(e) && e.expressions.length === 0)) {
    const value = t.isStringLiteral(e) ? e.value : e.quasis[0]?.value.cooked;
    return value !== undefined && !OBJECT_PROTOTYPE_KEYS.has(value);
  }
  const affixes = stringAffixes(e);
  if (affixes !== undefined) {
    const names = [...OBJECT_PROTOTYPE_KEYS];
    return (affixes.prefix !== "" && !names.some((n) => n.startsWith(affixes.prefix))) || (affixes.suffix !== "" && !names.some((n) => n.endsWith(affixes.suffix)));
  }
  // Numbers, booleans and type names convert to keys that are none of these.
  if (t.isUnaryExpression(e)) return ["-", "+", "~", "!", "typeof", "void"].includes(e.operator);
  if (t.isBinaryExpression(e)) return NUMERIC_OR_BOOLEAN_OPERATORS.has(e.operator);
  if (t.isConditionalExpression(e)) return plainKey(e.consequent, site) && plainKey(e.alternate, site);
  return site.indexRefs.has(e);
}

/** The statement that sets one property of an object copy on the accumulator itself. */
function propertyStep(p: t.ObjectExpression["properties"][number], copy: t.Node, site: Site): Step {
  const { ctx, acc, where } = site;
  if (t.isSpreadElement(p)) {
    refuse(`${where}: \`${snippet(ctx, copy)}\` (line ${line(copy)}) also spreads \`${snippet(ctx, p.argument)}\`: in place that would take \`Object.assign\`, which sets keys by assignment (a \`__proto__\` key would set the prototype) where the spread defines them`);
  }
  if (t.isObjectMethod(p)) {
    refuse(`${where}: \`${snippet(ctx, p)}\` (line ${line(p)}) is a ${p.kind === "method" ? "method" : p.kind === "get" ? "getter" : "setter"}; cdlc moves only \`key: value\` properties onto the accumulator`);
  }
  const value = p.value as t.Expression;
  const v = operand(ctx, value);
  const define = (key: string, name?: string): Step => {
    site.needsObject = true;
    const text = `Object.defineProperty(${acc}, ${key}, { value: ${v}, writable: true, enumerable: true, configurable: true });`;
    return { text, operands: [p.key, value], loop: false, ...(name === undefined ? {} : { key: name }) };
  };
  if (!p.computed) {
    const name = staticKey(p.key);
    if (name === undefined) refuse(`${where}: cdlc does not read the key of \`${snippet(ctx, p)}\` (line ${line(p)})`);
    if (name === "__proto__") {
      refuse(`${where}: \`${snippet(ctx, p)}\` (line ${line(p)}) is a literal \`__proto__\` key, which sets the copy's prototype instead of adding a property; an assignment in place would not do the same`);
    }
    const access = OBJECT_PROTOTYPE_KEYS.has(name) ? undefined : writable(site, keyKinds(p.key, false, site));
    // The literal may add a key the accumulator's type does not have (`{ ...acc, a: 1 }` on a `{}`): defined, which type-checks on any object.
    if (access === undefined) return define(t.isIdentifier(p.key) ? JSON.stringify(name) : ctx.text(p.key), name);
    const target = !t.isIdentifier(p.key) ? `${acc}[${ctx.text(p.key)}]` : access === "property" ? `${acc}.${name}` : `${acc}[${JSON.stringify(name)}]`;
    return { text: `${target} = ${v};`, operands: [value], loop: false, key: name };
  }
  if (plainKey(p.key, site) && writable(site, keyKinds(p.key, true, site)) !== undefined) {
    return { text: `${acc}[${ctx.text(p.key)}] = ${v};`, operands: [p.key, value], loop: false, ...literalKey(p.key) };
  }
  // The key may be "__proto__" (the literal makes an own property, an assignment would set the prototype),
  // or the accumulator's type may not let it be assigned (`acc[k] = v` on a `{}`).
  return define(operand(ctx, p.key), literalKey(p.key).key);
}

/** How an assignment of a key of these kinds type-checks on the accumulator (any way, outside TypeScript). */
function writable(site: Site, kinds: readonly KeyKind[]): "property" | "index" | undefined {
  return site.types === undefined ? "property" : site.types.assigns(kinds);
}

const NUMERIC_OPERATORS = new Set(["-", "*", "/", "%", "**", "&", "|", "^", "<<", ">>", ">>>"]);

/** What the syntax of a key tells of its type: a written-out name, a string, a number, or nothing cdlc relies on. */
function keyKinds(key: t.Node, computed: boolean, site: Site): KeyKind[] {
  if (t.isStringLiteral(key)) return [{ name: key.value, numeric: false }];
  if (t.isNumericLiteral(key)) return [{ name: String(key.value), numeric: true }];
  if (!computed) return t.isIdentifier(key) ? [{ name: key.name, numeric: false }] : ["other"];
  if (t.isTemplateLiteral(key)) return key.expressions.length === 0 ? [{ name: key.quasis[0]?.value.cooked ?? "", numeric: false }] : ["string"];
  if (t.isBinaryExpression(key, { operator: "+" })) return stringAffixes(key) === undefined ? ["other"] : ["string"];
  if (t.isUnaryExpression(key)) return key.operator === "typeof" ? ["string"] : ["-", "+", "~"].includes(key.operator) ? ["number"] : ["other"];
  if (t.isBinaryExpression(key)) return NUMERIC_OPERATORS.has(key.operator) ? ["number"] : ["other"];
  if (t.isConditionalExpression(key)) return [...keyKinds(key.consequent, true, site), ...keyKinds(key.alternate, true, site)];
  return site.indexRefs.has(key) ? ["number"] : ["other"];
}

/** The statements that append elements (after `...acc`) to the accumulator. */
function appendSteps(elements: readonly (t.Node | null)[], copy: t.Node, site: Site): Step[] {
  const { ctx, acc, where } = site;
  const steps: Step[] = [];
  let group: t.Node[] = [];
  const flush = () => {
    if (group.length > 0) steps.push({ text: `${acc}.push(${group.map((g) => operand(ctx, g)).join(", ")});`, operands: group, loop: false });
    group = [];
  };
  for (const el of elements) {
    if (el === null) refuse(`${where}: \`${snippet(ctx, copy)}\` (line ${line(copy)}) leaves a hole in the array, which \`push\` cannot make`);
    if (t.isSpreadElement(el)) {
      flush();
      const item = ctx.freshName("item");
      steps.push({ text: `for (const ${item} of ${operand(ctx, el.argument)}) ${acc}.push(${item});`, operands: [el.argument], loop: true });
    } else group.push(el);
  }
  flush();
  return steps;
}

function isCall(node: t.Node): node is Call {
  return t.isCallExpression(node) || t.isOptionalCallExpression(node);
}

function memberCall(node: t.Node, name: string): (Call & { callee: t.MemberExpression | t.OptionalMemberExpression }) | undefined {
  if (!isCall(node)) return undefined;
  const callee = node.callee;
  if (!(t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) || callee.computed || !t.isIdentifier(callee.property, { name })) return undefined;
  return node as Call & { callee: t.MemberExpression | t.OptionalMemberExpression };
}

/** `Object.assign(target, acc, …)` with the global `Object`. */
function assignCall(node: t.Node, site: Pick<Site, "path" | "refs">): Call | undefined {
  if (!isCall(node) || !globalMember(node.callee, site.path, OBJECT_ASSIGN)) return undefined;
  const source = node.arguments[1];
  return source !== undefined && site.refs.has(unwrap(source)) ? node : undefined;
}

/** Whether `node` makes a copy of the accumulator (in any of the four forms). */
function isCopyNode(node: t.Node, site: Pick<Site, "path" | "refs">): boolean {
  if (t.isObjectExpression(node)) return node.properties.some((p) => t.isSpreadElement(p) && site.refs.has(unwrap(p.argument)));
  if (t.isArrayExpression(node)) return node.elements.some((e) => t.isSpreadElement(e) && site.refs.has(unwrap(e.argument)));
  const concat = memberCall(node, "concat");
  if (concat !== undefined) return site.refs.has(unwrap(concat.callee.object));
  return assignCall(node, site) !== undefined;
}

/** The copy `e` makes of the accumulator, as statements that update it instead; undefined when `e` is no copy. */
function parseCopy(e: t.Node, site: Site): Copy | undefined {
  const { ctx, acc, where } = site;
  const at = `\`${snippet(ctx, e)}\` (line ${line(e)})`;
  let copy: Copy | undefined;
  if (t.isObjectExpression(e)) {
    const i = e.properties.findIndex((p) => t.isSpreadElement(p) && site.refs.has(unwrap(p.argument)));
    if (i < 0) return undefined;
    if (i > 0) refuse(`${where}: in ${at}, \`...${acc}\` is not first: its keys override the ones written before it, which updating in place would not do`);
    site.allowed.add(unwrap((e.properties[0] as t.SpreadElement).argument));
    copy = { node: e, family: "object", viaAssign: false, steps: e.properties.slice(1).map((p) => propertyStep(p, e, site)) };
  } else if (t.isArrayExpression(e)) {
    const i = e.elements.findIndex((el) => t.isSpreadElement(el) && site.refs.has(unwrap(el.argument)));
    if (i < 0) return undefined;
    if (i > 0) refuse(`${where}: ${at} puts elements before \`...${acc}\`; in place that is an \`unshift\`, which moves every element and is no faster than the copy`);
    site.allowed.add(unwrap((e.elements[0] as t.SpreadElement).argument));
    copy = { node: e, family: "array", viaAssign: false, steps: appendSteps(e.elements.slice(1), e, site) };
  } else if (memberCall(e, "concat") !== undefined && site.refs.has(unwrap(memberCall(e, "concat")!.callee.object))) {
    const call = memberCall(e, "concat")!;
    const elements: (t.Node | null)[] = [];
    for (const arg of call.arguments) {
      if (!t.isArrayExpression(arg)) {
        refuse(`${where}: in ${at}, \`${snippet(ctx, arg)}\` may or may not be an array (\`concat\` flattens arrays only); cdlc rewrites \`concat\` with array literals`);
      }
      elements.push(...arg.elements);
    }
    site.allowed.add(unwrap(call.callee.object));
    copy = { node: e, family: "array", viaAssign: false, steps: appendSteps(elements, e, site) };
  } else {
    const call = assignCall(e, site);
    if (call === undefined) return undefined;
    const [target, source, ...rest] = call.arguments;
    const targetNode = target === undefined ? undefined : unwrap(target);
    if (!t.isObjectExpression(targetNode) || targetNode.properties.length > 0) {
      refuse(`${where}: ${at} copies \`${acc}\` into \`${target === undefined ? "" : snippet(ctx, target)}\`, not into a new \`{}\``);
    }
    for (const arg of rest) {
      const why = `${where}: in ${at}, \`Object.assign\` sets each key of \`${snippet(ctx, arg)}\` by assignment, and a \`__proto__\` key would change the prototype of one copy but, in place, of the accumulator for all later steps`;
      if (!t.isObjectExpression(arg)) refuse(`${why}; cdlc cannot see the keys of anything but an object literal`);
      for (const p of arg.properties) {
        if (t.isSpreadElement(p) || (p.computed ? !plainKey(p.key, site) : OBJECT_PROTOTYPE_KEYS.has(staticKey(p.key) ?? "__proto__"))) refuse(`${why}; \`${snippet(ctx, p)}\` could be such a key`);
      }
    }
    site.allowed.add(unwrap(source!));
    const steps: Step[] = rest.length === 0 ? [] : [{ text: `${ctx.text(call.callee)}(${acc}, ${rest.map((r) => operand(ctx, r)).join(", ")});`, operands: rest, loop: false }];
    copy = { node: e, family: "object", viaAssign: true, steps };
  }
  // Once the update has begun, the accumulator holds new values: later reads would see them,
  // except a read of a key of an object that no earlier step can have written.
  const written = new Set<string>();
  let anyKey = false;
  copy.steps.forEach((step, i) => {
    for (const o of step.operands) {
      for (const ref of findAll(o, site.refs)) {
        if (step.loop) refuse(`${where}: in ${at}, the loop over \`${snippet(ctx, o)}\` would read \`${acc}\` while adding to it`);
        const key = copy!.family === "object" && !anyKey ? readKey(ref) : undefined;
        if (i > 0 && (key === undefined || written.has(key))) {
          refuse(`${where}: in ${at}, \`${snippet(ctx, o)}\` reads \`${acc}\` after the update in place has begun, so it would see the new values where the original reads the old ones`);
        }
      }
    }
    if (step.key === undefined) anyKey = true;
    else written.add(step.key);
  });
  site.copies.push(copy);
  return copy;
}

/** What a returned expression gives the next step: the accumulator, a copy of it, or a choice between those. */
function parseShape(expr: t.Node, site: Site): Shape {
  const e = unwrap(expr);
  if (site.refs.has(e)) {
    site.allowed.add(e);
    return { kind: "acc" };
  }
  if (t.isConditionalExpression(e)) return { kind: "cond", test: e.test, then: parseShape(e.consequent, site), otherwise: parseShape(e.alternate, site) };
  const copy = parseCopy(e, site);
  if (copy !== undefined) return { kind: "copy", copy };
  return refuse(`${site.where}: the callback returns \`${snippet(site.ctx, expr)}\` (line ${line(expr)}), which is neither \`${site.acc}\` nor a copy of it written in the \`return\``);
}

const hasCopy = (shape: Shape): boolean => shape.kind === "copy" || (shape.kind === "cond" && (hasCopy(shape.then) || hasCopy(shape.otherwise)));

function simpleTest(node: t.Node): boolean {
  return t.isIdentifier(node) || t.isMemberExpression(node) || t.isOptionalMemberExpression(node) || isCall(node) || t.isUnaryExpression(node) || t.isThisExpression(node);
}

/** The statements that do in place what `shape` does by copying (without the final `return`). */
function statementsOf(shape: Shape, ctx: OperatorContext): string[] {
  if (shape.kind === "acc") return [];
  if (shape.kind === "copy") return shape.copy.steps.map((s) => s.text);
  const then = statementsOf(shape.then, ctx);
  const otherwise = statementsOf(shape.otherwise, ctx);
  const test = ctx.text(shape.test);
  const block = (s: string[]) => `{ ${s.join(" ")} }`;
  if (otherwise.length === 0) return [`if (${test}) ${then.length === 0 ? "{}" : block(then)}`];
  if (then.length === 0) return [`if (!${simpleTest(shape.test) ? test : `(${test})`}) ${block(otherwise)}`];
  const elseIf = shape.otherwise.kind === "cond" && otherwise.length === 1 && otherwise[0]!.startsWith("if (");
  return [`if (${test}) ${block(then)} else ${elseIf ? otherwise[0]! : block(otherwise)}`];
}

/** Whether a statement of the callback's top level always ends by `return` or `throw`. */
function alwaysExits(s: t.Statement): boolean {
  if (t.isReturnStatement(s) || t.isThrowStatement(s)) return true;
  if (t.isBlockStatement(s)) return s.body.some(alwaysExits);
  if (t.isIfStatement(s)) return s.alternate !== null && s.alternate !== undefined && alwaysExits(s.consequent) && alwaysExits(s.alternate);
  if (t.isSwitchStatement(s)) {
    // Every case falls through to the last one unless it leaves the callback first or breaks out.
    const last = s.cases[s.cases.length - 1];
    return s.cases.some((c) => c.test === null || c.test === undefined) && last !== undefined && last.consequent.some(alwaysExits) && !breaksOutOf(s);
  }
  if (t.isTryStatement(s)) return (s.finalizer !== null && s.finalizer !== undefined && alwaysExits(s.finalizer)) || (alwaysExits(s.block) && (s.handler === null || s.handler === undefined || alwaysExits(s.handler.body)));
  return false;
}

/** Whether a `break` inside the switch (not in a loop or switch inside it) leaves it. */
function breaksOutOf(sw: t.SwitchStatement): boolean {
  const visit = (n: t.Node, nested: boolean): boolean => {
    if (t.isBreakStatement(n) && (n.label === null || n.label === undefined)) return !nested;
    if (t.isFunction(n)) return false;
    const inner = nested || (n !== sw && (t.isLoop(n) || t.isSwitchStatement(n)));
    return children(n).some((c) => visit(c, inner));
  };
  return visit(sw, false);
}

/** Why a use of the accumulator (other than the copy itself) could tell the in-place version apart; undefined for a read. */
function whyUseMatters(ref: NodePath, site: Site, family: "object" | "array"): string | undefined {
  const { ctx, acc } = site;
  const fn = ref.getFunctionParent();
  if (fn !== null && fn.node !== site.path.node) {
    return `\`${acc}\` is captured by a closure (\`${snippet(ctx, fn.node, 40)}\`, line ${line(ref.node)}), which could see it change after this step`;
  }
  if (site.allowed.has(ref.node)) return undefined;
  const self = outermost(ref);
  const parent = self.parentPath!;
  const pn = parent.node;
  const at = (n: t.Node) => `\`${snippet(ctx, n)}\`, line ${line(n)}`;
  // Spreading it reads every element or property at once.
  if (t.isSpreadElement(pn)) return undefined;
  if ((t.isMemberExpression(pn) || t.isOptionalMemberExpression(pn)) && pn.object === self.node) {
    const member = outermost(parent);
    const use = member.parentPath!.node;
    const written =
      (t.isAssignmentExpression(use) && use.left === member.node) ||
      t.isUpdateExpression(use) ||
      t.isUnaryExpression(use, { operator: "delete" }) ||
      ((t.isForOfStatement(use) || t.isForInStatement(use)) && use.left === member.node) ||
      t.isArrayPattern(use) ||
      t.isRestElement(use) ||
      (t.isAssignmentPattern(use) && use.left === member.node) ||
      (t.isObjectProperty(use) && use.value === member.node && t.isObjectPattern(member.parentPath!.parent));
    if (written) return `\`${acc}\` is changed in the callback (${at(use)}), besides the copy`;
    const called = (isCall(use) && use.callee === member.node) || (t.isTaggedTemplateExpression(use) && use.tag === member.node);
    if (!called) return undefined;
    const method = !(pn as t.MemberExpression).computed && t.isIdentifier(pn.property) ? pn.property.name : undefined;
    if (family === "array" && method !== undefined && isCall(use)) {
      if (MUTATING_METHODS.has(method)) return `\`${acc}.${method}(…)\` changes the accumulator (${at(use)}), besides the copy`;
      if (ARRAY_READS.has(method)) return undefined;
      if (ARRAY_CALLBACK_READS.has(method)) {
        const cb = use.arguments[0];
        const literal = t.isArrowFunctionExpression(cb) || t.isFunctionExpression(cb);
        if (literal && cb.params.length <= 2 && !cb.params.some((p) => t.isRestElement(p)) && !(t.isFunctionExpression(cb) && usesArguments(cb))) return undefined;
        return `\`${snippet(ctx, use)}\` (line ${line(use)}) hands \`${acc}\` to its callback as third argument, which could keep it`;
      }
    }
    return `\`${snippet(ctx, use)}\` (line ${line(use)}) calls a method of the accumulator, which gets it as \`this\``;
  }
  if (t.isBinaryExpression(pn, { operator: "in" }) && pn.right === self.node) return undefined;
  // `const { a, b } = acc` reads properties (a declaration, unlike an assignment, gives no value).
  if (t.isVariableDeclarator(pn) && pn.init === self.node && (t.isObjectPattern(pn.id) || t.isArrayPattern(pn.id))) return undefined;
  if (t.isCallExpression(pn) && pn.arguments[0] === self.node && globalMember(pn.callee, site.path, READING_BUILTINS)) return undefined;
  if (t.isBinaryExpression(pn) && ["===", "!==", "==", "!="].includes(pn.operator)) {
    return `\`${snippet(ctx, pn)}\` (line ${line(pn)}) compares the accumulator itself, a new object at each step in the original but always the same one in place`;
  }
  if ((isCall(pn) || t.isNewExpression(pn)) && pn.arguments.includes(self.node as t.Expression)) return `\`${acc}\` is passed to other code (${at(pn)}), which could keep it`;
  if (t.isAssignmentExpression(pn) || t.isVariableDeclarator(pn) || t.isObjectProperty(pn) || t.isArrayExpression(pn) || t.isClassProperty(pn)) {
    return `\`${acc}\` is stored (${at(pn)}): what is stored would change at the next steps`;
  }
  return `\`${acc}\` is used in ${at(pn)} in a way cdlc does not follow`;
}

/** Whether a `function` uses its own `arguments` (arrows inside it share them). */
function usesArguments(fn: t.FunctionExpression): boolean {
  const visit = (node: t.Node): boolean => {
    if (t.isIdentifier(node, { name: "arguments" })) return true;
    if (node !== fn && t.isFunction(node) && !t.isArrowFunctionExpression(node)) return false;
    return children(node).some(visit);
  };
  return visit(fn);
}

/** The reduce callback's facts, or undefined when it makes no copy of its first parameter (not a site). */
function siteOf(path: NodePath<Callback>, ctx: OperatorContext, where: string): Site | undefined {
  const first = path.node.params[0];
  if (!t.isIdentifier(first)) return undefined;
  const binding = path.scope.getBinding(first.name);
  if (binding === undefined || binding.kind !== "param" || binding.scope !== path.scope) return undefined;
  const index = path.node.params[2];
  const indexBinding = t.isIdentifier(index) ? path.scope.getBinding(index.name) : undefined;
  const site: Site = {
    ctx,
    path,
    where,
    acc: first.name,
    refs: new Map(binding.referencePaths.filter((r) => !r.parentPath?.isTSTypeQuery()).map((r) => [r.node, r])),
    allowed: new Set(),
    indexRefs: new Set(indexBinding !== undefined && indexBinding.constantViolations.length === 0 && indexBinding.kind === "param" ? indexBinding.referencePaths.map((r) => r.node) : []),
    needsObject: false,
    copies: [],
  };
  let copies = false;
  t.traverseFast(path.node.body, (n) => {
    if (!copies && isCopyNode(n, site)) copies = true;
  });
  return copies ? site : undefined;
}

/** The `return`s of the callback (its own, not those of functions inside it); an expression body counts as one. */
function returnsOf(path: NodePath<Callback>): { path: NodePath; argument: t.Node | null | undefined }[] {
  const body = childPath(path, "body");
  if (!body.isBlockStatement()) return [{ path: body, argument: body.node }];
  const out: { path: NodePath; argument: t.Node | null | undefined }[] = [];
  body.traverse({
    Function(p) {
      p.skip();
    },
    ReturnStatement(p) {
      out.push({ path: p, argument: p.node.argument });
    },
  });
  return out;
}

/** Text between returns on their own line: a newline and the same indent; else a space. */
function separator(ctx: OperatorContext, node: t.Node): string {
  const lineStart = ctx.source.lastIndexOf("\n", node.start! - 1) + 1;
  const before = ctx.source.slice(lineStart, node.start!);
  return /^[ \t]*$/.test(before) ? `\n${before}` : " ";
}

/** The rewrite of one reduce call whose callback copies its accumulator (`init`: the initial literal, `written`: with its assertions). */
function rewriteSite(site: Site, init: t.ObjectExpression | t.ArrayExpression, written: t.Expression, call: NodePath<Call>): Rewrite {
  const { ctx, path, acc, where } = site;
  const cb = path.node;
  if (cb.async || cb.generator) refuse(`${where}: the callback is ${cb.async ? "async" : "a generator"}, so its accumulator is not the value it returns`);
  const binding = path.scope.getBinding(acc)!;
  const violation = binding.constantViolations[0];
  if (violation !== undefined) refuse(`${where}: \`${acc}\` is assigned in the callback (\`${snippet(ctx, violation.node)}\`, line ${line(violation.node)})`);
  if (t.isFunctionExpression(cb) && usesArguments(cb)) refuse(`${where}: the callback uses \`arguments\`, another name for \`${acc}\``);
  let evalCall: t.Node | undefined;
  t.traverseFast(cb.body, (n) => {
    if (evalCall === undefined && isCall(n) && t.isIdentifier(n.callee, { name: "eval" })) evalCall = n;
  });
  if (evalCall !== undefined) refuse(`${where}: the callback calls \`eval\` (line ${line(evalCall)}), which could reach \`${acc}\``);

  if (hasTypeScript(ctx)) {
    const types = typesOf(site, written, call);
    if (typeof types === "string") refuse(`${where}: ${types}`);
    site.types = types;
  }
  const returns = returnsOf(path);
  const shapes = returns.map((r) => {
    if (r.argument === null || r.argument === undefined) refuse(`${where}: \`${snippet(ctx, r.path.node)}\` (line ${line(r.path.node)}) gives the next step \`undefined\` instead of the accumulator`);
    return parseShape(r.argument, site);
  });
  if (t.isBlockStatement(cb.body) && !alwaysExits(cb.body)) {
    refuse(`${where}: the callback can end without \`return\` (line ${line(cb.body)}): the next step would get \`undefined\`, and the original starts again from it where in place the accumulator would be lost`);
  }
  returns.forEach((r, i) => {
    if (!hasCopy(shapes[i]!)) return;
    const tryStatement = r.path.findParent((p) => p.isTryStatement() || p.node === cb);
    if (tryStatement !== null && tryStatement.isTryStatement()) {
      refuse(`${where}: the copy returned at line ${line(r.path.node)} is inside a \`try\`: an exception in the middle of updating in place, caught there, would leave the accumulator half-changed where the original keeps it whole`);
    }
  });

  if (site.copies.length === 0) refuse(`${where}: the callback never returns a copy of \`${acc}\`, only \`${acc}\` itself`);
  const families = new Set(site.copies.map((c) => c.family));
  if (families.size > 1) refuse(`${where}: the callback copies the accumulator both into an object and into an array`);
  const family = site.copies[0]!.family;
  const viaAssign = site.copies.some((c) => c.viaAssign);
  if (viaAssign && site.copies.some((c) => !c.viaAssign)) {
    refuse(`${where}: the callback copies with both \`Object.assign\` and a spread, which treat a \`__proto__\` key differently`);
  }
  const initText = `\`${snippet(ctx, init)}\``;
  if (t.isArrayExpression(init)) {
    if (family !== "array") refuse(`${where}: the initial value ${initText} is an array, but the callback copies the accumulator into an object`);
    if (init.elements.some((e) => e === null)) refuse(`${where}: the initial value ${initText} has a hole, which the first copy fills with \`undefined\` but \`push\` keeps`);
  } else {
    if (family !== "object") refuse(`${where}: the initial value ${initText} is an object, but the callback copies the accumulator into an array`);
    for (const p of init.properties) {
      if (t.isObjectMethod(p) && p.kind !== "method") refuse(`${where}: the initial value has a ${p.kind}ter (\`${snippet(ctx, p)}\`, line ${line(p)}): the first copy turns it into a plain property, while updating in place would run it`);
      if (t.isSpreadElement(p)) {
        if (viaAssign) refuse(`${where}: the initial value spreads \`${snippet(ctx, p.argument)}\`, which may bring a \`__proto__\` key that \`Object.assign\` would treat differently in place`);
        continue;
      }
      if (!p.computed && staticKey(p.key) === "__proto__" && !(t.isObjectProperty(p) && p.shorthand)) {
        refuse(`${where}: the initial value has a literal \`__proto__\` key (line ${line(p)}), which sets its prototype; the first copy would drop it, updating in place would not`);
      }
      if (viaAssign && (p.computed ? !plainKey(p.key, site) : OBJECT_PROTOTYPE_KEYS.has(staticKey(p.key) ?? "__proto__"))) {
        refuse(`${where}: the initial value's key \`${snippet(ctx, p.key)}\` (line ${line(p)}) could be one that \`Object.assign\` cannot copy onto a new object the way it stays in place`);
      }
    }
  }

  const typeRefusal = site.types?.refusal(family) ?? site.types?.returnMismatch(t.isTSTypeAnnotation(cb.returnType) ? cb.returnType.typeAnnotation : undefined);
  if (typeRefusal !== undefined) refuse(`${where}: ${typeRefusal}`);

  for (const ref of binding.referencePaths) {
    if (!site.refs.has(ref.node)) continue;
    const why = whyUseMatters(ref, site, family);
    if (why !== undefined) refuse(`${where}: ${why}`);
  }
  if (site.needsObject && path.scope.getBinding("Object") !== undefined) {
    refuse(`${where}: a key needs \`Object.defineProperty\`, but \`Object\` is a local name here`);
  }

  const edits: Rewrite["edits"] = [];
  const body = cb.body;
  if (!t.isBlockStatement(body)) {
    const start = (body.extra?.parenStart as number | undefined) ?? body.start!;
    edits.push({ start, end: cb.end!, text: `{ ${[...statementsOf(shapes[0]!, ctx), `return ${acc};`].join(" ")} }` });
  } else {
    returns.forEach((r, i) => {
      const shape = shapes[i]!;
      if (!hasCopy(shape)) return;
      const node = r.path.node;
      const statements = [...statementsOf(shape, ctx), `return ${acc};`];
      const inList = t.isBlockStatement(r.path.parent) || t.isSwitchCase(r.path.parent);
      edits.push({ start: node.start!, end: node.end!, text: inList ? statements.join(separator(ctx, node)) : `{ ${statements.join(" ")} }` });
    });
  }
  const first = site.copies[0]!;
  const update = first.steps.map((s) => s.text).join(" ");
  const summary = `${where}: \`${snippet(ctx, first.node, 50)}\` → \`${update === "" ? `${acc}` : update.length > 70 ? `${update.slice(0, 69)}…` : update}\`: one accumulator updated in place instead of a copy at each step`;
  return { edits, summary };
}

/** The accumulator's possible types, as the file writes them (see accumulator-types.ts). */
function typesOf(site: Site, written: t.Expression, call: NodePath<Call>): AccumulatorTypes | string {
  const { ctx, path, acc } = site;
  const param = path.node.params[0] as t.Identifier;
  const callee = call.node.callee as t.MemberExpression | t.OptionalMemberExpression;
  const receiver = unwrap(callee.object);
  const declared = t.isIdentifier(receiver) ? declaredType(call, receiver.name) : undefined;
  const program = call.scope.getProgramParent().path.node as t.Program;
  const names = fileTypeNames.get(program) ?? new FileTypeNames(program);
  fileTypeNames.set(program, names);
  const element = declared === undefined ? undefined : names.elementOf(declared);
  return accumulatorTypes({
    names,
    acc,
    annotation: t.isTSTypeAnnotation(param.typeAnnotation) ? param.typeAnnotation.typeAnnotation : undefined,
    typeArgument: call.node.typeParameters?.params[0],
    init: written,
    element: element === undefined ? undefined : { type: element, receiver: ctx.text(receiver) },
    text: (node) => snippet(ctx, node, 80),
  });
}

/** The type names of each file, read once. */
const fileTypeNames = new WeakMap<t.Program, FileTypeNames>();

/** The type a variable's declaration writes (`xs: T[]`, `const xs: T[] = …`, `...xs: T[]`), when it is a plain name. */
function declaredType(at: NodePath, name: string): t.TSType | undefined {
  const binding = at.scope.getBinding(name);
  if (binding === undefined) return undefined;
  let n: t.Node = binding.path.node;
  if (t.isTSParameterProperty(n)) n = n.parameter;
  if (t.isAssignmentPattern(n)) n = n.left;
  if (t.isVariableDeclarator(n)) n = n.id;
  const id = t.isRestElement(n) ? n.argument : n;
  if (!t.isIdentifier(id) || id.name !== name) return undefined;
  const a = (n as t.Identifier | t.RestElement).typeAnnotation;
  return t.isTSTypeAnnotation(a) ? a.typeAnnotation : undefined;
}

function isPrimitiveLiteral(node: t.Node): boolean {
  return (t.isLiteral(node) && !t.isRegExpLiteral(node)) || t.isUnaryExpression(node) || t.isIdentifier(node, { name: "undefined" });
}

function analyse(path: NodePath<Call>, ctx: OperatorContext): Rewrite | Refusal | undefined {
  const call = path.node;
  const callee = call.callee;
  if (!(t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) || callee.computed || !t.isIdentifier(callee.property) || !REDUCE_METHODS.has(callee.property.name)) return undefined;
  const dot = t.isOptionalMemberExpression(callee) && callee.optional ? "?." : ".";
  const where = `\`${snippet(ctx, callee.object, 40)}${dot}${callee.property.name}(…)\` (line ${line(call)})`;
  const [callback, init] = call.arguments;
  if (!t.isExpression(callback) || (init !== undefined && !t.isExpression(init))) return undefined;
  const callbackPath = childPaths(path, "arguments")[0]!;
  let site: Site | undefined;
  if (callbackPath.isArrowFunctionExpression() || callbackPath.isFunctionExpression()) {
    site = siteOf(callbackPath, ctx, where);
    if (site === undefined) return undefined;
  } else if (init !== undefined && isPrimitiveLiteral(unwrap(init))) return undefined;
  try {
    if (init === undefined) refuse(`${where} has no initial value: the accumulator starts as the array's first element, which updating in place would change for the caller`);
    const initNode = unwrap(init);
    if (!t.isObjectExpression(initNode) && !t.isArrayExpression(initNode)) {
      refuse(`${where}: the initial value \`${snippet(ctx, init)}\` is not an object or array literal written at the call, so it may be shared with the caller, who would see it change`);
    }
    if (site === undefined) refuse(`${where}: the callback \`${snippet(ctx, callback)}\` is not a function literal, so cdlc cannot see what it does with the accumulator`);
    return rewriteSite(site, initNode, init, path);
  } catch (e) {
    if (e instanceof Refusal) return e;
    throw e;
  }
}

export const accumulatorMutation: Operator = {
  id: "accumulator_mutation",
  risk: 0.2,
  byNameOnly: false,
  apply(ctx) {
    const rewrites: Rewrite[] = [];
    const reasons: string[] = [];
    let reduces = 0;
    const visit = (path: NodePath<Call>) => {
      const callee = path.node.callee;
      if ((t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) && t.isIdentifier(callee.property) && REDUCE_METHODS.has(callee.property.name)) reduces++;
      const result = analyse(path, ctx);
      if (result instanceof Refusal) reasons.push(result.reason);
      else if (result !== undefined) rewrites.push(result);
    };
    ctx.fn.traverse({ CallExpression: visit, OptionalCallExpression: visit });
    if (rewrites.length > 0) return { rewrites };
    if (reasons.length > 0) return { reason: reasons.join("; ") };
    return {
      reason:
        reduces === 0
          ? "no `reduce` call in the body"
          : "no `reduce` whose callback copies its accumulator (`{ ...acc, … }`, `[...acc, …]`, `acc.concat(…)`, `Object.assign({}, acc, …)`)",
    };
  },
};
