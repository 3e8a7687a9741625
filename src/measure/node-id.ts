import { resolve } from "node:path";

/**
 * Node ids as the Living Graph prints them: `<file relative to the project
 * root>#<qualified name>`. Kept local (not imported from src/graph) so that
 * the measurement child stays free of ts-morph and its bundle stays small.
 */

/** Splits an id at its first `#` (private names like `Cart.#secret` contain a second one). */
export function splitNodeId(id: string): { file: string; qualifiedName: string } {
  const hash = id.indexOf("#");
  return hash < 0 ? { file: "", qualifiedName: id } : { file: id.slice(0, hash), qualifiedName: id.slice(hash + 1) };
}

/** The absolute file and qualified name of a node id, relative to `projectRoot`. */
export function locateNodeId(projectRoot: string, id: string): { file: string; qualifiedName: string } {
  const { file, qualifiedName } = splitNodeId(id);
  return { file: resolve(projectRoot, file), qualifiedName };
}

/** The last segment of a qualified name: the default workload export of a node. */
export function simpleName(qualifiedName: string): string {
  const dot = qualifiedName.lastIndexOf(".");
  return dot < 0 ? qualifiedName : qualifiedName.slice(dot + 1);
}
