import { unifiedDiff } from "../mutate/diff.js";

/** One file's two texts, as bytes. */
export interface FileTexts {
  path: string;
  before: Uint8Array;
  after: Uint8Array;
}

/**
 * The unified diff of several files (in the order given), relative to the
 * project root, as bytes that `git apply` and `patch -p1` accept. The texts
 * are diffed as latin1 (one character per byte, lines split at LF), so the
 * patch carries CR, a BOM and bytes that are not UTF-8 exactly as the files
 * hold them.
 */
export function patchOf(files: readonly FileTexts[]): Buffer {
  // The path too goes in as its UTF-8 bytes, one character each, so that it comes out as UTF-8.
  const parts = files.map((f) => unifiedDiff(Buffer.from(f.path, "utf8").toString("latin1"), latin1(f.before), latin1(f.after)));
  return Buffer.from(parts.join(""), "latin1");
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}
