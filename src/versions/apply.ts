import { dirname, join } from "node:path";
import { removeStrayTemps, replaceFile, syncDir } from "./files.js";
import { readAllManifests, rewriteManifest, storedText } from "./manifest.js";
import { removeGarbage } from "./stage.js";
import { applyBlocker } from "./history.js";
import { fileState } from "./store.js";
import { VersionError, type ApplyResult, type VersionManifest } from "./types.js";

/**
 * Applying a staged version to the sources. Every file is checked before
 * any is written; each is replaced by temp file and rename; the status is
 * recorded last. A run stopped at any instant leaves every file wholly old
 * or wholly new, and applying again finishes it.
 */

/**
 * Applies version `n`: each file that holds its `before` text gets its
 * `after` text; files that already hold `after` are left alone (a stopped
 * run). Refuses, writing nothing, when a file holds anything else, when the
 * version was rolled back, or when a later version already changed one of
 * its files. An applied version is a no-op.
 */
export function applyVersion(root: string, n: number): ApplyResult {
  const manifests = readAllManifests(root);
  const manifest = manifests.find((m) => m.version === n);
  if (manifest === undefined) throw new VersionError("not-found", `there is no version ${n}`);
  const paths = manifest.files.map((f) => f.path);
  if (manifest.status === "applied") return { version: n, applied: [], alreadyApplied: paths };
  if (manifest.status === "rolled-back") throw new VersionError("not-staged", `version ${n} was applied and then rolled back; it is not applied again (to get its texts back: cdlc rollback ${n})`);

  const states = manifest.files.map((f) => ({ file: f, state: fileState(root, f) }));
  const blocker = applyBlocker(manifests, manifest, states.filter((s) => s.state === "after").map((s) => s.file.path));
  if (blocker !== undefined) throw new VersionError("out-of-order", `${blocker}: version ${n} can no longer be applied (stage it again)`);
  const changed = states.filter((s) => s.state === "other" || s.state === "missing");
  if (changed.length > 0) {
    const what = changed.map((s) => (s.state === "missing" ? `${s.file.path} (deleted)` : s.file.path)).join(", ");
    throw new VersionError("changed", `${what} changed since version ${n} was made: nothing was written (stage a new version from the files as they are now)`);
  }
  // Read (and check against the manifest) every text before writing any.
  const pending = states.filter((s) => s.state === "before").map((s) => ({ path: s.file.path, text: storedText(root, manifest, s.file.path, "after") }));

  removeGarbage(root);
  const dirs = new Set<string>();
  for (const p of pending) {
    const full = join(root, ...p.path.split("/"));
    removeStrayTemps(full);
    replaceFile(full, p.text);
    dirs.add(dirname(full));
  }
  for (const dir of dirs) syncDir(dir);
  if (manifest.kind === "rollback") markRolledBack(root, manifests, manifest);
  rewriteManifest(root, { ...manifest, status: "applied" });
  return { version: n, applied: pending.map((p) => p.path), alreadyApplied: states.filter((s) => s.state === "after").map((s) => s.file.path) };
}

/** A rollback version, once its files are written, marks the applied versions it undid (after the one it restores). */
function markRolledBack(root: string, manifests: readonly VersionManifest[], rollback: VersionManifest): void {
  const restores = rollback.restores ?? rollback.version;
  for (const m of manifests) {
    if (m.version > restores && m.version < rollback.version && m.status === "applied") rewriteManifest(root, { ...m, status: "rolled-back" });
  }
}
