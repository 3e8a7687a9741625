import { posix } from "node:path";

/**
 * Where each source file lands in a build, and how relative import
 * specifiers must change so that Node's ESM loader finds the built files:
 * `./cart.ts` and `./cart` become `./cart.js`; `./cart.js` written for a
 * `cart.ts` (the NodeNext convention) is kept. Paths are project-relative
 * with `/` separators.
 */

const OUTPUT_EXTENSION: Record<string, string> = {
  ".ts": ".js",
  ".tsx": ".js",
  ".mts": ".mjs",
  ".cts": ".cjs",
  ".jsx": ".js",
  ".js": ".js",
  ".mjs": ".mjs",
  ".cjs": ".cjs",
  ".json": ".json",
};

/** Source extensions a build includes, TypeScript first (it wins over a same-named `.js`). */
export const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".json"];

/** Extensions written in a specifier, and the sources they may stand for. */
const SPECIFIER_SOURCES: Record<string, string[]> = {
  ".js": [".ts", ".tsx", ".js", ".jsx"],
  ".mjs": [".mts", ".mjs"],
  ".cjs": [".cts", ".cjs"],
  ".jsx": [".tsx", ".jsx"],
};

const EXTENSIONLESS = [".ts", ".tsx", ".mts", ".js", ".jsx", ".mjs", "/index.ts", "/index.tsx", "/index.js", "/index.mjs"];

/** The build path of a project-relative source path. */
export function outputPathOf(relativePath: string): string {
  const ext = posix.extname(relativePath);
  const out = OUTPUT_EXTENSION[ext];
  return out === undefined ? relativePath : relativePath.slice(0, -ext.length) + out;
}

/** Resolves a relative specifier of `fromPath` to a source in `sources`, if any. */
export function resolveRelative(fromPath: string, specifier: string, sources: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(fromPath), specifier));
  if (sources.has(target)) return target;
  const ext = posix.extname(target);
  const alternatives = SPECIFIER_SOURCES[ext];
  if (alternatives !== undefined) {
    const base = target.slice(0, -ext.length);
    for (const alt of alternatives) if (sources.has(base + alt)) return base + alt;
  }
  for (const suffix of EXTENSIONLESS) if (sources.has(target + suffix)) return target + suffix;
  return undefined;
}

/** A rewriter for the specifiers of one module; unresolved specifiers are left alone. */
export function specifierRewriter(fromPath: string, sources: ReadonlySet<string>): (specifier: string) => string | undefined {
  return (specifier) => {
    const source = resolveRelative(fromPath, specifier, sources);
    if (source === undefined) return undefined;
    const rel = posix.relative(posix.dirname(fromPath), outputPathOf(source));
    return rel.startsWith(".") ? rel : `./${rel}`;
  };
}
