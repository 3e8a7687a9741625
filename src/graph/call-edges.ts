import { resolveAlias, SyntaxKind, ts } from "./typescript.js";
import type { CallSite, EdgeKind, GraphEdge } from "./living-graph.js";
import type { CallSiteSyntax, DeclarationIndex } from "./node-collector.js";
import { ASK_CHECKER, type MemberResolver } from "./receivers.js";

/**
 * The call edges of one file, resolved through the type checker: direct
 * calls, calls through imports and re-exports, `this.m()`, static calls,
 * `super(...)`, `new C()` (to the constructor, inherited where the class has
 * none), `f.call/apply`, getters and setters used as properties. Calls made
 * inside anonymous functions are attributed to the enclosing named node.
 * Calls to abstract and interface methods go to the declaration; the
 * dispatch pass adds edges to their known implementations.
 */

export interface FileEdgeInput {
  sf: ts.SourceFile;
  checker: ts.TypeChecker;
  index: DeclarationIndex;
  /** The file's calls, `new`s and property accesses with their owners, in source order (node-collector.ts). */
  sites: readonly CallSiteSyntax[];
  /** The module node of the file, for calls at its top level (created on demand). */
  moduleNode(): string;
  /** Member accesses resolved without the checker's inference where that is exact (receivers.ts), shared by the files of a program; without it, the checker answers every access. */
  members?: MemberResolver;
}

function unwrapCallee(e: ts.Expression): ts.Expression {
  let x = e;
  while (ts.isParenthesizedExpression(x) || ts.isNonNullExpression(x) || ts.isAsExpression(x)) x = x.expression;
  return x;
}

function isWrite(node: ts.Node): { read: boolean; write: boolean } {
  const p = node.parent;
  if (ts.isBinaryExpression(p) && p.left === node) {
    const op = p.operatorToken.kind;
    if (op === SyntaxKind.EqualsToken) return { read: false, write: true };
    if (op >= SyntaxKind.FirstCompoundAssignment && op <= SyntaxKind.LastCompoundAssignment) return { read: true, write: true };
  }
  if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) && (p.operator === SyntaxKind.PlusPlusToken || p.operator === SyntaxKind.MinusMinusToken)) return { read: true, write: true };
  return { read: true, write: false };
}

function extendsClause(cls: ts.ClassLikeDeclaration): ts.ExpressionWithTypeArguments | undefined {
  return cls.heritageClauses?.find((h) => h.token === SyntaxKind.ExtendsKeyword)?.types[0];
}

function containingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let p = node.parent; p !== undefined; p = p.parent) if (ts.isClassLike(p)) return p;
  return undefined;
}

export function collectFileEdges(input: FileEdgeInput): GraphEdge[] {
  const { sf, checker, index, members } = input;
  /** The symbol a name refers to; member accesses go through the cheap resolver first. */
  const symbolAt = (name: ts.Node): ts.Symbol | undefined => {
    const p = name.parent;
    if (members !== undefined && ts.isPropertyAccessExpression(p) && p.name === name) {
      const answer = members.member(p);
      if (answer !== ASK_CHECKER) return answer;
    }
    return checker.getSymbolAtLocation(name);
  };
  const edges = new Map<string, GraphEdge>();

  const site = (at: ts.Node): CallSite => {
    const p = sf.getLineAndCharacterOfPosition(at.getStart(sf));
    return { line: p.line + 1, column: p.character + 1 };
  };
  const add = (from: string, to: string, kind: EdgeKind, at: ts.Node): void => {
    const key = `${from}\u0000${to}\u0000${kind}`;
    const s = site(at);
    const e = edges.get(key);
    if (e === undefined) edges.set(key, { from, to, kind, sites: [s] });
    else if (!e.sites.some((x) => x.line === s.line && x.column === s.column)) e.sites.push(s);
  };

  const resolve = (symbol: ts.Symbol | undefined): ts.Symbol | undefined => resolveAlias(checker, symbol);

  const targetsOf = (symbol: ts.Symbol | undefined, accept?: (d: ts.Declaration) => boolean): string[] => {
    const out: string[] = [];
    for (const d of resolve(symbol)?.declarations ?? []) {
      if (accept !== undefined && !accept(d)) continue;
      const id = index.byDeclaration.get(d);
      if (id !== undefined && !out.includes(id)) out.push(id);
    }
    return out;
  };

  /** The constructor that `new` on this class symbol runs: its own, or the nearest inherited one. */
  const constructorOf = (symbol: ts.Symbol | undefined, depth = 0): string | undefined => {
    const s = resolve(symbol);
    if (s === undefined || depth > 20) return undefined;
    for (const d of s.declarations ?? []) {
      const cls = ts.isClassLike(d) ? d : ts.isVariableDeclaration(d) && d.initializer !== undefined && ts.isClassExpression(d.initializer) ? d.initializer : undefined;
      if (cls === undefined) continue;
      const ctor = cls.members.find((m) => ts.isConstructorDeclaration(m) && m.body !== undefined);
      if (ctor !== undefined) return index.byDeclaration.get(ctor);
      const base = extendsClause(cls);
      if (base !== undefined) return constructorOf(checker.getSymbolAtLocation(base.expression), depth + 1);
    }
    return undefined;
  };

  const calleeName = (callee: ts.Expression): ts.Node | undefined => {
    if (ts.isIdentifier(callee)) return callee;
    if (ts.isPropertyAccessExpression(callee)) return callee.name;
    if (ts.isElementAccessExpression(callee)) return callee.argumentExpression;
    return undefined;
  };

  const onCall = (call: ts.CallExpression, owner: string): void => {
    const callee = unwrapCallee(call.expression);
    if (callee.kind === SyntaxKind.SuperKeyword) {
      const cls = containingClass(call);
      const base = cls && extendsClause(cls);
      const to = base && constructorOf(checker.getSymbolAtLocation(base.expression));
      if (to !== undefined) add(owner, to, "call", callee);
      return;
    }
    let nameNode = calleeName(callee);
    if (nameNode === undefined) return;
    // `f.call(...)`, `f.apply(...)`: a call of `f`.
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === "call" || callee.name.text === "apply") && !index.memberNames.has(callee.name.text)) {
      const inner = unwrapCallee(callee.expression);
      const n = calleeName(inner);
      if (n === undefined) return;
      nameNode = n;
    }
    // A member call can reach a node only when some node (or re-export) has that name:
    // skip the checker for the rest (`arr.map`, `console.log`), which is most calls.
    const parent = nameNode.parent;
    if ((ts.isPropertyAccessExpression(parent) && parent.name === nameNode) || ts.isElementAccessExpression(parent)) {
      const text = ts.isIdentifier(nameNode) || ts.isPrivateIdentifier(nameNode) || ts.isStringLiteralLike(nameNode) ? nameNode.text : undefined;
      if (text === undefined || !index.memberNames.has(text)) return;
    }
    for (const to of targetsOf(symbolAt(nameNode))) add(owner, to, "call", nameNode);
  };

  const onNew = (expr: ts.NewExpression, owner: string): void => {
    const callee = unwrapCallee(expr.expression);
    const nameNode = calleeName(callee);
    if (nameNode === undefined) return;
    const to = constructorOf(checker.getSymbolAtLocation(nameNode));
    if (to !== undefined) add(owner, to, "construct", nameNode);
  };

  const onPropertyAccess = (access: ts.PropertyAccessExpression, owner: string): void => {
    if (!index.accessorNames.has(access.name.text)) return;
    const parent = access.parent;
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === access) return;
    const symbol = symbolAt(access.name);
    if (symbol === undefined || !(symbol.flags & ts.SymbolFlags.Accessor)) return;
    const use = isWrite(access);
    if (use.read) for (const to of targetsOf(symbol, ts.isGetAccessorDeclaration)) add(owner, to, "call", access.name);
    if (use.write) for (const to of targetsOf(symbol, ts.isSetAccessorDeclaration)) add(owner, to, "call", access.name);
  };

  // The node collector has walked the file and kept every call site with its owner: resolve them in order.
  for (const { node, owner } of input.sites) {
    const kind = node.kind;
    if (kind === SyntaxKind.CallExpression) onCall(node as ts.CallExpression, owner ?? input.moduleNode());
    else if (kind === SyntaxKind.NewExpression) onNew(node as ts.NewExpression, owner ?? input.moduleNode());
    else onPropertyAccess(node as ts.PropertyAccessExpression, owner ?? input.moduleNode());
  }
  return [...edges.values()];
}
