import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { isInside } from "../loops.js";
import { callbackSideEffect, firstSideEffect } from "../purity.js";
import { childPath, childPaths } from "../source.js";
import type { Operator, OperatorContext, Rewrite } from "../types.js";

/**
 * loop_fusion: a chain of `map` / `filter` calls over one array, possibly
 * ending in `reduce`, → one pass that builds the same result without the
 * intermediate arrays:
 *
 *   xs.map(f).map(g)                 →  xs.map((x) => { const y = …f…; return …g…; })
 *   xs.filter(p).map(f).reduce(r, 0) →  xs.reduce((acc, x) => { if (!(…p…)) return acc; …; return …r…; }, 0)
 *   xs.map(f).filter(p)              →  ((array) => { const out = []; for (…) { if (!(i in array)) continue; …; out.push(y); } return out; })(xs)
 *
 * The callbacks' bodies are inlined (an expression body, or a block of
 * `const`/`let` declarations ending in `return`); any other block body is
 * called in place, `((y) => { … })(value)`.
 *
 * Preconditions, and why:
 * - Every callback is a function literal without side effects (purity.ts),
 *   or the built-in `Boolean`, `Number` or `String`. Fused, the calls
 *   interleave (f(x0), p(f(x0)), f(x1), … instead of all f, then all p): a
 *   side effect of one could change what another sees. This holds even when
 *   the operator is listed by name: an impure chain is refused.
 * - No thisArg, no async or generator callback, no parameter with a default
 *   value or rest, no `this`, `arguments` or own name in a `function`
 *   callback: each would see the call differently.
 * - The array parameter (third of map/filter, fourth of reduce) is used only
 *   by the first callback of the fused run: the others would get the
 *   intermediate array, which no longer exists.
 * - Indices: map keeps positions, so a callback after maps gets the
 *   original index; after a filter it gets the position in the FILTERED
 *   array, which the loop counts itself (a counter increased where the
 *   filter passes).
 * - Holes: map, filter and reduce skip them (map keeps them as holes in its
 *   result). A chain of maps stays one `map` (holes kept); a reduce stays
 *   one `reduce`; the loop skips them with `if (!(i in array)) continue;`,
 *   the test the built-ins use, and reads `length` once as they do.
 * - `reduce` has an initial value written at the call, without side
 *   effects (it now runs before the callbacks instead of after them).
 *   Without one, reduce seeds with the first value and throws on an empty
 *   input; cdlc does not rewrite that form.
 * - The receiver is evaluated once, as before, and is known to be an array
 *   (annotation, literal, `Array.from`, `split`, an array method's result…):
 *   a class of the user's with its own `map` is refused. `xs?.map(…)…` keeps
 *   its `?.`; the loop form is used only where the optional chain ends.
 * - Names: the inlined callbacks share one function body; a name one of
 *   them declares must not be one another reads from outside (it would be
 *   shadowed). A name declared twice gets a nested block.
 *
 * Risk 0.2, what testing must confirm: property reads may run getters (in
 * another order once fused), and when two callbacks can throw, the fused
 * pass may throw the second one's error first (p(f(x0)) runs before f(x1)).
 * Types: the loop form's elements are read as `(typeof array)[number]`.
 */

type Call = t.CallExpression | t.OptionalCallExpression;
type Fn = t.ArrowFunctionExpression | t.FunctionExpression;
type Method = "map" | "filter" | "reduce";

const line = (node: t.Node): number | undefined => node.loc?.start.line;
const MAX_DEPTH = 10;

// ---------------------------------------------------------------- what cdlc sees of a value (shared with sort_keys)

/** A value known to be an array or a string (and whether it may be null or undefined), or why cdlc cannot tell. */
export type Seen = { kind: "array" | "string"; nullable: boolean } | { why: string };

type Ty = { type: t.TSType; nullable: boolean } | { kind: "array" | "string"; nullable: boolean } | { why: string };

/** Methods whose result is an array when their receiver is one. */
const ARRAY_RESULT = new Set(["map", "filter", "slice", "concat", "flat", "flatMap", "toSorted", "toReversed", "toSpliced", "with", "sort", "reverse", "fill", "copyWithin"]);
/** Methods whose result is a string when their receiver is one. */
const STRING_RESULT = new Set(["toLowerCase", "toUpperCase", "toLocaleLowerCase", "toLocaleUpperCase", "trim", "trimStart", "trimEnd", "slice", "substring", "padStart", "padEnd", "repeat", "replace", "replaceAll", "normalize", "concat"]);

function program(ctx: OperatorContext): t.Program {
  return ctx.fn.scope.getProgramParent().block as t.Program;
}

/** A type alias or interface declared at the top of this file. */
function topLevelType(ctx: OperatorContext, name: string): t.TSTypeAliasDeclaration | t.TSInterfaceDeclaration | undefined {
  for (const s of program(ctx).body) {
    const d = t.isExportNamedDeclaration(s) || t.isExportDefaultDeclaration(s) ? s.declaration : s;
    if ((t.isTSTypeAliasDeclaration(d) || t.isTSInterfaceDeclaration(d)) && d.id.name === name) return d;
  }
  return undefined;
}

/** Whether `Array`/`ReadonlyArray` is the built-in here: nothing in this file declares that name. */
function isBuiltinType(ctx: OperatorContext, name: string): boolean {
  if (ctx.fn.scope.getBinding(name) !== undefined) return false;
  return !program(ctx).body.some((s) => {
    const d = t.isExportNamedDeclaration(s) ? s.declaration : s;
    return (t.isTSTypeAliasDeclaration(d) || t.isTSInterfaceDeclaration(d) || t.isClassDeclaration(d)) && d.id?.name === name;
  });
}

function typeText(ctx: OperatorContext, type: t.Node): string {
  return type.start === undefined || type.start === null ? ctx.print(type) : ctx.text(type);
}

/** What a written type says: an array, a string, or neither. */
function kindOfType(type: t.TSType, ctx: OperatorContext, depth: number): Seen {
  const neither: Seen = { why: `its type \`${typeText(ctx, type)}\` is not an array type` };
  if (depth > MAX_DEPTH) return neither;
  if (t.isTSParenthesizedType(type)) return kindOfType(type.typeAnnotation, ctx, depth + 1);
  if (t.isTSArrayType(type) || t.isTSTupleType(type)) return { kind: "array", nullable: false };
  if (t.isTSTypeOperator(type) && type.operator === "readonly") return kindOfType(type.typeAnnotation, ctx, depth + 1);
  if (t.isTSStringKeyword(type) || t.isTSTemplateLiteralType(type) || (t.isTSLiteralType(type) && t.isStringLiteral(type.literal))) return { kind: "string", nullable: false };
  if (t.isTSTypeReference(type) && t.isIdentifier(type.typeName)) {
    const name = type.typeName.name;
    if ((name === "Array" || name === "ReadonlyArray") && isBuiltinType(ctx, name)) return { kind: "array", nullable: false };
    const decl = topLevelType(ctx, name);
    if (t.isTSTypeAliasDeclaration(decl) && decl.typeParameters == null && type.typeParameters == null) return kindOfType(decl.typeAnnotation, ctx, depth + 1);
    return neither;
  }
  if (t.isTSUnionType(type)) {
    const rest = type.types.filter((m) => !(t.isTSUndefinedKeyword(m) || t.isTSNullKeyword(m)));
    const kinds = rest.map((m) => kindOfType(m, ctx, depth + 1));
    const first = kinds[0];
    if (first === undefined || "why" in first || kinds.some((k) => "why" in k || k.kind !== first.kind)) return neither;
    return { kind: first.kind, nullable: rest.length < type.types.length || kinds.some((k) => !("why" in k) && k.nullable) };
  }
  return neither;
}

function kindOf(ty: Ty, ctx: OperatorContext, depth: number): Seen {
  if ("why" in ty || "kind" in ty) return ty;
  const seen = kindOfType(ty.type, ctx, depth + 1);
  return "why" in seen ? seen : { kind: seen.kind, nullable: seen.nullable || ty.nullable };
}

/** The members of an object type written in this file. */
function membersOf(type: t.TSType, ctx: OperatorContext, depth: number): t.TSTypeElement[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (t.isTSParenthesizedType(type)) return membersOf(type.typeAnnotation, ctx, depth + 1);
  if (t.isTSTypeLiteral(type)) return type.members;
  if (t.isTSUnionType(type)) {
    const rest = type.types.filter((m) => !(t.isTSUndefinedKeyword(m) || t.isTSNullKeyword(m)));
    return rest.length === 1 ? membersOf(rest[0]!, ctx, depth + 1) : undefined;
  }
  if (t.isTSTypeReference(type) && t.isIdentifier(type.typeName) && type.typeParameters == null) {
    const decl = topLevelType(ctx, type.typeName.name);
    if (t.isTSTypeAliasDeclaration(decl) && decl.typeParameters == null) return membersOf(decl.typeAnnotation, ctx, depth + 1);
    if (t.isTSInterfaceDeclaration(decl) && decl.typeParameters == null && (decl.extends ?? []).length === 0) return decl.body.body;
  }
  return undefined;
}

function keyName(key: t.Node, computed: boolean): string | undefined {
  if (!computed && t.isIdentifier(key)) return key.name;
  if (t.isStringLiteral(key)) return key.value;
  if (t.isPrivateName(key)) return `#${key.id.name}`;
  return undefined;
}

function propertyTy(object: Ty, name: string, ctx: OperatorContext, depth: number): Ty {
  if ("why" in object) return object;
  if (!("type" in object)) return { why: `cdlc does not know the property \`${name}\` of an ${object.kind}` };
  const members = membersOf(object.type, ctx, depth + 1);
  if (members === undefined) return { why: `its type \`${typeText(ctx, object.type)}\` is not an object type written in this file` };
  for (const m of members) {
    if (t.isTSPropertySignature(m) && keyName(m.key, m.computed === true) === name) {
      return m.typeAnnotation == null ? { why: `the property \`${name}\` has no type annotation` } : { type: m.typeAnnotation.typeAnnotation, nullable: m.optional === true || object.nullable };
    }
  }
  return { why: `cdlc cannot find the property \`${name}\` in \`${typeText(ctx, object.type)}\`` };
}

/** `this.items` in a class method: the declared type of the class's `items`. */
function classPropertyTy(member: NodePath, name: string, ctx: OperatorContext, depth: number): Ty {
  let fn: NodePath | null = member.parentPath;
  while (fn !== null && !(fn.isFunction() && !fn.isArrowFunctionExpression())) fn = fn.parentPath;
  const why = { why: `cdlc cannot see the type of \`this\` where \`this.${name}\` is read` };
  if (fn === null || !(fn.isClassMethod() || fn.isClassPrivateMethod())) return why;
  const isStatic = fn.node.static === true;
  for (const n of (fn.parentPath!.node as t.ClassBody).body) {
    if ((t.isClassProperty(n) || t.isClassPrivateProperty(n)) && (n.static === true) === isStatic && keyName(n.key, t.isClassProperty(n) && n.computed) === name) {
      if (t.isTSTypeAnnotation(n.typeAnnotation)) return { type: n.typeAnnotation.typeAnnotation, nullable: t.isClassProperty(n) && n.optional === true };
      if (n.readonly === true && t.isArrayExpression(n.value)) return { kind: "array", nullable: false };
      return { why: `the class property \`${name}\` has no type annotation` };
    }
    if (!isStatic && t.isClassMethod(n) && n.kind === "constructor") {
      for (const p of n.params) {
        if (!t.isTSParameterProperty(p)) continue;
        const id = t.isAssignmentPattern(p.parameter) ? p.parameter.left : p.parameter;
        if (t.isIdentifier(id) && id.name === name) return t.isTSTypeAnnotation(id.typeAnnotation) ? { type: id.typeAnnotation.typeAnnotation, nullable: id.optional === true } : { why: `the parameter property \`${name}\` has no type annotation` };
      }
    }
  }
  return { why: `cdlc cannot find the declaration of \`this.${name}\` in the class` };
}

function bindingTy(id: NodePath<t.Identifier>, ctx: OperatorContext, depth: number): Ty {
  const name = id.node.name;
  const binding = id.scope.getBinding(name);
  if (binding === undefined) return { why: `\`${name}\` is not declared in this module` };
  if (binding.kind === "module") return { why: `\`${name}\` is imported: cdlc cannot see its type in this file` };
  const declared = binding.identifier;
  if (binding.kind === "param") {
    if (t.isTSTypeAnnotation(declared.typeAnnotation)) return { type: declared.typeAnnotation.typeAnnotation, nullable: declared.optional === true };
    const param = binding.path.node;
    if (t.isRestElement(param) && param.argument === declared) return { kind: "array", nullable: false };
    // `({ items }: { items: T[] })`: the property of the annotated pattern.
    if (t.isObjectPattern(param) && t.isTSTypeAnnotation(param.typeAnnotation)) {
      const prop = param.properties.find((p): p is t.ObjectProperty => t.isObjectProperty(p) && (p.value === declared || (t.isAssignmentPattern(p.value) && p.value.left === declared)));
      const key = prop === undefined ? undefined : keyName(prop.key, prop.computed);
      if (key !== undefined) return propertyTy({ type: param.typeAnnotation.typeAnnotation, nullable: false }, key, ctx, depth + 1);
    }
    return { why: `the parameter \`${name}\` has no type annotation` };
  }
  if ((binding.kind === "const" || binding.kind === "let" || binding.kind === "var") && binding.constant && binding.path.isVariableDeclarator() && binding.path.node.id === declared) {
    if (t.isTSTypeAnnotation(declared.typeAnnotation)) return { type: declared.typeAnnotation.typeAnnotation, nullable: false };
    const init = childPath(binding.path, "init");
    if (init.node != null) return tyOf(init, ctx, depth + 1);
  }
  return { why: `\`${name}\` has no type annotation` };
}

function calleeMethod(node: t.Node): string | undefined {
  if (!(t.isCallExpression(node) || t.isOptionalCallExpression(node))) return undefined;
  const callee = node.callee;
  if (!(t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee))) return undefined;
  return keyName(callee.property, callee.computed);
}

function tyOf(path: NodePath, ctx: OperatorContext, depth: number): Ty {
  const node = path.node;
  const unknown: Ty = { why: `cdlc cannot see that \`${ctx.text(node)}\` is an array (annotate it, e.g. \`T[]\`, or cast it with \`as T[]\`)` };
  if (depth > MAX_DEPTH) return unknown;
  if (t.isParenthesizedExpression(node)) return tyOf(childPath(path, "expression"), ctx, depth + 1);
  if (t.isTSNonNullExpression(node)) {
    const inner = tyOf(childPath(path, "expression"), ctx, depth + 1);
    return "why" in inner ? inner : { ...inner, nullable: false };
  }
  if (t.isTSAsExpression(node) || t.isTSTypeAssertion(node) || t.isTSSatisfiesExpression(node)) {
    const asConst = t.isTSTypeReference(node.typeAnnotation) && t.isIdentifier(node.typeAnnotation.typeName, { name: "const" });
    return asConst ? tyOf(childPath(path, "expression"), ctx, depth + 1) : { type: node.typeAnnotation, nullable: false };
  }
  if (t.isArrayExpression(node)) return { kind: "array", nullable: false };
  if (t.isStringLiteral(node) || t.isTemplateLiteral(node)) return { kind: "string", nullable: false };
  if (t.isIdentifier(node)) return bindingTy(path as NodePath<t.Identifier>, ctx, depth + 1);
  if (t.isMemberExpression(node) || t.isOptionalMemberExpression(node)) {
    const name = keyName(node.property, node.computed);
    if (name === undefined) return unknown;
    if (t.isThisExpression(node.object)) return classPropertyTy(path, name, ctx, depth + 1);
    const object = tyOf(childPath(path, "object"), ctx, depth + 1);
    return "why" in object ? object : propertyTy(object, name, ctx, depth + 1);
  }
  if (t.isCallExpression(node) || t.isOptionalCallExpression(node)) {
    const callee = node.callee;
    if (t.isIdentifier(callee, { name: "String" }) && path.scope.getBinding("String") === undefined) return { kind: "string", nullable: false };
    const method = calleeMethod(node);
    if (method === undefined || !(t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee))) return unknown;
    const object = callee.object;
    if (t.isIdentifier(object) && path.scope.getBinding(object.name) === undefined) {
      if (object.name === "Object" && ["keys", "values", "entries"].includes(method)) return { kind: "array", nullable: false };
      if (object.name === "Array" && ["from", "of"].includes(method)) return { kind: "array", nullable: false };
    }
    const receiver = kindOf(tyOf(childPath(childPath(path, "callee"), "object"), ctx, depth + 1), ctx, depth + 1);
    if ("why" in receiver) return receiver;
    const optional = t.isOptionalCallExpression(node) && receiver.nullable;
    if (receiver.kind === "array" && ARRAY_RESULT.has(method)) return { kind: "array", nullable: optional };
    if (receiver.kind === "array" && method === "join") return { kind: "string", nullable: optional };
    if (receiver.kind === "string" && method === "split") return { kind: "array", nullable: optional };
    if (receiver.kind === "string" && STRING_RESULT.has(method)) return { kind: "string", nullable: optional };
    return unknown;
  }
  if (t.isLogicalExpression(node) && (node.operator === "??" || node.operator === "||")) {
    // An array or string on the left is used as is unless nullish (or, for `||`, an empty string).
    const left = kindOf(tyOf(childPath(path, "left"), ctx, depth + 1), ctx, depth + 1);
    const right = kindOf(tyOf(childPath(path, "right"), ctx, depth + 1), ctx, depth + 1);
    if ("why" in left) return left;
    if ("why" in right) return right;
    return left.kind === right.kind ? { kind: left.kind, nullable: right.nullable } : unknown;
  }
  if (t.isConditionalExpression(node)) {
    const a = kindOf(tyOf(childPath(path, "consequent"), ctx, depth + 1), ctx, depth + 1);
    const b = kindOf(tyOf(childPath(path, "alternate"), ctx, depth + 1), ctx, depth + 1);
    if ("why" in a) return a;
    if ("why" in b) return b;
    return a.kind === b.kind ? { kind: a.kind, nullable: a.nullable || b.nullable } : unknown;
  }
  return unknown;
}

/**
 * Whether an expression is known to be an array (or a string), from what
 * the file shows: annotations (parameters, variables, destructured
 * parameters, class properties, interfaces and aliases of this file), casts,
 * literals, `Array.from/of`, `Object.keys/values/entries`, and the results
 * of array and string methods on such values.
 */
export function seeValue(path: NodePath, ctx: OperatorContext): Seen {
  return kindOf(tyOf(path, ctx, 0), ctx, 0);
}

/**
 * Whether the file is TypeScript (then the rewrites add casts that keep the
 * element types: a `.ts` file without a single annotation still reads
 * `array[i]` as `T | undefined` under `noUncheckedIndexedAccess`).
 */
export function hasTypeScript(ctx: OperatorContext): boolean {
  return /\.[cm]?tsx?$/.test(ctx.file);
}

// ---------------------------------------------------------------- names

/** Names a piece of code reads from outside itself (values and, to be safe, types). */
export function freeNames(path: NodePath): Set<string> {
  const out = new Set<string>();
  const visit = (p: NodePath) => {
    if (p.isIdentifier() && p.isReferencedIdentifier()) {
      const binding = p.scope.getBinding(p.node.name);
      if (binding === undefined || !isInside(binding.path, path) || binding.path.node === path.node) out.add(p.node.name);
    } else if (p.isTSTypeReference() || p.isTSTypeQuery()) {
      let name: t.Node = p.isTSTypeReference() ? p.node.typeName : (p.node as t.TSTypeQuery).exprName;
      while (t.isTSQualifiedName(name)) name = name.left;
      if (t.isIdentifier(name)) out.add(name.name);
    }
  };
  visit(path);
  path.traverse({ enter: visit });
  return out;
}

function bindingNames(node: t.Node): string[] {
  return Object.keys(t.getBindingIdentifiers(node as t.Identifier));
}

/** A `function` callback's use of what an arrow would not share: `this`, `arguments`, `new.target`, its own name. */
export function ownUse(fn: NodePath<Fn>): t.Node | undefined {
  if (!fn.isFunctionExpression()) return undefined;
  const own = fn.node.id?.name;
  let found: t.Node | undefined;
  fn.traverse({
    Function(p) {
      if (!p.isArrowFunctionExpression()) p.skip();
    },
    ThisExpression(p) {
      found ??= p.node;
    },
    MetaProperty(p) {
      found ??= p.node;
    },
    Identifier(p) {
      if ((p.node.name === "arguments" || p.node.name === own) && p.isReferencedIdentifier()) found ??= p.node;
    },
  });
  return found;
}

// ---------------------------------------------------------------- stages

interface Stage {
  method: Method;
  call: NodePath<Call>;
  /** `?.` right after the receiver (`xs?.map(…)`). */
  optional: boolean;
  /** The callback literal, or the name of a built-in (`filter(Boolean)`). */
  fn?: NodePath<Fn>;
  builtin?: "Boolean" | "Number" | "String";
  /** The callback's parameters: value, index, array (reduce: accumulator first). */
  value?: t.Node;
  index?: t.Identifier;
  array?: t.Identifier;
  acc?: t.Node;
  /** expression: inline `result`; block: inline `decls`, then `result`; call: call the literal in place. */
  mode: "expression" | "block" | "call";
  decls: t.Statement[];
  result?: t.Expression;
  /** Names the stage declares where it is inlined. */
  declared: Set<string>;
  /** Names it reads from outside itself. */
  free: Set<string>;
  init?: NodePath;
}

const BUILTINS = new Set(["Boolean", "Number", "String"]);

function methodOf(node: t.Node): Method | undefined {
  const m = calleeMethod(node);
  return m === "map" || m === "filter" || m === "reduce" ? m : undefined;
}

/** What the fused code needs to know of one call, or why it cannot be fused. */
function analyse(call: NodePath<Call>, method: Method, ctx: OperatorContext): Stage | { reason: string } {
  const node = call.node;
  const callee = node.callee as t.MemberExpression | t.OptionalMemberExpression;
  const where = `\`${method}\` (line ${line(node)})`;
  const args = childPaths(call, "arguments");
  if (args.some((a) => a.isSpreadElement())) return { reason: `${where} spreads its arguments` };
  if (method === "reduce" && args.length !== 2) {
    return { reason: `${where} has no initial value: it seeds with the first value and throws on an empty array; cdlc does not fuse that form` };
  }
  if (method !== "reduce" && args.length !== 1) return { reason: `${where} has a thisArg` };
  const optional = t.isOptionalMemberExpression(callee) && callee.optional === true;
  const stage: Stage = { method, call, optional, mode: "expression", decls: [], declared: new Set(), free: new Set() };
  if (method === "reduce") {
    const init = args[1]!;
    const effect = firstSideEffect(init.node);
    if (effect !== undefined) return { reason: `${where}: the initial value may have a side effect (\`${ctx.text(effect)}\`); fused, it would run before the other callbacks instead of after them` };
    stage.init = init;
    for (const n of freeNames(init)) stage.free.add(n);
  }
  const arg = args[0]!;
  if (arg.isIdentifier() && BUILTINS.has(arg.node.name) && call.scope.getBinding(arg.node.name) === undefined) {
    stage.builtin = arg.node.name as Stage["builtin"];
    if (method === "reduce") return { reason: `${where}: the reducer is not a function literal` };
    return stage;
  }
  if (!(arg.isArrowFunctionExpression() || arg.isFunctionExpression())) {
    return { reason: `${where}: the callback \`${ctx.text(arg.node)}\` is not a function literal, so cdlc cannot see that it has no side effects` };
  }
  const fn = arg as NodePath<Fn>;
  stage.fn = fn;
  if (fn.node.async || fn.node.generator) return { reason: `${where}: the callback is ${fn.node.async ? "async" : "a generator"}` };
  const effect = callbackSideEffect(fn.node);
  if (effect !== undefined) {
    return { reason: `${where}: the callback may have a side effect (\`${ctx.text(effect)}\`, line ${line(effect)}); fused, the callbacks' calls interleave and it could change what another one sees` };
  }
  const own = ownUse(fn);
  if (own !== undefined) return { reason: `${where}: the \`function\` callback uses \`${ctx.text(own)}\` (line ${line(own)})` };
  if (fn.node.typeParameters != null) return { reason: `${where}: the callback has type parameters` };
  const params = [...fn.node.params];
  if (method === "reduce") stage.acc = params.shift();
  const max = 3;
  if (params.length > max) return { reason: `${where}: the callback has ${params.length + (method === "reduce" ? 1 : 0)} parameters` };
  for (const p of [stage.acc, ...params]) {
    if (p === undefined) continue;
    if (t.isAssignmentPattern(p)) return { reason: `${where}: the parameter \`${ctx.text(p)}\` has a default value` };
    if (t.isRestElement(p)) return { reason: `${where}: the parameter \`${ctx.text(p)}\` is a rest parameter` };
    if (t.isIdentifier(p) && p.optional === true) return { reason: `${where}: the parameter \`${ctx.text(p)}\` is optional` };
  }
  const [value, index, array] = params;
  stage.value = value;
  if (index !== undefined) {
    if (!t.isIdentifier(index)) return { reason: `${where}: the index parameter \`${ctx.text(index)}\` is destructured` };
    stage.index = index;
  }
  if (array !== undefined) {
    if (!t.isIdentifier(array)) return { reason: `${where}: the array parameter \`${ctx.text(array)}\` is destructured` };
    if (method === "reduce") return { reason: `${where}: the reducer uses the array parameter \`${array.name}\`, which fused would be another array` };
    stage.array = array;
  }
  const body = fn.node.body;
  if (!t.isBlockStatement(body)) stage.result = body;
  else {
    const last = body.body[body.body.length - 1];
    const decls = body.body.slice(0, -1);
    if (t.isReturnStatement(last) && last.argument != null && body.directives.length === 0 && decls.every((s) => t.isVariableDeclaration(s) && s.kind !== "var")) {
      stage.mode = "block";
      stage.decls = decls;
      stage.result = last.argument;
    } else stage.mode = "call";
  }
  if (stage.mode !== "call") {
    for (const p of [stage.acc, ...params]) if (p !== undefined) for (const n of bindingNames(p)) stage.declared.add(n);
    for (const d of stage.decls) for (const n of bindingNames(d)) stage.declared.add(n);
  }
  for (const n of freeNames(fn)) stage.free.add(n);
  return stage;
}


/** Whether a stage reads the index its call passes. */
const takesIndex = (s: Stage): boolean => s.index !== undefined;

// ---------------------------------------------------------------- code

/** Lines of code with their depth, printed on lines (under `indent`) or on one line like the function around them. */
export class Code {
  readonly lines: { depth: number; text: string }[] = [];
  depth = 0;
  add(text: string): void {
    this.lines.push({ depth: this.depth, text });
  }
  open(text: string): void {
    this.add(text);
    this.depth++;
  }
  close(text = "}"): void {
    this.depth--;
    this.add(text);
  }
  print(indent: string | undefined): string {
    if (indent === undefined) return this.lines.map((l) => l.text).join(" ");
    return this.lines.map((l, i) => (i === 0 ? l.text : `${indent}${"  ".repeat(l.depth)}${l.text}`)).join("\n");
  }
}

/** An expression's text where a full expression may stand (`const v = …`, an argument): a sequence gets parentheses. */
function operand(ctx: OperatorContext, node: t.Node): string {
  return t.isSequenceExpression(node) ? `(${ctx.text(node)})` : ctx.text(node);
}

/** `!test`, with parentheses unless the test binds tighter than `!`. */
function negate(text: string, node: t.Node | undefined): string {
  const tight = node === undefined || t.isIdentifier(node) || t.isCallExpression(node) || t.isOptionalCallExpression(node) || t.isMemberExpression(node) || t.isOptionalMemberExpression(node) || t.isThisExpression(node) || t.isLiteral(node);
  return tight ? `!${text}` : `!(${text})`;
}

/** The state of the code being written: what holds the current value and index, and which names the open blocks declare. */
interface Emit {
  ctx: OperatorContext;
  code: Code;
  declared: Set<string>;
  cur: string | undefined;
  index: string | undefined;
  /** The array the first call iterates, for a first callback called in place that takes it. */
  array?: string;
  /** What drops the current element: `continue;` in the loop, `return acc;` in a reduce. */
  skip: string;
  /** Counters of filtered positions, declared before the loop. */
  counters: string[];
}

/**
 * Writes a declaration of `names`. When one of them is already declared
 * (in this block or an enclosing one, so that nothing read later is
 * shadowed early), a nested block is opened first, and a current value or
 * index held under one of those names is first kept under a fresh name.
 */
function declare(e: Emit, names: readonly string[], statement: () => string): void {
  if (names.some((n) => e.declared.has(n))) {
    for (const which of ["cur", "index"] as const) {
      const held = e[which];
      if (held !== undefined && names.includes(held)) {
        const fresh = e.ctx.freshName(which === "cur" ? "value" : "position");
        e.code.add(`const ${fresh} = ${held};`);
        e[which] = fresh;
      }
    }
    e.code.open("{");
  }
  e.code.add(statement());
  for (const n of names) e.declared.add(n);
}

/** Binds a stage's value and index parameters to the current value and index (nothing when they already are those names). */
function bindParams(e: Emit, stage: Stage): void {
  const v = stage.value;
  if (v !== undefined && !(t.isIdentifier(v) && v.name === e.cur)) {
    const cur = e.cur!;
    declare(e, bindingNames(v), () => `const ${e.ctx.text(v)} = ${cur};`);
    if (t.isIdentifier(v)) e.cur = v.name;
  }
  const i = stage.index;
  if (i !== undefined && i.name !== e.index) {
    const index = e.index!;
    declare(e, [i.name], () => `const ${e.ctx.text(i)} = ${index};`);
    e.index = i.name;
  }
}

/** What a stage computes (a value, a test, a new accumulator), written after its parameters and declarations. */
function result(e: Emit, stage: Stage, acc?: string): { text: string; node?: t.Node } {
  if (stage.builtin !== undefined) return { text: `${stage.builtin}(${e.cur})` };
  if (stage.mode === "call") {
    const fn = stage.fn!.node;
    const args = [...(acc === undefined ? [] : [acc]), e.cur ?? "undefined", e.index ?? "undefined", e.array ?? "undefined"].slice(0, fn.params.length);
    return { text: `(${e.ctx.text(fn)})(${args.join(", ")})` };
  }
  bindParams(e, stage);
  if (stage.decls.length > 0) declare(e, stage.decls.flatMap((d) => bindingNames(d)), () => stage.decls.map((d) => e.ctx.text(d)).join(" "));
  return { text: operand(e.ctx, stage.result!), node: stage.result };
}

/** Whether a stage after the filter at `k` (before the next filter) reads its position in the filtered array. */
function positionNeeded(run: readonly Stage[], k: number): boolean {
  for (let j = k + 1; j < run.length; j++) {
    if (takesIndex(run[j]!)) return true;
    if (run[j]!.method === "filter") return false;
  }
  return false;
}

/** Whether a stage after the first, before any filter has run, reads the original index. */
function originalIndexNeeded(run: readonly Stage[]): boolean {
  if (run[0]!.method === "filter") return false;
  for (const s of run.slice(1)) {
    if (takesIndex(s)) return true;
    if (s.method === "filter") return false;
  }
  return false;
}

/** Emits the map and filter stages from `from` on; the last map of a chain that ends in an array is left to `last`. */
function emitStages(e: Emit, run: readonly Stage[], from: number, lastValue: ((text: string) => string) | undefined): void {
  for (let k = from; k < run.length; k++) {
    const stage = run[k]!;
    if (stage.method === "reduce") return;
    const next = run[k + 1];
    const r = result(e, stage);
    if (stage.method === "filter") {
      e.code.add(stage.builtin === "Boolean" ? `if (!${e.cur}) ${e.skip}` : `if (${negate(r.text, r.node)}) ${e.skip}`);
      if (positionNeeded(run, k)) {
        const counter = e.ctx.freshName("kept");
        e.counters.push(counter);
        const wanted = next?.index !== undefined && next.mode !== "call" && !e.declared.has(next.index.name) ? next.index.name : e.ctx.freshName("position");
        declare(e, [wanted], () => `const ${wanted} = ${counter}++;`);
        e.index = wanted;
      }
      if (k === run.length - 1 && lastValue !== undefined) e.code.add(lastValue(e.cur!));
      continue;
    }
    if (k === run.length - 1 && lastValue !== undefined) {
      e.code.add(lastValue(r.text));
      continue;
    }
    // A map whose result is one of the names written here (`({ n }) => n`): that name holds the value (all are constants during the step).
    if (t.isIdentifier(r.node) && e.declared.has(r.node.name)) {
      e.cur = r.node.name;
      continue;
    }
    // A map: its result is named after the next stage's value parameter where it can be.
    const v = next?.value;
    const named = t.isIdentifier(v) && next!.mode !== "call" && next!.builtin === undefined && !e.declared.has(v.name);
    const name = named ? v.name : e.ctx.freshName("value");
    declare(e, [name], () => `const ${named ? e.ctx.text(v) : name} = ${r.text};`);
    e.cur = name;
  }
}

/** The first stage's parameters as the new callback's (or the loop's) own, where they can be: what is bound, and the parameter texts. */
interface Entry {
  value: string;
  index?: string;
  array?: string;
}

function entryOf(e: Emit, run: readonly Stage[]): Entry {
  const first = run[0]!;
  const inline = first.mode !== "call" && first.builtin === undefined;
  const v = first.value;
  let value: string;
  if (inline && v !== undefined && (t.isIdentifier(v) || first.method === "map")) {
    value = e.ctx.text(v);
    e.cur = t.isIdentifier(v) ? v.name : undefined;
    for (const n of bindingNames(v)) e.declared.add(n);
  } else {
    e.cur = e.ctx.freshName("value");
    value = e.cur;
    e.declared.add(e.cur);
  }
  const entry: Entry = { value };
  if (takesIndex(first) || first.array !== undefined || originalIndexNeeded(run)) {
    const own = inline ? first.index : undefined;
    e.index = own?.name ?? e.ctx.freshName("index");
    entry.index = own === undefined ? e.index : e.ctx.text(own);
    e.declared.add(e.index);
  }
  if (first.array !== undefined) {
    entry.array = inline ? first.array.name : e.ctx.freshName("array");
    e.declared.add(entry.array);
    e.array = entry.array;
  }
  return entry;
}

/** Emits the first stage, whose parameters the entry bound (a destructured filter parameter or a called literal still needs its own). */
function emitFirst(e: Emit, run: readonly Stage[], lastValue: ((text: string) => string) | undefined): void {
  const first = run[0]!;
  const inline = first.mode !== "call" && first.builtin === undefined;
  const bound: Stage = inline
    ? { ...first, value: t.isIdentifier(first.value) || first.method === "map" ? undefined : first.value, index: undefined, array: undefined }
    : first;
  emitStages(e, [bound, ...run.slice(1)], 0, lastValue);
}

interface Plan {
  run: Stage[];
  receiver: NodePath;
  optional: boolean;
  isTs: boolean;
  indent: string | undefined;
}

/** A chain of maps → one `map` (holes stay holes). */
function mapForm(plan: Plan, ctx: OperatorContext): string {
  const code = new Code();
  const e: Emit = { ctx, code, declared: new Set(), cur: undefined, index: undefined, skip: "", counters: [] };
  const entry = entryOf(e, plan.run);
  const params = [entry.value, entry.index, entry.array].filter((p) => p !== undefined).join(", ");
  code.open(`${ctx.text(plan.receiver.node)}${plan.optional ? "?." : "."}map((${params}) => {`);
  emitFirst(e, plan.run, (text) => `return ${text};`);
  while (code.depth > 1) code.close();
  code.close("})");
  return code.print(plan.indent);
}

/** The accumulator's name: the reducer's own parameter where it clashes with nothing, else a fresh one (destructured at the step). */
function accumulator(e: Emit, plan: Plan, reducer: Stage, free: Set<string>): { name: string; text: string; own: boolean } {
  const a = reducer.acc;
  const others = plan.run.filter((s) => s !== reducer);
  if (t.isIdentifier(a) && reducer.mode !== "call" && !free.has(a.name) && !others.some((s) => s.declared.has(a.name))) return { name: a.name, text: e.ctx.text(a), own: true };
  const name = e.ctx.freshName("acc");
  return { name, text: name, own: false };
}

/** The reducer's step, after its parameters are bound to the accumulator, the current value and index. */
function reducerStep(e: Emit, reducer: Stage, acc: { name: string; own: boolean }): string {
  if (reducer.mode === "call") return result(e, reducer, acc.name).text;
  const a = reducer.acc;
  if (a !== undefined && !acc.own) declare(e, bindingNames(a), () => `const ${e.ctx.text(a)} = ${acc.name};`);
  return result(e, reducer).text;
}

/** map/filter stages, then `reduce(r, init)`, without positions to count → one `reduce`. */
function reduceForm(plan: Plan, ctx: OperatorContext, free: Set<string>): string {
  const reducer = plan.run[plan.run.length - 1]!;
  const code = new Code();
  const e: Emit = { ctx, code, declared: new Set(), cur: undefined, index: undefined, skip: "", counters: [] };
  const acc = accumulator(e, plan, reducer, free);
  e.declared.add(acc.name);
  e.skip = `return ${acc.name};`;
  const entry = entryOf(e, plan.run);
  // reduce passes the index (and the array) to the reducer: the callback takes it whenever a stage needs it.
  const params = [acc.text, entry.value, entry.index, entry.array].filter((p) => p !== undefined).join(", ");
  const call = reducer.call.node;
  const typeArgs = call.typeParameters != null ? ctx.text(call.typeParameters) : "";
  code.open(`${ctx.text(plan.receiver.node)}${plan.optional ? "?." : "."}reduce${typeArgs}((${params}) => {`);
  emitFirst(e, plan.run, undefined);
  code.add(`return ${reducerStep(e, reducer, acc)};`);
  while (code.depth > 1) code.close();
  code.close(`}, ${operand(ctx, reducer.init!.node)})`);
  return code.print(plan.indent);
}

/** Anything else (filters with an array result, positions after a filter) → one indexed loop in a function called in place. */
function loopForm(plan: Plan, ctx: OperatorContext, free: Set<string>): string {
  const last = plan.run[plan.run.length - 1]!;
  const reducer = last.method === "reduce" ? last : undefined;
  const code = new Code();
  const e: Emit = { ctx, code, declared: new Set(), cur: undefined, index: undefined, skip: "continue;", counters: [] };
  const first = plan.run[0]!;
  const inline = first.mode !== "call" && first.builtin === undefined;
  const arrayName = inline && first.array !== undefined ? first.array.name : ctx.freshName("array");
  e.declared.add(arrayName);
  e.array = arrayName;
  const out = reducer === undefined ? ctx.freshName("out") : undefined;
  const acc = reducer === undefined ? undefined : accumulator(e, plan, reducer, free);
  if (acc !== undefined) e.declared.add(acc.name);
  // The loop's variable is the first callback's index parameter where it has one.
  const ownIndex = inline ? first.index : undefined;
  const i = ownIndex?.name ?? ctx.freshName("i");
  const length = ctx.freshName("length");
  e.index = i;
  e.declared.add(i);
  // The element, read as the first callback receives it.
  const v = first.value;
  const element = `${arrayName}[${i}]${plan.isTs ? ` as ${plan.optional ? `NonNullable<typeof ${arrayName}>` : `(typeof ${arrayName})`}[number]` : ""}`;
  const head: string[] = [];
  if (inline && v !== undefined && (t.isIdentifier(v) || first.method === "map")) {
    head.push(`const ${ctx.text(v)} = ${element};`);
    e.cur = t.isIdentifier(v) ? v.name : undefined;
    for (const n of bindingNames(v)) e.declared.add(n);
  } else if (!(inline && v === undefined && first.method === "map")) {
    e.cur = ctx.freshName("value");
    head.push(`const ${e.cur} = ${element};`);
    e.declared.add(e.cur);
  }
  const body = new Code();
  e.code = body;
  body.depth = 2;
  for (const h of head) body.add(h);
  emitFirst(e, plan.run, out === undefined ? undefined : (text) => `${out}.push(${text});`);
  if (reducer !== undefined) body.add(`${acc!.name} = ${reducerStep(e, reducer, acc!)};`);
  while (body.depth > 2) body.close();

  code.open(`((${arrayName}) => {`);
  if (plan.optional) code.add(`if (${arrayName} == null) return undefined;`);
  if (out !== undefined) code.add(`const ${out} = [];`);
  if (acc !== undefined) {
    const call = reducer!.call.node;
    const typed = acc.own && !acc.text.includes(":") && call.typeParameters != null ? `${acc.text}: ${ctx.text(call.typeParameters.params[0]!)}` : acc.text;
    code.add(`let ${typed} = ${operand(ctx, reducer!.init!.node)};`);
  }
  for (const c of e.counters) code.add(`let ${c} = 0;`);
  code.open(`for (let ${i} = 0, ${length} = ${arrayName}.length; ${i} < ${length}; ${i}++) {`);
  code.add(`if (!(${i} in ${arrayName})) continue;`);
  for (const l of body.lines) code.lines.push(l);
  code.close();
  code.add(`return ${out ?? acc!.name};`);
  code.close(`})(${operand(ctx, plan.receiver.node)})`);
  return code.print(plan.indent);
}

// ---------------------------------------------------------------- chains

/** The calls of a chain whose last call is `outer`, receiver first, with the receiver itself. */
function chainOf(outer: NodePath<Call>): { calls: { path: NodePath<Call>; method: Method }[]; receiver: NodePath } {
  const calls: { path: NodePath<Call>; method: Method }[] = [{ path: outer, method: methodOf(outer.node)! }];
  let receiver = childPath(childPath(outer, "callee"), "object");
  for (;;) {
    const method = methodOf(receiver.node);
    // A reduce inside the chain gives a value, not a stage: the chain starts after it.
    if (method === undefined || method === "reduce") break;
    calls.unshift({ path: receiver as NodePath<Call>, method });
    receiver = childPath(childPath(receiver, "callee"), "object");
  }
  return { calls, receiver };
}

/** Whether a call of a chain is continued by a next map/filter/reduce call (then it is not the chain's last). */
function continued(call: NodePath<Call>): boolean {
  if (methodOf(call.node) === "reduce") return false;
  const member = call.parentPath;
  if (!(member?.isMemberExpression() || member?.isOptionalMemberExpression()) || member.node.object !== call.node) return false;
  const outer = member.parentPath;
  return (outer?.isCallExpression() || outer?.isOptionalCallExpression()) === true && (outer.node as Call).callee === member.node && methodOf(outer.node) !== undefined;
}

/** Whether the optional chain `node` belongs to goes on after it (`xs?.filter(…).length`). */
export function chainGoesOn(path: NodePath): boolean {
  const parent = path.parentPath;
  if (parent === null) return false;
  return (parent.isOptionalMemberExpression() && parent.node.object === path.node) || (parent.isOptionalCallExpression() && parent.node.callee === path.node);
}

/** The indentation of the line `offset` is on. */
export function indentOf(source: string, offset: number): string {
  const start = source.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(source.slice(start))![0];
}

/** The rewrite of one run of at least two fusable calls, or why not. */
function rewriteRun(run: Stage[], receiver: NodePath, ctx: OperatorContext, isTs: boolean, multiline: boolean): Rewrite | { reason: string } {
  const last = run[run.length - 1]!;
  const whole = last.call;
  const names = run.map((s) => `${s.method}(…)`).join(".");
  const where = `\`${ctx.text(receiver.node)}${run[0]!.optional ? "?." : "."}${names}\` (line ${line(whole.node)})`;
  const seen = seeValue(receiver, ctx);
  if ("why" in seen) return { reason: `${where}: ${seen.why}; a user's class may have its own \`map\`/\`filter\`` };
  if (seen.kind !== "array") return { reason: `${where}: \`${ctx.text(receiver.node)}\` is a string, not an array` };
  const optional = run[0]!.optional;
  if (seen.nullable && !optional) return { reason: `${where}: \`${ctx.text(receiver.node)}\` may be null or undefined` };
  const declared = new Set(run.flatMap((s) => [...s.declared]));
  const free = new Set(run.flatMap((s) => [...s.free]));
  const clash = [...declared].find((n) => free.has(n));
  if (clash !== undefined) return { reason: `${where}: one callback declares \`${clash}\` and another reads an outer \`${clash}\`; fused in one body, it would see the wrong one` };
  const reducer = last.method === "reduce" ? last : undefined;
  const positions = run.some((s, k) => s.method === "filter" && positionNeeded(run, k));
  const form = reducer === undefined && !run.some((s) => s.method === "filter") ? "map" : reducer !== undefined && !positions ? "reduce" : "loop";
  if (form === "loop" && optional && chainGoesOn(whole)) return { reason: `${where}: the optional chain goes on after it, and the loop cannot end it early` };
  const indent = multiline ? indentOf(ctx.source, whole.node.start!) : undefined;
  const plan: Plan = { run, receiver, optional, isTs, indent };
  const text = form === "map" ? mapForm(plan, ctx) : form === "reduce" ? reduceForm(plan, ctx, free) : loopForm(plan, ctx, free);
  const shape = form === "map" ? "one `map`" : form === "reduce" ? "one `reduce`" : "one loop";
  return { edits: [{ start: whole.node.start!, end: whole.node.end!, text }], summary: `${where} → ${shape}, without intermediate arrays` };
}

/** The runs of consecutive calls that can be fused (two at least); the reasons of the calls that cannot. */
function runsOf(calls: { path: NodePath<Call>; method: Method }[], receiver: NodePath, ctx: OperatorContext): { runs: { stages: Stage[]; receiver: NodePath }[]; reasons: string[] } {
  const runs: { stages: Stage[]; receiver: NodePath }[] = [];
  const reasons: string[] = [];
  let current: Stage[] = [];
  let start = receiver;
  const end = (next: NodePath) => {
    if (current.length >= 2) runs.push({ stages: current, receiver: start });
    current = [];
    start = next;
  };
  for (const { path, method } of calls) {
    const stage = analyse(path, method, ctx);
    if ("reason" in stage) {
      reasons.push(stage.reason);
      end(path);
      continue;
    }
    // The array parameter is the receiver only for the first call of a run.
    if (stage.array !== undefined && current.length > 0) {
      reasons.push(`\`${method}\` (line ${line(path.node)}) uses the array parameter \`${stage.array.name}\`: fused with the calls before it, that array would not exist`);
      end(childPath(childPath(path, "callee"), "object"));
    }
    current.push(stage);
  }
  end(receiver);
  return { runs, reasons };
}

export const loopFusion: Operator = {
  id: "loop_fusion",
  risk: 0.2,
  byNameOnly: false,
  apply(ctx) {
    const outers: NodePath<Call>[] = [];
    const visit = (p: NodePath<Call>) => {
      if (methodOf(p.node) !== undefined && !continued(p)) outers.push(p);
    };
    ctx.fn.traverse({ CallExpression: visit, OptionalCallExpression: visit });
    const chains = outers.map(chainOf).filter((c) => c.calls.length >= 2);
    if (chains.length === 0) return { reason: "no chain of `map`/`filter`/`reduce` calls in the body" };
    chains.sort((a, b) => a.receiver.node.start! - b.receiver.node.start!);
    const isTs = hasTypeScript(ctx);
    const multiline = ctx.text(ctx.fn.node).includes("\n");
    const rewrites: Rewrite[] = [];
    const reasons: string[] = [];
    for (const chain of chains) {
      const { runs, reasons: why } = runsOf(chain.calls, chain.receiver, ctx);
      reasons.push(...why);
      for (const run of runs) {
        const r = rewriteRun(run.stages, run.receiver, ctx, isTs, multiline);
        if ("reason" in r) reasons.push(r.reason);
        else rewrites.push(r);
      }
    }
    if (rewrites.length > 0) return { rewrites };
    return { reason: reasons.length > 0 ? reasons.join("; ") : "no chain of two fusable calls" };
  },
};
