import { createRequire } from "node:module";
import { requireWithCodeCache } from "./code-cache.js";
import type { ts as Ts } from "ts-morph";

/**
 * The TypeScript compiler that ts-morph bundles, loaded with `require`. The
 * graph uses the plain compiler API, not ts-morph's wrappers, and an ESM
 * `import` of ts-morph makes Node scan its CommonJS source for exports
 * before running it (about 0.1 s of every cold build). The types are
 * ts-morph's own (the namespace below names the ones the graph uses).
 */

interface MorphCommon {
  ts: typeof Ts;
  getLibFiles(): { fileName: string; text: string }[];
  libFolderInMemoryPath: string;
}

const load = createRequire(import.meta.url);
const fromMorph = createRequire(load.resolve("ts-morph"));
const commonEntry = fromMorph.resolve("@ts-morph/common");
/**
 * The compiler file itself, loaded first through the V8 code cache
 * (code-cache.ts); `@ts-morph/common` (which holds the standard library's
 * declarations as megabytes of string literals) likewise, and it then finds
 * the compiler in the require cache.
 */
const compiler = requireWithCodeCache(createRequire(commonEntry).resolve("./typescript"));
const common = requireWithCodeCache(commonEntry);
/** `@ts-morph/common`: the compiler, and the standard library declarations that go with it. */
export const morphCommon = common.exports as MorphCommon;
if (morphCommon.ts.createProgram !== (compiler.exports as typeof Ts).createProgram) throw new Error("@ts-morph/common loaded a second copy of the TypeScript compiler");

/** Saves the code caches this run made; call once the work is done. */
export const saveCompilerCodeCache = (): void => {
  compiler.save();
  common.save();
};

export const ts: typeof Ts = morphCommon.ts;

/**
 * `ts.SyntaxKind` and `ts.forEachChild`, read once: the compiler's exports
 * are getters, and the visitors use these on every node of the program.
 */
export const SyntaxKind: typeof Ts.SyntaxKind = ts.SyntaxKind;
export const forEachChild: typeof Ts.forEachChild = ts.forEachChild;

// Types only (merged with the value above), so that `ts.Node` reads as with ts-morph's `ts`.
export namespace ts {
  export type ArrowFunction = Ts.ArrowFunction;
  export type BindingName = Ts.BindingName;
  export type CallExpression = Ts.CallExpression;
  export type ClassLikeDeclaration = Ts.ClassLikeDeclaration;
  export type CompilerHost = Ts.CompilerHost;
  export type CompilerOptions = Ts.CompilerOptions;
  export type ConstructorDeclaration = Ts.ConstructorDeclaration;
  export type Declaration = Ts.Declaration;
  export type Diagnostic = Ts.Diagnostic;
  export type ExportAssignment = Ts.ExportAssignment;
  export type ExportSpecifier = Ts.ExportSpecifier;
  export type Expression = Ts.Expression;
  export type ExpressionWithTypeArguments = Ts.ExpressionWithTypeArguments;
  export type FunctionDeclaration = Ts.FunctionDeclaration;
  export type FunctionExpression = Ts.FunctionExpression;
  export type FunctionLikeDeclaration = Ts.FunctionLikeDeclaration;
  export type Identifier = Ts.Identifier;
  export type InterfaceDeclaration = Ts.InterfaceDeclaration;
  export type IntersectionType = Ts.IntersectionType;
  export type ModuleDeclaration = Ts.ModuleDeclaration;
  export type NewExpression = Ts.NewExpression;
  export type Node = Ts.Node;
  export type ObjectLiteralElementLike = Ts.ObjectLiteralElementLike;
  export type ObjectLiteralExpression = Ts.ObjectLiteralExpression;
  export type ObjectType = Ts.ObjectType;
  export type ParameterDeclaration = Ts.ParameterDeclaration;
  export type ParseConfigFileHost = Ts.ParseConfigFileHost;
  export type ParsedCommandLine = Ts.ParsedCommandLine;
  export type Program = Ts.Program;
  export type ProjectReference = Ts.ProjectReference;
  export type PropertyAccessExpression = Ts.PropertyAccessExpression;
  export type PropertyDeclaration = Ts.PropertyDeclaration;
  export type PropertyName = Ts.PropertyName;
  export type Signature = Ts.Signature;
  export type SignatureDeclaration = Ts.SignatureDeclaration;
  export type SourceFile = Ts.SourceFile;
  export type StringLiteralLike = Ts.StringLiteralLike;
  export type SwitchStatement = Ts.SwitchStatement;
  export type ThisExpression = Ts.ThisExpression;
  export type Symbol = Ts.Symbol;
  export type Type = Ts.Type;
  export type TypeChecker = Ts.TypeChecker;
  export type TypeNode = Ts.TypeNode;
  export type VariableDeclaration = Ts.VariableDeclaration;
}

/** The symbol an import or re-export alias stands for (itself when not an alias; undefined when it cannot be followed). */
export function resolveAlias(checker: Ts.TypeChecker, symbol: Ts.Symbol | undefined): Ts.Symbol | undefined {
  if (symbol === undefined || !(symbol.flags & ts.SymbolFlags.Alias)) return symbol;
  try {
    return checker.getAliasedSymbol(symbol);
  } catch {
    return undefined;
  }
}
