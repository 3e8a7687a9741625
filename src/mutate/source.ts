import { parse, type ParserPlugin } from "@babel/parser";
import type { NodePath } from "@babel/traverse";
import type * as t from "@babel/types";
import { traverse } from "../measure/babel-util.js";
import { findNode, type FunctionLike } from "../measure/find-node.js";

/**
 * A TypeScript or JavaScript file as the mutation engine reads it: Babel's
 * AST with the TypeScript (and JSX) syntax kept, so that a rewrite prints
 * back what the user wrote, types included.
 */

function pluginsFor(file: string): ParserPlugin[] {
  const jsx = /\.[jt]sx$/.test(file);
  const ts = /\.[cm]?tsx?$/.test(file);
  return [...(ts ? (["typescript"] as ParserPlugin[]) : []), ...(jsx ? (["jsx"] as ParserPlugin[]) : []), "importAttributes"];
}

/** Parses a file; throws Babel's SyntaxError (with `loc`) when it does not parse. */
export function parseSource(file: string, source: string): t.File {
  return parse(source, { sourceType: "module", plugins: pluginsFor(file), errorRecovery: false });
}

/** The path of the node's function in a parsed file, or why there is none to rewrite. */
export function locateFunction(ast: t.File, qualifiedName: string): NodePath<FunctionLike> | { reason: string } {
  const found = findNode(ast.program, qualifiedName);
  if ("reason" in found) return found;
  const fn = found.fn;
  if (fn === undefined) return { reason: found.untrackedReason ?? "it is not a function written in its module" };
  let path: NodePath<FunctionLike> | undefined;
  traverse(ast, {
    Function(p) {
      if (p.node === fn) {
        path = p as NodePath<FunctionLike>;
        p.stop();
      }
    },
  });
  if (path === undefined) return { reason: "its function was not found in the syntax tree" };
  return path;
}

/**
 * A child or descendant path by key (`"right"`, `"callee.object"`), untyped:
 * Babel's typed `get` on a path not narrowed to one node type makes the type
 * checker resolve the key against every node type (seconds per call; all of
 * them together made `tsc` take minutes).
 */
export function childPath(path: NodePath, key: string): NodePath {
  return (path as unknown as { get(key: string): NodePath }).get(key);
}

/** The paths of a list-valued child (arguments, body, elements), untyped for the same reason as childPath. */
export function childPaths(path: NodePath, key: string): NodePath[] {
  return (path as unknown as { get(key: string): NodePath[] }).get(key);
}
