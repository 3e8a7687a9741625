import { forEachChild, SyntaxKind, ts } from "./typescript.js";
import type { GraphNode, NodeKind, NodeSpan } from "./living-graph.js";
import { anonymousName, MODULE_NAME, nodeId, qualify } from "./node-ids.js";

/**
 * Collects the nodes of one program file: function declarations, methods
 * (instance, static, private, accessors), constructors, object-literal
 * methods, function-valued variables and class fields, abstract and
 * interface methods (the targets of calls through them), and anonymous
 * functions. Purely syntactic: it needs the parsed file, not the checker.
 */

/** What the edge pass needs to map syntax back to nodes. */
export interface DeclarationIndex {
  /** Declaration (function, method, variable, property…) → node id. */
  byDeclaration: Map<ts.Node, string>;
  /** Node id → its declaration (for the checker: types, signatures). */
  declarationOf: Map<string, ts.Node>;
  /** Simple names of every callable node: a call `x.name()` can only reach a node when `name` is here. */
  memberNames: Set<string>;
  /** Names of accessors, to resolve property reads and writes only where they may hit one. */
  accessorNames: Set<string>;
}

export function createDeclarationIndex(): DeclarationIndex {
  return { byDeclaration: new Map(), declarationOf: new Map(), memberNames: new Set(), accessorNames: new Set() };
}

/** A call, `new` or property access, and the id of the node it is attributed to (undefined: the module's top level). */
export interface CallSiteSyntax {
  node: ts.CallExpression | ts.NewExpression | ts.PropertyAccessExpression;
  owner: string | undefined;
}

interface Scope {
  /** Qualified-name prefix for declarations here. */
  prefix: string | undefined;
  /** Id and name of the node calls here are attributed to; undefined at a module's top level. */
  owner: { id: string; name: string } | undefined;
}

type FunctionLike = ts.ArrowFunction | ts.FunctionExpression;

/** `(f)`, `f as T`, `f satisfies T`, `f!` → `f`. */
function unwrap(e: ts.Expression): ts.Expression {
  let x = e;
  while (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isSatisfiesExpression(x) || ts.isNonNullExpression(x) || ts.isTypeAssertionExpression(x)) x = x.expression;
  return x;
}

function isFunctionValue(e: ts.Expression | undefined): e is FunctionLike {
  if (e === undefined) return false;
  const x = unwrap(e);
  return ts.isArrowFunction(x) || ts.isFunctionExpression(x);
}

/** The name of a member as it appears in a qualified name. */
export function memberName(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const e = name.expression;
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Symbol") return `@@${e.name.text}`;
    if (ts.isStringLiteral(e) || ts.isNumericLiteral(e)) return e.text;
    return `[${e.getText().replace(/[.\s]+/g, "_")}]`;
  }
  return undefined;
}

function modifiersOf(decl: ts.Node, fn: ts.Node | undefined): string[] | undefined {
  const flags = ts.canHaveModifiers(decl) || ts.isVariableDeclaration(decl) ? ts.getCombinedModifierFlags(decl as ts.Declaration) : 0;
  const out: string[] = [];
  if (flags & ts.ModifierFlags.Export) out.push("exported");
  if (flags & ts.ModifierFlags.Static) out.push("static");
  const name = (decl as { name?: ts.Node }).name;
  if (flags & ts.ModifierFlags.Private || (name !== undefined && ts.isPrivateIdentifier(name))) out.push("private");
  const f = (fn ?? decl) as ts.FunctionLikeDeclaration;
  if (ts.getCombinedModifierFlags(f) & ts.ModifierFlags.Async) out.push("async");
  if (f.asteriskToken !== undefined) out.push("generator");
  return out.length > 0 ? out : undefined;
}

/** Collects one file's nodes into `index`; returns them (module node created on demand). */
export class FileNodeCollector {
  readonly nodes: GraphNode[] = [];
  /** Classes with `extends` or `implements` (for the implementation table, dispatch.ts). */
  readonly derivedClasses: ts.ClassLikeDeclaration[] = [];
  /**
   * Every call, `new` and property access in the file's executable code, in
   * source order, each with the node it is attributed to (undefined: the
   * module's top level). The edge pass (call-edges.ts) resolves these
   * instead of walking the file a second time.
   */
  readonly sites: CallSiteSyntax[] = [];
  /** Whether `sites` was recorded out of source order (a constructor is visited before the members written above it). */
  private sitesUnordered = false;
  private readonly ids = new Set<string>();
  private readonly anonymousCount = new Map<string, number>();
  private moduleId: string | undefined;
  /** The scope of the children being visited (one bound visitor instead of a closure per node). */
  private scope: Scope = { prefix: undefined, owner: undefined };
  private readonly visitChild = (c: ts.Node): void => this.visit(c, this.scope);

  constructor(
    private readonly sf: ts.SourceFile,
    /** The file relative to the project root. */
    readonly file: string,
    private readonly index: DeclarationIndex,
  ) {}

  collect(): GraphNode[] {
    for (const s of this.sf.statements) this.visit(s, { prefix: undefined, owner: undefined });
    if (this.sitesUnordered) this.sites.sort((a, b) => a.node.pos - b.node.pos);
    return this.nodes;
  }

  /** The `<module>` node that top-level calls and callbacks belong to. */
  moduleNode(): string {
    if (this.moduleId === undefined) {
      this.moduleId = nodeId(this.file, MODULE_NAME);
      const span = this.spanOf(0, 0);
      this.nodes.push({ id: this.moduleId, name: MODULE_NAME, file: this.file, line: 1, column: 1, kind: "module", span });
      this.ids.add(this.moduleId);
    }
    return this.moduleId;
  }

  /**
   * The span from `start` to `end`, cut at the end of `start`'s line (as
   * `getLineEndOfPosition` would, before a `\r\n` too): one line lookup per
   * node, since both ends are on that line.
   */
  private spanOf(start: number, end: number): NodeSpan {
    const { line, character } = this.sf.getLineAndCharacterOfPosition(start);
    const lineStarts = this.sf.getLineStarts();
    const text = this.sf.text;
    let lineEnd = line + 1 >= lineStarts.length ? text.length : lineStarts[line + 1]! - 1;
    if (text.charCodeAt(lineEnd) === 10 && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const cut = Math.max(start, Math.min(end, lineEnd));
    return { start, end: cut, line: line + 1, column: character + 1, endLine: line + 1, endColumn: character + 1 + (cut - start) };
  }

  private add(decl: ts.Node, nameNode: ts.Node | undefined, name: string, kind: NodeKind, fn: ts.Node | undefined, parent?: string): string {
    let id = nodeId(this.file, name);
    let qualified = name;
    if (this.ids.has(id)) {
      if (kind === "interface-method") {
        // Merged interface declarations: one node.
        this.index.byDeclaration.set(decl, id);
        return id;
      }
      let n = 2;
      while (this.ids.has(`${id}~${n}`)) n++;
      id = `${id}~${n}`;
      qualified = `${name}~${n}`;
    }
    this.ids.add(id);
    const at = nameNode ?? decl;
    const start = at.getStart(this.sf);
    const body = (fn as ts.FunctionLikeDeclaration | undefined)?.body;
    const end = nameNode !== undefined ? nameNode.end : body !== undefined ? Math.max(start, body.getStart(this.sf)) : at.end;
    const span = this.spanOf(start, end);
    const node: GraphNode = { id, name: qualified, file: this.file, line: span.line, column: span.column, kind, span };
    if (parent !== undefined) node.parent = parent;
    const modifiers = parent === undefined && kind !== "interface-method" ? modifiersOf(decl, fn) : undefined;
    if (modifiers !== undefined) node.modifiers = modifiers;
    this.nodes.push(node);
    this.index.byDeclaration.set(decl, id);
    this.index.declarationOf.set(id, fn ?? decl);
    const simple = name.slice(name.lastIndexOf(".") + 1);
    this.index.memberNames.add(simple.endsWith("=") ? simple.slice(0, -1) : simple);
    if (kind === "getter" || kind === "setter") this.index.accessorNames.add(simple.replace(/=$/, ""));
    return id;
  }

  /** A named function-valued declaration: visit its body with itself as owner. */
  private named(decl: ts.Node, nameNode: ts.Node | undefined, name: string, kind: NodeKind, fn: ts.FunctionLikeDeclaration | undefined, scope: Scope): void {
    const id = this.add(decl, nameNode, name, kind, fn);
    if (fn !== undefined) forEachChild(fn, (c) => this.visit(c, { prefix: name, owner: { id, name } }));
  }

  private anonymous(fn: ts.FunctionLikeDeclaration, scope: Scope): void {
    const ownerId = scope.owner?.id ?? this.moduleNode();
    const n = (this.anonymousCount.get(ownerId) ?? 0) + 1;
    this.anonymousCount.set(ownerId, n);
    const kind: NodeKind = ts.isArrowFunction(fn) ? "arrow" : ts.isFunctionExpression(fn) ? "function-expression" : "object-method";
    this.add(fn, undefined, anonymousName(scope.owner?.name, n), kind, fn, ownerId);
    forEachChild(fn, (c) => this.visit(c, scope));
  }

  private functionValue(decl: ts.Node, nameNode: ts.Node, name: string, init: ts.Expression, scope: Scope): void {
    const fn = unwrap(init) as FunctionLike;
    this.named(decl, nameNode, name, ts.isArrowFunction(fn) ? "arrow" : "function-expression", fn, scope);
  }

  private visit(node: ts.Node, scope: Scope): void {
    // One read of `kind` and a switch: this runs on every node of the program.
    const kind = node.kind;
    if (kind === SyntaxKind.CallExpression || kind === SyntaxKind.NewExpression || kind === SyntaxKind.PropertyAccessExpression) {
      const last = this.sites[this.sites.length - 1];
      if (last !== undefined && last.node.pos > node.pos) this.sitesUnordered = true;
      this.sites.push({ node: node as CallSiteSyntax["node"], owner: scope.owner?.id });
    }
    switch (kind) {
      case SyntaxKind.FunctionDeclaration: {
        const fn = node as ts.FunctionDeclaration;
        if (fn.body === undefined) return; // overload signature or ambient
        this.named(fn, fn.name, qualify(scope.prefix, fn.name?.text ?? "default"), "function", fn, scope);
        return;
      }
      case SyntaxKind.ClassDeclaration:
      case SyntaxKind.ClassExpression: {
        const cls = node as ts.ClassLikeDeclaration;
        this.visitClass(cls, cls.name?.text ?? (kind === SyntaxKind.ClassDeclaration ? "default" : undefined), scope);
        return;
      }
      case SyntaxKind.InterfaceDeclaration:
        this.visitInterface(node as ts.InterfaceDeclaration, scope);
        return;
      case SyntaxKind.ModuleDeclaration: {
        const m = node as ts.ModuleDeclaration;
        if (!ts.isIdentifier(m.name) || m.body === undefined) return; // `declare module "x"`
        const inner: Scope = { prefix: qualify(scope.prefix, m.name.text), owner: scope.owner };
        if (ts.isModuleBlock(m.body)) m.body.statements.forEach((s) => this.visit(s, inner));
        else this.visit(m.body, inner);
        return;
      }
      case SyntaxKind.VariableDeclaration: {
        const v = node as ts.VariableDeclaration;
        if (ts.isIdentifier(v.name) && v.initializer !== undefined) {
          this.visitNamedValue(v, v.name, qualify(scope.prefix, v.name.text), v.initializer, scope);
          return;
        }
        break;
      }
      case SyntaxKind.ExportAssignment: {
        const e = node as ts.ExportAssignment;
        if (!e.isExportEquals) {
          this.visitNamedValue(e, undefined, qualify(scope.prefix, "default"), e.expression, scope);
          return;
        }
        break;
      }
      case SyntaxKind.ExportSpecifier:
        // `export { a as b }`: `ns.b()` may reach a node.
        this.index.memberNames.add((node as ts.ExportSpecifier).name.text);
        return;
      case SyntaxKind.ArrowFunction:
      case SyntaxKind.FunctionExpression:
      case SyntaxKind.MethodDeclaration:
      case SyntaxKind.GetAccessor:
      case SyntaxKind.SetAccessor: {
        // A callback, or a member of an object literal that has no name.
        const fn = node as ts.FunctionLikeDeclaration;
        if (fn.body === undefined) return;
        this.anonymous(fn, scope);
        return;
      }
      default:
        // Types hold no functions that run.
        if (kind >= SyntaxKind.FirstTypeNode && kind <= SyntaxKind.LastTypeNode) return;
    }
    const saved = this.scope;
    this.scope = scope;
    forEachChild(node, this.visitChild);
    this.scope = saved;
  }

  /** `const x = <init>` and `export default <init>`: functions, classes and objects take the name. */
  private visitNamedValue(decl: ts.Node, nameNode: ts.Node | undefined, name: string, init: ts.Expression, scope: Scope): void {
    const value = unwrap(init);
    if (isFunctionValue(value)) this.functionValue(decl, nameNode ?? value, name, value, scope);
    else if (ts.isClassExpression(value)) this.visitClass(value, value.name?.text ?? name.slice(name.lastIndexOf(".") + 1), { ...scope, prefix: name.includes(".") ? name.slice(0, name.lastIndexOf(".")) : scope.prefix });
    else if (ts.isObjectLiteralExpression(value)) this.visitObject(value, name, scope);
    else this.visit(value, scope);
  }

  private visitObject(obj: ts.ObjectLiteralExpression, prefix: string, scope: Scope): void {
    for (const p of obj.properties) {
      const name = memberName(p.name);
      // A computed key runs in the enclosing code (a method's runs as part of the method, below).
      if (p.name !== undefined && ts.isComputedPropertyName(p.name) && !ts.isMethodDeclaration(p) && !ts.isAccessor(p)) this.visit(p.name, scope);
      if (name === undefined) {
        this.visit(p, scope);
      } else if (ts.isMethodDeclaration(p)) {
        if (p.body !== undefined) this.named(p, p.name, qualify(prefix, name), "object-method", p, scope);
      } else if (ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) {
        if (p.body !== undefined) this.named(p, p.name, qualify(prefix, ts.isSetAccessorDeclaration(p) ? `${name}=` : name), ts.isGetAccessorDeclaration(p) ? "getter" : "setter", p, scope);
      } else if (ts.isPropertyAssignment(p)) {
        this.visitNamedValue(p, p.name, qualify(prefix, name), p.initializer, scope);
      } else {
        this.visit(p, scope);
      }
    }
  }

  private visitClass(node: ts.ClassLikeDeclaration, className: string | undefined, scope: Scope): void {
    if (node.heritageClauses !== undefined) this.derivedClasses.push(node);
    const prefix = qualify(scope.prefix, className ?? anonymousName(undefined, (this.anonymousCount.get(`class:${scope.owner?.id}`) ?? 0) + 1));
    if (className === undefined) this.anonymousCount.set(`class:${scope.owner?.id}`, (this.anonymousCount.get(`class:${scope.owner?.id}`) ?? 0) + 1);
    node.modifiers?.forEach((m) => this.visit(m, scope));
    node.heritageClauses?.forEach((h) => this.visit(h, scope));
    const ctor = node.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && m.body !== undefined);
    let ctorId: string | undefined;
    if (ctor !== undefined) {
      ctorId = this.add(ctor, ctor.getFirstToken(this.sf), qualify(prefix, "constructor"), "constructor", ctor);
      forEachChild(ctor, (c) => this.visit(c, { prefix: qualify(prefix, "constructor"), owner: { id: ctorId!, name: qualify(prefix, "constructor") } }));
    }
    const memberScope: Scope = { prefix, owner: scope.owner };
    for (const m of node.members) {
      if (m === ctor || ts.isConstructorDeclaration(m)) continue;
      const name = memberName(m.name);
      if (ts.isMethodDeclaration(m) && name !== undefined) {
        if (m.body !== undefined) this.named(m, m.name, qualify(prefix, name), "method", m, memberScope);
        else if (ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Abstract) this.add(m, m.name, qualify(prefix, name), "abstract-method", undefined);
      } else if ((ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) && name !== undefined) {
        const kind = ts.isGetAccessorDeclaration(m) ? "getter" : "setter";
        const qn = qualify(prefix, kind === "setter" ? `${name}=` : name);
        if (m.body !== undefined) this.named(m, m.name, qn, kind, m, memberScope);
        else this.add(m, m.name, qn, "abstract-method", undefined);
      } else if (ts.isPropertyDeclaration(m) && name !== undefined && isFunctionValue(m.initializer)) {
        this.visitFieldHead(m, memberScope);
        this.functionValue(m, m.name, qualify(prefix, name), m.initializer!, memberScope);
      } else if (ts.isPropertyDeclaration(m) && m.initializer !== undefined) {
        this.visitFieldHead(m, memberScope);
        // Field initializers run in the constructor (instance) or at class definition (static).
        const isStatic = (ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static) !== 0;
        if (!isStatic && ctorId !== undefined) {
          this.visit(m.initializer, { prefix, owner: { id: ctorId, name: qualify(prefix, "constructor") } });
        } else this.visit(m.initializer, memberScope);
      } else {
        forEachChild(m, (c) => this.visit(c, memberScope));
      }
    }
  }

  /** A field's decorators and computed name: they run in the class's scope, not in the initializer's. */
  private visitFieldHead(m: ts.PropertyDeclaration, scope: Scope): void {
    m.modifiers?.forEach((d) => this.visit(d, scope));
    if (ts.isComputedPropertyName(m.name)) this.visit(m.name, scope);
  }

  private visitInterface(node: ts.InterfaceDeclaration, scope: Scope): void {
    const prefix = qualify(scope.prefix, node.name.text);
    for (const m of node.members) {
      const name = memberName(m.name);
      if (name === undefined) continue;
      const callable = ts.isMethodSignature(m) || (ts.isPropertySignature(m) && m.type !== undefined && ts.isFunctionTypeNode(m.type));
      if (callable) this.add(m, m.name, qualify(prefix, name), "interface-method", undefined);
    }
  }
}
