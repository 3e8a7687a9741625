import { ts } from "ts-morph";

/**
 * Resolving a member access (`x.m`) without the checker's full inference where
 * the receiver's type can be had cheaply and exactly.
 *
 * Asking the checker for the symbol of `item.score` when `item` is the
 * parameter of a callback (`items.reduce((sum, item) => sum + item.score(), 0)`)
 * makes it resolve the enclosing call: overload resolution, type argument
 * inference, and checking the callback's body. On a program written with
 * inferred types that is most of the checking time. The parameter's type is
 * usually evident without that: every signature of the callee gives the
 * callback's parameter the same type (`T` of the array, whichever overload of
 * `reduce` is chosen). Then the member is looked up on that type.
 *
 * The answer is the checker's own only when the receiver is not narrowed
 * between its declaration and the access (`instanceof`, type predicates,
 * assertion calls, reassignment): the binder's flow graph before the access
 * is scanned, and any condition, call or assignment that may narrow the
 * receiver sends the access back to the checker. So do receivers whose type
 * is not a plain object type (type parameters, unions, mapped types), private
 * names, JavaScript files (JSDoc types), and anything else not covered here.
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

export function createMemberResolver(checker: ts.TypeChecker): MemberResolver {
  /** Parameter declaration → its type when evident, or null. */
  const parameterTypes = new Map<ts.ParameterDeclaration, ts.Type | null>();
  /** Flow node → the identifier names it mentions where they may narrow (cached: many accesses share a flow). */
  const flowNames = new WeakMap<object, Set<string>>();

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
    if (fn.typeParameters !== undefined || param.type !== undefined || param.initializer !== undefined || param.dotDotDotToken !== undefined || param.questionToken !== undefined) return undefined;
    if (!ts.isIdentifier(param.name)) return undefined;
    const k = fn.parameters.indexOf(param);
    if (fn.parameters.some((p) => p.dotDotDotToken !== undefined || (ts.isIdentifier(p.name) && p.name.text === "this"))) return undefined;
    let arg: ts.Node = fn;
    while (ts.isParenthesizedExpression(arg.parent)) arg = arg.parent;
    const call = arg.parent;
    if (!ts.isCallExpression(call) || call.typeArguments !== undefined) return undefined;
    if (!ts.isIdentifier(call.expression) && !ts.isPropertyAccessExpression(call.expression)) return undefined;
    const j = call.arguments.indexOf(arg as ts.Expression);
    if (j < 0 || call.arguments.some((a, i) => i < j && ts.isSpreadElement(a))) return undefined;
    const signatures = checker.getNonNullableType(checker.getTypeAtLocation(call.expression)).getCallSignatures();
    if (signatures.length === 0) return undefined;
    let agreed: ts.Type | undefined;
    for (const sig of signatures) {
      const slot = parameterAt(sig, j);
      if (slot === undefined) return undefined;
      const callback = checker.getNonNullableType(slot);
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
      ts.forEachChild(n, visit);
    };
    visit(node);
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

  /** Whether a condition may narrow `name` beyond removing null and undefined. */
  const conditionNarrows = (expr: ts.Expression, name: string): boolean => {
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

  const declaredName = (node: ts.Node): string | undefined => {
    if (ts.isIdentifier(node)) return node.text;
    const name = (node as { name?: ts.Node }).name;
    return name !== undefined && ts.isIdentifier(name) ? name.text : undefined;
  };

  /**
   * Whether the checker's flow type of `ref` (a parameter of `owner`) is its
   * declared type, but for null and undefined: nothing before it in the flow
   * graph may narrow it.
   */
  const notNarrowed = (ref: ts.Identifier, owner: ts.Node): boolean => {
    const start = (ref as unknown as { flowNode?: FlowLike }).flowNode;
    if (start === undefined) return false;
    const name = ref.text;
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
        if (declaredName(f.node as ts.Node) === name) return false;
      } else if (flags & Condition) {
        const expr = f.node as ts.Expression;
        if (mentioned(f, expr).has(name) && conditionNarrows(expr, name)) return false;
      } else if (flags & SwitchClause) {
        const sw = (f.node as { switchStatement: ts.SwitchStatement }).switchStatement;
        if (mentioned(f, sw.expression).has(name)) return false;
      } else if (flags & (Call | ArrayMutation)) {
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

  return {
    member(access) {
      if (!ts.isIdentifier(access.name)) return ASK_CHECKER;
      const receiver = access.expression;
      if (!ts.isIdentifier(receiver)) return ASK_CHECKER;
      const symbol = checker.getSymbolAtLocation(receiver);
      const decl = symbol?.valueDeclaration;
      if (decl === undefined || !ts.isParameter(decl) || symbol!.declarations?.length !== 1) return ASK_CHECKER;
      const file = decl.getSourceFile();
      if (file.isDeclarationFile || (file.flags & ts.NodeFlags.JavaScriptFile) !== 0) return ASK_CHECKER;
      const type = callbackParameterType(decl);
      if (type === undefined) return ASK_CHECKER;
      const receiverType = checker.getNonNullableType(type);
      if (!plainObject(receiverType)) return ASK_CHECKER;
      if (!notNarrowed(receiver, decl.parent)) return ASK_CHECKER;
      return checker.getPropertyOfType(receiverType, access.name.text);
    },
  };
}
