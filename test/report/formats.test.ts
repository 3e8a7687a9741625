import { parse as parseJunit } from "junit2json";
import { sarifValidator } from "../helpers/sarif-schema.js";
import { beforeAll, describe, expect, it } from "vitest";
import type { MeasureReport } from "../../src/measure/types.js";
import { renderReport, reportFails, reportFormats } from "../../src/report/index.js";
import { cdlSource, sampleReport } from "./fixture.js";

let report: MeasureReport;
beforeAll(async () => {
  report = await sampleReport();
});

describe("the sample report", () => {
  it("covers every verdict", () => {
    const statuses = new Set(report.results.map((r) => r.status));
    expect(statuses).toEqual(new Set(["pass", "fail", "inconclusive", "unmeasured"]));
    expect(report.comparisons!.some((c) => c.verdict === "regression")).toBe(true);
    expect(reportFails(report)).toBe(true);
  });
});

describe("json", () => {
  it("follows the contract and keeps raw samples and the environment", () => {
    const out = JSON.parse(renderReport("json", report));
    expect(out.diagnostics).toHaveLength(2);
    expect(out.diagnostics[0]).toMatchObject({ severity: "warning", code: "CDL0118", file: "constraints.cdl", line: 16, column: 12, endLine: 16, endColumn: 26 });
    for (const r of out.results) {
      for (const k of ["node", "metric", "op", "limit", "measured", "interval", "status", "samples"]) expect(r).toHaveProperty(k);
      expect(["pass", "fail", "inconclusive", "unmeasured"]).toContain(r.status);
    }
    // Open interval ends are null in JSON, never a string or a crash.
    const unmeasured = out.results.find((r: { status: string }) => r.status === "unmeasured");
    expect(unmeasured.interval).toBeNull();
    expect(out.nodes[0].timesNs.length).toBeGreaterThan(100);
    expect(out.environment.v8).toBe("11.3");
    expect(out.summary).toMatchObject({ errors: 1, warnings: 1 });
  });
});

describe("pretty", () => {
  it("prints a table with intervals and verdicts, and the diagnostics with their source lines", () => {
    const plain = renderReport("pretty", report, { sources: (f) => (f === "constraints.cdl" ? cdlSource : undefined) });
    expect(plain).toContain("error[CDL0103]");
    expect(plain).toContain("constraint x { max_execution_time: 1MB }");
    expect(plain).toMatch(/src\/cart\.ts#Cart\.total\s+execution_time p99 ≤ 200 µs\s+\S+ µs\s+\[/);
    expect(plain).toContain("✗ fail");
    expect(plain).toContain("– unmeasured");
    expect(plain).toContain("regression");
    expect(plain).not.toContain("\u001b[");
    const colored = renderReport("pretty", report, { color: true });
    expect(colored).toContain("\u001b[31m");
  });
});

describe("junit", () => {
  it("is read by a JUnit consumer: one test case per bound, failures with numbers", async () => {
    const xml = renderReport("junit", report);
    const parsed = (await parseJunit(xml)) as { testsuite?: { name?: string; tests?: number; testcase?: { name?: string; classname?: string; failure?: { message?: string; inner?: string }[]; skipped?: unknown[]; error?: unknown[] }[] }[] };
    const suites = parsed.testsuite!;
    const bounds = suites.find((s) => s.name === "cdlc check bounds")!;
    expect(bounds.testcase).toHaveLength(report.results.length);
    const failing = report.results.filter((r) => r.status === "fail" && r.severity === "error");
    const failures = bounds.testcase!.filter((c) => c.failure);
    expect(failures).toHaveLength(failing.length);
    expect(failures[0]!.failure![0]!.inner).toMatch(/measured: .*\ninterval: .*\nlimit: /);
    expect(bounds.testcase!.filter((c) => c.skipped)).toHaveLength(report.results.filter((r) => r.status === "inconclusive").length);
    expect(bounds.testcase!.filter((c) => c.error)).toHaveLength(1);
    const diags = suites.find((s) => s.name === "cdlc diagnostics")!;
    expect(diags.testcase![1]!.failure![0]!.message).toContain('<&> "quoted"');
    // The fixture's one regression fails its test case; the other comparisons pass.
    const comparison = suites.find((s) => s.name === "cdlc baseline comparison")!;
    const regressions = (report.comparisons ?? []).filter((c) => c.verdict === "regression").length;
    expect(regressions).toBeGreaterThan(0);
    expect(comparison.testcase!.filter((c) => c.failure)).toHaveLength(regressions);
  });
});

describe("sarif", () => {
  it("validates against the official SARIF 2.1.0 schema", () => {
    const validate = sarifValidator();
    const log = JSON.parse(renderReport("sarif", report));
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The validator has teeth: a wrong level is rejected.
    log.runs[0].results[0].level = "fatal";
    expect(validate(log)).toBe(false);
  });

  it("locates violations at the CDL bound and the TypeScript declaration", () => {
    const log = JSON.parse(renderReport("sarif", report));
    const run = log.runs[0];
    const violations = run.results.filter((r: { ruleId: string }) => r.ruleId.startsWith("bound/") && !["bound/inconclusive", "bound/unmeasured"].includes(r.ruleId));
    expect(violations.length).toBe(report.results.filter((r) => r.status === "fail").length);
    const v = violations[0];
    expect(v.locations[0].physicalLocation.artifactLocation.uri).toBe("constraints.cdl");
    expect(v.locations).toHaveLength(1);
    expect(v.relatedLocations[0].physicalLocation.artifactLocation.uri).toMatch(/^src\//);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(run.results.filter((r: { ruleId: string }) => r.ruleId.startsWith("CDL"))).toHaveLength(2);
  });

  it("keeps a regression whose node has no known declaration", () => {
    const bare = { ...report, results: report.results.map(({ declaration: _d, ...r }) => r), nodes: report.nodes.map(({ declaration: _d, ...n }) => n) };
    const results = JSON.parse(renderReport("sarif", bare)).runs[0].results as { ruleId: string; locations: unknown[] }[];
    const regressions = results.filter((r) => r.ruleId === "baseline/regression");
    expect(regressions).toHaveLength((report.comparisons ?? []).filter((c) => c.verdict === "regression").length);
    expect(regressions[0]!.locations).toEqual([]);
  });
});

describe("markdown", () => {
  it("summarises in a table, escaping cell contents", () => {
    const md = renderReport("markdown", report);
    expect(md.split("\n")[0]).toMatch(/^### ❌ cdlc check: \d+ passed, \d+ failed/);
    expect(md).toContain("| node | bound | measured | interval | verdict |");
    // The node id with a pipe in it must not break the table.
    expect(md).toContain('parse<T>\\|"x"');
    expect(md).toContain("CDL0103");
    expect(md).toContain("Compared with the baseline");
    const rows = md.split("\n").filter((l) => l.startsWith("| `"));
    for (const row of rows) expect(row.replace(/\\\|/g, "").split("|").length).toBeGreaterThanOrEqual(6);
  });
});

describe("github", () => {
  it("annotates violations at the CDL and the declaration, plus the diagnostics", () => {
    const lines = renderReport("github", report).trim().split("\n");
    expect(lines.filter((l) => l.startsWith("::error file=constraints.cdl,line=18"))).toHaveLength(1);
    const failing = report.results.filter((r) => r.status === "fail" && r.severity === "error");
    expect(lines.filter((l) => l.startsWith("::error ") && l.includes("violated"))).toHaveLength(failing.length * 2);
    expect(lines.some((l) => l.startsWith("::notice ") && l.includes("inconclusive"))).toBe(true);
    expect(lines.every((l) => /^::(error|warning|notice) /.test(l))).toBe(true);
  });
});

describe("every format", () => {
  it("includes the diagnostics and is deterministic", () => {
    for (const f of reportFormats) {
      const a = renderReport(f, report);
      expect(a, f).toContain("CDL0103");
      expect(renderReport(f, report), f).toBe(a);
    }
  });
});
