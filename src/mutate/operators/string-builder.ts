import type { Binding, NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { enclosingLoops, isInside, isIterationCallback } from "../loops.js";
import type { FunctionLike, Operator, OperatorContext, Rewrite } from "../types.js";
import { childPath } from "../source.js";

/**
 * string_builder: a string built by `+=` in a loop → its parts collected
 * in an array, joined once after the loop.
 *
 *   let out = "<ul>";                       const outParts: string[] = ["<ul>"];
 *   for (const p of ps) out += `<li>…`;  →  for (const p of ps) outParts.push(`<li>…`);
 *   return out;                             let out = outParts.join("");
 *                                           return out;
 *
 * `out = out + a + b` becomes `outParts.push(a, b)`. Statements between
 * the declaration and the loop may append too (`out += "<ul>"`), and so
 * may several loops in a row: the join comes after the last of them.
 *
 * Preconditions, and why:
 * - Every appended value is certainly a string (a literal, a template, a
 *   concatenation with a string, `String(x)`, a string method on a string,
 *   `toFixed` on a number, `join` on an array, or a value whose TypeScript
 *   type is `string`). `+=` converts with `valueOf` first and writes
 *   "null"/"undefined"; `join` converts with `toString` and writes "" for
 *   them. A value typed `string` that may still be a hole of a sparse
 *   array (`for…of`, `xs[i]`) does not count.
 * - The accumulator is a `let` with one declarator, in a block, whose
 *   initial value is certainly a string: the parts start with it (it is
 *   still evaluated where it was), and the declaration moves after the
 *   loop. Not `var`: it is visible before its declaration and in the whole
 *   function. Not `const`: its `+=` throws, a push would not. Not a
 *   parameter or a variable of an outer function: other code sees those.
 * - Between the declaration and the join, the accumulator is used only by
 *   its own appends, as statements: a read (`out.length`), another
 *   assignment, `out += x` used as a value, would see the unfinished string.
 * - No append runs in a closure other than the callback of an array (or
 *   Set, Map) iteration method: another closure could run after the join,
 *   and the part would be lost. For a callback, cdlc must see that the
 *   receiver is an array (its type or how it is made): a `forEach` of
 *   another kind could keep the callback and call it later.
 * - No function declaration of the block uses the accumulator (it is
 *   hoisted and could run during the loop), nothing uses it before its
 *   declaration, and the function has no direct `eval` or `with`.
 * Abrupt exits are exact without more conditions: the accumulator lives
 * in the block that holds the loop, so after a `return`, a `throw` (even
 * one caught in the node: the `catch` is outside that block), or a `break`
 * out of the block, no code can see it; `yield` and `await` leave no code
 * that can see it either. A `break` of the loop itself goes to the join.
 *
 * Risk 0.1: the proof that a value is a string trusts what TypeScript
 * says (annotations, `as string`, `x!`), which `any` can make wrong. And a
 * string longer than the engine allows makes `+=` throw inside the loop,
 * but `join` only after it.
 */

/** What cdlc sees of a value: its type, and whether it may be `undefined` where the type does not say so (a hole of a sparse array, an index past the end). */
interface Seen {
  type: t.TSType;
  hole: boolean;
}

const STRING_METHODS = new Set([
  "charAt", "concat", "normalize", "padEnd", "padStart", "repeat", "replace", "replaceAll", "slice", "substring", "substr",
  "toLowerCase", "toUpperCase", "toLocaleLowerCase", "toLocaleUpperCase", "toString", "trim", "trimEnd", "trimStart", "trimLeft", "trimRight", "valueOf",
]);
/** On a number they return a string; on a bigint `toFixed` and the like throw, in the original as in the rewrite. */
const NUMBER_METHODS = new Set(["toFixed", "toPrecision", "toExponential", "toString", "toLocaleString"]);
const ARRAY_STRING_METHODS = new Set(["join", "toString", "toLocaleString"]);
/** Global functions that always return a string (or throw). */
const STRING_FUNCTIONS = new Set(["String", "encodeURIComponent", "encodeURI", "decodeURIComponent", "decodeURI", "escape", "unescape"]);
const NUMBER_FUNCTIONS = new Set(["Number", "parseInt", "parseFloat"]);
/** Iteration methods that skip the holes of a sparse array: their callback's element is never a hole. */
const HOLE_SKIPPING = new Set(["forEach", "map", "filter", "some", "every", "flatMap", "reduce", "reduceRight"]);
/** Array methods whose result is an array of the same elements (holes kept, except by `filter`). */
const SAME_ELEMENTS = new Set(["filter", "slice", "concat", "reverse", "sort", "toReversed", "toSorted", "toSpliced"]);
/** Compound assignments whose result is always a number or a bigint. */
const NUMERIC_ASSIGNMENTS = new Set(["-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "|=", "&=", "^="]);
const COLLECTIONS = new Set(["Array", "ReadonlyArray", "Set", "ReadonlySet", "Map", "ReadonlyMap"]);

const line = (node: t.Node): number | undefined => node.loc?.start.line;

/** A builtin global, not shadowed by a binding of the same name. */
function isGlobal(path: NodePath, node: t.Node, name: string): boolean {
  return t.isIdentifier(node, { name }) && path.scope.getBinding(name) === undefined;
}

/** `Object.keys` and the like: `object.member` with a global `object`. */
function globalMember(path: NodePath, node: t.Node): string | undefined {
  if (!t.isMemberExpression(node) || node.computed || !t.isIdentifier(node.object) || !t.isIdentifier(node.property)) return undefined;
  return path.scope.getBinding(node.object.name) === undefined ? `${node.object.name}.${node.property.name}` : undefined;
}

function methodName(callee: t.Node): string | undefined {
  if (!(t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee)) || callee.computed || !t.isIdentifier(callee.property)) return undefined;
  return callee.property.name;
}

/**
 * What cdlc can see of the types and values in a file: TypeScript
 * annotations (with the interfaces and type aliases declared at the top of
 * the file), and values whose kind shows in the code. All of it is
 * conservative: anything it cannot follow is unknown.
 */
class Facts {
  /** Top-level interfaces, type aliases and classes, by name. */
  private readonly types = new Map<string, t.Node[]>();
  /** Type names that may mean something else somewhere (type parameters, local types): never resolved. */
  private readonly ambiguous = new Set<string>();
  /** Array types made here for arrays known to have no holes. */
  private readonly dense = new WeakSet<t.Node>();
  private depth = 0;
  readonly program: NodePath<t.Program>;

  constructor(fn: NodePath<FunctionLike>) {
    this.program = fn.scope.getProgramParent().path as NodePath<t.Program>;
    const top = new Set<t.Node>();
    for (const s of this.program.node.body) {
      const d = t.isExportNamedDeclaration(s) || t.isExportDefaultDeclaration(s) ? s.declaration : s;
      if ((t.isTSInterfaceDeclaration(d) || t.isTSTypeAliasDeclaration(d) || t.isClassDeclaration(d)) && d.id) {
        top.add(d);
        this.types.set(d.id.name, [...(this.types.get(d.id.name) ?? []), d]);
      }
    }
    this.program.traverse({
      TSTypeParameter: (p) => {
        this.ambiguous.add(p.node.name);
      },
      "TSInterfaceDeclaration|TSTypeAliasDeclaration|ClassDeclaration|TSEnumDeclaration|TSModuleDeclaration": (p) => {
        const id = (p.node as { id?: t.Node | null }).id;
        if (!top.has(p.node) && t.isIdentifier(id)) this.ambiguous.add(id.name);
      },
    });
    for (const [name, decls] of this.types) {
      // An interface may be declared more than once (merged); anything else sharing a name is not followed.
      if (decls.length > 1 && !decls.every((d) => t.isTSInterfaceDeclaration(d))) this.ambiguous.add(name);
    }
  }

  private guard<T>(fallback: T, f: () => T): T {
    if (this.depth > 30) return fallback;
    this.depth++;
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  // ---- Types -------------------------------------------------------------

  /** Follows parentheses and type aliases without parameters. */
  resolve(type: t.TSType, n = 0): t.TSType {
    if (n > 20) return type;
    if (t.isTSParenthesizedType(type)) return this.resolve(type.typeAnnotation, n + 1);
    if (t.isTSTypeReference(type) && t.isIdentifier(type.typeName) && !type.typeParameters && !this.ambiguous.has(type.typeName.name)) {
      const decls = this.types.get(type.typeName.name) ?? [];
      const alias = decls.length === 1 ? decls[0] : undefined;
      if (t.isTSTypeAliasDeclaration(alias) && !alias.typeParameters) return this.resolve(alias.typeAnnotation, n + 1);
    }
    return type;
  }

  /** `Array<T>`, `Set<T>`, `Map<K, V>` and their read-only forms, when the name means the builtin. */
  private builtin(type: t.TSType): { name: string; args: t.TSType[] } | undefined {
    if (!t.isTSTypeReference(type) || !t.isIdentifier(type.typeName)) return undefined;
    const name = type.typeName.name;
    if (!COLLECTIONS.has(name) || this.ambiguous.has(name) || this.types.has(name) || this.program.scope.getBinding(name) !== undefined) return undefined;
    return { name, args: type.typeParameters?.params ?? [] };
  }

  isStringType(type: t.TSType, n = 0): boolean {
    const r = this.resolve(type);
    if (n > 20) return false;
    if (t.isTSStringKeyword(r)) return true;
    if (t.isTSLiteralType(r)) return t.isStringLiteral(r.literal) || t.isTemplateLiteral(r.literal);
    if ((r.type as string) === "TSTemplateLiteralType") return true;
    if (t.isTSUnionType(r)) return r.types.every((m) => this.isStringType(m, n + 1));
    // A branded string (`string & { __brand: "Sku" }`) is a string.
    if (t.isTSIntersectionType(r)) return r.types.some((m) => this.isStringType(m, n + 1));
    return false;
  }

  isNumericType(type: t.TSType, n = 0): boolean {
    const r = this.resolve(type);
    if (n > 20) return false;
    if (t.isTSNumberKeyword(r) || t.isTSBigIntKeyword(r)) return true;
    if (t.isTSLiteralType(r)) return t.isNumericLiteral(r.literal) || t.isBigIntLiteral(r.literal) || t.isUnaryExpression(r.literal);
    if (t.isTSUnionType(r)) return r.types.every((m) => this.isNumericType(m, n + 1));
    return false;
  }

  private isNullish(type: t.TSType): boolean {
    const r = this.resolve(type);
    return t.isTSNullKeyword(r) || t.isTSUndefinedKeyword(r) || t.isTSVoidKeyword(r);
  }

  /** The type without `null`, `undefined` and `void`; undefined when nothing is left. */
  stripNullish(type: t.TSType): t.TSType | undefined {
    const r = this.resolve(type);
    if (this.isNullish(r)) return undefined;
    if (!t.isTSUnionType(r)) return r;
    const rest = r.types.flatMap((m) => {
      const s = this.stripNullish(m);
      return s === undefined ? [] : [s];
    });
    if (rest.length === 0) return undefined;
    return rest.length === 1 ? rest[0]! : t.tsUnionType(rest);
  }

  /** The type of an array's elements, and whether the array may have holes. */
  element(type: t.TSType): { type: t.TSType; dense: boolean } | undefined {
    const r = this.resolve(type);
    const dense = this.dense.has(r);
    if (t.isTSArrayType(r)) return { type: r.elementType, dense };
    if (t.isTSTypeOperator(r) && r.operator === "readonly") return this.element(r.typeAnnotation);
    const b = this.builtin(r);
    if (b !== undefined && (b.name === "Array" || b.name === "ReadonlyArray") && b.args.length === 1) return { type: b.args[0]!, dense };
    return undefined;
  }

  /** What `forEach` and `for…of` iterate, for the kinds of collection whose methods cdlc knows. */
  collection(type: t.TSType): "array" | "set" | "map" | undefined {
    const r = this.resolve(type);
    if (this.element(r) !== undefined || t.isTSTupleType(r)) return "array";
    if (t.isTSTypeOperator(r) && r.operator === "readonly" && t.isTSTupleType(r.typeAnnotation)) return "array";
    const b = this.builtin(r);
    if (b?.name === "Set" || b?.name === "ReadonlySet") return "set";
    if (b?.name === "Map" || b?.name === "ReadonlyMap") return "map";
    return undefined;
  }

  private collectionArgs(type: t.TSType): t.TSType[] {
    return this.builtin(this.resolve(type))?.args ?? [];
  }

  denseArrayOf(element: t.TSType): t.TSType {
    const type = t.tsArrayType(element);
    this.dense.add(type);
    return type;
  }

  /** The members of an object type: a type literal, an interface (with what it extends) or a class of this file. */
  private members(type: t.TSType, n = 0): t.Node[] | undefined {
    const r = this.resolve(type);
    if (n > 10) return undefined;
    if (t.isTSTypeLiteral(r)) return r.members;
    if (!t.isTSTypeReference(r) || !t.isIdentifier(r.typeName) || r.typeParameters || this.ambiguous.has(r.typeName.name)) return undefined;
    const decls = this.types.get(r.typeName.name);
    if (decls === undefined) return undefined;
    const out: t.Node[] = [];
    for (const d of decls) {
      if (t.isClassDeclaration(d)) {
        if (d.typeParameters || d.superClass) return undefined;
        for (const m of d.body.body) {
          if (t.isClassProperty(m) && !m.static) out.push(m);
          if (t.isClassMethod(m) && m.kind === "constructor") out.push(...m.params.filter((p) => t.isTSParameterProperty(p)));
          else if (t.isClassMethod(m) && !m.static) out.push(m);
        }
        continue;
      }
      if (!t.isTSInterfaceDeclaration(d) || d.typeParameters) return undefined;
      out.push(...d.body.body);
      for (const h of d.extends ?? []) {
        if (!t.isIdentifier(h.expression) || h.typeParameters) return undefined;
        const inherited = this.members(t.tsTypeReference(t.identifier(h.expression.name)), n + 1);
        if (inherited === undefined) return undefined;
        out.push(...inherited);
      }
    }
    return out;
  }

  /** The declared type of property `name` (with `undefined` when it is optional), when it is a plain property. */
  property(type: t.TSType, name: string): t.TSType | undefined {
    const r = this.resolve(type);
    if (t.isTSIntersectionType(r)) {
      const found = r.types.map((m) => this.property(m, name)).filter((p) => p !== undefined);
      return found.length === 1 ? found[0] : undefined;
    }
    const members = this.members(r);
    if (members === undefined) return undefined;
    for (const m of members) {
      if (t.isTSParameterProperty(m)) {
        const p = m.parameter;
        if (t.isIdentifier(p) && p.name === name) return p.typeAnnotation && t.isTSTypeAnnotation(p.typeAnnotation) ? withUndefined(p.typeAnnotation.typeAnnotation, p.optional === true) : undefined;
        continue;
      }
      const key = (m as { key?: t.Node }).key;
      const computed = (m as { computed?: boolean }).computed === true;
      const named = !computed && (t.isIdentifier(key, { name }) || t.isStringLiteral(key, { value: name }));
      if (!named) continue;
      // Getters and methods could return anything at each call: only plain properties count.
      if (!(t.isTSPropertySignature(m) || t.isClassProperty(m))) return undefined;
      const annotation = m.typeAnnotation;
      if (!annotation || !t.isTSTypeAnnotation(annotation)) return undefined;
      return withUndefined(annotation.typeAnnotation, m.optional === true);
    }
    return undefined;
  }

  // ---- Values ------------------------------------------------------------

  /** Whether the expression's value is certainly a string (or evaluating it throws). */
  isString(path: NodePath): boolean {
    return this.guard(false, () => this.isStringNow(path));
  }

  private isStringNow(path: NodePath): boolean {
    const node = path.node;
    if (t.isStringLiteral(node) || t.isTemplateLiteral(node)) return true;
    if (t.isTaggedTemplateExpression(node)) return globalMember(path, node.tag) === "String.raw";
    if (t.isUnaryExpression(node, { operator: "typeof" })) return true;
    if (t.isBinaryExpression(node, { operator: "+" })) return this.isString(childPath(path, "left")) || this.isString(childPath(path, "right"));
    if (path.isConditionalExpression()) return this.isString(path.get("consequent")) && this.isString(path.get("alternate"));
    if (path.isLogicalExpression()) {
      const left = path.get("left");
      const right = path.get("right");
      if (!this.isString(right)) return false;
      if (this.isString(left)) return true;
      // `name ?? ""`, `name || ""`: a nullish (or empty) left gives way to the right.
      if (path.node.operator === "&&") return false;
      const seen = this.typeOf(left);
      const rest = seen === undefined ? undefined : this.stripNullish(seen.type);
      return rest !== undefined && this.isStringType(rest);
    }
    if (path.isSequenceExpression()) {
      const last = path.get("expressions").at(-1);
      return last !== undefined && this.isString(last);
    }
    if (path.isTSAsExpression() || path.isTSTypeAssertion()) return this.isStringType(path.node.typeAnnotation) || this.isString(childPath(path, "expression"));
    if (path.isTSSatisfiesExpression()) return this.isString(path.get("expression"));
    if (path.isTSNonNullExpression()) {
      if (this.isString(path.get("expression"))) return true;
    }
    if (path.isCallExpression()) {
      const callee = path.get("callee");
      const name = globalMember(path, callee.node);
      if (name === "String.fromCharCode" || name === "String.fromCodePoint") return true;
      if (t.isIdentifier(callee.node) && STRING_FUNCTIONS.has(callee.node.name) && isGlobal(path, callee.node, callee.node.name)) return true;
      const method = methodName(callee.node);
      if (method !== undefined && callee.isMemberExpression()) {
        const receiver = callee.get("object");
        if (STRING_METHODS.has(method) && this.isReceiver(receiver, (type) => this.isStringType(type), (p) => this.isString(p))) return true;
        if (NUMBER_METHODS.has(method) && this.isReceiver(receiver, (type) => this.isNumericType(type), (p) => this.isNumeric(p))) return true;
        if (ARRAY_STRING_METHODS.has(method) && this.kindOf(receiver) === "array") return true;
      }
    }
    const seen = this.typeOf(path);
    return seen !== undefined && !seen.hole && this.isStringType(seen.type);
  }

  /** A method's receiver: `null`, `undefined` or a hole make the call throw, in the original as in the rewrite, so only the other values count. */
  private isReceiver(path: NodePath, ofType: (type: t.TSType) => boolean, proven: (path: NodePath) => boolean): boolean {
    if (proven(path)) return true;
    const seen = this.typeOf(path);
    const type = seen === undefined ? undefined : this.stripNullish(seen.type);
    return type !== undefined && ofType(type);
  }

  /** Whether the expression's value is certainly a number or a bigint (or evaluating it throws). */
  isNumeric(path: NodePath): boolean {
    return this.guard(false, () => {
      const node = path.node;
      if (t.isNumericLiteral(node) || t.isBigIntLiteral(node) || t.isUpdateExpression(node)) return true;
      if (t.isUnaryExpression(node)) return node.operator === "-" || node.operator === "+" || node.operator === "~";
      if (t.isBinaryExpression(node)) {
        if (["-", "*", "/", "%", "**", "|", "&", "^", "<<", ">>", ">>>"].includes(node.operator)) return true;
        return node.operator === "+" && this.isNumeric(childPath(path, "left")) && this.isNumeric(childPath(path, "right"));
      }
      if (path.isTSAsExpression() || path.isTSTypeAssertion()) return this.isNumericType(path.node.typeAnnotation) || this.isNumeric(childPath(path, "expression"));
      if (path.isTSSatisfiesExpression() || path.isTSNonNullExpression()) return this.isNumeric(childPath(path, "expression"));
      if (path.isCallExpression()) {
        const callee = path.node.callee;
        if (t.isIdentifier(callee) && NUMBER_FUNCTIONS.has(callee.name) && isGlobal(path, callee, callee.name)) return true;
        const name = globalMember(path, callee);
        if (name !== undefined && (name.startsWith("Math.") || name === "Date.now")) return true;
      }
      const seen = this.typeOf(path);
      return seen !== undefined && !seen.hole && this.isNumericType(seen.type);
    });
  }

  /** Whether the value is a builtin array, Set or Map (whose iteration methods call their callback right away). */
  kindOf(path: NodePath): "array" | "set" | "map" | undefined {
    const seen = this.typeOf(path);
    if (seen === undefined) return undefined;
    const type = this.stripNullish(seen.type);
    return type === undefined ? undefined : this.collection(type);
  }

  /** The type of an expression as cdlc sees it, or undefined. */
  typeOf(path: NodePath): Seen | undefined {
    return this.guard(undefined, () => this.typeOfNow(path));
  }

  private typeOfNow(path: NodePath): Seen | undefined {
    const node = path.node;
    if (this.isStringLike(node)) return { type: t.tsStringKeyword(), hole: false };
    if (path.isIdentifier()) return this.typeOfBinding(path);
    if (path.isTSAsExpression() || path.isTSTypeAssertion()) {
      const annotation = path.node.typeAnnotation;
      // `x as const` says nothing cdlc can read: look at `x`.
      if (t.isTSTypeReference(annotation) && t.isIdentifier(annotation.typeName, { name: "const" })) return this.typeOf(childPath(path, "expression"));
      return { type: annotation, hole: false };
    }
    if (path.isTSSatisfiesExpression()) return this.typeOf(path.get("expression"));
    if (path.isTSNonNullExpression()) {
      // The user asserts that the value is neither null nor undefined.
      const inner = this.typeOf(path.get("expression"));
      const type = inner === undefined ? undefined : this.stripNullish(inner.type);
      return type === undefined ? undefined : { type, hole: false };
    }
    if (path.isArrayExpression()) {
      const elements = path.get("elements");
      const strings = elements.every((e) => e.node !== null && !e.isSpreadElement() && this.isString(e as NodePath));
      if (strings && elements.length > 0) return { type: this.denseArrayOf(t.tsStringKeyword()), hole: false };
      return { type: t.tsArrayType(t.tsUnknownKeyword()), hole: false };
    }
    if (path.isNewExpression() && t.isIdentifier(path.node.callee) && isGlobal(path, path.node.callee, path.node.callee.name)) {
      const name = path.node.callee.name;
      if (name === "Set" || name === "Map") return { type: t.tsTypeReference(t.identifier(name)), hole: false };
      if (name === "Array") return { type: t.tsArrayType(t.tsUnknownKeyword()), hole: false };
      return undefined;
    }
    if (path.isMemberExpression() || path.isOptionalMemberExpression()) return this.typeOfMember(path as NodePath<t.MemberExpression | t.OptionalMemberExpression>);
    if (path.isCallExpression()) return this.typeOfCall(path);
    return undefined;
  }

  private isStringLike(node: t.Node): boolean {
    return t.isStringLiteral(node) || t.isTemplateLiteral(node);
  }

  private typeOfMember(path: NodePath<t.MemberExpression | t.OptionalMemberExpression>): Seen | undefined {
    const node = path.node;
    // In an optional chain, every link may be cut short to `undefined`.
    const optional = t.isOptionalMemberExpression(node);
    const result = (type: t.TSType | undefined, hole = false): Seen | undefined => (type === undefined ? undefined : { type: withUndefined(type, optional), hole });
    const objectPath = childPath(path, "object");
    if (node.computed) {
      const object = this.typeOf(objectPath);
      const base = object === undefined ? undefined : this.stripNullish(object.type);
      if (base === undefined) return undefined;
      // An index may be past the end, or a hole: `undefined` whatever the type says.
      if (this.isStringType(base)) return result(t.tsStringKeyword(), true);
      return result(this.element(base)?.type, true);
    }
    if (!t.isIdentifier(node.property)) return undefined;
    const name = node.property.name;
    if (t.isThisExpression(node.object)) return result(this.thisProperty(path, name));
    const object = this.typeOf(objectPath);
    // A nullish object makes the read throw, in the original as in the rewrite: only the other values matter.
    const base = object === undefined ? undefined : this.stripNullish(object.type);
    if (base === undefined) return undefined;
    if (name === "length" && (this.isStringType(base) || this.collection(base) === "array")) return result(t.tsNumberKeyword());
    if (name === "size" && (this.collection(base) === "set" || this.collection(base) === "map")) return result(t.tsNumberKeyword());
    return result(this.property(base, name));
  }

  /** `this.name` in a method of a class of this file: the property's declared type. */
  private thisProperty(path: NodePath, name: string): t.TSType | undefined {
    let fn: NodePath | null = path.getFunctionParent();
    while (fn !== null && fn.isArrowFunctionExpression()) fn = fn.parentPath?.getFunctionParent() ?? null;
    if (fn === null || !(fn.isClassMethod() || fn.isClassPrivateMethod()) || fn.node.static) return undefined;
    const cls = fn.parentPath?.parentPath;
    if (!cls || !(cls.isClassDeclaration() || cls.isClassExpression()) || cls.node.superClass || cls.node.typeParameters) return undefined;
    for (const m of cls.node.body.body) {
      if (t.isClassProperty(m) && !m.static && !m.computed && t.isIdentifier(m.key, { name })) {
        return m.typeAnnotation && t.isTSTypeAnnotation(m.typeAnnotation) ? withUndefined(m.typeAnnotation.typeAnnotation, m.optional === true) : undefined;
      }
      if (t.isClassMethod(m) && m.kind === "constructor") {
        for (const p of m.params) {
          if (t.isTSParameterProperty(p) && t.isIdentifier(p.parameter, { name })) {
            const a = p.parameter.typeAnnotation;
            return a && t.isTSTypeAnnotation(a) ? withUndefined(a.typeAnnotation, p.parameter.optional === true) : undefined;
          }
        }
      }
    }
    return undefined;
  }

  private typeOfCall(path: NodePath<t.CallExpression>): Seen | undefined {
    const callee = path.get("callee");
    const name = globalMember(path, callee.node);
    if (name === "Object.keys") return { type: this.denseArrayOf(t.tsStringKeyword()), hole: false };
    if (name === "Object.entries") return { type: this.denseArrayOf(t.tsTupleType([t.tsStringKeyword(), t.tsUnknownKeyword()])), hole: false };
    if (name === "Object.values" || name === "Array.from" || name === "Array.of") return { type: this.denseArrayOf(t.tsUnknownKeyword()), hole: false };
    const method = methodName(callee.node);
    if (method !== undefined && callee.isMemberExpression()) {
      const receiver = callee.get("object");
      if (method === "split" && this.isString(receiver)) return { type: this.denseArrayOf(t.tsStringKeyword()), hole: false };
      if (SAME_ELEMENTS.has(method) || method === "map" || method === "flatMap") {
        const seen = this.typeOf(receiver);
        const base = seen === undefined ? undefined : this.stripNullish(seen.type);
        const element = base === undefined ? undefined : this.element(base);
        if (element === undefined) return undefined;
        if (method === "filter") return { type: this.denseArrayOf(element.type), hole: false };
        if (SAME_ELEMENTS.has(method)) return { type: element.dense ? this.denseArrayOf(element.type) : t.tsArrayType(element.type), hole: false };
        return { type: t.tsArrayType(t.tsUnknownKeyword()), hole: false };
      }
      return undefined;
    }
    // A function of this file with a declared return type.
    if (!callee.isIdentifier()) return undefined;
    const binding = path.scope.getBinding(callee.node.name);
    if (binding === undefined || !binding.constant) return undefined;
    let fn: t.Node | null | undefined = binding.path.node;
    if (t.isVariableDeclarator(fn) && binding.kind === "const") fn = fn.init;
    if (!(t.isFunctionDeclaration(fn) || t.isArrowFunctionExpression(fn) || t.isFunctionExpression(fn)) || fn.async || fn.generator) return undefined;
    const returns = fn.returnType;
    return returns && t.isTSTypeAnnotation(returns) ? { type: returns.typeAnnotation, hole: false } : undefined;
  }

  private typeOfBinding(path: NodePath<t.Identifier>): Seen | undefined {
    const binding = path.scope.getBinding(path.node.name);
    if (binding === undefined) return undefined;
    const target = binding.identifier;
    if (binding.kind === "param") {
      const param = binding.path;
      const fn = param.parentPath;
      if (fn === null || !fn.isFunction()) return undefined;
      const own = annotationOf(param.node);
      if (own !== undefined) return this.inPattern(param.node, { type: own, hole: false }, target);
      // A callback's parameter takes its type from the collection it iterates.
      const index = (fn.node.params as t.Node[]).indexOf(param.node);
      const given = this.callbackParameter(fn, index);
      return given === undefined ? undefined : this.inPattern(param.node, given, target);
    }
    // A `var` can be read before its declaration runs (`undefined`): only `let` and `const` are followed.
    if (binding.kind !== "let" && binding.kind !== "const") return undefined;
    const declarator = binding.path;
    if (!declarator.isVariableDeclarator()) return undefined;
    const declaration = declarator.parentPath;
    const head = declaration?.parentPath;
    if (head && (head.isForOfStatement() || head.isForInStatement()) && head.node.left === declaration?.node) {
      if (binding.kind !== "const" && !binding.constant) return undefined;
      if (head.isForInStatement()) return t.isIdentifier(declarator.node.id) ? { type: t.tsStringKeyword(), hole: false } : undefined;
      if ((head.node as t.ForOfStatement).await) return undefined;
      const element = this.iterated(childPath(head, "right"));
      return element === undefined ? undefined : this.inPattern(declarator.node.id, element, target);
    }
    const annotation = annotationOf(declarator.node.id);
    if (annotation !== undefined) return this.inPattern(declarator.node.id, { type: annotation, hole: false }, target);
    const init = declarator.get("init");
    if (!init.node) return undefined;
    const initPath = init as NodePath<t.Expression>;
    if (!binding.constant) {
      if (binding.kind !== "let" || !t.isIdentifier(declarator.node.id)) return undefined;
      // A `let` that starts as a string and is only ever appended to stays a string.
      if (binding.constantViolations.every((v) => appendAt(v, binding) !== undefined) && this.isString(initPath)) return { type: t.tsStringKeyword(), hole: false };
      // A counter that starts as a number and is only stepped (`i++`, `i -= 2`, `i += 1`) stays a number (or a bigint).
      const stepped = (v: NodePath) =>
        v.isUpdateExpression() || (v.isAssignmentExpression() && (NUMERIC_ASSIGNMENTS.has(v.node.operator) || (v.node.operator === "+=" && this.isNumeric(v.get("right")))));
      if (binding.constantViolations.every(stepped) && this.isNumeric(initPath)) return { type: t.tsNumberKeyword(), hole: false };
      return undefined;
    }
    if (t.isIdentifier(declarator.node.id)) {
      if (this.isString(initPath)) return { type: t.tsStringKeyword(), hole: false };
      if (this.isNumeric(initPath)) return { type: t.tsNumberKeyword(), hole: false };
    }
    const seen = this.typeOf(initPath);
    return seen === undefined ? undefined : this.inPattern(declarator.node.id, seen, target);
  }

  /** The element of `for (… of right)`. */
  private iterated(right: NodePath): Seen | undefined {
    if (this.isString(right)) return { type: t.tsStringKeyword(), hole: false };
    const seen = this.typeOf(right);
    const type = seen === undefined ? undefined : this.stripNullish(seen.type);
    if (type === undefined) return undefined;
    if (this.isStringType(type)) return { type: t.tsStringKeyword(), hole: false };
    const element = this.element(type);
    // `for…of` gives `undefined` for a hole.
    if (element !== undefined) return { type: element.type, hole: !element.dense };
    const kind = this.collection(type);
    const args = this.collectionArgs(type);
    if (kind === "set" && args.length === 1) return { type: args[0]!, hole: false };
    if (kind === "map" && args.length === 2) return { type: t.tsTupleType([args[0]!, args[1]!]), hole: false };
    return undefined;
  }

  /** The type of a callback's parameter from the collection whose iteration method calls it. */
  private callbackParameter(fn: NodePath<t.Function>, index: number): Seen | undefined {
    if (!isIterationCallback(fn)) return undefined;
    const call = fn.parentPath as NodePath<t.CallExpression>;
    const callee = call.get("callee") as NodePath<t.MemberExpression>;
    const method = methodName(callee.node)!;
    const seen = this.typeOf(callee.get("object"));
    const type = seen === undefined ? undefined : this.stripNullish(seen.type);
    if (type === undefined) return undefined;
    const kind = this.collection(type);
    const args = this.collectionArgs(type);
    if (kind === "set" && method === "forEach" && args.length === 1 && index <= 1) return { type: args[0]!, hole: false };
    if (kind === "map" && method === "forEach" && args.length === 2 && index <= 1) return { type: args[index === 0 ? 1 : 0]!, hole: false };
    const element = this.element(type);
    if (element === undefined) return undefined;
    const reduce = method === "reduce" || method === "reduceRight";
    if (index === (reduce ? 1 : 0)) return { type: element.type, hole: !HOLE_SKIPPING.has(method) && !element.dense };
    if (index === (reduce ? 2 : 1)) return { type: t.tsNumberKeyword(), hole: false };
    return undefined;
  }

  /** The type of `target` inside a pattern whose whole value has type `whole`. */
  private inPattern(pattern: t.Node, whole: Seen, target: t.Identifier): Seen | undefined {
    if (pattern === target) return whole;
    if (t.isTSParameterProperty(pattern)) return this.inPattern(pattern.parameter, whole, target);
    if (t.isAssignmentPattern(pattern)) {
      // The default replaces `undefined`: without `undefined` in the type (nor holes) it never applies.
      if (this.stripNullish(whole.type) !== undefined && !whole.hole && !mayBeUndefined(this, whole.type)) return this.inPattern(pattern.left, whole, target);
      return undefined;
    }
    // Destructuring `undefined` throws, in the original as in the rewrite: holes no longer matter below.
    if (t.isObjectPattern(pattern)) {
      for (const p of pattern.properties) {
        if (!t.isObjectProperty(p) || !containsNode(p.value, target)) continue;
        if (p.computed || !(t.isIdentifier(p.key) || t.isStringLiteral(p.key))) return undefined;
        const base = this.stripNullish(whole.type);
        const type = base === undefined ? undefined : this.property(base, t.isIdentifier(p.key) ? p.key.name : p.key.value);
        return type === undefined ? undefined : this.inPattern(p.value, { type, hole: false }, target);
      }
      return undefined;
    }
    if (t.isArrayPattern(pattern)) {
      const base = this.stripNullish(whole.type);
      if (base === undefined) return undefined;
      const r = this.resolve(base);
      const tuple = t.isTSTupleType(r) ? r : t.isTSTypeOperator(r) && t.isTSTupleType(r.typeAnnotation) ? r.typeAnnotation : undefined;
      for (const [i, e] of pattern.elements.entries()) {
        if (e === null || !containsNode(e, target)) continue;
        if (t.isRestElement(e)) return undefined;
        if (tuple !== undefined) {
          const member = tuple.elementTypes[i];
          if (member === undefined || t.isTSNamedTupleMember(member) || t.isTSOptionalType(member) || t.isTSRestType(member)) return undefined;
          return this.inPattern(e, { type: member, hole: false }, target);
        }
        const element = this.element(base);
        // An array may be shorter than the pattern: the element may be `undefined`.
        return element === undefined ? undefined : this.inPattern(e, { type: element.type, hole: true }, target);
      }
    }
    return undefined;
  }
}

function withUndefined(type: t.TSType, optional: boolean): t.TSType {
  return optional ? t.tsUnionType([type, t.tsUndefinedKeyword()]) : type;
}

function mayBeUndefined(facts: Facts, type: t.TSType): boolean {
  const r = facts.resolve(type);
  if (t.isTSUndefinedKeyword(r) || t.isTSVoidKeyword(r) || t.isTSAnyKeyword(r) || t.isTSUnknownKeyword(r)) return true;
  return t.isTSUnionType(r) && r.types.some((m) => mayBeUndefined(facts, m));
}

function annotationOf(node: t.Node): t.TSType | undefined {
  if (t.isAssignmentPattern(node)) return annotationOf(node.left);
  if (t.isTSParameterProperty(node)) return annotationOf(node.parameter);
  const a = (node as { typeAnnotation?: t.Node | null }).typeAnnotation;
  if (!a || !t.isTSTypeAnnotation(a)) return undefined;
  return withUndefined(a.typeAnnotation, (node as { optional?: boolean | null }).optional === true);
}

function containsNode(outer: t.Node, inner: t.Node): boolean {
  return inner.start! >= outer.start! && inner.end! <= outer.end!;
}

// ---- Appends ---------------------------------------------------------------

/** An append to the accumulator: `out += x`, or `out = out + a + b`. */
interface Append {
  path: NodePath<t.AssignmentExpression>;
  /** The appended values, in order. */
  values: NodePath[];
  /** The accumulator's own identifier read by `out = out + …` (not a read of the unfinished string elsewhere). */
  own?: t.Node;
}

function appendAt(path: NodePath, binding: Binding): Append | undefined {
  if (!path.isAssignmentExpression()) return undefined;
  const { operator, left } = path.node;
  const name = binding.identifier.name;
  if (!t.isIdentifier(left, { name })) return undefined;
  if (operator === "+=") return { path, values: [path.get("right")] };
  if (operator !== "=") return undefined;
  // `out = out + a + b` is `((out + a) + b)`: down the left side of the `+`.
  const values: NodePath[] = [];
  let at: NodePath = path.get("right");
  while (at.isBinaryExpression({ operator: "+" })) {
    values.unshift(at.get("right"));
    at = childPath(at, "left");
  }
  if (values.length === 0 || !at.isIdentifier({ name }) || at.scope.getBinding(name) !== binding) return undefined;
  return { path, values, own: at.node };
}

/** Whether a loop (or an iteration callback) lies between `path` and `outer`, closures crossed: the append repeats. */
function inLoopWithin(path: NodePath, outer: NodePath): boolean {
  for (let p = path.parentPath; p !== null && p.node !== outer.node; p = p.parentPath) {
    if (p.isLoop() || isIterationCallback(p)) return true;
  }
  return false;
}

/** The call whose literal callback `fn` is, with the method's name. */
function iterationCall(fn: NodePath): { receiver: NodePath; method: string } | undefined {
  if (!isIterationCallback(fn)) return undefined;
  const callee = (fn.parentPath as NodePath<t.CallExpression>).get("callee") as NodePath<t.MemberExpression>;
  return { receiver: callee.get("object"), method: methodName(callee.node)! };
}

/** Why running code at `path` is not "now, in the block" (a closure, a field initialiser), or undefined. */
function deferral(path: NodePath, block: NodePath, facts: Facts, ctx: OperatorContext, name: string): string | undefined {
  for (let p = path.parentPath; p !== null && p.node !== block.node; p = p.parentPath) {
    if (p.isClassProperty() || p.isClassPrivateProperty() || p.isClassAccessorProperty()) {
      return `\`${name}\` is used in a class field initialiser (line ${line(p.node)}), which runs whenever the class is instantiated`;
    }
    if (!p.isFunction()) continue;
    const call = iterationCall(p);
    if (call === undefined) return `\`${name}\` is used in a closure (line ${line(p.node)}) that could run after the parts are joined`;
    const kind = facts.kindOf(call.receiver);
    if (kind === undefined || (kind !== "array" && call.method !== "forEach")) {
      return `cdlc cannot see that \`${ctx.text(call.receiver.node)}\` is an array (or a Set, a Map): its \`${call.method}\` (line ${line(p.node)}) could keep the callback and call it after the parts are joined`;
    }
  }
  return undefined;
}

/** Where the append can be replaced by a call: a statement, or the body of a `forEach` arrow (whose result is ignored). */
function inStatementPosition(append: Append): boolean {
  const parent = append.path.parentPath;
  if (parent.isExpressionStatement()) return true;
  if (parent.isArrowFunctionExpression() && parent.node.body === append.path.node && !parent.node.returnType) return iterationCall(parent)?.method === "forEach";
  return false;
}

function whyNotString(value: NodePath, facts: Facts, ctx: OperatorContext): string {
  const code = `\`${ctx.text(value.node)}\``;
  const typeText = (type: t.TSType) => (type.start != null && type.end != null ? ctx.text(type) : ctx.print(type));
  if (facts.isNumeric(value)) return `${code} is a number, not a string (cdlc only moves values it can prove are strings into the parts)`;
  const seen = facts.typeOf(value);
  const node = value.node;
  if (seen === undefined && (t.isMemberExpression(node) || t.isOptionalMemberExpression(node)) && !node.computed && t.isIdentifier(node.property)) {
    const object = facts.typeOf(childPath(value, "object"));
    if (object !== undefined) return `cdlc cannot see the type of property \`${node.property.name}\` of \`${typeText(object.type)}\` (declared in another file, a getter or not a plain property), so it cannot prove that ${code} is a string`;
  }
  if (seen === undefined) return `cdlc cannot prove that ${code} is a string (\`null\` would become "" instead of "null", and an object would be converted with \`toString\` instead of \`valueOf\`)`;
  if (facts.isStringType(seen.type)) return `${code} may be \`undefined\` (a hole of a sparse array, or an index past its end): \`+=\` appends "undefined", \`join\` appends ""`;
  const rest = facts.stripNullish(seen.type);
  if (rest !== undefined && facts.isStringType(rest)) return `${code} may be null or undefined (\`${typeText(seen.type)}\`): \`+=\` appends "null" or "undefined", \`join\` appends ""`;
  if (facts.isNumericType(seen.type)) return `${code} is a number (\`${typeText(seen.type)}\`), not a string`;
  return `${code} has type \`${typeText(seen.type)}\`, not \`string\``;
}

/** The top-level statement of `block` that contains `path` (its index), or -1. */
function statementIndex(path: NodePath, block: NodePath<t.BlockStatement>): number {
  for (let p: NodePath | null = path; p !== null; p = p.parentPath) {
    if (p.parentPath?.node === block.node && p.listKey === "body") return p.key as number;
  }
  return -1;
}

type Outcome = Rewrite | { reason: string } | undefined;

/** The rewrite of one accumulator, why it cannot be made, or undefined when it is not built in a loop at all. */
function rewriteAccumulator(binding: Binding, ctx: OperatorContext, facts: Facts, isTs: boolean): Outcome {
  const name = binding.identifier.name;
  const declarator = binding.path;
  const where = `\`${name}\` (line ${line(binding.identifier)})`;
  if (!isInside(binding.path, ctx.fn)) return { reason: `${where} is declared outside the function: other code can read it at any time` };
  if (binding.kind === "var") return { reason: `${where} is declared with \`var\`: it is visible in the whole function, before its declaration too, so cdlc does not move it` };
  if (binding.kind === "param") return { reason: `${where} is a parameter: the rewrite needs the \`let\` that starts the string` };
  if (binding.kind !== "let" || !declarator.isVariableDeclarator()) return { reason: `${where} is not declared with \`let\`` };
  if (!t.isIdentifier(declarator.node.id)) return { reason: `${where} is declared by destructuring` };
  const declaration = declarator.parentPath as NodePath<t.VariableDeclaration>;
  const block = declaration.parentPath;
  if (!block.isBlockStatement()) return { reason: `${where} is not declared in a block (the join must go right after the loop, in the same block)` };
  if (declaration.node.declarations.length !== 1) return { reason: `${where} is declared together with other variables` };
  const init = declarator.get("init");
  if (!init.node) return { reason: `${where} has no initial value` };
  if (!facts.isString(init as NodePath)) return { reason: `${where} starts as \`${ctx.text(init.node)}\`, which cdlc cannot prove is a string` };

  const at = declaration.key as number;
  const appends = new Map<t.Node, Append>();
  const own = new Set<t.Node>();
  for (const v of binding.constantViolations) {
    const a = appendAt(v, binding);
    if (a === undefined) continue;
    appends.set(v.node, a);
    if (a.own) own.add(a.own);
  }
  const uses = [...binding.referencePaths.filter((r) => !own.has(r.node)), ...binding.constantViolations].sort((a, b) => a.node.start! - b.node.start!);

  // Uses that could run while the parts are being collected, wherever they are.
  for (const use of uses) {
    const index = statementIndex(use, block);
    if (index >= 0 && block.node.body[index]!.type === "FunctionDeclaration") {
      const fn = block.node.body[index] as t.FunctionDeclaration;
      return { reason: `\`${name}\` is used in function \`${fn.id?.name ?? "default"}\` (line ${line(use.node)}), which is hoisted and could run while the parts are being collected` };
    }
    if (index >= 0 && index < at) return { reason: `\`${name}\` is used at line ${line(use.node)}, before its declaration` };
  }

  // The statements after the declaration that only append, up to the first that does something else with it.
  const problem = (use: NodePath): string | undefined => {
    const append = appends.get(use.node);
    if (append === undefined) {
      if (binding.constantViolations.includes(use)) return `\`${name}\` is changed other than by appending (\`${ctx.text(use.node)}\`, line ${line(use.node)})`;
      const shown = use.parentPath?.isMemberExpression() && use.parentPath.node.object === use.node ? use.parentPath.node : use.node;
      const closure = deferral(use, block, facts, ctx, name);
      if (closure !== undefined && closure.includes("closure")) return `\`${name}\` is captured by a closure (line ${line(use.node)}) that could read it before the parts are joined`;
      const looped = enclosingLoops(use, ctx.fn).some((l) => isInside(l.path, block));
      const read = `(\`${ctx.text(shown)}\`, line ${line(use.node)})`;
      if (looped) return `\`${name}\` is read inside the loop ${read}: the parts are joined only after the loop`;
      const index = statementIndex(use, block);
      const earlier = [...appends.values()].find((a) => statementIndex(a.path, block) === index && a.path.node.start! < use.node.start!);
      if (earlier !== undefined) return `\`${name}\` is read ${read} in the same statement as the loop that appends to it (line ${line(block.node.body[index]!)}): cdlc joins the parts only after a whole statement of the block that declares \`${name}\``;
      return `\`${name}\` is read before the loop that appends to it ${read}`;
    }
    const code = `\`${ctx.text(append.path.node)}\` (line ${line(append.path.node)})`;
    if (!inStatementPosition(append)) return `${code} uses the new string as a value`;
    const deferred = deferral(append.path, block, facts, ctx, name);
    if (deferred !== undefined) return deferred;
    for (const value of append.values) if (!facts.isString(value)) return `${code}: ${whyNotString(value, facts, ctx)}`;
    return undefined;
  };
  const body = block.get("body");
  const taken: Append[] = [];
  let last = -1;
  let looped = false;
  let stop: string | undefined;
  for (let i = at + 1; i < body.length && stop === undefined; i++) {
    const here = uses.filter((u) => statementIndex(u, block) === i);
    for (const use of here) {
      stop = problem(use);
      if (stop !== undefined) break;
    }
    if (stop !== undefined || here.length === 0) continue;
    for (const use of here) {
      const append = appends.get(use.node)!;
      taken.push(append);
      if (enclosingLoops(append.path, ctx.fn).some((l) => isInside(l.path, body[i]!))) looped = true;
    }
    last = i;
  }
  if (!looped) {
    // Appends only in straight-line code (or in a loop around the whole block) are not this operator's business.
    const inLoop = [...appends.values()].some((a) => statementIndex(a.path, block) > at && inLoopWithin(a.path, block));
    return inLoop ? { reason: stop ?? `${where} is not built in a loop` } : undefined;
  }

  // The edits: the declaration becomes the parts, each append a push, and the string is joined after the last statement that appends.
  const parts = ctx.freshName(`${name}Parts`);
  const src = ctx.source;
  const semi = src[declaration.node.end! - 1] === ";" ? ";" : "";
  const initNode = init.node;
  const empty = (t.isStringLiteral(initNode) && initNode.value === "") || (t.isTemplateLiteral(initNode) && initNode.expressions.length === 0 && initNode.quasis.every((q) => q.value.cooked === ""));
  const wrap = (n: t.Node) => (n.extra?.parenthesized === true || t.isSequenceExpression(n) ? `(${ctx.text(n)})` : ctx.text(n));
  const edits = [{ start: declaration.node.start!, end: declaration.node.end!, text: `const ${parts}${isTs ? ": string[]" : ""} = [${empty ? "" : wrap(initNode)}]${semi}` }];
  for (const a of taken) edits.push({ start: a.path.node.start!, end: a.path.node.end!, text: `${parts}.push(${a.values.map((v) => wrap(v.node)).join(", ")})` });
  const end = body[last]!.node;
  const lineStart = src.lastIndexOf("\n", declaration.node.start! - 1) + 1;
  const indent = src.slice(lineStart, declaration.node.start!);
  const joined = `let ${ctx.text(declarator.node.id)} = ${parts}.join("")`;
  if (/^[ \t]*$/.test(indent)) {
    const eol = src.includes("\r\n") ? "\r\n" : "\n";
    const nl = src.indexOf("\n", end.end!);
    const rest = src.slice(end.end!, nl < 0 ? src.length : nl).replace(/\r$/, "");
    // After a comment that ends the line, not before it.
    const insertAt = /^[ \t]*(\/\/.*)?$/.test(rest) ? end.end! + rest.length : end.end!;
    edits.push({ start: insertAt, end: insertAt, text: `${eol}${indent}${joined}${semi}` });
  } else {
    edits.push({ start: end.end!, end: end.end!, text: ` ${joined};` });
  }
  const sites = taken.map((a) => line(a.path.node)).filter((l, i, all) => all.indexOf(l) === i);
  return {
    edits,
    summary: `string \`${name}\` built with \`+=\` (line${sites.length > 1 ? "s" : ""} ${sites.join(", ")}) → parts pushed to \`${parts}\`, joined once after line ${end.loc?.end.line}`,
  };
}

/** Whether the file has TypeScript syntax (then the parts get a `string[]` annotation). */
function hasTypeScript(program: NodePath<t.Program>): boolean {
  let found = false;
  program.traverse({
    enter(p) {
      if (p.type.startsWith("TS")) {
        found = true;
        p.stop();
      }
    },
  });
  return found;
}

export const stringBuilder: Operator = {
  id: "string_builder",
  risk: 0.1,
  byNameOnly: false,
  apply(ctx) {
    const facts = new Facts(ctx.fn);
    // Accumulators: locals of the node appended to somewhere inside a loop.
    const accumulators: Binding[] = [];
    let hidden: t.Node | undefined;
    ctx.fn.traverse({
      AssignmentExpression(p) {
        if (!t.isIdentifier(p.node.left)) return;
        const binding = p.scope.getBinding(p.node.left.name);
        if (binding === undefined || accumulators.includes(binding) || appendAt(p, binding) === undefined) return;
        if (!inLoopWithin(p, ctx.fn)) return;
        // A variable of a loop's head (`for (let i = 0; …; i += 2)`) is its counter, not a string being built.
        const head = binding.path.parentPath?.parentPath;
        if (head?.isFor() && binding.path.parentPath?.key !== "body") return;
        accumulators.push(binding);
      },
      CallExpression(p) {
        if (isGlobal(p, p.node.callee, "eval")) hidden ??= p.node;
      },
      WithStatement(p) {
        hidden ??= p.node;
      },
    });
    if (accumulators.length === 0) return { reason: "no string built by `+=` in a loop in the body" };
    if (hidden !== undefined) return { reason: `the function uses \`${t.isWithStatement(hidden) ? "with" : "eval"}\` (line ${line(hidden)}), which could read the string while it is being built` };
    const isTs = hasTypeScript(facts.program);
    const rewrites: Rewrite[] = [];
    const reasons: string[] = [];
    for (const binding of accumulators.sort((a, b) => a.identifier.start! - b.identifier.start!)) {
      const r = rewriteAccumulator(binding, ctx, facts, isTs);
      if (r === undefined) continue;
      if ("reason" in r) reasons.push(r.reason);
      else rewrites.push(r);
    }
    if (rewrites.length > 0) return { rewrites };
    return { reason: reasons.length > 0 ? reasons.join("; ") : "no string built by `+=` in a loop in the body" };
  },
};
