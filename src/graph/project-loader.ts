import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { morphCommon, ts } from "./typescript.js";
import { catalog, createDiagnostic, fileStart, type Diagnostic, type Location, type StageResult } from "../diagnostics/index.js";
import { hashText } from "./cache.js";
import { projectRelative } from "./node-ids.js";

/**
 * Loading a user's project from its own tsconfig.json, with the TypeScript
 * compiler that ts-morph bundles, through its plain compiler API: the graph
 * needs parsing, binding and symbol resolution at call sites, and ts-morph's
 * wrappers (a wrapped file per program file, its own file system layer) cost
 * a third of the build on a large project. The standard library declarations
 * come from ts-morph's in-memory copy, as ts-morph itself serves them. Path aliases, `allowJs` and the
 * rest of the config apply as in `tsc`. Project references are followed: the
 * sources of every referenced project join one program (so calls across
 * packages resolve to code), read with the root config's options.
 */

export interface GraphContext {
  /** How a file is shown in diagnostics: relative to the user's working directory. */
  displayPath(path: string): string;
  /** Reports progress of long stages; the CLI renders it. */
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface LoadedProject {
  configPath: string;
  /** The project root: the folder of the tsconfig. */
  root: string;
  rootNames: string[];
  options: ts.CompilerOptions;
  projectReferences: readonly ts.ProjectReference[] | undefined;
  /** Hash of the TypeScript version, the options and the references (not the file list: the cache compares files one by one). */
  configHash: string;
  /** The config files read (the tsconfig, what it extends, referenced configs); empty when the load reported problems. */
  configFiles: string[];
  /** The program (created on first use, then reused). */
  program(): ts.Program;
  /** A program with extra root files (e.g. workload modules), reusing the first one. */
  programWith(extraRoots: readonly string[]): ts.Program;
  /** The program with one file's text replaced (a variant to type-check), reusing the first one for the rest. */
  programWithText(fileName: string, text: string): ts.Program;
  /** The program with more files (absolute name → text) as roots: many variants checked by one checker. */
  programWithTexts(texts: ReadonlyMap<string, string>): ts.Program;
  /** The content hash (as `hashFile`) of a file a program was parsed from, taken when it was read. */
  sourceHash(fileName: string): string | undefined;
}

interface LibFiles {
  folder: string;
  texts: Map<string, string>;
}
let libFiles: LibFiles | undefined;

/** The bundled compiler's lib*.d.ts files, which ts-morph keeps in memory under a virtual folder. */
function standardLibrary(): LibFiles {
  if (libFiles === undefined) {
    const folder = morphCommon.libFolderInMemoryPath;
    libFiles = { folder, texts: new Map(morphCommon.getLibFiles().map((f) => [`${folder}/${f.fileName}`, f.text])) };
  }
  return libFiles;
}

/** Decodes a source file's bytes as TypeScript's own file system does (byte order marks, UTF-16). */
function decodeSource(buffer: Buffer): string {
  let len = buffer.length;
  if (len >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
    len &= ~1;
    for (let i = 0; i < len; i += 2) {
      const t = buffer[i]!;
      buffer[i] = buffer[i + 1]!;
      buffer[i + 1] = t;
    }
    return buffer.toString("utf16le", 2);
  }
  if (len >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.toString("utf16le", 2);
  if (len >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return buffer.toString("utf8", 3);
  return buffer.toString("utf8");
}

/**
 * `fileExists` and `directoryExists` answered from one listing per folder.
 * Module resolution asks thousands of them (a 1,000-file project: ≈ 5,000
 * folders and 2,000 files, mostly the same few folders), each a `stat`
 * call; a folder is listed once instead. Anything the listing cannot
 * answer exactly as `stat` would (symbolic links, unlistable folders, case-
 * insensitive file systems, the in-memory standard library) goes to the
 * compiler's own functions.
 */
function directoryListings(host: ts.CompilerHost): { fileExists(f: string): boolean; directoryExists(d: string): boolean } {
  const { fileExists, directoryExists } = host;
  const original = {
    fileExists: (f: string) => fileExists.call(host, f),
    directoryExists: (d: string) => (directoryExists !== undefined ? directoryExists.call(host, d) : ts.sys.directoryExists(d)),
  };
  if (!ts.sys.useCaseSensitiveFileNames) return original;
  const listings = new Map<string, Map<string, Dirent> | null | undefined>();
  /** The entry of `path` in its folder's listing: null when there is none, undefined when the listing cannot tell. */
  const entry = (path: string): Dirent | null | undefined => {
    const dir = dirname(path);
    const name = basename(path);
    if (dir === path || name === "") return undefined;
    let listing = listings.get(dir);
    if (!listings.has(dir)) {
      try {
        listing = new Map(readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, e]));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // A folder that does not exist holds nothing; one that cannot be listed is asked entry by entry.
        listing = code === "ENOENT" || code === "ENOTDIR" ? null : undefined;
      }
      listings.set(dir, listing);
    }
    if (listing === null) return null;
    if (listing === undefined) return undefined;
    const e = listing.get(name);
    return e === undefined ? null : e.isSymbolicLink() ? undefined : e;
  };
  return {
    fileExists(f) {
      const e = entry(f);
      return e === undefined ? original.fileExists(f) : e !== null && e.isFile();
    },
    directoryExists(d) {
      const e = entry(d);
      return e === undefined ? original.directoryExists(d) : e !== null && e.isDirectory();
    },
  };
}

/**
 * A compiler host on the real file system, with the standard library served
 * from memory. Source files are read once: the content hash the cache keeps
 * is taken from the same bytes the program is parsed from (`hashes`).
 */
function createHost(options: ts.CompilerOptions, hashes: Map<string, string>): ts.CompilerHost {
  const lib = standardLibrary();
  const host = ts.createCompilerHost(options, false);
  // Documentation comments of TypeScript files (the standard library is full of
  // them) carry no types: do not parse them. JavaScript files keep their JSDoc types.
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeInfo;
  const { readFile } = host;
  const entries = directoryListings(host);
  host.getDefaultLibLocation = () => lib.folder;
  host.getDefaultLibFileName = (o) => `${lib.folder}/${ts.getDefaultLibFileName(o)}`;
  host.fileExists = (f) => lib.texts.has(f) || entries.fileExists(f);
  host.directoryExists = (d) => entries.directoryExists(d);
  host.readFile = (f) => lib.texts.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, languageVersion, onError) => {
    let text = lib.texts.get(f);
    if (text === undefined) {
      // As the default host does: unreadable is no file, a failed read an empty one.
      let buffer: Buffer | undefined;
      try {
        buffer = readFileSync(f);
      } catch {
        buffer = undefined;
      }
      if (buffer === undefined) return undefined;
      try {
        hashes.set(f, hashText(buffer));
        text = decodeSource(buffer);
      } catch (e) {
        onError?.((e as Error).message);
        text = "";
      }
    }
    return ts.createSourceFile(f, text, languageVersion, false);
  };
  return host;
}

/** TypeScript's "option is deprecated" errors (5101, 5107, 5108, 5110, 5111). */
const deprecations = new Set([5101, 5107, 5108, 5110, 5111]);

function tsDiagnosticLocation(d: ts.Diagnostic, ctx: GraphContext, fallback: string): Location {
  if (d.file === undefined || d.start === undefined) return fileStart(fallback);
  const a = d.file.getLineAndCharacterOfPosition(d.start);
  const b = d.file.getLineAndCharacterOfPosition(d.start + (d.length ?? 0));
  return {
    file: ctx.displayPath(d.file.fileName),
    start: d.start,
    end: d.start + (d.length ?? 0),
    line: a.line + 1,
    column: a.character + 1,
    endLine: b.line + 1,
    endColumn: b.character + 1,
  };
}

function parseConfig(path: string, diagnostics: ts.Diagnostic[]): ts.ParsedCommandLine | undefined {
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => diagnostics.push(d),
  };
  return ts.getParsedCommandLineOfConfigFile(path, undefined, host);
}

/** Root files of the config and of every project it references, transitively. */
function collectRootNames(parsed: ts.ParsedCommandLine, seen: Set<string>, diagnostics: ts.Diagnostic[], configs: ts.ParsedCommandLine[]): string[] {
  const names = [...parsed.fileNames];
  configs.push(parsed);
  for (const ref of parsed.projectReferences ?? []) {
    const refPath = ts.resolveProjectReferencePath(ref);
    if (seen.has(refPath)) continue;
    seen.add(refPath);
    const sub = parseConfig(refPath, diagnostics);
    if (sub !== undefined) names.push(...collectRootNames(sub, seen, diagnostics, configs));
  }
  return names;
}

/** Serializes options deterministically (sorted keys; the config path itself left out). */
function stableOptions(options: ts.CompilerOptions): string {
  const keys = Object.keys(options).filter((k) => k !== "configFilePath" && k !== "configFile").sort();
  return JSON.stringify(keys.map((k) => [k, options[k]]));
}

/**
 * Reads and parses a tsconfig (a file, or a folder holding tsconfig.json).
 * Problems in the config are reported as CDL0211 at their place in it; a
 * missing config as CDL0210. The value is undefined only when nothing usable
 * could be read.
 */
export function loadProject(tsconfigPath: string, ctx: GraphContext): StageResult<LoadedProject | undefined> {
  let configPath = resolve(tsconfigPath);
  if (existsSync(configPath) && statSync(configPath).isDirectory()) configPath = join(configPath, "tsconfig.json");
  const display = ctx.displayPath(configPath);
  if (!existsSync(configPath)) {
    return { value: undefined, diagnostics: [createDiagnostic(catalog.resolution.projectNotFound, { path: display }, fileStart(display))] };
  }
  const tsDiagnostics: ts.Diagnostic[] = [];
  const parsed = parseConfig(configPath, tsDiagnostics);
  const diagnostics: Diagnostic[] = [];
  const report = (d: ts.Diagnostic): void => {
    // "No inputs were found" is reported as CDL0212 below, in the user's words;
    // deprecations of the bundled TypeScript do not stop us from reading the program.
    if (d.code === 18003 || deprecations.has(d.code)) return;
    if (d.category !== ts.DiagnosticCategory.Error) return;
    diagnostics.push(createDiagnostic(catalog.resolution.invalidProject, { path: display, reason: ts.flattenDiagnosticMessageText(d.messageText, " ") }, tsDiagnosticLocation(d, ctx, display)));
  };
  if (parsed === undefined) {
    tsDiagnostics.forEach(report);
    return { value: undefined, diagnostics };
  }
  const root = dirname(configPath);
  const configs: ts.ParsedCommandLine[] = [];
  const rootNames = [...new Set(collectRootNames(parsed, new Set([configPath]), tsDiagnostics, configs))].sort();
  const firstReferenced = configs[1];
  [...tsDiagnostics, ...parsed.errors].forEach(report);
  if (rootNames.length === 0) {
    diagnostics.push(createDiagnostic(catalog.resolution.emptyProject, { path: display }, fileStart(display)));
  }
  // A "solution" config (no files of its own, only references) has no useful
  // options: take those of the first referenced project.
  const options = parsed.fileNames.length === 0 && firstReferenced !== undefined ? firstReferenced.options : parsed.options;
  const references = parsed.projectReferences;
  const configHash = createHash("sha256")
    .update(JSON.stringify([ts.version, stableOptions(options), (references ?? []).map((r) => projectRelative(root, r.path))]))
    .digest("hex");

  let program: ts.Program | undefined;
  const hashes = new Map<string, string>();
  const create = (names: readonly string[], old: ts.Program | undefined, replaced?: ReadonlyMap<string, string>): ts.Program => {
    const host = createHost(options, replaced === undefined ? hashes : new Map());
    const getSourceFile = host.getSourceFile.bind(host);
    let done = 0;
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
      const text = replaced?.get(resolve(fileName));
      if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, false);
      const sf = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (!fileName.includes("/node_modules/")) ctx.onProgress?.("parse", ++done, names.length);
      return sf;
    };
    return ts.createProgram({ rootNames: names, options, host, oldProgram: old });
  };
  const project: LoadedProject = {
    configPath,
    root,
    rootNames,
    options,
    projectReferences: references,
    configHash,
    configFiles: diagnostics.length > 0 ? [] : [...new Set(configs.flatMap((c) => [c.options.configFilePath as string, ...((c.options.configFile as { extendedSourceFiles?: string[] } | undefined)?.extendedSourceFiles ?? [])]).filter((f) => typeof f === "string"))].sort(),
    program() {
      program ??= create(rootNames, undefined);
      return program;
    },
    programWith(extraRoots) {
      const missing = extraRoots.filter((r) => !rootNames.includes(r));
      if (missing.length === 0) return project.program();
      return create([...rootNames, ...missing], project.program());
    },
    programWithText(fileName, text) {
      return create(rootNames, project.program(), new Map([[resolve(fileName), text]]));
    },
    programWithTexts(texts) {
      const extra = new Map([...texts].map(([f, text]) => [resolve(f), text]));
      return create([...rootNames, ...[...extra.keys()].filter((f) => !rootNames.includes(f))], project.program(), extra);
    },
    sourceHash: (fileName) => hashes.get(fileName),
  };
  return { value: project, diagnostics };
}
