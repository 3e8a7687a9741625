import { VersionError, type VersionManifest } from "./types.js";

/**
 * Which stored text a file had "as of" a version. Every version checks, when
 * it is applied, that each of its files holds its `before` text, and
 * versions are applied in number order file by file (apply refuses
 * otherwise). So for a file, the `before` of the first version after n that
 * was ever applied is the text it had once n and everything before it were
 * in place; when no later version touched it, the `after` of the last one
 * that did (version 0 holds every file any version changes).
 */

/** Applied now, or applied once and rolled back since: its texts were in the sources. */
export function everApplied(manifest: VersionManifest): boolean {
  return manifest.status !== "staged";
}

/** A text a version stored: version `version`'s `side` text of the file, with its hash. */
export interface TextRef {
  version: number;
  side: "before" | "after";
  hash: string;
}

/** A file's text as of version `n` (which was applied once, or is 0). */
export function textAsOfApplied(manifests: readonly VersionManifest[], n: number, path: string): TextRef {
  const touching = manifests.filter((m) => everApplied(m) && m.files.some((f) => f.path === path));
  const later = touching.find((m) => m.version > n);
  if (later !== undefined) return refOf(later, path, "before");
  const last = touching.filter((m) => m.version <= n).pop();
  if (last === undefined) throw new VersionError("damaged", `no version holds ${path}, not even version 0`);
  return refOf(last, path, "after");
}

/**
 * A file's text as of version `n`, for any version: a staged one is its
 * parent's texts with its own files changed.
 */
export function textAsOf(manifests: readonly VersionManifest[], n: number, path: string): TextRef {
  const manifest = manifests.find((m) => m.version === n);
  if (manifest === undefined) throw new VersionError("not-found", `there is no version ${n}`);
  if (everApplied(manifest)) return textAsOfApplied(manifests, n, path);
  if (manifest.files.some((f) => f.path === path)) return refOf(manifest, path, "after");
  return textAsOf(manifests, manifest.parent ?? 0, path);
}

/** The last version that was ever applied and changes `path`: what it left is what the file should hold now. */
export function lastWriter(manifests: readonly VersionManifest[], path: string): TextRef | undefined {
  const last = manifests.filter((m) => everApplied(m) && m.files.some((f) => f.path === path)).pop();
  return last === undefined ? undefined : refOf(last, path, "after");
}

function refOf(manifest: VersionManifest, path: string, side: "before" | "after"): TextRef {
  const file = manifest.files.find((f) => f.path === path)!;
  return { version: manifest.version, side, hash: file[side] };
}

/**
 * Why staged version `manifest` can no longer be applied, or undefined.
 * Each file's history must follow the version numbers, which is how
 * rollback reads it: so not when a later version that was applied changes
 * one of its files, and not when a file already holds its new text because
 * an earlier version left exactly that text (it was made from another one;
 * a file at its new text is otherwise what a stopped apply of it left).
 * `atAfter`: its files that hold their new text now.
 */
export function applyBlocker(manifests: readonly VersionManifest[], manifest: VersionManifest, atAfter: readonly string[]): string | undefined {
  const n = manifest.version;
  const paths = new Set(manifest.files.map((f) => f.path));
  for (const m of manifests) {
    if (m.version <= n || !everApplied(m)) continue;
    const shared = m.files.find((f) => paths.has(f.path));
    if (shared !== undefined) return `version ${m.version}, applied after version ${n} was made, also changes ${shared.path}`;
  }
  const earlier = manifests.filter((m) => m.version < n);
  for (const path of atAfter) {
    const last = lastWriter(earlier, path);
    if (last !== undefined && last.hash === manifest.files.find((f) => f.path === path)!.after) return `version ${last.version} already gave ${path} the text version ${n} would write, and version ${n} was made from another text`;
  }
  return undefined;
}
