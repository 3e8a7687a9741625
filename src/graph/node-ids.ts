import { relative, resolve, sep } from "node:path";

/**
 * Node ids, everywhere the tools print one: `<file relative to the project
 * root>#<qualified name>`. Anonymous functions are named after the named
 * node that encloses them and their order in it (`Cart.total.<anonymous-1>`),
 * which stays stable while the code around them changes; a module's top
 * level is `<module>`.
 */

export const MODULE_NAME = "<module>";

export function nodeId(file: string, qualifiedName: string): string {
  return `${file}#${qualifiedName}`;
}

/** Splits an id at its first `#` (names may contain `#` for private members). */
export function splitNodeId(id: string): { file: string; name: string } {
  const hash = id.indexOf("#");
  return hash < 0 ? { file: "", name: id } : { file: id.slice(0, hash), name: id.slice(hash + 1) };
}

/** A file's path relative to the project root, with `/` separators. */
export function projectRelative(root: string, path: string): string {
  // `path` may itself be relative to the root.
  return relative(root, resolve(root, path)).split(sep).join("/");
}

export function qualify(prefix: string | undefined, name: string): string {
  return prefix === undefined || prefix === "" ? name : `${prefix}.${name}`;
}

/** The name of the `n`-th (1-based) anonymous function inside a named node (or a module's top level). */
export function anonymousName(ownerName: string | undefined, n: number): string {
  return qualify(ownerName, `<anonymous-${n}>`);
}

/** The last segment of a qualified name. */
export function simpleNodeName(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? name : name.slice(dot + 1);
}
