import { resolveAlias, ts } from "./typescript.js";

/**
 * Resolving a member access (`x.m`) without asking the checker for the type
 * of `x` where that type is evident from declarations, and would cost the
 * checker real inference to compute:
 *
 * - `x` a `const` initialized with an object literal (`handlers.run()`,
 *   `handlers.nested.deep()`): the member is found in the literal;
 * - `x` a `const` initialized with `new C(…)`, or with a call of a function
 *   or method whose return type is written (`Service.of(…)`), or declared
 *   with a type: that type;
 * - `x` an unannotated parameter of a callback (`items.reduce((sum, item) =>
 *   sum + item.score(), 0)`): when every call signature of the callee gives
 *   that parameter the same type (the array's `T`, whichever overload of
 *   `reduce` is chosen), that type. Asking the checker instead makes it
 *   resolve the enclosing call: overload resolution, inference and checking
 *   the callback's body;
 * - `x` a class, namespace or function: the type of its symbol;
 * - `this` in a class member: the class's instance type (static side in
 *   static members).
 *
 * The member is then looked up on that type, as the checker does. The answer
 * is the checker's own only when `x` is not narrowed between its declaration
 * and the access (`instanceof`, type predicates, assertion calls, calls that
 * never return, reassignment): the binder's flow graph before the access is
 * scanned, and anything on it that may narrow `x` sends the access back to
 * the checker. So do receivers whose type is not a plain object type (type
 * parameters, unions, mapped types), private names, JavaScript files (JSDoc
 * types), and every other receiver (calls, element accesses, `this` in
 * functions and object literals…). test/graph/receivers.test.ts compares the
 * edges found with and without this module.
 */

/** The member access must be resolved by the checker. */
export const ASK_CHECKER: unique symbol = Symbol("ask-checker");
export type MemberAnswer = ts.Symbol | undefined | typeof ASK_CHECKER;

// ts.FlowFlags (internal to the compiler's API, stable since TypeScript 2).
const Unreachable = 1;
const Start = 2;
const Assignment = 16;
const Condition = 32 | 64;
const SwitchClause = 128;
const ArrayMutation = 256;
const Call = 512;
const ReduceLabel = 1024;

interface FlowLike {
  flags: number;
  node?: unknown;
  antecedent?: FlowLike | FlowLike[];
  /** Labels before TypeScript 5.x kept their antecedents here. */
  antecedents?: FlowLike[];
}

/** At most this many flow nodes are scanned per access; beyond it, the checker answers. */
const FLOW_BUDGET = 400;

export interface MemberResolver {
  /** The symbol `access.name` refers to, undefined for none, or ASK_CHECKER. */
  member(access: ts.PropertyAccessExpression): MemberAnswer;
}

/** What a receiver is known to be: a type, or an object literal (members looked up in the syntax). */
type Receiver = { type: ts.Type; literal?: undefined } | { literal: ts.ObjectLiteralExpression; type?: undefined };

/** `(e)`, `e satisfies T` → `e` (both keep the type of `e`; `as` does not). */
function unwrapValue(e: ts.Expression): ts.Expression {
  let x = e;
  while (ts.isParenthesizedExpression(x) || ts.isSatisfiesExpression(x)) x = x.expression;
  return x;
}

function inJavaScript(node: ts.Node): boolean {
  return (node.getSourceFile().flags & ts.NodeFlags.JavaScriptFile) !== 0;
}

function propertyNameText(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  return undefined;
}

/** The members of an object literal named `name`; undefined when spreads or computed names make that unknowable. */
function literalMembers(literal: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike[] | undefined {
  const out: ts.ObjectLiteralElementLike[] = [];
  for (const p of literal.properties) {
    if (ts.isSpreadAssignment(p) || p.name === undefined) return undefined;
    const text = propertyNameText(p.name);
    if (text === undefined) return undefined;
    if (text === name) out.push(p);
  }
  return out;
}

/** A function-like declaration's return type annotation: `never` or `asserts …`. */
function endsOrAsserts(type: ts.TypeNode | undefined): boolean {
  return type !== undefined && (type.kind === ts.SyntaxKind.NeverKeyword || (ts.isTypePredicateNode(type) && type.assertsModifier !== undefined));
}

export function createMemberResolver(checker: ts.TypeChecker): MemberResolver {
  /** Parameter declaration → its type when evident, or null. */
  const parameterTypes = new Map<ts.ParameterDeclaration, ts.Type | null>();
  /** Declaration → what it is known to be, or null. */
  const declared = new Map<ts.Node, Receiver | null>();
  /** Flow node → the identifier names it mentions (cached: many accesses share a flow). */
  const flowNames = new WeakMap<object, Set<string>>();

  /** Without null and undefined (asking the checker only for unions: for other types it answers the type itself, after resolving all its members). */
  const nonNullable = (t: ts.Type): ts.Type => (t.flags & ts.TypeFlags.Union ? checker.getNonNullableType(t) : t);

  const alias = (s: ts.Symbol): ts.Symbol | undefined => resolveAlias(checker, s);

  /** Whether a signature's parameter at `index` is an ordinary (not rest) declared parameter; its type then. */
  const parameterAt = (sig: ts.Signature, index: number): ts.Type | undefined => {
    const p = sig.parameters[index];
    const decl = p?.valueDeclaration;
    if (p === undefined || decl === undefined || !ts.isParameter(decl) || decl.dotDotDotToken !== undefined) return undefined;
    return checker.getTypeOfSymbol(p);
  };

  /**
   * The type the checker gives an unannotated callback parameter, when every
   * call signature of the callee agrees on it; undefined otherwise.
   */
  const callbackParameterType = (param: ts.ParameterDeclaration): ts.Type | undefined => {
    const cached = parameterTypes.get(param);
    if (cached !== undefined) return cached ?? undefined;
    let result: ts.Type | undefined;
    try {
      result = computeCallbackParameterType(param);
    } catch {
      result = undefined;
    }
    parameterTypes.set(param, result ?? null);
    return result;
  };

  const computeCallbackParameterType = (param: ts.ParameterDeclaration): ts.Type | undefined => {
    const fn = param.parent;
    if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
    if (fn.typeParameters !== undefined || param.initializer !== undefined || param.questionToken !== undefined) return undefined;
    const k = fn.parameters.indexOf(param);
    if (fn.parameters.some((p) => p.dotDotDotToken !== undefined || (ts.isIdentifier(p.name) && p.name.text === "this"))) return undefined;
    let arg: ts.Node = fn;
    while (ts.isParenthesizedExpression(arg.parent)) arg = arg.parent;
    const call = arg.parent;
    if (!ts.isCallExpression(call) || call.typeArguments !== undefined) return undefined;
    if (!ts.isIdentifier(call.expression) && !ts.isPropertyAccessExpression(call.expression)) return undefined;
    const j = call.arguments.indexOf(arg as ts.Expression);
    if (j < 0 || call.arguments.some((a, i) => i < j && ts.isSpreadElement(a))) return undefined;
    const signatures = nonNullable(calleeType(call.expression)).getCallSignatures();
    if (signatures.length === 0) return undefined;
    let agreed: ts.Type | undefined;
    for (const sig of signatures) {
      const slot = parameterAt(sig, j);
      if (slot === undefined) return undefined;
      const callback = nonNullable(slot);
      if (!(callback.flags & ts.TypeFlags.Object)) return undefined;
      const inner = callback.getCallSignatures();
      // One signature, not generic, taking at least as many parameters as the callback declares
      // (otherwise the checker gives the callback no contextual signature).
      if (inner.length !== 1 || inner[0]!.typeParameters !== undefined || inner[0]!.parameters.length < fn.parameters.length) return undefined;
      const t = parameterAt(inner[0]!, k);
      if (t === undefined) return undefined;
      if (agreed === undefined) agreed = t;
      else if (agreed !== t) return undefined;
    }
    return agreed;
  };

  /** Object types whose members do not depend on how type parameters are instantiated. */
  const plainObject = (t: ts.Type): boolean => {
    if (t.flags & ts.TypeFlags.Object) return ((t as ts.ObjectType).objectFlags & (ts.ObjectFlags.Mapped | ts.ObjectFlags.ReverseMapped)) === 0;
    if (t.flags & ts.TypeFlags.Intersection) return (t as ts.IntersectionType).types.every(plainObject);
    return false;
  };

  /** Identifier names in a subtree, except property names after a dot (`a.b`: only `a`). */
  const namesIn = (node: ts.Node, out: Set<string>): void => {
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) {
        const p = n.parent;
        if (!(p !== undefined && ts.isPropertyAccessExpression(p) && p.name === n)) out.add(n.text);
        return;
      }
      if (n.kind === ts.SyntaxKind.ThisKeyword) out.add("this");
      ts.forEachChild(n, visit);
    };
    visit(node);
  };

  /** Whether `name` occurs in a call only as the receiver of the method called (`name.m(…)`, arguments without it). */
  const onlyReceiverOf = (call: ts.CallExpression, name: string): boolean => {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const r = callee.expression;
    if (!(ts.isIdentifier(r) ? r.text === name : r.kind === ts.SyntaxKind.ThisKeyword && name === "this")) return false;
    const names = new Set<string>();
    for (const a of call.arguments) namesIn(a, names);
    return !names.has(name);
  };

  /**
   * Whether `id` (an occurrence of the receiver in a condition) narrows no more
   * than null and undefined away: `if (x)`, `!x`, `x && …`, `x == null`, or
   * reads a property of it (`x.done`) without calling it.
   */
  const nullishOnly = (id: ts.Identifier, root: ts.Node): boolean => {
    let n: ts.Node = id;
    const p0 = n.parent;
    if (ts.isPropertyAccessExpression(p0) && p0.expression === n) {
      const pp = p0.parent;
      return !((ts.isCallExpression(pp) || ts.isNewExpression(pp)) && pp.expression === p0);
    }
    for (;;) {
      if (n === root) return true;
      const p = n.parent;
      if (ts.isParenthesizedExpression(p) || (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken)) {
        n = p;
        continue;
      }
      if (ts.isBinaryExpression(p)) {
        const op = p.operatorToken.kind;
        if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
          n = p;
          continue;
        }
        if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) {
          const other = p.left === n ? p.right : p.left;
          return other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === "undefined");
        }
      }
      return false;
    }
  };

  /** Whether a condition may narrow `name` beyond removing null and undefined (strict: whether it mentions it at all). */
  const conditionNarrows = (expr: ts.Expression, name: string, strict: boolean): boolean => {
    if (strict) return true;
    let narrows = false;
    const visit = (n: ts.Node): void => {
      if (narrows) return;
      if (ts.isIdentifier(n)) {
        if (n.text === name && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && !nullishOnly(n, expr)) narrows = true;
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(expr);
    return narrows;
  };

  const mentioned = (flow: FlowLike, node: ts.Node): Set<string> => {
    let names = flowNames.get(flow);
    if (names === undefined) {
      names = new Set();
      namesIn(node, names);
      flowNames.set(flow, names);
    }
    return names;
  };

  /** Whether an assignment (or declaration) target may be, or be inside, `name` (`name = …`, `name.p = …`, `const { name } = …`). */
  const assigns = (target: ts.Node, name: string): boolean => {
    let t: ts.Node = target;
    while (ts.isPropertyAccessExpression(t) || ts.isElementAccessExpression(t) || ts.isParenthesizedExpression(t) || ts.isNonNullExpression(t)) t = t.expression;
    if (ts.isIdentifier(t)) return t.text === name;
    const declName = (t as { name?: ts.Node }).name;
    if (declName === undefined) return true;
    if (ts.isIdentifier(declName)) return declName.text === name;
    const names = new Set<string>();
    namesIn(declName, names);
    return names.has(name);
  };

  /**
   * The type the checker's flow analysis gives a call statement's callee to
   * look for assertions and `never` (getTypeOfDottedName in the checker):
   * only explicitly declared types count there, so this is cheap. Undefined:
   * no explicit type (the call has no effect on narrowing); "unknown": a case
   * not followed here.
   */
  const explicitType = (e: ts.Expression): ts.Type | "unknown" | undefined => {
    if (ts.isParenthesizedExpression(e)) return explicitType(e.expression);
    if (ts.isIdentifier(e)) {
      const s0 = checker.getSymbolAtLocation(e);
      if (s0 === undefined) return undefined;
      const s = alias(s0);
      return s === undefined ? "unknown" : explicitTypeOfSymbol(s);
    }
    if (e.kind === ts.SyntaxKind.ThisKeyword) {
      const t = thisType(e as ts.ThisExpression);
      return t ?? "unknown";
    }
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) {
      const t = explicitType(e.expression);
      if (t === undefined || t === "unknown") return t;
      const prop = checker.getPropertyOfType(t, e.name.text);
      return prop === undefined ? undefined : explicitTypeOfSymbol(prop);
    }
    return "unknown";
  };

  const explicitTypeOfSymbol = (s: ts.Symbol): ts.Type | "unknown" | undefined => {
    if (s.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Method | ts.SymbolFlags.Class | ts.SymbolFlags.ValueModule)) return checker.getTypeOfSymbol(s);
    if (s.flags & (ts.SymbolFlags.Variable | ts.SymbolFlags.Property)) {
      const d = s.valueDeclaration;
      if (d === undefined) return "unknown";
      if (inJavaScript(d)) return "unknown";
      if ((ts.isVariableDeclaration(d) || ts.isParameter(d) || ts.isPropertyDeclaration(d) || ts.isPropertySignature(d)) && d.type !== undefined) return checker.getTypeOfSymbol(s);
      if (ts.isVariableDeclaration(d) && ts.isForOfStatement(d.parent.parent)) return "unknown";
    }
    return undefined;
  };

  const effects = new Map<ts.CallExpression, boolean>();
  /**
   * Whether a call statement before the access may change the receiver's type
   * for the checker: an assertion, or a function that never returns (the
   * access is then unreachable). As in the checker, only a callee with an
   * explicitly declared type can; any signature of it declared to return
   * `never` or to assert counts.
   */
  const callMayNarrow = (call: ts.CallExpression): boolean => {
    let r = effects.get(call);
    if (r === undefined) {
      try {
        const t = explicitType(call.expression);
        if (t === undefined) r = false;
        else if (t === "unknown") r = true;
        else {
          const parts = t.isUnionOrIntersection() ? [t, ...t.types] : [t];
          r = parts.some((p) =>
            checker.getApparentType(p).getCallSignatures().some((sig) => {
              const decl = sig.getDeclaration() as ts.SignatureDeclaration | undefined;
              return decl === undefined || inJavaScript(decl) || endsOrAsserts(decl.type);
            }),
          );
        }
      } catch {
        r = true;
      }
      effects.set(call, r);
    }
    return r;
  };

  /**
   * Whether the checker's flow type of `ref` is its declared type, but for null
   * and undefined: nothing before it in the flow graph may narrow it. `decl` is
   * its declaration (where the walk may stop); `owner` the function of a
   * parameter. Strict: any mention of the name in a condition counts (for
   * references through it, `name.p.m()`).
   */
  const notNarrowed = (ref: ts.Identifier | ts.ThisExpression, decl: ts.Node | undefined, owner: ts.Node | undefined, strict: boolean): boolean => {
    const start = (ref as unknown as { flowNode?: FlowLike }).flowNode;
    if (start === undefined) return false;
    const name = ts.isIdentifier(ref) ? ref.text : "this";
    const seen = new Set<FlowLike>();
    const stack: FlowLike[] = [start];
    while (stack.length > 0) {
      const f = stack.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      if (seen.size > FLOW_BUDGET) return false;
      const flags = f.flags;
      if (flags & Unreachable) return false;
      if (flags & Start) {
        const container = f.node as (ts.Node & { flowNode?: FlowLike }) | undefined;
        // The parameter's own function: nothing earlier concerns it. A nested
        // function: the checker may continue in the enclosing flow, and so do we.
        if (container !== undefined && container !== owner && container.flowNode !== undefined) stack.push(container.flowNode);
        continue;
      }
      if (flags & Assignment) {
        const target = f.node as ts.Node;
        if (target === decl) continue;
        if (assigns(target, name)) return false;
      } else if (flags & Condition) {
        const expr = f.node as ts.Expression;
        if (mentioned(f, expr).has(name) && conditionNarrows(expr, name, strict)) return false;
      } else if (flags & SwitchClause) {
        const sw = (f.node as { switchStatement: ts.SwitchStatement }).switchStatement;
        if (mentioned(f, sw.expression).has(name)) return false;
      } else if (flags & Call) {
        // `name.m(…)` narrows `name` only when `m` asserts (`asserts this is …`), which callMayNarrow looks for.
        const call = f.node as ts.CallExpression;
        if (mentioned(f, call).has(name) && !onlyReceiverOf(call, name)) return false;
        if (callMayNarrow(call)) return false;
      } else if (flags & ArrayMutation) {
        if (mentioned(f, f.node as ts.Node).has(name)) return false;
      } else if (flags & ReduceLabel) {
        const n = f.node as { antecedents?: FlowLike[] };
        n.antecedents?.forEach((a) => stack.push(a));
      }
      const a = f.antecedent ?? f.antecedents;
      if (Array.isArray(a)) for (const x of a) stack.push(x);
      else if (a !== undefined) stack.push(a);
    }
    return true;
  };

  /** The function or method a callee refers to, when it has one declaration with a written return type. */
  const calleeReturnType = (callee: ts.Expression): ts.Type | undefined => {
    let symbol: ts.Symbol | undefined;
    if (ts.isIdentifier(callee)) {
      const s = checker.getSymbolAtLocation(callee);
      symbol = s === undefined ? undefined : alias(s);
      if (symbol === undefined || !(symbol.flags & ts.SymbolFlags.Function) || symbol.flags & ts.SymbolFlags.Variable) return undefined;
    } else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name)) {
      const s = member(callee);
      if (s === ASK_CHECKER || s === undefined || !(s.flags & ts.SymbolFlags.Method)) return undefined;
      symbol = s;
    } else return undefined;
    const decls = symbol.declarations ?? [];
    const decl = decls[0];
    if (decls.length !== 1 || decl === undefined || !(ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl) || ts.isMethodSignature(decl)) || decl.type === undefined || inJavaScript(decl)) return undefined;
    return checker.getTypeFromTypeNode(decl.type);
  };

  /**
   * The type of a callee such as `xs.reduce`: the method's type on the
   * receiver's evident type (a receiver this module knows, or a call of a
   * function with a written return type: `this.all().reduce`), else the
   * checker's answer.
   */
  const calleeType = (callee: ts.Expression): ts.Type => {
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name) && callee.questionDotToken === undefined) {
      const recv = callee.expression;
      let t: ts.Type | undefined;
      if (ts.isCallExpression(recv)) {
        if (recv.questionDotToken === undefined && recv.typeArguments === undefined) t = calleeReturnType(recv.expression);
      } else t = receiverOf(recv, false)?.type;
      if (t !== undefined) {
        t = nonNullable(t);
        if (plainObject(t)) {
          const p = checker.getPropertyOfType(t, callee.name.text);
          if (p !== undefined && p.flags & ts.SymbolFlags.Method) return checker.getTypeOfSymbol(p);
        }
      }
    }
    return checker.getTypeAtLocation(callee);
  };

  /** What a `const` initializer makes the variable. */
  const initializerReceiver = (init: ts.Expression): Receiver | undefined => {
    const v = unwrapValue(init);
    if (ts.isObjectLiteralExpression(v)) return { literal: v };
    if (ts.isNewExpression(v) && ts.isIdentifier(v.expression)) {
      const s = checker.getSymbolAtLocation(v.expression);
      const cls = s === undefined ? undefined : alias(s);
      if (cls === undefined || !(cls.flags & ts.SymbolFlags.Class)) return undefined;
      return { type: checker.getDeclaredTypeOfSymbol(cls) };
    }
    if (ts.isCallExpression(v) && v.questionDotToken === undefined) {
      const t = calleeReturnType(v.expression);
      return t === undefined ? undefined : { type: t };
    }
    return undefined;
  };

  const declarationReceiver = (decl: ts.Declaration): Receiver | undefined => {
    const cached = declared.get(decl);
    if (cached !== undefined) return cached ?? undefined;
    let r: Receiver | undefined;
    try {
      if (inJavaScript(decl)) r = undefined;
      else if (ts.isParameter(decl)) {
        if (ts.isIdentifier(decl.name) && decl.dotDotDotToken === undefined) {
          if (decl.type !== undefined) r = { type: checker.getTypeFromTypeNode(decl.type) };
          else {
            const t = callbackParameterType(decl);
            r = t === undefined ? undefined : { type: t };
          }
        }
      } else if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) {
        if (decl.type !== undefined) r = { type: checker.getTypeFromTypeNode(decl.type) };
        else if (decl.initializer !== undefined) r = initializerReceiver(decl.initializer);
      }
    } catch {
      r = undefined;
    }
    declared.set(decl, r ?? null);
    return r;
  };

  /**
   * The type of `this` in a class member (or in arrow functions inside one):
   * the class's instance type (its static side in static members), as the
   * checker types `this` there before narrowing. Undefined elsewhere
   * (functions, object literal methods, a `this` parameter, decorators,
   * computed names, class expressions); `member` is the class member.
   */
  const thisContext = (node: ts.ThisExpression): { type: ts.Type; member: ts.Node } | undefined => {
    let c: ts.Node = node.parent;
    while (c.kind === ts.SyntaxKind.ArrowFunction || !(ts.isFunctionLike(c) || ts.isPropertyDeclaration(c) || ts.isClassStaticBlockDeclaration(c) || ts.isClassLike(c) || ts.isSourceFile(c) || ts.isModuleBlock(c) || ts.isComputedPropertyName(c) || ts.isDecorator(c))) c = c.parent;
    if (!(ts.isMethodDeclaration(c) || ts.isConstructorDeclaration(c) || ts.isGetAccessorDeclaration(c) || ts.isSetAccessorDeclaration(c) || ts.isPropertyDeclaration(c) || ts.isClassStaticBlockDeclaration(c))) return undefined;
    const cls = c.parent;
    if (!ts.isClassDeclaration(cls) || cls.name === undefined || inJavaScript(cls)) return undefined;
    if (ts.isFunctionLike(c) && c.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === "this")) return undefined;
    const symbol = checker.getSymbolAtLocation(cls.name);
    if (symbol === undefined || !(symbol.flags & ts.SymbolFlags.Class)) return undefined;
    const isStatic = ts.isClassStaticBlockDeclaration(c) || (ts.getCombinedModifierFlags(c) & ts.ModifierFlags.Static) !== 0;
    return { type: isStatic ? checker.getTypeOfSymbol(symbol) : checker.getDeclaredTypeOfSymbol(symbol), member: c };
  };
  const thisType = (node: ts.ThisExpression): ts.Type | undefined => thisContext(node)?.type;

  /** `this` in a class member, when not narrowed. */
  const thisReceiver = (node: ts.ThisExpression): Receiver | undefined => {
    const context = thisContext(node);
    if (context === undefined || !notNarrowed(node, undefined, context.member, true)) return undefined;
    return { type: context.type };
  };

  const receiverOf = (expr: ts.Expression, strict: boolean): Receiver | undefined => {
    if (expr.kind === ts.SyntaxKind.ThisKeyword) return strict ? undefined : thisReceiver(expr as ts.ThisExpression);
    if (ts.isPropertyAccessExpression(expr)) {
      // `a.b.m()`: `a.b` an object literal inside a `const` object literal.
      if (!ts.isIdentifier(expr.name)) return undefined;
      const base = receiverOf(expr.expression, true);
      if (base?.literal === undefined) return undefined;
      const members = literalMembers(base.literal, expr.name.text);
      const p = members?.length === 1 ? members[0] : undefined;
      if (p === undefined || !ts.isPropertyAssignment(p)) return undefined;
      const init = unwrapValue(p.initializer);
      return ts.isObjectLiteralExpression(init) ? { literal: init } : undefined;
    }
    if (!ts.isIdentifier(expr)) return undefined;
    const s0 = checker.getSymbolAtLocation(expr);
    if (s0 === undefined) return undefined;
    const aliased = (s0.flags & ts.SymbolFlags.Alias) !== 0;
    const s = alias(s0);
    if (s === undefined) return undefined;
    // Classes, namespaces and functions are not narrowed: their type is the answer.
    if (s.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.ValueModule | ts.SymbolFlags.Function) && !(s.flags & (ts.SymbolFlags.Variable | ts.SymbolFlags.Property | ts.SymbolFlags.Enum))) {
      // (Of the alias when there is one, as the checker types the identifier.)
      return strict ? undefined : { type: checker.getTypeOfSymbol(aliased ? s0 : s) };
    }
    const decl = s.valueDeclaration;
    if (decl === undefined || s.declarations?.length !== 1) return undefined;
    const r = declarationReceiver(decl);
    if (r === undefined) return undefined;
    // Imports are not narrowed; references through them (`ns.a.b`) may be.
    if ((!aliased || strict) && !notNarrowed(expr, decl, ts.isParameter(decl) ? decl.parent : undefined, strict)) return undefined;
    return r;
  };

  const member = (access: ts.PropertyAccessExpression): MemberAnswer => {
    if (!ts.isIdentifier(access.name)) return ASK_CHECKER;
    const name = access.name.text;
    const r = receiverOf(access.expression, false);
    if (r === undefined) return ASK_CHECKER;
    if (r.literal !== undefined) {
      const members = literalMembers(r.literal, name);
      // Not there (an `Object` member, or an augmentation of it), or written twice: the checker.
      if (members === undefined || members.length === 0 || members.some(ts.isShorthandPropertyAssignment)) return ASK_CHECKER;
      if (members.length > 1 && !members.every((m) => ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m))) return ASK_CHECKER;
      return checker.getSymbolAtLocation(members[0]!.name!) ?? ASK_CHECKER;
    }
    const t = nonNullable(r.type);
    if (!plainObject(t)) return ASK_CHECKER;
    return checker.getPropertyOfType(t, name);
  };

  return { member };
}
