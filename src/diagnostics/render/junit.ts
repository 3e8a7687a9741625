import type { Diagnostic } from "../types.js";
import { plural } from "./style.js";

/** XML escaping for attribute values and text. */
export function escapeXml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    // Characters XML 1.0 cannot carry at all.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

/**
 * JUnit XML for a check without measurement: one test case per CDL file,
 * failing with its errors (warnings go to system-out).
 */
export function renderJunitDiagnostics(diagnostics: readonly Diagnostic[], files: readonly string[], suiteName = "cdlc check"): string {
  const names = [...new Set([...files, ...diagnostics.map((d) => d.location.file)])];
  const cases = names.map((file) => {
    const mine = diagnostics.filter((d) => d.location.file === file);
    const errors = mine.filter((d) => d.severity === "error");
    const warnings = mine.filter((d) => d.severity !== "error");
    const line = (d: Diagnostic) => `${d.location.file}:${d.location.line}:${d.location.column}: ${d.severity}[${d.code}]: ${d.message}${d.help ? ` (help: ${d.help})` : ""}`;
    let body = "";
    if (errors.length > 0) {
      body += `      <failure message="${escapeXml(`${plural(errors.length, "error")}: ${errors[0]!.message}`)}" type="${escapeXml(errors[0]!.code)}">${escapeXml(errors.map(line).join("\n"))}</failure>\n`;
    }
    if (warnings.length > 0) body += `      <system-out>${escapeXml(warnings.map(line).join("\n"))}</system-out>\n`;
    const open = `    <testcase classname="cdlc.check" name="${escapeXml(file)}" time="0"`;
    return body === "" ? `${open}/>\n` : `${open}>\n${body}    </testcase>\n`;
  });
  const failures = names.filter((f) => diagnostics.some((d) => d.location.file === f && d.severity === "error")).length;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="cdlc" tests="${names.length}" failures="${failures}" errors="0">\n` +
    `  <testsuite name="${escapeXml(suiteName)}" tests="${names.length}" failures="${failures}" errors="0" skipped="0">\n` +
    cases.join("") +
    `  </testsuite>\n</testsuites>\n`
  );
}
