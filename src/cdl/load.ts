import { dirname, resolve } from "node:path";
import { catalog, createDiagnostic, fileStart, SourceText, type Diagnostic } from "../diagnostics/index.js";
import type { CdlFile, ImportItem } from "./ast.js";
import type { CompilerHost } from "./host.js";
import { parseSource, type ItemTaker } from "./parse.js";

export interface LoadedFile {
  path: string;
  displayPath: string;
  /** The file's items, except those a taker took while it was parsed (see `loadCdl`). */
  ast: CdlFile;
  source: SourceText;
  /** Absolute paths of the files this one imports that loaded, in order. */
  imports: string[];
}

export interface LoadResult {
  /** Root first, then imports depth-first in the order they are written. */
  files: LoadedFile[];
  diagnostics: Diagnostic[];
  /** Every source text read, by display path, for rendering diagnostics. */
  sources: Map<string, string>;
}

/**
 * Reads and parses a CDL file and, transitively, everything it imports.
 * Each file is parsed once however often it is imported; an import cycle
 * is reported at the import that closes it. A root that cannot be read is
 * reported as CDL0901 with no location in any CDL text.
 *
 * `takerFor`, when given, makes the taker of each file's items as the file
 * is about to be parsed (see `parseSource`): the items it takes are not
 * kept in the file's AST. Imports are never taken: loading follows them.
 */
export function loadCdl(rootPath: string, host: CompilerHost, takerFor?: (path: string, source: SourceText) => ItemTaker): LoadResult {
  const files = new Map<string, LoadedFile>();
  const order: LoadedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const stack: string[] = [];

  const visit = (path: string, via: { from: LoadedFile; item: ImportItem } | undefined): boolean => {
    if (stack.includes(path)) {
      const cycle = [...stack.slice(stack.indexOf(path)), path].map((p) => host.displayPath(p)).join(" → ");
      diagnostics.push(createDiagnostic(catalog.semantic.importCycle, { cycle }, via!.from.source.locate(via!.item.path), {
        label: "this import closes the cycle",
        help: "move what both files need into a third file that each imports",
      }));
      return false;
    }
    if (files.has(path)) return true;
    const displayPath = host.displayPath(path);
    let text: string;
    try {
      text = host.readFile(path);
    } catch (e) {
      const reason = (e as Error).message;
      if (via === undefined) {
        diagnostics.push(createDiagnostic(catalog.input.unreadableFile, { path: displayPath, reason }, fileStart(displayPath)));
      } else {
        diagnostics.push(createDiagnostic(catalog.semantic.missingImport, { path: via.item.path.value, reason }, via.from.source.locate(via.item.path), {
          label: "imported here",
          help: `the path is relative to ${via.from.displayPath}`,
        }));
      }
      return false;
    }
    const source = new SourceText(displayPath, text);
    const take = takerFor?.(path, source);
    const parsed = parseSource(source, take && ((item) => item.kind !== "import" && take(item)));
    sources.set(displayPath, text);
    diagnostics.push(...parsed.diagnostics);
    const loaded: LoadedFile = { path, displayPath, ast: parsed.ast, source: parsed.source, imports: [] };
    files.set(path, loaded);
    order.push(loaded);
    stack.push(path);
    for (const item of parsed.ast.items) {
      if (item.kind !== "import") continue;
      const target = resolve(dirname(path), item.path.value);
      if (visit(target, { from: loaded, item })) loaded.imports.push(target);
    }
    stack.pop();
    return true;
  };

  visit(rootPath, undefined);
  return { files: order, diagnostics, sources };
}
