import type { ts as Ts } from "ts-morph";
import { morphCommon, ts } from "../graph/typescript.js";
import { shapeChildren, type IndexKey, type NodeShape, type PropertyShape, type Shape, type TupleElementShape } from "./shape.js";

/**
 * Reading the shapes of a node's inputs from the TypeScript types of its
 * parameters, in the parent process (which has the checker). The rule is
 * the oracle's: every value the shapes allow is one a real caller could
 * pass. Where that cannot be promised — class instances (their methods
 * and private state come from the class), functions, symbols, promises,
 * branded primitives, generic types the declaration leaves open,
 * overloaded signatures — the shape says `unsupported` and why.
 *
 * Type parameters are read as their base constraint (`unknown`, hence
 * `anything`, when unconstrained): a caller may instantiate them so.
 */

/** How deep types may nest (through distinct types) before we give up: `type D<T> = { d: D<T[]> }` never repeats. */
const MAX_NESTING = 48;

/** Where a type occurs, for the reasons of `unsupported`. */
interface Site {
  /** What the caller passes: "parameter `o`", "receiver `this`". */
  label: string;
  /** The expression that reads the value: `o`, then `o.items[]`. */
  path: string;
  /** True at the parameter itself. */
  root: boolean;
}

const at = (site: Site, suffix: string): Site => ({ label: site.label, path: site.path + suffix, root: false });

const unsupported = (site: Site, what: string): Shape => ({
  kind: "unsupported",
  why: site.root ? `${site.label} has ${what}` : `${site.label}: \`${site.path}\` has ${what}`,
});

/** Inline code, as Markdown writes it (types may hold backquotes). */
const code = (text: string): string => (text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``);

const libFolder = `${morphCommon.libFolderInMemoryPath}/`;

/** A declaration in TypeScript's standard library (cdlc serves it from memory; a plain `tsc` host marks it no-default-lib). */
function inStandardLibrary(node: ts.Node): boolean {
  const sf = node.getSourceFile();
  return sf.hasNoDefaultLib || sf.fileName.startsWith(libFolder);
}

/** A named interface or class of the standard library (`Date`, `Map`, `Promise`…). */
function standardLibraryName(symbol: ts.Symbol | undefined): string | undefined {
  if (symbol === undefined || !(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class))) return undefined;
  const decls = symbol.declarations ?? [];
  return decls.length > 0 && decls.every(inStandardLibrary) ? symbol.name : undefined;
}

class ShapeReader {
  readonly definitions: Record<string, Shape> = {};
  /** Recursive types already defined, by their definition's name. */
  private readonly named = new Map<ts.Type, string>();
  /** Types being read (the path from the parameter); a name once one is met again inside itself. */
  private readonly open = new Map<ts.Type, { name: string | undefined }>();
  /** Shapes of types read before (supported ones: an unsupported reason names the place it was found). */
  private readonly done = new Map<ts.Type, Shape>();
  private readonly usedNames = new Set<string>();
  /**
   * The `undefined` a caller may pass. With `exactOptionalPropertyTypes`
   * an optional property's type holds another `undefined` (the checker's
   * "missing" type): the property may be absent, not `undefined`.
   */
  private readonly undefinedType: ts.Type;

  constructor(private readonly checker: ts.TypeChecker) {
    this.undefinedType = checker.getUndefinedType();
  }

  show(type: ts.Type): string {
    return this.checker.typeToString(type);
  }

  of(type: ts.Type, site: Site): Shape {
    const name = this.named.get(type);
    if (name !== undefined) return { kind: "ref", name };
    const seen = this.done.get(type);
    if (seen !== undefined) return seen;
    const open = this.open.get(type);
    if (open !== undefined) {
      open.name ??= this.nameFor(type);
      return { kind: "ref", name: open.name };
    }
    if (this.open.size >= MAX_NESTING) return unsupported(site, `a type nested more than ${MAX_NESTING} levels deep (${code(this.show(type))})`);
    const entry: { name: string | undefined } = { name: undefined };
    this.open.set(type, entry);
    const shape = this.read(type, site);
    this.open.delete(type);
    if (entry.name !== undefined) {
      // Refs to it were made inside: define it even when unsupported (the final check follows refs).
      this.definitions[entry.name] = shape;
      this.named.set(type, entry.name);
      return shape.kind === "unsupported" ? shape : { kind: "ref", name: entry.name };
    }
    if (shape.kind !== "unsupported") this.done.set(type, shape);
    return shape;
  }

  private nameFor(type: ts.Type): string {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const shown = symbol !== undefined && !symbol.name.startsWith("__") ? this.show(type) : "anonymous";
    const base = shown.length <= 60 ? shown : symbol?.name ?? "anonymous";
    let name = base;
    for (let n = 2; this.usedNames.has(name); n++) name = `${base}~${n}`;
    this.usedNames.add(name);
    return name;
  }

  private read(type: ts.Type, site: Site): Shape {
    const f = type.flags;
    const F = ts.TypeFlags;
    // An unresolved type reads as `any` (the checker's "error" type): nothing is known of it.
    if (f & F.Any && (type as { intrinsicName?: string }).intrinsicName === "error") return unsupported(site, "a type TypeScript could not resolve");
    if (f & (F.Any | F.Unknown)) return { kind: "anything" };
    if (f & F.Never) return unsupported(site, "type `never` (no value has it)");
    if (f & (F.Undefined | F.Void)) return { kind: "undefined" };
    if (f & F.Null) return { kind: "null" };
    // `boolean` is the union `false | true`.
    if (f & F.Boolean) return { kind: "boolean" };
    if (f & F.Union) return this.union((type as Ts.UnionType).types, site);
    if (f & F.StringLiteral) return { kind: "literal", type: "string", value: (type as Ts.StringLiteralType).value };
    if (f & F.NumberLiteral) return { kind: "literal", type: "number", value: jsonNumber((type as Ts.NumberLiteralType).value) };
    if (f & F.BigIntLiteral) {
      const { negative, base10Value } = (type as Ts.BigIntLiteralType).value;
      return { kind: "literal", type: "bigint", value: negative && base10Value !== "0" ? `-${base10Value}` : base10Value };
    }
    if (f & F.BooleanLiteral) return { kind: "literal", type: "boolean", value: this.show(type) === "true" };
    if (f & F.Enum) return unsupported(site, `enum member ${code(this.show(type))}, whose value is computed`);
    if (f & F.String) return { kind: "string" };
    if (f & F.Number) return { kind: "number" };
    if (f & F.BigInt) return { kind: "bigint" };
    if (f & F.ESSymbol) return unsupported(site, "type `symbol` (a symbol cannot be copied for the two sides)");
    if (f & F.UniqueESSymbol) return unsupported(site, `unique symbol type ${code(`typeof ${type.getSymbol()?.name ?? "?"}`)}`);
    if (f & (F.TemplateLiteral | F.StringMapping)) return unsupported(site, `template literal type ${code(this.show(type))}`);
    if (f & F.NonPrimitive) return unsupported(site, "type `object` (any object at all)");
    if (f & F.TypeParameter) {
      // A caller may instantiate it with its constraint, or with `unknown` when it has none.
      const constraint = this.checker.getBaseConstraintOfType(type);
      return constraint === undefined || constraint === type ? { kind: "anything" } : this.of(constraint, site);
    }
    if (f & F.Intersection) {
      const parts = (type as Ts.IntersectionType).types;
      if (!parts.every((p) => p.flags & F.Object)) return unsupported(site, `intersection type ${code(this.show(type))} (a branded primitive?)`);
      return this.object(type, parts, site);
    }
    if (f & F.Object) return this.object(type, [type], site);
    return unsupported(site, `generic type ${code(this.show(type))}`);
  }

  /** A union of `members`; with `dropMissing`, the "missing" `undefined` of optional properties and tuple elements is left out. */
  union(members: readonly ts.Type[], site: Site, dropMissing = false): Shape {
    const shapes: Shape[] = [];
    for (const m of members) {
      if (dropMissing && m.flags & ts.TypeFlags.Undefined && m !== this.undefinedType) continue;
      const s = this.of(m, site);
      if (s.kind === "unsupported") return s;
      shapes.push(s);
    }
    // `boolean | undefined` comes as `undefined | false | true`: one `boolean` where the first of the two was.
    const isBool = (s: Shape): boolean => s.kind === "literal" && s.type === "boolean";
    const bools = shapes.filter(isBool);
    const both = bools.length === 2;
    const unique: Shape[] = [];
    for (const s of shapes) {
      if (both && isBool(s)) {
        if (s === bools[0]) unique.push({ kind: "boolean" });
      } else if (!unique.some((u) => (u.kind === "undefined" || u.kind === "null") && u.kind === s.kind)) {
        unique.push(s);
      }
    }
    if (unique.length === 1) return unique[0]!;
    return { kind: "union", members: unique };
  }

  /** The value of an optional property or tuple element; undefined when it can only be absent. */
  private optionalValue(type: ts.Type, site: Site): Shape | undefined {
    const members = type.flags & ts.TypeFlags.Union && !(type.flags & ts.TypeFlags.Boolean) ? (type as Ts.UnionType).types : [type];
    const kept = members.filter((m) => !(m.flags & ts.TypeFlags.Undefined) || m === this.undefinedType);
    if (kept.length === 0) return undefined;
    return kept.length === members.length ? this.of(type, site) : this.union(kept, site, true);
  }

  private object(type: ts.Type, parts: readonly ts.Type[], site: Site): Shape {
    const checker = this.checker;
    if (checker.isTupleType(type)) return this.tuple(type as Ts.TupleTypeReference, site);
    if (checker.isArrayType(type)) {
      const [element] = checker.getTypeArguments(type as Ts.TypeReference);
      if (element === undefined) return unsupported(site, `array type ${code(this.show(type))} without an element type`);
      const shape = this.of(element, at(site, "[]"));
      if (shape.kind === "unsupported") return shape;
      return { kind: "array", element: shape, ...(type.getSymbol()?.name === "ReadonlyArray" ? { readonly: true as const } : {}) };
    }
    for (const part of parts) {
      const symbol = part.getSymbol();
      if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Class) return unsupported(site, `class type ${code(this.show(part))}`);
      const library = standardLibraryName(symbol);
      if (library !== undefined) {
        if (parts.length === 1) {
          const builtin = this.builtin(library, part, site);
          if (builtin !== undefined) return builtin;
        }
        return unsupported(site, `built-in type ${code(this.show(part))}`);
      }
    }
    if (checker.getSignaturesOfType(type, ts.SignatureKind.Call).length > 0) return unsupported(site, `function type ${code(this.show(type))}`);
    if (checker.getSignaturesOfType(type, ts.SignatureKind.Construct).length > 0) return unsupported(site, `constructor type ${code(this.show(type))}`);
    const properties: PropertyShape[] = [];
    for (const prop of checker.getPropertiesOfType(type)) {
      const name = prop.getName();
      const escaped = prop.getEscapedName() as string;
      const propSite = at(site, /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`);
      if (escaped.startsWith("__@") || escaped.startsWith("__#")) return unsupported(site, `a property with a symbol or private key in ${code(this.show(type))}`);
      if ((prop.declarations ?? []).some(isPrivateMember)) return unsupported(propSite, "a private class member");
      const propType = checker.getTypeOfSymbol(prop);
      if (prop.flags & ts.SymbolFlags.Method) return unsupported(propSite, `method type ${code(this.show(propType))}`);
      if (prop.flags & ts.SymbolFlags.Optional) {
        const shape = this.optionalValue(propType, propSite);
        if (shape === undefined) continue; // it can only be absent
        if (shape.kind === "unsupported") return shape;
        properties.push({ name, shape, optional: true });
      } else {
        const shape = this.of(propType, propSite);
        if (shape.kind === "unsupported") return shape;
        properties.push({ name, shape });
      }
    }
    if (isGenericMapped(type)) return unsupported(site, `generic mapped type ${code(this.show(type))}`);
    const index = this.index(type, site);
    if (index !== undefined && "kind" in index) return index;
    if (index !== undefined && properties.length === 0) return { kind: "record", key: index.key, value: index.value };
    return { kind: "object", properties, ...(index !== undefined ? { index } : {}) };
  }

  /** The one index signature that keys can be generated for (symbol keys need none); an unsupported shape when there is no such one. */
  private index(type: ts.Type, site: Site): { key: IndexKey; value: Shape } | Shape | undefined {
    const infos = this.checker.getIndexInfosOfType(type).filter((i) => !(i.keyType.flags & ts.TypeFlags.ESSymbol));
    const byKey = (flag: Ts.TypeFlags): Ts.IndexInfo | undefined => infos.find((i) => i.keyType.flags & flag);
    const str = byKey(ts.TypeFlags.String);
    const num = byKey(ts.TypeFlags.Number);
    const other = infos.find((i) => i !== str && i !== num);
    if (other !== undefined) return unsupported(site, `an index signature with keys ${code(this.show(other.keyType))}`);
    // Numeric keys are strings too: with both signatures, a string key like "1" must also fit the number one.
    if (str !== undefined && num !== undefined && str.type !== num.type) return unsupported(site, `both string and number index signatures in ${code(this.show(type))}`);
    const info = str ?? num;
    if (info === undefined) return undefined;
    const value = this.of(info.type, at(site, "[key]"));
    return value.kind === "unsupported" ? value : { key: info === str ? "string" : "number", value };
  }

  private builtin(name: string, type: ts.Type, site: Site): Shape | undefined {
    const args = (): Shape[] | Shape => {
      const shapes: Shape[] = [];
      for (const [i, a] of this.checker.getTypeArguments(type as Ts.TypeReference).entries()) {
        const s = this.of(a, at(site, name.endsWith("Map") ? (i === 0 ? "<key>" : "<value>") : "<element>"));
        if (s.kind === "unsupported") return s;
        shapes.push(s);
      }
      return shapes;
    };
    const readonly = name.startsWith("Readonly") ? { readonly: true as const } : {};
    switch (name) {
      case "Date":
        return { kind: "date" };
      case "Map":
      case "ReadonlyMap": {
        const a = args();
        if (!Array.isArray(a)) return a;
        const [key, value] = a;
        return key !== undefined && value !== undefined ? { kind: "map", key, value, ...readonly } : undefined;
      }
      case "Set":
      case "ReadonlySet": {
        const a = args();
        if (!Array.isArray(a)) return a;
        const [element] = a;
        return element !== undefined ? { kind: "set", element, ...readonly } : undefined;
      }
      default:
        return undefined;
    }
  }

  private tuple(type: Ts.TupleTypeReference, site: Site): Shape {
    const { elementFlags, readonly } = type.target;
    const args = this.checker.getTypeArguments(type);
    const elements: TupleElementShape[] = [];
    for (const [i, flags] of elementFlags.entries()) {
      const arg = args[i];
      const elementSite = at(site, `[${i}]`);
      if (arg === undefined || flags & ts.ElementFlags.Variadic) return unsupported(elementSite, `a generic variadic element in ${code(this.show(type))}`);
      if (flags & ts.ElementFlags.Optional) {
        const shape = this.optionalValue(arg, elementSite);
        if (shape === undefined) return unsupported(elementSite, "an optional element that can never be present");
        if (shape.kind === "unsupported") return shape;
        elements.push({ shape, role: "optional" });
        continue;
      }
      const shape = this.of(arg, elementSite);
      if (shape.kind === "unsupported") return shape;
      elements.push({ shape, role: flags & ts.ElementFlags.Rest ? "rest" : "required" });
    }
    return { kind: "tuple", elements, ...(readonly ? { readonly: true as const } : {}) };
  }
}

/** A number as JSON can carry it. */
function jsonNumber(n: number): number | "NaN" | "Infinity" | "-Infinity" | "-0" {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return Object.is(n, -0) ? "-0" : n;
}

function isPrivateMember(decl: ts.Declaration): boolean {
  const name = (decl as { name?: ts.Node }).name;
  if (name !== undefined && ts.isPrivateIdentifier(name)) return true;
  return (ts.getCombinedModifierFlags(decl) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
}

/**
 * A mapped type over keys the declaration leaves open (`Record<K, V>` with
 * a type parameter `K`): the checker lists no properties for it, yet a
 * caller's value has some. The constraint is read from the checker's own
 * field (no public accessor); when it cannot be read, the type counts as
 * open.
 */
function isGenericMapped(type: ts.Type): boolean {
  if (!(type.flags & ts.TypeFlags.Object) || !((type as Ts.ObjectType).objectFlags & ts.ObjectFlags.Mapped)) return false;
  const constraint = (type as { constraintType?: ts.Type }).constraintType;
  return constraint === undefined || (constraint.flags & ts.TypeFlags.Instantiable) !== 0;
}

function isThisParameter(p: ts.ParameterDeclaration): boolean {
  return ts.isIdentifier(p.name) && p.name.text === "this";
}

/** Skips the wrappers that the graph's node collector looks through (`(…)`, `as`, `satisfies`, `!`). */
function outerExpression(node: ts.Node): ts.Node {
  let up = node.parent;
  while (up !== undefined && (ts.isParenthesizedExpression(up) || ts.isAsExpression(up) || ts.isSatisfiesExpression(up) || ts.isTypeAssertionExpression(up) || ts.isNonNullExpression(up))) up = up.parent;
  return up ?? node;
}

/** The class whose instance `this` is in the declaration: non-static methods, accessors and function-valued fields. */
function instanceClassOf(declaration: ts.SignatureDeclaration): ts.ClassLikeDeclaration | undefined {
  let member: ts.Node = declaration;
  if (ts.isArrowFunction(declaration) || ts.isFunctionExpression(declaration)) {
    const up = outerExpression(declaration);
    if (!ts.isPropertyDeclaration(up)) return undefined;
    member = up;
  } else if (!ts.isMethodDeclaration(declaration) && !ts.isGetAccessorDeclaration(declaration) && !ts.isSetAccessorDeclaration(declaration)) {
    return undefined;
  }
  const owner = member.parent;
  if (owner === undefined || !ts.isClassLike(owner)) return undefined; // object literal methods: the object is the receiver
  return ts.getCombinedModifierFlags(member as ts.Declaration) & ts.ModifierFlags.Static ? undefined : owner;
}

/** How many other signatures callers see instead of this one (overloads), 0 when none. */
function overloadsOf(checker: ts.TypeChecker, declaration: ts.SignatureDeclaration): number {
  let others: readonly ts.Declaration[];
  if (ts.isConstructorDeclaration(declaration)) {
    others = declaration.parent.members.filter((m) => ts.isConstructorDeclaration(m) && m !== declaration);
  } else {
    const name = declaration.name;
    const symbol = name !== undefined ? checker.getSymbolAtLocation(name) : undefined;
    others = (symbol?.declarations ?? []).filter((d) => d !== declaration && ts.isFunctionLike(d));
  }
  const hasBody = (d: ts.Declaration): boolean => (d as ts.FunctionLikeDeclaration).body !== undefined;
  // An implementation is hidden behind its overload signatures; a signature alone is one of several.
  return hasBody(declaration) ? others.filter((d) => !hasBody(d)).length : others.length;
}

/** The first problem among the shapes: an unsupported part, or a recursive type (reached through refs) with no finite value. */
function firstProblem(roots: readonly { label: string; shape: Shape }[], definitions: Record<string, Shape>): string | undefined {
  for (const { shape } of roots) if (shape.kind === "unsupported") return shape.why;
  const finite = finiteDefinitions(definitions);
  for (const { label, shape } of roots) {
    const seen = new Set<string>();
    const visit = (s: Shape): string | undefined => {
      for (const child of shapeChildren(s)) {
        const found = visit(child);
        if (found !== undefined) return found;
      }
      if (s.kind === "unsupported") return s.why;
      if (s.kind !== "ref" || seen.has(s.name)) return undefined;
      seen.add(s.name);
      const def = definitions[s.name];
      if (def === undefined) return `${label} refers to an undefined type \`${s.name}\``;
      if (!finite.has(s.name)) return `${label} has the recursive type \`${s.name}\`, which has no finite value`;
      return visit(def);
    };
    const found = visit(shape);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The definitions that have a finite value: a least fixpoint (containers may be empty, optional parts absent). */
function finiteDefinitions(definitions: Record<string, Shape>): Set<string> {
  const finite = new Set<string>();
  const has = (s: Shape): boolean => {
    switch (s.kind) {
      case "ref":
        return finite.has(s.name);
      case "object":
        return s.properties.every((p) => p.optional === true || has(p.shape));
      case "tuple":
        return s.elements.every((e) => e.role !== "required" || has(e.shape));
      case "union":
        return s.members.some(has);
      case "unsupported":
        return false;
      default:
        return true;
    }
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, def] of Object.entries(definitions)) {
      if (!finite.has(name) && has(def)) {
        finite.add(name);
        changed = true;
      }
    }
  }
  return finite;
}

/**
 * The shapes of what a caller passes to a node: its parameters (optional
 * and defaulted ones also `undefined`, and omittable from `optionalFrom`),
 * the elements of its rest parameter, and `this` when the declaration types
 * it. Instance members of classes have a class instance as receiver, which
 * cannot be generated: unsupported. Other receivers (static members: the
 * class; object literal methods: the object) are the node's natural one.
 */
export function shapeOfNode(checker: ts.TypeChecker, declaration: ts.Node): NodeShape {
  const refuse = (why: string): NodeShape => ({ params: [], definitions: {}, unsupported: why });
  if (!ts.isFunctionLike(declaration)) return refuse("the node is not a function");
  const overloads = overloadsOf(checker, declaration);
  if (overloads > 0) return refuse(`the function is overloaded: callers use its ${overloads} other signature${overloads === 1 ? "" : "s"}`);
  const reader = new ShapeReader(checker);
  const shape: NodeShape = { params: [], definitions: reader.definitions };
  const roots: { label: string; shape: Shape }[] = [];
  let required = 0;
  for (const [i, p] of declaration.parameters.entries()) {
    const name = ts.isIdentifier(p.name) ? p.name.text : undefined;
    const site: Site = { label: name !== undefined ? `${name === "this" ? "receiver" : "parameter"} \`${name}\`` : `parameter ${i + 1}`, path: name ?? `(parameter ${i + 1})`, root: true };
    const type = checker.getTypeAtLocation(p);
    if (isThisParameter(p)) {
      shape.receiver = reader.of(type, site);
      roots.push({ label: site.label, shape: shape.receiver });
      continue;
    }
    if (p.type === undefined && p.initializer === undefined && ts.getJSDocType(p) === undefined && type.flags & ts.TypeFlags.Any) {
      const why = unsupported(site, "no declared type (implicitly `any`)");
      shape.params.push(why);
      roots.push({ label: site.label, shape: why });
      continue;
    }
    if (p.dotDotDotToken !== undefined) {
      const spread = restParameter(reader, checker, type, site);
      for (const element of spread.params) {
        shape.params.push(element.shape);
        roots.push({ label: site.label, shape: element.shape });
        if (!element.optional) required = shape.params.length;
      }
      if (spread.rest !== undefined) {
        shape.rest = spread.rest;
        roots.push({ label: site.label, shape: spread.rest });
      }
      continue;
    }
    let param = reader.of(type, site);
    const optional = p.questionToken !== undefined || p.initializer !== undefined || checker.isOptionalParameter(p);
    // A caller may pass `undefined` for a defaulted parameter, even one before a required parameter.
    if (optional && param.kind !== "unsupported") param = withUndefined(param);
    shape.params.push(param);
    roots.push({ label: site.label, shape: param });
    if (!checker.isOptionalParameter(p)) required = shape.params.length;
  }
  if (required < shape.params.length) shape.optionalFrom = required;
  const owner = shape.receiver === undefined ? instanceClassOf(declaration) : undefined;
  if (owner !== undefined) {
    const shown = owner.name?.text ?? checker.typeToString(checker.getTypeAtLocation(owner));
    shape.receiver = { kind: "unsupported", why: `receiver \`this\` has class type \`${shown}\`` };
    roots.push({ label: "receiver `this`", shape: shape.receiver });
  }
  const problem = firstProblem(roots, reader.definitions);
  if (problem !== undefined) shape.unsupported = problem;
  return shape;
}

interface SpreadParameter {
  params: { shape: Shape; optional: boolean }[];
  rest?: Shape;
}

/** A rest parameter: an array gives `rest`; a tuple is spread into parameters (and its own rest). */
function restParameter(reader: ShapeReader, checker: ts.TypeChecker, type: ts.Type, site: Site): SpreadParameter {
  const refused = (shape: Shape): SpreadParameter => ({ params: [{ shape, optional: false }] });
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return { params: [], rest: { kind: "anything" } };
  const whole = reader.of(type, site);
  if (whole.kind === "unsupported") return refused(whole);
  if (whole.kind === "array") return { params: [], rest: whole.element };
  if (whole.kind !== "tuple") return refused(unsupported(site, `rest type ${code(checker.typeToString(type))}, not an array or a tuple`));
  const spread: SpreadParameter = { params: [] };
  for (const e of whole.elements) {
    if (spread.rest !== undefined) return refused(unsupported(site, `elements after the rest element of ${code(checker.typeToString(type))}`));
    if (e.role === "rest") spread.rest = e.shape;
    else spread.params.push({ shape: e.role === "optional" ? withUndefined(e.shape) : e.shape, optional: e.role === "optional" });
  }
  return spread;
}

/** `shape | undefined`, unless it already admits `undefined`. */
function withUndefined(shape: Shape): Shape {
  if (shape.kind === "undefined" || shape.kind === "anything") return shape;
  if (shape.kind === "union") return shape.members.some((m) => m.kind === "undefined") ? shape : { kind: "union", members: [...shape.members, { kind: "undefined" }] };
  return { kind: "union", members: [shape, { kind: "undefined" }] };
}
