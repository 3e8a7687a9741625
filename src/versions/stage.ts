import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { VERSION } from "../version.js";
import { readProjectFile, sha256, syncDir, toBytes, writeNewFile } from "./files.js";
import { checkRelativePath, manifestPath, patchPath, TEMP_PREFIX, textPath, versionDir, versionsDir } from "./layout.js";
import { readAllManifests, rewriteManifest, serializeManifest, versionNumbers } from "./manifest.js";
import { patchOf, type FileTexts } from "./patch.js";
import { headOf, isPartial } from "./store.js";
import { VersionError, type StageRequest, type VersionFile, type VersionKind, type VersionManifest } from "./types.js";

/**
 * Staging: a version is written whole into `versions/.tmp-<random>/` and
 * renamed to `versions/<n>/`, so a version folder is complete or absent.
 * Version 0 (the program as first found) is made with the first version and
 * gains the files that later versions are the first to change.
 */

/** A version about to be written: its manifest without a number, and its texts. */
interface Draft<Node> {
  parent: number | null;
  kind: VersionKind;
  restores?: number;
  files: FileTexts[];
  nodes: readonly Node[];
}

/** Removes temporary version folders left by a writer that was stopped (one writer at a time). */
export function removeGarbage(root: string): void {
  let names: string[];
  try {
    names = readdirSync(versionsDir(root));
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(TEMP_PREFIX)) rmSync(join(versionsDir(root), name), { recursive: true, force: true });
}

/**
 * Stages a version: the files' new texts and the optimize entries that
 * explain them. Sources are not touched. Refuses (nothing written) when a
 * file's `before` is not what the file holds now, when a path is not a
 * project file, or when a half-applied version also changes one of the files.
 */
export function stageVersion<Node = unknown>(root: string, request: StageRequest<Node>): VersionManifest<Node> {
  if ((request.kind ?? "optimize") !== "optimize") throw new VersionError("bad-request", `only optimize versions are staged directly (got kind '${String(request.kind)}')`);
  if (request.files.length === 0) throw new VersionError("bad-request", "a version must change at least one file");
  const seen = new Set<string>();
  const files: FileTexts[] = [];
  for (const f of request.files) {
    checkRelativePath(f.path);
    if (seen.has(f.path)) throw new VersionError("bad-request", `${f.path} is listed twice`);
    seen.add(f.path);
    const before = toBytes(f.before);
    const after = toBytes(f.after);
    if (before.equals(after)) throw new VersionError("bad-request", `${f.path}: its before and after texts are the same`);
    files.push({ path: f.path, before, after });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  removeGarbage(root);
  const manifests = readAllManifests(root);
  const changed = files.filter((f) => {
    const now = readProjectFile(root, f.path);
    return now === undefined || sha256(now) !== sha256(f.before);
  });
  if (changed.length > 0) throw new VersionError("changed", `${changed.map((f) => f.path).join(", ")} ${changed.length === 1 ? "is" : "are"} not what the new version was made from: stage it again from the files as they are now`);
  refuseUnfinished(root, manifests, files.map((f) => f.path));
  if (request.parent !== undefined && !manifests.some((m) => m.version === request.parent)) throw new VersionError("bad-request", `parent ${request.parent} is not a version`);

  recordOriginals(root, manifests, files);
  const parent = request.parent ?? headOf(manifests) ?? 0;
  return writeVersion(root, { parent, kind: "optimize", files, nodes: request.nodes });
}

/**
 * Refuses when a staged version that an apply left half-done changes one of
 * `paths` (any file, with "all"): a new version made on top would tangle
 * the two histories.
 */
export function refuseUnfinished(root: string, manifests: readonly VersionManifest[], paths: readonly string[] | "all"): void {
  const wanted = paths === "all" ? undefined : new Set(paths);
  for (const m of manifests) {
    if (m.status !== "staged" || (wanted !== undefined && !m.files.some((f) => wanted.has(f.path))) || !isPartial(root, manifests, m)) continue;
    throw new VersionError("unfinished", `version ${m.version} was applied only in part (an apply or rollback was stopped): finish it first with 'cdlc apply ${m.version}'`);
  }
}

/**
 * Makes sure version 0 holds every file of `files` as it is now (their
 * `before`, checked to be current): creates version 0 with the first
 * version, and adds files later versions are the first to change (texts
 * first, then the manifest, atomically, so a stopped run leaves only
 * texts no manifest names).
 */
function recordOriginals(root: string, manifests: readonly VersionManifest[], files: readonly FileTexts[]): void {
  const original = manifests.find((m) => m.version === 0);
  if (original === undefined) {
    if (manifests.length > 0) throw new VersionError("damaged", "the store has versions but no version 0 (the program as first found)");
    const texts = files.map((f) => ({ path: f.path, before: f.before, after: f.before }));
    writeVersion(root, { parent: null, kind: "original", files: texts, nodes: [] }, 0);
    return;
  }
  const held = new Set(original.files.map((f) => f.path));
  const added = files.filter((f) => !held.has(f.path));
  if (added.length === 0) return;
  const folder = versionDir(root, 0);
  for (const f of added) writeNewFile(textPath(folder, "before", f.path), f.before);
  const entries = [...original.files, ...added.map((f) => ({ path: f.path, before: sha256(f.before), after: sha256(f.before) }))];
  rewriteManifest(root, { ...original, files: entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) });
}

/**
 * Writes a version into a temporary folder and renames it to the next free
 * number (or to `exactly`, for version 0). Returns its manifest.
 */
export function writeVersion<Node>(root: string, draft: Draft<Node>, exactly?: number): VersionManifest<Node> {
  mkdirSync(versionsDir(root), { recursive: true });
  const temp = join(versionsDir(root), `${TEMP_PREFIX}${randomBytes(8).toString("hex")}`);
  const files: VersionFile[] = draft.files.map((f) => ({ path: f.path, before: sha256(f.before), after: sha256(f.after) }));
  const patch = patchOf(draft.files);
  try {
    for (const f of draft.files) {
      writeNewFile(textPath(temp, "before", f.path), f.before);
      // Version 0's texts are the same before and after: kept once.
      if (draft.kind !== "original") writeNewFile(textPath(temp, "after", f.path), f.after);
    }
    let n = exactly ?? nextNumber(root);
    for (let attempt = 0; ; attempt++) {
      const manifest: VersionManifest<Node> = {
        version: n,
        parent: draft.parent,
        created: new Date().toISOString(),
        cdlc: VERSION,
        status: draft.kind === "original" ? "applied" : "staged",
        kind: draft.kind,
        files,
        nodes: draft.nodes,
        ...(draft.restores !== undefined ? { restores: draft.restores } : {}),
      };
      // The patch's name and the manifest carry the number: written again for each number tried.
      writeNewFile(patchPath(temp, n), patch);
      writeNewFile(manifestPath(temp), Buffer.from(serializeManifest(manifest), "utf8"));
      try {
        renameSync(temp, versionDir(root, n));
        syncDir(versionsDir(root));
        return manifest;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (exactly !== undefined || (code !== "ENOTEMPTY" && code !== "EEXIST") || attempt >= 100) throw e;
        rmSync(patchPath(temp, n));
        n = nextNumber(root);
      }
    }
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw e;
  }
}

/** One more than the highest version number in the store (1 when only version 0 is there). */
function nextNumber(root: string): number {
  const numbers = versionNumbers(root);
  return numbers.length === 0 ? 1 : Math.max(1, numbers[numbers.length - 1]! + 1);
}
