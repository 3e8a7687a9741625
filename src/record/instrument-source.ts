import { parse, type ParserPlugin } from "@babel/parser";
import type * as t from "@babel/types";
import { childNodes, is, isClass, isFunction } from "../util/babel-node.js";
import { argumentsSource, findNode, type FunctionLike } from "../measure/find-node.js";
import { RECORDER_GLOBAL } from "./plan.js";
import { applyInserts } from "./prepared-edits.js";

/**
 * Instruments one module's source text for `cdlc record`: each watched
 * function's body is wrapped so that the recorder sees the call, its time
 * and whether it threw:
 *
 *   const __cdlc_t = __cdlc_r === undefined ? -2 : __cdlc_r.e(N);
 *   try { BODY } catch (e) { …x(N); throw e; } finally { …l(N, __cdlc_t); }
 *
 * The edit is made by inserting text, never by reprinting the module, and
 * never adds a line: every line keeps its number, so stack traces, source
 * maps and coverage still point where they did. The error is rethrown as
 * it was caught, so callers see the same error. An async call is timed to
 * its settlement: its body's awaits run inside the `try`, and a promise it
 * returns is watched until it settles (a rejection counts as an error).
 * Generators are left alone (their body runs after the call returns).
 *
 * Works on TypeScript source (under a loader such as tsx, or vitest) and on
 * compiled JavaScript (tsc output keeps the qualified names).
 */

export interface InstrumentRequest {
  /** The watched nodes of this file: index in the plan, qualified name. */
  nodes: { index: number; qualifiedName: string }[];
  /** Parse as TypeScript (`.ts`, `.mts`, `.cts`, `.tsx`). */
  typescript: boolean;
  jsx?: boolean;
  /** Nodes whose calls pass their arguments (and receiver) to the recorder: captured args, or edge volume. */
  passArgs?: ReadonlySet<number>;
}

export interface InstrumentOutcome {
  code: string;
  /** The insertions that made `code` from the source (see prepared-edits.ts). */
  inserts: { at: number; text: string }[];
  instrumented: number[];
  skipped: { index: number; reason: string }[];
}

export function instrumentSource(code: string, request: InstrumentRequest): InstrumentOutcome {
  const plugins: ParserPlugin[] = request.typescript ? ["typescript", "decorators-legacy"] : ["importAttributes"];
  if (request.jsx === true) plugins.push("jsx");
  let ast: t.File;
  try {
    ast = parse(code, { sourceType: "unambiguous", allowReturnOutsideFunction: true, plugins });
  } catch (e) {
    const reason = `the module does not parse: ${(e as Error).message}`;
    return { code, inserts: [], instrumented: [], skipped: request.nodes.map((n) => ({ index: n.index, reason })) };
  }
  const inserts: { at: number; text: string }[] = [];
  const outcome: InstrumentOutcome = { code, inserts, instrumented: [], skipped: [] };
  for (const node of request.nodes) {
    const found = findNode(ast.program, node.qualifiedName);
    if ("reason" in found) {
      outcome.skipped.push({ index: node.index, reason: found.reason });
      continue;
    }
    const fn = found.fn;
    if (fn === undefined) {
      outcome.skipped.push({ index: node.index, reason: found.untrackedReason ?? "not a function literal in its module" });
      continue;
    }
    if (fn.generator) {
      outcome.skipped.push({ index: node.index, reason: "a generator: its body runs after the call returns, so it is not recorded" });
      continue;
    }
    inserts.push(...bodyInserts(code, fn, node.index, request.passArgs?.has(node.index) === true));
    outcome.instrumented.push(node.index);
  }
  if (inserts.length === 0) return outcome;
  inserts.push({ at: prologueAt(code, ast.program), text: `;var __cdlc_r = globalThis.${RECORDER_GLOBAL};` });
  outcome.code = applyInserts(code, inserts);
  return outcome;
}

/**
 * The insertions that wrap one function's body. The leading `;` ends a
 * directive written without one (`"use strict"`), which would otherwise
 * run into the inserted statement.
 */
function bodyInserts(code: string, fn: FunctionLike, index: number, passArgs: boolean): { at: number; text: string }[] {
  const enterArgs = passArgs ? `, ${argumentsSource(fn)}${hasReceiver(fn) ? ", this" : ""}` : "";
  const head = `;const __cdlc_t = __cdlc_r === undefined ? -2 : __cdlc_r.e(${index}${enterArgs});${fn.async ? " let __cdlc_v, __cdlc_p = false;" : ""} try {`;
  // An async call whose returned promise the recorder watches (`__cdlc_p`) is recorded when that promise settles.
  const leave = fn.async ? `if (__cdlc_t !== -2 && !__cdlc_p)` : `if (__cdlc_t !== -2)`;
  const tail = `} catch (__cdlc_x) { if (__cdlc_t !== -2) __cdlc_r.x(${index}); throw __cdlc_x; } finally { ${leave} __cdlc_r.l(${index}, __cdlc_t); }`;
  if (is(fn.body, "BlockStatement")) {
    const directives = fn.body.directives;
    const start = directives.length > 0 ? directives[directives.length - 1]!.end! : fn.body.start! + 1;
    // A return that ends at the closing brace: its own closing text goes before the body's tail.
    const returns = fn.async ? ownReturns(fn.body).flatMap((r) => (r.argument ? settled(r.argument.start!, r.argument.end!, index) : [])) : [];
    return [{ at: start, text: ` ${head}` }, ...returns, { at: fn.body.end! - 1, text: ` ${tail} ` }];
  }
  // An expression body: `=> expr` becomes `=> { …; try { return (expr); } … }`.
  const arrow = arrowEnd(code, fn as t.ArrowFunctionExpression);
  const returned = fn.async ? settled(arrow, fn.end!, index) : [{ at: arrow, text: "(" }, { at: fn.end!, text: ")" }];
  return [{ at: arrow, text: ` { ${head} return ` }, ...returned, { at: fn.end!, text: `; ${tail} }` }];
}

/**
 * An async function's returned value: a promise is handed to the recorder,
 * which records the call when it settles, and returned as it was — not
 * awaited, so a user's own try/catch around the return sees what it saw
 * before, and no microtask is added to the function's own resolution. (The
 * function's promise adopts the returned one, which so has a handler
 * anyway: watching it changes no unhandled-rejection report.)
 */
function settled(start: number, end: number, index: number): { at: number; text: string }[] {
  return [
    { at: start, text: "(__cdlc_v = (" },
    { at: end, text: `), __cdlc_t !== -2 && __cdlc_v instanceof Promise ? ((__cdlc_p = true), __cdlc_r.a(${index}, __cdlc_t, __cdlc_v)) : __cdlc_v)` },
  ];
}

/** Methods get their receiver passed; functions and arrows have none worth keeping, constructors none yet. */
function hasReceiver(fn: FunctionLike): boolean {
  return (is(fn, "ClassMethod") || is(fn, "ClassPrivateMethod") || is(fn, "ObjectMethod")) && fn.kind !== "constructor";
}

/** Just after the `=>` of an arrow with an expression body (comments between the parameters and the arrow skipped). */
function arrowEnd(code: string, fn: t.ArrowFunctionExpression): number {
  const lastParam = fn.params[fn.params.length - 1];
  let i = fn.returnType?.end ?? lastParam?.end ?? fn.start!;
  while (i < code.length) {
    if (code.startsWith("=>", i)) return i + 2;
    if (code.startsWith("/*", i)) i = code.indexOf("*/", i + 2) + 2;
    else if (code.startsWith("//", i)) i = code.indexOf("\n", i);
    else i++;
    if (i <= 0) break;
  }
  throw new SyntaxError("the arrow of an arrow function was not found");
}

/** The return statements of this function, not of functions or classes nested in it. */
function ownReturns(body: t.Node): t.ReturnStatement[] {
  const out: t.ReturnStatement[] = [];
  const visit = (node: t.Node): void => {
    if (is(node, "ReturnStatement")) out.push(node);
    if (isFunction(node) || isClass(node)) return;
    for (const child of childNodes(node)) visit(child);
  };
  for (const child of childNodes(body)) visit(child);
  return out;
}

/** Where the module-level recorder binding goes: after a hashbang line and the directive prologue, so `"use strict"` stays one. */
function prologueAt(code: string, program: t.Program): number {
  if (program.directives.length > 0) return program.directives[program.directives.length - 1]!.end!;
  if (program.interpreter) {
    const newline = code.indexOf("\n", program.interpreter.end!);
    return newline === -1 ? code.length : newline + 1;
  }
  return 0;
}
