import { applyVersion } from "./apply.js";
import { readProjectFile, sha256 } from "./files.js";
import { everApplied, lastWriter, textAsOfApplied } from "./history.js";
import { readAllManifests, readManifest, storedText } from "./manifest.js";
import type { FileTexts } from "./patch.js";
import { refuseUnfinished, removeGarbage, writeVersion } from "./stage.js";
import { headOf } from "./store.js";
import { VersionError, type VersionManifest } from "./types.js";

/**
 * Rolling back: the sources as of an earlier version, recorded as a new
 * version (kind `rollback`) and applied like any other, so it is atomic per
 * file, can be finished after a stop, and can itself be rolled back.
 */

/** One file of a rollback: what it holds now (checked) and what it gets back. */
export interface RollbackFile {
  path: string;
  /** sha256 of what the last version that changed it left (and the file must hold). */
  now: string;
  /** sha256 of its text as of the version restored. */
  restored: string;
}

/**
 * What rolling back to `n` would change, without writing anything: every
 * file a version after `n` changed (that was ever applied) whose text as of
 * `n` differs from what it holds. Refuses when `n` was never applied, when
 * a file is not what the last version left, or when a stopped apply left a
 * version half-done.
 */
export function planRollback(root: string, n: number): RollbackFile[] {
  const manifests = readAllManifests(root);
  const target = manifests.find((m) => m.version === n);
  if (target === undefined) throw new VersionError("not-found", `there is no version ${n}${manifests.length === 0 ? " (the project has no versions yet)" : ""}`);
  if (!everApplied(target)) throw new VersionError("not-staged", `version ${n} is staged and was never applied: there is no state as of it to restore (apply it instead)`);
  const paths = [...new Set(manifests.filter((m) => m.version > n && everApplied(m)).flatMap((m) => m.files.map((f) => f.path)))].sort();
  // Even one that changes none of these files: "as of n" would not hold while it is half-done.
  refuseUnfinished(root, manifests, "all");
  const plan: RollbackFile[] = [];
  const changed: string[] = [];
  for (const path of paths) {
    const now = lastWriter(manifests, path)!.hash;
    const current = readProjectFile(root, path);
    if (current === undefined || sha256(current) !== now) {
      changed.push(current === undefined ? `${path} (deleted)` : path);
      continue;
    }
    const restored = textAsOfApplied(manifests, n, path).hash;
    if (restored !== now) plan.push({ path, now, restored });
  }
  if (changed.length > 0) throw new VersionError("changed", `${changed.join(", ")} changed since cdlc last wrote ${changed.length === 1 ? "it" : "them"}: nothing was rolled back (put back or commit your edits first)`);
  return plan;
}

/**
 * Restores every file a later version changed to its text as of version `n`
 * (0 is the program as first found). The rollback is recorded as a new
 * version (kind `rollback`, parent the head), applied by temp file and
 * rename, and the versions it undid are marked rolled back, last. Returns
 * the new version, or undefined when the sources already are as of `n`.
 */
export function rollbackTo(root: string, n: number): VersionManifest | undefined {
  const plan = planRollback(root, n);
  if (plan.length === 0) return undefined;
  const manifests = readAllManifests(root);
  const files: FileTexts[] = plan.map((p) => {
    const restored = textAsOfApplied(manifests, n, p.path);
    const before = readProjectFile(root, p.path)!;
    if (sha256(before) !== p.now) throw new VersionError("changed", `${p.path} changed while the rollback was being prepared: nothing was rolled back`);
    return { path: p.path, before, after: storedText(root, readManifest(root, restored.version), p.path, restored.side) };
  });
  removeGarbage(root);
  const version = writeVersion(root, { parent: headOf(manifests) ?? 0, kind: "rollback", restores: n, files, nodes: [] });
  applyVersion(root, version.version);
  return readManifest(root, version.version);
}
