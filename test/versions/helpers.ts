/** Temporary projects for the versions store's tests: files as exact bytes. */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const made: string[] = [];

/** A new project folder holding `files` (path → bytes or UTF-8 text); removed by {@link removeProjects}. */
export function makeProject(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), "cdlc-versions-"));
  made.push(root);
  writeFiles(root, files);
  return root;
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

export function removeProjects(): void {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
}

export function read(root: string, path: string): Buffer {
  return readFileSync(join(root, path));
}

/** Every file of `paths` as bytes. */
export function snapshot(root: string, paths: readonly string[]): Record<string, Buffer> {
  return Object.fromEntries(paths.map((p) => [p, read(root, p)]));
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Files (relative, with /) under a folder, recursively; none when it does not exist. */
export function listFiles(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

/**
 * Texts that round-trip only when bytes are kept: CRLF, no final newline,
 * a BOM, and bytes that are not UTF-8 (0xff, a lone continuation byte, latin1 é).
 */
export const awkwardFiles: Record<string, Buffer> = {
  "src/crlf.ts": Buffer.from("export function a() {\r\n  return 1;\r\n}\r\n", "utf8"),
  "src/no-eol.ts": Buffer.from("export const b = 2;\nexport const c = 3;", "utf8"),
  "src/bom.ts": Buffer.from("\ufeffexport const s = \"héllo ✓\";\n", "utf8"),
  "src/latin1.ts": Buffer.concat([Buffer.from("// caf"), Buffer.from([0xe9, 0xff, 0x80]), Buffer.from("\nexport const d = 4;\n")]),
  "src/deep/nested file.ts": Buffer.from("export const e = 5;\n", "utf8"),
};

/** The same files changed in a way that keeps each one's awkwardness. */
export function changed(files: Record<string, Buffer>, tag: string): Record<string, Buffer> {
  return Object.fromEntries(
    Object.entries(files).map(([path, bytes]) => {
      const text = bytes.toString("latin1");
      // Insert a line after the first line, with the file's own line ending.
      const eol = text.includes("\r\n") ? "\r\n" : "\n";
      const cut = text.indexOf("\n") + 1;
      const next = cut === 0 ? `${text}${eol}// ${tag}` : `${text.slice(0, cut)}// ${tag} ${Buffer.from([0xfe]).toString("latin1")}${eol}${text.slice(cut)}`;
      return [path, Buffer.from(next, "latin1")];
    }),
  );
}
