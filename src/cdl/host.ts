import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, relative, sep } from "node:path";

/**
 * How the compiler reaches files. The library never touches `process`:
 * the CLI passes a host built for its working directory, tests pass an
 * in-memory one.
 */
export interface CompilerHost {
  /** The text of a file; throws an Error whose message says why it cannot. */
  readFile(path: string): string;
  fileExists(path: string): boolean;
  /** How a path is shown in diagnostics: relative to the working directory. */
  displayPath(path: string): string;
}

/**
 * Paths as the user should see them, in CDL and program diagnostics alike:
 * relative to the working directory, even when that takes `../`, with `/`
 * separators (absolute only where no relative path exists, as on another drive).
 */
export function relativeDisplay(cwd: string): (path: string) => string {
  return (path) => {
    const rel = relative(cwd, path);
    return rel === "" || isAbsolute(rel) ? path : rel.split(sep).join("/");
  };
}

/** A host on the real file system, showing paths relative to `cwd`. */
export function createNodeHost(cwd: string): CompilerHost {
  return {
    readFile(path) {
      try {
        return readFileSync(path, "utf8");
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new Error(code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (e as Error).message);
      }
    },
    fileExists(path) {
      try {
        return existsSync(path) && statSync(path).isFile();
      } catch {
        return false;
      }
    },
    displayPath: relativeDisplay(cwd),
  };
}

/** An in-memory host over `files` (absolute paths), for tests and tools. */
export function createMemoryHost(files: Record<string, string>, cwd = "/"): CompilerHost {
  return {
    readFile(path) {
      const text = files[path];
      if (text === undefined) throw new Error("no such file");
      return text;
    },
    fileExists: (path) => path in files,
    displayPath: relativeDisplay(cwd),
  };
}
