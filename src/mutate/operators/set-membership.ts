import type { Binding, NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { enclosingLoops, isInside, isIterationCallback, ITERATION_METHODS, MUTATING_METHODS, READING_METHODS, whyVaries, type Loop, visitUntil } from "../loops.js";
import { firstSideEffect } from "../purity.js";
import type { Edit, Operator, OperatorContext, Rewrite } from "../types.js";
import { childPath, childPaths } from "../source.js";
import { hasTypeScript } from "./loop-fusion.js";

/**
 * set_membership: a membership test repeated in a loop on an array that
 * stays the same — `xs.includes(v)`, `xs.indexOf(v) !== -1` (and the other
 * comparisons with -1 and 0, either way round), `xs.some((y) => y === v)` —
 * becomes `xsSet.has(v)`, with `const xsSet = new Set(xs);` declared right
 * before the outermost loop in which `xs` stays the same (one Set per array
 * and loop, shared by its tests). When the only change to a local array in
 * the loop is `xs.push(x);` (the dedupe form), `xsSet.add(x);` follows every
 * such push to keep the Set in step. `xs?.includes(v)` keeps its
 * `undefined` for a missing array (`xsSet?.has(v)`).
 *
 * Preconditions, and why:
 * - The test is inside a loop of the node: one lookup costs less than
 *   building a Set.
 * - Annotations, casts or initializers in the file show that the receiver
 *   is an array: a string's `includes` searches substrings, other objects
 *   have their own methods. Types imported from other files are not read.
 * - The array is a variable or a chain of property names (`this.items`,
 *   `cfg.allowed`), and every object on the chain has a type that excludes
 *   null and undefined: the chain is now read once before the loop, even
 *   when the loop runs zero times, so it must not call code or throw. A
 *   getter on the chain runs once instead of once per lookup: left to the
 *   oracle (risk).
 * - The array is the same in every iteration (`whyVaries` on its root) and
 *   does not change in the loop. A fresh local array (`[]`, `Array.from`,
 *   a copy) can change only through its own name: any change other than
 *   the push form refuses. Any other array (parameter, `this.x`, module
 *   variable, or a local handed to other code or changed by a closure) may
 *   change whenever the loop runs other code — a call, a property write,
 *   `await`, `yield`, a tagged template, an iterator — so such code
 *   refuses. Built-in methods on the node's own fresh arrays (`kept.push`)
 *   run no other code. Code that runs between the Set's declaration and
 *   the loop's first iteration (a `for…of` iterable, what precedes a
 *   `filter(…)` callback in its statement) is held to the same rule.
 * - A callback loop's receiver is an array: a lazy collection could call
 *   the callback after the array has changed.
 * - `indexOf` and `===` use strict equality, which never finds NaN, while
 *   `Set.has` (like `includes`) does: the array's elements or the value
 *   must have a type that excludes `number`. They also skip the holes of a
 *   sparse array, which `new Set` reads as `undefined` (as `includes`
 *   does): the value's type must exclude `undefined`, or the array is a
 *   local that cannot have holes.
 * - `some` counts only with a one-parameter callback whose whole body is
 *   `y === v` (either way round), `v` a variable or a literal: it is now
 *   evaluated once, even for an empty array.
 * - The push form: `xs.push(x);` as a statement, one argument without side
 *   effects that does not read `xs` (`x` is evaluated again for the Set),
 *   not inside a function that could run at another time.
 * - `Set` is the built-in (not a binding of the file).
 * - Types: `new Set(xs)` is a `Set<E>` for elements of type `E`, and `has`
 *   takes an `E`. `includes(v)` and `indexOf(v)` already wanted one, but
 *   `y === v` only wants overlapping types (`xs: Kind[]`, `v: string`): in a
 *   TypeScript file, unless the file writes `v`'s type as `E` (or a literal
 *   of it), the Set of a `some` test is a `new Set<unknown>(xs)`, whose `has`
 *   and `add` take anything. The type argument is erased at run time.
 * Risk 0.2: 0.1 would do for `includes` on an unchanged array, but an
 * operator has one risk and the push, `indexOf` and `some` forms rely on
 * type annotations that only the oracle can confirm.
 */

type Method = "includes" | "indexOf" | "some";
type CallPath = NodePath<t.CallExpression | t.OptionalCallExpression>;

interface Site {
  method: Method;
  call: CallPath;
  /** The expression replaced: the call, or the `indexOf` comparison. */
  whole: t.Node;
  /** True when the test asks "is `v` there?", false for "is it missing?". */
  found: boolean;
  /** `xs?.includes(v)`: yields undefined (or the comparison's value) for a nullish `xs`. */
  optional: boolean;
  /** For an optional `indexOf` comparison: what it yields for a nullish array. */
  nullishValue?: boolean;
  array: NodePath;
  value: NodePath;
}

interface PushSite {
  statement: NodePath<t.ExpressionStatement>;
  argument: t.Node;
}

interface Anchor {
  kind: "before" | "wrap" | "arrow-body";
  /** The statement the Set goes before (or around), or the arrow's expression body. */
  at: NodePath;
  loop: Loop;
}

interface Plan {
  site: Site;
  anchor: Anchor;
  pushes: PushSite[];
  key: string;
  hint: string;
  /** The Set must be a `Set<unknown>`: the value of a `some` test may not be an element in TypeScript's eyes. */
  unknownSet: boolean;
}

const line = (node: t.Node): number | undefined => node.loc?.start.line;

/** Code as written, shortened for a message. */
function code(ctx: OperatorContext, node: t.Node): string {
  const text = ctx.text(node).replace(/\s+/g, " ");
  return `\`${text.length > 60 ? `${text.slice(0, 57)}…` : text}\``;
}

function isFunctionLiteral(node: t.Node | null | undefined): node is t.ArrowFunctionExpression | t.FunctionExpression {
  return t.isArrowFunctionExpression(node) || t.isFunctionExpression(node);
}

/** Strips what TypeScript adds and parentheses: they do nothing at run time. */
function unwrap(path: NodePath): NodePath {
  let p = path;
  while (p.isTSAsExpression() || p.isTSSatisfiesExpression() || p.isTSNonNullExpression() || p.isTSTypeAssertion() || p.isParenthesizedExpression()) p = childPath(p, "expression");
  return p;
}

function isMember(node: t.Node | null | undefined): node is t.MemberExpression | t.OptionalMemberExpression {
  return t.isMemberExpression(node) || t.isOptionalMemberExpression(node);
}

function methodName(member: t.MemberExpression | t.OptionalMemberExpression): string | undefined {
  return !member.computed && t.isIdentifier(member.property) ? member.property.name : undefined;
}

// ---------------------------------------------------------------------------
// Types as the file writes them. There is no type checker: annotations,
// casts, initializers and the declarations of the file are read, and
// anything else is unknown (which never counts as evidence).

const STRING = t.tsStringKeyword();
const NUMBER = t.tsNumberKeyword();
const BOOLEAN = t.tsBooleanKeyword();
const UNDEFINED = t.tsUndefinedKeyword();
const NULL = t.tsNullKeyword();
const UNKNOWN = t.tsUnknownKeyword();

/** Built-in object types: no number or undefined is one of them. */
const OBJECT_TYPES = new Set(["Array", "ReadonlyArray", "Map", "Set", "ReadonlyMap", "ReadonlySet", "WeakMap", "WeakSet", "Date", "RegExp", "Promise", "Error", "Function"]);
/** Members that a number has too: a type made only of them admits numbers. */
const NUMBER_MEMBERS = new Set(["toString", "toFixed", "toExponential", "toPrecision", "valueOf", "toLocaleString", "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable"]);
const STRING_TO_STRING = new Set(["toLowerCase", "toUpperCase", "toLocaleLowerCase", "toLocaleUpperCase", "trim", "trimStart", "trimEnd", "padStart", "padEnd", "repeat", "replace", "replaceAll", "normalize", "substring", "slice", "charAt", "concat"]);
const ARRAY_TO_SAME = new Set(["slice", "filter", "concat", "toSorted", "toReversed"]);

type Declared = t.TSType | t.TSInterfaceDeclaration | t.ClassDeclaration;

function union(types: (t.TSType | undefined)[]): t.TSType | undefined {
  if (types.some((x) => x === undefined)) return undefined;
  const all = types as t.TSType[];
  return all.length === 1 ? all[0] : t.tsUnionType(all);
}

function keyName(key: t.Node, computed: boolean): string | undefined {
  if (computed) return t.isStringLiteral(key) ? key.value : undefined;
  if (t.isIdentifier(key)) return key.name;
  if (t.isStringLiteral(key)) return key.value;
  if (t.isPrivateName(key)) return `#${key.id.name}`;
  return undefined;
}

function annotation(node: t.Node): t.TSType | undefined {
  const a = (node as { typeAnnotation?: t.Node | null }).typeAnnotation;
  return t.isTSTypeAnnotation(a) ? a.typeAnnotation : undefined;
}

class TypeReader {
  constructor(private readonly program: t.Program) {}

  /** A type name declared at the top of the file (alias without parameters, interface, class). */
  private declaration(name: string): Declared | undefined {
    for (const s of this.program.body) {
      const d = t.isExportNamedDeclaration(s) || t.isExportDefaultDeclaration(s) ? s.declaration : s;
      if (t.isTSTypeAliasDeclaration(d) && d.id.name === name) return d.typeParameters ? undefined : d.typeAnnotation;
      if ((t.isTSInterfaceDeclaration(d) || t.isClassDeclaration(d)) && d.id?.name === name) return d.typeParameters ? undefined : d;
    }
    return undefined;
  }

  /** Follows aliases, parentheses and `readonly`. */
  resolve(type: t.TSType | undefined, depth = 0): Declared | undefined {
    if (type === undefined || depth > 12) return undefined;
    if (t.isTSParenthesizedType(type)) return this.resolve(type.typeAnnotation, depth + 1);
    if (t.isTSTypeOperator(type) && type.operator === "readonly") return this.resolve(type.typeAnnotation, depth + 1);
    if (t.isTSTypeReference(type) && t.isIdentifier(type.typeName) && !OBJECT_TYPES.has(type.typeName.name)) {
      const d = this.declaration(type.typeName.name);
      if (d === undefined) return undefined;
      return t.isTSInterfaceDeclaration(d) || t.isClassDeclaration(d) ? d : this.resolve(d, depth + 1);
    }
    return type;
  }

  /** The members of a union, aliases followed (an unresolved member stays as it is). */
  private members(type: t.TSType | undefined, depth = 0): (Declared | undefined)[] {
    const r = this.resolve(type, depth);
    if (r !== undefined && t.isTSUnionType(r)) return r.types.flatMap((m) => this.members(m, depth + 1));
    return [r];
  }

  /** Splits `T | null | undefined`. `rest` is undefined when the type is unknown. */
  splitNullish(type: t.TSType | undefined): { nullish: boolean; rest: t.TSType | undefined } {
    if (type === undefined) return { nullish: true, rest: undefined };
    const rest: t.TSType[] = [];
    let nullish = false;
    for (const m of this.members(type)) {
      if (t.isTSNullKeyword(m) || t.isTSUndefinedKeyword(m) || t.isTSVoidKeyword(m)) nullish = true;
      else if (m === undefined || t.isTSAnyKeyword(m) || t.isTSUnknownKeyword(m)) return { nullish: true, rest: undefined };
      else rest.push(this.asType(m));
    }
    return { nullish, rest: rest.length === 0 ? undefined : union(rest) };
  }

  private asType(d: Declared): t.TSType {
    return t.isTSInterfaceDeclaration(d) || t.isClassDeclaration(d) ? t.tsTypeReference(t.identifier(d.id!.name)) : d;
  }

  /** The element type when the type is an array or a tuple (or a union of them), else undefined. */
  arrayElement(type: t.TSType | undefined): t.TSType | undefined {
    const members = this.members(type);
    const elements: t.TSType[] = [];
    for (const m of members) {
      if (t.isTSArrayType(m)) elements.push(m.elementType);
      else if (t.isTSTupleType(m)) {
        for (const e of m.elementTypes) {
          if (t.isTSNamedTupleMember(e)) elements.push(e.optional ? t.tsUnionType([e.elementType, UNDEFINED]) : e.elementType);
          else if (t.isTSOptionalType(e)) elements.push(t.tsUnionType([e.typeAnnotation, UNDEFINED]));
          else if (t.isTSRestType(e)) elements.push(this.arrayElement(e.typeAnnotation) ?? UNKNOWN);
          else elements.push(e);
        }
        if (m.elementTypes.length === 0) elements.push(t.tsNeverKeyword());
      } else if (t.isTSTypeReference(m) && t.isIdentifier(m.typeName) && (m.typeName.name === "Array" || m.typeName.name === "ReadonlyArray") && m.typeParameters?.params.length === 1) {
        elements.push(m.typeParameters.params[0]!);
      } else return undefined;
    }
    return elements.length === 0 ? undefined : (union(elements) as t.TSType);
  }

  isString(type: t.TSType | undefined): boolean {
    const members = this.members(type);
    return members.length > 0 && members.every((m) => t.isTSStringKeyword(m) || (t.isTSLiteralType(m) && (t.isStringLiteral(m.literal) || t.isTemplateLiteral(m.literal))));
  }

  private isObjectShape(members: readonly t.Node[]): boolean {
    // A number has `toFixed`, `toString`…: an object type needs one required member a number lacks.
    return members.some((m) => {
      if (!(t.isTSPropertySignature(m) || t.isTSMethodSignature(m) || t.isClassProperty(m) || t.isClassMethod(m) || t.isClassPrivateProperty(m) || t.isClassPrivateMethod(m))) return false;
      if ((m as { optional?: boolean | null }).optional) return false;
      if ((t.isClassProperty(m) || t.isClassMethod(m)) && m.static) return false;
      const name = t.isClassPrivateProperty(m) || t.isClassPrivateMethod(m) ? `#${m.key.id.name}` : keyName((m as { key: t.Node }).key, Boolean((m as { computed?: boolean }).computed));
      return name !== undefined && !NUMBER_MEMBERS.has(name);
    });
  }

  /** Whether no value of the type is a number (so never NaN), or never undefined. Unknown types exclude nothing. */
  excludes(type: t.TSType | undefined, what: "number" | "undefined", depth = 0): boolean {
    if (type === undefined || depth > 12) return false;
    const r = this.resolve(type, depth);
    if (r === undefined) return false;
    if (t.isTSInterfaceDeclaration(r)) return what === "undefined" || this.isObjectShape(r.body.body) || (r.extends ?? []).some((h) => t.isIdentifier(h.expression) && this.excludes(t.tsTypeReference(h.expression), what, depth + 1));
    if (t.isClassDeclaration(r)) return what === "undefined" || this.isObjectShape(r.body.body);
    switch (r.type) {
      case "TSStringKeyword":
      case "TSBooleanKeyword":
      case "TSBigIntKeyword":
      case "TSSymbolKeyword":
      case "TSNullKeyword":
      case "TSObjectKeyword":
      case "TSNeverKeyword":
      case "TSLiteralType":
      case "TSArrayType":
      case "TSTupleType":
      case "TSFunctionType":
      case "TSConstructorType":
        return true;
      case "TSNumberKeyword":
        return what === "undefined";
      case "TSUndefinedKeyword":
      case "TSVoidKeyword":
        return what === "number";
      case "TSTypeLiteral":
        return what === "undefined" || this.isObjectShape(r.members);
      case "TSUnionType":
        return r.types.every((m) => this.excludes(m, what, depth + 1));
      case "TSIntersectionType":
        return r.types.some((m) => this.excludes(m, what, depth + 1));
      case "TSTypeReference":
        return t.isIdentifier(r.typeName) && OBJECT_TYPES.has(r.typeName.name);
      default:
        return false;
    }
  }

  /** The type of property `name` of a value of `type`. */
  property(type: t.TSType | undefined, name: string, depth = 0): t.TSType | undefined {
    if (depth > 12) return undefined;
    const r = this.resolve(type, depth);
    if (r === undefined) return undefined;
    if (name === "length" && (this.arrayElement(this.asType(r)) !== undefined || this.isString(this.asType(r)))) return NUMBER;
    if (t.isTSTypeLiteral(r)) return this.fromMembers(r.members, name);
    if (t.isTSInterfaceDeclaration(r)) {
      const own = this.fromMembers(r.body.body, name);
      if (own !== undefined) return own;
      for (const h of r.extends ?? []) {
        if (!t.isIdentifier(h.expression)) continue;
        const inherited = this.property(t.tsTypeReference(h.expression), name, depth + 1);
        if (inherited !== undefined) return inherited;
      }
      return undefined;
    }
    if (t.isClassDeclaration(r)) return this.classMember(r, name);
    if (t.isTSIntersectionType(r)) {
      for (const m of r.types) {
        const found = this.property(m, name, depth + 1);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    return undefined;
  }

  private fromMembers(members: readonly t.Node[], name: string): t.TSType | undefined {
    for (const m of members) {
      if (t.isTSPropertySignature(m) && keyName(m.key, m.computed ?? false) === name) {
        const a = annotation(m);
        return a !== undefined && m.optional ? t.tsUnionType([a, UNDEFINED]) : a;
      }
      if (t.isTSMethodSignature(m) && keyName(m.key, m.computed ?? false) === name) return t.tsFunctionType(null, [], null);
    }
    return undefined;
  }

  /** The declared type of an instance member of a class of the file. */
  classMember(cls: t.Class, name: string): t.TSType | undefined {
    for (const m of cls.body.body) {
      if ((t.isClassProperty(m) || t.isClassPrivateProperty(m)) && !m.static) {
        const key = t.isClassPrivateProperty(m) ? `#${m.key.id.name}` : keyName(m.key, m.computed);
        if (key !== name) continue;
        const a = annotation(m);
        if (a !== undefined) return (m as { optional?: boolean | null }).optional ? t.tsUnionType([a, UNDEFINED]) : a;
        return m.value ? this.ofLiteral(m.value) : undefined;
      }
      if ((t.isClassMethod(m) || t.isClassPrivateMethod(m)) && !m.static) {
        const key = t.isClassPrivateMethod(m) ? `#${m.key.id.name}` : keyName(m.key, m.computed);
        if (key !== name) continue;
        if (m.kind === "get") return annotation({ typeAnnotation: m.returnType } as t.Node);
        if (m.kind === "constructor") continue;
        return t.tsFunctionType(null, [], null);
      }
      if (t.isClassMethod(m) && m.kind === "constructor") {
        for (const p of m.params) {
          if (t.isTSParameterProperty(p) && t.isIdentifier(p.parameter) && p.parameter.name === name) return annotation(p.parameter);
        }
      }
    }
    return undefined;
  }

  /** The type of an initializer that is a literal (a class property's value, read without a path). */
  private ofLiteral(node: t.Node): t.TSType | undefined {
    if (t.isStringLiteral(node) || t.isTemplateLiteral(node)) return STRING;
    if (t.isNumericLiteral(node)) return NUMBER;
    if (t.isBooleanLiteral(node)) return BOOLEAN;
    if (t.isArrayExpression(node)) {
      if (node.elements.length === 0) return t.tsArrayType(UNKNOWN);
      const elements = node.elements.map((e) => (e === null || t.isSpreadElement(e) ? undefined : this.ofLiteral(e)));
      return t.tsArrayType(union(elements) ?? UNKNOWN);
    }
    if (t.isTSAsExpression(node) && !isConst(node.typeAnnotation)) return node.typeAnnotation;
    return undefined;
  }

  /** The type of an expression, as far as the file says. `literal`: keep literal types (`as const`, a const's primitive). */
  of(path: NodePath, literal: "widen" | "const-declaration" | "as-const" = "widen"): t.TSType | undefined {
    const n = path.node;
    if (t.isStringLiteral(n) || t.isTemplateLiteral(n)) return STRING;
    if (t.isNumericLiteral(n)) return literal === "widen" ? NUMBER : t.tsLiteralType(t.numericLiteral(n.value));
    if (t.isBooleanLiteral(n)) return BOOLEAN;
    if (t.isNullLiteral(n)) return NULL;
    if (t.isIdentifier(n)) return n.name === "undefined" && path.scope.getBinding("undefined") === undefined ? UNDEFINED : this.ofBinding(path as NodePath<t.Identifier>);
    if (path.isArrayExpression()) {
      const inner = literal === "as-const" ? "as-const" : "widen";
      const elements = path.get("elements").map((e) => {
        if (e.node === null) return UNDEFINED;
        if (e.isSpreadElement()) return this.arrayElement(this.of(e.get("argument"))) ?? UNKNOWN;
        return this.of(e as NodePath, inner) ?? UNKNOWN;
      });
      return t.tsArrayType(elements.length === 0 ? UNKNOWN : (union(elements) as t.TSType));
    }
    if (path.isTSAsExpression() || path.isTSTypeAssertion()) {
      const a = (n as t.TSAsExpression).typeAnnotation;
      return isConst(a) ? this.of(childPath(path, "expression"), "as-const") : a;
    }
    if (path.isTSSatisfiesExpression() || path.isParenthesizedExpression()) return this.of(childPath(path, "expression"), literal);
    if (path.isTSNonNullExpression()) return this.splitNullish(this.of(path.get("expression"), literal)).rest;
    if (t.isUnaryExpression(n)) {
      if (n.operator === "-" && t.isNumericLiteral(n.argument) && literal !== "widen") return t.tsLiteralType(t.unaryExpression("-", t.numericLiteral(n.argument.value)));
      if (n.operator === "!" || n.operator === "delete") return BOOLEAN;
      if (n.operator === "typeof") return STRING;
      if (n.operator === "void") return UNDEFINED;
      return undefined;
    }
    if (path.isBinaryExpression()) {
      const op = path.node.operator;
      if (op === "+") {
        const [l, r] = [this.of(childPath(path, "left")), this.of(path.get("right"))];
        if (this.isString(l) || this.isString(r)) return STRING;
        return undefined;
      }
      if (["==", "!=", "===", "!==", "<", "<=", ">", ">=", "in", "instanceof"].includes(op)) return BOOLEAN;
      return undefined;
    }
    if (path.isConditionalExpression()) return union([this.of(path.get("consequent")), this.of(path.get("alternate"))]);
    if (path.isMemberExpression() || path.isOptionalMemberExpression()) return this.ofMember(path as NodePath<t.MemberExpression | t.OptionalMemberExpression>);
    if (path.isCallExpression()) return this.ofCall(path);
    return undefined;
  }

  private ofMember(path: NodePath<t.MemberExpression | t.OptionalMemberExpression>): t.TSType | undefined {
    const n = path.node;
    const object = childPath(path, "object");
    const objectType = t.isThisExpression(n.object) ? undefined : this.splitNullish(this.of(object));
    let found: t.TSType | undefined;
    if (n.computed) {
      // An index may be out of range: the element or undefined.
      const element = objectType === undefined ? undefined : this.arrayElement(objectType.rest);
      found = element === undefined ? undefined : t.tsUnionType([element, UNDEFINED]);
    } else {
      const name = keyName(n.property, false);
      if (name === undefined) return undefined;
      if (t.isThisExpression(n.object)) {
        const cls = thisClass(object);
        found = cls === undefined ? undefined : this.classMember(cls, name);
      } else {
        if (objectType === undefined || objectType.rest === undefined) return undefined;
        if (objectType.nullish && !(t.isOptionalMemberExpression(n) && n.optional)) return undefined;
        found = this.property(objectType.rest, name);
      }
    }
    if (found !== undefined && t.isOptionalMemberExpression(n)) return t.tsUnionType([found, UNDEFINED]);
    return found;
  }

  private ofCall(path: NodePath<t.CallExpression>): t.TSType | undefined {
    const callee = path.node.callee;
    if (t.isIdentifier(callee)) {
      if (path.scope.getBinding(callee.name) === undefined) return callee.name === "String" ? STRING : callee.name === "Boolean" ? BOOLEAN : undefined;
      // A function-typed variable (`next: () => string[]`): its declared return type.
      const fn = this.resolve(this.of(childPath(path, "callee")));
      return t.isTSFunctionType(fn) ? annotation({ typeAnnotation: fn.typeAnnotation } as t.Node) : undefined;
    }
    if (!t.isMemberExpression(callee)) return undefined;
    const method = methodName(callee);
    if (method === undefined) return undefined;
    if (t.isIdentifier(callee.object) && path.scope.getBinding(callee.object.name) === undefined) {
      if (callee.object.name === "Object" && method === "keys") return t.tsArrayType(STRING);
      if (callee.object.name === "Array" && (method === "from" || method === "of")) return t.tsArrayType(UNKNOWN);
      return undefined;
    }
    const receiver = this.splitNullish(this.of(childPath(path.get("callee"), "object")));
    if (receiver.nullish || receiver.rest === undefined) return undefined;
    if (this.isString(receiver.rest)) {
      if (STRING_TO_STRING.has(method)) return STRING;
      if (method === "split") return t.tsArrayType(STRING);
      return undefined;
    }
    const element = this.arrayElement(receiver.rest);
    if (element === undefined) return undefined;
    if (ARRAY_TO_SAME.has(method)) return t.tsArrayType(element);
    if (method === "join") return STRING;
    if (method === "map" || method === "flatMap") return t.tsArrayType(UNKNOWN);
    return undefined;
  }

  /** The type of a variable at one of its uses: its annotation, its initializer, what it iterates. */
  private ofBinding(path: NodePath<t.Identifier>): t.TSType | undefined {
    const name = path.node.name;
    const binding = path.scope.getBinding(name);
    if (binding === undefined) return undefined;
    const bp = binding.path;
    if (binding.kind === "param") {
      let param: t.Node = bp.node;
      if (t.isTSParameterProperty(param)) param = param.parameter;
      let whole: t.TSType | undefined;
      const fn = bp.parentPath;
      if (fn !== null && isIterationCallback(fn) && typeof bp.key === "number" && annotation(param) === undefined) whole = this.callbackParameter(fn, bp.key);
      return this.inPattern(param, whole, name);
    }
    if (bp.isVariableDeclarator()) {
      const id = bp.node.id;
      const declared = annotation(id);
      if (declared !== undefined) return this.inPattern(id, declared, name);
      const declaration = bp.parentPath;
      const loop = declaration.parentPath;
      let whole: t.TSType | undefined;
      if ((loop?.isForOfStatement() || loop?.isForInStatement()) && loop.node.left === declaration.node) {
        if (loop.isForInStatement()) whole = STRING;
        else {
          const iterated = this.splitNullish(this.of(childPath(loop, "right")));
          whole = iterated.nullish ? undefined : this.isString(iterated.rest) ? STRING : this.arrayElement(iterated.rest);
        }
      } else if (bp.node.init) {
        // TypeScript gives a `let` the widened type of its initializer, and checks every assignment against it.
        whole = this.of(childPath(bp, "init"), binding.kind === "const" && t.isIdentifier(id) ? "const-declaration" : "widen");
      }
      return this.inPattern(id, whole, name);
    }
    return undefined;
  }

  /** An unannotated parameter of an iteration callback: the receiver's element, or an index. */
  private callbackParameter(fn: NodePath, index: number): t.TSType | undefined {
    const call = fn.parentPath as NodePath<t.CallExpression>;
    const callee = call.node.callee as t.MemberExpression;
    const reduce = methodName(callee) === "reduce" || methodName(callee) === "reduceRight";
    const receiver = this.splitNullish(this.of(childPath(call.get("callee"), "object")));
    if (receiver.rest === undefined) return undefined;
    const element = this.arrayElement(receiver.rest);
    if (element === undefined) return undefined;
    const position = reduce ? index - 1 : index;
    if (position === 0) return element;
    if (position === 1) return NUMBER;
    return undefined;
  }

  /** The type of the variable `name` declared by a pattern whose whole value has type `whole`. */
  private inPattern(pattern: t.Node, whole: t.TSType | undefined, name: string): t.TSType | undefined {
    const own = annotation(pattern);
    const type = own ?? whole;
    if (t.isIdentifier(pattern)) {
      if (pattern.name !== name) return undefined;
      return type !== undefined && pattern.optional ? t.tsUnionType([type, UNDEFINED]) : type;
    }
    if (t.isAssignmentPattern(pattern)) {
      const withDefault = type === undefined ? undefined : this.withDefault(type, pattern.right);
      return this.inPattern(pattern.left, withDefault, name);
    }
    if (t.isRestElement(pattern)) {
      // A rest parameter or element is always an array.
      return t.isIdentifier(pattern.argument) && pattern.argument.name === name ? (type ?? t.tsArrayType(UNKNOWN)) : undefined;
    }
    if (t.isObjectPattern(pattern)) {
      for (const p of pattern.properties) {
        if (!t.isObjectProperty(p) || !declares(p.value, name)) continue;
        const key = keyName(p.key, p.computed);
        return key === undefined ? undefined : this.inPattern(p.value, this.property(type, key), name);
      }
      return undefined;
    }
    if (t.isArrayPattern(pattern)) {
      const index = pattern.elements.findIndex((e) => e !== null && declares(e, name));
      if (index < 0) return undefined;
      const element = pattern.elements[index]!;
      if (t.isRestElement(element)) return this.inPattern(element, type !== undefined && this.arrayElement(type) !== undefined ? t.tsArrayType(this.arrayElement(type)!) : undefined, name);
      const r = this.resolve(type);
      if (t.isTSTupleType(r)) {
        const e = r.elementTypes[index];
        return this.inPattern(element, t.isTSNamedTupleMember(e) ? e.elementType : t.isTSType(e) && !t.isTSOptionalType(e) && !t.isTSRestType(e) ? e : undefined, name);
      }
      const arrayElement = this.arrayElement(type);
      return this.inPattern(element, arrayElement === undefined ? undefined : t.tsUnionType([arrayElement, UNDEFINED]), name);
    }
    return undefined;
  }

  /** A default replaces undefined by the default's type. */
  private withDefault(type: t.TSType, right: t.Expression): t.TSType | undefined {
    const members = this.members(type).filter((m) => !t.isTSUndefinedKeyword(m));
    if (members.some((m) => m === undefined)) return undefined;
    const fallback = this.ofLiteral(right);
    if (fallback === undefined) return undefined;
    return union([...members.map((m) => this.asType(m!)), fallback]);
  }
}

function isConst(type: t.TSType): boolean {
  return t.isTSTypeReference(type) && t.isIdentifier(type.typeName, { name: "const" });
}

function declares(pattern: t.Node, name: string): boolean {
  return Object.keys(t.getBindingIdentifiers(pattern)).includes(name);
}

/** The class whose instance `this` is at `path` (through arrows), when it is a method or field of a class. */
function thisClass(path: NodePath): t.Class | undefined {
  for (let p: NodePath | null = path.parentPath; p !== null; p = p.parentPath) {
    if (p.isArrowFunctionExpression()) continue;
    if (p.isClassProperty() || p.isClassPrivateProperty()) return (p.node as t.ClassProperty).static ? undefined : (p.parentPath?.parentPath?.node as t.Class);
    if (p.isClassMethod() || p.isClassPrivateMethod()) return (p.node as t.ClassMethod).static ? undefined : (p.parentPath?.parentPath?.node as t.Class);
    if (p.isFunction() || p.isProgram()) return undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Sites

/** A comparison of `indexOf`'s result with -1 or 0 that only asks "found?" (true) or "missing?" (false). */
function indexTest(op: string, indexOnLeft: boolean, n: number): boolean | undefined {
  const flipped: Record<string, string> = { ">": "<", "<": ">", ">=": "<=", "<=": ">=" };
  const o = indexOnLeft ? op : (flipped[op] ?? op);
  if (n === -1 && (o === "!==" || o === "!=" || o === ">")) return true;
  if (n === 0 && o === ">=") return true;
  if (n === -1 && (o === "===" || o === "==" || o === "<=")) return false;
  if (n === 0 && o === "<") return false;
  return undefined;
}

function numberLiteral(node: t.Node): number | undefined {
  if (t.isNumericLiteral(node)) return node.value;
  if (t.isUnaryExpression(node, { operator: "-" }) && t.isNumericLiteral(node.argument)) return -node.argument.value;
  return undefined;
}

/** The `v` of a `some` callback `(y) => y === v`, or why the callback is not a plain equality. */
function someValue(cb: NodePath, ctx: OperatorContext): NodePath | string {
  const plain = `the callback of ${code(ctx, cb.parent)} is not a plain \`y === v\` test, so it is not a membership test`;
  if (!(cb.isArrowFunctionExpression() || cb.isFunctionExpression())) return `${plain} (it is not a function literal)`;
  const fn = cb.node as t.ArrowFunctionExpression | t.FunctionExpression;
  if (fn.async || fn.generator || fn.params.length !== 1 || !t.isIdentifier(fn.params[0]) || fn.params[0].optional) return plain;
  const param = fn.params[0].name;
  let body: NodePath = childPath(cb, "body");
  if (body.isBlockStatement()) {
    const statements = body.get("body");
    if (statements.length !== 1 || !statements[0]!.isReturnStatement() || statements[0]!.node.argument == null) return plain;
    body = childPath(statements[0]!, "argument");
  }
  if (!body.isBinaryExpression({ operator: "===" })) return plain;
  const left = unwrap(childPath(body, "left"));
  const right = unwrap(body.get("right"));
  const isParam = (p: NodePath) => p.isIdentifier({ name: param }) && p.scope.getBinding(param)?.path.parentPath?.node === fn;
  const value = isParam(left) ? body.get("right") : isParam(right) ? (childPath(body, "left")) : undefined;
  if (value === undefined) return plain;
  // `v` was evaluated once per element; now once, even for an empty array: only what cannot throw or vary.
  const v = unwrap(value);
  if (v.isIdentifier()) {
    const b = v.scope.getBinding(v.node.name);
    if (v.node.name === param || v.node.name === "arguments" || (b !== undefined && isInside(b.path, cb))) return plain;
    return value;
  }
  if (v.isStringLiteral() || v.isNumericLiteral() || v.isBooleanLiteral() || v.isNullLiteral() || (v.isTemplateLiteral() && v.node.expressions.length === 0) || numberLiteral(v.node) !== undefined) return value;
  return `${plain}: \`v\` (${code(ctx, value.node)}) would be evaluated once instead of once per element`;
}

function recognise(path: CallPath, ctx: OperatorContext): Site | string | undefined {
  const call = path.node;
  const callee = call.callee;
  if ((call as t.OptionalCallExpression).optional || !isMember(callee)) return undefined;
  const method = methodName(callee);
  if (method !== "includes" && method !== "indexOf" && method !== "some") return undefined;
  const optional = t.isOptionalMemberExpression(callee) && callee.optional;
  const array = childPath(childPath(path, "callee"), "object");
  const args = path.get("arguments");
  if (args.length !== 1 || args[0]!.isSpreadElement() || args[0]!.isArgumentPlaceholder()) return undefined;
  if (method === "includes") return { method, call: path, whole: call, found: true, optional, array, value: args[0]! };
  if (method === "some") {
    const value = someValue(args[0]!, ctx);
    if (typeof value === "string") return `${value} (line ${line(call)})`;
    return { method, call: path, whole: call, found: true, optional, array, value };
  }
  const parent = path.parentPath;
  if (!parent.isBinaryExpression()) return undefined;
  const onLeft = parent.node.left === call;
  const n = numberLiteral(onLeft ? parent.node.right : parent.node.left);
  if (n === undefined) return undefined;
  const found = indexTest(parent.node.operator, onLeft, n);
  if (found === undefined) return undefined;
  // What the comparison yields when `xs?.indexOf(v)` is undefined: only `!==`/`!=` are true.
  const nullishValue = parent.node.operator === "!==" || parent.node.operator === "!=";
  return { method, call: path, whole: parent.node, found, optional, nullishValue, array, value: args[0]! };
}

// ---------------------------------------------------------------------------
// The array: its shape, who owns it, what changes it

interface Chain {
  /** Identity of the root (a binding, or `this` of a function) and the property names. */
  key: string;
  hint: string;
  root: NodePath;
  props: string[];
  binding?: Binding;
}

function chainOf(array: NodePath, c: Context): Chain | string {
  const { ctx, types, ids } = c;
  const props: string[] = [];
  let p = unwrap(array);
  for (;;) {
    if (p.isMemberExpression()) {
      const name = methodName(p.node);
      const priv = t.isPrivateName(p.node.property) ? `#${p.node.property.id.name}` : undefined;
      if (name === undefined && priv === undefined) return `${code(ctx, array.node)} is read with a computed index: cdlc hoists only a variable or a chain of property names`;
      props.unshift((name ?? priv)!);
      const member = p;
      p = unwrap(childPath(p, "object"));
      // Read before the loop even when it runs zero times: a missing object (asserted away with `!` or `as`) would now throw.
      if (!p.isThisExpression() && (p.isIdentifier() || p.isMemberExpression()) && types.splitNullish(types.of(p)).nullish) {
        return `${code(ctx, p.node)} may be null or undefined (cdlc sees no type that excludes it): the Set would read ${code(ctx, member.node)} before the loop, even when the loop runs zero times`;
      }
      continue;
    }
    if (p.isOptionalMemberExpression()) return `${code(ctx, array.node)} has \`?.\` inside it: cdlc hoists only a variable or a chain of property names`;
    if (p.isCallExpression() || p.isOptionalCallExpression() || p.isNewExpression() || p.isTaggedTemplateExpression()) {
      return `${code(ctx, array.node)} is computed with a call (${code(ctx, p.node)}, line ${line(p.node)}): building the Set before the loop would run it even when the loop runs zero times`;
    }
    if (p.isThisExpression()) {
      let fn: NodePath | null = p.getFunctionParent();
      while (fn?.isArrowFunctionExpression()) fn = fn.parentPath?.getFunctionParent() ?? null;
      return { key: `this@${fn?.node.start ?? 0}.${props.join(".")}`, hint: (props[props.length - 1] ?? "items").replace("#", ""), root: p, props };
    }
    if (p.isIdentifier()) {
      const binding = p.scope.getBinding(p.node.name);
      let id = binding === undefined ? -1 : ids.get(binding);
      if (binding !== undefined && id === undefined) ids.set(binding, (id = ids.size));
      return { key: `${p.node.name}#${id}.${props.join(".")}`, hint: (props[props.length - 1] ?? p.node.name).replace("#", ""), root: p, props, ...(binding ? { binding } : {}) };
    }
    return `${code(ctx, array.node)} is not a variable or a chain of property names, so building the Set before the loop could run code`;
  }
}

/** `[…]`, `Array.from(…)`, `Array.of(…)`, or a copy made by an array method of an array: nobody else holds it. */
function isFresh(path: NodePath, types: TypeReader): boolean {
  const p = unwrap(path);
  if (p.isArrayExpression()) return true;
  if (!p.isCallExpression()) return false;
  const callee = p.node.callee;
  if (!t.isMemberExpression(callee)) return false;
  const method = methodName(callee);
  if (t.isIdentifier(callee.object, { name: "Array" }) && p.scope.getBinding("Array") === undefined) return method === "from" || method === "of";
  if (method === undefined || !["slice", "map", "filter", "concat", "flatMap", "flat", "toSorted", "toReversed"].includes(method)) return false;
  const receiver = types.splitNullish(types.of(childPath(childPath(p, "callee"), "object")));
  return !receiver.nullish && types.arrayElement(receiver.rest) !== undefined;
}

function holeFreeInit(path: NodePath): boolean {
  const p = unwrap(path);
  if (p.isArrayExpression()) return p.node.elements.every((e) => e !== null);
  if (!p.isCallExpression() || !t.isMemberExpression(p.node.callee)) return false;
  const method = methodName(p.node.callee);
  return (t.isIdentifier(p.node.callee.object, { name: "Array" }) && (method === "from" || method === "of")) || method === "filter";
}

interface Owned {
  binding: Binding;
  owner: NodePath;
  holeFree: boolean;
}

/** A local array the node makes itself (`const seen: string[] = []`): only code that names it can change it. */
function ownedArray(b: Binding | undefined, fn: NodePath, types: TypeReader): Owned | undefined {
  if (b === undefined || !["const", "let", "var"].includes(b.kind)) return undefined;
  const declarator = b.path;
  if (!declarator.isVariableDeclarator() || !t.isIdentifier(declarator.node.id) || !isInside(declarator, fn)) return undefined;
  const init = declarator.get("init");
  if (init.node == null || !isFresh(init as NodePath, types)) return undefined;
  for (const v of b.constantViolations) {
    if (!(v.isAssignmentExpression({ operator: "=" }) && isFresh(v.get("right"), types))) return undefined;
  }
  const owner = declarator.getFunctionParent() ?? fn;
  let holeFree = holeFreeInit(init as NodePath) && b.constantViolations.length === 0;
  if (holeFree) {
    for (const ref of b.referencePaths) {
      const use = classify(ref);
      // Element or length writes and `delete` make holes; a returned array leaves with the call.
      if (use.kind === "write" || (use.kind === "other" && !ref.parentPath?.isReturnStatement())) holeFree = false;
    }
  }
  return { binding: b, owner, holeFree };
}

type Use =
  | { kind: "read" }
  | { kind: "push"; call: NodePath<t.CallExpression | t.OptionalCallExpression> }
  | { kind: "call"; call: NodePath; method: string | undefined }
  | { kind: "write"; at: NodePath }
  | { kind: "other"; at: NodePath };

/**
 * What a reference to an array does to it (as `firstChangeOfLocal`, but each
 * use is reported, and an iteration method whose callback may receive the
 * array itself — a third parameter, or a function that is not a literal —
 * counts as handing the array over).
 */
function classify(reference: NodePath): Use {
  // `(xs as T)`, `xs!`: the same array.
  let ref = reference;
  while (ref.parentPath !== null && ref.key === "expression" && (ref.parentPath.isTSAsExpression() || ref.parentPath.isTSSatisfiesExpression() || ref.parentPath.isTSNonNullExpression() || ref.parentPath.isTSTypeAssertion() || ref.parentPath.isParenthesizedExpression())) ref = ref.parentPath;
  const parent = ref.parentPath;
  if (parent === null) return { kind: "other", at: ref };
  if ((parent.isMemberExpression() || parent.isOptionalMemberExpression()) && parent.node.object === ref.node) {
    const method = methodName(parent.node as t.MemberExpression);
    const call = parent.parentPath;
    const called = (call?.isCallExpression() || call?.isOptionalCallExpression()) && (call.node as t.CallExpression).callee === parent.node;
    if (called) {
      const callPath = call as NodePath<t.CallExpression | t.OptionalCallExpression>;
      if (method !== undefined && ITERATION_METHODS.has(method)) {
        const cb = callPath.node.arguments[0];
        const reduce = method === "reduce" || method === "reduceRight";
        const safe = isFunctionLiteral(cb) && cb.params.length < (reduce ? 4 : 3) && !cb.params.some((q) => t.isRestElement(q));
        return safe ? { kind: "read" } : { kind: "call", call: callPath, method };
      }
      if (method !== undefined && READING_METHODS.has(method)) return { kind: "read" };
      if (method === "push") return { kind: "push", call: callPath };
      return { kind: "call", call: callPath, method };
    }
    const target = parent.parentPath;
    const written = (target?.isAssignmentExpression() && target.node.left === parent.node) || target?.isUpdateExpression() || target?.isUnaryExpression({ operator: "delete" });
    if (written) return { kind: "write", at: target! };
    return { kind: "read" };
  }
  // Iterating a real array (`for (const x of xs)`, `[...xs]`) runs no code of the program.
  if ((parent.isForOfStatement() && ref.key === "right" && !parent.node.await) || parent.isSpreadElement()) return { kind: "read" };
  return { kind: "other", at: ref };
}

/** The function literals between `inner` and `outer`, innermost first. */
function functionsBetween(inner: NodePath, outer: NodePath): NodePath[] {
  const out: NodePath[] = [];
  for (let p: NodePath | null = inner.parentPath; p !== null && p.node !== outer.node; p = p.parentPath) if (p.isFunction()) out.push(p);
  return out;
}

/** Whether the receiver of an iteration callback is known to be an array (so the callback runs now). */
function callbackOnArray(fn: NodePath, types: TypeReader): boolean {
  const call = fn.parentPath as NodePath<t.CallExpression | t.OptionalCallExpression>;
  const callee = call.node.callee as t.MemberExpression | t.OptionalMemberExpression;
  const receiver = types.splitNullish(types.of(childPath(childPath(call, "callee"), "object")));
  const optional = t.isOptionalMemberExpression(callee) && callee.optional;
  return (!receiver.nullish || optional) && types.arrayElement(receiver.rest) !== undefined;
}

/** An iterable whose iteration runs no code of the program: an array or a string. */
function iteratesBuiltIn(path: NodePath, types: TypeReader): boolean {
  const type = types.splitNullish(types.of(path));
  return !type.nullish && (types.arrayElement(type.rest) !== undefined || types.isString(type.rest));
}

interface Foreign {
  node: t.Node;
  /** What the loop does there, after "the loop …". */
  what: string;
}

/** Whether an assignment's target writes a property (`a.b = …`, `[a.b] = …`). */
function writesProperty(target: t.Node): boolean {
  if (t.isIdentifier(target)) return false;
  let found = false;
  t.traverseFast(target, (n) => {
    if (isMember(n)) found = true;
  });
  return found;
}

/**
 * The first node in `region` that may run code of the program — what
 * `firstWriteIn` finds (calls other than reading ones, property writes,
 * `new`, `delete`), and what it does not: `await`, `yield`, tagged
 * templates, an iteration method given a function that is not a literal,
 * and iterating something that is not an array or a string (`for…of`,
 * spread, array destructuring). Built-in methods of the node's own arrays
 * that never left it do not count.
 */
function foreignCode(region: NodePath, c: Context): Foreign | undefined {
  const { types } = c;
  let found: Foreign | undefined;
  const check = (p: NodePath) => {
    const n = p.node;
    if (found !== undefined) return;
    if (ownArrayOperation(p, c)) return;
    if ((t.isAssignmentExpression(n) && writesProperty(n.left)) || (t.isUpdateExpression(n) && !t.isIdentifier(n.argument))) found = { node: n, what: "writes a property (a setter could run)" };
    else if (t.isUnaryExpression(n, { operator: "delete" })) found = { node: n, what: "deletes a property" };
    else if (t.isNewExpression(n) || t.isTaggedTemplateExpression(n)) found = { node: n, what: "calls other code" };
    else if (t.isAwaitExpression(n) || t.isYieldExpression(n)) found = { node: n, what: `${t.isAwaitExpression(n) ? "awaits" : "yields"}, and other code can run meanwhile` };
    else if (t.isCallExpression(n) || t.isOptionalCallExpression(n)) {
      const callee = n.callee;
      const method = isMember(callee) ? methodName(callee) : undefined;
      let reading = firstSideEffect({ ...n, arguments: [] } as t.CallExpression) === undefined;
      if (!reading && method !== undefined && READING_METHODS.has(method)) reading = !ITERATION_METHODS.has(method) || isFunctionLiteral(n.arguments[0]);
      if (!reading) found = { node: n, what: "calls other code" };
    } else if (p.isForOfStatement() && (p.node.await || !iteratesBuiltIn(p.get("right"), types))) {
      found = { node: p.node.right, what: p.node.await ? "awaits each element, and other code can run meanwhile" : "iterates something that is not an array (its iterator is other code)" };
    } else if ((p.isSpreadElement() && !iteratesBuiltIn(p.get("argument"), types)) || (p.isVariableDeclarator() && t.isArrayPattern(p.node.id) && p.node.init && !iteratesBuiltIn(childPath(p, "init"), types)) || (p.isAssignmentExpression() && t.isArrayPattern(p.node.left) && !iteratesBuiltIn(p.get("right"), types))) {
      found = { node: n, what: "iterates something that is not an array (its iterator is other code)" };
    }
  };
  visitUntil(region, (p) => {
    check(p);
    return found !== undefined;
  });
  return found;
}

/**
 * A built-in array method called on, or an element written of, an array the
 * node made itself (`kept.push(x)`, `kept[i] = x`): it runs no code of the
 * program (a comparator or callback given as a literal is visited apart).
 */
function ownArrayOperation(p: NodePath, c: Context): boolean {
  const n = p.node;
  let object: t.Node | undefined;
  if ((t.isCallExpression(n) || t.isOptionalCallExpression(n)) && isMember(n.callee)) {
    const method = methodName(n.callee);
    if (method === undefined || !(MUTATING_METHODS.has(method) || READING_METHODS.has(method))) return false;
    // A comparator or callback must be a literal (visited apart); `sort()` without one converts elements to strings.
    if ((ITERATION_METHODS.has(method) || method === "sort") && !isFunctionLiteral(n.arguments[0])) return false;
    object = n.callee.object;
  } else if (t.isAssignmentExpression(n) && isMember(n.left)) object = n.left.object;
  else if (t.isUpdateExpression(n) && isMember(n.argument)) object = n.argument.object;
  if (!t.isIdentifier(object)) return false;
  const binding = p.scope.getBinding(object.name);
  if (binding === undefined) return false;
  if (!c.owned.has(binding)) {
    // Handed to other code, it could have been given a `push` of its own.
    const owned = ownedArray(binding, c.ctx.fn, c.types);
    c.owned.set(binding, owned !== undefined && escapes(owned, owned.binding.path, c.ctx) === undefined);
  }
  return c.owned.get(binding)!;
}

// ---------------------------------------------------------------------------
// Where the Set goes

/** The place right before the loop (or its statement, for a callback) where the Set can be declared. */
function anchorFor(loop: Loop): Anchor | string {
  if (loop.kind !== "callback") {
    let s: NodePath = loop.path;
    while (s.parentPath?.isLabeledStatement()) s = s.parentPath;
    return statementAnchor(s, loop);
  }
  let child: NodePath = loop.path;
  for (let p = child.parentPath; p !== null; child = p, p = p.parentPath) {
    if (p.isArrowFunctionExpression() && child.key === "body") return { kind: "arrow-body", at: child, loop };
    if (p.isFunction() || p.isClass() || p.isProgram()) break;
    if (p.isStatement()) {
      const repeats = (p.isForStatement() || p.isWhileStatement() || p.isDoWhileStatement() || p.isForOfStatement() || p.isForInStatement()) && child.key !== "right";
      if (repeats) return `the \`${(((loop.path.parent as t.CallExpression).callee as t.MemberExpression).property as t.Identifier).name}\` callback is part of the loop statement's own head (line ${line(p.node)})`;
      return statementAnchor(p, loop);
    }
  }
  return "cdlc found no statement before the loop to declare the Set in";
}

function statementAnchor(s: NodePath, loop: Loop): Anchor {
  const parent = s.parentPath;
  const inList = (s.listKey === "body" && (parent?.isBlockStatement() || parent?.isProgram() || parent?.isStaticBlock())) || (s.listKey === "consequent" && parent?.isSwitchCase());
  return { kind: inList ? "before" : "wrap", at: s, loop };
}

/** Code that runs after the Set is built and before the loop's first iteration. */
function preludeOf(anchor: Anchor): NodePath[] {
  const loop = anchor.loop;
  if (loop.kind === "for-of" || loop.kind === "for-in") return [childPath(loop.path, "right")];
  if (loop.kind !== "callback") return [];
  const roots: NodePath[] = [];
  const call = loop.path.parentPath!;
  roots.push(...childPaths(call, "arguments").slice(1));
  for (let p: NodePath = loop.path; p.node !== anchor.at.node && p.parentPath !== null; p = p.parentPath) {
    const parent = p.parentPath;
    for (const key of t.VISITOR_KEYS[parent.type] ?? []) {
      const child = childPaths(parent, key) as NodePath | NodePath[];
      for (const c of Array.isArray(child) ? child : [child]) {
        if (c.node != null && c.node.end! <= p.node.start!) roots.push(c);
      }
    }
  }
  return roots;
}

// ---------------------------------------------------------------------------
// The operator

interface Context {
  ctx: OperatorContext;
  types: TypeReader;
  ids: Map<Binding, number>;
  /** Which bindings are arrays the node made itself (cache). */
  owned: Map<Binding, boolean>;
}

function refsIn(binding: Binding, region: NodePath): NodePath[] {
  return binding.referencePaths.filter((r) => isInside(r, region)).sort((a, b) => a.node.start! - b.node.start!);
}

/** A use of an owned array outside `region` that lets other code change it: handed over, or changed by a nested function. */
function escapes(owned: Owned, region: NodePath, ctx: OperatorContext): string | undefined {
  const name = owned.binding.identifier.name;
  for (const ref of owned.binding.referencePaths) {
    if (isInside(ref, region)) continue;
    const use = classify(ref);
    // Returned by the node itself: the call is over, nothing of it runs any more.
    if (use.kind === "other" && ref.parentPath?.isReturnStatement() && functionsBetween(ref, owned.owner).length === 0) continue;
    if (use.kind === "other") return `\`${name}\` is handed to other code (${code(ctx, ref.parent ?? ref.node)}, line ${line(ref.node)})`;
    if (use.kind === "call" && use.method !== undefined && ITERATION_METHODS.has(use.method)) return `\`${name}\` is handed to the callback of ${code(ctx, use.call.node)} (line ${line(use.call.node)})`;
    if (use.kind !== "read" && functionsBetween(ref, owned.owner).length > 0) {
      const at = use.kind === "push" || use.kind === "call" ? use.call : use.at;
      return `\`${name}\` is changed by a function that could be called at any time (${code(ctx, at.node)}, line ${line(ref.node)})`;
    }
  }
  return undefined;
}

/** A push that a companion `add` can follow, or why not. */
function checkPush(use: { call: NodePath<t.CallExpression | t.OptionalCallExpression> }, name: string, loop: Loop, c: Context, owned: Owned): PushSite | string {
  const { ctx, types } = c;
  const call = use.call;
  const args = call.node.arguments;
  const at = `${code(ctx, call.node)} (line ${line(call.node)})`;
  if (!call.parentPath.isExpressionStatement()) return `\`${name}\` is pushed to inside the loop, in an expression (${at}): only a push that is a statement of its own can be followed by the Set's \`add\``;
  if (args.length !== 1 || t.isSpreadElement(args[0]) || t.isArgumentPlaceholder(args[0])) return `\`${name}\` is pushed to inside the loop with ${args.length === 1 ? "a spread" : `${args.length} arguments`} (${at}): only a push of one value keeps a Set in step`;
  const arg = args[0] as t.Expression;
  const effect = firstSideEffect(arg);
  if (effect !== undefined) return `\`${name}\` is pushed to inside the loop (${at}) with a value that may have a side effect (${code(ctx, effect)}): the Set's \`add\` would evaluate it again`;
  const argPath = call.get("arguments")[0]!;
  let readsArray = false;
  argPath.traverse({
    Identifier(p) {
      if (p.node.name === name && p.scope.getBinding(name) === owned.binding) readsArray = true;
    },
  });
  if (t.isIdentifier(arg, { name }) && argPath.scope.getBinding(name) === owned.binding) readsArray = true;
  if (readsArray) return `\`${name}\` is pushed to inside the loop (${at}) with a value that reads \`${name}\`, which the push has just changed`;
  for (const f of functionsBetween(call, loop.path)) {
    if (!(isIterationCallback(f) && callbackOnArray(f, types))) return `\`${name}\` is pushed to inside a function that may run at another time (${at})`;
  }
  return { statement: call.parentPath as NodePath<t.ExpressionStatement>, argument: arg };
}

/** Why iterating `loop` itself may run code of the program (`for…of` over something that is not an array, `for await`). */
function iterationRuns(loop: Loop, types: TypeReader): string | undefined {
  if (!loop.path.isForOfStatement()) return undefined;
  const right = loop.path.get("right");
  if (loop.path.node.await) return `awaits each element of \`${right.toString()}\` (line ${line(loop.path.node)}), and other code can run meanwhile`;
  if (!iteratesBuiltIn(right, types)) return `iterates \`${right.toString()}\` (line ${line(loop.path.node)}), which cdlc cannot see is an array: its iterator is other code`;
  return undefined;
}

/** Whether the Set stays right for the whole of `loop`: pushes to keep in step, or why not. */
function checkLoop(site: Site, chain: Chain, owned: Owned | undefined, loop: Loop, c: Context): { pushes: PushSite[] } | string {
  const { ctx, types } = c;
  const name = ctx.text(chain.root.node);
  const arrayText = code(ctx, site.array.node);
  // The chain's properties are covered below: nothing in the loop may write a property or call code.
  const varies = whyVaries(chain.root, loop);
  if (varies !== undefined) return varies;
  if (loop.kind === "callback" && !callbackOnArray(loop.path, types)) {
    const callee = (loop.path.parent as t.CallExpression).callee as t.MemberExpression;
    return `cdlc cannot see that ${code(ctx, callee.object)} is an array: its \`${methodName(callee)}\` callback (line ${line(loop.path.node)}) could run after ${arrayText} has changed`;
  }
  if (owned !== undefined) {
    const pushes: PushSite[] = [];
    for (const ref of refsIn(owned.binding, loop.region)) {
      const use = classify(ref);
      if (use.kind === "read") continue;
      if (use.kind === "push") {
        const push = checkPush(use, name, loop, c, owned);
        if (typeof push === "string") return push;
        pushes.push(push);
        continue;
      }
      const at = use.kind === "call" ? use.call : use.at;
      if (use.kind === "call" && use.method !== undefined && ITERATION_METHODS.has(use.method)) return `\`${name}\` is handed to the callback of ${code(ctx, at.node)} (line ${line(at.node)}), which receives the array itself and could change it`;
      if (use.kind === "other") return `\`${name}\` is handed to other code inside the loop (${code(ctx, at.parent ?? at.node)}, line ${line(at.node)}), which could change it`;
      return `\`${name}\` is changed inside the loop (${code(ctx, at.node)}, line ${line(at.node)}): only \`${name}.push(x)\` can be kept in step with the Set`;
    }
    const reassigned = owned.binding.constantViolations.find((v) => isInside(v, loop.region));
    if (reassigned !== undefined) return `\`${name}\` is assigned inside the loop (line ${line(reassigned.node)})`;
    const handed = escapes(owned, loop.region, ctx);
    if (handed !== undefined) {
      // Its pushes count too: whoever holds it could have replaced its `push`.
      const foreign = foreignCode(loop.region, c);
      if (foreign !== undefined) return `${handed} and the loop ${foreign.what} (${code(ctx, foreign.node)}, line ${line(foreign.node)}), which could change it`;
      const iteration = iterationRuns(loop, types);
      if (iteration !== undefined) return `${handed} and the loop ${iteration}, which could change it`;
    }
    return { pushes };
  }
  if (chain.binding !== undefined && chain.props.length === 0) {
    for (const ref of refsIn(chain.binding, loop.region)) {
      const use = classify(ref);
      if (use.kind === "read") continue;
      const at = use.kind === "call" || use.kind === "push" ? use.call : use.at;
      if (use.kind === "push") return `\`${name}\` is pushed to inside the loop (${code(ctx, at.node)}, line ${line(at.node)}), and it is not a local array the node made, so a Set cannot be kept in step`;
      if (use.kind === "other") return `\`${name}\` is handed to other code inside the loop (${code(ctx, at.parent ?? at.node)}, line ${line(at.node)}), which could change it`;
      return `\`${name}\` is changed inside the loop (${code(ctx, at.node)}, line ${line(at.node)})`;
    }
  }
  const shared = `${arrayText} is not a local array the node made, and the loop`;
  const foreign = foreignCode(loop.region, c);
  if (foreign !== undefined) return `${shared} ${foreign.what} (${code(ctx, foreign.node)}, line ${line(foreign.node)}), which could change it`;
  const iteration = iterationRuns(loop, types);
  if (iteration !== undefined) return `${shared} ${iteration}, which could change it`;
  return { pushes: [] };
}

/** Whether the code between the Set's declaration and the loop leaves the array alone. */
function checkPrelude(anchor: Anchor, chain: Chain, owned: Owned | undefined, c: Context, escaped: boolean): string | undefined {
  const { ctx } = c;
  for (const root of preludeOf(anchor)) {
    const binding = owned?.binding ?? (chain.props.length === 0 ? chain.binding : undefined);
    if (binding !== undefined) {
      for (const ref of refsIn(binding, root)) {
        const use = classify(ref);
        if (use.kind !== "read") return `${code(ctx, chain.root.node)} is used before the loop starts (line ${line(ref.node)}), after the Set would be built`;
      }
    }
    if (owned === undefined || escaped) {
      const foreign = foreignCode(root, c);
      if (foreign !== undefined) return `between the Set's declaration and the loop, the code ${foreign.what} (${code(ctx, foreign.node)}, line ${line(foreign.node)}), which could change the array`;
    }
  }
  // The Set evaluates the array at the anchor: a local declared later would not exist yet.
  const b = chain.binding;
  if (b !== undefined && b.kind !== "param" && b.kind !== "module" && isInside(b.path, ctx.fn) && b.path.node.end! > anchor.at.node.start!) {
    return `${code(ctx, chain.root.node)} is declared after the place where the Set would be built (line ${line(b.path.node)})`;
  }
  return undefined;
}

function planSite(site: Site, c: Context): Plan | string {
  const { ctx, types } = c;
  const where = `${code(ctx, site.whole)} (line ${line(site.whole)})`;
  const chain = chainOf(site.array, c);
  if (typeof chain === "string") return `${where}: ${chain}`;

  const loops = enclosingLoops(site.call, ctx.fn);
  if (loops.length === 0) return `${where} is not inside a loop: it runs once, and building a Set costs more than the one lookup it saves`;

  const arrayType = types.of(site.array);
  const { nullish, rest } = types.splitNullish(arrayType);
  const element = types.arrayElement(rest);
  const arrayText = code(ctx, site.array.node);
  if (element === undefined) {
    const kind = types.isString(rest) ? "it is a string, whose `includes` and `indexOf` search substrings" : "no annotation, cast or initializer in the file says so; a string's `includes` searches substrings";
    return `${where}: cdlc cannot see that ${arrayText} is an array (${kind})`;
  }
  if (nullish && !site.optional) return `${where}: ${arrayText} may be null or undefined: the lookup would throw there, a Set built from it would not`;

  const owned = chain.props.length === 0 ? ownedArray(chain.binding, ctx.fn, types) : undefined;
  if (site.method !== "includes") {
    const how = site.method === "indexOf" ? "`indexOf` never finds NaN" : "`===` never matches NaN";
    const valueType = types.of(site.value);
    if (!types.excludes(element, "number") && !types.excludes(valueType, "number")) {
      return `${where}: ${how} and Set.has does; cdlc cannot see that NaN is impossible here (no type shows that ${arrayText}'s elements or ${code(ctx, site.value.node)} are not numbers)`;
    }
    if (!types.excludes(valueType, "undefined") && !owned?.holeFree) {
      const skips = site.method === "indexOf" ? "`indexOf` skips" : "`some` skips";
      return `${where}: ${skips} the holes of a sparse array and a Set built from it holds \`undefined\` for them; cdlc cannot see that ${code(ctx, site.value.node)} is never undefined`;
    }
  }

  const candidates: { loop: Loop; pushes: PushSite[] }[] = [];
  let stop: string | undefined;
  for (const loop of loops) {
    const r = checkLoop(site, chain, owned, loop, c);
    if (typeof r === "string") {
      stop = r;
      break;
    }
    candidates.push({ loop, pushes: r.pushes });
  }
  if (candidates.length === 0) return `${where}: ${stop}`;

  const escaped = owned !== undefined && escapes(owned, candidates[0]!.loop.region, ctx) !== undefined;
  let why = stop ?? "";
  for (let k = candidates.length - 1; k >= 0; k--) {
    const { loop, pushes } = candidates[k]!;
    const anchor = anchorFor(loop);
    if (typeof anchor === "string") {
      why = anchor;
      continue;
    }
    const prelude = checkPrelude(anchor, chain, owned, c, escaped);
    if (prelude !== undefined) {
      why = prelude;
      continue;
    }
    const key = `${chain.key}|${anchor.at.node.start}|${site.optional}`;
    return { site, anchor, pushes, key, hint: chain.hint, unknownSet: site.method === "some" && hasTypeScript(ctx) && !surelyElement(types, element, types.of(site.value)) };
  }
  return `${where}: ${why}`;
}

/**
 * Whether a value's type, as the file writes it, is the element type (or a
 * literal of it): then `Set<E>.has(v)` type-checks where `y === v` did.
 * `===` only needs the two types to overlap (`Kind` and `string`).
 */
function surelyElement(types: TypeReader, element: t.TSType, value: t.TSType | undefined): boolean {
  const e = types.resolve(element);
  const v = value === undefined ? undefined : types.resolve(value);
  if (e === undefined || v === undefined) return false;
  // (Not `isNodesEquivalent` as a guard: it would narrow `v` to `e`'s type.)
  const same: boolean = t.isNodesEquivalent(e, v);
  if (same) return true;
  if (!t.isTSLiteralType(v)) return false;
  const literal = v.literal;
  if (t.isStringLiteral(literal) || t.isTemplateLiteral(literal)) return t.isTSStringKeyword(e);
  if (t.isNumericLiteral(literal) || t.isUnaryExpression(literal)) return t.isTSNumberKeyword(e);
  if (t.isBooleanLiteral(literal)) return t.isTSBooleanKeyword(e);
  return t.isBigIntLiteral(literal) && t.isTSBigIntKeyword(e);
}

function indentAt(source: string, offset: number): string | undefined {
  const start = source.lastIndexOf("\n", offset - 1) + 1;
  const before = source.slice(start, offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

/** The edits that make one Set for a group of sites: its declaration, the new tests, the companion `add`s. */
function rewriteGroup(plans: Plan[], ctx: OperatorContext): Rewrite {
  const { anchor } = plans[0]!;
  const first = plans[0]!.site;
  const set = ctx.freshName(`${plans[0]!.hint}Set`);
  const arrayText = ctx.text(first.array.node);
  const optional = first.optional;
  const made = `new Set${plans.some((p) => p.unknownSet) ? "<unknown>" : ""}(${arrayText})`;
  const declaration = optional ? `const ${set} = ${arrayText} == null ? undefined : ${made};` : `const ${set} = ${made};`;
  const source = ctx.source;
  const edits: Edit[] = [];

  const at = anchor.at.node;
  if (anchor.kind === "before") {
    const indent = indentAt(source, at.start!);
    edits.push({ start: at.start!, end: at.start!, text: indent === undefined ? `${declaration} ` : `${declaration}\n${indent}` });
  } else if (anchor.kind === "wrap") {
    edits.push({ start: at.start!, end: at.start!, text: `{ ${declaration} ` }, { start: at.end!, end: at.end!, text: " }" });
  } else {
    let start = at.start!;
    let end = at.end!;
    const extra = at.extra as { parenthesized?: boolean; parenStart?: number } | undefined;
    if (extra?.parenthesized && extra.parenStart !== undefined) {
      start = extra.parenStart;
      end = source.indexOf(")", end) + 1;
    }
    // The opening edit covers the body's first character: two Sets for one arrow body overlap, so the
    // engine does not combine them into `return { const … }`, which would not parse.
    edits.push({ start, end: start + 1, text: `{ ${declaration} return ${source[start]}` }, { start: end, end, text: "; }" });
  }

  // One replacement per test; a test inside another one's value stays as written there.
  const sites = plans.map((p) => p.site).filter((s, _, all) => !all.some((o) => o !== s && o.whole.start! <= s.whole.start! && s.whole.end! <= o.whole.end!));
  const tests: string[] = [];
  for (const s of sites) {
    const value = ctx.text(s.value.node);
    let text: string;
    if (!s.optional) text = `${s.found ? "" : "!"}${set}.has(${value})`;
    else if (s.method !== "indexOf") text = `${set}?.has(${value})`;
    else text = `(${set}?.has(${value}) ${s.found ? (s.nullishValue ? "!== false" : "=== true") : "=== false"})`;
    edits.push({ start: s.whole.start!, end: s.whole.end!, text });
    tests.push(`\`${ctx.text(s.whole)}\` → \`${text}\` (line ${line(s.whole)})`);
  }

  const pushes = new Map<t.Node, PushSite>();
  for (const p of plans) for (const push of p.pushes) pushes.set(push.statement.node, push);
  const kept: number[] = [];
  for (const push of [...pushes.values()].sort((a, b) => a.statement.node.start! - b.statement.node.start!)) {
    const s = push.statement;
    const add = `${set}.add(${ctx.text(push.argument)});`;
    const semi = ctx.text(s.node).trimEnd().endsWith(";") ? "" : ";";
    const parent = s.parentPath;
    const inList = (s.listKey === "body" && (parent.isBlockStatement() || parent.isProgram())) || (s.listKey === "consequent" && parent.isSwitchCase());
    if (inList) {
      const indent = indentAt(source, s.node.start!);
      const lineEnd = source.indexOf("\n", s.node.end!);
      const tail = lineEnd < 0 ? "" : source.slice(s.node.end!, lineEnd);
      if (indent !== undefined && lineEnd >= 0 && /^\s*(\/\/.*)?$/.test(tail)) {
        if (semi !== "") edits.push({ start: s.node.end!, end: s.node.end!, text: semi });
        edits.push({ start: lineEnd, end: lineEnd, text: `\n${indent}${add}` });
      } else edits.push({ start: s.node.end!, end: s.node.end!, text: `${semi} ${add}` });
    } else {
      edits.push({ start: s.node.start!, end: s.node.start!, text: "{ " }, { start: s.node.end!, end: s.node.end!, text: `${semi} ${add} }` });
    }
    kept.push(line(s.node)!);
  }

  const where = anchor.loop.kind === "callback" ? "the statement of the loop" : "the loop";
  let summary = `${tests.join(", ")}, set built once before ${where} (line ${line(anchor.loop.path.node)})`;
  if (kept.length > 0) summary += `, kept in step with \`${ctx.text(first.array.node)}.push\` (line${kept.length > 1 ? "s" : ""} ${kept.join(", ")})`;
  return { edits, summary };
}

export const setMembership: Operator = {
  id: "set_membership",
  risk: 0.2,
  byNameOnly: false,
  apply(ctx) {
    const program = ctx.fn.scope.getProgramParent().path.node as t.Program;
    const c: Context = { ctx, types: new TypeReader(program), ids: new Map(), owned: new Map() };
    const sites: Site[] = [];
    const reasons: string[] = [];
    const visit = (path: CallPath) => {
      const r = recognise(path, ctx);
      if (typeof r === "string") reasons.push(r);
      else if (r !== undefined) sites.push(r);
    };
    ctx.fn.traverse({ CallExpression: visit, OptionalCallExpression: visit });
    if (sites.length === 0) {
      return { reason: reasons.length > 0 ? reasons.join("; ") : "no `includes(v)`, `indexOf(v)` compared with -1 or 0, or `some((y) => y === v)` in the body" };
    }
    let shadow: string | undefined;
    if (ctx.fn.scope.getBinding("Set") !== undefined) shadow = "Set";
    ctx.fn.traverse({
      Scope(p) {
        if (p.scope.hasOwnBinding("Set")) shadow = "Set";
      },
    });
    if (shadow !== undefined) return { reason: "`Set` is not the built-in here (the file or the node declares its own `Set`)" };

    const groups = new Map<string, Plan[]>();
    for (const site of sites) {
      const plan = planSite(site, c);
      if (typeof plan === "string") {
        reasons.push(plan);
        continue;
      }
      const group = groups.get(plan.key) ?? [];
      group.push(plan);
      groups.set(plan.key, group);
    }
    const rewrites = [...groups.values()].sort((a, b) => a[0]!.site.whole.start! - b[0]!.site.whole.start!).map((g) => rewriteGroup(g, ctx));
    return rewrites.length > 0 ? { rewrites } : { reason: reasons.join("; ") };
  },
};
