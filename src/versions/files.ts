import { createHash, randomBytes } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { VersionError } from "./types.js";

/**
 * Bytes in and out of the project. Sources are read and written as bytes,
 * never decoded, so CRLF, a BOM, a missing final newline and bytes that are
 * not UTF-8 come back exactly as they were.
 */

/** sha256 of the bytes, as lowercase hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A text as bytes: strings are UTF-8, bytes stay as they are. */
export function toBytes(text: string | Uint8Array): Buffer {
  return typeof text === "string" ? Buffer.from(text, "utf8") : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
}

/**
 * The bytes of a project file now, or undefined when there is none.
 * Refuses a symbolic link or anything that is not a plain file: replacing
 * it by rename would turn a link into a copy.
 */
export function readProjectFile(root: string, path: string): Buffer | undefined {
  const full = join(root, ...path.split("/"));
  let stat;
  try {
    stat = lstatSync(full);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw e;
  }
  if (stat.isSymbolicLink()) throw new VersionError("bad-request", `${path} is a symbolic link: cdlc only rewrites plain files`);
  if (!stat.isFile()) throw new VersionError("bad-request", `${path} is not a plain file`);
  return readFileSync(full);
}

/** Writes a new file (folders made as needed) and flushes it to disk. */
export function writeNewFile(path: string, data: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "w");
  try {
    writeAll(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, data: Uint8Array): void {
  for (let at = 0; at < data.byteLength; ) at += writeSync(fd, data, at, data.byteLength - at);
}

/** Temporary siblings `replaceFile` makes: `.<name>.cdlc-<hex>.tmp`. */
function isTempOf(name: string, candidate: string): boolean {
  return candidate.startsWith(`.${name}.cdlc-`) && /\.cdlc-[0-9a-f]{12}\.tmp$/.test(candidate);
}

/**
 * Replaces a file's content so that a reader (or a process killed at any
 * instant) sees the whole old file or the whole new one: a temporary sibling
 * is written, flushed and given the old file's mode, then renamed over it
 * (a file that does not exist yet is created the same way).
 * Unlike `writeFileAtomic` this keeps the mode (an executable script stays
 * one) and flushes first: these are the user's sources.
 */
export function replaceFile(path: string, data: Uint8Array): void {
  let mode: number | undefined;
  try {
    mode = lstatSync(path).mode & 0o7777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const temp = join(dirname(path), `.${basename(path)}.cdlc-${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temp, "wx", mode ?? 0o666);
  try {
    try {
      writeAll(fd, data);
      if (mode !== undefined) fchmodSync(fd, mode);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/** Removes the temporary siblings of `path` that a killed `replaceFile` left behind. */
export function removeStrayTemps(path: string): void {
  const name = basename(path);
  let entries: string[];
  try {
    entries = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const entry of entries) if (isTempOf(name, entry)) rmSync(join(dirname(path), entry), { force: true });
}

/** Flushes a folder's entries (renames into it) to disk where the system allows it; a best effort. */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some systems cannot open or flush a folder; the renames are still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
