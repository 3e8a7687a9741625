/**
 * The proposers shipped in scripts/proposers, run as cdlc runs them: a child
 * process with the request on stdin. No network: the chat adapter runs with
 * `fetch` replaced in the child, so a call that should not happen is caught.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseResponse } from "../../src/propose/parse-response.js";
import type { ProposedCandidate, ProposerRequest } from "../../src/propose/protocol.js";
import { docBlocks, docExamples, repoRoot } from "./doc-examples.js";

const replay = join(repoRoot, "scripts/proposers/replay.mjs");
const openaiChat = join(repoRoot, "scripts/proposers/openai-chat.mjs");
const dir = mkdtempSync(join(tmpdir(), "cdlc-proposers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const docRequest = docExamples().request[0] as ProposerRequest;
const requestFor = (id: string, round: number, protocol = 1) => JSON.stringify({ ...docRequest, protocol, round, node: { ...docRequest.node, id } });

/** Runs a proposer as cdlc does (a fresh environment but PATH, unless given), with `request` on stdin. */
function run(args: string[], request: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, args, { input: request, encoding: "utf8", cwd: dir, env: { PATH: process.env.PATH ?? "", ...env }, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What cdlc would make of a proposer's output: the candidates, or why it refused them. */
function candidatesOf(stdout: string): ProposedCandidate[] {
  const r = parseResponse(stdout, { maxCandidates: 5, maxSourceBytes: 65_536 });
  if (!r.ok) throw new Error(r.reason);
  expect(r.notes).toEqual([]);
  return r.candidates;
}

describe("scripts/proposers/replay.mjs", () => {
  const first = { source: "function f() { return 1; }", name: "one", rationale: "a constant" };
  const second = { source: "function f() { return 2; }", name: "two" };
  const third = { source: "function g() {}" };
  const file = join(dir, "candidates.json");
  writeFileSync(file, JSON.stringify({ protocol: 1, nodes: { "src/a.ts#f": [[first, second], [third]], "src/b.ts#g": [[], [third]] } }));

  it.each([
    ["src/a.ts#f", 1, [first, second]],
    ["src/a.ts#f", 2, [third]],
    ["src/b.ts#g", 1, []],
    ["src/b.ts#g", 2, [third]],
    ["src/a.ts#f", 3, []],
    ["src/c.ts#h", 1, []],
    ["constructor", 1, []],
  ])("answers for %s, round %i, with the file's candidates for them", (id, round, expected) => {
    const r = run([replay, "candidates.json"], requestFor(id, round));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(candidatesOf(r.stdout)).toEqual(expected);
  });

  it("replays the page's example file", () => {
    writeFileSync(join(dir, "doc-replay.json"), JSON.stringify(docExamples().replay[0]));
    const r = run([replay, "doc-replay.json"], JSON.stringify(docRequest));
    expect(candidatesOf(r.stdout).map((c) => c.name)).toEqual(["set-spread"]);
  });

  it("refuses a request of another protocol: exit 2 and why", () => {
    const r = run([replay, "candidates.json"], requestFor("src/a.ts#f", 1, 2));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/speaks protocol 1; the request is for protocol 2/);
  });

  it.each([
    ["a missing file", "missing.json", /cannot read the candidates file missing\.json/],
    ["a file of another shape", "not-replay.json", /not-replay\.json is not a replay file/],
  ])("stops on %s: exit 2 and why", (_, name, message) => {
    writeFileSync(join(dir, "not-replay.json"), JSON.stringify({ candidates: [] }));
    const r = run([replay, name], requestFor("src/a.ts#f", 1));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
  });
});

describe("scripts/proposers/openai-chat.mjs", () => {
  /** `node --import` of a module that replaces the child's fetch: it answers `reply`, or fails loudly when none is given. */
  function withFetch(reply?: string): string[] {
    const stub =
      reply === undefined
        ? `globalThis.fetch = () => { process.stderr.write("fetch was called\\n"); process.exit(3); };`
        : `globalThis.fetch = async (url, init) => { process.stderr.write(JSON.stringify({ url, init }) + "\\n"); return new Response(JSON.stringify({ choices: [{ message: { content: ${JSON.stringify(reply)} } }] })); };`;
    return ["--import", `data:text/javascript,${encodeURIComponent(stub)}`, openaiChat];
  }
  const env = { CDLC_PROPOSER_BASE_URL: "https://models.invalid/v1/", CDLC_PROPOSER_API_KEY: "k-123", CDLC_PROPOSER_MODEL: "m-1" };

  it.each([
    ["no environment", {}, "CDLC_PROPOSER_BASE_URL"],
    ["no key", { CDLC_PROPOSER_BASE_URL: env.CDLC_PROPOSER_BASE_URL }, "CDLC_PROPOSER_API_KEY"],
    ["no model", { CDLC_PROPOSER_BASE_URL: env.CDLC_PROPOSER_BASE_URL, CDLC_PROPOSER_API_KEY: "k" }, "CDLC_PROPOSER_MODEL"],
    ["an empty model", { ...env, CDLC_PROPOSER_MODEL: "" }, "CDLC_PROPOSER_MODEL"],
  ])("with %s, exits 2 naming the missing variable, before any network access", (_, vars, missing) => {
    const r = run(withFetch(), JSON.stringify(docRequest), vars);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`set ${missing}`);
    expect(r.stderr).not.toContain("fetch was called");
  });

  it("refuses a request of another protocol before any network access", () => {
    const r = run(withFetch(), JSON.stringify({ ...docRequest, protocol: 2 }), env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/speaks protocol 1; the request is for protocol 2/);
  });

  it("asks the endpoint about the node and prints the candidates of a fenced reply (offline: fetch stubbed)", () => {
    const source = "function dedupeSkus(skus: readonly string[]): string[] {\n  return [...new Set(skus)];\n}";
    const reply = `Here you are:\n\`\`\`json\n${JSON.stringify({ candidates: [{ source, name: "set-spread", rationale: "one pass" }, { name: "no source" }] })}\n\`\`\`\n`;
    const r = run(withFetch(reply), JSON.stringify(docRequest), env);
    expect(r.status, r.stderr).toBe(0);
    expect(candidatesOf(r.stdout)).toEqual([{ source, name: "set-spread", rationale: "one pass" }]);

    const sent = JSON.parse(r.stderr.trim()) as { url: string; init: { headers: Record<string, string>; body: string } };
    expect(sent.url).toBe("https://models.invalid/v1/chat/completions");
    expect(sent.init.headers.authorization).toBe("Bearer k-123");
    const body = JSON.parse(sent.init.body) as { model: string; messages: { role: string; content: string }[] };
    expect(body.model).toBe("m-1");
    expect(body.messages.map((m) => m.role)).toEqual(["system", "user"]);
    const user = body.messages[1]!.content;
    for (const part of [docRequest.node.source, docRequest.file.text, "execution_time p95 <= 2 ms", docRequest.cases.shown[0]!.args, docRequest.tried[1]!.reason]) expect(user).toContain(part);
  });
});

describe("the proposer of twenty lines in docs/proposer-protocol.md", () => {
  const script = join(dir, "my-proposer.mjs");
  writeFileSync(script, docBlocks("js")[0] ?? "");

  it("answers the example request with a valid response", () => {
    const r = run([script], JSON.stringify(docRequest));
    expect(r.status).toBe(0);
    expect(candidatesOf(r.stdout)).toEqual([]);
    expect(r.stderr).toContain("src/catalog.ts#dedupeSkus");
  });

  it("refuses another protocol: exit 2 and why", () => {
    const r = run([script], JSON.stringify({ ...docRequest, protocol: 2 }));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/protocol 2 is not supported/);
  });
});

describe("the engine's fixture proposers (test/fixtures/proposers)", () => {
  const fixture = (name: string) => join(repoRoot, "test/fixtures/proposers", name);

  it("garbage.mjs prints what is not a response, and exits 0", () => {
    const r = run([fixture("garbage.mjs")], JSON.stringify(docRequest));
    expect(r.status).toBe(0);
    expect(parseResponse(r.stdout, { maxCandidates: 5, maxSourceBytes: 65_536 })).toMatchObject({ ok: false, reason: expect.stringContaining("not JSON") });
  });

  it("hang.mjs never answers", () => {
    const r = spawnSync(process.execPath, [fixture("hang.mjs")], { input: JSON.stringify(docRequest), timeout: 1_000 });
    expect(r.signal).toBe("SIGTERM");
    expect(r.stdout.length).toBe(0);
  });
});
