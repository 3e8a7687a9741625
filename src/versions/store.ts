import { readProjectFile, sha256 } from "./files.js";
import { applyBlocker } from "./history.js";
import { readAllManifests, readManifest, storedText } from "./manifest.js";
import { VersionError, type ListedVersion, type VersionFile, type VersionManifest } from "./types.js";

/**
 * Reading the store: the versions, the head, and what the sources hold now
 * compared with a version's files (which is how a stopped apply shows).
 */

/** The head: the newest applied version, or undefined in a store without versions. */
export function headOf(manifests: readonly VersionManifest[]): number | undefined {
  let head: number | undefined;
  for (const m of manifests) if (m.status === "applied" && (head === undefined || m.version > head)) head = m.version;
  return head;
}

/** What a project file holds compared with a version's entry for it. */
export type FileState = "before" | "after" | "other" | "missing";

/** The state of one file of a version, from the hash of its current bytes. */
export function fileState(root: string, file: VersionFile): FileState {
  let bytes: Buffer | undefined;
  try {
    bytes = readProjectFile(root, file.path);
  } catch (e) {
    if (e instanceof VersionError) return "other";
    throw e;
  }
  if (bytes === undefined) return "missing";
  const hash = sha256(bytes);
  return hash === file.after ? "after" : hash === file.before ? "before" : "other";
}

/**
 * How far an apply of a staged version got: its files that already hold
 * their after text, and whether that makes it `partial` — still applicable,
 * so those files are what a stopped apply of it left, and `applyVersion`
 * finishes it.
 */
function progressOf(root: string, manifests: readonly VersionManifest[], manifest: VersionManifest): { atAfter: number; partial: boolean } {
  const atAfter = manifest.files.filter((f) => fileState(root, f) === "after").map((f) => f.path);
  return { atAfter: atAfter.length, partial: atAfter.length > 0 && applyBlocker(manifests, manifest, atAfter) === undefined };
}

/** Staged and half-applied by a run that was stopped (see `progressOf`). */
export function isPartial(root: string, manifests: readonly VersionManifest[], manifest: VersionManifest): boolean {
  return manifest.status === "staged" && progressOf(root, manifests, manifest).partial;
}

/** Every version, newest first; staged ones say how far an apply got (`partial`, `filesAtAfter`). */
export function listVersions<Node = unknown>(root: string): ListedVersion<Node>[] {
  const manifests = readAllManifests(root);
  return [...manifests].reverse().map((m) => {
    if (m.status !== "staged") return { ...(m as VersionManifest<Node>), partial: false };
    const { atAfter, partial } = progressOf(root, manifests, m);
    return { ...(m as VersionManifest<Node>), partial, filesAtAfter: atAfter };
  });
}

/** Version `n`'s manifest; refuses (`not-found`) a version that does not exist. */
export function readVersion<Node = unknown>(root: string, n: number): VersionManifest<Node> {
  return readManifest(root, n) as VersionManifest<Node>;
}

/** The bytes version `n` stored for `path`, before or after, checked against its manifest. */
export function readVersionText(root: string, n: number, path: string, side: "before" | "after"): Buffer {
  return storedText(root, readManifest(root, n), path, side);
}
