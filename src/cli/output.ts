import { resolve } from "node:path";
import {
  renderGithub, renderJsonDiagnostics, renderJunitDiagnostics, renderMarkdownDiagnostics, renderPretty, renderSarif,
  UsageError, VERSION, type Diagnostic,
} from "../index.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { wantsColor, type CliIo } from "./io.js";

/** Formats for diagnostics; measurement reports add `html`. */
export const outputFormats = ["pretty", "json", "junit", "sarif", "markdown", "github"] as const;
export type OutputFormat = (typeof outputFormats)[number] | "html";

export interface ReportTarget {
  format: OutputFormat;
  path: string;
}

/** The output options every command shares, validated. */
export interface OutputOptions {
  format: OutputFormat;
  reports: ReportTarget[];
  quiet: boolean;
  color: boolean;
}

export interface RawOutputOptions {
  format?: string;
  report?: string[];
  quiet?: boolean;
  color?: boolean;
}

function parseFormat(value: string, allowed: readonly string[]): OutputFormat {
  if (!allowed.includes(value)) throw new UsageError(`unknown format '${value}': use one of ${allowed.join(", ")}`);
  return value as OutputFormat;
}

/** Validates `--format`, `--report FORMAT:PATH`, `--quiet`, `--no-color` and `NO_COLOR`. */
export function resolveOutputOptions(raw: RawOutputOptions, io: CliIo, allowed: readonly string[] = outputFormats): OutputOptions {
  const format = parseFormat(raw.format ?? "pretty", allowed);
  const reports = (raw.report ?? []).map((spec) => {
    const colon = spec.indexOf(":");
    if (colon <= 0 || colon === spec.length - 1) throw new UsageError(`--report takes FORMAT:PATH, as in json:report.json (got '${spec}')`);
    return { format: parseFormat(spec.slice(0, colon), allowed), path: resolve(io.cwd, spec.slice(colon + 1)) };
  });
  return { format, reports, quiet: raw.quiet === true, color: wantsColor(io, raw.color) };
}

export interface DiagnosticOutput {
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
  /** CDL files involved, for JUnit test cases. */
  files: string[];
  title: string;
}

/** Renders diagnostics in one format. JSON and SARIF end with a newline. */
export function renderDiagnosticsAs(format: OutputFormat, out: DiagnosticOutput, color: boolean): string {
  switch (format) {
    case "pretty":
      return renderPretty(out.diagnostics, { color, sources: (f) => out.sources.get(f) });
    case "json":
      return JSON.stringify(renderJsonDiagnostics(out.diagnostics), null, 2) + "\n";
    case "sarif":
      return JSON.stringify(renderSarif(out.diagnostics, VERSION), null, 2) + "\n";
    case "github":
      return renderGithub(out.diagnostics);
    case "junit":
      return renderJunitDiagnostics(out.diagnostics, out.files, out.title);
    case "markdown":
      return renderMarkdownDiagnostics(out.diagnostics, out.title);
    case "html":
      throw new UsageError("the html format is for measurement reports: add --measure");
  }
}

/** Writes every `--report` file (atomically), rendered without colour. */
export function writeReports(options: OutputOptions, render: (format: OutputFormat) => string): void {
  for (const r of options.reports) writeFileAtomic(r.path, render(r.format));
}

/**
 * The usual ending of a command that produced diagnostics: standard output
 * in the chosen format (with `--quiet`, pretty output shows errors only and
 * nothing when there are none), then the report files.
 */
export function emitDiagnostics(io: CliIo, options: OutputOptions, out: DiagnosticOutput): void {
  const shown = options.quiet && options.format === "pretty" ? { ...out, diagnostics: out.diagnostics.filter((d) => d.severity === "error") } : out;
  if (!(options.quiet && options.format === "pretty" && shown.diagnostics.length === 0)) io.stdout(renderDiagnosticsAs(options.format, shown, options.color));
  writeReports(options, (format) => renderDiagnosticsAs(format, out, false));
}
