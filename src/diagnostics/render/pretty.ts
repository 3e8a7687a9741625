import { hasErrors, type Diagnostic, type Location, type Severity } from "../types.js";
import { SourceText } from "../source.js";
import { pickStyle, plural, type Style } from "./style.js";

/** Returns the text of a file by the name diagnostics use, when known. */
export type SourceLookup = (file: string) => string | undefined;

export interface PrettyOptions {
  color: boolean;
  sources: SourceLookup;
}

const TAB = "    ";

function severityStyle(style: Style, severity: Severity): (s: string) => string {
  if (severity === "error") return (s) => style.bold(style.red(s));
  if (severity === "warning") return (s) => style.bold(style.yellow(s));
  return (s) => style.bold(style.cyan(s));
}

/** Expands tabs so that the caret line lines up with what a terminal shows. */
function displayColumn(line: string, column: number): number {
  let width = 0;
  for (let i = 0; i < column - 1 && i < line.length; i++) width += line[i] === "\t" ? TAB.length : 1;
  return width + Math.max(0, column - 1 - line.length);
}

function snippet(location: Location, label: string | undefined, marker: (s: string) => string, gutterWidth: number, style: Style, cache: Map<string, SourceText | null>, sources: SourceLookup): string[] {
  let source = cache.get(location.file);
  if (source === undefined) {
    const text = sources(location.file);
    source = text === undefined ? null : new SourceText(location.file, text);
    cache.set(location.file, source);
  }
  const pad = " ".repeat(gutterWidth);
  const out = [`${pad}${style.blue("-->")} ${location.file}:${location.line}:${location.column}`];
  if (source === null || location.line > source.lineCount) return out;
  const text = source.lineText(location.line);
  const startCol = displayColumn(text, location.column);
  const lastCol = location.endLine === location.line ? displayColumn(text, location.endColumn) : displayColumn(text, text.length + 1);
  const width = Math.max(1, lastCol - startCol);
  const lineNo = String(location.line).padStart(gutterWidth);
  out.push(`${pad} ${style.blue("|")}`);
  out.push(`${style.blue(lineNo)} ${style.blue("|")} ${text.replace(/\t/g, TAB)}`);
  const carets = marker("^".repeat(width) + (label ? ` ${label}` : ""));
  out.push(`${pad} ${style.blue("|")} ${" ".repeat(startCol)}${carets}`);
  return out;
}

/** rustc-style rendering of one diagnostic. */
export function renderDiagnosticPretty(d: Diagnostic, options: PrettyOptions, cache = new Map<string, SourceText | null>()): string {
  const style = pickStyle(options.color);
  const sev = severityStyle(style, d.severity);
  const lines = [`${sev(`${d.severity}[${d.code}]`)}${style.bold(`: ${d.message}`)}`];
  const maxLine = Math.max(d.location.line, ...(d.related ?? []).map((r) => r.location.line));
  const gutter = String(maxLine).length;
  const pad = " ".repeat(gutter);
  lines.push(...snippet(d.location, d.label, sev, gutter, style, cache, options.sources));
  for (const r of d.related ?? []) {
    lines.push(`${pad} ${style.blue("|")}`);
    lines.push(`${pad} ${style.blue("=")} ${style.bold("note")}: ${r.message}`);
    lines.push(...snippet(r.location, undefined, (s) => style.blue(s.replace(/\^/g, "-")), gutter, style, cache, options.sources));
  }
  if (d.help !== undefined || (d.notes?.length ?? 0) > 0) lines.push(`${pad} ${style.blue("|")}`);
  for (const note of d.notes ?? []) lines.push(`${pad} ${style.blue("=")} ${style.bold("note")}: ${note}`);
  if (d.help !== undefined) lines.push(`${pad} ${style.blue("=")} ${style.bold(style.cyan("help"))}: ${d.help}`);
  return lines.join("\n");
}

/** The closing summary line: `2 errors, 1 warning`. */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  if (errors === 0 && warnings === 0) return "no problems found";
  const parts = [];
  if (errors > 0) parts.push(plural(errors, "error"));
  if (warnings > 0) parts.push(plural(warnings, "warning"));
  return parts.join(", ");
}

/** All diagnostics, separated by blank lines, with the summary line last. */
export function renderPretty(diagnostics: readonly Diagnostic[], options: PrettyOptions): string {
  const cache = new Map<string, SourceText | null>();
  const style = pickStyle(options.color);
  const blocks = diagnostics.map((d) => renderDiagnosticPretty(d, options, cache));
  const errors = hasErrors(diagnostics);
  const summary = summarizeDiagnostics(diagnostics);
  blocks.push(errors ? style.bold(style.red(summary)) : diagnostics.length > 0 ? style.bold(style.yellow(summary)) : style.green(summary));
  return blocks.join("\n\n") + "\n";
}
