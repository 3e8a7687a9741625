#!/usr/bin/env node
// An example proposer: asks a model behind an OpenAI-compatible chat-completions endpoint.
//
//   export CDLC_PROPOSER_BASE_URL=https://api.openai.com/v1   # or a local server's /v1
//   export CDLC_PROPOSER_API_KEY=…                            # "none" for a server that wants no key
//   export CDLC_PROPOSER_MODEL=…
//   cdlc optimize constraints.cdl --project tsconfig.json --proposer "node scripts/proposers/openai-chat.mjs"
//
// WHAT LEAVES YOUR MACHINE: everything in the request is sent to CDLC_PROPOSER_BASE_URL — the
// function's source, the whole file that holds it, its constraint, the measured figures, a few
// workload cases (argument values, cut to 2 KB each) and the source of the variants already tried
// with their verdicts (which can quote inputs and results). Use a local model if that must not
// leave your machine.
//
// It is an example, not a tuned prompt: no retries, one request per call. It stops before any
// network access when a variable is missing (exit 2). The reply's JSON may be fenced (```json).
// cdlc judges every candidate itself, so a bad one costs time, never correctness. No dependencies.
import { readFileSync } from "node:fs";

const PROTOCOL = 1;
// cdlc's default --proposer-timeout is 60 s: give up first, with a message.
/** cdlc ends the proposer at limits.timeoutMs: give up a little before, with a message. */
const MARGIN_MS = 5_000;

function fail(message, code = 1) {
  process.stderr.write(`openai-chat: ${message}\n`);
  process.exit(code);
}

const env = {};
for (const name of ["CDLC_PROPOSER_BASE_URL", "CDLC_PROPOSER_API_KEY", "CDLC_PROPOSER_MODEL"]) {
  const value = process.env[name];
  if (value === undefined || value === "") fail(`set ${name} (see the header of this script)`, 2);
  env[name] = value;
}

let request;
try {
  request = JSON.parse(readFileSync(0, "utf8"));
} catch (e) {
  fail(`the request on stdin is not JSON (${e.message})`, 2);
}
if (request?.protocol !== PROTOCOL) fail(`this proposer speaks protocol ${PROTOCOL}; the request is for protocol ${JSON.stringify(request?.protocol)}`, 2);

const system = [
  "You make TypeScript functions faster without changing what they do.",
  "A candidate must behave identically to the original on every input: same results, same exceptions, same effects on its arguments, same order of output.",
  "Each candidate is checked by an equivalence oracle and timed; a wrong or slower one is rejected.",
  'Answer with JSON only: {"candidates":[{"source":"…","name":"…","rationale":"…"}]}.',
  "`source` is the whole new text of the function, from where the original's text starts to where it ends, with the same signature; nothing else of the file.",
  "`name` is a short kebab-case name; `rationale` says in a sentence why it is faster.",
].join("\n");

function section(title, body) {
  return `## ${title}\n${body}`;
}

const fence = (text) => `\`\`\`ts\n${text}\n\`\`\``;
const { node, file, constraint, before, cases, tried, limits } = request;
const TIMEOUT_MS = Math.max(1_000, (limits.timeoutMs ?? 60_000) - MARGIN_MS);
const user = [
  section(`The function ${node.id}`, `Signature: ${node.signature}\n${fence(node.source)}`),
  section(`Its file, ${file.path}`, fence(file.text)),
  section("Its bounds", `${constraint.bounds.join("\n")}\nViolated: ${constraint.violated.join(", ") || "none"}${before ? `\nMeasured: ${before.statistic} ${before.value} ns` : ""}`),
  section(`Some of its ${cases.total} workload cases (argument lists)`, cases.shown.map((c) => `${c.args}${c.truncated ? " …(cut)" : ""}`).join("\n") || "none shown"),
  section(
    "Already tried",
    tried
      .map((t) => `- ${t.name ?? t.operators?.join(" + ") ?? `#${t.id}`}: ${t.verdict} — ${t.reason}${t.speedup !== undefined ? ` (measured ${t.speedup}×)` : ""}${t.firstDifference !== undefined ? `\n  first difference: ${JSON.stringify(t.firstDifference)}` : ""}\n${fence(t.source)}`)
      .join("\n") || "nothing yet",
  ),
  `Propose at most ${limits.maxCandidates} candidates, each at most ${limits.maxSourceBytes} bytes, different from those already tried.`,
].join("\n\n");

let reply;
try {
  const response = await fetch(`${env.CDLC_PROPOSER_BASE_URL.replace(/\/+$/, "")}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${env.CDLC_PROPOSER_API_KEY}` },
    body: JSON.stringify({ model: env.CDLC_PROPOSER_MODEL, messages: [{ role: "system", content: system }, { role: "user", content: user }] }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = await response.text();
  if (!response.ok) fail(`the endpoint answered ${response.status} ${response.statusText}: ${body.slice(0, 500)}`);
  reply = JSON.parse(body).choices?.[0]?.message?.content;
} catch (e) {
  fail(e.name === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : `the request failed: ${e.message}${e.cause?.message ? ` (${e.cause.message})` : ""}`);
}
if (typeof reply !== "string") fail("the endpoint's answer has no choices[0].message.content");

/** The JSON in the model's reply: a ```json fence if there is one, else from the first `{` to the last `}`. */
function jsonIn(text) {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)```/.exec(text);
  const inner = fenced ? fenced[1] : text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1);
  return JSON.parse(inner);
}

let proposed;
try {
  proposed = jsonIn(reply);
} catch (e) {
  fail(`the model's reply holds no JSON (${e.message}): ${reply.slice(0, 500)}`);
}
const candidates = (Array.isArray(proposed?.candidates) ? proposed.candidates : [])
  .filter((c) => typeof c?.source === "string" && c.source !== "")
  .slice(0, limits.maxCandidates)
  .map((c) => ({ source: c.source, ...(typeof c.name === "string" ? { name: c.name.slice(0, 80) } : {}), ...(typeof c.rationale === "string" ? { rationale: c.rationale.slice(0, 4000) } : {}) }));
process.stdout.write(`${JSON.stringify({ protocol: PROTOCOL, candidates })}\n`);
