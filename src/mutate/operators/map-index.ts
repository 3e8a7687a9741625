import type { Binding, NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { childPath, childPaths } from "../source.js";
import { enclosingLoops, firstChangeOfLocal, isInside, isIterationCallback, READING_METHODS, whyVaries, type Loop } from "../loops.js";
import { callbackSideEffect, firstSideEffect } from "../purity.js";
import type { FunctionLike, Operator, OperatorContext, Rewrite } from "../types.js";

/**
 * map_index: `arr.find((p) => p.k === v)` inside a loop, on an array that
 * is the same in every iteration → `findByK(arr, v)`, a lookup through a
 * Map from key to the FIRST element with that key, declared before the
 * loop and filled only as far as the lookups need:
 *
 *     const productsBySku = new Map<unknown, Product>();
 *     let productsBySkuScanned = 0;
 *     const findBySku = (array: readonly Product[], value: unknown): Product | undefined => {
 *       const hit = productsBySku.get(value);
 *       if (hit !== undefined) return hit;
 *       while (productsBySkuScanned < array.length) {
 *         const p = array[productsBySkuScanned]!;
 *         const key = p.sku;
 *         productsBySkuScanned++;
 *         if (!productsBySku.has(key)) productsBySku.set(key, p);
 *         if (key === value) return p;
 *       }
 *       return undefined;
 *     };
 *
 * Why this shape: it reads the elements in `find`'s order and never past
 * the element `find` would stop at, so a hole or a null element throws the
 * same TypeError in the same lookup as `find` would, and the keys of an
 * array the loop never searches are never read. A Map built whole before
 * the loop, or on first use, would read every key at once and throw (or run
 * getters) where `find` does not. A hit in the Map is the first element
 * with that key: the Map is filled in order and keeps a key's first element
 * (`has` before `set`). A miss scans on from where the last scan stopped:
 * no element before that point has the key, so `find` would scan on too.
 * `hit !== undefined` means "found": the key path reads a property of the
 * element (`p.k`, never `p?.k`), so a stored element is never undefined.
 * The key is read with the user's own text (casts and `!` kept). The array
 * and `v` are evaluated at the site, in the original order, so `this` and
 * the loop's variables mean what they meant. For `arr?.find(…)` the lookup
 * returns undefined for a nullish array, as the chain does.
 *
 * Preconditions, each with its reason:
 * - `arr` is an array by a type or a literal cdlc can see: `find` on
 *   another object is another method.
 * - The predicate is a function literal with one parameter (an identifier,
 *   or a destructuring of one property), without side effects (it runs
 *   fewer times), whose body is one `===` between a key of the element —
 *   a path of plain properties, computed only with a literal — and a value
 *   `v` that does not use the element. `==` converts types, a Map does not;
 *   a key read through a call may differ from call to call.
 * - No `thisArg`, no type arguments, no type predicate: the lookup ignores
 *   them and would not narrow the result's type. No optional chain that
 *   starts inside `arr` without `?.find`, or goes on after the call: the
 *   lookup could not tell which link was nullish.
 * - NaN: `find` compares with `===` (NaN matches nothing), a Map with
 *   SameValueZero (NaN finds NaN; -0 and +0 are one key in both). So the
 *   key's type or `v`'s type must exclude NaN by what cdlc can see: an
 *   annotation (an interface, type alias or class in this file, or a type
 *   literal), a string, template or number literal, or an `as` cast (then
 *   the risk is 0.3, carried by the rewrite).
 * - `v` has no side effect and cannot throw (variables, literals, `this`
 *   in a class's method, and property reads of values whose type says they
 *   are never null or undefined, or asserted with `!`): `find` evaluates it
 *   once per element visited, which is never when the array is empty; the
 *   lookup evaluates it once.
 * - The site is inside a loop of the node. The Map lives as long as one
 *   run of the chosen loop (the outermost of the loops around the site for
 *   which every check below holds): it is declared right before that loop.
 * - In that loop, the array expression has the same value in every
 *   iteration (`whyVaries`; a `for…of` loop's own variable counts as
 *   changing), a local array is not changed (`firstChangeOfLocal`), and
 *   nothing may change the array or its elements' keys: no property write,
 *   `delete` or call to code cdlc cannot see, except writes and built-in
 *   methods on a local array, object, Map or Set made in the node and not
 *   handed to other code before the loop ends; no `await` or `yield` (other
 *   code would run), no tagged template (a call).
 * - Between the iterations of the loops around the site no code runs that
 *   cdlc cannot see: `for…of` iterates an array, a string, a Map or a Set,
 *   an iteration callback's receiver is an array (or a Map or Set for
 *   `forEach`), and no `for await`.
 *
 * Types: in a TypeScript file the Map is `Map<unknown, E>` with `E` the
 * element type as declared (or `(typeof xs)[number]` for an unannotated
 * local array), so the lookup accepts any value, as `===` does; with no
 * TypeScript syntax in the file, no types are written. When `E` cannot be
 * named, cdlc does not apply.
 *
 * Left to the oracle (the risk): getters on elements or on the array run
 * fewer times (each key is read once, `v` once per lookup), and type
 * annotations are trusted (a `sku: string` that holds NaN at run time).
 */

const RISK = 0.2;
const CAST_RISK = 0.3;

/** A rewrite with its own risk: 0.3 when the NaN evidence is an `as` cast (the engine reads the operator's). */
export type MapIndexRewrite = Rewrite & { risk: number };

/** Iteration methods whose callback gets an element as its first parameter. */
const ELEMENT_FIRST = new Set(["forEach", "map", "filter", "some", "every", "find", "findIndex", "findLast", "findLastIndex", "flatMap"]);
/** Array methods that return a new array. */
const ARRAY_RESULT = new Set(["map", "filter", "slice", "concat", "flat", "flatMap", "toSorted", "toReversed", "toSpliced", "with"]);
/** Methods that run no user code on a local made in the node (by its kind). */
const SAFE_LOCAL_METHODS: Record<FreshKind, ReadonlySet<string>> = {
  array: new Set(["push", "pop", "shift", "unshift", "splice", "reverse", "fill", "copyWithin"]),
  object: new Set(),
  map: new Set(["set", "get", "has", "delete", "clear"]),
  set: new Set(["add", "has", "delete", "clear"]),
};

/** Methods that read a local made in the node and hand it to no one (a callback of `forEach` gets the array itself). */
const READ_LOCAL_METHODS: Record<FreshKind, ReadonlySet<string>> = {
  array: new Set(["includes", "indexOf", "lastIndexOf", "at", "slice", "concat", "join", "keys", "values", "entries"]),
  object: new Set(),
  map: new Set(["keys", "values", "entries"]),
  set: new Set(["keys", "values", "entries"]),
};

type FreshKind = "array" | "object" | "map" | "set";

/** What this file's annotations say of an expression's type. */
interface Typed {
  type: t.TSType;
  /** An `as` cast was relied on. */
  cast: boolean;
  /** It may be undefined whatever the type says (an optional property or parameter, an index read). */
  maybeMissing: boolean;
  /** A `!` says it is not null or undefined. */
  asserted?: boolean;
}

type Why = { reason: string };

const line = (node: t.Node | null | undefined): string => `line ${node?.loc?.start.line ?? "?"}`;

function strip(path: NodePath): NodePath {
  let p = path;
  while (p.isTSAsExpression() || p.isTSSatisfiesExpression() || p.isTSNonNullExpression() || p.isTSTypeAssertion() || p.isParenthesizedExpression()) p = childPath(p, "expression");
  return p;
}

function propName(node: t.MemberExpression | t.OptionalMemberExpression): string | undefined {
  const p = node.property;
  if (!node.computed) return t.isIdentifier(p) ? p.name : t.isPrivateName(p) ? `#${p.id.name}` : undefined;
  if (t.isStringLiteral(p)) return p.value;
  if (t.isNumericLiteral(p)) return String(p.value);
  return undefined;
}

function typeParamName(n: t.TSTypeParameter): string {
  const name = (n as unknown as { name: string | t.Identifier }).name;
  return typeof name === "string" ? name : name.name;
}

/** The type declarations of the file, to follow `Product` to `interface Product { sku: string }`. */
class FileTypes {
  readonly isTypeScript: boolean;
  private readonly topLevel = new Map<string, t.Node[]>();
  /** Names that also name a type parameter or a type declared below the top level: not followed. */
  private readonly ambiguous = new Set<string>();

  constructor(program: t.Program) {
    let ts = false;
    const everywhere = new Map<string, number>();
    const count = (name: string) => everywhere.set(name, (everywhere.get(name) ?? 0) + 1);
    t.traverseFast(program, (n) => {
      if (n.type.startsWith("TS")) ts = true;
      if (t.isTSTypeParameter(n)) this.ambiguous.add(typeParamName(n));
      if ((t.isTSInterfaceDeclaration(n) || t.isTSTypeAliasDeclaration(n) || t.isTSEnumDeclaration(n) || t.isClassDeclaration(n) || t.isTSModuleDeclaration(n)) && t.isIdentifier(n.id)) count(n.id.name);
    });
    this.isTypeScript = ts;
    for (const s of program.body) {
      const d = t.isExportNamedDeclaration(s) || t.isExportDefaultDeclaration(s) ? s.declaration : s;
      if ((t.isTSInterfaceDeclaration(d) || t.isTSTypeAliasDeclaration(d) || t.isTSEnumDeclaration(d) || t.isClassDeclaration(d)) && t.isIdentifier(d.id)) {
        this.topLevel.set(d.id.name, [...(this.topLevel.get(d.id.name) ?? []), d]);
      }
    }
    for (const [name, n] of everywhere) if (n !== (this.topLevel.get(name)?.length ?? 0)) this.ambiguous.add(name);
  }

  /** The declarations a type name refers to, when it is one declared at the top of this file and nowhere else. */
  declarations(ref: t.TSType): t.Node[] | undefined {
    if (!t.isTSTypeReference(ref) || !t.isIdentifier(ref.typeName) || this.ambiguous.has(ref.typeName.name)) return undefined;
    return this.topLevel.get(ref.typeName.name);
  }

  /** Whether a name is a built-in generic (`Array`, `Map`) not redeclared in the file. */
  builtin(ref: t.TSType, names: readonly string[]): boolean {
    return t.isTSTypeReference(ref) && t.isIdentifier(ref.typeName) && names.includes(ref.typeName.name) && !this.ambiguous.has(ref.typeName.name) && !this.topLevel.has(ref.typeName.name);
  }

  /** Follows parentheses and aliases (without type parameters) declared in this file. */
  resolve(type: t.TSType, depth = 0): t.TSType {
    if (depth > 20) return type;
    if (t.isTSParenthesizedType(type)) return this.resolve(type.typeAnnotation, depth + 1);
    const decls = this.declarations(type);
    if (decls?.length === 1 && t.isTSTypeAliasDeclaration(decls[0]) && !decls[0].typeParameters && !(type as t.TSTypeReference).typeParameters) return this.resolve(decls[0].typeAnnotation, depth + 1);
    return type;
  }

  /** Whether no value of the type can be NaN: strings, booleans, bigints, literal types (a number literal is not NaN), null, undefined, string enums. */
  excludesNaN(type: t.TSType, depth = 0): boolean {
    const r = this.resolve(type);
    if (depth > 20) return false;
    switch (r.type) {
      case "TSStringKeyword":
      case "TSBooleanKeyword":
      case "TSBigIntKeyword":
      case "TSSymbolKeyword":
      case "TSNullKeyword":
      case "TSUndefinedKeyword":
      case "TSVoidKeyword":
      case "TSNeverKeyword":
      case "TSLiteralType":
        return true;
      case "TSUnionType":
        return r.types.every((m) => this.excludesNaN(m, depth + 1));
      case "TSTypeReference": {
        const decls = this.declarations(r);
        return decls !== undefined && decls.length > 0 && decls.every((d) => t.isTSEnumDeclaration(d) && d.members.every((m) => t.isStringLiteral(m.initializer)));
      }
      default:
        return (r.type as string) === "TSTemplateLiteralType";
    }
  }

  /** Whether a value of the type may be null or undefined (or is unknown or any). */
  nullable(type: t.TSType, depth = 0): boolean {
    const r = this.resolve(type);
    if (depth > 20) return true;
    if (t.isTSNullKeyword(r) || t.isTSUndefinedKeyword(r) || t.isTSVoidKeyword(r) || t.isTSAnyKeyword(r) || t.isTSUnknownKeyword(r)) return true;
    if (t.isTSUnionType(r) || t.isTSIntersectionType(r)) return t.isTSUnionType(r) ? r.types.some((m) => this.nullable(m, depth + 1)) : r.types.every((m) => this.nullable(m, depth + 1));
    return false;
  }

  /** Whether every value of the type is a primitive other than a symbol (converting it to a string runs no code and cannot throw). */
  plainPrimitive(type: t.TSType, depth = 0): boolean {
    const r = this.resolve(type);
    if (depth > 20) return false;
    if (t.isTSStringKeyword(r) || t.isTSNumberKeyword(r) || t.isTSBooleanKeyword(r) || t.isTSBigIntKeyword(r) || t.isTSLiteralType(r) || (r.type as string) === "TSTemplateLiteralType") return true;
    return t.isTSUnionType(r) && r.types.every((m) => this.plainPrimitive(m, depth + 1));
  }

  /** The union without null and undefined, when one type is left. */
  private nonNull(type: t.TSType): t.TSType | undefined {
    const r = this.resolve(type);
    if (!t.isTSUnionType(r)) return r;
    const rest = r.types.filter((m) => !(t.isTSNullKeyword(m) || t.isTSUndefinedKeyword(m)));
    return rest.length === 1 ? this.resolve(rest[0]!) : undefined;
  }

  /** The element type of an array type (`T[]`, `readonly T[]`, `Array<T>`, `ReadonlyArray<T>`), null and undefined aside. */
  element(type: t.TSType): t.TSType | undefined {
    const r = this.nonNull(type);
    if (r === undefined) return undefined;
    if (t.isTSArrayType(r)) return r.elementType;
    if (t.isTSTypeOperator(r) && r.operator === "readonly") return this.element(r.typeAnnotation);
    if (this.builtin(r, ["Array", "ReadonlyArray"])) return (r as t.TSTypeReference).typeParameters?.params.length === 1 ? (r as t.TSTypeReference).typeParameters!.params[0] : undefined;
    return undefined;
  }

  /** Whether iterating a value of the type runs only built-in code: arrays, strings, Maps, Sets. */
  builtinIterable(type: t.TSType): boolean {
    const r = this.nonNull(type);
    if (r === undefined) return false;
    return this.element(r) !== undefined || t.isTSStringKeyword(r) || this.builtin(r, ["Map", "Set", "ReadonlyMap", "ReadonlySet"]);
  }

  /** The declared type of a property of a type, and whether it is optional. */
  member(type: t.TSType, name: string, depth = 0): { type: t.TSType; optional: boolean } | undefined {
    if (depth > 20) return undefined;
    const r = this.nonNull(type);
    if (r === undefined) return undefined;
    if (t.isTSTypeLiteral(r)) return fromSignatures(r.members, name);
    if (t.isTSIntersectionType(r)) {
      for (const part of r.types) {
        const found = this.member(part, name, depth + 1);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    const decls = this.declarations(r);
    if (decls === undefined || (r as t.TSTypeReference).typeParameters) return undefined;
    for (const d of decls) {
      if (t.isTSInterfaceDeclaration(d) && !d.typeParameters) {
        const found = fromSignatures(d.body.body, name);
        if (found !== undefined) return found;
      }
      if (t.isClassDeclaration(d) && !d.typeParameters) {
        const found = classMember(d.body, name);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }
}

function fromSignatures(members: readonly t.TSTypeElement[], name: string): { type: t.TSType; optional: boolean } | undefined {
  for (const m of members) {
    if (!t.isTSPropertySignature(m) || m.computed) continue;
    const key = t.isIdentifier(m.key) ? m.key.name : t.isStringLiteral(m.key) ? m.key.value : t.isNumericLiteral(m.key) ? String(m.key.value) : undefined;
    if (key === name && m.typeAnnotation) return { type: m.typeAnnotation.typeAnnotation, optional: m.optional === true };
  }
  return undefined;
}

/** A typed instance property of a class body: a field, or a constructor parameter property. */
function classMember(body: t.ClassBody, name: string): { type: t.TSType; optional: boolean } | undefined {
  for (const m of body.body) {
    if ((t.isClassProperty(m) || t.isClassPrivateProperty(m) || t.isClassAccessorProperty(m)) && !m.static) {
      const key = t.isIdentifier(m.key) ? m.key.name : t.isPrivateName(m.key) ? `#${m.key.id.name}` : t.isStringLiteral(m.key) ? m.key.value : undefined;
      if (key === name && !(m as t.ClassProperty).computed && t.isTSTypeAnnotation(m.typeAnnotation)) return { type: m.typeAnnotation.typeAnnotation, optional: (m as t.ClassProperty).optional === true };
    }
    if (t.isClassMethod(m) && m.kind === "constructor") {
      for (const p of m.params) {
        if (!t.isTSParameterProperty(p)) continue;
        const id = t.isAssignmentPattern(p.parameter) ? p.parameter.left : p.parameter;
        if (t.isIdentifier(id) && id.name === name && t.isTSTypeAnnotation(id.typeAnnotation)) return { type: id.typeAnnotation.typeAnnotation, optional: id.optional === true };
      }
    }
  }
  return undefined;
}

/** What the file's annotations say about expressions of the node. */
class Types {
  constructor(readonly file: FileTypes) {}

  /** The type of an expression, from annotations cdlc can see; undefined when it cannot tell. */
  of(path: NodePath, depth = 0): Typed | undefined {
    if (depth > 30) return undefined;
    const n = path.node;
    if (t.isStringLiteral(n) || t.isTemplateLiteral(n)) return { type: t.tsStringKeyword(), cast: false, maybeMissing: false };
    if (t.isNumericLiteral(n)) return { type: t.tsLiteralType(t.numericLiteral(n.value)), cast: false, maybeMissing: false };
    if (t.isBooleanLiteral(n)) return { type: t.tsBooleanKeyword(), cast: false, maybeMissing: false };
    if (t.isTSAsExpression(n) || t.isTSTypeAssertion(n)) {
      if (t.isTSTypeReference(n.typeAnnotation) && t.isIdentifier(n.typeAnnotation.typeName, { name: "const" })) return this.of(childPath(path, "expression"), depth + 1);
      return { type: n.typeAnnotation, cast: true, maybeMissing: false };
    }
    if (t.isTSSatisfiesExpression(n)) return this.of(childPath(path, "expression"), depth + 1) ?? { type: n.typeAnnotation, cast: false, maybeMissing: false };
    if (t.isTSNonNullExpression(n)) {
      const inner = this.of(childPath(path, "expression"), depth + 1);
      return inner && { ...inner, maybeMissing: false, asserted: true };
    }
    if (t.isParenthesizedExpression(n)) return this.of(childPath(path, "expression"), depth + 1);
    if (t.isIdentifier(n)) return this.ofBinding(path, n.name, depth);
    if (t.isMemberExpression(n) || t.isOptionalMemberExpression(n)) {
      const name = propName(n);
      if (t.isThisExpression(n.object)) {
        if (name === undefined) return undefined;
        const body = thisClass(path);
        const found = body && classMember(body, name);
        return found && { type: found.type, cast: false, maybeMissing: found.optional };
      }
      const object = this.of(childPath(path, "object"), depth + 1);
      if (object === undefined) return undefined;
      if (n.computed && !t.isStringLiteral(n.property)) {
        const element = this.file.element(object.type);
        if (element !== undefined) return { type: element, cast: object.cast, maybeMissing: true };
        if (name === undefined) return undefined;
      }
      if (name === undefined) return undefined;
      const found = this.file.member(object.type, name);
      return found && { type: found.type, cast: object.cast, maybeMissing: found.optional };
    }
    return undefined;
  }

  private ofBinding(path: NodePath, name: string, depth: number): Typed | undefined {
    const binding = path.scope.getBinding(name);
    if (binding === undefined) return undefined;
    const bp = binding.path;
    if (binding.kind === "param") {
      let node: t.Node = bp.node;
      if (t.isTSParameterProperty(node)) node = node.parameter;
      if (t.isAssignmentPattern(node)) node = node.left;
      if (!t.isIdentifier(node) || node.name !== name) return undefined;
      if (t.isTSTypeAnnotation(node.typeAnnotation)) return { type: node.typeAnnotation.typeAnnotation, cast: false, maybeMissing: node.optional === true };
      // An iteration callback's first parameter: an element of the receiver.
      const fn = bp.parentPath;
      if (fn !== null && bp.listKey === "params" && bp.key === 0 && isIterationCallback(fn)) {
        const callee = (fn.parentPath!.node as t.CallExpression).callee as t.MemberExpression;
        if (!ELEMENT_FIRST.has((callee.property as t.Identifier).name)) return undefined;
        const receiver = this.of(childPath(fn.parentPath!, "callee.object"), depth + 1);
        const element = receiver && this.file.element(receiver.type);
        return element && { type: element, cast: receiver.cast, maybeMissing: false };
      }
      return undefined;
    }
    if (!bp.isVariableDeclarator() || !t.isIdentifier(bp.node.id)) return undefined;
    if (t.isTSTypeAnnotation(bp.node.id.typeAnnotation)) return { type: bp.node.id.typeAnnotation.typeAnnotation, cast: false, maybeMissing: false };
    const declaration = bp.parentPath;
    const loop = declaration.parentPath;
    if (loop?.isForOfStatement() && loop.node.left === declaration.node && !loop.node.await) {
      const iterated = this.of(loop.get("right"), depth + 1);
      const element = iterated && this.file.element(iterated.type);
      return element && { type: element, cast: iterated.cast, maybeMissing: false };
    }
    if (bp.node.init && binding.constant) return this.of(childPath(bp, "init"), depth + 1);
    // A counter: `let i = 0`, changed only by `i++`, `i += 2` and the like.
    const counter = (v: NodePath) => v.isUpdateExpression() || (v.isAssignmentExpression() && ["+=", "-="].includes(v.node.operator) && t.isNumericLiteral(v.node.right));
    if (t.isNumericLiteral(bp.node.init) && binding.constantViolations.every(counter)) return { type: t.tsNumberKeyword(), cast: false, maybeMissing: false };
    return undefined;
  }

  /** Whether an expression is an array, and what cdlc can say of its elements. */
  array(path: NodePath, depth = 0): { element?: t.TSType; cast: boolean; typeofName?: string } | undefined {
    if (depth > 30) return undefined;
    const n = path.node;
    if (t.isParenthesizedExpression(n) || t.isTSNonNullExpression(n)) return this.array(childPath(path, "expression"), depth + 1);
    if (t.isArrayExpression(n)) return { cast: false };
    const typed = this.of(path);
    const element = typed && this.file.element(typed.type);
    if (typed !== undefined && element !== undefined) return { element, cast: typed.cast };
    if (t.isIdentifier(n)) {
      // An unannotated local made from an array: its element type is `(typeof xs)[number]`.
      const binding = path.scope.getBinding(n.name);
      if (binding?.path.isVariableDeclarator() && binding.constant && binding.path.node.init && !t.isTSTypeAnnotation((binding.path.node.id as t.Identifier).typeAnnotation)) {
        const init = this.array(childPath(binding.path, "init"), depth + 1);
        return init && { cast: init.cast, typeofName: n.name };
      }
      return undefined;
    }
    if (t.isCallExpression(n)) {
      const callee = n.callee;
      if (t.isMemberExpression(callee) && !callee.computed && t.isIdentifier(callee.property)) {
        const method = callee.property.name;
        if (t.isIdentifier(callee.object, { name: "Object" }) && ["keys", "values", "entries"].includes(method) && path.scope.getBinding("Object") === undefined) return { cast: false };
        if (t.isIdentifier(callee.object, { name: "Array" }) && ["from", "of"].includes(method) && path.scope.getBinding("Array") === undefined) return { cast: false };
        if (ARRAY_RESULT.has(method) && this.array(childPath(path, "callee.object"), depth + 1) !== undefined) return { cast: false };
      }
    }
    return undefined;
  }
}

/** The class body whose instance `this` is at `path` (through arrow functions), if in a method. */
function thisClass(path: NodePath): t.ClassBody | undefined {
  let fn = path.getFunctionParent();
  while (fn?.isArrowFunctionExpression()) fn = fn.parentPath.getFunctionParent();
  if (fn === null || fn === undefined || !(fn.isClassMethod() || fn.isClassPrivateMethod()) || fn.node.static) return undefined;
  return fn.parentPath.node as t.ClassBody;
}

/** Why evaluating `v` could throw (or run code), or undefined when it cannot. */
function whyMayThrow(path: NodePath, types: Types, ctx: OperatorContext): string | undefined {
  const n = path.node;
  if (t.isStringLiteral(n) || t.isNumericLiteral(n) || t.isBooleanLiteral(n) || t.isNullLiteral(n) || t.isBigIntLiteral(n) || t.isThisExpression(n)) return undefined;
  if (t.isIdentifier(n)) return path.scope.hasBinding(n.name) || n.name === "undefined" ? undefined : `\`${n.name}\` is not declared here, and reading it could throw`;
  if (t.isTemplateLiteral(n)) {
    for (const e of childPaths(path, "expressions")) {
      const why = whyMayThrow(e, types, ctx);
      if (why !== undefined) return why;
      const typed = types.of(e);
      if (typed === undefined || !types.file.plainPrimitive(typed.type)) return `\`${ctx.text(e.node)}\` is turned into a string, which may run code; cdlc cannot see that it is a plain string or number`;
    }
    return undefined;
  }
  if (t.isTSAsExpression(n) || t.isTSSatisfiesExpression(n) || t.isTSNonNullExpression(n) || t.isTSTypeAssertion(n) || t.isParenthesizedExpression(n)) return whyMayThrow(childPath(path, "expression"), types, ctx);
  if (t.isMemberExpression(n) || t.isOptionalMemberExpression(n)) {
    const objectPath = childPath(path, "object");
    const why = whyMayThrow(objectPath, types, ctx);
    if (why !== undefined) return why;
    if (n.computed && !t.isStringLiteral(n.property) && !t.isNumericLiteral(n.property)) {
      const keyPath = childPath(path, "property");
      const keyWhy = whyMayThrow(keyPath, types, ctx);
      if (keyWhy !== undefined) return keyWhy;
      const keyType = types.of(keyPath);
      if (keyType === undefined || !types.file.plainPrimitive(keyType.type)) return `cdlc cannot see that the index \`${ctx.text(n.property)}\` is a plain string or number`;
    }
    if (t.isOptionalMemberExpression(n) && n.optional) return undefined;
    const object = n.object;
    if (t.isTSNonNullExpression(object) || t.isStringLiteral(object) || t.isTemplateLiteral(object)) return undefined;
    // `this` is an object in a class's method (elsewhere it may be undefined).
    if (t.isThisExpression(object)) return thisClass(path) !== undefined ? undefined : `\`this\` may be undefined here, so \`${ctx.text(n)}\` could throw`;
    // `(a?.b).c`: the chain ended, so `a?.b` may be undefined.
    const endedChain = t.isMemberExpression(n) && (t.isOptionalMemberExpression(object) || t.isOptionalCallExpression(object));
    const typed = types.of(objectPath);
    if (!endedChain && typed !== undefined && (typed.asserted === true || (!typed.maybeMissing && !types.file.nullable(typed.type)))) return undefined;
    return `cdlc cannot see that \`${ctx.text(object)}\` is never null or undefined, so \`${ctx.text(n)}\` could throw`;
  }
  return `\`${ctx.text(n)}\` is not a variable, literal or property read`;
}

/**
 * A local made in the node as a new array, object, Map or Set and not
 * handed to other code before or during `loop` (`return out` after it is
 * fine): writing to it changes nothing the loop's lookups see.
 */
function freshLocal(binding: Binding | undefined, fn: NodePath<FunctionLike>, loop: NodePath): FreshKind | undefined {
  if (binding === undefined || !(binding.kind === "const" || binding.kind === "let") || binding.constantViolations.length > 0) return undefined;
  const decl = binding.path;
  if (!decl.isVariableDeclarator() || !t.isIdentifier(decl.node.id) || !isInside(decl, fn)) return undefined;
  const init = decl.node.init;
  let kind: FreshKind | undefined;
  if (t.isArrayExpression(init)) kind = "array";
  else if (t.isObjectExpression(init) && init.properties.every((p) => (t.isObjectProperty(p) && !p.computed) || t.isSpreadElement(p))) kind = "object";
  else if (t.isNewExpression(init) && t.isIdentifier(init.callee) && decl.scope.getBinding(init.callee.name) === undefined) kind = init.callee.name === "Map" ? "map" : init.callee.name === "Set" ? "set" : undefined;
  if (kind === undefined) return undefined;
  // A use after the loop, in the node's own body, when the loop is in no other loop: it runs only once the lookups are over.
  const afterwards = (ref: NodePath) => ref.node.start! >= loop.node.end! && ref.getFunctionParent()?.node === fn.node && loop.getFunctionParent()?.node === fn.node && enclosingLoops(loop, fn).length === 0;
  for (const ref of binding.referencePaths) {
    const parent = ref.parentPath;
    // Only its properties are used: read, written, or built-in methods called that do not return it (`valueOf` does).
    if ((parent?.isMemberExpression() || parent?.isOptionalMemberExpression()) && parent.node.object === ref.node) {
      const call = parent.parentPath;
      const called = (call?.isCallExpression() || call?.isOptionalCallExpression()) && (call.node as t.CallExpression).callee === parent.node;
      const method = !parent.node.computed && t.isIdentifier(parent.node.property) ? parent.node.property.name : undefined;
      if (!called || (method !== undefined && (SAFE_LOCAL_METHODS[kind].has(method) || READ_LOCAL_METHODS[kind].has(method)))) continue;
    }
    if (!afterwards(ref)) return undefined;
  }
  return kind;
}

/** The root identifier of `a.b[c]` (through TypeScript wrappers). */
function rootIdentifier(node: t.Node): t.Identifier | undefined {
  let n: t.Node = node;
  for (;;) {
    if (t.isMemberExpression(n) || t.isOptionalMemberExpression(n)) n = n.object;
    else if (t.isTSAsExpression(n) || t.isTSNonNullExpression(n) || t.isTSSatisfiesExpression(n) || t.isParenthesizedExpression(n)) n = n.expression;
    else return t.isIdentifier(n) ? n : undefined;
  }
}

/**
 * The first node in `region` that may change the array or a key of its
 * elements, or let other code do so: like `firstWriteIn`, plus `await`,
 * `yield` and tagged templates, minus writes and built-in methods on a
 * fresh local (never the array itself).
 */
function firstForeignWrite(region: NodePath, fn: NodePath<FunctionLike>, arrayRoot: string | undefined, loop: NodePath): NodePath | undefined {
  let found: NodePath | undefined;
  // `out.push(x)`, `out[i] = x`, `counts[k] += 1` on such a local (not `local.a.b = x`: `local.a` may be anything).
  const freshTarget = (target: t.Node, at: NodePath, method?: string): boolean => {
    if (!(t.isMemberExpression(target) || t.isOptionalMemberExpression(target)) || !t.isIdentifier(target.object) || target.object.name === arrayRoot) return false;
    const kind = freshLocal(at.scope.getBinding(target.object.name), fn, loop);
    if (kind === undefined) return false;
    return method === undefined ? kind === "array" || kind === "object" : SAFE_LOCAL_METHODS[kind].has(method);
  };
  const visit = (p: NodePath) => {
    if (found !== undefined) return;
    const n = p.node;
    if (t.isAwaitExpression(n) || t.isYieldExpression(n) || t.isTaggedTemplateExpression(n) || (t.isForOfStatement(n) && n.await)) found = p;
    else if (t.isAssignmentExpression(n) || t.isUpdateExpression(n)) {
      const target = t.isAssignmentExpression(n) ? n.left : n.argument;
      if (!t.isIdentifier(target) && !freshTarget(target, p)) found = p;
    } else if (t.isUnaryExpression(n, { operator: "delete" })) {
      if (!freshTarget(n.argument, p)) found = p;
    } else if (t.isNewExpression(n)) {
      const builtin = t.isIdentifier(n.callee) && ["Map", "Set", "WeakMap", "WeakSet", "Array", "Object"].includes(n.callee.name) && p.scope.getBinding(n.callee.name) === undefined && n.arguments.length === 0;
      if (!builtin) found = p;
    } else if (t.isCallExpression(n) || t.isOptionalCallExpression(n)) {
      const callee = n.callee;
      const method = (t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) && !callee.computed && t.isIdentifier(callee.property) ? callee.property.name : undefined;
      const reading = (method !== undefined && READING_METHODS.has(method)) || firstSideEffect({ ...n, arguments: [] } as t.CallExpression) === undefined;
      if (!reading && !(method !== undefined && freshTarget(callee, p, method))) found = p;
    }
  };
  visit(region);
  region.traverse({
    enter(p) {
      visit(p);
      if (found !== undefined) p.stop();
    },
  });
  return found;
}

/** Whether what a `for…of` iterates runs only built-in code between iterations. */
function iteratesBuiltin(path: NodePath, types: Types): boolean {
  if (types.array(path) !== undefined) return true;
  const typed = types.of(path);
  if (typed !== undefined && types.file.builtinIterable(typed.type)) return true;
  const n = path.node;
  if (t.isCallExpression(n) && n.arguments.length === 0 && t.isMemberExpression(n.callee) && !n.callee.computed && t.isIdentifier(n.callee.property) && ["keys", "values", "entries"].includes(n.callee.property.name)) {
    const receiver = types.of(childPath(path, "callee.object"));
    return receiver !== undefined && types.file.builtinIterable(receiver.type);
  }
  return false;
}

interface Site {
  call: NodePath<t.CallExpression | t.OptionalCallExpression>;
  array: NodePath;
  optional: boolean;
  callback: NodePath<t.ArrowFunctionExpression | t.FunctionExpression>;
  /** The key side of the comparison (`p.sku`), and its root identifier. */
  key: NodePath;
  keyRoot: t.Identifier;
  /** Properties from the element to the root identifier (a destructured parameter), and from the root on. */
  patternPath: string[];
  keyPath: string[];
  value: NodePath;
}

function describe(ctx: OperatorContext, node: t.Node): string {
  const text = ctx.text(node).replace(/\s+/g, " ");
  return text.length > 70 ? `${text.slice(0, 67)}…` : text;
}

/** The properties a single-property destructuring reaches: `{ meta: { id } }` → `id` at `meta.id`. */
function patternPath(pattern: t.ObjectPattern): { names: Map<string, string[]> } | Why {
  const names = new Map<string, string[]>();
  const walk = (p: t.ObjectPattern, at: string[]): string | undefined => {
    if (p.properties.length !== 1) return "destructures more than the one key";
    const prop = p.properties[0]!;
    if (!t.isObjectProperty(prop) || prop.computed) return "destructures with a rest or a computed key";
    const key = t.isIdentifier(prop.key) ? prop.key.name : t.isStringLiteral(prop.key) ? prop.key.value : undefined;
    if (key === undefined) return "destructures an unusual key";
    if (t.isIdentifier(prop.value)) {
      names.set(prop.value.name, [...at, key]);
      return undefined;
    }
    if (t.isObjectPattern(prop.value)) return walk(prop.value, [...at, key]);
    return "destructures with a default value";
  };
  const why = walk(pattern, []);
  return why === undefined ? { names } : { reason: why };
}

/** Recognises `arr.find((p) => p.k === v)`: the parts, or why it is not that. */
function readSite(call: NodePath<t.CallExpression | t.OptionalCallExpression>, ctx: OperatorContext): Site | Why {
  const where = `\`${describe(ctx, call.node)}\` (${line(call.node)})`;
  const node = call.node;
  const callee = node.callee as t.MemberExpression | t.OptionalMemberExpression;
  if (node.arguments.length !== 1 || t.isSpreadElement(node.arguments[0])) return { reason: `${where}: \`find\` is called with a \`thisArg\` or a spread, which the Map lookup would ignore` };
  if ((node as { typeParameters?: unknown }).typeParameters || (node as { typeArguments?: unknown }).typeArguments) return { reason: `${where}: \`find\` is called with type arguments` };
  if (t.isOptionalCallExpression(node) && node.optional) return { reason: `${where}: \`find?.(…)\` may not be a method at all` };
  const optional = t.isOptionalMemberExpression(callee) && callee.optional;
  if (t.isOptionalCallExpression(node) && !optional) return { reason: `${where}: an optional chain in \`${describe(ctx, callee.object)}\` skips the call when it is nullish, which the lookup cannot tell from a nullish array` };
  const parent = call.parentPath.node;
  const chainGoesOn = (t.isOptionalMemberExpression(parent) && parent.object === node && !parent.optional) || (t.isOptionalCallExpression(parent) && parent.callee === node && !parent.optional) || t.isTSNonNullExpression(parent);
  if (t.isOptionalCallExpression(node) && chainGoesOn) return { reason: `${where}: the optional chain goes on after \`find(…)\`, and would not stop at a nullish array in the lookup` };
  const callback = childPath(call, "arguments.0");
  if (!(callback.isArrowFunctionExpression() || callback.isFunctionExpression())) return { reason: `${where}: the predicate is not a function literal, so cdlc cannot see that it compares a key` };
  const cb = callback.node;
  const effect = callbackSideEffect(cb);
  const sideEffect = effect && { reason: `${where}: the predicate may have a side effect (\`${describe(ctx, effect)}\`, ${line(effect)}); the lookup runs it fewer times` };
  // A shape cdlc does not index: say so, or that it has a side effect when it has one.
  const unlike = (reason: string): Why => sideEffect ?? { reason: `${where}: ${reason}` };
  if (cb.params.length !== 1) return { reason: `${where}: the predicate takes ${cb.params.length === 0 ? "no element" : "the index or the array too"}` };
  if (cb.returnType) return { reason: `${where}: the predicate declares a return type (a type predicate narrows \`find\`'s result; the lookup would not)` };
  // The body: `a === b`, or `{ return a === b; }`.
  let bodyPath = childPath(callback, "body");
  if (bodyPath.isBlockStatement()) {
    const statements = bodyPath.get("body");
    if (statements.length !== 1 || !statements[0]!.isReturnStatement() || !statements[0]!.node.argument) return unlike("the predicate's body is not one `return a === b`");
    bodyPath = childPath(statements[0]!, "argument");
  }
  bodyPath = bodyPath.isParenthesizedExpression() ? (childPath(bodyPath, "expression")) : bodyPath;
  const test = bodyPath.node;
  if (!t.isBinaryExpression(test) || (test.operator !== "===" && test.operator !== "==")) return unlike(`the predicate \`${describe(ctx, test)}\` is not one key equality \`x.k === v\``);
  if (test.operator === "==") return { reason: `${where}: \`==\` converts types (\`"1" == 1\`) and a Map does not` };
  // Which side reads the element.
  const param = cb.params[0]!;
  const own = (p: NodePath): boolean => {
    let uses = p.isIdentifier() && callback.scope.getBinding(p.node.name)?.scope === callback.scope;
    p.traverse({
      Identifier(i) {
        if (i.isReferencedIdentifier() && callback.scope.getBinding(i.node.name)?.scope === callback.scope) uses = true;
      },
    });
    return uses;
  };
  const [left, right] = [childPath(bodyPath, "left"), childPath(bodyPath, "right")];
  const [leftOwn, rightOwn] = [own(left), own(right)];
  if (leftOwn === rightOwn) return unlike(`the predicate \`${describe(ctx, test)}\` ${leftOwn ? "reads the element on both sides" : "does not read the element"}`);
  const [key, value] = leftOwn ? [left, right] : [right, left];
  // The key: a path of plain properties from the parameter.
  const props: string[] = [];
  let k = strip(key);
  let firstStepOptional = false;
  while (k.isMemberExpression() || k.isOptionalMemberExpression()) {
    const name = propName(k.node);
    if (name === undefined || t.isPrivateName(k.node.property)) {
      return { reason: `${where}: the key \`${describe(ctx, key.node)}\` is computed with \`${describe(ctx, k.node.property)}\`; cdlc indexes only keys of plain properties` };
    }
    props.unshift(name);
    firstStepOptional = t.isOptionalMemberExpression(k.node) && k.node.optional;
    k = strip(childPath(k, "object"));
  }
  if (k.isCallExpression() || k.isOptionalCallExpression() || !k.isIdentifier()) {
    const call2 = key.node;
    let through: t.Node | undefined;
    t.traverseFast(call2, (n) => {
      if (through === undefined && (t.isCallExpression(n) || t.isOptionalCallExpression(n))) through = n;
    });
    if (through !== undefined) return { reason: `${where}: the key \`${describe(ctx, key.node)}\` is read through a call (\`${describe(ctx, through)}\`), which may return another value each time` };
    return { reason: `${where}: the key \`${describe(ctx, key.node)}\` is not a path of properties of the element` };
  }
  const root = k.node;
  let pattern: string[];
  if (t.isIdentifier(param)) {
    if (root.name !== param.name) return { reason: `${where}: the key \`${describe(ctx, key.node)}\` is not a property of the element` };
    pattern = [];
  } else if (t.isObjectPattern(param)) {
    const paths = patternPath(param);
    if ("reason" in paths) return { reason: `${where}: the parameter \`${describe(ctx, param)}\` ${paths.reason}` };
    const at = paths.names.get(root.name);
    if (at === undefined) return { reason: `${where}: the key \`${describe(ctx, key.node)}\` is not a property of the element` };
    pattern = at;
  } else {
    return { reason: `${where}: the parameter \`${describe(ctx, param)}\` is not a name or a destructuring of one property` };
  }
  if (pattern.length + props.length === 0) return { reason: `${where}: the predicate compares the element itself, not a property of it` };
  if (pattern.length === 0 && firstStepOptional) return { reason: `${where}: \`${describe(ctx, key.node)}\` reads the element with \`?.\`: a missing element would match an undefined key` };
  // The value: the same for every element, without effects.
  let usesThis = false;
  let usesArguments = false;
  t.traverseFast(value.node, (n) => {
    if (t.isThisExpression(n)) usesThis = true;
    if (t.isIdentifier(n, { name: "arguments" })) usesArguments = true;
  });
  if (usesArguments || (usesThis && callback.isFunctionExpression())) return { reason: `${where}: \`${describe(ctx, value.node)}\` uses the predicate's own \`${usesArguments ? "arguments" : "this"}\`` };
  if (sideEffect !== undefined) return sideEffect;
  const valueEffect = firstSideEffect(value.node);
  if (valueEffect !== undefined) return { reason: `${where}: \`${describe(ctx, value.node)}\` may have a side effect (\`${describe(ctx, valueEffect)}\`); \`find\` evaluates it once per element, the lookup once` };
  return { call, array: childPath(call, "callee.object"), optional, callback, key, keyRoot: root, patternPath: pattern, keyPath: props, value };
}

/** Evidence that `find`'s `===` and the Map's SameValueZero agree: the key or the value cannot be NaN. */
function nanEvidence(site: Site, types: Types, element: t.TSType | undefined, elementCast: boolean): { cast: boolean } | undefined {
  const found: { cast: boolean }[] = [];
  // The key, through the element's declared type.
  const param = site.callback.node.params[0]!;
  const paramType = (t.isIdentifier(param) || t.isObjectPattern(param)) && t.isTSTypeAnnotation(param.typeAnnotation) ? param.typeAnnotation.typeAnnotation : undefined;
  const path = [...site.patternPath, ...site.keyPath];
  for (const [start, cast] of [[paramType, false], [element, elementCast]] as const) {
    let type: t.TSType | undefined = start;
    for (const name of path) type = type && types.file.member(type, name)?.type;
    if (type !== undefined && types.file.excludesNaN(type)) found.push({ cast });
  }
  // The key as written (an `as` cast on it, or a parameter typed by the receiver).
  if (site.patternPath.length === 0) {
    const typed = types.of(site.key);
    if (typed !== undefined && types.file.excludesNaN(typed.type)) found.push({ cast: typed.cast });
  }
  // The value.
  const typed = types.of(site.value);
  if (typed !== undefined && types.file.excludesNaN(typed.type)) found.push({ cast: typed.cast });
  return found.find((f) => !f.cast) ?? found[0];
}

/** Where declarations made for a loop go: the statement before which they run once per run of the loop. */
function statementOf(loop: Loop, fn: NodePath): NodePath<t.Statement> | undefined {
  if (loop.kind === "callback") {
    const call = loop.path.parentPath!;
    const statement = call.getStatementParent();
    if (statement === null || !isInside(statement, fn) || statement.node === fn.node) return undefined;
    // The statement must run in the same function as the call, or it would hold the Map across several runs of the loop.
    if (statement.getFunctionParent()?.node !== call.getFunctionParent()?.node) return undefined;
    return statement;
  }
  let s = loop.path as NodePath<t.Statement>;
  while (s.parentPath?.isLabeledStatement()) s = s.parentPath;
  return s;
}

/** Why the Map cannot live across the iterations of `loop`, or undefined. */
function whyNotAcross(site: Site, loop: Loop, types: Types, ctx: OperatorContext): string | undefined {
  // Region: what runs between two lookups. A `for…of`'s own variable changes with each iteration, though declared outside its body.
  const region = loop.kind === "for-of" || loop.kind === "for-in" ? loop.path : loop.region;
  const across: Loop = { ...loop, region };
  const at = `in the loop at ${line(loop.path.node)}`;
  // Code between iterations.
  if (loop.kind === "for-of") {
    const statement = loop.path.node as t.ForOfStatement;
    if (statement.await) return `\`for await\` (${line(statement)}) lets other code run between iterations`;
    if (!iteratesBuiltin(childPath(loop.path, "right"), types)) return `cdlc cannot see that \`${describe(ctx, statement.right)}\` (${line(statement)}) is an array, a string, a Map or a Set: another iterator runs code between iterations`;
  }
  if (loop.kind === "callback") {
    const call = loop.path.parentPath!;
    const receiver = childPath(call, "callee.object");
    const method = ((call.node as t.CallExpression).callee as t.MemberExpression).property as t.Identifier;
    const typed = types.of(receiver);
    const builtin = types.array(receiver) !== undefined || (method.name === "forEach" && typed !== undefined && types.file.builtinIterable(typed.type));
    if (!builtin) return `cdlc cannot see that \`${describe(ctx, receiver.node)}\` is an array, so \`${method.name}\` (${line(call.node)}) may run other code between calls`;
  }
  // The array is the same value in every iteration.
  const varies = arrayVaries(site.array, across, ctx);
  if (varies !== undefined) return `\`${describe(ctx, site.array.node)}\` may differ between iterations: ${varies}`;
  // A local array is not changed through its name.
  const root = rootIdentifier(site.array.node);
  const base = strip(site.array);
  if (base.isIdentifier()) {
    const binding = base.scope.getBinding(base.node.name);
    if (binding !== undefined && binding.kind !== "param" && binding.kind !== "module" && isInside(binding.path, ctx.fn)) {
      const change = firstChangeOfLocal(base.node.name, base, region);
      if (change !== undefined) return describeChange(base.node.name, change, ctx);
    }
  }
  // Nothing changes the array or its elements' keys.
  const write = firstForeignWrite(region, ctx.fn, root?.name, statementOf(loop, ctx.fn) ?? loop.path);
  if (write !== undefined) return describeWrite(write, site, ctx, at);
  return undefined;
}

/** `whyVaries` for an array expression: identifiers and `this` through it; property writes are `firstForeignWrite`'s. */
function arrayVaries(path: NodePath, loop: Loop, ctx: OperatorContext): string | undefined {
  const p = strip(path);
  if (p.isIdentifier() || p.isThisExpression()) return whyVaries(p, loop);
  if (p.isMemberExpression() || p.isOptionalMemberExpression()) {
    const object = arrayVaries(childPath(p, "object"), loop, ctx);
    if (object !== undefined || !p.node.computed) return object;
    const property = childPath(p, "property");
    if (t.isStringLiteral(property.node) || t.isNumericLiteral(property.node)) return undefined;
    return property.isIdentifier() ? whyVaries(property, loop) : `\`${describe(ctx, property.node)}\` is computed anew each time`;
  }
  return whyVaries(p, loop) ?? `\`${describe(ctx, p.node)}\` is computed anew each time`;
}

function describeChange(name: string, change: NodePath, ctx: OperatorContext): string {
  const n = change.node;
  const where = line(n);
  if (t.isCallExpression(n) || t.isOptionalCallExpression(n)) {
    const callee = n.callee;
    const method = (t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) && t.isIdentifier(callee.property) && t.isIdentifier(callee.object, { name }) ? callee.property.name : undefined;
    if (method === "push") return `\`${name}\` is pushed to inside the loop (${where})`;
    if (method !== undefined) return `\`${name}\` is changed by \`${describe(ctx, n)}\` inside the loop (${where})`;
  }
  if (t.isAssignmentExpression(n) || t.isUpdateExpression(n) || t.isUnaryExpression(n)) {
    const target = t.isAssignmentExpression(n) ? n.left : n.argument;
    return t.isIdentifier(target, { name }) ? `\`${name}\` is assigned inside the loop (${where})` : `\`${describe(ctx, target)}\` is written inside the loop (${where})`;
  }
  return `\`${name}\` is handed to other code inside the loop (\`${describe(ctx, change.parentPath?.node ?? n)}\`, ${where})`;
}

function describeWrite(write: NodePath, site: Site, ctx: OperatorContext, at: string): string {
  const n = write.node;
  const array = describe(ctx, strip(site.array).node);
  const where = line(n);
  if (t.isAwaitExpression(n) || t.isYieldExpression(n) || t.isForOfStatement(n)) return `the loop ${t.isYieldExpression(n) ? "yields" : "awaits"} (${where}): other code may change \`${array}\` meanwhile`;
  if (t.isCallExpression(n) || t.isOptionalCallExpression(n)) {
    const callee = n.callee;
    if ((t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) && ctx.text(strip(childPath(write, "callee.object")).node) === array) {
      const method = t.isIdentifier(callee.property) ? callee.property.name : "?";
      return method === "push" ? `\`${array}\` is pushed to inside the loop (${where})` : `\`${array}\` is changed by \`${describe(ctx, n)}\` inside the loop (${where})`;
    }
  }
  if (t.isAssignmentExpression(n) && ctx.text(n.left) === array) return `\`${array}\` is assigned inside the loop (${where})`;
  const key = [...site.patternPath, ...site.keyPath].join(".");
  const what = t.isCallExpression(n) || t.isOptionalCallExpression(n) || t.isNewExpression(n) || t.isTaggedTemplateExpression(n) ? `calls \`${describe(ctx, n)}\`` : t.isUnaryExpression(n) ? `deletes \`${describe(ctx, (n as t.UnaryExpression).argument)}\`` : `writes \`${describe(ctx, t.isAssignmentExpression(n) ? n.left : (n as t.UpdateExpression).argument)}\``;
  return `${at}, the code ${what} (${where}), which could change \`${array}\` or the \`${key}\` of its elements`;
}

/** Names declared inside a statement (values and types): a type written before it must not mean one of them. */
function namesDeclaredIn(statement: NodePath): Set<string> {
  const names = new Set<string>();
  const add = (scope: { bindings: Record<string, unknown> }) => Object.keys(scope.bindings).forEach((n) => names.add(n));
  if (statement.isScopable()) add(statement.scope);
  statement.traverse({
    Scopable(p) {
      add(p.scope);
    },
  });
  t.traverseFast(statement.node, (n) => {
    if (t.isTSTypeParameter(n)) names.add(typeParamName(n));
    if ((t.isTSInterfaceDeclaration(n) || t.isTSTypeAliasDeclaration(n) || t.isTSEnumDeclaration(n) || t.isClassDeclaration(n)) && t.isIdentifier(n.id)) names.add(n.id.name);
  });
  return names;
}

/** The names a type refers to (`Product`, `ns` in `ns.T`, `xs` in `typeof xs`), not its property keys. */
function namesUsedIn(type: t.Node): string[] {
  const names: string[] = [];
  const leftmost = (n: t.Node): void => {
    if (t.isIdentifier(n)) names.push(n.name);
    else if (t.isTSQualifiedName(n)) leftmost(n.left);
    else if (t.isMemberExpression(n)) leftmost(n.object);
  };
  t.traverseFast(type, (n) => {
    if (t.isTSTypeReference(n)) leftmost(n.typeName);
    if (t.isTSTypeQuery(n)) leftmost(n.exprName);
  });
  return names;
}

function needsParens(type: t.TSType): boolean {
  return t.isTSUnionType(type) || t.isTSIntersectionType(type) || t.isTSFunctionType(type) || t.isTSConstructorType(type) || t.isTSConditionalType(type) || t.isTSTypeOperator(type) || t.isTSInferType(type);
}

function identifierPart(s: string, fallback: string): string {
  const words = s.split(/[^A-Za-z0-9_$]+/).filter(Boolean);
  const joined = words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join("");
  return /^[A-Za-z_$]/.test(joined) ? joined : fallback;
}

const capitalize = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** The indentation of the line where `offset` is, and whether only blanks precede it there. */
function lineIndent(source: string, offset: number): { indent: string; startsLine: boolean } {
  const start = source.lastIndexOf("\n", offset - 1) + 1;
  const before = source.slice(start, offset);
  const indent = /^[ \t]*/.exec(before)![0];
  return { indent, startsLine: indent.length === before.length };
}

/** One indentation step of the function's text (a tab, or the smallest indentation in spaces). */
function indentUnit(text: string, indent: string): string {
  if (indent.includes("\t")) return "\t";
  const widths = [...text.matchAll(/\n( +)\S/g)].map((m) => m[1]!.length);
  const steps = widths.map((w) => Math.abs(w - indent.length)).filter((d) => d > 0);
  return " ".repeat(Math.min(...(steps.length > 0 ? steps : [2]), 8));
}

/** Names used only inside the lookup functions: one set for all of them (each function has its own scope). */
interface InnerNames {
  array: string;
  value: string;
  hit: string;
  key: string;
  element: string;
}

function rewriteSite(call: NodePath<t.CallExpression | t.OptionalCallExpression>, ctx: OperatorContext, types: Types, inner: () => InnerNames): MapIndexRewrite | Why {
  const site = readSite(call, ctx);
  if ("reason" in site) return site;
  const where = `\`${describe(ctx, call.node)}\` (${line(call.node)})`;
  const array = types.array(site.array);
  const root = strip(site.array);
  let base: NodePath = root;
  while (base.isMemberExpression() || base.isOptionalMemberExpression()) base = strip(childPath(base, "object"));
  if (array === undefined && base.isThisExpression() && thisClass(base) === undefined) return { reason: `${where}: \`this\` in \`${describe(ctx, site.array.node)}\` is not a class instance's here (a \`function\` callback has its own), so cdlc cannot see what \`${describe(ctx, root.node)}\` is` };
  if (array === undefined) return { reason: `${where}: cdlc cannot see that \`${describe(ctx, site.array.node)}\` is an array (its \`find\` could be another method); declare its type, e.g. \`items: Item[]\`` };
  const evidence = nanEvidence(site, types, array.element, array.cast);
  if (evidence === undefined) {
    const key = [...site.patternPath, ...site.keyPath];
    return { reason: `${where}: the key \`${key.join(".")}\` may be NaN: \`find\` compares with \`===\` (NaN matches nothing) but a Map finds NaN under NaN; cdlc needs to see a key or value type without numbers (e.g. \`${key[key.length - 1]}: string\` in an interface or type alias of this file, or an \`as\` cast)` };
  }
  const mayThrow = whyMayThrow(site.value, types, ctx);
  if (mayThrow !== undefined) return { reason: `${where}: ${mayThrow}; \`find\` evaluates \`${describe(ctx, site.value.node)}\` only when the array has an element, the lookup always` };
  const loops = enclosingLoops(call, ctx.fn);
  if (loops.length === 0) return { reason: `${where} is not inside a loop of the node: it runs once per call, a Map would not pay off` };
  // The outermost loop across which the Map can live, every loop inside it allowing it too.
  let chosen: { loop: Loop; statement: NodePath<t.Statement> } | undefined;
  let stoppedBy: string | undefined;
  for (const loop of loops) {
    stoppedBy = whyNotAcross(site, loop, types, ctx);
    if (stoppedBy !== undefined) break;
    const statement = statementOf(loop, ctx.fn);
    if (statement !== undefined) chosen = { loop, statement };
  }
  if (chosen === undefined) return { reason: `${where}: ${stoppedBy ?? "there is no statement before the loop to declare the Map in (the loop is in an expression body)"}` };

  // Types, in a TypeScript file.
  let elementType: string | undefined;
  if (types.file.isTypeScript) {
    const declared = namesDeclaredIn(chosen.statement);
    const param = site.callback.node.params[0]!;
    const paramType = t.isTSTypeAnnotation((param as t.Identifier).typeAnnotation) ? ((param as t.Identifier).typeAnnotation as t.TSTypeAnnotation).typeAnnotation : undefined;
    const candidates: (t.TSType | string)[] = [];
    if (array.element !== undefined) candidates.push(array.element);
    if (array.typeofName !== undefined) candidates.push(array.typeofName);
    if (paramType !== undefined) candidates.push(paramType);
    for (const c of candidates) {
      if (typeof c === "string") {
        const binding = site.array.scope.getBinding(c);
        if (binding !== undefined && !isInside(binding.path, chosen.statement)) elementType = `(typeof ${c})[number]`;
      } else if (!namesUsedIn(c).some((n) => declared.has(n))) {
        const text = c.start === undefined || c.start === null ? ctx.print(c) : ctx.text(c);
        elementType = needsParens(c) ? `(${text})` : text;
      }
      if (elementType !== undefined) break;
    }
    if (elementType === undefined) return { reason: `${where}: cdlc cannot name the type of \`${describe(ctx, site.array.node)}\`'s elements for the Map; declare it (e.g. \`items: Item[]\`)` };
  }

  // Names.
  const arrayBase = strip(site.array).node;
  const arrayWord = t.isIdentifier(arrayBase) ? arrayBase.name : t.isMemberExpression(arrayBase) || t.isOptionalMemberExpression(arrayBase) ? (propName(arrayBase) ?? "items") : "items";
  const keyPath = [...site.patternPath, ...site.keyPath];
  const keyWord = capitalize(identifierPart(keyPath[keyPath.length - 1]!, "Key"));
  const mapName = ctx.freshName(`${identifierPart(arrayWord, "items")}By${keyWord}`);
  const scanned = ctx.freshName(`${mapName}Scanned`);
  const lookup = ctx.freshName(`findBy${keyWord}`);
  const { array: arr, value, hit, key, element: elementName } = inner();
  const param = site.callback.node.params[0]!;
  const element = t.isIdentifier(param) ? param.name : elementName;
  // The key read, as the user wrote it, from the element.
  const accessPath = site.patternPath.map((p) => (t.isValidIdentifier(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join("");
  const keyText = ctx.source.slice(site.key.node.start!, site.keyRoot.start!) + element + accessPath + ctx.source.slice(site.keyRoot.end!, site.key.node.end!);

  const ts = elementType !== undefined;
  const E = elementType ?? "";
  const arrayParam = ts ? `${arr}: readonly ${E}[]${site.optional ? " | null | undefined" : ""}` : arr;
  const lines = [
    `const ${mapName} = new Map${ts ? `<unknown, ${E}>` : ""}();`,
    `let ${scanned} = 0;`,
    `const ${lookup} = (${arrayParam}, ${value}${ts ? ": unknown" : ""})${ts ? `: ${E} | undefined` : ""} => {`,
    ...(site.optional ? [`\tif (${arr} == null) return undefined;`] : []),
    `\tconst ${hit} = ${mapName}.get(${value});`,
    `\tif (${hit} !== undefined) return ${hit};`,
    `\twhile (${scanned} < ${arr}.length) {`,
    `\t\tconst ${element} = ${arr}[${scanned}]${ts ? "!" : ""};`,
    `\t\tconst ${key} = ${keyText};`,
    `\t\t${scanned}++;`,
    `\t\tif (!${mapName}.has(${key})) ${mapName}.set(${key}, ${element});`,
    `\t\tif (${key} === ${value}) return ${element};`,
    `\t}`,
    `\treturn undefined;`,
    `};`,
  ];
  const statement = chosen.statement.node;
  const { indent, startsLine } = lineIndent(ctx.source, statement.start!);
  const unit = indentUnit(ctx.text(ctx.fn.node), indent);
  const declarations = startsLine && chosen.statement.inList ? lines.map((l) => l.replace(/^\t+/, (tabs) => unit.repeat(tabs.length))).join(`\n${indent}`) + `\n${indent}` : `${lines.map((l) => l.replace(/^\t+/, "")).join(" ")} `;
  const replacement = `${lookup}(${ctx.text(site.array.node)}, ${ctx.text(site.value.node)})`;
  const siteEdit = { start: call.node.start!, end: call.node.end!, text: replacement };
  // A loop that is the body of an `if` or another loop gets a block around it and its declarations.
  const edits = chosen.statement.inList
    ? [{ start: statement.start!, end: statement.start!, text: declarations }, siteEdit]
    : [{ start: statement.start!, end: statement.end!, text: `{ ${declarations}${ctx.source.slice(statement.start!, siteEdit.start)}${replacement}${ctx.source.slice(siteEdit.end, statement.end!)} }` }];
  const risk = evidence.cast ? CAST_RISK : RISK;
  const summary = `\`${describe(ctx, call.node)}\` → \`${replacement}\`: a Map from \`${keyPath.join(".")}\` to the first element, filled as the lookups need, declared before the loop (${line(statement)})${evidence.cast ? "; the key's type is known from an `as` cast (risk 0.3)" : ""}`;
  return { edits, summary, risk };
}

export const mapIndex: Operator = {
  id: "map_index",
  risk: RISK,
  byNameOnly: false,
  apply(ctx) {
    const calls: NodePath<t.CallExpression | t.OptionalCallExpression>[] = [];
    const visit = (path: NodePath<t.CallExpression | t.OptionalCallExpression>) => {
      const callee = path.node.callee;
      if ((t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) && !callee.computed && t.isIdentifier(callee.property, { name: "find" })) calls.push(path);
    };
    ctx.fn.traverse({ CallExpression: visit, OptionalCallExpression: visit });
    if (calls.length === 0) return { reason: "no `find(…)` call in the body" };
    const program = ctx.fn.findParent((p) => p.isProgram()) as NodePath<t.Program>;
    const types = new Types(new FileTypes(program.node));
    const rewrites: Rewrite[] = [];
    const reasons: string[] = [];
    let names: InnerNames | undefined;
    const inner = () => (names ??= { array: ctx.freshName("array"), value: ctx.freshName("value"), hit: ctx.freshName("hit"), key: ctx.freshName("key"), element: ctx.freshName("element") });
    for (const call of calls) {
      const r = rewriteSite(call, ctx, types, inner);
      if ("reason" in r) reasons.push(r.reason);
      else rewrites.push(r);
    }
    return rewrites.length > 0 ? { rewrites } : { reason: reasons.join("; ") };
  },
};
