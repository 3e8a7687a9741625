import type { ISerializedGast } from "chevrotain";
import type { DiagnosticDefinition } from "../src/diagnostics/catalog/definition.js";

/** The repository root. */
export declare const repoRoot: string;

/** Where each generated file goes, relative to the repository root. */
export declare const outputs: { diagrams: string; diagnosticsDoc: string };

/** The golden test folders that docs/diagnostics.md takes its examples from. */
export declare const goldenDirs: { cases: string; baselines: string };

/** The parser and the catalog, bundled in memory from the TypeScript sources. */
export declare function loadFrontEnd(): Promise<{
  CdlParser: new () => { getSerializedGastProductions(): ISerializedGast[] };
  allDefinitions: readonly DiagnosticDefinition[];
}>;

/** The self-contained syntax diagrams page for a serialized grammar. */
export declare function diagramsHtml(productions: ISerializedGast[]): string;

/** docs/diagnostics.md for the given catalog and golden folders. */
export declare function diagnosticsMarkdown(definitions: readonly DiagnosticDefinition[], dirs?: { cases: string; baselines: string }): string;
