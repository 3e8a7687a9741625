import { parse } from "@babel/parser";
import * as t from "@babel/types";
import { argumentsSource, findNode, type FoundNode, type FunctionLike } from "./find-node.js";
import { generateCode, rewriteSpecifiers } from "./babel-util.js";

/**
 * Instruments one JavaScript module (already stripped of TypeScript) so that
 * the nodes cdlc measures are reachable and, where asked, observable:
 *
 * - every target is registered with `__cdlc$.expose(id, { get, receiver?, construct? })`
 *   right after the top-level statement that declares it (a lazy getter, so an
 *   unexported function, a class method, a getter or a private method is
 *   reachable without changing what the module exports);
 * - a tracked target (a flow-edge endpoint) gets `enter`/`exit` around its
 *   body, which cost one call and one branch while tracking is off;
 * - a target with `variants` gets the mutant-schemata switch: the body becomes
 *   `const v = __cdlc$.variant(id); if (v === 1) {…} else if (v === 2) {…} else {original}`,
 *   so one build hosts every variant and the active one is picked at run time
 *   (`__cdlc.active.set(id, n)`); without variants no switch is emitted.
 */

export interface InstrumentTarget {
  /** The node id; the registry key. */
  id: string;
  /** `name`, `Class.method`, `Class.constructor`, `Class.#private`, `obj.method`, `ns.member`. */
  qualifiedName: string;
  /** Wrap the body with flow tracking (`enter`/`exit`). */
  track?: boolean;
  /** Alternative bodies (statements, same parameters), variant 1..n of the schemata switch. */
  variants?: string[];
}

export interface InstrumentOptions {
  targets: InstrumentTarget[];
  /** Import specifier of the runtime module, relative to this module. */
  runtimeSpecifier: string;
  /** Maps an import specifier to the one the build needs; undefined keeps it. */
  rewriteSpecifier?: (specifier: string) => string | undefined;
}

export interface InstrumentResult {
  code: string;
  /** Ids registered in the registry. */
  exposed: string[];
  /** Targets that could not be found, with why. */
  missing: { id: string; reason: string }[];
  /** Exposed targets whose calls cannot be tracked for flows, with why. */
  untracked: { id: string; reason: string }[];
}

/** The local name of the runtime's default import in instrumented modules. */
const RT = "__cdlc$";

/** Instruments one module; throws a SyntaxError when the code does not parse. */
export function instrumentModule(code: string, options: InstrumentOptions): InstrumentResult {
  const ast = parse(code, { sourceType: "module", plugins: ["importAttributes"] });
  if (options.rewriteSpecifier !== undefined) rewriteSpecifiers(ast, options.rewriteSpecifier);
  const result: InstrumentResult = { code, exposed: [], missing: [], untracked: [] };
  const after = new Map<number, t.Statement[]>();
  for (const target of options.targets) {
    const found = findNode(ast.program, target.qualifiedName);
    if ("reason" in found) {
      result.missing.push({ id: target.id, reason: found.reason });
      continue;
    }
    const trackReason = target.track === true || (target.variants?.length ?? 0) > 0 ? rewriteBody(found, target) : undefined;
    const tracked = target.track === true && trackReason === undefined;
    if (target.track === true && trackReason !== undefined) result.untracked.push({ id: target.id, reason: trackReason });
    const registrationSource = `${RT}.expose(${JSON.stringify(target.id)}, ${exposeObject(found, tracked)});`;
    if (found.staticBlockIn !== undefined) {
      // A private member is only nameable inside its class: register from a static block.
      found.staticBlockIn.body.body.push(staticBlockFor(registrationSource, found.privateName!));
    } else {
      const registration = parseStatement(registrationSource);
      const list = after.get(found.statementIndex) ?? [];
      list.push(registration);
      after.set(found.statementIndex, list);
    }
    result.exposed.push(target.id);
  }
  if (result.exposed.length === 0 && options.rewriteSpecifier === undefined) return result;
  const body = ast.program.body;
  for (const index of [...after.keys()].sort((a, b) => b - a)) body.splice(index + 1, 0, ...after.get(index)!);
  if (result.exposed.length > 0) {
    body.unshift(t.importDeclaration([t.importDefaultSpecifier(t.identifier(RT))], t.stringLiteral(options.runtimeSpecifier)));
  }
  result.code = generateCode(ast);
  return result;
}

/** The `{ get, receiver?, construct?, tracked }` literal for a found node, as source. */
function exposeObject(found: FoundNode, tracked: boolean): string {
  const parts = [`get: () => ${found.getter}`];
  if (found.receiver !== undefined) parts.push(`receiver: () => ${found.receiver}`);
  if (found.construct) parts.push("construct: true");
  parts.push(`tracked: ${tracked}`);
  return `{ ${parts.join(", ")} }`;
}

/** Adds flow tracking and/or the variant switch to a node's body; returns why tracking is impossible, if it is. */
function rewriteBody(found: FoundNode, target: InstrumentTarget): string | undefined {
  const fn = found.fn;
  if (fn === undefined) return found.untrackedReason ?? "the node is not a function literal in its module";
  if (fn.generator) return "generator functions are not tracked (their body runs after the call returns)";
  const block = t.isBlockStatement(fn.body) ? fn.body : t.blockStatement([t.returnStatement(fn.body)]);
  fn.body = block;
  let statements = block.body;
  if ((target.variants?.length ?? 0) > 0) statements = [variantSwitch(target.id, statements, target.variants!, fn)];
  if (target.track === true) statements = trackingWrapper(target.id, statements, fn);
  block.body = statements;
  return undefined;
}

/**
 * `const f = tracking ? enter(id, args) : 0; try { body } finally { if (f !== 0) exit(f); }`
 * The inline check keeps `arguments` out of the path taken while timing, so
 * the optimizing compiler need not materialise it.
 */
function trackingWrapper(id: string, body: t.Statement[], fn: FunctionLike): t.Statement[] {
  const [enter, guard] = parseStatements(
    `const __cdlc_f = ${RT}.tracking ? ${RT}.enter(${JSON.stringify(id)}, ${argumentsSource(fn)}) : 0;
     try {} finally { if (__cdlc_f !== 0) ${RT}.exit(__cdlc_f); }`,
  ) as [t.Statement, t.TryStatement];
  guard.block.body = body;
  return [enter, guard];
}

/** `const v = __cdlc$.variant(id); if (v === 1) {…} else … else {original}` */
function variantSwitch(id: string, original: t.Statement[], variants: string[], fn: FunctionLike): t.Statement {
  let chain: t.Statement = t.blockStatement(original);
  for (let i = variants.length; i >= 1; i--) chain = t.ifStatement(parseExpression(`__cdlc_v === ${i}`), parseBody(variants[i - 1]!, fn), chain);
  const head = parseStatement(`const __cdlc_v = ${RT}.variant(${JSON.stringify(id)});`);
  return t.blockStatement([head, chain]);
}

/**
 * Parses a variant's body as the body of a method of the same kind: a method,
 * so that `super` and `this.#private` (the names declared for the parse)
 * parse as they do in the original.
 */
function parseBody(body: string, fn: FunctionLike): t.BlockStatement {
  const privates = [...new Set(body.match(/#[A-Za-z_$][\w$]*/g) ?? [])].map((name) => `${name};`).join(" ");
  const head = `${fn.async ? "async " : ""}${fn.generator ? "*" : ""}__cdlc_variant()`;
  const cls = parseStatement(`(class extends Object { ${privates} ${head} {\n${body}\n} });`) as t.ExpressionStatement;
  const method = (cls.expression as t.ClassExpression).body.body.find((m): m is t.ClassMethod => t.isClassMethod(m))!;
  return method.body;
}

/** Parses `static { source }` inside a class that declares `#name`, as Babel checks private names. */
function staticBlockFor(source: string, privateName: string): t.StaticBlock {
  const cls = parseStatement(`class __cdlc_C { ${privateName}() {} static { ${source} } }`) as t.ClassDeclaration;
  return cls.body.body[1] as t.StaticBlock;
}

function parseStatements(source: string): t.Statement[] {
  return parse(source, { sourceType: "module", allowReturnOutsideFunction: true }).program.body;
}

function parseStatement(source: string): t.Statement {
  return parseStatements(source)[0]!;
}

function parseExpression(source: string): t.Expression {
  return (parseStatement(`(${source});`) as t.ExpressionStatement).expression;
}
