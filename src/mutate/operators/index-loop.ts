import type { Binding, NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { isInside } from "../loops.js";
import type { Edit, Operator, OperatorContext, Rewrite } from "../types.js";
import { childPath } from "../source.js";
import { hasTypeScript } from "./loop-fusion.js";

/**
 * index_loop: `for (const x of xs) …` and the statement `xs.forEach((x, i, a) => …)`
 * over an array → an indexed loop, which avoids the iterator protocol and the
 * callback call:
 *
 *   for (const x of xs) { … }  →  for (let i = 0; i < xs.length; i++) { const x = xs[i] as (typeof xs)[number]; … }
 *   xs.forEach((x) => { … })   →  for (let i = 0, n = xs.length; i < n; i++) { if (!(i in xs)) continue; const x = xs[i] as (typeof xs)[number]; … }
 *
 * Only the loop's head (and its closing brace) is new text: the body keeps
 * the user's text, comments and types.
 *
 * Preconditions, and why:
 * - The iterated value is known to be an array: a visible annotation (`T[]`,
 *   `Array<T>`, `readonly T[]`, `ReadonlyArray<T>`, a tuple, an alias of one
 *   in this file) on the parameter, variable, destructured property or class
 *   property; an array literal; an `as` cast to an array type; a rest
 *   parameter; `Object.keys/values/entries`, `Array.from/of`, or
 *   `map/filter/slice/…` of a known array. for…of also iterates Sets, Maps,
 *   strings (by code point) and generators, and forEach on a Map or Set passes
 *   other arguments: anything else is refused. Arrays are assumed to keep
 *   the built-in iterator and forEach (a subclass overriding them is not seen).
 * - for…of evaluates the iterated expression once; the new loop reads it on
 *   every step. A plain variable is read as is when nothing can reassign it
 *   while the loop runs (no assignment in the loop, none in another function);
 *   any other expression is bound once to a fresh name in the loop's head.
 * - for…of re-reads `length` on every step and sees elements added meanwhile:
 *   `i < xs.length` is re-read too (never cached). Holes read as undefined in
 *   both.
 * - forEach reads `length` once, at the start, and skips holes: the new loop
 *   reads the length once in its head and keeps `if (!(i in xs)) continue;`
 *   (the guard is what makes it exact: `in` is forEach's own HasProperty test,
 *   so holes, and elements deleted during the loop, are still skipped). It
 *   reads each element even when the callback has no parameter (a getter runs
 *   as before).
 * - The loop variable keeps its binding: `const`/`let`/`var` stays, declared
 *   inside the body's block (per iteration, so closures capture as before).
 *   A callback parameter becomes `const`, or `let` when the callback assigns
 *   it. The index is a fresh name, or the callback's own index parameter when
 *   it is a plain, never-assigned name. Where a body declares a name the new
 *   head reads (`const xs = …` in the body), the body is kept as a nested block.
 * - for…of: not `for await`; the head declares one variable (or assigns a plain
 *   variable); the loop variable is not read in the iterated expression (that
 *   is a temporal-dead-zone error which the new loop would not throw). Labels
 *   stay where they are, on the loop.
 * - forEach: a statement of its own (its value, undefined, is not used); the
 *   callback is an arrow or function literal, not async (forEach does not wait
 *   for it) nor a generator, with at most 3 parameters, none with a default
 *   value, rest or `?`; the third parameter becomes the array itself. A
 *   `function` callback must not use `this`, `arguments`, `new.target` or its
 *   own name (an arrow's are the enclosing function's, the same after
 *   inlining). A thisArg must be a name, `this` or a literal (evaluating it can
 *   have no effect, so it can be dropped). The callback must not declare a
 *   `var` (it would become a variable of the whole function) nor a label that
 *   an enclosing statement already uses. `return` becomes `continue` (a label
 *   is added when it sits in a nested loop); a returned value is still
 *   evaluated when that could have an effect or throw.
 * - Types: in a TypeScript file the element is read as
 *   `xs[i] as (typeof xs)[number]` (`xs` is always a plain name here: the
 *   array's own, or the fresh one it is bound to), which is exactly the type
 *   for…of or forEach gave the variable (`typeof` sees the same narrowing),
 *   where `xs[i]` alone is `T | undefined` under `noUncheckedIndexedAccess`.
 *   Never `xs[i]!`: it would also remove `undefined` from elements typed
 *   `T | undefined`. The cast is erased at run time; a .js file gets none.
 * - An empty array literal is not iterated (nothing to gain, and in
 *   TypeScript `let array = []` is an evolving `any[]` that does not compile).
 * - `xs?.forEach(…)` iterates `xs ?? []`; `a?.xs.forEach(…)` too, only when
 *   the type of `xs` cannot be null or undefined (otherwise the original would
 *   throw where the new loop would not).
 *
 * Risk: 0 for for…of over an annotated array; 0.1 for forEach (it assumes the
 * built-in forEach). The Operator interface has one risk per operator, so this
 * operator declares the larger one.
 */

/** What is known of an array value. */
interface ArrayFact {
  element: t.TSType | undefined;
  /** Its type admits null or undefined. */
  nullable: boolean;
}

/** The type of an expression as far as cdlc can see it: a written type, a known array, or why not. */
type Ty = { type: t.TSType; nullable?: boolean } | { array: ArrayFact } | { why: string };

const MAX_DEPTH = 12;
/** Array methods whose callback's first parameter is an element. */
const ELEMENT_CALLBACKS = new Set(["forEach", "map", "filter", "some", "every", "find", "findIndex", "findLast", "findLastIndex", "flatMap"]);
/** Methods of an array that return a new array; the value is the element type they keep. */
const ARRAY_RETURNING: Record<string, boolean> = { map: false, filter: true, slice: true, concat: false, flat: false, flatMap: false, toSorted: true, toReversed: true };
const LOOP_TYPES = ["ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"];

const lineOf = (node: t.Node): string => `line ${node.loc?.start.line ?? "?"}`;

// ---------------------------------------------------------------- types

/** A type alias or interface declared at the top of this file. */
function topLevelTypeDecl(ctx: OperatorContext, name: string): t.TSTypeAliasDeclaration | t.TSInterfaceDeclaration | undefined {
  const program = ctx.fn.scope.getProgramParent().block as t.Program;
  for (const s of program.body) {
    const d = t.isExportNamedDeclaration(s) || t.isExportDefaultDeclaration(s) ? s.declaration : s;
    if ((t.isTSTypeAliasDeclaration(d) || t.isTSInterfaceDeclaration(d)) && d.id.name === name) return d;
  }
  return undefined;
}

/** Whether this file declares its own `Array`/`ReadonlyArray` (a type, class or import), so the name may not be the built-in one. */
function shadowsBuiltin(ctx: OperatorContext, name: string): boolean {
  if (ctx.fn.scope.getBinding(name) !== undefined) return true;
  const program = ctx.fn.scope.getProgramParent().block as t.Program;
  return program.body.some((s) => {
    const d = t.isExportNamedDeclaration(s) ? s.declaration : s;
    if (t.isTSModuleDeclaration(d)) return false; // `declare global { interface Array<T> … }` augments the built-in
    return (t.isTSTypeAliasDeclaration(d) || t.isTSInterfaceDeclaration(d) || t.isClassDeclaration(d)) && d.id?.name === name;
  });
}

function typeText(ctx: OperatorContext, type: t.TSType): string {
  return type.start === undefined || type.start === null ? ctx.print(type) : ctx.text(type);
}

/** What a written type says about arrays. */
function typeArray(type: t.TSType, ctx: OperatorContext, depth: number): ArrayFact | { why: string } {
  const notArray = (): { why: string } =>
    t.isTSStringKeyword(type)
      ? { why: "it is a `string` (for…of visits its code points, an index its UTF-16 units)" }
      : { why: `its type \`${typeText(ctx, type)}\` is not an array type` };
  if (depth > MAX_DEPTH) return notArray();
  if (t.isTSParenthesizedType(type)) return typeArray(type.typeAnnotation, ctx, depth + 1);
  if (t.isTSArrayType(type)) return { element: type.elementType, nullable: false };
  if (t.isTSTupleType(type)) return { element: undefined, nullable: false };
  if (t.isTSTypeOperator(type) && type.operator === "readonly") return typeArray(type.typeAnnotation, ctx, depth + 1);
  if (t.isTSTypeReference(type) && t.isIdentifier(type.typeName)) {
    const name = type.typeName.name;
    if ((name === "Array" || name === "ReadonlyArray") && !shadowsBuiltin(ctx, name)) return { element: type.typeParameters?.params[0], nullable: false };
    const decl = topLevelTypeDecl(ctx, name);
    if (t.isTSTypeAliasDeclaration(decl) && decl.typeParameters == null && type.typeParameters == null) return typeArray(decl.typeAnnotation, ctx, depth + 1);
    return notArray();
  }
  if (t.isTSUnionType(type)) {
    const nullish = (m: t.TSType) => t.isTSUndefinedKeyword(m) || t.isTSNullKeyword(m);
    const rest = type.types.filter((m) => !nullish(m));
    if (rest.length === 0) return notArray();
    const facts = rest.map((m) => typeArray(m, ctx, depth + 1));
    const bad = facts.find((f): f is { why: string } => "why" in f);
    if (bad !== undefined) return notArray();
    const ok = facts as ArrayFact[];
    return { element: ok.length === 1 ? ok[0]!.element : undefined, nullable: rest.length < type.types.length || ok.some((f) => f.nullable) };
  }
  return notArray();
}

function arrayOf(ty: Ty, ctx: OperatorContext, depth: number): ArrayFact | { why: string } {
  if ("why" in ty) return ty;
  if ("array" in ty) return ty.array;
  const fact = typeArray(ty.type, ctx, depth + 1);
  return "why" in fact ? fact : { ...fact, nullable: fact.nullable || ty.nullable === true };
}

function elementOf(ty: Ty, ctx: OperatorContext, depth: number, what: string): Ty {
  const fact = arrayOf(ty, ctx, depth);
  if ("why" in fact) return fact;
  return fact.element === undefined ? { why: `the type of the elements ${what} comes from is not written` } : { type: fact.element };
}

/** The members of an object type written in this file. */
function objectMembers(type: t.TSType, ctx: OperatorContext, depth: number): t.TSTypeElement[] | { why: string } {
  const why = { why: `its type \`${typeText(ctx, type)}\` is not an object type written in this file` };
  if (depth > MAX_DEPTH) return why;
  if (t.isTSParenthesizedType(type)) return objectMembers(type.typeAnnotation, ctx, depth + 1);
  if (t.isTSTypeLiteral(type)) return type.members;
  if (t.isTSUnionType(type)) {
    const rest = type.types.filter((m) => !(t.isTSUndefinedKeyword(m) || t.isTSNullKeyword(m)));
    return rest.length === 1 ? objectMembers(rest[0]!, ctx, depth + 1) : why;
  }
  if (t.isTSTypeReference(type) && t.isIdentifier(type.typeName) && type.typeParameters == null) {
    const decl = topLevelTypeDecl(ctx, type.typeName.name);
    if (t.isTSTypeAliasDeclaration(decl) && decl.typeParameters == null) return objectMembers(decl.typeAnnotation, ctx, depth + 1);
    if (t.isTSInterfaceDeclaration(decl) && decl.typeParameters == null && (decl.extends ?? []).length === 0) return decl.body.body;
  }
  return why;
}

function keyName(key: t.Node, computed: boolean): string | undefined {
  if (!computed && t.isIdentifier(key)) return key.name;
  if (t.isStringLiteral(key)) return key.value;
  if (t.isPrivateName(key)) return `#${key.id.name}`;
  return undefined;
}

function propertyOf(object: Ty, name: string, ctx: OperatorContext, depth: number): Ty {
  if ("why" in object) return object;
  if ("array" in object) return { why: `\`${name}\` is not an array property cdlc knows` };
  const members = objectMembers(object.type, ctx, depth + 1);
  if ("why" in members) return members;
  for (const m of members) {
    if (t.isTSPropertySignature(m) && keyName(m.key, m.computed === true) === name) {
      return m.typeAnnotation == null ? { why: `the property \`${name}\` has no type annotation` } : { type: m.typeAnnotation.typeAnnotation, nullable: m.optional === true };
    }
  }
  return { why: `cdlc cannot find the property \`${name}\` in \`${typeText(ctx, object.type)}\`` };
}

/** `this.items` in a class method: the declared type of the class's `items`. */
function classPropertyType(member: NodePath, name: string, ctx: OperatorContext, depth: number): Ty {
  let fn: NodePath | null = member.parentPath;
  while (fn !== null && !(fn.isFunction() && !fn.isArrowFunctionExpression())) fn = fn.parentPath;
  const why = { why: `cdlc cannot see the type of \`this\` where \`this.${name}\` is read` };
  if (fn === null || !(fn.isClassMethod() || fn.isClassPrivateMethod())) return why;
  const isStatic = fn.node.static === true;
  const body = fn.parentPath as NodePath<t.ClassBody>;
  for (const m of body.get("body")) {
    const n = m.node;
    if ((t.isClassProperty(n) || t.isClassPrivateProperty(n)) && (n.static === true) === isStatic && keyName(n.key, t.isClassProperty(n) && n.computed) === name) {
      if (t.isTSTypeAnnotation(n.typeAnnotation)) return { type: n.typeAnnotation.typeAnnotation, nullable: t.isClassProperty(n) && n.optional === true };
      // Without an annotation, TypeScript keeps the initialiser's type only for a readonly property or a cast.
      const value = (m as NodePath<t.ClassProperty>).get("value");
      if (value.node != null && (n.readonly === true || t.isTSAsExpression(value.node))) return typeOf(value as NodePath, ctx, depth + 1);
      return { why: `the class property \`${name}\` has no type annotation` };
    }
    if (!isStatic && t.isClassMethod(n) && n.kind === "constructor") {
      for (const p of n.params) {
        if (t.isTSParameterProperty(p)) {
          const id = t.isAssignmentPattern(p.parameter) ? p.parameter.left : p.parameter;
          if (t.isIdentifier(id) && id.name === name) return t.isTSTypeAnnotation(id.typeAnnotation) ? { type: id.typeAnnotation.typeAnnotation } : { why: `the parameter property \`${name}\` has no type annotation` };
        }
      }
    }
  }
  return { why: `cdlc cannot find the declaration of \`this.${name}\` in the class` };
}

function pathOf(root: NodePath, node: t.Node): NodePath | undefined {
  if (root.node === node) return root;
  let found: NodePath | undefined;
  root.traverse({
    enter(p) {
      if (p.node === node) {
        found = p;
        p.stop();
      }
    },
  });
  return found;
}

/** The receiver of the array method whose element callback `fn` is (`xs` in `xs.map((x) => …)`). */
function elementCallbackReceiver(fn: NodePath): NodePath | undefined {
  if (!(fn.isArrowFunctionExpression() || fn.isFunctionExpression()) || fn.listKey !== "arguments" || fn.key !== 0) return undefined;
  const call = fn.parentPath;
  if (!(call.isCallExpression() || call.isOptionalCallExpression())) return undefined;
  const callee = childPath(call, "callee");
  if (!(callee.isMemberExpression() || callee.isOptionalMemberExpression())) return undefined;
  const name = keyName(callee.node.property, callee.node.computed);
  return name !== undefined && ELEMENT_CALLBACKS.has(name) ? (childPath(callee, "object")) : undefined;
}

/** The type of the value a pattern (or a declared name) receives. */
function patternType(p: NodePath, binding: Binding, ctx: OperatorContext, depth: number): Ty {
  const name = binding.identifier.name;
  if (depth > MAX_DEPTH) return { why: `cdlc gave up following the type of \`${name}\`` };
  const node = p.node as t.Node & { typeAnnotation?: t.Node | null; optional?: boolean | null };
  if (t.isTSTypeAnnotation(node.typeAnnotation)) return { type: node.typeAnnotation.typeAnnotation, nullable: node.optional === true };
  const parent = p.parentPath;
  if (parent === null) return { why: `\`${name}\` has no type annotation` };
  if (parent.isRestElement()) {
    if (t.isTSTypeAnnotation(parent.node.typeAnnotation)) return { type: parent.node.typeAnnotation.typeAnnotation };
    // A rest parameter, or the rest of an array pattern, is always a new array.
    if (parent.listKey === "params" || parent.parentPath?.isArrayPattern()) return { array: { element: undefined, nullable: false } };
    return { why: `\`${name}\` is the rest of an object, not an array` };
  }
  if (parent.isAssignmentPattern() && p.key === "left") return patternType(parent, binding, ctx, depth + 1);
  if (parent.isObjectProperty() && p.key === "value" && parent.parentPath.isObjectPattern()) {
    const key = keyName(parent.node.key, parent.node.computed);
    if (key === undefined) return { why: `\`${name}\` comes from a computed property` };
    return propertyOf(patternType(parent.parentPath, binding, ctx, depth + 1), key, ctx, depth + 1);
  }
  if (parent.isArrayPattern()) {
    const outer = patternType(parent, binding, ctx, depth + 1);
    if ("type" in outer) {
      let tuple: t.TSType = outer.type;
      while (t.isTSParenthesizedType(tuple) || (t.isTSTypeOperator(tuple) && tuple.operator === "readonly")) tuple = tuple.typeAnnotation;
      if (t.isTSTupleType(tuple)) {
        const member = tuple.elementTypes[p.key as number];
        if (member === undefined) return { why: `\`${name}\` is past the end of its tuple type` };
        if (t.isTSNamedTupleMember(member)) return { type: member.elementType, nullable: member.optional };
        if (t.isTSOptionalType(member)) return { type: member.typeAnnotation, nullable: true };
        return t.isTSRestType(member) ? { why: `\`${name}\` comes from a rest element of a tuple` } : { type: member };
      }
    }
    return elementOf(outer, ctx, depth + 1, `\`${name}\``);
  }
  if (parent.isVariableDeclarator() && p.key === "id") {
    if (!(binding.kind === "const" || binding.constant)) {
      const v = binding.constantViolations[0];
      return { why: `\`${name}\` has no type annotation and is assigned again${v === undefined ? "" : ` (${lineOf(v.node)})`}` };
    }
    const init = parent.get("init");
    if (init.node != null) return typeOf(init as NodePath, ctx, depth + 1);
    const loop = parent.parentPath.parentPath;
    if (loop?.isForOfStatement() && parent.parentPath.key === "left" && !loop.node.await) return elementOf(typeOf(loop.get("right"), ctx, depth + 1), ctx, depth + 1, `\`${name}\``);
    return { why: `\`${name}\` has no type annotation` };
  }
  if (p.listKey === "params") {
    const receiver = p.key === 0 ? elementCallbackReceiver(parent) : undefined;
    if (receiver !== undefined) return elementOf(typeOf(receiver, ctx, depth + 1), ctx, depth + 1, `\`${name}\``);
    return { why: `the parameter \`${name}\` has no type annotation, so cdlc cannot see that it is an array` };
  }
  return { why: `\`${name}\` has no type annotation` };
}

function bindingType(id: NodePath<t.Identifier>, ctx: OperatorContext, depth: number): Ty {
  const name = id.node.name;
  const binding = id.scope.getBinding(name);
  if (binding === undefined) return { why: `\`${name}\` is not declared in this module, so cdlc cannot see that it is an array` };
  if (binding.kind === "module") return { why: `\`${name}\` is imported: cdlc cannot see its type in this file` };
  const declared = pathOf(binding.path, binding.identifier);
  if (declared === undefined) return { why: `cdlc cannot find the declaration of \`${name}\`` };
  return patternType(declared, binding, ctx, depth + 1);
}

/** The type of an expression, as far as annotations, literals and a few built-ins show it. */
function typeOf(path: NodePath, ctx: OperatorContext, depth = 0): Ty {
  const node = path.node;
  const unknown = (): Ty => ({ why: `cdlc cannot see that \`${ctx.text(node)}\` is an array (annotate it, e.g. \`T[]\`, or cast it with \`as T[]\`)` });
  if (depth > MAX_DEPTH) return unknown();
  if (t.isParenthesizedExpression(node)) return typeOf(childPath(path, "expression"), ctx, depth + 1);
  if (t.isTSNonNullExpression(node)) {
    const inner = typeOf(childPath(path, "expression"), ctx, depth + 1);
    if ("type" in inner) return { type: inner.type };
    return "array" in inner ? { array: { ...inner.array, nullable: false } } : inner;
  }
  if (t.isTSAsExpression(node) || t.isTSTypeAssertion(node) || t.isTSSatisfiesExpression(node)) {
    const asConst = t.isTSTypeReference(node.typeAnnotation) && t.isIdentifier(node.typeAnnotation.typeName, { name: "const" });
    return asConst ? typeOf(childPath(path, "expression"), ctx, depth + 1) : { type: node.typeAnnotation };
  }
  if (t.isArrayExpression(node)) return { array: { element: undefined, nullable: false } };
  if (t.isIdentifier(node)) return bindingType(path as NodePath<t.Identifier>, ctx, depth + 1);
  if (t.isMemberExpression(node) || t.isOptionalMemberExpression(node)) {
    const name = keyName(node.property, node.computed);
    if (name === undefined) return unknown();
    if (t.isThisExpression(node.object)) return classPropertyType(path, name, ctx, depth + 1);
    return propertyOf(typeOf(childPath(path, "object"), ctx, depth + 1), name, ctx, depth + 1);
  }
  if (t.isCallExpression(node) || t.isOptionalCallExpression(node)) {
    const callee = node.callee;
    if (!(t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee))) return unknown();
    const method = keyName(callee.property, callee.computed);
    if (method === undefined) return unknown();
    const object = callee.object;
    if (t.isIdentifier(object) && path.scope.getBinding(object.name) === undefined) {
      if (object.name === "Object" && ["keys", "values", "entries"].includes(method)) return { array: { element: undefined, nullable: false } };
      if (object.name === "Array" && ["from", "of"].includes(method)) return { array: { element: undefined, nullable: false } };
    }
    if (method in ARRAY_RETURNING) {
      const receiver = arrayOf(typeOf(childPath(childPath(path, "callee"), "object"), ctx, depth + 1), ctx, depth + 1);
      if ("why" in receiver) return receiver;
      return { array: { element: ARRAY_RETURNING[method] ? receiver.element : undefined, nullable: t.isOptionalCallExpression(node) } };
    }
    return unknown();
  }
  if (t.isLogicalExpression(node) && (node.operator === "??" || node.operator === "||")) {
    // An array is never nullish nor falsy: the right side is used only when the left is null or undefined.
    const left = arrayOf(typeOf(childPath(path, "left"), ctx, depth + 1), ctx, depth + 1);
    const right = arrayOf(typeOf(childPath(path, "right"), ctx, depth + 1), ctx, depth + 1);
    if ("why" in left) return left;
    if ("why" in right) return right;
    return { array: { element: left.element, nullable: right.nullable } };
  }
  if (t.isConditionalExpression(node)) {
    const a = arrayOf(typeOf(childPath(path, "consequent"), ctx, depth + 1), ctx, depth + 1);
    const b = arrayOf(typeOf(childPath(path, "alternate"), ctx, depth + 1), ctx, depth + 1);
    if ("why" in a) return a;
    if ("why" in b) return b;
    return { array: { element: undefined, nullable: a.nullable || b.nullable } };
  }
  return unknown();
}

// ---------------------------------------------------------------- shared pieces

/**
 * Whether a plain variable holds the same value for as long as `around`
 * runs: never assigned, or assigned only in the function that declares it
 * and outside `around` (another function could run during the loop).
 */
function stableName(expr: NodePath, around: NodePath): boolean {
  if (!expr.isIdentifier()) return false;
  const binding = expr.scope.getBinding(expr.node.name);
  if (binding === undefined || binding.kind === "module") return false;
  if (binding.constantViolations.length === 0) return true;
  const home = around.getFunctionParent()?.node ?? null;
  if ((binding.scope.getFunctionParent()?.block ?? null) !== home) return false;
  return binding.constantViolations.every((v) => (v.getFunctionParent()?.node ?? null) === home && !isInside(v, around));
}

/** Names read (not declared) in a piece of code, types included (a superset is fine: it only makes cdlc more careful). */
function namesRead(path: NodePath): Set<string> {
  const out = new Set<string>();
  if (path.isIdentifier()) {
    if (path.isReferencedIdentifier()) out.add(path.node.name);
    return out;
  }
  path.traverse({
    Identifier(p) {
      if (p.isReferencedIdentifier()) out.add(p.node.name);
    },
  });
  return out;
}

function bindingNames(node: t.Node): string[] {
  return Object.keys(t.getBindingIdentifiers(node as t.Identifier));
}

/**
 * The read of the element at `i` of the array named `ref`, typed as for…of
 * and forEach type it: under `noUncheckedIndexedAccess` a bare `ref[i]` is
 * `T | undefined`, and the cast is erased at run time.
 */
function elementRead(ctx: OperatorContext, ref: string, i: string): string {
  return hasTypeScript(ctx) ? `${ref}[${i}] as (typeof ${ref})[number]` : `${ref}[${i}]`;
}

const EMPTY_LITERAL = "it iterates an empty array literal: there is nothing to gain, and in TypeScript the new loop's `let array = []` would be an evolving `any[]`";

/** `[]`, parenthesised or not. */
function isEmptyArrayLiteral(node: t.Node): boolean {
  let inner = node;
  while (t.isParenthesizedExpression(inner)) inner = inner.expression;
  return t.isArrayExpression(inner) && inner.elements.length === 0;
}

/** Expressions whose text binds tighter than any operator (safe before `??` or after `=`). */
function isPlain(node: t.Node): boolean {
  return t.isIdentifier(node) || t.isThisExpression(node) || t.isMemberExpression(node) || t.isOptionalMemberExpression(node) || t.isCallExpression(node) || t.isOptionalCallExpression(node) || t.isArrayExpression(node) || t.isNewExpression(node) || t.isTSNonNullExpression(node);
}

/** `text` as an initialiser in a `for (let …, name = text; …)` head (an `in` there would make it a for…in). */
function asInit(node: t.Node, text: string): string {
  if (isPlain(node)) return text;
  return t.isSequenceExpression(node) || t.isYieldExpression(node) || /\bin\b/.test(text) ? `(${text})` : text;
}

/** An expression's text as a statement of its own. */
function asStatement(text: string): string {
  return /^(\{|function\b|class\b|let\s*\[|async\s+function\b)/.test(text) ? `(${text});` : `${text};`;
}

/** How the first line of a block's content is separated from its `{`: a newline and its indentation, or a space. */
function separatorAfterBrace(ctx: OperatorContext, block: t.BlockStatement): string {
  const first = block.body[0] ?? block.directives[0];
  if (first === undefined) return " ";
  const between = ctx.source.slice(block.start! + 1, first.start!);
  const m = /\n([ \t]*)$/.exec(between);
  return m === null ? " " : `\n${m[1]}`;
}

/** Lexical names a body block declares for itself. */
function blockDeclarations(body: NodePath): Set<string> {
  if (!body.isBlockStatement() || body.scope.block !== body.node) return new Set();
  return new Set(Object.keys(body.scope.bindings));
}

interface Layout {
  /** The code that starts each iteration (declarations, guard), one statement each. */
  prelude: string[];
  /** The loop head up to and including `{`. */
  head: string;
  /** Where the replaced head starts. */
  start: number;
  body: NodePath;
  /** Keep the body as a nested block (it declares a name the prelude reads). */
  nested: boolean;
  /** Text that replaces `[body.end, end)` besides the closing brace (a callback's `)` and `;`). */
  end: number;
}

/** Edits that put the prelude at the top of the (block or single-statement) body. */
function layoutEdits(ctx: OperatorContext, l: Layout): Edit[] {
  const body = l.body.node;
  if (t.isBlockStatement(body) && !l.nested) {
    if (body.body.length === 0 && body.directives.length === 0) return [{ start: l.start, end: l.end, text: `${l.head} ${l.prelude.join(" ")} }` }];
    const sep = separatorAfterBrace(ctx, body);
    const edits: Edit[] = [{ start: l.start, end: body.start! + 1, text: `${l.head}${sep}${l.prelude.join(sep)}` }];
    if (l.end > body.end!) edits.push({ start: body.end! - 1, end: l.end, text: "}" });
    return edits;
  }
  return [
    { start: l.start, end: body.start!, text: `${l.head} ${l.prelude.join(" ")} ` },
    { start: body.end!, end: Math.max(body.end!, l.end), text: " }" },
  ];
}

// ---------------------------------------------------------------- for…of

function forOfHead(ctx: OperatorContext, loop: t.ForOfStatement): string {
  return ctx.source.slice(loop.start!, loop.body.start!).trimEnd();
}

function rewriteForOf(ctx: OperatorContext, loop: NodePath<t.ForOfStatement>): Rewrite | { reason: string } {
  const head = forOfHead(ctx, loop.node);
  const refuse = (why: string) => ({ reason: `\`${head}\` (${lineOf(loop.node)}): ${why}` });
  if (loop.node.await) return refuse("`for await` awaits every element; an indexed loop would not");
  const left = loop.get("left");
  let declare: (value: string) => string;
  let declared: string[];
  if (left.isVariableDeclaration()) {
    const kind = left.node.kind;
    if (!(kind === "const" || kind === "let" || kind === "var") || left.node.declarations.length !== 1) return refuse(`a \`${kind}\` loop variable is not handled`);
    const id = left.node.declarations[0]!.id;
    declare = (value) => `${kind} ${ctx.text(id)} = ${value};`;
    declared = bindingNames(id);
  } else if (left.isIdentifier()) {
    const name = left.node.name;
    declare = (value) => `${name} = ${value};`;
    declared = [];
  } else {
    return refuse("the loop assigns each element to a property or a pattern; only a declared loop variable or a plain variable is handled");
  }
  const right = loop.get("right");
  const rightNames = namesRead(right);
  const tdz = declared.find((n) => rightNames.has(n));
  if (tdz !== undefined) return refuse(`the loop variable \`${tdz}\` is read in \`${ctx.text(right.node)}\`, in its temporal dead zone (for…of throws there; an indexed loop would read another variable)`);
  const fact = arrayOf(typeOf(right, ctx), ctx, 0);
  if ("why" in fact) return refuse(`\`${ctx.text(right.node)}\` is not known to be an array: ${fact.why}; for…of also iterates Sets, Maps, strings and generators`);
  if (isEmptyArrayLiteral(right.node)) return refuse(EMPTY_LITERAL);

  const i = ctx.freshName("i");
  let ref: string;
  let bind = "";
  if (stableName(right, loop)) ref = (right.node as t.Identifier).name;
  else {
    ref = ctx.freshName("array");
    bind = `, ${ref} = ${asInit(right.node, ctx.text(right.node))}`;
  }
  // Names the new first statement reads or declares: a body that declares one of them keeps its own block.
  const prelude = [declare(elementRead(ctx, ref, i))];
  const preludeNames = new Set([ref, ...declared, ...(left.isIdentifier() ? [left.node.name] : namesRead(left))]);
  const body = loop.get("body");
  const nested = [...blockDeclarations(body)].some((n) => preludeNames.has(n));
  const newHead = `for (let ${i} = 0${bind}; ${i} < ${ref}.length; ${i}++) {`;
  const edits = layoutEdits(ctx, { prelude, head: newHead, start: loop.node.start!, body, nested, end: body.node.end! });
  return { edits, summary: `\`${head}\` → indexed loop \`${newHead.slice(0, -2)}\` (${lineOf(loop.node)})` };
}

// ---------------------------------------------------------------- forEach

/** The function whose `this`/`arguments` a node inside `fn` sees (arrows see through; a computed method key is outside its method). */
function ownerOf(p: NodePath): t.Node | undefined {
  let child: NodePath = p;
  for (let q = p.parentPath; q !== null; child = q, q = q.parentPath) {
    if (!q.isFunction() || q.isArrowFunctionExpression()) continue;
    if ((q.isClassMethod() || q.isClassPrivateMethod() || q.isObjectMethod()) && child.key === "key") continue;
    return q.node;
  }
  return undefined;
}

/** A `function` callback's own `this`, `arguments` or `new.target`. */
function ownContextUse(cb: NodePath<t.FunctionExpression>): t.Node | undefined {
  let found: t.Node | undefined;
  const hit = (p: NodePath) => {
    if (found === undefined && ownerOf(p) === cb.node) found = p.node;
  };
  cb.get("body").traverse({
    ThisExpression: hit,
    MetaProperty: hit,
    Identifier(p) {
      if (p.node.name === "arguments" && p.isReferencedIdentifier()) hit(p);
    },
  });
  return found;
}

/** Statements and labels of the callback itself (not of functions inside it). */
function callbackParts(cb: NodePath<t.ArrowFunctionExpression | t.FunctionExpression>): { returns: NodePath<t.ReturnStatement>[]; labels: NodePath<t.LabeledStatement>[] } {
  const returns: NodePath<t.ReturnStatement>[] = [];
  const labels: NodePath<t.LabeledStatement>[] = [];
  cb.get("body").traverse({
    Function(p) {
      p.skip();
    },
    ReturnStatement(p) {
      returns.push(p);
    },
    LabeledStatement(p) {
      labels.push(p);
    },
  });
  return { returns, labels };
}

function enclosingLabels(stmt: NodePath): Set<string> {
  const out = new Set<string>();
  for (let p = stmt.parentPath; p !== null && !p.isFunction(); p = p.parentPath) if (p.isLabeledStatement()) out.add(p.node.label.name);
  return out;
}

/** Whether a value is read without any effect and without throwing (so a `return value;` can drop it). */
function inert(expr: NodePath): boolean {
  const n = expr.node;
  if ((t.isLiteral(n) && !t.isTemplateLiteral(n)) || t.isThisExpression(n)) return true;
  if (t.isIdentifier(n)) {
    const b = expr.scope.getBinding(n.name);
    if (b === undefined) return n.name === "undefined";
    // Declared before it is read: not in its temporal dead zone.
    return b.kind === "param" || b.kind === "var" || b.kind === "hoisted" || b.identifier.end! <= n.start!;
  }
  return t.isUnaryExpression(n, { operator: "void" }) && t.isNumericLiteral(n.argument);
}

function rewriteForEach(ctx: OperatorContext, call: NodePath<t.CallExpression | t.OptionalCallExpression>): Rewrite | { reason: string } {
  const callee = call.get("callee") as NodePath<t.MemberExpression | t.OptionalMemberExpression>;
  const shown = `${ctx.text(callee.node)}(…)`;
  const refuse = (why: string) => ({ reason: `\`${shown}\` (${lineOf(call.node)}): ${why}` });
  const stmt = call.parentPath;
  if (!(stmt.isExpressionStatement() && call.key === "expression")) return refuse("its value is used, so it is not a statement that a loop can replace");
  if (t.isOptionalCallExpression(call.node) && call.node.optional) return refuse("`forEach?.(…)` is not handled");
  const args = call.get("arguments");
  const cbPath = args[0];
  if (cbPath === undefined || args.length > 2 || args.some((a) => a.isSpreadElement())) return refuse("it is not called with a callback (and at most a thisArg)");
  if (!(cbPath.isArrowFunctionExpression() || cbPath.isFunctionExpression())) return refuse(`the callback \`${ctx.text(cbPath.node)}\` is not a function literal, so cdlc cannot inline it`);
  const cb = cbPath as NodePath<t.ArrowFunctionExpression | t.FunctionExpression>;
  const fn = cb.node;
  if (fn.async) return refuse("the callback is async: forEach starts each call without waiting for it, a loop would wait");
  if (fn.generator) return refuse("the callback is a generator: forEach only creates its iterators");
  if (fn.typeParameters != null) return refuse("the callback has type parameters");
  if (fn.params.length > 3) return refuse(`the callback has ${fn.params.length} parameters; forEach passes 3`);
  for (const p of fn.params) {
    if (t.isRestElement(p)) return refuse(`the parameter \`${ctx.text(p)}\` is a rest parameter`);
    if (t.isAssignmentPattern(p)) return refuse(`the parameter \`${ctx.text(p)}\` has a default value`);
    if (t.isTSParameterProperty(p) || (t.isIdentifier(p) && (p.optional === true || p.name === "this"))) return refuse(`the parameter \`${ctx.text(p)}\` is not handled`);
  }
  if (cb.isFunctionExpression()) {
    const use = ownContextUse(cb);
    if (use !== undefined) return refuse(`the callback uses its own \`${ctx.text(use)}\` (${lineOf(use)}), which a loop does not have`);
    const id = cb.node.id;
    const self = id == null ? undefined : cb.scope.getBinding(id.name);
    if (id != null && self !== undefined && self.kind === "local" && self.referenced) return refuse(`the callback refers to itself by its name \`${id.name}\``);
  }
  const thisArg = args[1];
  if (thisArg !== undefined && !(thisArg.isThisExpression() || (thisArg.isLiteral() && !thisArg.isTemplateLiteral()) || (thisArg.isIdentifier() && thisArg.scope.getBinding(thisArg.node.name) !== undefined))) {
    return refuse(`the thisArg \`${ctx.text(thisArg.node)}\` is not a plain name or literal, and a loop would not evaluate it`);
  }
  const own = Object.values(cb.scope.bindings);
  const varDecl = own.find((b) => b.kind === "var");
  if (varDecl !== undefined) return refuse(`the callback declares \`var ${varDecl.identifier.name}\` (${lineOf(varDecl.identifier)}), which would become a variable of the whole function`);
  const { returns, labels } = callbackParts(cb);
  const outerLabels = enclosingLabels(stmt);
  const clash = labels.find((l) => outerLabels.has(l.node.label.name));
  if (clash !== undefined) return refuse(`the callback's label \`${clash.node.label.name}\` (${lineOf(clash.node)}) is already used around the call`);

  // The receiver must be an array.
  const receiver = childPath(callee, "object");
  const fact = arrayOf(typeOf(receiver, ctx), ctx, 0);
  if ("why" in fact) return refuse(`\`${ctx.text(receiver.node)}\` is not known to be an array: ${fact.why}; forEach on a Map or Set passes other arguments`);
  const optionalHere = t.isOptionalMemberExpression(callee.node) && callee.node.optional === true;
  const shortCircuits = !optionalHere && t.isOptionalCallExpression(call.node);
  if (shortCircuits && fact.nullable) return refuse(`\`${ctx.text(receiver.node)}\` may be null or undefined, where the call throws; a loop over \`?? []\` would not`);
  if (isEmptyArrayLiteral(receiver.node)) return refuse(EMPTY_LITERAL);

  const params = fn.params as (t.Identifier | t.ObjectPattern | t.ArrayPattern)[];
  const paramNames = params.flatMap((p) => bindingNames(p));
  const receiverNames = namesRead(receiver);
  // Read by the parameters' own code (default values in patterns, computed keys).
  const paramReads = new Set<string>();
  for (const p of cb.get("params")) for (const n of p.isIdentifier() ? [] : namesRead(p)) paramReads.add(n);
  const selfRead = paramNames.find((n) => paramReads.has(n));
  if (selfRead !== undefined) return refuse(`a parameter pattern reads the parameter \`${selfRead}\``);

  let ref: string;
  let bind = "";
  const nullable = optionalHere || shortCircuits;
  if (!nullable && stableName(receiver, stmt) && !paramNames.includes((receiver.node as t.Identifier).name)) ref = (receiver.node as t.Identifier).name;
  else {
    ref = ctx.freshName("array");
    const text = ctx.text(receiver.node);
    bind = `, ${ref} = ${nullable ? `${isPlain(receiver.node) ? text : `(${text})`} ?? []` : asInit(receiver.node, text)}`;
  }
  const keyword = (p: t.Node) => (bindingNames(p).every((n) => cb.scope.getBinding(n)?.constant !== false) ? "const" : "let");
  const [element, index, array] = params;
  const indexParam = index !== undefined && t.isIdentifier(index) ? index : undefined;
  const indexAnnotation = indexParam?.typeAnnotation;
  const useIndexName =
    indexParam !== undefined &&
    cb.scope.getBinding(indexParam.name)?.constant === true &&
    !receiverNames.has(indexParam.name) &&
    (indexAnnotation == null || (t.isTSTypeAnnotation(indexAnnotation) && t.isTSNumberKeyword(indexAnnotation.typeAnnotation)));
  const i = useIndexName ? indexParam.name : ctx.freshName("i");
  const n = ctx.freshName("n");
  const prelude = [`if (!(${i} in ${ref})) continue;`, element === undefined ? `${ref}[${i}];` : `${keyword(element)} ${ctx.text(element)} = ${elementRead(ctx, ref, i)};`];
  if (index !== undefined && !useIndexName) prelude.push(`${keyword(index)} ${ctx.text(index)} = ${i};`);
  if (array !== undefined) prelude.push(`${keyword(array)} ${ctx.text(array)} = ${ref};`);

  // `return` ends this element's call: `continue` (labelled when a loop of the callback is in between).
  const needsLabel = returns.some((r) => {
    for (let p: NodePath | null = r.parentPath; p !== null && p.node !== fn; p = p.parentPath) if (LOOP_TYPES.includes(p.node.type)) return true;
    return false;
  });
  const label = needsLabel ? ctx.freshName("each") : undefined;
  const edits: Edit[] = [];
  for (const r of returns) {
    let inLoop = false;
    for (let p: NodePath | null = r.parentPath; p !== null && p.node !== fn; p = p.parentPath) if (LOOP_TYPES.includes(p.node.type)) inLoop = true;
    const next = inLoop ? `continue ${label};` : "continue;";
    const arg = r.get("argument");
    const text = arg.node == null || inert(arg as NodePath) ? next : `{ ${asStatement(ctx.text(arg.node))} ${next} }`;
    edits.push({ start: r.node.start!, end: r.node.end!, text });
  }

  const head = `${label === undefined ? "" : `${label}: `}for (let ${i} = 0${bind}, ${n} = ${ref}.length; ${i} < ${n}; ${i}++) {`;
  const body = childPath(cb, "body");
  const summary = `\`${shown}\` → indexed loop that skips holes as forEach does (${lineOf(call.node)})`;
  if (!body.isBlockStatement()) {
    const text = ctx.text(body.node);
    const statement = asStatement(text);
    const [open, close] = statement.startsWith("(") && !text.startsWith("(") ? ["(", ");"] : ["", ";"];
    return {
      edits: [
        { start: stmt.node.start!, end: body.node.start!, text: `${head} ${prelude.join(" ")} ${open}` },
        { start: body.node.end!, end: stmt.node.end!, text: `${close} }` },
      ],
      summary,
    };
  }
  // The prelude reads `ref` and what the parameter patterns read: a body that declares one of them keeps its own block.
  const declaredByBody = new Set(Object.entries(cb.scope.bindings).filter(([, b]) => b.kind !== "param" && b.kind !== "local").map(([name]) => name));
  const preludeReads = new Set([ref, ...paramReads]);
  const nested = [...declaredByBody].some((name) => preludeReads.has(name));
  const bodyEdits = nested
    ? [
        { start: stmt.node.start!, end: body.node.start!, text: `${head} ${prelude.join(" ")} ` },
        { start: body.node.end!, end: stmt.node.end!, text: " }" },
      ]
    : layoutEdits(ctx, { prelude, head, start: stmt.node.start!, body, nested: false, end: stmt.node.end! });
  return { edits: [...bodyEdits, ...edits].sort((a, b) => a.start - b.start), summary };
}

// ---------------------------------------------------------------- operator

function isForEachCall(path: NodePath): path is NodePath<t.CallExpression | t.OptionalCallExpression> {
  if (!(path.isCallExpression() || path.isOptionalCallExpression())) return false;
  const callee = (path.node as t.CallExpression).callee;
  return (t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) && keyName(callee.property, callee.computed) === "forEach";
}

export const indexLoop: Operator = {
  id: "index_loop",
  risk: 0.1,
  byNameOnly: false,
  apply(ctx) {
    const sites: NodePath[] = [];
    ctx.fn.traverse({
      ForOfStatement(p) {
        sites.push(p);
      },
      CallExpression(p) {
        if (isForEachCall(p)) sites.push(p);
      },
      OptionalCallExpression(p) {
        if (isForEachCall(p)) sites.push(p);
      },
    });
    if (sites.length === 0) return { reason: "no `for…of` loop and no `forEach` call in the body" };
    sites.sort((a, b) => a.node.start! - b.node.start!);
    const rewrites: Rewrite[] = [];
    const reasons: string[] = [];
    for (const site of sites) {
      const r = site.isForOfStatement() ? rewriteForOf(ctx, site) : rewriteForEach(ctx, site as NodePath<t.CallExpression | t.OptionalCallExpression>);
      if ("reason" in r) reasons.push(r.reason);
      else rewrites.push(r);
    }
    return rewrites.length > 0 ? { rewrites } : { reason: reasons.join("; ") };
  },
};
