import { posix } from "node:path";
import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { findNode } from "../../measure/find-node.js";
import type { FunctionLike, Operator, OperatorContext, Rewrite } from "../types.js";

/**
 * algorithm_swap: the node delegates to an alternative its constraint
 * lists (`algorithm: [sortB]`): its body becomes `return sortB(a, b);`,
 * one variant per alternative that the node's file can call by name.
 *
 *   function sortUsers(users: User[]) {        function sortUsers(users: User[]) {
 *     …                                   →      return sortUsersByKey(users);
 *   }                                          }
 *
 * What `algorithm:` asserts, and the binding's type check supports, is
 * that the alternative computes what the node computes. The rewrite is
 * exact under that premise — the oracle tests the premise itself — when
 * the alternative gets an argument list the node cannot tell from the
 * caller's, and the receiver the node got whenever either may read it:
 * - Arguments are rebuilt from the parameters: a plain parameter by name,
 *   a defaulted one by name (the alternative gets the value the node's
 *   body would have seen: the node's default, evaluated once, as before),
 *   a rest parameter spread, a destructured one as `arguments[i]` (the
 *   value passed; not possible in an arrow function: refused). Extra
 *   arguments are dropped and an omitted one becomes `undefined`, which
 *   a node that never reads `arguments` cannot tell apart: one that does
 *   is refused.
 * - `this`: an arrow node has no receiver of its own, so it refuses when
 *   it reads the `this` around it. A node that reads `this` hands it on
 *   (`alt.call(this, …)`) unless the alternative, visible in this file,
 *   never reads it; an alternative of another object runs on its own
 *   receiver, so a node reading `this` refuses it. An instance method of
 *   the node's own class runs on the same receiver through the class
 *   (`Cart.prototype.fast.call(this, …)`, `this.#fast(…)`): `this.fast`
 *   could reach a subclass's override instead.
 * - Async nodes `return alt(…)` (the promise's outcome is the same);
 *   generators `return yield* alt(…)`. Getters, setters and constructors
 *   are refused.
 * - The alternative must be reachable by name from the node without an
 *   edit elsewhere: declared at the top level of the node's file, or
 *   imported by name (or through `import * as`) from the alternative's
 *   file with a relative specifier. A member of an imported class or
 *   object is refused: cdlc cannot see whether it is static.
 *
 * Alternatives arrive as the binding resolved them: node ids
 * (`src/sort.ts#sortB`); telling the node's own file from another needs
 * the node's file (`ctx.file`). A plain name without a file is looked up
 * in the node's file (a declaration, else a relative import by that name).
 *
 * Risk 0.3: the variant is only as right as the alternative, which
 * nothing here checks beyond the binding's signature check.
 */

interface Alternative {
  /** As written in `algorithm:` (or by the binding: an id). */
  text: string;
  /** The file of an id; undefined for a plain name. */
  file: string | undefined;
  /** The qualified name: `sortB`, `Sorters.quick`, `Cart.#fast`. */
  name: string;
}

function parseAlternative(text: string): Alternative {
  const hash = text.indexOf("#");
  return hash < 0 ? { text, file: undefined, name: text } : { text, file: text.slice(0, hash), name: text.slice(hash + 1) };
}

/** How the node's body reaches the alternative. */
interface Callee {
  /** Source of the function reference: `sortB`, `Sorters.quick`, `ns.sortB`. */
  ref: string;
  /** The natural receiver the call passes (`Sorters` for `Sorters.quick(…)`), undefined for a plain function. */
  owner: t.Node | undefined;
  /** Whether the alternative may read `this`: false only when its body is visible and does not. */
  mayReadThis: boolean;
  /** An instance method of the node's class: called on the node's receiver through the class. */
  instance?: { className: string; member: string; isPrivate: boolean };
  /** Names the call text uses, which the node's parameters must not hide. */
  names: string[];
}

/** Whether `fn` (its parameters or body) reads its own `this` (or `super`); arrows and classes inside are looked through or skipped accordingly. */
function readsOwnThis(fn: t.Function): boolean {
  let found = false;
  const visit = (node: t.Node | null | undefined): void => {
    if (found || node === null || node === undefined) return;
    if (t.isThisExpression(node) || t.isSuper(node)) {
      found = true;
      return;
    }
    // A non-arrow function or a class has its own `this`.
    if ((t.isFunction(node) && !t.isArrowFunctionExpression(node)) || t.isClass(node)) return;
    for (const key of t.VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) for (const c of child) visit(c as t.Node | null);
      else if (child !== null && typeof child === "object") visit(child as t.Node);
    }
  };
  for (const p of fn.params) visit(p);
  visit(fn.body);
  return found;
}

/** The first use of `arguments` or `new.target` that belongs to `fn` itself (not to a function inside it). */
function ownArgumentsUse(fn: NodePath<FunctionLike>): t.Node | undefined {
  let found: t.Node | undefined;
  fn.traverse({
    Function(p) {
      if (!p.isArrowFunctionExpression()) p.skip();
    },
    Identifier(p) {
      if (p.node.name === "arguments" && p.isReferencedIdentifier() && p.scope.getBinding("arguments") === undefined) {
        found ??= p.node;
        p.stop();
      }
    },
    MetaProperty(p) {
      if (p.node.meta.name === "new") {
        found ??= p.node;
        p.stop();
      }
    },
  });
  return found;
}

/** The argument list that hands the alternative what the node received, or why there is none. */
function argumentList(ctx: OperatorContext): string | { reason: string } {
  const fn = ctx.fn.node;
  const isArrow = t.isArrowFunctionExpression(fn);
  const parts: string[] = [];
  let index = 0;
  for (const param of fn.params) {
    // TypeScript's `this` parameter is a type, not an argument.
    if (t.isIdentifier(param) && param.name === "this") continue;
    const at = index++;
    if (t.isIdentifier(param)) parts.push(param.name);
    else if (t.isAssignmentPattern(param) && t.isIdentifier(param.left)) parts.push(param.left.name);
    else if (t.isRestElement(param) && t.isIdentifier(param.argument)) parts.push(`...${param.argument.name}`);
    else if (t.isRestElement(param)) return { reason: `the rest parameter \`${ctx.text(param)}\` is destructured: the array it takes apart is not kept` };
    else if (t.isTSParameterProperty(param)) return { reason: "a constructor parameter property" };
    else if (isArrow) return { reason: `the parameter \`${ctx.text(param)}\` is destructured and an arrow function has no \`arguments\` to pass the value itself on` };
    else parts.push(`arguments[${at}]`);
  }
  return parts.join(", ");
}

/** Whether `name`, used in the node's new body, still means `declaredBy` (a top-level declaration or import), not a parameter or an enclosing binding. */
function reachesTopLevel(ctx: OperatorContext, name: string, declaredBy: t.Node): boolean {
  const outer = ctx.fn.scope.parent;
  const binding = outer?.getBinding(name);
  if (binding === undefined) return false;
  if (binding.path.node === declaredBy) return true;
  // Inside a class, its name may be the class's own inner binding.
  return binding.kind === "local" && t.isClass(binding.path.node) && binding.path.node === classOf(declaredBy);
}

function classOf(node: t.Node): t.Class | undefined {
  if (t.isClass(node)) return node;
  if (t.isVariableDeclarator(node) && t.isClassExpression(node.init)) return node.init;
  return undefined;
}

/** The module's top-level declaration of `name` (the node a binding points at), if any. */
function topLevelDeclaration(program: t.Program, name: string): t.Node | undefined {
  for (const statement of program.body) {
    const decl = t.isExportNamedDeclaration(statement) || t.isExportDefaultDeclaration(statement) ? statement.declaration : statement;
    if ((t.isFunctionDeclaration(decl) || t.isClassDeclaration(decl)) && decl.id?.name === name) return decl;
    if (t.isVariableDeclaration(decl)) {
      const d = decl.declarations.find((x) => t.isIdentifier(x.id) && x.id.name === name);
      if (d !== undefined) return d;
    }
  }
  return undefined;
}

/** The candidate files a relative import specifier names (TypeScript's resolution of `./x.js` to `./x.ts` and the like). */
function importTargets(fromFile: string, specifier: string): string[] {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return [];
  const base = posix.normalize(posix.join(posix.dirname(fromFile), specifier));
  const swap = (from: RegExp, tos: string[]) => tos.map((to) => base.replace(from, to));
  if (/\.(?:js|jsx)$/.test(base)) return [base, ...swap(/\.jsx?$/, [".ts", ".tsx"])];
  if (base.endsWith(".mjs")) return [base, ...swap(/\.mjs$/, [".mts"])];
  if (base.endsWith(".cjs")) return [base, ...swap(/\.cjs$/, [".cts"])];
  if (/\.(?:ts|tsx|mts|cts)$/.test(base)) return [base];
  const extensions = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
  return [...extensions.map((e) => base + e), ...[".ts", ".tsx", ".js", ".jsx"].map((e) => `${base}/index${e}`)];
}

/** A visible function's `this`: does it read its own? (Arrows never have one.) */
function mayReadThis(fn: FunctionLike | undefined): boolean {
  if (fn === undefined) return true;
  return !t.isArrowFunctionExpression(fn) && readsOwnThis(fn);
}

/** The class that declares the node, when it is a class member. */
function enclosingClass(fn: NodePath<FunctionLike>): t.Class | undefined {
  const member = fn.isClassMethod() || fn.isClassPrivateMethod() ? fn : fn.parentPath?.isClassProperty() || fn.parentPath?.isClassPrivateProperty() ? fn.parentPath : undefined;
  const body = member?.parentPath;
  return body?.parentPath !== undefined && body.parentPath !== null && t.isClass(body.parentPath.node) ? body.parentPath.node : undefined;
}

/** An alternative declared in the node's own file. */
function localCallee(ctx: OperatorContext, alt: Alternative, program: t.Program): Callee | { reason: string } | "self" {
  const parts = alt.name.split(".");
  const head = parts[0]!;
  const found = findNode(program, alt.name);
  const declaredBy = topLevelDeclaration(program, head);
  if (declaredBy === undefined) return { reason: notInScope(ctx, alt) };
  if ("reason" in found) return { reason: `\`${alt.text}\`: ${found.reason}` };
  if (found.fn === ctx.fn.node) return "self";
  if (found.fn === undefined) return { reason: `\`${alt.name}\` is not a function written in ${ctx.file} (${found.untrackedReason ?? "it is reached at run time"})` };
  if (!reachesTopLevel(ctx, head, declaredBy)) return { reason: `\`${head}\` means something else inside the node, so it cannot reach \`${alt.text}\`` };
  const fn = found.fn;
  if ((t.isClassMethod(fn) || t.isObjectMethod(fn) || t.isClassPrivateMethod(fn)) && fn.kind !== "method") return { reason: `\`${alt.name}\` is a ${fn.kind === "constructor" ? "constructor" : "getter or setter"}, not a function to call` };
  if (parts.length === 1) return { ref: head, owner: undefined, mayReadThis: mayReadThis(fn), names: [head] };
  const member = parts.slice(1).join(".");
  const cls = classOf(declaredBy);
  const isStatic = found.receiver !== undefined;
  if (cls !== undefined && !isStatic) {
    if (enclosingClass(ctx.fn) !== cls || isStaticNode(ctx.fn)) {
      return { reason: `\`${alt.name}\` is an instance method: it needs a receiver of class \`${head}\`, and ${isStaticNode(ctx.fn) ? "this node is static" : "this node is not a method of that class"}` };
    }
    return { ref: "", owner: undefined, mayReadThis: true, instance: { className: head, member, isPrivate: member.startsWith("#") }, names: [head] };
  }
  if (member.startsWith("#") && enclosingClass(ctx.fn) !== cls) return { reason: `\`${alt.name}\` is private to \`${head}\`` };
  return { ref: `${head}.${member}`, owner: cls ?? declaredBy, mayReadThis: mayReadThis(fn), names: [head] };
}

function isStaticNode(fn: NodePath<FunctionLike>): boolean {
  const node = fn.node;
  if (t.isClassMethod(node) || t.isClassPrivateMethod(node)) return node.static;
  const parent = fn.parent;
  return (t.isClassProperty(parent) || t.isClassPrivateProperty(parent)) && parent.static;
}

/** An alternative imported into the node's file from its own file (or, for a plain name, by that name from a relative module). */
function importedCallee(ctx: OperatorContext, alt: Alternative, program: t.Program): Callee | { reason: string } {
  const parts = alt.name.split(".");
  const head = parts[0]!;
  for (const statement of program.body) {
    if (!t.isImportDeclaration(statement) || statement.importKind === "type" || statement.importKind === "typeof") continue;
    const from = statement.source.value;
    const sameModule = alt.file === undefined ? from.startsWith(".") : importTargets(ctx.file, from).includes(alt.file);
    if (!sameModule) continue;
    for (const s of statement.specifiers) {
      const local = s.local.name;
      if (t.isImportSpecifier(s) && s.importKind !== "type" && (t.isIdentifier(s.imported) ? s.imported.name : s.imported.value) === head) {
        if (parts.length > 1) return { reason: `\`${alt.name}\` is a member of \`${head}\`, imported from \`${from}\`: cdlc cannot see whether it can be called as \`${head}.${parts.slice(1).join(".")}(…)\` (a static member) or needs an instance` };
        if (!reachesTopLevel(ctx, local, s)) return { reason: `\`${local}\` means something else inside the node, so it cannot reach \`${alt.text}\`` };
        return { ref: local, owner: undefined, mayReadThis: true, names: [local] };
      }
      if (t.isImportNamespaceSpecifier(s) && parts.length === 1 && alt.file !== undefined) {
        if (!reachesTopLevel(ctx, local, s)) return { reason: `\`${local}\` means something else inside the node, so it cannot reach \`${alt.text}\`` };
        // A namespace object is no receiver the alternative was written for: a plain function.
        return { ref: `${local}.${head}`, owner: undefined, mayReadThis: true, names: [local] };
      }
      if (t.isImportDefaultSpecifier(s) && local === head) return { reason: `\`${head}\` is imported as a default export: cdlc cannot tell that it is \`${alt.text}\`; import it by name` };
    }
  }
  return { reason: notInScope(ctx, alt) };
}

function notInScope(ctx: OperatorContext, alt: Alternative): string {
  const head = alt.name.split(".")[0]!;
  return `\`${head}\` is not in scope in ${ctx.file}: import it so algorithm_swap can call it`;
}

/** How the node reaches the alternative, or why it cannot; "self" for the node itself. */
function calleeFor(ctx: OperatorContext, alt: Alternative): Callee | { reason: string } | "self" {
  const program = ctx.fn.scope.getProgramParent().path.node as t.Program;
  const local = alt.file === undefined || alt.file === ctx.file;
  if (local) {
    const here = localCallee(ctx, alt, program);
    // A plain name not declared here may still be imported by that name.
    if (alt.file === undefined && typeof here === "object" && "reason" in here && topLevelDeclaration(program, alt.name.split(".")[0]!) === undefined) return importedCallee(ctx, alt, program);
    return here;
  }
  return importedCallee(ctx, alt, program);
}

/** The call that hands the node's arguments (and receiver, where either side may read it) to the alternative. */
function callText(ctx: OperatorContext, alt: Alternative, callee: Callee, args: string): string | { reason: string } {
  const fn = ctx.fn.node;
  const nodeReadsThis = !t.isArrowFunctionExpression(fn) && readsOwnThis(fn);
  const withThis = (ref: string) => `${ref}.call(${args === "" ? "this" : `this, ${args}`})`;
  if (callee.instance !== undefined) {
    const { className, member, isPrivate } = callee.instance;
    return isPrivate ? `this.${member}(${args})` : withThis(`${className}.prototype.${member}`);
  }
  if (!nodeReadsThis || !callee.mayReadThis) return `${callee.ref}(${args})`;
  // Both may read `this`: the alternative must run on the node's receiver.
  if (callee.owner === undefined) return withThis(callee.ref);
  // A member of the node's own class or object: the receiver the node got is one it was written for.
  const ownClass = enclosingClass(ctx.fn);
  const sameClass = ownClass !== undefined && ownClass === classOf(callee.owner);
  const sameObject = ownerObject(ctx.fn) !== undefined && ownerObject(ctx.fn) === callee.owner;
  if (sameClass || sameObject) return withThis(callee.ref);
  return { reason: `this node reads \`this\`, and \`${alt.name}\` would run on \`${callee.ref.slice(0, callee.ref.lastIndexOf("."))}\` instead of the node's receiver` };
}

/** The `const x = { … }` declarator whose object literal holds the node, when it is an object member. */
function ownerObject(fn: NodePath<FunctionLike>): t.Node | undefined {
  const member = fn.isObjectMethod() ? fn : fn.parentPath;
  const object = member?.parentPath;
  const declarator = object?.parentPath;
  return object?.isObjectExpression() && declarator?.isVariableDeclarator() ? declarator.node : undefined;
}

/** The node's body replaced by `return <call>;` (an arrow's expression body by the call itself). */
function bodyEdit(ctx: OperatorContext, call: string): Rewrite["edits"][number] {
  const fn = ctx.fn.node;
  const body = fn.body;
  if (!t.isBlockStatement(body)) {
    // An expression body in parentheses: replace the parentheses too.
    const start = body.extra?.parenthesized === true ? (body.extra.parenStart as number) : body.start!;
    const end = body.extra?.parenthesized === true ? ctx.source.indexOf(")", body.end!) + 1 : body.end!;
    return { start, end, text: call };
  }
  // Directives ("use strict") stay: they change how the parameters behave.
  const statements = [...body.directives.map((d) => ctx.text(d)), `return ${fn.generator ? `yield* ${call}` : call};`];
  const text = ctx.text(body);
  if (!text.includes("\n")) return { start: body.start!, end: body.end!, text: `{ ${statements.join(" ")} }` };
  const lineStart = ctx.source.lastIndexOf("\n", body.end! - 1) + 1;
  const closing = /^[ \t]*/.exec(ctx.source.slice(lineStart))![0];
  const first = body.body[0] ?? body.directives[0];
  const firstLine = first === undefined ? undefined : ctx.source.slice(ctx.source.lastIndexOf("\n", first.start! - 1) + 1, first.start!);
  const inner = firstLine !== undefined && /^[ \t]*$/.test(firstLine) ? firstLine : `${closing}  `;
  return { start: body.start!, end: body.end!, text: `{\n${statements.map((x) => inner + x).join("\n")}\n${closing}}` };
}

function rewriteFor(ctx: OperatorContext, alt: Alternative): Rewrite | { reason: string } | "self" {
  const callee = calleeFor(ctx, alt);
  if (callee === "self" || "reason" in callee) return callee;
  const hidden = callee.names.find((n) => Object.keys(ctx.fn.scope.bindings).includes(n) && ctx.fn.scope.bindings[n]!.kind === "param");
  if (hidden !== undefined) return { reason: `the parameter \`${hidden}\` hides \`${alt.text}\`` };
  const args = argumentList(ctx);
  if (typeof args !== "string") return args;
  const call = callText(ctx, alt, callee, args);
  if (typeof call !== "string") return call;
  const fn = ctx.fn.node;
  return { edits: [bodyEdit(ctx, call)], summary: `body → \`return ${fn.generator ? "yield* " : ""}${call}\`, the alternative \`${alt.text}\` (line ${fn.loc?.start.line})` };
}

/** Why the node itself cannot delegate, whatever the alternative. */
function nodeRefusal(ctx: OperatorContext): string | undefined {
  const fn = ctx.fn.node;
  if ((t.isClassMethod(fn) || t.isObjectMethod(fn) || t.isClassPrivateMethod(fn)) && fn.kind !== "method") {
    return fn.kind === "constructor" ? "a constructor cannot hand its work to another function" : `a ${fn.kind}ter: cdlc swaps the implementation of functions and methods only`;
  }
  if (t.isArrowFunctionExpression(fn) && readsOwnThis(fn)) {
    return "the arrow function reads the `this` around it, which the alternative would not see";
  }
  const use = ownArgumentsUse(ctx.fn);
  if (use !== undefined) {
    return `the node reads \`${ctx.text(use)}\` (line ${use.loc?.start.line}): an argument list rebuilt from its parameters may not be one it treats the same way`;
  }
  return undefined;
}

export const algorithmSwap: Operator = {
  id: "algorithm_swap",
  risk: 0.3,
  byNameOnly: false,
  apply(ctx) {
    if (ctx.alternatives.length === 0) return { reason: "the constraint lists no `algorithm:` alternatives" };
    const refused = nodeRefusal(ctx);
    if (refused !== undefined) return { reason: refused };
    const rewrites: Rewrite[] = [];
    const reasons: string[] = [];
    for (const text of ctx.alternatives) {
      const r = rewriteFor(ctx, parseAlternative(text));
      if (r === "self") continue;
      if ("reason" in r) reasons.push(r.reason);
      else rewrites.push(r);
    }
    if (rewrites.length > 0) return { rewrites };
    return { reason: reasons.length > 0 ? reasons.join("; ") : "the only alternative listed is the node itself" };
  },
};
