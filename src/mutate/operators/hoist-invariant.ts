import type { Binding, NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { childPath, childPaths } from "../source.js";
import { enclosingLoops, isInside, isIterationCallback, ITERATION_METHODS, MUTATING_METHODS, READING_METHODS, whyVaries, type Loop, visitUntil } from "../loops.js";
import { firstSideEffect } from "../purity.js";
import type { Edit, Operator, OperatorContext, Rewrite } from "../types.js";

/**
 * hoist_invariant: an expression that gives the same value in every
 * iteration of a loop is computed once, in a `const` placed right before
 * the outermost such loop, and its uses read the constant. Candidates: a
 * regex literal or `new RegExp("literal", "flags")`; `Object.keys(o)`,
 * `Object.values(o)`, `Object.entries(o)`; a string method that returns a
 * new string (`toLowerCase`, `trim`, `slice`, `replace`, …); and
 * `JSON.stringify` of a literal. `Math.*` calls are already cheap: left alone.
 * Loops are `for`, `for…of`, `for…in`, `while`, `do…while` and the literal
 * callbacks of array iteration methods (`xs.filter((x) => …)`).
 * Identical uses in one loop share one constant.
 *
 * Preconditions, and why:
 * - The value is the same in every iteration: no variable it reads is
 *   declared or assigned between the constant and the loop's end, nor in
 *   another function the loop may call; and when it reads a property (or
 *   the keys of `o`), nothing there writes a property, calls unknown code
 *   or waits (`await`, `yield`): any of them could change what it reads.
 *   Writes to a local array, object, Set or Map made in the node and never
 *   handed out do not count: no other name can reach it.
 * - It cannot throw and has no effect: hoisted, it runs even when the loop
 *   runs zero times (an empty array, a callback never called). So a string
 *   method needs a receiver known to be a string (a `string` type you can
 *   see, a literal, another string method's result; `s?.trim()` may be
 *   `undefined`), `Object.keys(o)` needs an `o` whose visible type excludes
 *   null and undefined, `new RegExp` needs a literal pattern that compiles,
 *   `repeat` and `padStart` a literal count or width, `normalize` a valid
 *   form. A variable must already be initialised where the constant goes.
 *   When the only evidence is an assertion (`x as string`, `x!`), the
 *   rewrite is made with risk 0.2: if the assertion lies, the hoisted call
 *   throws even when the loop runs zero times.
 * - An element of a typed array may still be a hole (`undefined`): a
 *   `for…of` variable or a `find` parameter counts as a string only when the
 *   array has no holes (`split`, `Object.keys`); `filter`, `map`, `every`…
 *   skip holes, so their callback's parameter does count.
 * - Shared objects must behave like new ones. A regex with `g` or `y` keeps
 *   `lastIndex` between uses: never hoisted. Other regexes only as the
 *   receiver of `.test` / `.exec` or the pattern of `str.match`, `replace`,
 *   `split`, `search` (none of them keeps it or changes it), never stored,
 *   passed elsewhere, compared or asked for `lastIndex`. The arrays of
 *   `Object.keys/values/entries` are only read (`length`, `[i]`, `includes`,
 *   `for…of`, `map` with a callback that does not take the array…), never
 *   sorted, changed, stored or handed to other code.
 * - A callback counts as a loop only on a receiver known to be an array
 *   (or Set, Map), and when it is not async or a generator: otherwise it
 *   might run later, when the hoisted value is stale.
 * As in loops.ts and purity.ts, property reads, `for…of` over arrays and
 * conversions to string or number are taken to run no user code (getters,
 * `toString`), TypeScript types are taken at their word (`this` in a
 * method is an instance), and strings near the engine's length limit
 * (`toUpperCase` of ~2^29 characters) are not considered.
 *
 * The constant's type is inferred; the user's text of the expression,
 * casts included, is kept. An optional chain keeps its short-circuit:
 * `q?.trim().includes(x)` becomes `qTrimmed?.includes(x)`.
 */

type Kind = "regex" | "keys" | "values" | "entries" | "string" | "json";

/** String methods that return a new string: the hoisted candidates. */
const STRING_RESULT_METHODS = new Set(["toLowerCase", "toUpperCase", "trim", "trimStart", "trimEnd", "normalize", "slice", "substring", "padStart", "padEnd", "repeat", "replace", "replaceAll"]);
/** String methods that only read their receiver (for the scan of what a loop may change). */
const STRING_READING_METHODS = new Set([...STRING_RESULT_METHODS, "startsWith", "endsWith", "includes", "indexOf", "lastIndexOf", "charAt", "charCodeAt", "codePointAt", "at", "split", "match", "search", "localeCompare", "concat", "toString", "substr", "trimLeft", "trimRight"]);
/** Methods of a string that take a regex without keeping it or changing its `lastIndex` (non-global). */
const REGEX_ARGUMENT_METHODS = new Set(["match", "replace", "split", "search"]);
/** Array methods that neither change nor keep the array and call nothing with it. */
const ARRAY_READING_METHODS = new Set(["includes", "indexOf", "lastIndexOf", "join", "at", "slice", "concat", "keys", "values", "entries", "toString", "toSorted", "toReversed", "toSpliced", "with"]);
/** Iteration methods that skip the holes of a sparse array (the others pass `undefined`). */
const HOLE_SKIPPING_METHODS = new Set(["forEach", "map", "filter", "some", "every", "reduce", "reduceRight", "flatMap"]);
/** Methods of a local array, Set or Map that change only that collection. */
const COLLECTION_METHODS = new Set([...MUTATING_METHODS, "add", "set", "delete", "clear", "get", "has"]);
/** Array methods that return a new array: of the same elements, or of what the callback returns. */
const ARRAY_RESULT_METHODS = new Map<string, "same" | "mapped">([["filter", "same"], ["slice", "same"], ["concat", "same"], ["toSorted", "same"], ["toReversed", "same"], ["map", "mapped"], ["flatMap", "mapped"]]);
/** Built-in type names whose value may be null or undefined. */
const COMPUTED_TYPES = new Set(["ReturnType", "Awaited", "Extract", "Exclude", "InstanceType", "Partial"]);
const NORMAL_FORMS = new Set(["NFC", "NFD", "NFKC", "NFKD"]);
/** The risk of a rewrite whose evidence is an assertion the user wrote (`x as string`, `x!`): if it lies, the hoisted call throws even for zero iterations. */
const CAST_RISK = 0.2;
/** The largest literal width or count taken for `padStart` / `repeat` (far below the longest string an engine makes). */
const MAX_LITERAL_LENGTH = 10_000;

/** What a type says of a value; `cast` when the user asserted it (`x as string`, `x!`). */
interface Ty {
  type: t.TSType;
  cast?: string | undefined;
  /** An array with no holes (`split`, `Object.keys`). */
  dense?: boolean;
  /** Undefined only where an optional chain stops (`s?.trim()`): the rest of that chain is skipped too. */
  shortCircuit?: boolean;
}

/** Where the constants go: before a statement in a block, around a statement in another statement, or at the top of an arrow's expression body (made a block). */
interface Point {
  kind: "block" | "wrap" | "arrow";
  /** The statement, or the arrow function. */
  node: t.Node;
  /** What runs from the constant to the loop's end: the statement, or the arrow's body. */
  region: NodePath;
}

interface Site {
  kind: Kind;
  path: NodePath<t.Expression>;
  key: string;
  point: Point;
  /** The outermost loop left (for the summary). */
  loop: Loop;
  casts: string[];
}

interface Group {
  kind: Kind;
  name: string;
  /** The expression as the user wrote it. */
  text: string;
  point: Point;
  loop: Loop;
  occurrences: NodePath<t.Expression>[];
  casts: string[];
}

type Check = string | undefined;

class Env {
  readonly program: t.Program;
  private readonly privateCache = new Map<Binding, boolean>();
  constructor(readonly ctx: OperatorContext) {
    this.program = ctx.fn.scope.getProgramParent().path.node as t.Program;
  }
  code(node: t.Node, max = 80): string {
    const text = this.ctx.text(node).replace(/\s*\n\s*/g, " ");
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  }
  line(node: t.Node): number | undefined {
    return node.loc?.start.line;
  }
  /** A local declared `const`/`let` (never reassigned) from a fresh `[]`, `{…}`, `new Set()` or `new Map()`, used only as `x.…`, `x[…]`, `Object.keys(x)`, `k in x`, `for (… of x)`, `...x` or `return x`: no other code can reach it. */
  isPrivate(b: Binding): boolean {
    let known = this.privateCache.get(b);
    if (known === undefined) {
      known = privateLocal(this, b);
      this.privateCache.set(b, known);
    }
    return known;
  }
  collectionKind(b: Binding): "array" | "object" | "collection" | undefined {
    if (!this.isPrivate(b) || !b.path.isVariableDeclarator()) return undefined;
    const init = b.path.node.init;
    if (t.isArrayExpression(init)) return "array";
    if (t.isObjectExpression(init)) return "object";
    return "collection";
  }
}

// ───────────────────────── types the code shows ─────────────────────────

function unbound(path: NodePath, name: string): boolean {
  return path.scope.getBinding(name) === undefined;
}

function topLevelType(env: Env, name: string): t.TSInterfaceDeclaration | t.TSTypeAliasDeclaration | t.ClassDeclaration | t.TSEnumDeclaration | undefined {
  for (const s of env.program.body) {
    const d = t.isExportNamedDeclaration(s) || t.isExportDefaultDeclaration(s) ? s.declaration : s;
    if ((t.isTSInterfaceDeclaration(d) || t.isTSTypeAliasDeclaration(d) || t.isTSEnumDeclaration(d)) && d.id.name === name) return d;
    if (t.isClassDeclaration(d) && d.id?.name === name) return d;
  }
  return undefined;
}

function typeArguments(ref: t.TSTypeReference): t.TSType[] {
  const args = (ref as { typeParameters?: t.TSTypeParameterInstantiation | null; typeArguments?: t.TSTypeParameterInstantiation | null }).typeParameters ?? (ref as { typeArguments?: t.TSTypeParameterInstantiation | null }).typeArguments;
  return args?.params ?? [];
}

/** A type with parentheses and the file's own aliases looked through. */
function resolve(env: Env, type: t.TSType, depth = 0): t.TSType {
  if (depth > 8) return type;
  if (t.isTSParenthesizedType(type)) return resolve(env, type.typeAnnotation, depth + 1);
  if (t.isTSTypeReference(type) && t.isIdentifier(type.typeName) && typeArguments(type).length === 0) {
    const d = topLevelType(env, type.typeName.name);
    if (t.isTSTypeAliasDeclaration(d) && !d.typeParameters) return resolve(env, d.typeAnnotation, depth + 1);
  }
  return type;
}

function isTypeParameter(env: Env, name: string): boolean {
  for (let p: NodePath | null = env.ctx.fn; p !== null; p = p.parentPath) {
    const params = (p.node as { typeParameters?: t.TSTypeParameterDeclaration | t.TypeParameterDeclaration | t.Noop | null }).typeParameters;
    if (params && "params" in params && params.params.some((tp) => (tp as t.TSTypeParameter).name === name)) return true;
  }
  return false;
}

/** Why a value of this type may be null or undefined, or undefined when the type excludes them. */
function nullishPart(env: Env, type: t.TSType): string | undefined {
  const r = resolve(env, type);
  if (t.isTSUndefinedKeyword(r) || t.isTSVoidKeyword(r)) return "undefined";
  if (t.isTSNullKeyword(r)) return "null";
  if (t.isTSAnyKeyword(r)) return "of type `any`";
  if (t.isTSUnknownKeyword(r)) return "of type `unknown`";
  if (t.isTSUnionType(r)) {
    for (const m of r.types) {
      const why = nullishPart(env, m);
      if (why !== undefined) return why;
    }
    return undefined;
  }
  if (t.isTSIntersectionType(r)) return r.types.every((m) => nullishPart(env, m) !== undefined) ? nullishPart(env, r.types[0]!) : undefined;
  if (t.isTSTypeReference(r)) {
    if (!t.isIdentifier(r.typeName)) return undefined;
    if (isTypeParameter(env, r.typeName.name)) return `of a type parameter (\`${r.typeName.name}\`)`;
    if (COMPUTED_TYPES.has(r.typeName.name)) return `of a computed type (\`${r.typeName.name}<…>\`)`;
    return undefined;
  }
  if (t.isTSTypeQuery(r) || t.isTSIndexedAccessType(r) || t.isTSConditionalType(r) || t.isTSImportType(r) || t.isTSInferType(r)) return "of a computed type";
  return undefined;
}

function isStringType(env: Env, type: t.TSType): boolean {
  const r = resolve(env, type);
  if (t.isTSStringKeyword(r) || r.type === ("TSTemplateLiteralType" as string)) return true;
  if (t.isTSLiteralType(r)) return t.isStringLiteral(r.literal) || t.isTemplateLiteral(r.literal);
  if (t.isTSUnionType(r)) return r.types.every((m) => isStringType(env, m));
  if (t.isTSIntersectionType(r)) return r.types.some((m) => isStringType(env, m));
  return false;
}

function isNumberType(env: Env, type: t.TSType): boolean {
  const r = resolve(env, type);
  if (t.isTSNumberKeyword(r)) return true;
  if (t.isTSLiteralType(r)) return t.isNumericLiteral(r.literal) || (t.isUnaryExpression(r.literal) && t.isNumericLiteral(r.literal.argument));
  if (t.isTSUnionType(r)) return r.types.every((m) => isNumberType(env, m));
  if (t.isTSIntersectionType(r)) return r.types.some((m) => isNumberType(env, m));
  return false;
}

/** The type without `null`, `undefined` and `void`, and whether it had any. */
function withoutNullish(env: Env, type: t.TSType, which: "both" | "undefined" = "both"): { type: t.TSType; removed: boolean } {
  const r = resolve(env, type);
  if (!t.isTSUnionType(r)) return { type, removed: false };
  const drop = (m: t.TSType) => t.isTSUndefinedKeyword(m) || t.isTSVoidKeyword(m) || (which === "both" && t.isTSNullKeyword(m));
  const kept = r.types.filter((m) => !drop(resolve(env, m)));
  if (kept.length === r.types.length || kept.length === 0) return { type, removed: false };
  return { type: kept.length === 1 ? kept[0]! : t.tsUnionType(kept), removed: true };
}

function withUndefined(type: t.TSType): t.TSType {
  return t.tsUnionType([type, t.tsUndefinedKeyword()]);
}

function elementType(env: Env, type: t.TSType): t.TSType | undefined {
  const r = resolve(env, type);
  if (t.isTSArrayType(r)) return r.elementType;
  if (t.isTSTypeOperator(r) && r.operator === "readonly") return elementType(env, r.typeAnnotation);
  if (t.isTSTypeReference(r) && t.isIdentifier(r.typeName) && (r.typeName.name === "Array" || r.typeName.name === "ReadonlyArray")) return typeArguments(r)[0];
  return undefined;
}

/** Whether a value of this type is an array, a Set or a Map: its iteration methods call their callback at once. */
function isCollectionType(env: Env, type: t.TSType): boolean {
  const r = resolve(env, type);
  if (elementType(env, r) !== undefined || t.isTSTupleType(r)) return true;
  return t.isTSTypeReference(r) && t.isIdentifier(r.typeName) && ["Set", "Map", "ReadonlySet", "ReadonlyMap"].includes(r.typeName.name);
}

function propertyKeyName(key: t.Node, computed: boolean): string | undefined {
  if (computed) return t.isStringLiteral(key) ? key.value : undefined;
  if (t.isIdentifier(key)) return key.name;
  if (t.isStringLiteral(key)) return key.value;
  return undefined;
}

function fromSignatures(members: readonly t.Node[], name: string): { type: t.TSType; optional: boolean } | undefined {
  for (const m of members) {
    if (t.isTSPropertySignature(m) && propertyKeyName(m.key, m.computed ?? false) === name && m.typeAnnotation) return { type: m.typeAnnotation.typeAnnotation, optional: m.optional === true };
    if (t.isTSMethodSignature(m) && propertyKeyName(m.key, m.computed ?? false) === name && m.kind === "method") return { type: t.tsObjectKeyword(), optional: m.optional === true };
  }
  return undefined;
}

/** The literal type of a class field's initialiser (what TypeScript infers for it). */
function initialiserType(value: t.Node | null | undefined): t.TSType | undefined {
  if (t.isStringLiteral(value) || t.isTemplateLiteral(value)) return t.tsStringKeyword();
  if (t.isNumericLiteral(value)) return t.tsNumberKeyword();
  if (t.isObjectExpression(value) || t.isArrayExpression(value) || t.isNewExpression(value) || t.isRegExpLiteral(value)) return t.tsObjectKeyword();
  return undefined;
}

function classMember(cls: t.Class, name: string): { type: t.TSType; optional: boolean } | undefined {
  for (const m of cls.body.body) {
    if (t.isClassProperty(m) && !m.static && propertyKeyName(m.key, m.computed) === name) {
      const type = m.typeAnnotation && t.isTSTypeAnnotation(m.typeAnnotation) ? m.typeAnnotation.typeAnnotation : initialiserType(m.value);
      return type === undefined ? undefined : { type, optional: m.optional === true };
    }
    if (t.isClassMethod(m) && m.kind === "constructor") {
      for (const p of m.params) {
        if (!t.isTSParameterProperty(p)) continue;
        const id = t.isAssignmentPattern(p.parameter) ? p.parameter.left : p.parameter;
        if (t.isIdentifier(id) && id.name === name && id.typeAnnotation && t.isTSTypeAnnotation(id.typeAnnotation)) return { type: id.typeAnnotation.typeAnnotation, optional: id.optional === true };
      }
    }
  }
  return undefined;
}

/** The declared type of property `name` of a value of `type` (a type literal, or an interface or class of this file). */
function memberType(env: Env, type: t.TSType, name: string): { type: t.TSType; optional: boolean } | undefined {
  const r = resolve(env, type);
  if (t.isTSTypeLiteral(r)) return fromSignatures(r.members, name);
  if (t.isTSIntersectionType(r)) {
    for (const m of r.types) {
      const found = memberType(env, m, name);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (t.isTSTypeReference(r) && t.isIdentifier(r.typeName)) {
    const d = topLevelType(env, r.typeName.name);
    if (t.isTSInterfaceDeclaration(d)) return fromSignatures(d.body.body, name);
    if (t.isClassDeclaration(d)) return classMember(d, name);
  }
  return undefined;
}

/** The class whose instance `this` is inside the node (a method or an arrow field), when it is one. */
function enclosingClassOfThis(env: Env, thisPath: NodePath): t.Class | undefined {
  for (let p: NodePath | null = thisPath.parentPath; p !== null; p = p.parentPath) {
    if (p.node === env.ctx.fn.node) break;
    if (p.isFunction() && !p.isArrowFunctionExpression()) return undefined;
  }
  const fn = env.ctx.fn;
  const holder = fn.isArrowFunctionExpression() ? fn.parentPath : fn;
  if (!holder) return undefined;
  const n = holder.node;
  // Not the constructor: a field it assigns may not be set yet where the constant would go.
  const isMember = (t.isClassMethod(n) || t.isClassPrivateMethod(n) || t.isClassProperty(n)) && !n.static && !(t.isClassMethod(n) && n.kind === "constructor");
  if (!isMember || (fn.isArrowFunctionExpression() && !t.isClassProperty(n))) return undefined;
  const cls = holder.parentPath?.parentPath?.node;
  return t.isClass(cls) ? cls : undefined;
}

/** The type of the binding `target` inside a parameter or declarator pattern, from the annotations (or the declared type given). */
function patternType(env: Env, pattern: t.Node, target: t.Identifier, declared: t.TSType | undefined): t.TSType | undefined {
  if (pattern === target) {
    const ann = target.typeAnnotation && t.isTSTypeAnnotation(target.typeAnnotation) ? target.typeAnnotation.typeAnnotation : declared;
    if (ann === undefined) return undefined;
    return target.optional ? withUndefined(ann) : ann;
  }
  if (t.isTSParameterProperty(pattern)) return patternType(env, pattern.parameter, target, declared);
  if (t.isAssignmentPattern(pattern)) {
    const inner = patternType(env, pattern.left, target, declared);
    if (inner === undefined || pattern.left !== target) return inner;
    // A default replaces `undefined` (not `null`).
    const stripped = t.isIdentifier(pattern.right, { name: "undefined" }) ? inner : withoutNullish(env, target.optional ? withoutOptional(inner) : inner, "undefined").type;
    return stripped;
  }
  if (t.isObjectPattern(pattern)) {
    const ann = pattern.typeAnnotation && t.isTSTypeAnnotation(pattern.typeAnnotation) ? pattern.typeAnnotation.typeAnnotation : declared;
    for (const prop of pattern.properties) {
      if (!t.isObjectProperty(prop) || !contains(prop.value, target)) continue;
      const name = propertyKeyName(prop.key, prop.computed);
      const m = ann !== undefined && name !== undefined ? memberType(env, ann, name) : undefined;
      const propType = m === undefined ? undefined : m.optional ? withUndefined(m.type) : m.type;
      if (t.isAssignmentPattern(prop.value) && prop.value.left === target) {
        if (propType === undefined) return undefined;
        return t.isIdentifier(prop.value.right, { name: "undefined" }) ? propType : withoutNullish(env, propType, "undefined").type;
      }
      return patternType(env, prop.value, target, propType);
    }
    return undefined;
  }
  return undefined;
}

function withoutOptional(type: t.TSType): t.TSType {
  return t.isTSUnionType(type) && type.types.length === 2 && t.isTSUndefinedKeyword(type.types[1]) ? type.types[0]! : type;
}

function contains(outer: t.Node, inner: t.Node): boolean {
  return outer === inner || (outer.start! <= inner.start! && inner.end! <= outer.end!);
}

/** The element a loop or callback binds from `arrayPath`, with `undefined` added when a hole can show through. */
function elementOf(env: Env, arrayPath: NodePath, holesShow: boolean, seen: Set<t.Node>): Ty | undefined {
  const array = typeOf(env, arrayPath, seen);
  if (array === undefined || nullishPart(env, array.type) !== undefined) return undefined;
  const element = elementType(env, array.type);
  if (element === undefined) return undefined;
  return { type: holesShow && !array.dense ? withUndefined(element) : element, cast: array.cast };
}

function bindingType(env: Env, id: NodePath<t.Identifier>, seen: Set<t.Node>): Ty | undefined {
  const b = id.scope.getBinding(id.node.name);
  if (b === undefined) return id.node.name === "undefined" ? { type: t.tsUndefinedKeyword() } : undefined;
  if (seen.has(b.identifier)) return undefined;
  seen.add(b.identifier);
  if (b.kind === "hoisted" || b.kind === "local") return { type: t.tsObjectKeyword() };
  if (b.kind === "param") {
    const own = patternType(env, b.path.node, b.identifier, undefined);
    if (own !== undefined) return { type: own };
    // An unannotated parameter of `xs.filter((x) => …)`: an element of `xs`.
    const fn = b.path.parentPath;
    if (fn === null || !isIterationCallback(fn) || typeof b.path.key !== "number") return undefined;
    const call = fn.parentPath as NodePath<t.CallExpression>;
    const callee = call.node.callee as t.MemberExpression;
    const method = (callee.property as t.Identifier).name;
    const elementIndex = method === "reduce" || method === "reduceRight" ? 1 : 0;
    if (b.path.key !== elementIndex) return undefined;
    const element = elementOf(env, childPath(call, "callee.object"), !HOLE_SKIPPING_METHODS.has(method), seen);
    if (element === undefined) return undefined;
    const type = patternType(env, b.path.node, b.identifier, element.type);
    return type === undefined ? undefined : { type, cast: element.cast };
  }
  if ((b.kind === "const" || b.kind === "let" || b.kind === "var") && b.path.isVariableDeclarator()) {
    const declarator = b.path;
    const declaration = declarator.parentPath;
    const loop = declaration?.parentPath;
    if (loop !== null && loop !== undefined && (loop.isForOfStatement() || loop.isForInStatement()) && loop.node.left === declaration?.node) {
      if (loop.isForInStatement()) return { type: t.tsStringKeyword() };
      const element = elementOf(env, childPath(loop, "right"), true, seen);
      if (element === undefined) return undefined;
      const type = patternType(env, declarator.node.id, b.identifier, element.type);
      return type === undefined ? undefined : { type, cast: element.cast };
    }
    const ann = t.isIdentifier(declarator.node.id) && declarator.node.id.typeAnnotation && t.isTSTypeAnnotation(declarator.node.id.typeAnnotation) ? declarator.node.id.typeAnnotation.typeAnnotation : undefined;
    if (ann !== undefined) return { type: ann };
    const init = declarator.get("init");
    if (!init.node) return undefined;
    const initTy = typeOf(env, init as NodePath, seen);
    if (initTy === undefined) return undefined;
    if (declarator.node.id === b.identifier) return initTy;
    const type = patternType(env, declarator.node.id, b.identifier, initTy.type);
    return type === undefined ? undefined : { type, cast: initTy.cast };
  }
  return undefined;
}

/** What the code shows of the value of an expression: its type, and whether a cast says so. */
function typeOf(env: Env, path: NodePath, seen: Set<t.Node> = new Set()): Ty | undefined {
  const n = path.node;
  if (t.isStringLiteral(n) || t.isTemplateLiteral(n)) return { type: t.tsStringKeyword() };
  if (t.isNumericLiteral(n) || (t.isUnaryExpression(n, { operator: "-" }) && t.isNumericLiteral(n.argument))) return { type: t.tsNumberKeyword() };
  if (t.isBooleanLiteral(n)) return { type: t.tsBooleanKeyword() };
  if (t.isArrayExpression(n)) {
    const strings = n.elements.length > 0 && n.elements.every((e) => t.isStringLiteral(e));
    return { type: t.tsArrayType(strings ? t.tsStringKeyword() : t.tsUnknownKeyword()), dense: n.elements.every((e) => e !== null && !t.isSpreadElement(e)) };
  }
  if (t.isObjectExpression(n) || t.isRegExpLiteral(n) || t.isFunction(n) || t.isClassExpression(n)) return { type: t.tsObjectKeyword() };
  if (t.isNewExpression(n)) return t.isIdentifier(n.callee) && ["Set", "Map"].includes(n.callee.name) && unbound(path, n.callee.name) ? { type: t.tsTypeReference(t.identifier(n.callee.name)) } : { type: t.tsObjectKeyword() };
  if (path.isIdentifier()) return bindingType(env, path, seen);
  if (path.isParenthesizedExpression() || path.isTSSatisfiesExpression()) return typeOf(env, childPath(path, "expression"), seen);
  if (path.isTSAsExpression() || path.isTSTypeAssertion()) {
    const ann = path.node.typeAnnotation;
    if (t.isTSTypeReference(ann) && t.isIdentifier(ann.typeName, { name: "const" })) return typeOf(env, childPath(path, "expression"), seen);
    return { type: ann, cast: env.code(n) };
  }
  if (path.isTSNonNullExpression()) {
    const inner = typeOf(env, childPath(path, "expression"), seen);
    if (inner === undefined) return undefined;
    const stripped = withoutNullish(env, inner.type);
    return { type: stripped.type, cast: stripped.removed ? (inner.cast ?? env.code(n)) : inner.cast, dense: inner.dense };
  }
  if (path.isMemberExpression() || path.isOptionalMemberExpression()) {
    const m = path.node as t.MemberExpression;
    const name = propertyKeyName(m.property, m.computed);
    if (name === undefined || (m.computed && !t.isStringLiteral(m.property))) return undefined;
    if (t.isThisExpression(m.object)) {
      const cls = enclosingClassOfThis(env, childPath(path, "object"));
      const member = cls === undefined ? undefined : classMember(cls, name);
      return member === undefined ? undefined : { type: member.optional ? withUndefined(member.type) : member.type };
    }
    const object = typeOf(env, childPath(path, "object"), seen);
    if (object === undefined) return undefined;
    const nullable = nullishPart(env, object.type) !== undefined;
    const shortCircuit = nullable && ((path.isOptionalMemberExpression() && path.node.optional) || (object.shortCircuit === true && path.isOptionalMemberExpression()));
    const base = withoutNullish(env, object.type).type;
    if (name === "length" && (isStringType(env, base) || elementType(env, base) !== undefined)) return { type: t.tsNumberKeyword(), cast: object.cast, shortCircuit };
    const member = memberType(env, base, name);
    if (member === undefined) return undefined;
    return { type: member.optional ? withUndefined(member.type) : member.type, cast: object.cast, shortCircuit };
  }
  if (path.isCallExpression() || path.isOptionalCallExpression()) {
    const call = path.node as t.CallExpression;
    if (t.isIdentifier(call.callee, { name: "String" }) && unbound(path, "String")) return { type: t.tsStringKeyword() };
    if (!(t.isMemberExpression(call.callee) || t.isOptionalMemberExpression(call.callee)) || call.callee.computed || !t.isIdentifier(call.callee.property)) return undefined;
    const method = call.callee.property.name;
    const object = call.callee.object;
    if (t.isIdentifier(object, { name: "Object" }) && unbound(path, "Object")) {
      if (method === "keys") return { type: t.tsArrayType(t.tsStringKeyword()), dense: true };
      if (method === "values" || method === "entries") return { type: t.tsArrayType(t.tsUnknownKeyword()), dense: true };
      return undefined;
    }
    if (t.isIdentifier(object, { name: "JSON" }) && method === "stringify" && unbound(path, "JSON") && call.arguments.length === 1 && isJsonLiteral(call.arguments[0]!)) return { type: t.tsStringKeyword() };
    const receiver = typeOf(env, childPath(path, "callee.object"), seen);
    const arrayResult = ARRAY_RESULT_METHODS.get(method);
    if (receiver !== undefined && arrayResult !== undefined) {
      // `xs.filter(…)`, `xs.map(…)`: a new array (filter's has no holes).
      const base = withoutNullish(env, receiver.type);
      const element = elementType(env, base.type);
      if (element !== undefined) {
        const type = t.tsArrayType(arrayResult === "mapped" ? t.tsUnknownKeyword() : element);
        return { type: base.removed ? withUndefined(type) : type, dense: method === "filter" || receiver.dense === true, cast: receiver.cast };
      }
    }
    if (!STRING_READING_METHODS.has(method)) return undefined;
    if (receiver === undefined) return undefined;
    const base = withoutNullish(env, receiver.type);
    if (!isStringType(env, base.type)) return undefined;
    const shortCircuit = base.removed && ((t.isOptionalMemberExpression(call.callee) && call.callee.optional) || (receiver.shortCircuit === true && path.isOptionalCallExpression()));
    if (method === "split") return { type: t.tsArrayType(t.tsStringKeyword()), dense: true, cast: receiver.cast, shortCircuit };
    if (STRING_RESULT_METHODS.has(method)) return { type: base.removed ? withUndefined(t.tsStringKeyword()) : t.tsStringKeyword(), cast: receiver.cast, shortCircuit };
    return undefined;
  }
  return undefined;
}

function printType(env: Env, type: t.TSType): string {
  try {
    return env.ctx.print(type);
  } catch {
    return "?";
  }
}

// ───────────────────────── candidates ─────────────────────────

function isJsonLiteral(n: t.Node): boolean {
  if (t.isStringLiteral(n) || t.isBooleanLiteral(n) || t.isNullLiteral(n)) return true;
  if (t.isNumericLiteral(n)) return true;
  if (t.isUnaryExpression(n, { operator: "-" })) return t.isNumericLiteral(n.argument);
  if (t.isTemplateLiteral(n)) return n.expressions.length === 0;
  if (t.isArrayExpression(n)) return n.elements.every((e) => e !== null && !t.isSpreadElement(e) && isJsonLiteral(e));
  if (t.isObjectExpression(n)) return n.properties.every((p) => t.isObjectProperty(p) && !p.computed && !p.shorthand && (t.isIdentifier(p.key) || t.isStringLiteral(p.key) || t.isNumericLiteral(p.key)) && isJsonLiteral(p.value));
  return false;
}

function hasGlobalOrSticky(flags: string): string | undefined {
  return flags.includes("g") ? "g" : flags.includes("y") ? "y" : undefined;
}

/** A node that may be hoisted, before its uses and loops are looked at. */
function candidateKind(path: NodePath): Kind | "math" | undefined {
  const n = path.node;
  if (t.isRegExpLiteral(n)) return "regex";
  if (t.isNewExpression(n) && t.isIdentifier(n.callee, { name: "RegExp" }) && unbound(path, "RegExp")) return "regex";
  if (!(t.isCallExpression(n) || t.isOptionalCallExpression(n))) return undefined;
  const callee = n.callee;
  if (!(t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) || callee.computed || !t.isIdentifier(callee.property)) return undefined;
  const method = callee.property.name;
  if (t.isIdentifier(callee.object, { name: "Object" }) && unbound(path, "Object") && (method === "keys" || method === "values" || method === "entries")) return method;
  if (t.isIdentifier(callee.object, { name: "JSON" }) && unbound(path, "JSON") && method === "stringify") return "json";
  if (t.isIdentifier(callee.object, { name: "Math" }) && unbound(path, "Math")) return "math";
  if (STRING_RESULT_METHODS.has(method)) return "string";
  return undefined;
}

interface Evidence {
  casts: string[];
}

type Verdict = Evidence | { problem: string };

function failed(v: Verdict): v is { problem: string } {
  return "problem" in v;
}

/** Whether reading this value (a variable, a property chain) can throw, and why. */
function readProblem(env: Env, path: NodePath): Check {
  const n = path.node;
  if (t.isIdentifier(n)) return n.name === "arguments" ? "`arguments` belongs to the innermost function" : undefined;
  if (t.isThisExpression(n) || t.isStringLiteral(n) || t.isNumericLiteral(n) || t.isBooleanLiteral(n) || (t.isTemplateLiteral(n) && n.expressions.length === 0)) return undefined;
  if (path.isParenthesizedExpression() || path.isTSAsExpression() || path.isTSTypeAssertion() || path.isTSNonNullExpression() || path.isTSSatisfiesExpression()) return readProblem(env, childPath(path, "expression"));
  if (path.isMemberExpression() || path.isOptionalMemberExpression()) {
    const m = path.node as t.MemberExpression;
    if (m.computed) return `\`${env.code(n)}\` reads a computed property, which may be missing`;
    const objectPath = childPath(path, "object");
    const inner = readProblem(env, objectPath);
    if (inner !== undefined) return inner;
    if (t.isThisExpression(m.object)) return undefined;
    const object = typeOf(env, objectPath);
    if (object === undefined) return `cdlc cannot see the type of \`${env.code(m.object)}\`, so reading \`.${env.code(m.property)}\` might throw`;
    const why = nullishPart(env, object.type);
    const optional = path.isOptionalMemberExpression() && (path.node.optional || object.shortCircuit === true);
    if (why !== undefined && !optional) return `\`${env.code(m.object)}\` may be ${why} (type \`${printType(env, object.type)}\`), so reading \`.${env.code(m.property)}\` might throw`;
    return undefined;
  }
  return `\`${env.code(n)}\` is not a variable or a property`;
}

/** An argument of a string method: a literal, a variable or property of the wanted type, or another hoistable string expression. */
function argumentVerdict(env: Env, path: NodePath, want: "string" | "number" | "pattern", method: string): Verdict {
  const n = path.node;
  if (t.isSpreadElement(n)) return { problem: `a spread argument of \`${method}\` runs an iterator` };
  if ((want === "string" || want === "pattern") && (t.isStringLiteral(n) || (t.isTemplateLiteral(n) && n.expressions.length === 0))) return { casts: [] };
  if (want === "number" && (t.isNumericLiteral(n) || (t.isUnaryExpression(n, { operator: "-" }) && t.isNumericLiteral(n.argument)))) return { casts: [] };
  if (want === "pattern" && t.isRegExpLiteral(n)) {
    const flag = hasGlobalOrSticky(n.flags);
    return flag === undefined ? { casts: [] } : { problem: `the pattern \`${env.code(n)}\` of \`${method}\` has the \`${flag}\` flag` };
  }
  if ((want === "string" || want === "pattern") && candidateKind(path) === "string") return stringVerdict(env, path as NodePath<t.CallExpression>);
  if (!(t.isIdentifier(n) || t.isMemberExpression(n) || t.isOptionalMemberExpression(n) || t.isTSAsExpression(n) || t.isTSNonNullExpression(n) || t.isTSSatisfiesExpression(n) || t.isTSTypeAssertion(n))) {
    return { problem: `the argument \`${env.code(n)}\` of \`${method}\` is not a literal or a variable` };
  }
  const read = readProblem(env, path);
  if (read !== undefined) return { problem: read };
  const ty = typeOf(env, path);
  const ok = ty !== undefined && nullishPart(env, ty.type) === undefined && (want === "number" ? isNumberType(env, ty.type) : isStringType(env, ty.type));
  if (!ok) return { problem: `cdlc cannot see that the argument \`${env.code(n)}\` of \`${method}\` is a ${want === "number" ? "number" : "string"}${ty === undefined ? "" : ` (type \`${printType(env, ty.type)}\`)`}` };
  return { casts: ty.cast === undefined ? [] : [ty.cast] };
}

/** `s.method(args)`: the receiver is a string, the arguments are safe, so it cannot throw. */
function stringVerdict(env: Env, path: NodePath<t.CallExpression | t.OptionalCallExpression>): Verdict {
  const call = path.node;
  const callee = call.callee as t.MemberExpression | t.OptionalMemberExpression;
  const method = (callee.property as t.Identifier).name;
  const receiverPath = childPath(path, "callee.object");
  const casts: string[] = [];
  const receiver = receiverPath.node;
  const nested = candidateKind(receiverPath) === "string";
  if (nested) {
    const inner = stringVerdict(env, receiverPath as NodePath<t.CallExpression>);
    if (failed(inner)) return inner;
    casts.push(...inner.casts);
  } else {
    const read = readProblem(env, receiverPath);
    if (read !== undefined) return { problem: read };
  }
  const ty = typeOf(env, receiverPath);
  if (ty === undefined) return { problem: `cdlc cannot see that \`${env.code(receiver)}\` is a string (no \`string\` type on it), and \`${method}\` would throw on anything else` };
  const base = withoutNullish(env, ty.type);
  if (!isStringType(env, base.type)) return { problem: `cdlc cannot see that \`${env.code(receiver)}\` is a string (type \`${printType(env, ty.type)}\`)` };
  if (base.removed) {
    const stopsChain = (t.isOptionalMemberExpression(callee) && callee.optional) || (ty.shortCircuit === true && t.isOptionalCallExpression(call));
    if (!stopsChain) {
      const why = nullishPart(env, ty.type) ?? "undefined";
      const optionalParam = t.isIdentifier(receiver) && receiverPath.scope.getBinding(receiver.name)?.identifier.optional === true;
      return { problem: `\`${env.code(receiver)}\` may be ${why} (${optionalParam ? `optional parameter \`${receiver.name}?\`` : `type \`${printType(env, ty.type)}\``}); hoisted, \`${method}\` would run and throw even when the loop runs zero times` };
    }
  }
  if (ty.cast !== undefined) casts.push(ty.cast);
  const args = childPaths(path, "arguments");
  const arity = (min: number, max: number): Check => (args.length < min || args.length > max ? `\`${env.code(call)}\` has ${args.length} argument(s)` : undefined);
  const want = (i: number, kind: "string" | "number" | "pattern"): Check => {
    const v = argumentVerdict(env, args[i]!, kind, method);
    if (failed(v)) return v.problem;
    casts.push(...v.casts);
    return undefined;
  };
  let problem: Check;
  switch (method) {
    case "toLowerCase":
    case "toUpperCase":
    case "trim":
    case "trimStart":
    case "trimEnd":
      problem = arity(0, 0);
      break;
    case "normalize": {
      problem = arity(0, 1);
      const form = args[0]?.node;
      if (problem === undefined && form !== undefined && !(t.isStringLiteral(form) && NORMAL_FORMS.has(form.value))) problem = `\`${env.code(call)}\` throws unless the form is "NFC", "NFD", "NFKC" or "NFKD"; cdlc hoists it only with one of them written out`;
      break;
    }
    case "slice":
    case "substring":
      problem = arity(0, 2) ?? (args.length > 0 ? want(0, "number") : undefined) ?? (args.length > 1 ? want(1, "number") : undefined);
      break;
    case "padStart":
    case "padEnd": {
      // A huge width throws a RangeError (the string would be too long): only a literal width is safe.
      problem = arity(1, 2);
      const width = args[0]?.node;
      const value = t.isNumericLiteral(width) ? width.value : t.isUnaryExpression(width, { operator: "-" }) && t.isNumericLiteral(width.argument) ? -width.argument.value : undefined;
      if (problem === undefined && (value === undefined || value > MAX_LITERAL_LENGTH)) problem = `\`${env.code(call)}\` throws for a huge width; cdlc hoists it only with a literal width`;
      problem ??= args.length > 1 ? want(1, "string") : undefined;
      break;
    }
    case "repeat": {
      problem = arity(1, 1);
      const count = args[0]?.node;
      if (problem === undefined && !(t.isNumericLiteral(count) && Number.isInteger(count.value) && count.value >= 0 && count.value <= MAX_LITERAL_LENGTH)) problem = `\`${env.code(call)}\` throws for a negative or infinite count; cdlc hoists it only with a literal count`;
      break;
    }
    case "replace":
      problem = arity(2, 2) ?? want(0, "pattern") ?? want(1, "string");
      break;
    case "replaceAll":
      problem = arity(2, 2) ?? want(0, "string") ?? want(1, "string");
      break;
    default:
      problem = `\`${method}\` is not hoisted`;
  }
  return problem === undefined ? { casts } : { problem };
}

function regexVerdict(env: Env, path: NodePath): Verdict {
  const n = path.node;
  if (t.isRegExpLiteral(n)) {
    const flag = hasGlobalOrSticky(n.flags);
    if (flag !== undefined) return { problem: `it has the \`${flag}\` flag: such a regex keeps \`lastIndex\` from one use to the next, so one shared regex would not behave like a new one each time` };
    return { casts: [] };
  }
  const args = (n as t.NewExpression).arguments;
  const literal = (a: t.Node | undefined): string | undefined => (t.isStringLiteral(a) ? a.value : t.isTemplateLiteral(a) && a.expressions.length === 0 ? a.quasis[0]!.value.cooked ?? undefined : undefined);
  const pattern = literal(args[0]);
  const flags = args.length > 1 ? literal(args[1]) : "";
  if (args.length === 0 || args.length > 2 || pattern === undefined || flags === undefined) {
    return { problem: "its pattern or flags are not literals: it may throw a SyntaxError, and hoisted it would throw even when the loop runs zero times" };
  }
  const flag = hasGlobalOrSticky(flags);
  if (flag !== undefined) return { problem: `it has the \`${flag}\` flag: such a regex keeps \`lastIndex\` from one use to the next, so one shared regex would not behave like a new one each time` };
  try {
    new RegExp(pattern, flags);
  } catch (e) {
    return { problem: `it throws (${(e as Error).message}); hoisted it would throw even when the loop runs zero times` };
  }
  return { casts: [] };
}

function objectVerdict(env: Env, path: NodePath<t.CallExpression>): Verdict {
  const args = path.get("arguments");
  if (args.length !== 1 || t.isSpreadElement(args[0]!.node)) return { problem: "it does not take exactly one argument" };
  const arg = args[0]! as NodePath;
  if (!(t.isIdentifier(arg.node) || t.isMemberExpression(arg.node) || t.isOptionalMemberExpression(arg.node) || t.isTSAsExpression(arg.node) || t.isTSNonNullExpression(arg.node))) {
    return { problem: `its argument \`${env.code(arg.node)}\` is not a variable or a property` };
  }
  const read = readProblem(env, arg);
  if (read !== undefined) return { problem: read };
  const ty = typeOf(env, arg);
  if (ty === undefined) return { problem: `cdlc cannot see the type of \`${env.code(arg.node)}\`; for null or undefined it throws, and hoisted it would throw even when the loop runs zero times` };
  const why = nullishPart(env, ty.type);
  if (why !== undefined) return { problem: `\`${env.code(arg.node)}\` may be ${why} (type \`${printType(env, ty.type)}\`); it would throw, hoisted even when the loop runs zero times` };
  return { casts: ty.cast === undefined ? [] : [ty.cast] };
}

function jsonVerdict(env: Env, path: NodePath<t.CallExpression>): Verdict {
  const args = path.node.arguments;
  if (args.length !== 1 || !isJsonLiteral(args[0]!)) return { problem: `its argument is not a literal (\`${args.map((a) => env.code(a)).join(", ")}\`): cdlc cannot see that it stays the same and has no \`toJSON\`` };
  return { casts: [] };
}

// ───────────────────────── uses of a shared object ─────────────────────────

function unwrap(path: NodePath): NodePath {
  let p = path;
  while (p.parentPath !== null && (p.parentPath.isParenthesizedExpression() || p.parentPath.isTSAsExpression() || p.parentPath.isTSNonNullExpression() || p.parentPath.isTSSatisfiesExpression() || p.parentPath.isTSTypeAssertion())) p = p.parentPath;
  return p;
}

function isWriteTarget(path: NodePath): boolean {
  const parent = path.parentPath;
  if (parent === null) return false;
  if (parent.isAssignmentExpression() && parent.node.left === path.node) return true;
  if (parent.isUpdateExpression()) return true;
  if (parent.isUnaryExpression({ operator: "delete" })) return true;
  if ((parent.isForOfStatement() || parent.isForInStatement()) && parent.node.left === path.node) return true;
  return false;
}

function isCallee(path: NodePath): boolean {
  const parent = path.parentPath;
  return parent !== null && (parent.isCallExpression() || parent.isOptionalCallExpression()) && parent.node.callee === path.node;
}

/** Why one shared regex or array could be told apart from a new one at this use, or undefined when it cannot. */
function useProblem(env: Env, use: NodePath, kind: Kind, viaConst = false): Check {
  const p = unwrap(use);
  const parent = p.parentPath;
  if (parent === null) return "it is used as a value";
  const at = (node: t.Node) => `\`${env.code(node)}\`, line ${env.line(node)}`;
  // `const re = /…/;` inside the loop: every use of `re` must be one of the safe ones.
  if (!viaConst && parent.isVariableDeclarator() && parent.node.init === p.node && t.isIdentifier(parent.node.id) && (parent.parentPath.node as t.VariableDeclaration).kind === "const") {
    const binding = parent.scope.getBinding(parent.node.id.name);
    if (binding === undefined) return "it is stored";
    for (const ref of binding.referencePaths) {
      const why = useProblem(env, ref, kind, true);
      if (why !== undefined) return `it is stored in \`${parent.node.id.name}\`, and ${why}`;
    }
    return undefined;
  }
  const subject = viaConst ? `\`${env.code(use.node)}\`` : "it";
  if (kind === "regex") {
    if ((parent.isMemberExpression() || parent.isOptionalMemberExpression()) && parent.node.object === p.node) {
      const member = parent.node as t.MemberExpression;
      const name = member.computed ? undefined : (member.property as t.Identifier).name;
      if (name === "lastIndex") return `its \`lastIndex\` is used (${at(member)}): hoisting would share one regex object, and that state, between iterations`;
      if ((name === "test" || name === "exec") && isCallee(parent)) return undefined;
      return `${subject} is used as an object (${at(member)}): a shared regex could be told apart from a new one`;
    }
    if ((parent.isCallExpression() || parent.isOptionalCallExpression()) && parent.node.arguments.includes(p.node as t.Expression)) {
      const callee = parent.node.callee;
      const name = (t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) && !callee.computed && t.isIdentifier(callee.property) ? callee.property.name : undefined;
      if (parent.node.arguments[0] === p.node && name !== undefined && REGEX_ARGUMENT_METHODS.has(name)) return undefined;
      return `${subject} is passed to \`${env.code(callee)}\` (line ${env.line(parent.node)}), which might keep it`;
    }
    if (parent.isBinaryExpression()) return `its identity is compared (${at(parent.node)})`;
    if (parent.isNewExpression()) return `${subject} is passed to \`${env.code(parent.node.callee)}\` (line ${env.line(parent.node)}), which might keep it`;
    return `${subject} is stored or used as a value (${at(parent.node)}): a shared regex could be told apart from a new one`;
  }
  // Arrays from Object.keys / values / entries.
  const fresh = "hoisting would share one array where the code made a new one each time";
  if ((parent.isMemberExpression() || parent.isOptionalMemberExpression()) && parent.node.object === p.node) {
    const member = parent.node as t.MemberExpression;
    if (isWriteTarget(parent)) return `${subject} is changed (${at(parent.parentPath!.node)}); ${fresh}`;
    if (member.computed) return isCallee(parent) ? `an element of ${subject} is called with the array as \`this\` (${at(member)})` : undefined;
    const name = (member.property as t.Identifier).name;
    if (!isCallee(parent)) return name === "length" ? undefined : `${subject} is used as an object (${at(member)})`;
    const call = parent.parentPath as NodePath<t.CallExpression>;
    if (ARRAY_READING_METHODS.has(name)) return undefined;
    if (ITERATION_METHODS.has(name)) return callbackProblem(env, call, name, kind, subject);
    if (MUTATING_METHODS.has(name)) return `${subject} is changed in place (${at(call.node)}); ${fresh}`;
    return `\`.${name}\` is called on ${subject} (line ${env.line(call.node)})`;
  }
  if (parent.isForOfStatement() && parent.node.right === p.node) return kind === "entries" ? entryBindingProblem(env, childPath(parent, "left")) : undefined;
  if (parent.isSpreadElement() && kind !== "entries") return undefined;
  const builds = (parent.isNewExpression() && t.isIdentifier(parent.node.callee) && (parent.node.callee.name === "Set" || parent.node.callee.name === "Map")) || (parent.isCallExpression() && t.isMemberExpression(parent.node.callee) && t.isIdentifier(parent.node.callee.object, { name: "Array" }) && t.isIdentifier(parent.node.callee.property, { name: "from" }) && parent.node.arguments.length === 1);
  if (builds && (parent.node as t.NewExpression).arguments[0] === p.node && unbound(parent, ((parent.node as t.NewExpression).callee as t.Identifier).name ?? "Array")) {
    const isMap = t.isIdentifier((parent.node as t.NewExpression).callee, { name: "Map" });
    if (kind !== "entries" || isMap) return undefined;
  }
  if ((parent.isCallExpression() || parent.isOptionalCallExpression() || parent.isNewExpression()) && (parent.node as t.CallExpression).arguments.includes(p.node as t.Expression)) {
    return `${subject} is passed to \`${env.code((parent.node as t.CallExpression).callee)}\` (line ${env.line(parent.node)}), which might keep or change it; ${fresh}`;
  }
  return `${subject} is stored or used as a value (${at(parent.node)}); ${fresh}`;
}

/** `keys.map((k) => …)`: the callback must not receive the array itself (nor, for entries, change an entry). */
function callbackProblem(env: Env, call: NodePath<t.CallExpression>, method: string, kind: Kind, subject: string): Check {
  const callback = call.get("arguments")[0];
  const node = callback?.node;
  if (!(t.isArrowFunctionExpression(node) || t.isFunctionExpression(node))) {
    return `${subject} is handed to \`${node === undefined ? "nothing" : env.code(node)}\` by \`.${method}\` (line ${env.line(call.node)}), which might keep or change it`;
  }
  const arrayIndex = method === "reduce" || method === "reduceRight" ? 3 : 2;
  const usesArguments = t.isFunctionExpression(node) && (() => {
    let found = false;
    callback!.traverse({
      Identifier(p) {
        if (p.node.name === "arguments" && p.isReferencedIdentifier()) found = true;
      },
      Function(p) {
        if (!p.isArrowFunctionExpression()) p.skip();
      },
    });
    return found;
  })();
  if (node.params.length > arrayIndex || node.params.some((q) => t.isRestElement(q)) || usesArguments) {
    return `the callback of \`.${method}\` receives the array itself (line ${env.line(node)}); hoisting would share one array where the code made a new one each time`;
  }
  if (kind === "entries") {
    const elementIndex = arrayIndex - 2;
    const param = (callback as NodePath<t.ArrowFunctionExpression>).get("params")[elementIndex];
    if (param !== undefined) return entryBindingProblem(env, param as NodePath);
  }
  return undefined;
}

/** An entry of `Object.entries(o)` (a new `[key, value]` array each time) must only be read: destructured, or `e[0]` / `e[1]`. */
function entryBindingProblem(env: Env, target: NodePath): Check {
  let id: NodePath | undefined = target;
  if (target.isVariableDeclaration()) id = target.get("declarations")[0]?.get("id") as NodePath | undefined;
  if (id === undefined) return undefined;
  if (id.isArrayPattern() || id.isObjectPattern()) return undefined;
  if (!id.isIdentifier()) return "an entry is bound in a way cdlc does not follow";
  const binding = id.scope.getBinding(id.node.name);
  for (const ref of binding?.referencePaths ?? []) {
    const parent = ref.parentPath;
    const readOnly = parent !== null && (parent.isMemberExpression() || parent.isOptionalMemberExpression()) && parent.node.object === ref.node && !isWriteTarget(parent) && !isCallee(parent);
    if (!readOnly) return `an entry \`${id.node.name}\` is used as a value (line ${env.line(ref.node)}); the entries would be shared between iterations`;
  }
  return undefined;
}

// ───────────────────────── what a loop may change ─────────────────────────

function privateLocal(env: Env, b: Binding): boolean {
  if (!(b.kind === "const" || b.kind === "let") || b.constantViolations.length > 0 || !b.path.isVariableDeclarator() || !t.isIdentifier(b.path.node.id)) return false;
  const init = b.path.node.init;
  const plainObject = t.isObjectExpression(init) && init.properties.every((p) => t.isSpreadElement(p) || (t.isObjectProperty(p) && !p.computed));
  const collection = t.isNewExpression(init) && t.isIdentifier(init.callee) && (init.callee.name === "Set" || init.callee.name === "Map") && unbound(b.path, init.callee.name);
  if (!(t.isArrayExpression(init) || plainObject || collection)) return false;
  const owner = b.scope.getFunctionParent()?.block;
  for (const ref of b.referencePaths) {
    const parent = ref.parentPath;
    if (parent === null) return false;
    if ((parent.isMemberExpression() || parent.isOptionalMemberExpression()) && parent.node.object === ref.node) continue;
    if (parent.isCallExpression() && parent.node.arguments.length === 1 && t.isMemberExpression(parent.node.callee) && t.isIdentifier(parent.node.callee.object, { name: "Object" }) && t.isIdentifier(parent.node.callee.property) && ["keys", "values", "entries"].includes(parent.node.callee.property.name)) continue;
    if (parent.isBinaryExpression({ operator: "in" }) && parent.node.right === ref.node) continue;
    if ((parent.isForOfStatement() || parent.isForInStatement()) && parent.node.right === ref.node) continue;
    if (parent.isSpreadElement()) continue;
    if (parent.isReturnStatement() && parent.getFunctionParent()?.node === owner) continue;
    return false;
  }
  return true;
}

/** Whether assigning to `target` (`x.k`, `x[k]`) changes only a private local other than those the candidate reads. */
function privateTarget(env: Env, path: NodePath, target: t.Node, exclude: ReadonlySet<Binding>): boolean {
  if (!(t.isMemberExpression(target) || t.isOptionalMemberExpression(target)) || !t.isIdentifier(target.object)) return false;
  const b = path.scope.getBinding(target.object.name);
  return b !== undefined && !exclude.has(b) && env.isPrivate(b);
}

function stringish(env: Env, path: NodePath): boolean {
  if (t.isStringLiteral(path.node) || t.isTemplateLiteral(path.node)) return true;
  const ty = typeOf(env, path);
  return ty !== undefined && isStringType(env, withoutNullish(env, ty.type).type);
}

function plainArgument(env: Env, path: NodePath): boolean {
  const n = path.node;
  if (t.isStringLiteral(n) || t.isNumericLiteral(n) || t.isRegExpLiteral(n) || t.isBooleanLiteral(n) || t.isArrowFunctionExpression(n) || t.isFunctionExpression(n)) return true;
  if (t.isTemplateLiteral(n)) return true;
  const ty = typeOf(env, path);
  if (ty === undefined) return false;
  const base = withoutNullish(env, ty.type).type;
  return isStringType(env, base) || isNumberType(env, base) || t.isTSBooleanKeyword(resolve(env, base));
}

function isRegexValue(path: NodePath): boolean {
  const n = path.node;
  if (t.isRegExpLiteral(n)) return true;
  if (!t.isIdentifier(n)) return false;
  const b = path.scope.getBinding(n.name);
  if (b === undefined || b.kind !== "const" || !b.path.isVariableDeclarator()) return false;
  const init = b.path.node.init;
  return t.isRegExpLiteral(init) || (t.isNewExpression(init) && t.isIdentifier(init.callee, { name: "RegExp" }));
}

function callChangesNothing(env: Env, path: NodePath<t.CallExpression | t.OptionalCallExpression>, exclude: ReadonlySet<Binding>): boolean {
  const call = path.node;
  const callee = call.callee;
  if (t.isIdentifier(callee)) return unbound(path, callee.name) && firstSideEffect(t.callExpression(callee, [])) === undefined;
  if (!(t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) || callee.computed || !t.isIdentifier(callee.property)) return false;
  const method = callee.property.name;
  const object = callee.object;
  const args = childPaths(path, "arguments");
  if (t.isIdentifier(object) && unbound(path, object.name)) {
    if (object.name === "Math") return true;
    if (object.name === "Object" && ["keys", "values", "entries"].includes(method)) return true;
    if (object.name === "JSON" && method === "stringify") return call.arguments.length === 1 && isJsonLiteral(call.arguments[0]!);
    if (firstSideEffect(t.callExpression(t.memberExpression(t.identifier(object.name), t.identifier(method)), [])) === undefined) return true;
  }
  const objectPath = childPath(path, "callee.object");
  if (ITERATION_METHODS.has(method)) {
    // The callback's own body is scanned with the rest; a callback that is not a literal is other code.
    const first = call.arguments[0];
    return t.isArrowFunctionExpression(first) || t.isFunctionExpression(first);
  }
  if (READING_METHODS.has(method) && !STRING_READING_METHODS.has(method)) return true;
  if (STRING_READING_METHODS.has(method) && stringish(env, objectPath)) return args.every((a) => plainArgument(env, a));
  if (READING_METHODS.has(method)) return true;
  if ((method === "test" || method === "exec") && isRegexValue(objectPath)) return args.every((a) => plainArgument(env, a));
  if (t.isIdentifier(object) && COLLECTION_METHODS.has(method)) {
    const b = path.scope.getBinding(object.name);
    if (b !== undefined && !exclude.has(b)) {
      const kind = env.collectionKind(b);
      if (kind === "array" && (MUTATING_METHODS.has(method) ? method !== "sort" : false)) return true;
      if (kind === "collection" && ["add", "set", "delete", "clear", "get", "has"].includes(method)) return true;
    }
  }
  return false;
}

function newChangesNothing(env: Env, path: NodePath<t.NewExpression>): boolean {
  const callee = path.node.callee;
  if (!t.isIdentifier(callee) || !unbound(path, callee.name)) return false;
  const args = childPaths(path, "arguments");
  if (callee.name === "RegExp") return args.every((a) => plainArgument(env, a));
  if (callee.name === "Set" || callee.name === "Map") {
    if (args.length === 0) return true;
    if (args.length !== 1) return false;
    const arg = args[0]!;
    const ty = t.isArrayExpression(arg.node) ? undefined : typeOf(env, arg);
    return t.isArrayExpression(arg.node) || (ty !== undefined && elementType(env, ty.type) !== undefined && nullishPart(env, ty.type) === undefined);
  }
  if (callee.name === "Date") return args.length === 0;
  return false;
}

/** The first node in `region` that may change a property (or run code that could), or suspend; writes to private locals not in `exclude` are not counted. */
function firstEffect(env: Env, region: NodePath, exclude: ReadonlySet<Binding>): t.Node | undefined {
  let found: t.Node | undefined;
  const check = (p: NodePath) => {
    const n = p.node;
    let effect = false;
    if (t.isAssignmentExpression(n)) effect = !t.isIdentifier(n.left) && !privateTarget(env, p, n.left, exclude);
    else if (t.isUpdateExpression(n)) effect = !t.isIdentifier(n.argument) && !privateTarget(env, p, n.argument, exclude);
    else if (t.isUnaryExpression(n, { operator: "delete" })) effect = !privateTarget(env, p, n.argument, exclude);
    else if (t.isAwaitExpression(n) || t.isYieldExpression(n) || t.isTaggedTemplateExpression(n) || (t.isForOfStatement(n) && n.await)) effect = true;
    else if (t.isNewExpression(n)) effect = !newChangesNothing(env, p as NodePath<t.NewExpression>);
    else if (t.isCallExpression(n) || t.isOptionalCallExpression(n)) effect = !callChangesNothing(env, p as NodePath<t.CallExpression>, exclude);
    if (effect) found = n;
  };
  visitUntil(region, (p) => {
    check(p);
    return found !== undefined;
  });
  return found;
}

/** The first place in `region` that may add or remove a key of the private local `b` (or change a value). */
function firstChangeOfPrivate(region: NodePath, b: Binding): t.Node | undefined {
  for (const ref of [...b.referencePaths].sort((x, y) => x.node.start! - y.node.start!)) {
    if (!isInside(ref, region)) continue;
    const parent = ref.parentPath!;
    if (!(parent.isMemberExpression() || parent.isOptionalMemberExpression()) || parent.node.object !== ref.node) continue;
    if (isWriteTarget(parent)) return parent.parentPath!.node;
    if (isCallee(parent)) {
      const name = parent.node.computed ? undefined : (parent.node.property as t.Identifier).name;
      if (name === undefined || !READING_METHODS.has(name) || ITERATION_METHODS.has(name)) return parent.parentPath!.node;
    }
  }
  return undefined;
}

function describeEffect(env: Env, node: t.Node): string {
  const at = `\`${env.code(node, 60)}\`, line ${env.line(node)}`;
  if (t.isCallExpression(node) || t.isOptionalCallExpression(node) || t.isNewExpression(node) || t.isTaggedTemplateExpression(node)) return `calls other code (${at})`;
  if (t.isAwaitExpression(node)) return `waits (${at}) while other code may run`;
  if (t.isForOfStatement(node)) return `waits in \`for await\` (line ${env.line(node)}) while other code may run`;
  if (t.isYieldExpression(node)) return `pauses (${at}) while other code may run`;
  if (t.isUnaryExpression(node)) return `deletes a property (${at})`;
  return `writes a property (${at})`;
}

// ───────────────────────── loops and where the constant goes ─────────────────────────

/** Where a constant computed before `loop` goes, and what runs from there to the loop's end. */
function insertionPoint(env: Env, loop: Loop): Point | undefined {
  let p: NodePath | null = loop.kind === "callback" ? loop.path.parentPath : loop.path;
  while (p !== null && p.node !== env.ctx.fn.node) {
    const parent: NodePath | null = p.parentPath;
    if (parent === null) return undefined;
    const inHeader = (parent.isForStatement() && p.key === "init") || ((parent.isForOfStatement() || parent.isForInStatement()) && p.key === "left");
    if (p.isStatement() && !inHeader) {
      if (parent.isLabeledStatement()) {
        p = parent;
        continue;
      }
      if (parent.isBlockStatement() || parent.isProgram()) return { kind: "block", node: p.node, region: p };
      if (parent.isSwitchCase() || parent.isStaticBlock()) return undefined;
      return { kind: "wrap", node: p.node, region: p };
    }
    if (parent.isArrowFunctionExpression() && p.key === "body") return { kind: "arrow", node: parent.node, region: p };
    if (parent.isFunction() || parent.isClass()) return undefined;
    p = parent;
  }
  return undefined;
}

/** Whether a callback's receiver is an array (or Set, Map), so that the callback runs at once and only then. */
function callbackReceiverProblem(env: Env, loop: Loop): Check {
  const call = loop.path.parentPath as NodePath<t.CallExpression>;
  const receiver = childPath(call, "callee.object");
  const method = ((call.node.callee as t.MemberExpression).property as t.Identifier).name;
  const ty = typeOf(env, receiver);
  if (ty !== undefined && isCollectionType(env, withoutNullish(env, ty.type).type)) return undefined;
  return `cdlc cannot see that \`${env.code(receiver.node)}\` is an array, so its \`${method}\` might call the callback later, when the hoisted value is stale`;
}

/**
 * Why the candidate may differ between iterations of `loops[j]` (and all
 * loops inside it), or could not be placed before it; `variance` when a
 * value it reads is declared or assigned there (the first thing to tell a user).
 */
function levelProblem(env: Env, site: { kind: Kind; path: NodePath }, loops: Loop[], j: number): { point: Point } | { problem: string; variance: boolean } {
  const loop = loops[j]!;
  const point = insertionPoint(env, loop);
  if (point === undefined) return { problem: "cdlc cannot place a constant before the loop here", variance: false };
  for (let i = 0; i <= j; i++) {
    const inner = loops[i]!;
    if (inner.kind === "callback") {
      const callback = inner.path.node as t.ArrowFunctionExpression | t.FunctionExpression;
      if (callback.async || callback.generator) return { problem: `the callback (line ${env.line(callback)}) is ${callback.async ? "async" : "a generator"}: part of it runs later, when the hoisted value may be stale`, variance: false };
      const why = callbackReceiverProblem(env, inner);
      if (why !== undefined) return { problem: why, variance: false };
    }
  }
  const region = point.region;
  // From the constant to the loop's end: an assignment in the rest of the statement (the receiver of a callback's method…) counts too.
  const asLoop: Loop = { kind: loop.kind, path: region, region };
  const reads = new Set<Binding>();
  let readsProperty = false;
  let problem: Check;
  const visit = (p: NodePath) => {
    if (problem !== undefined) return;
    if (p.isThisExpression()) {
      for (let i = 0; i <= j && problem === undefined; i++) problem = whyVaries(p, loops[i]!);
      return;
    }
    if ((p.isMemberExpression() || p.isOptionalMemberExpression()) && !isCallee(p)) readsProperty = true;
    if (!p.isIdentifier() || !p.isReferencedIdentifier()) return;
    const name = p.node.name;
    if (name === "arguments") {
      problem = "`arguments` belongs to the innermost function";
      return;
    }
    const b = p.scope.getBinding(name);
    if (b === undefined) return;
    reads.add(b);
    if (b.kind === "param" && isInside(b.path, region)) {
      problem = `\`${name}\` is a parameter of the callback (line ${env.line(b.identifier)})`;
      return;
    }
    problem = whyVaries(p, asLoop);
    if (problem !== undefined) return;
    const inNode = isInside(b.path, env.ctx.fn) && b.path.node !== env.ctx.fn.node;
    if (inNode && b.kind !== "param" && b.kind !== "hoisted" && b.identifier.start! >= region.node.start!) {
      problem = `\`${name}\` is declared after the loop (line ${env.line(b.identifier)})`;
      return;
    }
  };
  visit(site.path);
  site.path.traverse({
    enter(p) {
      visit(p);
    },
  });
  if (problem !== undefined) return { problem, variance: true };
  const keysOf = site.kind === "keys" || site.kind === "values" || site.kind === "entries" ? ((site.path.node as t.CallExpression).arguments[0] as t.Expression) : undefined;
  if (keysOf !== undefined || readsProperty) {
    const privateObject = keysOf !== undefined && t.isIdentifier(keysOf) ? site.path.scope.getBinding(keysOf.name) : undefined;
    const effect = privateObject !== undefined && env.isPrivate(privateObject) ? firstChangeOfPrivate(region, privateObject) : firstEffect(env, region, reads);
    if (effect !== undefined) {
      const what = keysOf !== undefined ? (site.kind === "keys" ? `which could add or remove keys of \`${env.code(keysOf)}\`` : `which could change \`${env.code(keysOf)}\``) : "which could change what it reads";
      return { problem: `the loop ${describeEffect(env, effect)}, ${what}`, variance: false };
    }
  }
  return { point };
}

// ───────────────────────── the rewrite ─────────────────────────

function keyOf(env: Env, node: t.Node): string {
  const clone = t.cloneNode(node, true, true);
  t.traverseFast(clone, (n) => {
    t.removeComments(n);
  });
  return env.ctx.print(clone);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function rootName(node: t.Node): string | undefined {
  if (t.isIdentifier(node)) return node.name;
  if ((t.isMemberExpression(node) || t.isOptionalMemberExpression(node)) && !node.computed && t.isIdentifier(node.property)) return node.property.name;
  if (t.isCallExpression(node) || t.isOptionalCallExpression(node)) return t.isMemberExpression(node.callee) || t.isOptionalMemberExpression(node.callee) ? rootName(node.callee.object) : undefined;
  if (t.isTSAsExpression(node) || t.isTSNonNullExpression(node) || t.isParenthesizedExpression(node) || t.isTSSatisfiesExpression(node) || t.isTSTypeAssertion(node)) return rootName(node.expression);
  return undefined;
}

function nameHint(kind: Kind, node: t.Node): string {
  if (kind === "regex") return "re";
  if (kind === "json") return "serialized";
  const call = node as t.CallExpression;
  if (kind === "keys" || kind === "values" || kind === "entries") return `${rootName(call.arguments[0]!) ?? "object"}${capitalize(kind)}`;
  const method = ((call.callee as t.MemberExpression).property as t.Identifier).name;
  const suffix: Record<string, string> = { toLowerCase: "Lower", toUpperCase: "Upper", trim: "Trimmed", trimStart: "Trimmed", trimEnd: "Trimmed", normalize: "Normalized", padStart: "Padded", padEnd: "Padded", repeat: "Repeated", replace: "Replaced", replaceAll: "Replaced" };
  const base = rootName((call.callee as t.MemberExpression).object) ?? "text";
  return `${base}${suffix[method] ?? capitalize(method)}`;
}

/** `q?.trim()` replaced inside a longer chain (`q?.trim().includes(x)`): the next link becomes `?.` to keep the short-circuit. */
function chainEdit(env: Env, occ: NodePath): Edit | undefined {
  const n = occ.node;
  if (!(t.isOptionalCallExpression(n) || t.isOptionalMemberExpression(n))) return undefined;
  const parent = occ.parentPath!.node;
  const src = env.ctx.source;
  if (t.isOptionalMemberExpression(parent) && parent.object === n && !parent.optional) {
    const mark = parent.computed ? "[" : ".";
    const at = src.indexOf(mark, n.end!);
    if (at < 0 || at >= parent.property.start!) return undefined;
    return parent.computed ? { start: at, end: at, text: "?." } : { start: at, end: at + 1, text: "?." };
  }
  if (t.isOptionalCallExpression(parent) && parent.callee === n && !parent.optional) {
    const at = src.indexOf("(", n.end!);
    return at < 0 ? undefined : { start: at, end: at, text: "?." };
  }
  return undefined;
}

function separatorBefore(env: Env, node: t.Node): string {
  const src = env.ctx.source;
  const lineStart = src.lastIndexOf("\n", node.start! - 1) + 1;
  const before = src.slice(lineStart, node.start!);
  const newline = src.charAt(lineStart - 2) === "\r" ? "\r\n" : "\n";
  return /^[ \t]*$/.test(before) ? `${newline}${before}` : " ";
}

function arrowBodySpan(point: Point): { start: number; end: number } {
  const fn = point.node as t.ArrowFunctionExpression;
  const body = fn.body;
  const paren = (body.extra as { parenthesized?: boolean; parenStart?: number } | undefined) ?? {};
  return paren.parenthesized && paren.parenStart !== undefined ? { start: paren.parenStart, end: fn.end! } : { start: body.start!, end: body.end! };
}

/** The edits that make these groups' constants and uses (several groups at one place share it). */
function editsFor(env: Env, groups: readonly Group[]): Edit[] {
  const edits: Edit[] = [];
  const byPoint = new Map<t.Node, Group[]>();
  for (const g of groups) {
    for (const occ of g.occurrences) {
      edits.push({ start: occ.node.start!, end: occ.node.end!, text: g.name });
      const chain = chainEdit(env, occ);
      if (chain !== undefined) edits.push(chain);
    }
    byPoint.set(g.point.node, [...(byPoint.get(g.point.node) ?? []), g]);
  }
  for (const gs of byPoint.values()) {
    const point = gs[0]!.point;
    const decls = gs.map((g) => `const ${g.name} = ${g.text};`);
    const node = point.node;
    if (point.kind === "block") {
      const sep = separatorBefore(env, node);
      edits.push({ start: node.start!, end: node.start!, text: decls.map((d) => d + sep).join("") });
    } else if (point.kind === "wrap") {
      edits.push({ start: node.start!, end: node.start!, text: `{ ${decls.join(" ")} ` }, { start: node.end!, end: node.end!, text: " }" });
    } else {
      const span = arrowBodySpan(point);
      edits.push({ start: span.start, end: span.start, text: `{ ${decls.join(" ")} return ` }, { start: span.end, end: span.end, text: "; }" });
    }
  }
  return edits.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The edits inside `[start, end)` applied to that text, as one edit. */
function collapse(env: Env, edits: readonly Edit[], start: number, end: number): Edit[] {
  const inside = edits.filter((e) => e.start >= start && e.end <= end);
  const outside = edits.filter((e) => !(e.start >= start && e.end <= end));
  let text = "";
  let at = start;
  for (const e of inside) {
    text += env.ctx.source.slice(at, e.start) + e.text;
    at = e.end;
  }
  text += env.ctx.source.slice(at, end);
  return [...outside, { start, end, text }].sort((a, b) => a.start - b.start || a.end - b.end);
}

function summaryOf(env: Env, g: Group): string {
  const lines = [...new Set(g.occurrences.map((o) => env.line(o.node)))];
  const uses = g.occurrences.length > 1 ? `, for its ${g.occurrences.length} uses (line${lines.length > 1 ? "s" : ""} ${lines.join(", ")})` : ` (line ${lines[0]})`;
  const cast = g.casts.length > 0 ? `; relies on the assertion \`${g.casts[0]}\` being true` : "";
  const loop = { callback: "the loop of the callback", for: "the `for` loop", "for-of": "the `for…of` loop", "for-in": "the `for…in` loop", while: "the `while` loop", "do-while": "the `do…while` loop" }[g.loop.kind];
  return `\`${env.code(g.occurrences[0]!.node, 60)}\` → \`${g.name}\`, computed once before ${loop} (line ${env.line(g.point.node)}) instead of in each iteration${uses}${cast}`;
}

function overlapping(rewrites: readonly Rewrite[]): boolean {
  const edits = rewrites.flatMap((r) => r.edits).sort((a, b) => a.start - b.start);
  return edits.some((e, i) => i > 0 && e.start < edits[i - 1]!.end);
}

function analyse(env: Env, path: NodePath<t.Expression>, kind: Kind): Site | { problem: string } | undefined {
  // The init of a `for` runs once: it is not part of that loop.
  const loops = enclosingLoops(path, env.ctx.fn).filter((l) => !(l.kind === "for" && (l.path.node as t.ForStatement).init !== null && isInside(path, childPath(l.path, "init"))));
  if (loops.length === 0) return undefined;
  // First whether it changes between iterations at all: that is the reason a user expects to read.
  const first = levelProblem(env, { kind, path }, loops, 0);
  if ("problem" in first && first.variance) return first;
  let verdict: Verdict;
  if (kind === "regex") verdict = regexVerdict(env, path);
  else if (kind === "string") verdict = stringVerdict(env, path as NodePath<t.CallExpression>);
  else if (kind === "json") verdict = jsonVerdict(env, path as NodePath<t.CallExpression>);
  else verdict = objectVerdict(env, path as NodePath<t.CallExpression>);
  if (failed(verdict)) return verdict;
  const outer = unwrap(path);
  if ((t.isOptionalCallExpression(path.node) || t.isOptionalMemberExpression(path.node)) && outer !== path && (outer.parentPath?.isOptionalMemberExpression() || outer.parentPath?.isOptionalCallExpression())) {
    return { problem: "it is an optional chain continued through `!` or a cast, which cdlc does not rewrite" };
  }
  if (kind !== "string" && kind !== "json") {
    const use = useProblem(env, path, kind);
    if (use !== undefined) return { problem: use };
  }
  if ("problem" in first) return first;
  let best = { point: first.point, loop: loops[0]! };
  for (let j = 1; j < loops.length; j++) {
    const level = levelProblem(env, { kind, path }, loops, j);
    if ("problem" in level) break;
    best = { point: level.point, loop: loops[j]! };
  }
  return { kind, path, key: keyOf(env, path.node), point: best.point, loop: best.loop, casts: verdict.casts };
}

export const hoistInvariant: Operator = {
  id: "hoist_invariant",
  risk: 0.1,
  byNameOnly: false,
  apply(ctx) {
    const env = new Env(ctx);
    const sites: Site[] = [];
    const problems: string[] = [];
    let sawMath = false;
    const visit = (path: NodePath) => {
      const kind = candidateKind(path);
      if (kind === undefined) return;
      if (kind === "math") {
        if (enclosingLoops(path, ctx.fn).length > 0) sawMath = true;
        return;
      }
      const result = analyse(env, path as NodePath<t.Expression>, kind);
      if (result === undefined) return;
      if ("problem" in result) problems.push(`\`${env.code(path.node, 60)}\` (line ${env.line(path.node)}): ${result.problem}`);
      else sites.push(result);
    };
    ctx.fn.traverse({ RegExpLiteral: visit, NewExpression: visit, CallExpression: visit, OptionalCallExpression: visit });

    // The largest expression wins: `q.trim()` inside a hoisted `q.trim().toLowerCase()` goes with it.
    const bySize = [...sites].sort((a, b) => b.path.node.end! - b.path.node.start! - (a.path.node.end! - a.path.node.start!));
    const kept: Site[] = [];
    for (const s of bySize) if (!kept.some((k) => contains(k.path.node, s.path.node))) kept.push(s);
    kept.sort((a, b) => a.path.node.start! - b.path.node.start!);

    if (kept.length === 0) {
      if (problems.length > 0) return { reason: [...new Set(problems)].join("; ") };
      return { reason: `no regex, \`Object.keys/values/entries\`, string method or \`JSON.stringify\` of a literal inside a loop of the function${sawMath ? " (`Math.*` calls are already cheap and are left alone)" : ""}` };
    }

    const groups: Group[] = [];
    for (const s of kept) {
      const same = groups.find((g) => g.point.node === s.point.node && keyOf(env, g.occurrences[0]!.node) === s.key);
      if (same !== undefined) {
        same.occurrences.push(s.path);
        same.casts.push(...s.casts);
        continue;
      }
      groups.push({ kind: s.kind, name: ctx.freshName(nameHint(s.kind, s.path.node)), text: ctx.text(s.path.node), point: s.point, loop: s.loop, occurrences: [s.path], casts: [...s.casts] });
    }

    const rewrites: Rewrite[] = groups.map((g) => {
      let edits = editsFor(env, [g]);
      if (g.point.kind === "arrow") {
        const span = arrowBodySpan(g.point);
        edits = collapse(env, edits, span.start, span.end);
      }
      return { edits, summary: summaryOf(env, g), ...(g.casts.length > 0 ? { risk: CAST_RISK } : {}) };
    });
    // The engine adds the all-at-once variant when the rewrites do not overlap; a body made a block overlaps, so make it here.
    if (rewrites.length > 1 && overlapping(rewrites)) {
      const risk = groups.some((g) => g.casts.length > 0) ? { risk: CAST_RISK } : {};
      rewrites.push({ edits: editsFor(env, groups), summary: groups.map((g) => summaryOf(env, g)).join("; "), ...risk });
    }
    return { rewrites };
  },
};
