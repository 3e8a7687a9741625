/**
 * Reports of measurement runs: pure functions from a {@link MeasureReport}
 * (plus options) to a string. Every format includes the report's diagnostics.
 */
import type { SourceLookup } from "../diagnostics/index.js";
import type { MeasureReport } from "../measure/types.js";
import { renderGithubReport } from "./github.js";
import { renderHtmlReport } from "./html.js";
import { renderJsonReport } from "./json.js";
import { renderJunitReport } from "./junit.js";
import { renderMarkdownReport } from "./markdown.js";
import { renderPrettyReport } from "./pretty.js";
import { renderSarifReport } from "./sarif.js";

import { reportFormats, type ReportFormat } from "./formats.js";

export { reportFormats, type ReportFormat };

export interface ReportOptions {
  /** ANSI colour in `pretty`; default false. */
  color?: boolean;
  /** CDL and TypeScript source texts by file name, for `pretty` snippets. */
  sources?: SourceLookup;
  /** Heading of `markdown` and `html`. */
  title?: string;
}

/** Renders a report in one format. */
export function renderReport(format: ReportFormat, report: MeasureReport, options: ReportOptions = {}): string {
  switch (format) {
    case "pretty":
      return renderPrettyReport(report, { color: options.color ?? false, ...(options.sources ? { sources: options.sources } : {}) });
    case "json":
      return renderJsonReport(report);
    case "junit":
      return renderJunitReport(report);
    case "sarif":
      return renderSarifReport(report);
    case "markdown":
      return renderMarkdownReport(report, options.title !== undefined ? { title: options.title } : {});
    case "github":
      return renderGithubReport(report);
    case "html":
      return renderHtmlReport(report, options.title !== undefined ? { title: options.title } : {});
  }
}

export { renderPrettyReport, type PrettyReportOptions } from "./pretty.js";
export { renderJsonReport } from "./json.js";
export { renderJunitReport } from "./junit.js";
export { renderSarifReport } from "./sarif.js";
export { renderMarkdownReport } from "./markdown.js";
export { renderGithubReport } from "./github.js";
export { renderHtmlReport } from "./html.js";
export { renderProgress, eraseLines, type ProgressOptions } from "./progress.js";
export { formatQuantity, formatInterval, formatConfidence, boundLabel, describeResult, summarizeResults, verdictCounts, reportFails } from "./format.js";
