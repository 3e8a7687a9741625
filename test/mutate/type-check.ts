import ts from "typescript";

/**
 * TypeScript's errors for modules held in memory, all in one program (a
 * checker costs far more to set up than a small module costs to check):
 * each module is its own file, `name: text`, and sees only itself and the
 * standard library. The options are the strict ones the property test of
 * variants uses, plus `noPropertyAccessFromIndexSignature` (which the
 * strictest configurations turn on): a rewrite must type-check under it too.
 */

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  noPropertyAccessFromIndexSignature: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2023.d.ts"],
  types: [],
};

/** Each module's errors (`line 3: TS2339 Property 'push' does not exist…`), by name; none is `[]`. `more` adds options. */
export function typeErrors(files: Readonly<Record<string, string>>, more: ts.CompilerOptions = {}): Record<string, string[]> {
  const options = { ...OPTIONS, ...more };
  const host = ts.createCompilerHost(options);
  const virtual = (name: string) => files[name.replace(/^.*[\\/]/, "")];
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) => {
    const text = virtual(name);
    return text !== undefined ? ts.createSourceFile(name, text, version) : getSourceFile.call(host, name, version, ...rest);
  };
  host.fileExists = (name) => virtual(name) !== undefined || fileExists.call(host, name);
  host.readFile = (name) => virtual(name) ?? readFile.call(host, name);
  const program = ts.createProgram(Object.keys(files), options, host);
  const out: Record<string, string[]> = {};
  for (const name of Object.keys(files)) {
    const sf = program.getSourceFile(name)!;
    out[name] = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
      const line = d.start === undefined ? "?" : sf.getLineAndCharacterOfPosition(d.start).line + 1;
      return `line ${line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
  }
  return out;
}
