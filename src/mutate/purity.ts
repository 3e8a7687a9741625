import * as t from "@babel/types";

/**
 * A conservative, syntactic test for code that cannot have side effects:
 * reading variables and properties, operators, literals, and calls to a
 * short list of built-ins known to be pure. Anything else — a call to
 * other code, an assignment, `++`, `delete`, `new`, `await`, `yield`, a
 * spread (it runs an iterator) — counts as a side effect. Property reads
 * could run getters: operators that rely on this say so in their risk.
 */

/** Built-in functions that neither change nor depend on mutable state (receivers written as here). */
const PURE_CALLS = new Set([
  "Math.abs", "Math.ceil", "Math.floor", "Math.round", "Math.trunc", "Math.sign", "Math.max", "Math.min", "Math.sqrt", "Math.pow",
  "Number.isNaN", "Number.isFinite", "Number.isInteger", "Object.is", "Array.isArray", "isNaN", "isFinite", "String", "Number", "Boolean",
]);

function calleeName(callee: t.Node): string | undefined {
  if (t.isIdentifier(callee)) return callee.name;
  if (t.isMemberExpression(callee) && !callee.computed && t.isIdentifier(callee.object) && t.isIdentifier(callee.property)) return `${callee.object.name}.${callee.property.name}`;
  return undefined;
}

/** The first node in `node` that may have a side effect, or undefined when there is none. */
export function firstSideEffect(node: t.Node | null | undefined): t.Node | undefined {
  if (node === null || node === undefined) return undefined;
  const all = (nodes: readonly (t.Node | null | undefined)[]): t.Node | undefined => {
    for (const n of nodes) {
      const found = firstSideEffect(n);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  switch (node.type) {
    case "Identifier":
    case "ThisExpression":
    case "StringLiteral":
    case "NumericLiteral":
    case "BooleanLiteral":
    case "NullLiteral":
    case "BigIntLiteral":
    case "RegExpLiteral":
      return undefined;
    // A function made here runs only when called: creating it is pure.
    case "ArrowFunctionExpression":
    case "FunctionExpression":
      return undefined;
    case "TemplateLiteral":
      return all(node.expressions);
    case "MemberExpression":
    case "OptionalMemberExpression":
      return all([node.object, node.computed ? node.property : undefined]);
    case "BinaryExpression":
      return all([node.left, node.right]);
    case "LogicalExpression":
      return all([node.left, node.right]);
    case "UnaryExpression":
      return node.operator === "delete" ? node : firstSideEffect(node.argument);
    case "ConditionalExpression":
      return all([node.test, node.consequent, node.alternate]);
    case "ArrayExpression":
      return node.elements.some((e) => t.isSpreadElement(e)) ? node : all(node.elements);
    case "ObjectExpression":
      for (const p of node.properties) {
        if (!t.isObjectProperty(p)) return p;
        const found = all([p.computed ? p.key : undefined, p.value]);
        if (found !== undefined) return found;
      }
      return undefined;
    case "ParenthesizedExpression":
    case "TSAsExpression":
    case "TSSatisfiesExpression":
    case "TSNonNullExpression":
    case "TSTypeAssertion":
      return firstSideEffect(node.expression);
    case "CallExpression":
    case "OptionalCallExpression": {
      const name = calleeName(node.callee);
      if (name === undefined || !PURE_CALLS.has(name) || node.arguments.some((a) => t.isSpreadElement(a))) return node;
      return all(node.arguments);
    }
    default:
      return node;
  }
}

/** The first side effect of a callback's body (an expression body, or a block of const/let, if and return). */
export function callbackSideEffect(fn: t.ArrowFunctionExpression | t.FunctionExpression): t.Node | undefined {
  if (fn.async || fn.generator) return fn;
  if (!t.isBlockStatement(fn.body)) return firstSideEffect(fn.body);
  return statementsSideEffect(fn.body.body);
}

function statementsSideEffect(statements: readonly t.Statement[]): t.Node | undefined {
  for (const s of statements) {
    const found = statementSideEffect(s);
    if (found !== undefined) return found;
  }
  return undefined;
}

function statementSideEffect(s: t.Statement): t.Node | undefined {
  if (t.isReturnStatement(s)) return firstSideEffect(s.argument);
  if (t.isVariableDeclaration(s) && s.kind !== "var") {
    for (const d of s.declarations) {
      if (!t.isIdentifier(d.id)) return d;
      const found = firstSideEffect(d.init);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (t.isIfStatement(s)) return firstSideEffect(s.test) ?? statementSideEffect(s.consequent) ?? (s.alternate ? statementSideEffect(s.alternate) : undefined);
  if (t.isBlockStatement(s)) return statementsSideEffect(s.body);
  if (t.isExpressionStatement(s)) return firstSideEffect(s.expression);
  return s;
}
