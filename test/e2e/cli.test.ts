/**
 * End-to-end: the built CLI (`dist/cli.js`, what the `cdlc` bin runs) used
 * as the README says, rebuilt first when older than the sources
 * (test/helpers/built-cli.ts). Measurement through the built CLI: measure-cli.test.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cdlcSync, cliPath as cli, ensureCurrentBuild, repoRoot as root, staleReason } from "../helpers/built-cli.js";

function cdlc(args: string[], cwd = root, env: Record<string, string> = {}) {
  return cdlcSync(args, { cwd, env });
}

describe("cdlc (built)", () => {
  it("is current: no source changed after the bundle was built", () => {
    ensureCurrentBuild();
    expect(staleReason()).toBeUndefined();
  });

  it("checks the shipped example's CDL alone, as the README says (no --project)", () => {
    const r = cdlc(["check", "examples/shop/constraints.cdl"]);
    expect(r.err).toBe("");
    expect(r.out).toContain("no problems found");
    expect(r.code).toBe(0);
  });

  it("compiles the seed's one-line constraint to the contract's IR, to stdout and with -o", () => {
    const dir = mkdtempSync(join(tmpdir(), "cdlc-e2e-"));
    writeFileSync(join(dir, "constraints.cdl"), "constraint node_1 { max_execution_time: 10ms, max_memory_usage: 1MB, error_rate: < 0.1%, algorithm: [sort_a, sort_b] }\n");
    const r = cdlc(["compile", "constraints.cdl"], dir);
    expect(r.code).toBe(0);
    const ir = JSON.parse(r.out);
    expect(ir.constraints[0].bounds.map((b: { value: number }) => b.value)).toEqual([10000000, 1000000, 0.001]);
    expect(cdlc(["compile", "constraints.cdl", "-o", "out/ir.json"], dir).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "out/ir.json"), "utf8"))).toEqual(ir);
  });

  it("compiles an invalid file to nothing: exit 2, diagnostics on stderr, no output file", () => {
    const dir = mkdtempSync(join(tmpdir(), "cdlc-e2e-"));
    writeFileSync(join(dir, "bad.cdl"), "constraint a { max_execution_time: 1MB }\n");
    const r = cdlc(["compile", "bad.cdl", "-o", "out/ir.json"], dir);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain("error[CDL0103]");
    expect(existsSync(join(dir, "out"))).toBe(false);
    // An earlier IR is left as it was, not replaced or truncated.
    writeFileSync(join(dir, "ir.json"), "earlier");
    expect(cdlc(["compile", "bad.cdl", "-o", "ir.json"], dir).code).toBe(2);
    expect(readFileSync(join(dir, "ir.json"), "utf8")).toBe("earlier");
  });

  it("exits 2 with rustc-style diagnostics on invalid input, and writes every report format", () => {
    const dir = mkdtempSync(join(tmpdir(), "cdlc-e2e-"));
    writeFileSync(join(dir, "bad.cdl"), "constraint a {\n  max_execution_time: 1MB\n  max_memory_usage: 10 parsecs\n}\n");
    const r = cdlc(["check", "bad.cdl", "--report", "json:r.json", "--report", "sarif:r.sarif", "--report", "junit:r.xml", "--report", "github:r.txt", "--report", "markdown:r.md"], dir);
    expect(r.code).toBe(2);
    expect(r.out).toContain("error[CDL0103]");
    expect(r.out).toContain("--> bad.cdl:2:23");
    expect(r.out).toContain("help: a size takes one of `B`, `KB`, `MB`");
    expect(r.out.trimEnd().split("\n").pop()).toBe("2 errors");
    const json = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
    expect(json.diagnostics[0]).toMatchObject({ severity: "error", code: "CDL0103", file: "bad.cdl", line: 2, column: 23, endLine: 2, endColumn: 26 });
    expect(JSON.parse(readFileSync(join(dir, "r.sarif"), "utf8")).version).toBe("2.1.0");
    expect(readFileSync(join(dir, "r.xml"), "utf8")).toContain("<failure");
    expect(readFileSync(join(dir, "r.txt"), "utf8")).toContain("::error file=bad.cdl,line=2,col=23");
    expect(readFileSync(join(dir, "r.md"), "utf8")).toContain("| error | `CDL0103` |");
  });

  it("formats, checks formatting (exit 1) and rewrites in place", () => {
    const dir = mkdtempSync(join(tmpdir(), "cdlc-e2e-"));
    writeFileSync(join(dir, "c.cdl"), "constraint a {max_execution_time:1 ms}");
    expect(cdlc(["fmt", "c.cdl"], dir).out).toBe("constraint a {\n  max_execution_time: 1ms\n}\n");
    expect(cdlc(["fmt", "c.cdl", "--check"], dir).code).toBe(1);
    expect(cdlc(["fmt", "c.cdl", "--write"], dir).code).toBe(0);
    expect(cdlc(["fmt", "c.cdl", "--check"], dir).code).toBe(0);
  });

  it("explains codes, and answers bad usage with exit 2 and no stack trace", () => {
    const explained = cdlc(["explain", "CDL0103"]);
    expect(explained.code).toBe(0);
    expect(explained.out).toContain("wrong-kind");
    expect(cdlc(["explain", "CDL9999"]).code).toBe(2);
    const missing = cdlc(["check", "nope.cdl"]);
    expect(missing.code).toBe(2);
    expect(missing.out).toContain("CDL0901");
    const badOption = cdlc(["check", "x.cdl", "--frobnicate"]);
    expect(badOption.code).toBe(2);
    expect(badOption.err).toContain("unknown option");
    const badFormat = cdlc(["check", "examples/shop/constraints.cdl", "--format", "xml"]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.err).not.toContain("    at ");
    expect(cdlc(["--help"]).code).toBe(0);
  });

  it("stops quietly when its reader closes the pipe early (`| head`)", () => {
    ensureCurrentBuild();
    // The HTML page is far larger than a pipe's buffer, so the write meets a closed pipe.
    const command = `"${process.execPath}" "${cli}" graph --project test/fixtures/graph-basic --format html | head -c 20 > /dev/null`;
    const r = spawnSync("sh", ["-c", command], { cwd: root, encoding: "utf8" });
    expect(r.stderr).not.toContain("EPIPE");
    expect(r.stderr).not.toContain("    at ");
  });

  it("does not load ts-morph, Babel or TypeScript for `check` without a project", () => {
    // Follow the bundle's imports from dist/cli.js: heavy packages may only sit behind dynamic import().
    ensureCurrentBuild();
    const importsOf = (file: string, dynamic: boolean): string[] => {
      const code = readFileSync(file, "utf8");
      const found = [...code.matchAll(/(?:^|[;\s}])import\s*(?:[\w${}*,\s]+from\s*)?["']([^"']+)["']/g)].map((m) => m[1]!);
      if (dynamic) found.push(...[...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!));
      return found;
    };
    const closure = (dynamic: boolean, from: string) => {
      const files = new Set<string>();
      const packages = new Set<string>();
      const visit = (file: string) => {
        if (files.has(file)) return;
        files.add(file);
        for (const spec of importsOf(file, dynamic)) {
          if (spec.startsWith(".")) visit(resolve(file, "..", spec));
          else packages.add(spec);
        }
      };
      visit(from);
      return { files, packages };
    };
    const heavy = (p: string) => /^(ts-morph|@babel\/|typescript)/.test(p);
    // dist/cli.js picks, by command, what it loads: every command (run.js) or `record` alone (run-record.js).
    const programs = importsOf(cli, true).filter((s) => s.startsWith("."));
    expect(programs.length).toBe(2);
    for (const program of programs) {
      const loaded = closure(false, resolve(cli, "..", program));
      expect([...loaded.packages].filter(heavy)).toEqual([]);
    }
    const loaded = closure(false, resolve(cli, "..", programs[0]!));
    // The walk is real: it reaches the bundle's chunks, and through dynamic imports the heavy packages.
    expect([...loaded.files].some((f) => f.includes("/chunks/"))).toBe(true);
    const all = closure(true, cli);
    expect([...all.packages].filter(heavy)).toEqual(expect.arrayContaining(["typescript", "@babel/parser"]));
  });
});
