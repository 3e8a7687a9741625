import { join } from "node:path";
import { VersionError } from "./types.js";

/**
 * Where the store keeps things under the project root:
 *
 * ```
 * .cdl/archive.jsonl                    one line per attempted variant, append-only
 * .cdl/versions/<n>/manifest.json       the version (status rewritten atomically, last)
 * .cdl/versions/<n>/<n>.patch           unified diff of all its files, relative to the root
 * .cdl/versions/<n>/before/<path>       each changed file's bytes before …
 * .cdl/versions/<n>/after/<path>        … and after (version 0, which changes nothing: before/ only)
 * .cdl/versions/.tmp-<random>/          a version being written (garbage once its writer is gone)
 * ```
 */

export const TEMP_PREFIX = ".tmp-";

export function cdlDir(root: string): string {
  return join(root, ".cdl");
}

export function versionsDir(root: string): string {
  return join(root, ".cdl", "versions");
}

export function archivePath(root: string): string {
  return join(root, ".cdl", "archive.jsonl");
}

export function versionDir(root: string, n: number): string {
  return join(versionsDir(root), String(n));
}

export function manifestPath(folder: string): string {
  return join(folder, "manifest.json");
}

export function patchPath(folder: string, n: number): string {
  return join(folder, `${n}.patch`);
}

/** A stored text of a version folder (`side` is before or after). */
export function textPath(folder: string, side: "before" | "after", path: string): string {
  return join(folder, side, ...path.split("/"));
}

/** A version folder's name is its number written plainly ("7", never "07"). */
export function versionNumberOf(name: string): number | undefined {
  return /^(0|[1-9]\d{0,8})$/.test(name) ? Number(name) : undefined;
}

/**
 * Checks a project-relative path as a version may name it: `/`-separated,
 * inside the root, not in `.cdl/`, and printable in a patch header.
 * Returns why not, or undefined.
 */
export function badRelativePath(path: string): string | undefined {
  if (path === "") return "the path is empty";
  if (/[\u0000-\u001f\u007f]/.test(path)) return "it holds a control character (a patch header cannot name it)";
  if (path.includes("\\")) return "it holds a backslash (paths are relative to the project root, with /)";
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return "it is absolute (paths are relative to the project root)";
  const segments = path.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) return "it has an empty, '.' or '..' segment";
  if (segments[0] === ".cdl") return "it is inside .cdl/, which cdlc owns";
  return undefined;
}

/** Throws a `bad-request` refusal when `path` is not a path a version may name. */
export function checkRelativePath(path: string): void {
  const bad = badRelativePath(path);
  if (bad !== undefined) throw new VersionError("bad-request", `cannot version '${path}': ${bad}`);
}
