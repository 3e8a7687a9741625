/**
 * `cdlc optimize --proposer` through the built CLI, with the replay proposer
 * (scripts/proposers/replay.mjs) and two broken ones: candidates from outside
 * go through the same gate as the operators' variants — static checks, the
 * oracle with its canaries, the speed gate on held-out cases — and a proposer
 * that hangs or prints garbage is reported and skipped. The node allows no
 * operator (`mutations: none`), so every variant judged is a proposal.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { splitCases } from "../../src/optimize/splits.js";
import { cdlc, copyFixture, removeTempDirs, repoRoot } from "../helpers/built-cli.js";

afterAll(removeTempDirs);

const env = { TS_DIR: join(repoRoot, "node_modules", "typescript") };
const NODE = "src/tags.ts#uniqueTags";
const replay = `node "${join(repoRoot, "scripts/proposers/replay.mjs")}" candidates.json`;
const garbage = `node "${join(repoRoot, "test/fixtures/proposers/garbage.mjs")}"`;
const hang = `node "${join(repoRoot, "test/fixtures/proposers/hang.mjs")}"`;

const candidates = [
  // First: a candidate refused before it becomes a variant still takes a variant number of its own.
  { name: "broken", source: "function uniqueTags(tags: readonly string[]): string[] { return [" },
  {
    name: "set-lookup",
    rationale: "A Set makes each membership test constant-time.",
    // As a model would write it: the whole declaration, `export` included.
    source: "export function uniqueTags(tags: readonly string[]): string[] {\n  const seen = new Set<string>();\n  const out: string[] = [];\n  for (const tag of tags) {\n    if (!seen.has(tag)) {\n      seen.add(tag);\n      out.push(tag);\n    }\n  }\n  return out;\n}",
  },
  {
    name: "one-tag-shortcut",
    rationale: "A single tag needs no work.",
    // Subtly wrong: a list of one tag comes back empty.
    source: "function uniqueTags(tags: readonly string[]): string[] {\n  if (tags.length === 1) return [];\n  const seen = new Set<string>();\n  return tags.filter((t) => (seen.has(t) ? false : (seen.add(t), true)));\n}",
  },
];

interface Json {
  version: number | null;
  nodes: { node: string; status: string; attempts: number; accepted?: { operators: string[]; proposal?: { proposer: string; name?: string; rationale?: string } }; speedup?: { measuredOn: string } }[];
  proposers: { command: string; asked: number; candidates: number; accepted: number; rejected: number; failures: { node: string; reason: string }[] }[];
}

let dir: string;
let run: Awaited<ReturnType<typeof cdlc>>;
let json: Json;
let archive: Record<string, unknown>[];

beforeAll(async () => {
  dir = copyFixture("optimize-project");
  writeFileSync(join(dir, "proposed.cdl"), `workload "bench/workloads.ts"\n\nconstraint uniqueTags {\n  max_execution_time: 300us\n  mutations: none\n}\n`);
  writeFileSync(join(dir, "candidates.json"), JSON.stringify({ protocol: 1, nodes: { [NODE]: [candidates] } }));
  run = await cdlc(["optimize", "proposed.cdl", "-p", "tsconfig.json", "--budget", "60s", "--time-budget", "1s", "--inputs", "20", "--proposer", replay, "--proposer", garbage, "--proposer", hang, "--proposer-timeout", "2s", "--format", "json"], { cwd: dir, env });
  json = JSON.parse(run.out) as Json;
  archive = readFileSync(join(dir, ".cdl", "archive.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
}, 180_000);

describe("cdlc optimize --proposer (built)", () => {
  it("accepts a correct, faster candidate, measured on held-out cases, and stages it as a version", () => {
    expect(run.code, run.err).toBe(0);
    expect(json.version).toBe(1);
    const node = json.nodes.find((n) => n.node === NODE)!;
    expect(node).toMatchObject({ status: "improved", accepted: { operators: [], proposal: { proposer: replay, name: "set-lookup", rationale: candidates[1]!.rationale } }, speedup: { measuredOn: "test" } });
    const staged = JSON.parse(readFileSync(join(dir, ".cdl", "versions", "1", "manifest.json"), "utf8")) as { files: { path: string }[] };
    expect(staged.files.map((f) => f.path)).toEqual(["src/tags.ts"]);
    expect(archive.find((l) => l.name === "set-lookup")).toMatchObject({ origin: "proposer", proposer: replay, verdict: "accepted" });
  });

  it("rejects a subtly wrong candidate with its first difference, and one that does not parse before running anything", () => {
    const wrong = archive.find((l) => l.name === "one-tag-shortcut")!;
    expect(wrong).toMatchObject({ origin: "proposer", verdict: "not-equivalent", rationale: "A single tag needs no work." });
    expect(wrong.firstDifference).toMatchObject({ variant: "returned []" });
    const broken = archive.find((l) => l.name === "broken")!;
    expect(broken).toMatchObject({ origin: "proposer", verdict: "does-not-compile" });
    expect(broken.reason).toMatch(/does not parse/);
    // Every variant of the run has a number of its own in the archive (canaries are negative).
    const numbers = archive.filter((l) => (l.variant as number) > 0).map((l) => l.variant);
    expect(new Set(numbers).size).toBe(numbers.length);
    // The oracle proved its strength on the same node in the same run.
    expect(archive.filter((l) => l.verdict === "canary-caught").length).toBeGreaterThan(0);
  });

  it("reports a proposer that prints garbage and one that hangs, and goes on", () => {
    const [fromReplay, fromGarbage, fromHang] = json.proposers;
    expect(fromReplay).toMatchObject({ command: replay, asked: 1, candidates: 3, accepted: 1, rejected: 2, failures: [] });
    expect(fromGarbage).toMatchObject({ command: garbage, asked: 1, candidates: 0, accepted: 0 });
    expect(fromGarbage!.failures[0]!.reason).toMatch(/not JSON/);
    expect(fromHang).toMatchObject({ command: hang, asked: 1, candidates: 0 });
    expect(fromHang!.failures[0]!.reason).toBe("did not answer within 2 s");
  });

  it("rejects a candidate faster only on the cases that chose it: the validation cases do not confirm it", { timeout: 180_000 }, async () => {
    // The gate's split is deterministic (by node id and case count): this candidate takes the fast
    // path only for the lengths of the train cases' lists, and the quadratic one for the rest.
    const cases = [1_500, 2_000, 1_800, 2_500, 1_200, 2_200]; // test/fixtures/optimize-project/bench/workloads.ts
    const trainLengths = splitCases(NODE, cases.length).train.map((i) => cases[i]);
    const source = `function uniqueTags(tags: readonly string[]): string[] {
  if (!new Set([${trainLengths.join(", ")}]).has(tags.length)) {
    const out: string[] = [];
    for (const tag of tags) if (!out.includes(tag)) out.push(tag);
    return out;
  }
  const seen = new Set<string>();
  return tags.filter((t) => (seen.has(t) ? false : (seen.add(t), true)));
}`;
    writeFileSync(join(dir, "train-only.json"), JSON.stringify({ protocol: 1, nodes: { [NODE]: [[{ name: "train-only", source }]] } }));
    const trainOnly = `node "${join(repoRoot, "scripts/proposers/replay.mjs")}" train-only.json`;
    const r = await cdlc(["optimize", "proposed.cdl", "-p", "tsconfig.json", "--budget", "60s", "--time-budget", "1s", "--inputs", "20", "--proposer", trainOnly, "--format", "json"], { cwd: dir, env });
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as Json & { nodes: { reason?: string }[] };
    expect(out.version).toBeNull();
    expect(out.nodes[0]).toMatchObject({ node: NODE, status: "no-faster-variant" });
    expect(out.nodes[0]!.reason).toMatch(/faster on the train cases .* but not significantly on the validation cases/);
    const line = readFileSync(join(dir, ".cdl", "archive.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.name === "train-only")!;
    expect(line).toMatchObject({ origin: "proposer", verdict: "not-faster" });
    expect(out.proposers[0]).toMatchObject({ candidates: 1, accepted: 0, rejected: 1 });
  });

  it("asks again with --proposer-rounds, telling the proposer what became of its candidates, and accepts what it learnt", { timeout: 240_000 }, async () => {
    const requests = join(dir, "learner-requests.jsonl");
    const learner = `node "${join(repoRoot, "test/fixtures/proposers/learner.mjs")}" "${requests}"`;
    const r = await cdlc(["optimize", "proposed.cdl", "-p", "tsconfig.json", "--budget", "120s", "--time-budget", "1s", "--inputs", "20", "--proposer", learner, "--proposer-rounds", "3", "--format", "json"], { cwd: dir, env });
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as Json;
    expect(out.nodes[0]).toMatchObject({ status: "improved", accepted: { proposal: { name: "second-try" } } });
    const asked = readFileSync(requests, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { round: number; cases: { total: number; shown: { args: string; truncated: boolean }[] }; tried: { name?: string; verdict: string; firstDifference?: unknown }[] });
    // A few of the workload's six cases, as the measurement child wrote them out (cut to 2 KB each).
    expect(asked[0]!.cases.total).toBe(6);
    expect(asked[0]!.cases.shown).toHaveLength(5);
    expect(asked[0]!.cases.shown[0]!.args.startsWith('[["tag-')).toBe(true);
    // Round 3 is not asked for: the node has an accepted variant after round 2.
    expect(asked.map((a) => a.round)).toEqual([1, 2]);
    expect(asked[0]!.tried).toEqual([]);
    expect(asked[1]!.tried).toEqual([expect.objectContaining({ name: "first-try", verdict: "not-equivalent", firstDifference: expect.objectContaining({ original: expect.any(String) }) })]);
    expect(out.proposers[0]).toMatchObject({ asked: 2, candidates: 2, accepted: 1, rejected: 1 });
  });

  it("takes its proposers from cdlc.json when the command line names none, and says in the pretty report why one gave nothing", async () => {
    writeFileSync(join(dir, "cdlc.json"), JSON.stringify({ optimize: { proposers: [garbage], proposerTimeout: "20s" } }));
    const r = await cdlc(["optimize", "proposed.cdl", "-p", "tsconfig.json", "--budget", "30s", "--time-budget", "1s", "--inputs", "0"], { cwd: dir, env });
    // The sources still hold the original (version 1 is only staged); the garbage proposer gives nothing to judge.
    expect(r.out).toContain(`proposer \`${garbage}\`: asked about 1 node, 0 candidates, 0 accepted, 0 rejected`);
    expect(r.out).toMatch(/not JSON/);
    writeFileSync(join(dir, "cdlc.json"), JSON.stringify({ optimize: { proposers: "node x.mjs" } }));
    const bad = await cdlc(["optimize", "proposed.cdl", "-p", "tsconfig.json", "--budget", "30s"], { cwd: dir, env });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('cdlc.json: "optimize.proposers" must be a list of commands');
  }, 120_000);
});
