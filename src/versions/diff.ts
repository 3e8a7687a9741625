import { readFileSync } from "node:fs";
import { everApplied, textAsOf } from "./history.js";
import { patchPath, versionDir } from "./layout.js";
import { readAllManifests, readManifest, storedText } from "./manifest.js";
import { patchOf } from "./patch.js";
import { VersionError, type VersionManifest } from "./types.js";

/** A patch between two states of the program. */
export interface VersionDiff {
  /** The version the patch starts from (a version's parent; null for version 0). */
  from: number | null;
  to: number;
  /** The files the patch changes, sorted. */
  files: string[];
  /** Unified diff relative to the project root, as bytes (the sources' bytes, exactly: not always UTF-8). */
  patch: Buffer;
}

/**
 * The patch of version `n` against its parent (its stored `<n>.patch`), or,
 * with `m`, from the program as of `n` to the program as of `m`: every file
 * that `n`, `m` or an applied version between them changes, from its text
 * as of `n` to its text as of `m`.
 */
export function versionDiff(root: string, n: number, m?: number): VersionDiff {
  if (m === undefined) {
    const manifest = readManifest(root, n);
    let patch: Buffer;
    try {
      patch = readFileSync(patchPath(versionDir(root, n), n));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new VersionError("damaged", `version ${n} lacks its patch ${n}.patch`);
      throw e;
    }
    const files = manifest.files.filter((f) => f.before !== f.after).map((f) => f.path);
    return { from: manifest.parent, to: n, files, patch };
  }
  const manifests = readAllManifests(root);
  const find = (v: number) => manifests.find((x) => x.version === v) ?? notFound(v);
  const [a, b] = [find(n), find(m)];
  const low = Math.min(n, m);
  const high = Math.max(n, m);
  const between = manifests.filter((x) => x.version > low && x.version <= high && everApplied(x));
  const paths = [...new Set([a, b, ...between].flatMap((x: VersionManifest) => x.files.map((f) => f.path)))].sort();
  const texts = paths.flatMap((path) => {
    const from = textAsOf(manifests, n, path);
    const to = textAsOf(manifests, m, path);
    if (from.hash === to.hash) return [];
    const text = (ref: typeof from) => storedText(root, find(ref.version), path, ref.side);
    return [{ path, before: text(from), after: text(to) }];
  });
  return { from: n, to: m, files: texts.map((t) => t.path), patch: patchOf(texts) };
}

function notFound(n: number): never {
  throw new VersionError("not-found", `there is no version ${n}`);
}
