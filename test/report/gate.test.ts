import { describe, expect, it } from "vitest";
import { reportFails } from "../../src/report/format.js";
import type { BoundResult, MeasureReport, Verdict } from "../../src/measure/types.js";

/**
 * The CI gate (exit 1): a bound of severity error that fails; with
 * --strict also one left inconclusive or unmeasured. Warnings never fail
 * the build, and neither does --strict make them. The end-to-end version
 * is in test/e2e/measure-cli.test.ts.
 */
const bound = (severity: BoundResult["severity"], status: Verdict): BoundResult => ({
  node: "src/a.ts#f", metric: "execution_time", op: "<=", limit: 1000, unit: "ns", measured: null, interval: null, status, samples: 0, severity, source: { file: "c.cdl", line: 1, column: 1 },
});
const report = (results: BoundResult[], diagnostics: MeasureReport["diagnostics"] = []) => ({ results, diagnostics });

// severity, status → [fails without --strict, fails with --strict]
const table: [BoundResult["severity"], Verdict, boolean, boolean][] = [
  ["error", "pass", false, false],
  ["error", "fail", true, true],
  ["error", "inconclusive", false, true],
  ["error", "unmeasured", false, true],
  ["warning", "pass", false, false],
  ["warning", "fail", false, false],
  ["warning", "inconclusive", false, false],
  ["warning", "unmeasured", false, false],
];

describe("reportFails: the exit code of check --measure and bench", () => {
  for (const [severity, status, lenient, strict] of table) {
    it(`${severity} bound ${status}: ${lenient ? "fails" : "passes"}, and with --strict ${strict ? "fails" : "passes"}`, () => {
      // Beside a passing bound of each severity, so that only the row under test can decide.
      const results = [bound("error", "pass"), bound("warning", "pass"), bound(severity, status)];
      expect(reportFails(report(results))).toBe(lenient);
      expect(reportFails(report(results), true)).toBe(strict);
    });
  }

  it("fails on an error diagnostic, not on a warning", () => {
    const d = { code: "CDL0201", message: "m", file: "c.cdl", line: 1, column: 1, endLine: 1, endColumn: 2 };
    expect(reportFails(report([bound("error", "pass")], [{ ...d, severity: "error" }]))).toBe(true);
    expect(reportFails(report([bound("error", "pass")], [{ ...d, severity: "warning" }]))).toBe(false);
  });
});
