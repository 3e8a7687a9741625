import { existsSync, linkSync, copyFileSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";

/**
 * Fresh copies of an instrumented build, one per side of a comparison. Node
 * keeps one instance of a module per file path, so a copy at another path is
 * a program with fresh module state. Copies are trees of hard links (a copy
 * costs one link per file, not the bytes), made once per build under
 * `<build>/.sides/<n>` and reused: the oracle child cannot write files, so a
 * copy stays as it was built. Each is written to a temporary name and
 * renamed into place, so a half-made copy is never used.
 */

const SIDES = ".sides";

/** Folders of at least `count` copies of `buildDir`, numbered from `from`. */
export function sideCopies(buildDir: string, from: number, count: number): string[] {
  const root = join(buildDir, SIDES);
  mkdirSync(root, { recursive: true });
  const out: string[] = [];
  for (let n = from; n < from + count; n++) {
    const dir = join(root, String(n));
    if (!existsSync(dir)) {
      const temp = join(root, `.tmp-${n}-${process.pid}`);
      rmSync(temp, { recursive: true, force: true });
      copyTree(buildDir, temp);
      try {
        renameSync(temp, dir);
      } catch (e) {
        // Another oracle made the same copy first: theirs is as good.
        rmSync(temp, { recursive: true, force: true });
        if (!existsSync(dir)) throw e;
      }
    }
    out.push(dir);
  }
  return out;
}

/** Copies a tree by hard links (a plain copy across devices), keeping symbolic links; skips the copies themselves. */
function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.name === SIDES) continue;
    const [src, dst] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory()) copyTree(src, dst);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(src), dst);
    else {
      try {
        linkSync(src, dst);
      } catch {
        copyFileSync(src, dst);
      }
    }
  }
}
