/**
 * `cdlc optimize` through the built CLI on a small fixture: one quadratic
 * function with six workload cases and a budget it breaks, and the project's
 * own tests (test/check.mjs: a type-check, then known inputs). Short
 * budgets: the verdicts asserted here do not depend on load (a 10× speedup
 * is asked to show, not a 5% one).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cdlc, copyFixture, removeTempDirs, repoRoot, tempDir } from "../helpers/built-cli.js";

afterAll(removeTempDirs);

const env = { TS_DIR: join(repoRoot, "node_modules", "typescript") };
const quick = ["--budget", "60s", "--time-budget", "1s", "--inputs", "20"];
// uniqueTags: a quadratic function whose rewrite the fixture's tests and every canary check.
const unique = ["--node", "uniqueTags"];
const hashes = (dir: string) => Object.fromEntries(readdirSync(join(dir, "src")).map((f) => [f, createHash("sha256").update(readFileSync(join(dir, "src", f))).digest("hex")]));
const archive = (dir: string) => readFileSync(join(dir, ".cdl", "archive.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

interface Json {
  version: number | null;
  mode: string;
  outDir?: string;
  test?: { passed: boolean; exitCode: number | null };
  canaries: { injected: number; caught: number };
  nodes: { node: string; status: string; violated: string[]; speedup?: { estimate: number; measuredOn: string }; accepted?: { operators: string[]; diff: string } }[];
}

describe("cdlc optimize (built)", () => {
  it("writes an optimized program to --out that type-checks and passes the project's tests, sources untouched, every attempt archived", { timeout: 180_000 }, async () => {
    const dir = copyFixture("optimize-project");
    const before = hashes(dir);
    const out = join(tempDir(), "optimized");
    const r = await cdlc(["optimize", "constraints.cdl", "-p", "tsconfig.json", ...quick, ...unique, "--out", out, "--test", "node test/check.mjs", "--format", "json"], { cwd: dir, env });
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as Json;
    expect(json.mode).toBe("out");
    expect(json.test?.passed).toBe(true);
    expect(json.nodes).toHaveLength(1);
    const [node] = json.nodes;
    expect(node!.node).toBe("src/tags.ts#uniqueTags");
    expect(node!.status).toBe("improved");
    expect(node!.accepted!.operators).toEqual(["set_membership"]);
    expect(node!.speedup!.measuredOn).toBe("test");
    expect(node!.speedup!.estimate).toBeGreaterThan(2);
    expect(json.canaries.caught).toBe(json.canaries.injected);
    // The suggested fix (SARIF's, from the JSON) turns the original file into the optimized one.
    const fix = (node!.accepted as unknown as { fix: { path: string; start: { line: number; column: number }; end: { line: number; column: number }; text: string } }).fix;
    const original = readFileSync(join(dir, fix.path), "utf8");
    const at = (p: { line: number; column: number }) => original.split(/(?<=\n)/).slice(0, p.line - 1).join("").length + p.column - 1;
    expect(original.slice(0, at(fix.start)) + fix.text + original.slice(at(fix.end))).toBe(readFileSync(join(out, fix.path), "utf8"));
    // The whole program is in --out, with the change; the sources are as they were.
    expect(readFileSync(join(out, "src", "tags.ts"), "utf8")).toContain("new Set(");
    expect(existsSync(join(out, "bench", "workloads.ts"))).toBe(true);
    expect(hashes(dir)).toEqual(before);
    expect(existsSync(join(dir, ".cdl", "versions"))).toBe(false);
    // Its own tests again, independently of cdlc: they pass on the optimized program.
    const own = spawnSync(process.execPath, ["test/check.mjs"], { cwd: out, env: { ...process.env, ...env }, encoding: "utf8" });
    expect(own.status, own.stderr).toBe(0);
    const lines = archive(dir);
    expect(lines.filter((l) => l.verdict === "accepted").map((l) => l.node)).toEqual(["src/tags.ts#uniqueTags"]);
    expect(lines.filter((l) => l.verdict === "canary-caught").length).toBe(json.canaries.caught);
    for (const l of lines) expect(typeof l.reason).toBe("string");
  });

  it("undoes an applied version when the project's tests fail: files byte for byte as before, exit 1, the reason archived", { timeout: 180_000 }, async () => {
    const dir = copyFixture("optimize-project");
    const before = hashes(dir);
    const r = await cdlc(["optimize", "constraints.cdl", "-p", "tsconfig.json", ...quick, ...unique, "--apply", "--test", "node -e \"process.exit(3)\"", "--format", "json"], { cwd: dir, env });
    expect(r.code, r.err).toBe(1);
    const json = JSON.parse(r.out) as Json;
    expect(json.mode).toBe("applied");
    expect(json.version).toBe(1);
    expect(json.test).toMatchObject({ passed: false, exitCode: 3 });
    expect(hashes(dir)).toEqual(before);
    const versions = await cdlc(["versions", "-p", "tsconfig.json", "--format", "json"], { cwd: dir });
    expect(versions.code).toBe(0);
    expect(versions.out).toContain("rolled-back");
    expect(archive(dir).some((l) => l.verdict === "not-equivalent" && /project's tests .* failed/.test(String(l.reason)))).toBe(true);
  });

  it("--require-improvement exits 1 when nothing is accepted, and nothing is written", { timeout: 120_000 }, async () => {
    const dir = copyFixture("optimize-project");
    const before = hashes(dir);
    // tagCount breaks no bound and allows no rewrite: nothing to accept.
    const r = await cdlc(["optimize", "constraints.cdl", "-p", "tsconfig.json", ...quick, "--node", "tagCount", "--require-improvement"], { cwd: dir, env });
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/0 of 1 node improved/);
    expect(hashes(dir)).toEqual(before);
  });

  it("accepts nothing on a node whose canary escaped, even an equivalent variant, and archives why", { timeout: 120_000 }, async () => {
    const dir = copyFixture("optimize-project");
    const before = hashes(dir);
    // longTags's cases never reach the boundary of `tag.length > min`, and without generated inputs
    // nothing else does: canaries that move the boundary escape, so the oracle is not trusted there.
    const r = await cdlc(["optimize", "constraints.cdl", "-p", "tsconfig.json", "--budget", "60s", "--time-budget", "1s", "--inputs", "0", "--node", "longTags", "--format", "json"], { cwd: dir, env });
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as Json & { nodes: { reason?: string }[] };
    expect(json.version).toBeNull();
    expect(json.nodes[0]).toMatchObject({ node: "src/tags.ts#longTags", status: "no-equivalent-variant" });
    expect(json.nodes[0]!.reason).toMatch(/not trusted on this node .*canar/);
    expect(json.canaries.caught).toBeLessThan(json.canaries.injected);
    expect(hashes(dir)).toEqual(before);
    const lines = archive(dir);
    // The equivalent variant is archived as blocked by the escaped canary; so are the canaries that escaped.
    expect(lines.some((l) => l.variant === 1 && l.verdict === "canary-missed")).toBe(true);
    expect(lines.filter((l) => l.canary !== undefined && l.verdict === "canary-missed").length).toBe(json.canaries.injected - json.canaries.caught);
  });

  it("refuses an --out folder inside the project, or one it did not write, before measuring anything (exit 2)", async () => {
    const dir = copyFixture("optimize-project");
    const inside = await cdlc(["optimize", "constraints.cdl", "-p", "tsconfig.json", "--out", "optimized"], { cwd: dir, env });
    expect(inside.code).toBe(2);
    expect(inside.err).toMatch(/--out .*optimized is inside the project; choose a folder outside/);
    expect(inside.err).not.toMatch(/internal error|at .*\.js:\d+/);
    const theirs = tempDir();
    writeFileSync(join(theirs, "notes.txt"), "mine");
    const occupied = await cdlc(["optimize", "constraints.cdl", "-p", "tsconfig.json", "--out", theirs], { cwd: dir, env });
    expect(occupied.code).toBe(2);
    expect(occupied.err).toMatch(/exists and was not written by cdlc/);
    expect(readFileSync(join(theirs, "notes.txt"), "utf8")).toBe("mine");
    expect(existsSync(join(dir, ".cdl", "archive.jsonl"))).toBe(false);
  });
});
