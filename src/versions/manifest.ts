import { readdirSync, readFileSync } from "node:fs";
import { replaceFile, removeStrayTemps, sha256 } from "./files.js";
import { badRelativePath, manifestPath, textPath, versionDir, versionNumberOf, versionsDir } from "./layout.js";
import { VersionError, type VersionFile, type VersionManifest } from "./types.js";

/** Reading and writing manifests, and the stored texts they vouch for. */

const statuses = new Set(["staged", "applied", "rolled-back"]);
const kinds = new Set(["original", "optimize", "rollback"]);
const isHash = (v: unknown) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

/** Why `data` is not a manifest of version `n`, or undefined when it is one. */
function manifestProblem(data: unknown, n: number): string | undefined {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return "it is not a JSON object";
  const m = data as Record<string, unknown>;
  if (m.version !== n) return `its version is ${JSON.stringify(m.version)}, not ${n}`;
  if (!(m.parent === null || (isCount(m.parent) && m.parent < n))) return "its parent is not an earlier version or null";
  if (typeof m.created !== "string" || typeof m.cdlc !== "string") return "created or cdlc is not a string";
  if (!statuses.has(m.status as string)) return `unknown status ${JSON.stringify(m.status)}`;
  if (!kinds.has(m.kind as string)) return `unknown kind ${JSON.stringify(m.kind)}`;
  if ((m.kind === "original") !== (n === 0)) return "only version 0 is the original";
  if (n === 0 && (m.status !== "applied" || m.parent !== null)) return "version 0 must be applied and have no parent";
  if (m.kind === "rollback" ? !(isCount(m.restores) && m.restores < n) : m.restores !== undefined) return "restores is wrong for its kind";
  if (!Array.isArray(m.nodes)) return "nodes is not an array";
  if (!Array.isArray(m.files)) return "files is not an array";
  const seen = new Set<string>();
  for (const f of m.files as unknown[]) {
    const file = f as Partial<VersionFile> | null;
    if (file === null || typeof file !== "object" || typeof file.path !== "string" || !isHash(file.before) || !isHash(file.after)) return "a file entry lacks path, before or after";
    const bad = badRelativePath(file.path);
    if (bad !== undefined) return `file '${file.path}': ${bad}`;
    if (seen.has(file.path)) return `file '${file.path}' is listed twice`;
    seen.add(file.path);
  }
  return undefined;
}

/** Parses and checks a manifest; a damaged one is refused with where it is and what is wrong. */
export function parseManifest(text: string, n: number): VersionManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new VersionError("damaged", `.cdl/versions/${n}/manifest.json is not valid JSON (${(e as Error).message})`);
  }
  const problem = manifestProblem(data, n);
  if (problem !== undefined) throw new VersionError("damaged", `.cdl/versions/${n}/manifest.json is damaged: ${problem}`);
  return data as VersionManifest;
}

export function serializeManifest(manifest: VersionManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The numbers of the versions in the store, ascending (temporary folders and other entries are not versions). */
export function versionNumbers(root: string): number[] {
  let names: string[];
  try {
    names = readdirSync(versionsDir(root));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  return names.flatMap((name) => versionNumberOf(name) ?? []).sort((a, b) => a - b);
}

/** Version `n`'s manifest; refuses a version that does not exist. */
export function readManifest(root: string, n: number): VersionManifest {
  let text: string;
  try {
    text = readFileSync(manifestPath(versionDir(root, n)), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new VersionError("not-found", `there is no version ${n}${versionList(root)}`);
    throw e;
  }
  return parseManifest(text, n);
}

/** Every manifest, ascending by number. */
export function readAllManifests(root: string): VersionManifest[] {
  return versionNumbers(root).map((n) => readManifest(root, n));
}

/** " (versions: 0–3)" for a message about a missing version. */
function versionList(root: string): string {
  const numbers = versionNumbers(root);
  if (numbers.length === 0) return " (the project has no versions yet)";
  return ` (versions: ${numbers.join(", ")})`;
}

/** Rewrites a version's manifest in place, atomically (a status change, version 0 gaining files). */
export function rewriteManifest(root: string, manifest: VersionManifest): void {
  const path = manifestPath(versionDir(root, manifest.version));
  removeStrayTemps(path);
  replaceFile(path, Buffer.from(serializeManifest(manifest), "utf8"));
}

/**
 * The bytes a version stored for one of its files, checked against the
 * manifest's hash: a stored text that does not match is never written
 * to the sources.
 */
export function storedText(root: string, manifest: VersionManifest, path: string, side: "before" | "after"): Buffer {
  const entry = manifest.files.find((f) => f.path === path);
  if (entry === undefined) throw new VersionError("not-found", `version ${manifest.version} does not change ${path}`);
  let bytes: Buffer;
  try {
    // Version 0 changes nothing: it keeps one text per file, under before/.
    bytes = readFileSync(textPath(versionDir(root, manifest.version), manifest.kind === "original" ? "before" : side, path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new VersionError("damaged", `version ${manifest.version} lacks its ${side} text of ${path}`);
    throw e;
  }
  if (sha256(bytes) !== entry[side]) throw new VersionError("damaged", `version ${manifest.version}'s ${side} text of ${path} does not match its manifest's hash`);
  return bytes;
}
