import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync } from "node:fs";
import { archivePath, cdlDir } from "./layout.js";
import { VersionError, type ArchiveEntry } from "./types.js";

/**
 * `.cdl/archive.jsonl`: one JSON line per attempted variant, appended and
 * never rewritten. Each append is one write of complete lines; a line a
 * stopped writer left torn is skipped when reading and closed off (a newline
 * first) by the next append, so it never spoils the line after it.
 */

/** Appends entries, one JSON line each, in a single write. */
export function appendArchive(root: string, entries: readonly ArchiveEntry[]): void {
  if (entries.length === 0) return;
  const lines = entries.map((e) => {
    if (e === null || typeof e !== "object" || Array.isArray(e)) throw new VersionError("bad-request", "an archive entry must be an object");
    return `${JSON.stringify(e)}\n`;
  });
  mkdirSync(cdlDir(root), { recursive: true });
  const path = archivePath(root);
  appendFileSync(path, (endsTorn(path) ? "\n" : "") + lines.join(""));
}

/** Whether the archive's last byte is not a newline (a writer was stopped mid-line). */
function endsTorn(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return false;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

/** What the archive holds: its entries in order, and the line numbers (1-based) that are not whole JSON objects. */
export interface ArchiveContents {
  entries: ArchiveEntry[];
  damaged: number[];
}

/** Reads the archive (empty when there is none). */
export function readArchive(root: string): ArchiveContents {
  let text: string;
  try {
    text = readFileSync(archivePath(root), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], damaged: [] };
    throw e;
  }
  const out: ArchiveContents = { entries: [], damaged: [] };
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (line === "" && i === lines.length - 1) return;
    try {
      const entry = JSON.parse(line) as unknown;
      if (entry === null || typeof entry !== "object" || Array.isArray(entry)) throw new Error("not an object");
      out.entries.push(entry as ArchiveEntry);
    } catch {
      out.damaged.push(i + 1);
    }
  });
  return out;
}
