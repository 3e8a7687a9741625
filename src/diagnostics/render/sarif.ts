import { findDefinition } from "../catalog/index.js";
import type { Diagnostic, Location } from "../types.js";

/** Minimal typing of the SARIF 2.1.0 objects cdlc writes. */
export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: SarifRun[];
}
export interface SarifRun {
  tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
  results: SarifResult[];
  columnKind: "utf16CodeUnits";
}
export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: SarifLevel };
}
export type SarifLevel = "error" | "warning" | "note";
export interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string };
    region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
  };
  message?: { text: string };
}
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: (SarifLocation & { id: number })[];
}

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** A file path as a SARIF URI reference: forward slashes, percent-encoded. */
export function sarifUri(file: string): string {
  return file.replace(/\\/g, "/").split("/").map(encodeURIComponent).join("/");
}

export function sarifLocation(l: Location, message?: string): SarifLocation {
  const loc: SarifLocation = {
    physicalLocation: {
      artifactLocation: { uri: sarifUri(l.file) },
      region: { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: Math.max(l.endColumn, l.endLine === l.line ? l.column + 1 : 1) },
    },
  };
  if (message !== undefined) loc.message = { text: message };
  return loc;
}

export function sarifLevel(severity: Diagnostic["severity"]): SarifLevel {
  return severity === "error" ? "error" : severity === "warning" ? "warning" : "note";
}

/** Collects rules on first use so that `ruleIndex` points into `rules`. */
export class SarifRuleTable {
  readonly rules: SarifRule[] = [];
  private readonly index = new Map<string, number>();

  indexOf(code: string, fallback?: { name: string; text: string; level: SarifLevel }): number {
    const known = this.index.get(code);
    if (known !== undefined) return known;
    const def = findDefinition(code);
    const name = def?.name ?? fallback?.name ?? code;
    const short = def?.message.replace(/\{\w+\}/g, "…") ?? fallback?.text ?? code;
    const explanation = def?.explanation ?? fallback?.text ?? code;
    this.rules.push({
      id: code,
      name,
      shortDescription: { text: short },
      fullDescription: { text: explanation },
      help: { text: explanation, markdown: explanation },
      defaultConfiguration: { level: def ? sarifLevel(def.severity) : (fallback?.level ?? "error") },
    });
    this.index.set(code, this.rules.length - 1);
    return this.rules.length - 1;
  }
}

/** A SARIF log with one run: the rules used and one result per diagnostic. */
export function renderSarif(diagnostics: readonly Diagnostic[], toolVersion: string): SarifLog {
  const table = new SarifRuleTable();
  const results: SarifResult[] = diagnostics.map((d) => {
    const extra = [...(d.notes ?? []), ...(d.help !== undefined ? [`help: ${d.help}`] : [])];
    const result: SarifResult = {
      ruleId: d.code,
      ruleIndex: table.indexOf(d.code),
      level: sarifLevel(d.severity),
      message: { text: [d.message, ...extra].join("\n") },
      locations: [sarifLocation(d.location)],
    };
    if (d.related !== undefined) result.relatedLocations = d.related.map((r, i) => ({ id: i + 1, ...sarifLocation(r.location, r.message) }));
    return result;
  });
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "cdlc", version: toolVersion, informationUri: "https://www.npmjs.com/package/cdlc", rules: table.rules } },
        results,
        columnKind: "utf16CodeUnits",
      },
    ],
  };
}
