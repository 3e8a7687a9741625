import type * as t from "@babel/types";
import { is } from "../util/babel-node.js";

/**
 * Finds a node by qualified name among a module's top-level declarations and
 * says how to reach it from the module's top level (a getter expression as
 * source). Only top-level containers are searched: a function nested inside
 * another function is a closure and has no name the module can reach.
 */

export type FunctionLike =
  | t.FunctionDeclaration
  | t.FunctionExpression
  | t.ArrowFunctionExpression
  | t.ObjectMethod
  | t.ClassMethod
  | t.ClassPrivateMethod;

export interface FoundNode {
  /** Index of the top-level statement after which the registration goes. */
  statementIndex: number;
  /** Source of an expression that evaluates to the callable (lazily, after module evaluation). */
  getter: string;
  /** Source of the natural receiver, when there is one. */
  receiver?: string;
  construct: boolean;
  /** The function whose body can be instrumented, when the node is a literal function. */
  fn?: FunctionLike;
  untrackedReason?: string;
  /** For private members: the class whose static block registers the node. */
  staticBlockIn?: t.Class;
  privateName?: string;
}

type Binding =
  | { kind: "function"; node: t.FunctionDeclaration; index: number }
  | { kind: "class"; node: t.Class; index: number }
  | { kind: "var"; node: t.VariableDeclarator; index: number };

/** Looks a qualified name up; `{ reason }` when it cannot be reached. */
export function findNode(program: t.Program, qualifiedName: string): FoundNode | { reason: string } {
  const bindings = topLevelBindings(program);
  const parts = splitQualifiedName(qualifiedName);
  const head = bindings.get(parts[0]!);
  if (head === undefined) {
    return { reason: `no top-level function, class or variable named \`${parts[0]}\` in this module (functions nested in other functions cannot be reached)` };
  }
  if (parts.length === 1) return findTopLevel(head, parts[0]!);
  const container = containerOf(head);
  if (parts.length === 2 && container?.type === "class") return findClassMember(container.node, parts[0]!, parts[1]!, head.index);
  if (parts.length === 2 && container?.type === "object") return findObjectMember(container.node, parts[0]!, parts[1]!, head.index);
  // Namespaces (compiled to objects by TypeScript) and deeper paths: reach them by property access.
  const path = parts.slice(1).map((p) => `[${JSON.stringify(p)}]`);
  return {
    statementIndex: head.index,
    getter: `${parts[0]}${path.join("")}`,
    receiver: `${parts[0]}${path.slice(0, -1).join("")}`,
    construct: false,
    untrackedReason: "reached by property access (a namespace member or a nested object); its body is not instrumented",
  };
}

/** `Cart.#secret` splits into `Cart`, `#secret`; dots inside a private name do not occur. */
function splitQualifiedName(name: string): string[] {
  return name.split(".");
}

function findTopLevel(binding: Binding, name: string): FoundNode {
  const base = { statementIndex: binding.index, getter: name, construct: false };
  if (binding.kind === "function") return { ...base, fn: binding.node };
  if (binding.kind === "class") return { ...base, construct: true, untrackedReason: "a class is measured through its constructor (`Class.constructor`)" };
  const init = binding.node.init;
  if (is(init, "FunctionExpression") || is(init, "ArrowFunctionExpression")) return { ...base, fn: init };
  if (is(init, "ClassExpression")) return { ...base, construct: true, untrackedReason: "a class is measured through its constructor (`Class.constructor`)" };
  return { ...base, untrackedReason: "its initialiser is not a function literal (the value is reached at run time)" };
}

function findClassMember(cls: t.Class, className: string, member: string, index: number): FoundNode | { reason: string } {
  if (member === "constructor") {
    const ctor = cls.body.body.find((m): m is t.ClassMethod => is(m, "ClassMethod") && m.kind === "constructor");
    return ctor === undefined
      ? { statementIndex: index, getter: className, construct: true, untrackedReason: "the class has no constructor of its own" }
      : { statementIndex: index, getter: className, construct: true, fn: ctor };
  }
  if (member.startsWith("#")) {
    const name = member.slice(1);
    const m = cls.body.body.find((x): x is t.ClassPrivateMethod => is(x, "ClassPrivateMethod") && x.key.id.name === name);
    if (m === undefined) return { reason: `class \`${className}\` has no private method \`${member}\`` };
    const call = m.kind === "get" ? `this.${member}` : `this.${member}(...args)`;
    return {
      statementIndex: index,
      getter: `function (...args) { return ${call}; }`,
      ...(m.static ? { receiver: className } : {}),
      construct: false,
      fn: m,
      staticBlockIn: cls,
      privateName: `${m.static ? "static " : ""}${member}`,
    };
  }
  const methods = cls.body.body.filter((m): m is t.ClassMethod => is(m, "ClassMethod") && m.kind !== "constructor" && keyName(m.key, m.computed) === member);
  const method = methods.find((m) => m.kind === "method") ?? methods.find((m) => m.kind === "get") ?? methods[0];
  if (method !== undefined) {
    const owner = method.static ? className : `${className}.prototype`;
    const slot = method.kind === "method" ? "value" : method.kind;
    return {
      statementIndex: index,
      getter: `Object.getOwnPropertyDescriptor(${owner}, ${JSON.stringify(member)}).${slot}`,
      ...(method.static ? { receiver: className } : {}),
      construct: false,
      fn: method,
    };
  }
  const field = cls.body.body.find((m): m is t.ClassProperty => is(m, "ClassProperty") && keyName(m.key, m.computed) === member);
  if (field !== undefined && field.static) {
    const fn = is(field.value, "FunctionExpression") || is(field.value, "ArrowFunctionExpression") ? field.value : undefined;
    return { statementIndex: index, getter: `${className}[${JSON.stringify(member)}]`, receiver: className, construct: false, ...(fn ? { fn } : { untrackedReason: "its value is not a function literal" }) };
  }
  if (field !== undefined) return { reason: `\`${className}.${member}\` is an instance field: it exists only on instances, so it cannot be reached from the module` };
  return { reason: `class \`${className}\` has no method \`${member}\`` };
}

function findObjectMember(obj: t.ObjectExpression, objectName: string, member: string, index: number): FoundNode | { reason: string } {
  for (const p of obj.properties) {
    if (is(p, "ObjectMethod") && keyName(p.key, p.computed) === member) {
      const slot = p.kind === "method" ? "value" : p.kind;
      return { statementIndex: index, getter: `Object.getOwnPropertyDescriptor(${objectName}, ${JSON.stringify(member)}).${slot}`, receiver: objectName, construct: false, fn: p };
    }
    if (is(p, "ObjectProperty") && keyName(p.key, p.computed) === member) {
      const fn = is(p.value, "FunctionExpression") || is(p.value, "ArrowFunctionExpression") ? p.value : undefined;
      return { statementIndex: index, getter: `${objectName}[${JSON.stringify(member)}]`, receiver: objectName, construct: false, ...(fn ? { fn } : { untrackedReason: "its value is not a function literal" }) };
    }
  }
  // Added later (`obj.m = …`) or spread in: reach it at run time.
  return { statementIndex: index, getter: `${objectName}[${JSON.stringify(member)}]`, receiver: objectName, construct: false, untrackedReason: "the member is not written in the object literal" };
}

function keyName(key: t.Node, computed: boolean): string | undefined {
  if (is(key, "Identifier") && !computed) return key.name;
  if (is(key, "StringLiteral")) return key.value;
  if (is(key, "NumericLiteral")) return String(key.value);
  return undefined;
}

function containerOf(binding: Binding): { type: "class"; node: t.Class } | { type: "object"; node: t.ObjectExpression } | undefined {
  if (binding.kind === "class") return { type: "class", node: binding.node };
  if (binding.kind === "var") {
    const init = binding.node.init;
    if (is(init, "ClassExpression")) return { type: "class", node: init };
    if (is(init, "ObjectExpression")) return { type: "object", node: init };
  }
  return undefined;
}

/** Names declared by the module's top-level statements (plain or exported). */
function topLevelBindings(program: t.Program): Map<string, Binding> {
  const out = new Map<string, Binding>();
  program.body.forEach((statement, index) => {
    const decl = is(statement, "ExportNamedDeclaration") || is(statement, "ExportDefaultDeclaration") ? statement.declaration : statement;
    if (is(decl, "FunctionDeclaration") && decl.id) out.set(decl.id.name, { kind: "function", node: decl, index });
    else if (is(decl, "ClassDeclaration") && decl.id) out.set(decl.id.name, { kind: "class", node: decl, index });
    else if (is(decl, "VariableDeclaration")) {
      for (const d of decl.declarations) if (is(d.id, "Identifier")) out.set(d.id.name, { kind: "var", node: d, index });
    }
  });
  // tsc's CommonJS output of `export const name = <literal>`: `exports.name = <literal>;` (declarations win).
  program.body.forEach((statement, index) => {
    const assigned = exportsAssignment(statement);
    if (assigned !== undefined && !out.has(assigned.name)) out.set(assigned.name, { kind: "var", node: declaratorOf(assigned.name, assigned.value), index });
  });
  return out;
}

/** `exports.name = value` or `module.exports.name = value` with a function, class or object literal value. */
function exportsAssignment(statement: t.Statement): { name: string; value: t.Expression } | undefined {
  if (!is(statement, "ExpressionStatement") || !is(statement.expression, "AssignmentExpression") || statement.expression.operator !== "=") return undefined;
  const { left, right } = statement.expression;
  if (!is(left, "MemberExpression") || left.computed || !is(left.property, "Identifier")) return undefined;
  const target = left.object;
  const isExports = isName(target, "exports") || (is(target, "MemberExpression") && isName(target.object, "module") && isName(target.property, "exports"));
  const literal = is(right, "ObjectExpression") || is(right, "FunctionExpression") || is(right, "ArrowFunctionExpression") || is(right, "ClassExpression");
  return isExports && literal ? { name: left.property.name, value: right } : undefined;
}

function isName(node: t.Node, name: string): boolean {
  return is(node, "Identifier") && node.name === name;
}

/** A declarator `name = value`, as Babel would build it (positions are the value's own). */
function declaratorOf(name: string, value: t.Expression): t.VariableDeclarator {
  return { type: "VariableDeclarator", id: { type: "Identifier", name }, init: value } as t.VariableDeclarator;
}

/**
 * The arguments of a call, as source: `arguments` where it exists; for arrows
 * the parameters themselves when they are plain names, else `null` (the
 * volume of that edge is then not recorded).
 */
export function argumentsSource(fn: FunctionLike): string {
  if (!is(fn, "ArrowFunctionExpression")) return "arguments";
  const names: string[] = [];
  for (const p of fn.params) {
    if (is(p, "Identifier")) names.push(p.name);
    else if (is(p, "AssignmentPattern") && is(p.left, "Identifier")) names.push(p.left.name);
    else if (is(p, "RestElement") && is(p.argument, "Identifier")) names.push(`...${p.argument.name}`);
    else return "null";
  }
  return `[${names.join(", ")}]`;
}
