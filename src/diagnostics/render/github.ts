import type { Diagnostic } from "../types.js";

/** Escaping of GitHub workflow-command data and property values. */
export function escapeGithubData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeGithubProperty(s: string): string {
  return escapeGithubData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** A workflow-command annotation (`::error file=…,line=…::message`). */
export function githubAnnotation(
  level: "error" | "warning" | "notice",
  message: string,
  where: { file: string; line: number; column: number; endLine?: number; endColumn?: number; title?: string },
): string {
  const props = [`file=${escapeGithubProperty(where.file)}`, `line=${where.line}`, `col=${where.column}`];
  if (where.endLine !== undefined) props.push(`endLine=${where.endLine}`);
  if (where.endColumn !== undefined && where.endLine === where.line) props.push(`endColumn=${where.endColumn}`);
  if (where.title !== undefined) props.push(`title=${escapeGithubProperty(where.title)}`);
  return `::${level} ${props.join(",")}::${escapeGithubData(message)}`;
}

/** One annotation per diagnostic; help and notes are folded into the message. */
export function renderGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const level = d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "notice";
      const extra = [...(d.notes ?? []).map((n) => `note: ${n}`), ...(d.help !== undefined ? [`help: ${d.help}`] : [])];
      const l = d.location;
      return githubAnnotation(level, [d.message, ...extra].join("\n"), {
        file: l.file,
        line: l.line,
        column: l.column,
        endLine: l.endLine,
        endColumn: l.endColumn,
        title: d.code,
      });
    })
    .map((line) => line + "\n")
    .join("");
}
