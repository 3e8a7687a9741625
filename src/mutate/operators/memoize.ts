import type { Binding, NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { findNode } from "../../measure/find-node.js";
import { childPath, childPaths } from "../source.js";
import type { FunctionLike, Operator, OperatorContext, Rewrite } from "../types.js";

/**
 * memoize (applied only when listed by name): a pure function of primitive
 * arguments keeps its results, keyed by its arguments, and returns a kept
 * result instead of running again.
 *
 *   function fib(n: number): number {          function fib(n: number): number {
 *     if (n < 2) return n;                       const memo = …fib[Symbol.for("cdlc.memoize")] ??= …;
 *     return fib(n - 1) + fib(n - 2);     →      …; if (hit) return the kept result;
 *   }                                            if (n < 2) return remember(n);
 *                                                return remember(fib(n - 1) + fib(n - 2));
 *                                              }
 *
 * Preconditions, and why each makes a kept result the one a new call
 * would compute:
 * - The node is a function declaration, a function in a `const` (its
 *   binding is in scope inside it, and nothing reassigns it), or a static
 *   method or static arrow field (reached as `Class.name`). Instance and
 *   object-literal methods are refused: they have a receiver.
 * - Every parameter is a plain identifier, optional or not (an omitted
 *   argument is `undefined` to the body either way), annotated with a
 *   primitive type: number, string, boolean, bigint, null, undefined, a
 *   literal, `keyof T`, a union of those, an alias of one declared in the
 *   file, an enum. Defaults, rest and destructuring are refused: the key is exactly
 *   the values the body starts from. Extra arguments do not matter: the
 *   body never reads `arguments`.
 * - The result is a primitive: the return type says so, or (unannotated)
 *   every `return` is provably one. A kept object would be the same object
 *   for every caller, which one caller could change under the others.
 * - The function is pure as far as the module shows (see `Purity`): no
 *   `this`, `arguments`, `await` or `yield`; writes only to its own locals
 *   and into arrays and objects it created itself; reads of module state
 *   only of constants that nothing can change; calls only to built-ins
 *   known to be pure (not `Math.random`, `Date`, I/O) and to functions of
 *   the module that pass the same check (four calls deep at most).
 *
 * The cache, and why it is exact:
 * - It lives on the function object, under `Symbol.for("cdlc.memoize")`:
 *   it survives calls without a declaration outside the node, and one
 *   function's cache is never another's.
 * - The key is a string that encodes each argument as its `typeof`, then
 *   its text (`-0` apart from `0`: a Map's SameValueZero would merge them;
 *   strings length-prefixed), each part ending in `;`. The encoding is
 *   injective, so `("a,b", "c")` and `("a", "b,c")`, `1` and `"1"` and
 *   `1n`, `null` and `undefined` all get different keys, while equal
 *   arguments (NaN included) get the same one.
 * - An argument that is not a primitive at run time (the types were
 *   wrong, through `any`) is not cached at all: the body runs as before;
 *   nor is a result that is not one (a symbol included: it may be new on
 *   every call).
 * - Only what a `return` hands back is kept; a throw is not, nor the
 *   `undefined` of running off the end (those calls simply run again).
 * - Memory stays bounded: at 10,000 entries, or 4 Mi characters of keys
 *   and string results, the cache is emptied before the next entry; a
 *   single entry heavier than 64 Ki characters is not kept.
 *
 * Risk 0.4: purity is proven syntactically; a getter behind a property
 * read, or a built-in patched by other code, could still make the
 * function impure, and the variant drops calls the original made.
 */

const HOLDER_SLOT = 'Symbol.for("cdlc.memoize")';
const MAX_ENTRIES = 10_000;
const MAX_WEIGHT = 4_194_304;
const MAX_ENTRY_WEIGHT = 65_536;
/** Module functions followed from the node, at most this many calls deep. */
const MAX_DEPTH = 4;

/** Pure static members of built-in objects (functions and constants). */
const GLOBAL_MEMBERS: Record<string, ReadonlySet<string>> = {
  Math: new Set(["abs", "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cbrt", "ceil", "clz32", "cos", "cosh", "exp", "expm1", "floor", "fround", "hypot", "imul", "log", "log10", "log1p", "log2", "max", "min", "pow", "round", "sign", "sin", "sinh", "sqrt", "tan", "tanh", "trunc", "E", "LN10", "LN2", "LOG10E", "LOG2E", "PI", "SQRT1_2", "SQRT2"]),
  Number: new Set(["isFinite", "isInteger", "isNaN", "isSafeInteger", "parseFloat", "parseInt", "EPSILON", "MAX_SAFE_INTEGER", "MAX_VALUE", "MIN_SAFE_INTEGER", "MIN_VALUE", "NaN", "NEGATIVE_INFINITY", "POSITIVE_INFINITY"]),
  String: new Set(["fromCharCode", "fromCodePoint", "raw"]),
  Object: new Set(["is", "keys", "values", "entries", "hasOwn", "fromEntries"]),
  Array: new Set(["isArray", "from", "of"]),
  JSON: new Set(["stringify", "parse"]),
};
/** Built-in functions that are pure when called (or passed as a callback). */
const GLOBAL_FUNCTIONS = new Set(["String", "Number", "Boolean", "BigInt", "isNaN", "isFinite", "parseInt", "parseFloat", "Array", "Error", "TypeError", "RangeError", "SyntaxError"]);
/** Built-in constructors whose `new` makes a fresh object and nothing else. */
const GLOBAL_CONSTRUCTORS = new Set(["Map", "Set", "Array", "Object", "RegExp", "Error", "TypeError", "RangeError", "SyntaxError", "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"]);
const GLOBAL_CONSTANTS = new Set(["undefined", "NaN", "Infinity"]);
/** Globals the variant's own code uses: the node must not hide them. */
const GLOBALS_USED = ["Symbol", "Map", "Object", "String", "undefined"];

/** Methods that change their receiver (arrays, maps, sets, typed arrays; Object.prototype's accessor definers). */
const MUTATING_METHODS = new Set(["push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin", "set", "add", "delete", "clear", "__defineGetter__", "__defineSetter__"]);
/** Methods that return a new array (so a local made by them is the function's own). */
const FRESH_ARRAY_METHODS = new Set(["slice", "map", "filter", "concat", "split", "flat", "flatMap", "toSorted", "toReversed", "toSpliced", "with", "keys", "values", "entries"]);
/** Methods that only read an array or object of primitives and take no callback. */
const READING_METHODS = new Set(["includes", "indexOf", "lastIndexOf", "at", "slice", "join", "concat", "toString", "toLocaleString", "hasOwnProperty", "propertyIsEnumerable", "valueOf", "keys", "values", "entries", "toSorted", "toReversed", "toSpliced", "with", "flat"]);
/** Methods that only read and call back with (value, index) — safe when the callback cannot reach the array (a literal with two parameters at most). */
const CALLBACK_METHODS = new Set(["some", "every", "find", "findIndex", "findLast", "findLastIndex", "filter", "map", "forEach", "flatMap"]);
/** Static readers that take a table as an argument without changing it. */
const READING_STATICS = new Set(["Object.keys", "Object.values", "Object.entries", "Object.hasOwn", "Array.isArray", "JSON.stringify"]);
/** Methods of strings and numbers whose result is a primitive. */
const PRIMITIVE_RESULT_METHODS = new Set(["toString", "toFixed", "toPrecision", "toExponential", "charAt", "charCodeAt", "codePointAt", "toUpperCase", "toLowerCase", "toLocaleUpperCase", "toLocaleLowerCase", "trim", "trimStart", "trimEnd", "padStart", "padEnd", "repeat", "substring", "substr", "replace", "replaceAll", "normalize", "indexOf", "lastIndexOf", "includes", "startsWith", "endsWith", "localeCompare", "at", "valueOf"]);

interface Problem {
  node: t.Node;
  why: string;
}

function unwrap(node: t.Node): t.Node {
  let n = node;
  while (t.isTSAsExpression(n) || t.isTSSatisfiesExpression(n) || t.isTSNonNullExpression(n) || t.isTSTypeAssertion(n) || t.isParenthesizedExpression(n)) n = n.expression;
  return n;
}

function isInside(scopePath: NodePath, fn: NodePath): boolean {
  return scopePath === fn || scopePath.node === fn.node || scopePath.isDescendant(fn);
}

function memberName(member: t.MemberExpression | t.OptionalMemberExpression): string | undefined {
  if (!member.computed && t.isIdentifier(member.property)) return member.property.name;
  if (t.isPrivateName(member.property)) return `#${member.property.id.name}`;
  if (t.isStringLiteral(member.property)) return member.property.value;
  return undefined;
}

/** A literal (or an expression of literals) whose value is a primitive. */
function isPrimitiveConstant(node: t.Node | null | undefined): boolean {
  if (node === null || node === undefined) return false;
  const n = unwrap(node);
  if (t.isStringLiteral(n) || t.isNumericLiteral(n) || t.isBooleanLiteral(n) || t.isNullLiteral(n) || t.isBigIntLiteral(n)) return true;
  if (t.isTemplateLiteral(n)) return n.expressions.length === 0;
  if (t.isUnaryExpression(n)) return n.operator !== "delete" && isPrimitiveConstant(n.argument);
  if (t.isBinaryExpression(n)) return !t.isPrivateName(n.left) && isPrimitiveConstant(n.left) && isPrimitiveConstant(n.right);
  return false;
}

/**
 * Whether a type annotation allows only primitives: keywords, literals,
 * unions of them, and aliases or enums declared at the top of the file.
 */
export function isPrimitiveType(type: t.TSType, program: t.Program, depth = 0): boolean {
  if (depth > 8) return false;
  switch (type.type) {
    case "TSNumberKeyword":
    case "TSStringKeyword":
    case "TSBooleanKeyword":
    case "TSBigIntKeyword":
    case "TSNullKeyword":
    case "TSUndefinedKeyword":
    case "TSVoidKeyword":
    case "TSLiteralType":
      return true;
    case "TSUnionType":
      return type.types.every((x) => isPrimitiveType(x, program, depth + 1));
    case "TSParenthesizedType":
      return isPrimitiveType(type.typeAnnotation, program, depth + 1);
    case "TSTypeOperator":
      // `keyof T`: property keys are strings, numbers or symbols, all primitives.
      return type.operator === "keyof";
    case "TSTypeReference": {
      if (!t.isIdentifier(type.typeName) || type.typeParameters) return false;
      const name = type.typeName.name;
      for (const statement of program.body) {
        const decl = t.isExportNamedDeclaration(statement) ? statement.declaration : statement;
        if (t.isTSTypeAliasDeclaration(decl) && decl.id.name === name) return !decl.typeParameters && isPrimitiveType(decl.typeAnnotation, program, depth + 1);
        if (t.isTSEnumDeclaration(decl) && decl.id.name === name) return true;
      }
      return false;
    }
    default:
      return false;
  }
}

/** Top-level enums: their members are primitives, read as `E.X`. */
function isTopLevelEnum(program: t.Program, name: string): boolean {
  return program.body.some((s) => {
    const decl = t.isExportNamedDeclaration(s) ? s.declaration : s;
    return t.isTSEnumDeclaration(decl) && decl.id.name === name && decl.declare !== true;
  });
}

/** An object or array literal whose values are all primitive literals: a lookup table. */
function isTableLiteral(node: t.Node | null | undefined): boolean {
  if (node === null || node === undefined) return false;
  const n = unwrap(node);
  if (t.isArrayExpression(n)) return n.elements.every((e) => e === null || isPrimitiveConstant(e));
  if (t.isObjectExpression(n)) return n.properties.every((p) => t.isObjectProperty(p) && !p.computed && isPrimitiveConstant(p.value));
  return false;
}

function isFrozenTable(node: t.Node | null | undefined): boolean {
  if (node === null || node === undefined) return false;
  const n = unwrap(node);
  return t.isCallExpression(n) && t.isMemberExpression(n.callee) && t.isIdentifier(n.callee.object, { name: "Object" }) && memberName(n.callee) === "freeze" && n.arguments.length === 1 && isTableLiteral(n.arguments[0]);
}

/** The outermost expression around `path` that only wraps it (TypeScript casts, parentheses). */
function climbWrappers(path: NodePath): NodePath {
  let p = path;
  while (p.parentPath !== null && (p.parentPath.isTSAsExpression() || p.parentPath.isTSSatisfiesExpression() || p.parentPath.isTSNonNullExpression() || p.parentPath.isParenthesizedExpression())) p = p.parentPath;
  return p;
}

/**
 * Whether a use of a lookup table cannot change it or let it escape: a
 * property read (also through a chain that writes nothing), a reading
 * method, iteration, an operand, an argument of a reading static.
 */
function isReadingUse(ref: NodePath): boolean {
  // `typeof T` in a type: types do not run.
  if (ref.findParent((x) => x.isTSType()) !== null) return true;
  let p = climbWrappers(ref);
  let parent = p.parentPath;
  if (parent === null) return false;
  if (parent.isMemberExpression() || parent.isOptionalMemberExpression()) {
    if (parent.node.object !== p.node) return true; // `x[table]`: the table as a key is read
    // Climb the whole chain: `T.a.b`, `T[k].length`.
    while ((parent.isMemberExpression() || parent.isOptionalMemberExpression()) && parent.node.object === p.node) {
      const name = memberName(parent.node);
      if (name === "constructor" || name === "__proto__" || name === "prototype") return false;
      p = climbWrappers(parent);
      parent = p.parentPath;
      if (parent === null) return true;
    }
    if ((parent.isAssignmentExpression() && parent.node.left === p.node) || parent.isUpdateExpression() || parent.isUnaryExpression({ operator: "delete" })) return false;
    if ((parent.isForInStatement() || parent.isForOfStatement()) && parent.node.left === p.node) return false;
    if ((parent.isCallExpression() || parent.isOptionalCallExpression()) && parent.node.callee === p.node) {
      const member = p.node as t.MemberExpression;
      const method = memberName(member);
      if (method === undefined) return false;
      if (READING_METHODS.has(method)) return true;
      if (CALLBACK_METHODS.has(method)) {
        const [callback, ...rest] = parent.node.arguments;
        return rest.length === 0 && (t.isArrowFunctionExpression(callback) || t.isFunctionExpression(callback)) && callback.params.length <= 2;
      }
      return false;
    }
    return true;
  }
  if ((parent.isForOfStatement() || parent.isForInStatement()) && parent.node.right === p.node) return true;
  if (parent.isBinaryExpression()) return true;
  if (parent.isUnaryExpression()) return parent.node.operator !== "delete";
  if (parent.isSpreadElement() && parent.parentPath?.isArrayExpression()) return true;
  if ((parent.isCallExpression() || parent.isOptionalCallExpression()) && parent.node.callee !== p.node) {
    const callee = parent.node.callee;
    const name = t.isMemberExpression(callee) && t.isIdentifier(callee.object) ? `${callee.object.name}.${memberName(callee) ?? ""}` : undefined;
    return name !== undefined && READING_STATICS.has(name) && parent.scope.getBinding(name.split(".")[0]!) === undefined;
  }
  return false;
}

/** Whether the module can change a lookup table: exported, or used anywhere in a way other than reading. */
function tableMayChange(binding: Binding, program: t.Program): boolean {
  const name = binding.identifier.name;
  if (binding.path.parentPath?.parentPath?.isExportNamedDeclaration()) return true;
  for (const s of program.body) {
    if (t.isExportNamedDeclaration(s) && s.specifiers.some((x) => t.isExportSpecifier(x) && x.local.name === name)) return true;
    if (t.isExportDefaultDeclaration(s) && t.isIdentifier(s.declaration, { name })) return true;
  }
  return binding.constantViolations.length > 0 || binding.referencePaths.some((r) => !isReadingUse(r));
}

/** An expression that certainly makes a new array or object (so writes into it stay inside the function). */
function isFreshValue(node: t.Node | null | undefined, scope: NodePath["scope"]): boolean {
  if (node === null || node === undefined) return false;
  const n = unwrap(node);
  if (t.isArrayExpression(n) || t.isObjectExpression(n)) return true;
  if (t.isNewExpression(n)) return t.isIdentifier(n.callee) && GLOBAL_CONSTRUCTORS.has(n.callee.name) && scope.getBinding(n.callee.name) === undefined;
  if (!t.isCallExpression(n)) return false;
  const callee = n.callee;
  if (t.isIdentifier(callee, { name: "Array" })) return scope.getBinding("Array") === undefined;
  if (!t.isMemberExpression(callee)) return false;
  const method = memberName(callee);
  if (method === undefined) return false;
  if (t.isIdentifier(callee.object) && scope.getBinding(callee.object.name) === undefined) {
    const global = callee.object.name;
    if (global === "Array" && (method === "from" || method === "of")) return true;
    if (global === "Object" && (method === "keys" || method === "values" || method === "entries" || method === "fromEntries")) return true;
  }
  // `fill`, `sort`, `reverse` hand back their receiver.
  if (method === "fill" || method === "sort" || method === "reverse") return isFreshValue(callee.object, scope);
  return FRESH_ARRAY_METHODS.has(method) && method !== "keys" && method !== "values" && method !== "entries";
}

/**
 * The purity check: walks a function and every function inside it, and
 * follows the module functions it calls. `self` is the memoized node
 * (calling it is fine: those calls go through the cache too).
 */
class Purity {
  private readonly proven = new Set<t.Node>();
  private readonly tables = new Map<Binding, boolean>();

  constructor(
    private readonly program: NodePath<t.Program>,
    private readonly self: t.Node,
  ) {}

  /** The first reason the function is not pure, with the node it is about. */
  check(fn: NodePath<FunctionLike>, depth = 0): Problem | undefined {
    const line = fn.node.loc?.start.line;
    if (fn.node.async) return { node: fn.node, why: `it is async: the cache would hand every caller the same promise (line ${line})` };
    if (fn.node.generator) return { node: fn.node, why: `it is a generator: each call must make a new iterator (line ${line})` };
    if (this.proven.has(fn.node)) return undefined;
    // Assumed pure while it is being checked: recursion is fine.
    this.proven.add(fn.node);
    let problem: Problem | undefined;
    fn.traverse({
      enter: (path) => {
        if (problem !== undefined) return path.stop();
        const node = path.node;
        if (t.isTSType(node) || t.isTSTypeAnnotation(node) || t.isTSTypeParameterDeclaration(node) || t.isTSTypeParameterInstantiation(node) || t.isTSTypeAliasDeclaration(node) || t.isTSInterfaceDeclaration(node)) return path.skip();
        const found = this.visit(path, fn, depth);
        if (found !== undefined) {
          problem = typeof found === "string" ? { node, why: `${found} (line ${node.loc?.start.line})` } : found;
          path.stop();
        }
      },
    });
    if (problem !== undefined) this.proven.delete(fn.node);
    return problem;
  }

  /** Why this node makes the function impure (its line added by the caller), or a located problem of a function it calls. */
  private visit(path: NodePath, fn: NodePath<FunctionLike>, depth: number): string | Problem | undefined {
    const node = path.node;
    switch (node.type) {
      case "ThisExpression":
      case "Super":
        return "it uses `this`";
      case "MetaProperty":
        return `it reads \`${node.meta.name}.${node.property.name}\``;
      case "Import":
        return "it loads a module";
      case "AwaitExpression":
      case "YieldExpression":
        return `it uses \`${node.type === "AwaitExpression" ? "await" : "yield"}\``;
      case "ClassDeclaration":
      case "ClassExpression":
        return "it declares a class, which cdlc does not follow";
      case "WithStatement":
        return "it uses `with`";
      case "ArrowFunctionExpression":
      case "FunctionExpression":
      case "FunctionDeclaration":
      case "ObjectMethod":
        return node.async || node.generator ? "a function inside it is async or a generator" : undefined;
      case "TaggedTemplateExpression":
        return t.isMemberExpression(node.tag) && t.isIdentifier(node.tag.object, { name: "String" }) && memberName(node.tag) === "raw" ? undefined : "it calls a template tag";
      case "AssignmentExpression":
        return this.write(childPath(path, "left"), fn);
      case "UpdateExpression":
        return this.write(childPath(path, "argument"), fn);
      case "UnaryExpression":
        return node.operator === "delete" ? this.write(childPath(path, "argument"), fn) : undefined;
      case "ForInStatement":
      case "ForOfStatement":
        return t.isVariableDeclaration(node.left) ? undefined : this.write(childPath(path, "left"), fn);
      case "CallExpression":
      case "OptionalCallExpression":
        return this.call(path as NodePath<t.CallExpression | t.OptionalCallExpression>, fn);
      case "Identifier":
        return path.isReferencedIdentifier() && !this.isWriteTarget(path) ? this.read(path as NodePath<t.Identifier>, fn, depth) : undefined;
      default:
        return undefined;
    }
  }

  /** `for (x of …)` and assignment targets are checked as writes, not reads. */
  private isWriteTarget(path: NodePath): boolean {
    const parent = path.parentPath;
    return parent !== null && (parent.isForInStatement() || parent.isForOfStatement()) && parent.node.left === path.node;
  }

  private isLocal(binding: Binding, fn: NodePath): boolean {
    return isInside(binding.scope.path, fn);
  }

  /** A local of `fn` (not a parameter) that only ever holds arrays or objects made here. */
  private isOwnObject(id: t.Identifier, at: NodePath, fn: NodePath): boolean {
    const binding = at.scope.getBinding(id.name);
    if (binding === undefined || !this.isLocal(binding, fn) || binding.kind === "param" || !binding.path.isVariableDeclarator()) return false;
    if (!isFreshValue(binding.path.node.init, binding.path.scope)) return false;
    return binding.constantViolations.every((v) => v.isAssignmentExpression({ operator: "=" }) && t.isIdentifier(v.node.left) && isFreshValue(v.node.right, v.scope));
  }

  private write(target: NodePath, fn: NodePath<FunctionLike>): string | undefined {
    const node = unwrap(target.node);
    if (t.isIdentifier(node)) {
      const binding = target.scope.getBinding(node.name);
      if (binding === undefined) return `it assigns \`${node.name}\`, a global`;
      return this.isLocal(binding, fn) ? undefined : `it writes \`${node.name}\`, which is declared outside the function`;
    }
    if (t.isMemberExpression(node) || t.isOptionalMemberExpression(node)) {
      const object = unwrap(node.object);
      if (t.isIdentifier(object) && this.isOwnObject(object, target, fn)) return undefined;
      return `it writes \`${textOf(node)}\`: cdlc follows writes only into arrays and objects the function itself creates, one level deep`;
    }
    if (t.isArrayPattern(node) || t.isObjectPattern(node) || t.isAssignmentPattern(node) || t.isRestElement(node)) {
      for (const leaf of patternTargets(target)) {
        const why = this.write(leaf, fn);
        if (why !== undefined) return why;
      }
      return undefined;
    }
    return `it writes \`${textOf(node)}\``;
  }

  private call(path: NodePath<t.CallExpression | t.OptionalCallExpression>, fn: NodePath<FunctionLike>): string | undefined {
    const callee = unwrap(path.node.callee);
    if (!(t.isMemberExpression(callee) || t.isOptionalMemberExpression(callee))) return undefined; // identifiers are checked as reads
    const method = memberName(callee);
    const object = unwrap(callee.object);
    // `m.call(x, …)` runs `m` on `x`: a changing method must run on the function's own object.
    if ((method === "call" || method === "apply" || method === "bind") && (t.isMemberExpression(object) || t.isOptionalMemberExpression(object))) {
      const inner = memberName(object);
      const receiver = path.node.arguments[0];
      if (inner === undefined || MUTATING_METHODS.has(inner)) {
        return t.isIdentifier(receiver) && this.isOwnObject(receiver, path, fn) ? undefined : `it calls \`${textOf(callee)}\`, which may change an object the function did not create`;
      }
    }
    if (method !== undefined && !MUTATING_METHODS.has(method)) return undefined;
    if (t.isIdentifier(object) && this.isOwnObject(object, path, fn)) return undefined;
    if (t.isIdentifier(object) && path.scope.getBinding(object.name) === undefined) return undefined; // a global's member: checked as a read
    return `it calls \`${textOf(callee)}\`, which may change an object the function did not create`;
  }

  private read(path: NodePath<t.Identifier>, fn: NodePath<FunctionLike>, depth: number): string | Problem | undefined {
    const name = path.node.name;
    const binding = path.scope.getBinding(name);
    if (binding === undefined) return this.readGlobal(path, name);
    if (this.isLocal(binding, fn)) return undefined;
    const declared = binding.path;
    if (declared.node === this.self || (declared.isVariableDeclarator() && declared.node.init !== null && declared.node.init !== undefined && unwrap(declared.node.init) === this.self)) return undefined;
    if (binding.kind === "module") return `it uses \`${name}\`, which is imported: cdlc cannot see that it is pure`;
    if (binding.kind === "let" && !declared.isClassDeclaration()) return `it reads \`${name}\`, a module-level \`let\`: it can change between calls`;
    if (binding.kind === "var") return `it reads \`${name}\`, a module-level \`var\`: it can change between calls`;
    if (declared.isFunctionDeclaration()) return this.followFunction(path, name, binding, declared, depth);
    if (declared.isClassDeclaration() || (declared.isVariableDeclarator() && t.isClassExpression(declared.node.init)) || declared.isClassExpression()) return this.staticCall(path, name, depth);
    if (declared.isVariableDeclarator() && binding.kind === "const") {
      const init = declared.node.init;
      if (t.isArrowFunctionExpression(init) || t.isFunctionExpression(init)) return this.followFunction(path, name, binding, childPath(declared, "init") as NodePath<FunctionLike>, depth);
      const annotation = t.isIdentifier(declared.node.id) ? declared.node.id.typeAnnotation : undefined;
      if (isPrimitiveConstant(init) || (t.isTSTypeAnnotation(annotation) && isPrimitiveType(annotation.typeAnnotation, this.program.node))) return undefined;
      if (isTableLiteral(init) || isFrozenTable(init)) {
        if (!this.tables.has(binding)) this.tables.set(binding, !isFrozenTable(init) && tableMayChange(binding, this.program.node));
        if (this.tables.get(binding) === true) return `it reads \`${name}\`, which the module can change (it is exported, or used other than by reading)`;
        return isReadingUse(path) ? undefined : `it uses \`${name}\` in a way that could change it or let it escape`;
      }
      return `it reads \`${name}\`, a module-level constant whose value cdlc cannot prove never changes`;
    }
    return `it uses \`${name}\`, declared outside the function`;
  }

  private readGlobal(path: NodePath<t.Identifier>, name: string): string | undefined {
    if (name === "arguments") return "it reads `arguments`";
    if (GLOBAL_CONSTANTS.has(name)) return undefined;
    if (isTopLevelEnum(this.program.node, name)) {
      const parent = path.parentPath;
      return (parent.isMemberExpression() || parent.isOptionalMemberExpression()) && parent.node.object === path.node && !isWritten(parent) ? undefined : `it uses the enum \`${name}\` other than by reading a member`;
    }
    if (name === "Date") return "it uses `Date`: the clock is not an argument";
    const parent = climbWrappers(path).parentPath;
    if (parent !== null && (parent.isMemberExpression() || parent.isOptionalMemberExpression()) && unwrap(parent.node.object) === path.node) {
      const member = memberName(parent.node);
      if (name === "Math" && member === "random") return "it calls `Math.random()`: not deterministic";
      if (member !== undefined && GLOBAL_MEMBERS[name]?.has(member) === true && !isWritten(parent)) return undefined;
      return `it uses \`${name}.${member ?? "[…]"}\`, which cdlc does not know to be pure`;
    }
    if (parent !== null && parent.isNewExpression() && parent.node.callee === path.node) return GLOBAL_CONSTRUCTORS.has(name) ? undefined : `it constructs \`${name}\`, which cdlc does not know to be pure`;
    if (GLOBAL_FUNCTIONS.has(name)) return undefined;
    return `it uses the global \`${name}\`, which cdlc does not know to be pure (I/O, time and randomness are not arguments)`;
  }

  /** A module function the node uses: pure only if it passes the same check. */
  private followFunction(at: NodePath, name: string, binding: Binding, fn: NodePath, depth: number): string | Problem | undefined {
    if (binding.constantViolations.length > 0) return `it uses \`${name}\`, which the module reassigns`;
    if (this.proven.has(fn.node)) return undefined;
    if (depth >= MAX_DEPTH) return `it uses \`${name}\` more than ${MAX_DEPTH} calls deep, where cdlc stops following`;
    return this.inner(at, `\`${name}\``, this.check(fn as NodePath<FunctionLike>, depth + 1));
  }

  /** A problem found in a function the node uses, told from the place of use. */
  private inner(at: NodePath, what: string, problem: Problem | undefined): Problem | undefined {
    return problem === undefined ? undefined : { node: at.node, why: `it uses ${what} (line ${at.node.loc?.start.line}), which is not pure: ${problem.why}` };
  }

  /** `Class.staticMethod(…)` of a class of the module, followed like a function. */
  private staticCall(path: NodePath<t.Identifier>, name: string, depth: number): string | Problem | undefined {
    const member = path.parentPath;
    const call = member.parentPath;
    if (!(member.isMemberExpression() && member.node.object === path.node && call !== null && call.isCallExpression() && call.node.callee === member.node)) {
      return `it uses the class \`${name}\` other than by calling a static method`;
    }
    const method = memberName(member.node);
    const found = method === undefined ? undefined : findNode(this.program.node, `${name}.${method}`);
    if (found === undefined || "reason" in found || found.fn === undefined || found.receiver === undefined) return `it calls \`${textOf(member.node)}\`, which is not a static method cdlc can see`;
    const fnPath = findPath(this.program, found.fn);
    if (fnPath === undefined) return `it calls \`${textOf(member.node)}\`, which cdlc cannot find`;
    const binding = this.program.scope.getBinding(name);
    if (binding !== undefined && binding.constantViolations.length > 0) return `it calls \`${textOf(member.node)}\`, and the module reassigns \`${name}\``;
    if (depth >= MAX_DEPTH) return `it calls \`${textOf(member.node)}\` more than ${MAX_DEPTH} calls deep, where cdlc stops following`;
    if (found.fn === this.self || this.proven.has(found.fn)) return undefined;
    return this.inner(path, `\`${textOf(member.node)}\``, this.check(fnPath, depth + 1));
  }
}

function isWritten(member: NodePath): boolean {
  const p = climbWrappers(member);
  const parent = p.parentPath;
  if (parent === null) return false;
  return (parent.isAssignmentExpression() && parent.node.left === p.node) || parent.isUpdateExpression() || parent.isUnaryExpression({ operator: "delete" }) || ((parent.isForInStatement() || parent.isForOfStatement()) && parent.node.left === p.node);
}

/** The assignable leaves of a destructuring target (`[a, b.c] = …`). */
function patternTargets(path: NodePath): NodePath[] {
  const node = path.node;
  if (t.isArrayPattern(node)) return childPaths(path, "elements").filter((p) => p.node !== null).flatMap(patternTargets);
  if (t.isObjectPattern(node)) return childPaths(path, "properties").flatMap((p) => (p.isRestElement() ? patternTargets(p) : patternTargets(childPath(p, "value"))));
  if (t.isAssignmentPattern(node)) return patternTargets(childPath(path, "left"));
  if (t.isRestElement(node)) return patternTargets(childPath(path, "argument"));
  return [path];
}

function findPath(program: NodePath<t.Program>, fn: t.Node): NodePath<FunctionLike> | undefined {
  let found: NodePath<FunctionLike> | undefined;
  program.traverse({
    Function(p) {
      if (p.node === fn) {
        found = p as NodePath<FunctionLike>;
        p.stop();
      }
    },
  });
  return found;
}

/** Source-like text of a small expression, for reasons. */
function textOf(node: t.Node): string {
  if (t.isIdentifier(node)) return node.name;
  if (t.isThisExpression(node)) return "this";
  if (t.isMemberExpression(node) || t.isOptionalMemberExpression(node)) {
    const name = memberName(node);
    return `${textOf(node.object)}${name !== undefined && !node.computed ? `.${name}` : "[…]"}`;
  }
  if (t.isCallExpression(node)) return `${textOf(node.callee)}(…)`;
  return "…";
}

/** The expression that reaches the function object from inside it, or why there is none. */
function holderOf(fn: NodePath<FunctionLike>): string | { reason: string } {
  const node = fn.node;
  const parent = fn.parentPath;
  const sameBinding = (name: string, declaredBy: t.Node): boolean => fn.scope.getBinding(name)?.path.node === declaredBy;
  if (t.isFunctionDeclaration(node) && node.id) {
    const binding = fn.scope.getBinding(node.id.name);
    if (binding?.path.node !== node) return { reason: `\`${node.id.name}\` means something else inside the function` };
    if (binding.constantViolations.length > 0) return { reason: `the module reassigns \`${node.id.name}\`: the cache could end up on another function` };
    return node.id.name;
  }
  if ((t.isFunctionExpression(node) || t.isArrowFunctionExpression(node)) && parent?.isVariableDeclarator() && t.isIdentifier(parent.node.id)) {
    // A named function expression's own name cannot be reassigned.
    if (t.isFunctionExpression(node) && node.id && sameBinding(node.id.name, node)) return node.id.name;
    const name = parent.node.id.name;
    const binding = fn.scope.getBinding(name);
    if (binding?.path.node !== parent.node) return { reason: `\`${name}\` means something else inside the function` };
    if (binding.constantViolations.length > 0) return { reason: `the module reassigns \`${name}\`: the cache could end up on another function` };
    return name;
  }
  const member = t.isClassMethod(node) || t.isClassPrivateMethod(node) ? fn : parent?.isClassProperty() || parent?.isClassPrivateProperty() ? parent : undefined;
  if (member !== undefined) {
    const m = member.node as t.ClassMethod | t.ClassPrivateMethod | t.ClassProperty | t.ClassPrivateProperty;
    if (!m.static) return { reason: "an instance method has a receiver: memoize caches functions and static methods only" };
    if ((t.isClassMethod(m) || t.isClassPrivateMethod(m)) && m.kind !== "method") return { reason: `a static ${m.kind === "get" || m.kind === "set" ? `${m.kind}ter` : m.kind}: memoize caches functions and methods only` };
    const cls = member.parentPath?.parentPath;
    const clsNode = cls?.node;
    let className: string | undefined;
    if (t.isClassDeclaration(clsNode) && clsNode.id) className = clsNode.id.name;
    else if (t.isClassExpression(clsNode) && cls?.parentPath?.isVariableDeclarator() && t.isIdentifier(cls.parentPath.node.id)) className = cls.parentPath.node.id.name;
    if (className === undefined || cls === undefined || cls === null) return { reason: "the class has no name to reach the method by" };
    const binding = fn.scope.getBinding(className);
    if (binding === undefined || (binding.path.node !== clsNode && binding.path.node !== cls.parentPath?.node)) return { reason: `\`${className}\` means something else inside the method` };
    const key = m.key;
    const memberText = t.isPrivateName(key) ? `#${key.id.name}` : !("computed" in m && m.computed) && t.isIdentifier(key) ? key.name : undefined;
    if (memberText === undefined) return { reason: "the method's name is computed" };
    return `${className}.${memberText}`;
  }
  if (t.isObjectMethod(node) || parent?.isObjectProperty()) return { reason: "an object-literal method has a receiver: memoize caches functions and static methods only" };
  return { reason: "the function has no name to keep its cache on" };
}

/** The parameter names, or why the arguments are not a key. */
function keyParameters(ctx: OperatorContext, program: t.Program): string[] | { reason: string } {
  const names: string[] = [];
  for (const param of ctx.fn.node.params) {
    if (t.isIdentifier(param) && param.name === "this") return { reason: "it declares a `this` parameter" };
    if (!t.isIdentifier(param)) {
      const what = t.isAssignmentPattern(param) ? "has a default" : t.isRestElement(param) ? "is a rest parameter" : "is destructured";
      return { reason: `the parameter \`${ctx.text(param)}\` ${what}: memoize keys on plain parameters only` };
    }
    const annotation = param.typeAnnotation;
    if (!t.isTSTypeAnnotation(annotation)) return { reason: `\`${param.name}\` has no type annotation: memoize needs primitive arguments` };
    if (!isPrimitiveType(annotation.typeAnnotation, program)) return { reason: `\`${param.name}\` is \`${ctx.text(annotation.typeAnnotation)}\`, not a primitive type: memoize needs primitive arguments` };
    names.push(param.name);
  }
  return names;
}

/** The `return` statements of the function itself (not of functions inside it). */
function ownReturns(fn: NodePath<FunctionLike>): NodePath<t.ReturnStatement>[] {
  const out: NodePath<t.ReturnStatement>[] = [];
  fn.traverse({
    Function(p) {
      p.skip();
    },
    ReturnStatement(p) {
      out.push(p);
    },
  });
  return out;
}

/** Built-in functions whose result is a primitive. */
const PRIMITIVE_RESULT_CALLS = new Set(["String", "Number", "Boolean", "BigInt", "parseInt", "parseFloat", "isNaN", "isFinite"]);
const PRIMITIVE_RESULT_STATICS = new Set([...[...GLOBAL_MEMBERS.Math!].map((m) => `Math.${m}`), ...[...GLOBAL_MEMBERS.Number!].map((m) => `Number.${m}`), "String.fromCharCode", "String.fromCodePoint", "String.raw", "Object.is", "Object.hasOwn", "Array.isArray", "JSON.stringify"]);

/** Whether an expression's value is certainly a primitive (for a function without a return type); `scope` is where it is evaluated. */
function isPrimitiveValue(expression: t.Node, scope: NodePath["scope"], fn: NodePath<FunctionLike>): boolean {
  const node = unwrap(expression);
  const again = (n: t.Node) => isPrimitiveValue(n, scope, fn);
  switch (node.type) {
    case "StringLiteral":
    case "NumericLiteral":
    case "BooleanLiteral":
    case "NullLiteral":
    case "BigIntLiteral":
    case "TemplateLiteral":
    case "UnaryExpression":
    case "BinaryExpression":
    case "UpdateExpression":
      return true;
    case "LogicalExpression":
      return again(node.left) && again(node.right);
    case "ConditionalExpression":
      return again(node.consequent) && again(node.alternate);
    case "SequenceExpression":
      return again(node.expressions[node.expressions.length - 1]!);
    case "AssignmentExpression":
      return node.operator === "=" ? again(node.right) : !["&&=", "||=", "??="].includes(node.operator);
    case "Identifier": {
      const binding = scope.getBinding(node.name);
      if (binding === undefined) return GLOBAL_CONSTANTS.has(node.name);
      // A parameter (primitive by its annotation) that nothing reassigns.
      return binding.kind === "param" && binding.scope === fn.scope && binding.constantViolations.length === 0;
    }
    case "CallExpression": {
      const callee = unwrap(node.callee);
      if (t.isIdentifier(callee)) {
        const binding = scope.getBinding(callee.name);
        if (binding === undefined) return PRIMITIVE_RESULT_CALLS.has(callee.name);
        // The function itself: its results are what is being proven.
        return binding.path.node === fn.node || (binding.path.isVariableDeclarator() && binding.path.node.init === fn.node);
      }
      if (!t.isMemberExpression(callee)) return false;
      const method = memberName(callee);
      if (method === undefined) return false;
      if (t.isIdentifier(callee.object) && scope.getBinding(callee.object.name) === undefined && callee.object.name in GLOBAL_MEMBERS) return PRIMITIVE_RESULT_STATICS.has(`${callee.object.name}.${method}`);
      return PRIMITIVE_RESULT_METHODS.has(method) && again(callee.object);
    }
    case "MemberExpression":
      return memberName(node) === "length" && again(node.object);
    default:
      return false;
  }
}

/** Why the result is not certainly a primitive, if it is not. */
function resultRefusal(ctx: OperatorContext, program: t.Program): string | undefined {
  const fn = ctx.fn.node;
  const annotation = fn.returnType;
  if (t.isTSTypeAnnotation(annotation)) {
    return isPrimitiveType(annotation.typeAnnotation, program) ? undefined : `it returns \`${ctx.text(annotation.typeAnnotation)}\`, not a primitive: every caller would get the same cached object, and one could change it under the others`;
  }
  if (!t.isBlockStatement(fn.body)) {
    return isPrimitiveValue(fn.body, ctx.fn.scope, ctx.fn) ? undefined : `its result \`${ctx.text(fn.body)}\` is not provably a primitive and the function has no return type: annotate it`;
  }
  for (const r of ownReturns(ctx.fn)) {
    const arg = r.node.argument;
    if (arg !== null && arg !== undefined && !isPrimitiveValue(arg, r.scope, ctx.fn)) {
      return `\`${ctx.text(arg)}\` (line ${arg.loc?.start.line}) is not provably a primitive and the function has no return type: annotate it`;
    }
  }
  return undefined;
}

/** The statements that look the key up (and return a kept result), and the `remember` that keeps one. */
function prelude(ctx: OperatorContext, holder: string, params: readonly string[], names: Names): string[] {
  const annotation = ctx.fn.node.returnType;
  const result = t.isTSTypeAnnotation(annotation) ? ctx.text(annotation.typeAnnotation) : undefined;
  const stored = result ?? "unknown";
  const { memo, part, key, parts, remember } = names;
  const keyLines =
    params.length === 1
      ? [`const ${key} = ${part}(${params[0]});`]
      : [`const ${parts} = [${params.map((p) => `${part}(${p})`).join(", ")}];`, `const ${key} = ${parts}.includes(undefined) ? undefined : ${parts}.join("");`];
  return [
    `const ${memo} = ((${holder} as unknown as Record<symbol, { map: Map<string, ${stored}>; weight: number } | undefined>)[${HOLDER_SLOT}] ??= { map: new Map(), weight: 0 });`,
    `const ${part} = (value: unknown): string | undefined =>`,
    `  (typeof value === "object" && value !== null) || typeof value === "function" || typeof value === "symbol"`,
    `    ? undefined`,
    `    : typeof value === "string" ? \`string:\${value.length}:\${value};\` : \`\${typeof value}:\${Object.is(value, -0) ? "-0" : String(value)};\`;`,
    ...keyLines,
    `if (${key} !== undefined && ${memo}.map.has(${key})) return ${memo}.map.get(${key}) as ${result ?? "never"};`,
    result !== undefined ? `const ${remember} = (value: ${result}): ${result} => {` : `const ${remember} = <V,>(value: V): V => {`,
    `  const kept: unknown = value;`,
    `  const weight = (${key}?.length ?? 0) + (typeof kept === "string" ? kept.length : 8);`,
    `  if (${key} !== undefined && weight <= ${MAX_ENTRY_WEIGHT} && ${part}(kept) !== undefined) {`,
    `    if (${memo}.map.size >= ${MAX_ENTRIES} || ${memo}.weight + weight > ${MAX_WEIGHT}) {`,
    `      ${memo}.map.clear();`,
    `      ${memo}.weight = 0;`,
    `    }`,
    `    ${memo}.map.set(${key}, value);`,
    `    ${memo}.weight += weight;`,
    `  }`,
    `  return value;`,
    `};`,
  ];
}

interface Names {
  memo: string;
  part: string;
  key: string;
  parts: string;
  remember: string;
}

/** Indentation of the line `offset` is on. */
function indentAt(source: string, offset: number): string {
  const lineStart = source.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart))![0];
}

/** `source[start, end)` with each own `return X` made `return remember(X)`. */
function withReturnsKept(ctx: OperatorContext, start: number, end: number, remember: string): string {
  const inserts: { at: number; text: string }[] = [];
  for (const r of ownReturns(ctx.fn)) {
    const arg = r.node.argument;
    if (arg === null || arg === undefined) continue;
    const sequence = t.isSequenceExpression(arg) && arg.extra?.parenthesized !== true;
    inserts.push({ at: arg.start!, text: `${remember}(${sequence ? "(" : ""}` }, { at: arg.end!, text: `${sequence ? ")" : ""})` });
  }
  inserts.sort((a, b) => a.at - b.at);
  let out = "";
  let at = start;
  for (const i of inserts) {
    out += ctx.source.slice(at, i.at) + i.text;
    at = i.at;
  }
  return out + ctx.source.slice(at, end);
}

function rewrite(ctx: OperatorContext, holder: string, params: readonly string[]): Rewrite {
  const fn = ctx.fn.node;
  const names: Names = { memo: ctx.freshName("memo"), part: ctx.freshName("memoPart"), key: ctx.freshName("memoKey"), parts: ctx.freshName("memoParts"), remember: ctx.freshName("remember") };
  const lines = prelude(ctx, holder, params, names);
  const body = fn.body;
  const summary = `\`${holder}\` keeps its results by argument on the function object (at most ${MAX_ENTRIES.toLocaleString("en")}), returned instead of running again (line ${fn.loc?.start.line})`;
  if (!t.isBlockStatement(body)) {
    // An expression body becomes a block: the prelude, then `return remember(<expression>)`.
    const start = body.extra?.parenthesized === true ? (body.extra.parenStart as number) : body.start!;
    const end = body.extra?.parenthesized === true ? ctx.source.indexOf(")", body.end!) + 1 : body.end!;
    const outer = indentAt(ctx.source, fn.start!);
    const inner = `${outer}  `;
    const expression = ctx.source.slice(start, end);
    const sequence = t.isSequenceExpression(body) && body.extra?.parenthesized !== true;
    const text = `{\n${[...lines, `return ${names.remember}(${sequence ? `(${expression})` : expression});`].map((l) => inner + l).join("\n")}\n${outer}}`;
    return { edits: [{ start, end, text }], summary };
  }
  // After the directives ("use strict" must stay first).
  const open = body.directives.length > 0 ? body.directives[body.directives.length - 1]!.end! : body.start! + 1;
  const close = body.end! - 1;
  const rest = withReturnsKept(ctx, open, close, names.remember);
  const head = ctx.source.slice(body.start!, open);
  if (ctx.source.slice(body.start!, body.end!).includes("\n")) {
    const first = body.body[0];
    const inner = first !== undefined ? indentAt(ctx.source, first.start!) : `${indentAt(ctx.source, close)}  `;
    return { edits: [{ start: body.start!, end: body.end!, text: `${head}\n${lines.map((l) => inner + l).join("\n")}${rest}}` }], summary };
  }
  // A one-line body opens into lines.
  const outer = indentAt(ctx.source, body.start!);
  const inner = `${outer}  `;
  return { edits: [{ start: body.start!, end: body.end!, text: `${head.trimEnd()}\n${[...lines, rest.trim()].filter((l) => l !== "").map((l) => inner + l).join("\n")}\n${outer}}` }], summary };
}

export const memoize: Operator = {
  id: "memoize",
  risk: 0.4,
  byNameOnly: true,
  apply(ctx) {
    const fn = ctx.fn.node;
    const program = ctx.fn.scope.getProgramParent().path as NodePath<t.Program>;
    if ((t.isClassMethod(fn) || t.isObjectMethod(fn) || t.isClassPrivateMethod(fn)) && fn.kind === "constructor") return { reason: "a constructor makes a new object each time" };
    if (fn.async) return { reason: "it is async: the cache would hand every caller the same promise" };
    if (fn.generator) return { reason: "it is a generator: each call must make a new iterator" };
    const holder = holderOf(ctx.fn);
    if (typeof holder !== "string") return holder;
    const params = keyParameters(ctx, program.node);
    if (!Array.isArray(params)) return params;
    if (params.length === 0) return { reason: "it takes no arguments: there is nothing to key a cache on (hoist the value instead)" };
    const result = resultRefusal(ctx, program.node);
    if (result !== undefined) return { reason: result };
    const problem = new Purity(program, fn).check(ctx.fn);
    if (problem !== undefined) return { reason: `not pure: ${problem.why}` };
    // The cache's code sits at the top of the body: what it sees is the function's scope and those around it.
    const hidden = GLOBALS_USED.find((g) => ctx.fn.scope.getBinding(g) !== undefined);
    if (hidden !== undefined) return { reason: `\`${hidden}\` is declared in reach of the function, and the cache's code needs the global` };
    return { rewrites: [rewrite(ctx, holder, params)] };
  },
};
