import * as t from "@babel/types";

/**
 * The accumulator's type, as a TypeScript file writes it, for
 * accumulator_mutation: which in-place writes type-check where the copies
 * did. There is no type checker: annotations, assertions, literals and the
 * type declarations of the file are read; anything else is unknown, and an
 * unknown type allows no write (the operator then writes in a way that
 * type-checks on any object, or refuses).
 *
 * TypeScript types the accumulator with, in this order: the callback's
 * annotation of it; the reduce's type argument; the element type of the
 * receiver when the initial value is assignable to it (the overload
 * `reduce(cb, initial: T): T` comes first); the initial value's type (its
 * `as`/`<T>` assertion, else the literal's own type). Where the first two
 * are missing, both of the last two count when the element type is written
 * in the file and could hold the initial value: a write must type-check on
 * each. An element type that cdlc cannot see, or a type name it cannot
 * follow (imported, a type parameter), is taken not to hold it: left to the
 * compile check.
 */

/** A key a copy sets, as far as its syntax tells: a written-out name (`total`, `"a-b"`, `2`) or only its type. */
export type KeyKind = { name: string; numeric: boolean } | "string" | "number" | "other";

/** How a type lets a key be written, worst to best (so that `min` combines what must all hold). */
const enum Access {
  None = 0,
  Index = 1,
  Property = 2,
}

/** One type the accumulator may have, and where cdlc read it (for reasons). */
interface Candidate {
  /** The type, or the initial literal itself when it has no assertion. */
  type: t.TSType | t.ObjectExpression | t.ArrayExpression;
  /** `readonly string[]`, `{}`: as written. */
  shown: string;
  /** "the callback's annotation of `acc`", …. */
  from: string;
}

const ARRAY_BUILTINS = ["Array"];
const READONLY_BUILTINS = ["ReadonlyArray", "Readonly", "ReadonlyMap", "ReadonlySet"];
/** Built-in types that may hold an object or array literal's type (`Partial<{ a: 1 }>` holds `{}`): the utility types among them. */
const HOLDING_BUILTINS = [
  "Array", "ReadonlyArray", "Readonly", "Partial", "Required", "Record", "Pick", "Omit", "Extract", "Exclude", "NonNullable", "NoInfer",
  "ReturnType", "InstanceType", "Parameters", "ConstructorParameters", "Awaited", "Iterable", "ArrayLike", "Object",
];
/** Members every array has: a required member of another name rules out an array. */
const ARRAY_MEMBERS = new Set([...Object.getOwnPropertyNames(Array.prototype), "length"]);
const PRIMITIVE_KEYWORDS = new Set(["TSStringKeyword", "TSNumberKeyword", "TSBooleanKeyword", "TSBigIntKeyword", "TSSymbolKeyword", "TSNullKeyword", "TSUndefinedKeyword", "TSVoidKeyword", "TSNeverKeyword"]);

function typeParamName(n: t.TSTypeParameter): string {
  const name = (n as unknown as { name: string | t.Identifier }).name;
  return typeof name === "string" ? name : name.name;
}

function memberName(key: t.Node, computed: boolean | null | undefined): string | undefined {
  if (t.isStringLiteral(key)) return key.value;
  if (t.isNumericLiteral(key)) return String(key.value);
  if (!computed && t.isIdentifier(key)) return key.name;
  return undefined;
}

/** The type declarations of the file: aliases and interfaces without type parameters, declared once at its top. */
export class FileTypeNames {
  private readonly topLevel = new Map<string, t.Node>();
  /** Names declared more than once, below the top level, or as a type parameter: not followed, and no built-in. */
  private readonly ambiguous = new Set<string>();

  constructor(program: t.Program) {
    const top = new Set<t.Node>();
    for (const s of program.body) {
      const d = t.isExportNamedDeclaration(s) || t.isExportDefaultDeclaration(s) ? s.declaration : s;
      if (d !== null && d !== undefined) top.add(d);
    }
    t.traverseFast(program, (n) => {
      if (t.isTSTypeParameter(n)) this.ambiguous.add(typeParamName(n));
      if (!(t.isTSInterfaceDeclaration(n) || t.isTSTypeAliasDeclaration(n) || t.isTSEnumDeclaration(n) || t.isClassDeclaration(n) || t.isTSModuleDeclaration(n)) || !t.isIdentifier(n.id)) return;
      const name = n.id.name;
      if (!top.has(n) || this.topLevel.has(name) || ((t.isTSInterfaceDeclaration(n) || t.isTSTypeAliasDeclaration(n)) && n.typeParameters)) this.ambiguous.add(name);
      this.topLevel.set(name, n);
    });
  }

  /** The declaration a type name refers to (an alias's type, an interface), when cdlc can follow it. */
  declaration(type: t.TSTypeReference): t.TSType | t.TSInterfaceDeclaration | undefined {
    if (!t.isIdentifier(type.typeName) || type.typeParameters || this.ambiguous.has(type.typeName.name)) return undefined;
    const d = this.topLevel.get(type.typeName.name);
    if (t.isTSTypeAliasDeclaration(d)) return d.typeAnnotation;
    return t.isTSInterfaceDeclaration(d) ? d : undefined;
  }

  /** Whether a reference names one of these built-ins (not a type of the file's own). */
  builtin(type: t.Node, names: readonly string[]): type is t.TSTypeReference & { typeName: t.Identifier } {
    if (!t.isTSTypeReference(type) || !t.isIdentifier(type.typeName)) return false;
    const name = type.typeName.name;
    return names.includes(name) && !this.ambiguous.has(name) && !this.topLevel.has(name);
  }

  /** Follows parentheses and the file's aliases; an interface stays its declaration. */
  resolve(type: t.TSType, depth = 0): t.TSType | t.TSInterfaceDeclaration {
    if (depth > 20) return type;
    if (t.isTSParenthesizedType(type)) return this.resolve(type.typeAnnotation, depth + 1);
    if (!t.isTSTypeReference(type)) return type;
    const d = this.declaration(type);
    if (d === undefined || t.isTSInterfaceDeclaration(d)) return d ?? type;
    return this.resolve(d, depth + 1);
  }

  /** The element type of an array type as written (`T[]`, `Array<T>`, `readonly T[]`, `ReadonlyArray<T>`, `T[] | undefined`). */
  elementOf(type: t.TSType): t.TSType | undefined {
    const r = this.resolve(type);
    if (t.isTSInterfaceDeclaration(r)) return undefined;
    if (t.isTSUnionType(r)) {
      const rest = r.types.filter((m) => !t.isTSNullKeyword(m) && !t.isTSUndefinedKeyword(m));
      return rest.length === 1 ? this.elementOf(rest[0]!) : undefined;
    }
    if (t.isTSTypeOperator(r) && r.operator === "readonly") return this.elementOf(r.typeAnnotation);
    let element = t.isTSArrayType(r) ? r.elementType : this.builtin(r, ["Array", "ReadonlyArray"]) ? r.typeParameters?.params[0] : undefined;
    while (element !== undefined && t.isTSParenthesizedType(element)) element = element.typeAnnotation;
    return element;
  }
}

/** The members of a type literal or an interface (its own: what it extends is not followed). */
function membersOf(type: t.TSType | t.TSInterfaceDeclaration): t.TSTypeElement[] | undefined {
  if (t.isTSTypeLiteral(type)) return type.members;
  if (t.isTSInterfaceDeclaration(type)) return type.body.body;
  return undefined;
}

/** The accumulator's possible types, and what they allow. Made by `accumulatorTypes`. */
export class AccumulatorTypes {
  constructor(
    private readonly names: FileTypeNames,
    private readonly candidates: readonly Candidate[],
    private readonly text: (node: t.Node) => string,
  ) {}

  /** Why the accumulator must not be updated in place at all (a readonly or unknown type), or undefined. */
  refusal(family: "object" | "array"): string | undefined {
    for (const c of this.candidates) {
      const about = `the accumulator's type \`${c.shown}\` (${c.from})`;
      if (this.isReadonly(c.type)) return `${about} is readonly: updating it in place is what its type forbids${family === "array" ? " (`push` does not type-check on it)" : ""}`;
      if (!t.isObjectExpression(c.type) && !t.isArrayExpression(c.type) && t.isTSUnknownKeyword(this.names.resolve(c.type))) {
        return `${about} is \`unknown\`: nothing can be written to it`;
      }
      if (family === "array" && !this.pushable(c.type)) return `${about} is not one cdlc can see is a mutable array, so \`push\` may not type-check on it`;
    }
    return undefined;
  }

  /**
   * How `acc[key] = v` type-checks on every possible type, for every kind
   * the key may be: through declared properties (`acc.total = v` is fine),
   * through an index signature (write `acc["total"]`: with
   * `noPropertyAccessFromIndexSignature`, a dot would not type-check), or
   * not at all (undefined).
   */
  assigns(kinds: readonly KeyKind[]): "property" | "index" | undefined {
    if (kinds.length === 0) return undefined;
    let level: number = Access.Property;
    for (const c of this.candidates) for (const k of kinds) level = Math.min(level, this.admits(c.type, k));
    return level === Access.Property ? "property" : level === Access.Index ? "index" : undefined;
  }

  /** The type `return acc` must match, when the callback declares one that differs from the accumulator's. */
  returnMismatch(returnType: t.TSType | undefined): string | undefined {
    if (returnType === undefined) return undefined;
    const declared = this.text(returnType);
    const first = this.candidates[0]!;
    // A copy can have keys its accumulator's type lacks (`{ ...acc, a: 1 }` is a `{ a: number }`, `acc` a `{}`).
    if (this.candidates.every((c) => c.shown === declared)) return undefined;
    return `the callback declares its return type \`${declared}\`, not the accumulator's type \`${first.shown}\` (${first.from}): cdlc cannot see that \`return\` of the accumulator type-checks where the copy did`;
  }

  private isReadonly(type: Candidate["type"], depth = 0): boolean {
    if (t.isObjectExpression(type) || t.isArrayExpression(type) || depth > 20) return false;
    const r = this.names.resolve(type);
    if (t.isTSTypeOperator(r) && r.operator === "readonly") return true;
    if (this.names.builtin(r, READONLY_BUILTINS)) return true;
    if (t.isTSTupleType(r)) return false;
    if (t.isTSUnionType(r) || t.isTSIntersectionType(r)) return r.types.some((m) => this.isReadonly(m, depth + 1));
    const members = membersOf(r);
    return members !== undefined && members.some((m) => (t.isTSIndexSignature(m) || t.isTSPropertySignature(m)) && m.readonly === true);
  }

  private pushable(type: Candidate["type"]): boolean {
    if (t.isArrayExpression(type)) return true;
    if (t.isObjectExpression(type)) return false;
    const r = this.names.resolve(type);
    if (t.isTSAnyKeyword(r)) return true;
    return t.isTSArrayType(r) || t.isTSTupleType(r) || this.names.builtin(r, ARRAY_BUILTINS);
  }

  /** How a type (or the initial literal) lets a key of this kind be written. */
  private admits(type: Candidate["type"], key: KeyKind, depth = 0): Access {
    if (key === "other" || depth > 20 || t.isArrayExpression(type)) return Access.None;
    if (t.isObjectExpression(type)) {
      // A literal's type has the keys it writes out, mutable; no index signature.
      const named = typeof key !== "string" && type.properties.some((p) => t.isObjectProperty(p) && memberName(p.key, p.computed) === key.name);
      return named ? Access.Property : Access.None;
    }
    const r = this.names.resolve(type);
    if (t.isTSAnyKeyword(r)) return Access.Property;
    // A write to a union must type-check on each member; to an intersection, on one.
    if (t.isTSUnionType(r)) return Math.min(...r.types.map((m) => this.admits(m, key, depth + 1)));
    if (t.isTSIntersectionType(r)) return Math.max(...r.types.map((m) => this.admits(m, key, depth + 1)));
    if (this.names.builtin(r, ["Record"])) {
      const keyType = r.typeParameters?.params[0];
      return keyType === undefined ? Access.None : this.keyTypeAdmits(keyType, key, depth + 1);
    }
    let best = Access.None;
    for (const m of membersOf(r) ?? []) {
      if (t.isTSIndexSignature(m)) {
        const param = m.parameters[0]?.typeAnnotation;
        if (!m.readonly && t.isTSTypeAnnotation(param)) best = Math.max(best, Math.min(Access.Index, this.keyTypeAdmits(param.typeAnnotation, key, depth + 1)));
      } else if (t.isTSPropertySignature(m) && !m.readonly && typeof key !== "string" && memberName(m.key, m.computed) === key.name) best = Access.Property;
    }
    return best;
  }

  /** How an index signature's (or Record's) key type lets a key of this kind in: a literal key type makes properties. */
  private keyTypeAdmits(keyType: t.TSType, key: KeyKind, depth: number): Access {
    if (depth > 20) return Access.None;
    const r = this.names.resolve(keyType);
    // A string index takes numbers too; a number index only numbers.
    if (t.isTSStringKeyword(r) || t.isTSAnyKeyword(r) || this.names.builtin(r, ["PropertyKey"])) return key === "other" ? Access.None : Access.Index;
    if (t.isTSNumberKeyword(r)) return key === "number" || (typeof key !== "string" && key.numeric) ? Access.Index : Access.None;
    // `Record<"a" | "b", V>`: a key one member lets in; an index as soon as one does (`"a" | string` is `string`).
    if (t.isTSUnionType(r)) {
      const levels = r.types.map((m) => this.keyTypeAdmits(m, key, depth + 1));
      return levels.includes(Access.Index) ? Access.Index : Math.max(...levels);
    }
    if (t.isTSLiteralType(r) && typeof key !== "string") {
      const lit = r.literal;
      const same = (t.isStringLiteral(lit) && lit.value === key.name) || (t.isNumericLiteral(lit) && key.numeric && String(lit.value) === key.name);
      return same ? Access.Property : Access.None;
    }
    return Access.None;
  }

  /**
   * Whether the receiver's element type could hold the initial value, so
   * that TypeScript types the accumulator with it: certainly not for a
   * primitive, a literal, a function, an array for an object (or an object
   * for an array) with a required member the initial value lacks, or a
   * name cdlc cannot follow (taken not to; left to the compile check).
   */
  static mayHold(names: FileTypeNames, element: t.TSType, initial: Candidate["type"], family: "object" | "array", depth = 0): boolean {
    if (depth > 20) return true;
    const r = names.resolve(element);
    if (PRIMITIVE_KEYWORDS.has(r.type) || t.isTSLiteralType(r) || t.isTSTemplateLiteralType(r) || t.isTSFunctionType(r) || t.isTSConstructorType(r)) return false;
    if (t.isTSUnionType(r)) return r.types.some((m) => AccumulatorTypes.mayHold(names, m, initial, family, depth + 1));
    if (t.isTSIntersectionType(r)) return r.types.every((m) => AccumulatorTypes.mayHold(names, m, initial, family, depth + 1));
    if (t.isTSArrayType(r) || t.isTSTupleType(r) || (t.isTSTypeOperator(r) && r.operator === "readonly")) return family === "array";
    const members = membersOf(r);
    if (members !== undefined) {
      const shown = family === "array" ? ARRAY_MEMBERS : new Set(shownKeys(names, initial));
      return members.every((m) => {
        if (t.isTSCallSignatureDeclaration(m) || t.isTSConstructSignatureDeclaration(m)) return false;
        if (!(t.isTSPropertySignature(m) || t.isTSMethodSignature(m)) || m.optional) return true;
        const name = memberName(m.key, m.computed);
        return name === undefined || shown.has(name);
      });
    }
    // A name cdlc cannot follow (imported, a type parameter) is taken not to hold it.
    if (t.isTSTypeReference(r)) return names.builtin(r, HOLDING_BUILTINS);
    // `any`, `unknown`, `object`, mapped, conditional, indexed and `typeof` types: it may.
    return true;
  }
}

/** The property names a type or literal of the initial value shows (for what an element type requires). */
function shownKeys(names: FileTypeNames, initial: Candidate["type"]): string[] {
  if (t.isObjectExpression(initial)) return initial.properties.flatMap((p) => (t.isObjectProperty(p) || t.isObjectMethod(p) ? [memberName(p.key, p.computed)].filter((n): n is string => n !== undefined) : []));
  if (t.isArrayExpression(initial)) return [];
  const members = membersOf(names.resolve(initial));
  return (members ?? []).flatMap((m) => (t.isTSPropertySignature(m) || t.isTSMethodSignature(m) ? [memberName(m.key, m.computed)].filter((n): n is string => n !== undefined) : []));
}

const WRAPPERS = new Set(["TSSatisfiesExpression", "TSNonNullExpression", "ParenthesizedExpression"]);

/** The literal inside the initial value's assertions and parentheses. */
function unwrapped(init: t.Node): t.Node {
  let e = init;
  while (WRAPPERS.has(e.type) || t.isTSAsExpression(e) || t.isTSTypeAssertion(e)) e = (e as t.TSAsExpression).expression;
  return e;
}

/** What the operator knows of one reduce call, for `accumulatorTypes`. */
export interface ReduceTypes {
  names: FileTypeNames;
  /** The accumulator's name, for reasons. */
  acc: string;
  /** The callback's annotation of the accumulator. */
  annotation: t.TSType | undefined;
  /** The reduce's type argument. */
  typeArgument: t.TSType | undefined;
  /** The initial value as written (assertions included). */
  init: t.Expression;
  /** The receiver's element type, when the file writes the receiver's type; with the receiver's text. */
  element: { type: t.TSType; receiver: string } | undefined;
  text(node: t.Node): string;
}

/** The accumulator's possible types, or a reason it has one cdlc must not write to (`as const`). */
export function accumulatorTypes(r: ReduceTypes): AccumulatorTypes | string {
  const make = (candidates: Candidate[]) => new AccumulatorTypes(r.names, candidates, r.text);
  if (r.annotation !== undefined) return make([{ type: r.annotation, shown: r.text(r.annotation), from: `the callback's annotation of \`${r.acc}\`` }]);
  if (r.typeArgument !== undefined) return make([{ type: r.typeArgument, shown: r.text(r.typeArgument), from: "the reduce's type argument" }]);
  let e: t.Node = r.init;
  let initial: Candidate | undefined;
  while (initial === undefined) {
    if (t.isTSAsExpression(e) || t.isTSTypeAssertion(e)) {
      if (t.isTSTypeReference(e.typeAnnotation) && t.isIdentifier(e.typeAnnotation.typeName, { name: "const" })) {
        return `the initial value \`${r.text(r.init)}\` is \`as const\`, so the accumulator is readonly: updating it in place is what its type forbids`;
      }
      initial = { type: e.typeAnnotation, shown: r.text(e.typeAnnotation), from: "the initial value's assertion" };
    } else if (WRAPPERS.has(e.type)) e = (e as t.TSNonNullExpression).expression;
    else if (t.isObjectExpression(e) || t.isArrayExpression(e)) initial = { type: e, shown: r.text(e), from: "the initial literal's own type" };
    else throw new Error(`cdlc bug: the initial value is not a literal: ${e.type}`);
  }
  const candidates = [initial];
  // The operator refuses an array copy of an object literal and the converse: the literal tells the family.
  const family = t.isArrayExpression(unwrapped(r.init)) ? "array" : "object";
  if (r.element !== undefined && AccumulatorTypes.mayHold(r.names, r.element.type, initial.type, family)) {
    candidates.push({ type: r.element.type, shown: r.text(r.element.type), from: `the element type of \`${r.element.receiver}\`, which TypeScript gives the accumulator when the initial value is one` });
  }
  return make(candidates);
}
