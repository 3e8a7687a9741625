/**
 * The proposer protocol's three statements of one contract agree: the types
 * (src/propose/protocol.ts), the JSON Schemas (docs/*.schema.json) and the
 * hand-written response parser, and the page's examples fit the schemas.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseResponse } from "../../src/propose/parse-response.js";
import type { ProposerRequest, ProposerResponse } from "../../src/propose/protocol.js";
import { docExamples, repoRoot } from "./doc-examples.js";

type Schema = Record<string, unknown>;
const schemaOf = (name: string): Schema => JSON.parse(readFileSync(join(repoRoot, "docs", name), "utf8")) as Schema;
const requestSchema = schemaOf("proposer-request.schema.json");
const responseSchema = schemaOf("proposer-response.schema.json");
// Strict mode (the default) also refuses a schema with an unknown keyword or a loose tuple.
const ajv = new Ajv2020({ allErrors: true });
const validRequest = ajv.compile(requestSchema);
const validResponse = ajv.compile(responseSchema);

/** Every optional field made required, all the way down: a fixture of this type holds every field protocol.ts declares. */
type Full<T> = T extends readonly unknown[] ? { [I in keyof T]: Full<T[I]> } : T extends object ? { [K in keyof T]-?: Full<T[K]> } : T;
/** The required fields only, all the way down: tsc refuses an optional field in a fixture of this type. */
type Minimal<T> = T extends readonly unknown[] ? { [I in keyof T]: Minimal<T[I]> } : T extends object ? { [K in keyof T as {} extends Pick<T, K> ? never : K]: Minimal<T[K]> } : T;

const position = { line: 3, column: 1 };
const node = { id: "src/a.ts#f", file: "src/a.ts", qualifiedName: "f", source: "function f(xs: number[]) {\n  return xs.length;\n}", start: position, end: { line: 5, column: 2 }, signature: "function f(xs: number[])" };
const file = { path: "src/a.ts", text: `// a\n\n${node.source}\n` };
const limits = { maxCandidates: 5, maxSourceBytes: 65_536, timeoutMs: 60_000 };

const fullRequest: Full<ProposerRequest> = {
  protocol: 1,
  round: 2,
  node,
  file,
  constraint: { bounds: ["execution_time p95 <= 2 ms"], violated: ["execution_time p95 <= 2 ms"], mutations: ["set_membership"], algorithm: ["src/a.ts#g"] },
  before: { metric: "execution_time", statistic: "p95", value: 3_100_000, interval: [2_900_000, 3_400_000], unit: "ns" },
  cases: { total: 6, shown: [{ args: "[[1,2,3]]", truncated: false }] },
  tried: [
    {
      id: 3,
      origin: "proposer",
      operators: [],
      proposer: "node scripts/proposers/replay.mjs candidates.json",
      name: "wrong",
      verdict: "not-equivalent",
      reason: "result differs",
      firstDifference: { caseIndex: 7, origin: "generated", input: "[[]]", original: "returned 0", variant: "returned 1", where: "result: 0 vs 1", shrunk: true },
      speedup: 1.4,
      source: "function f(xs: number[]) {\n  return xs.length || 1;\n}",
    },
  ],
  limits,
};
const minimalRequest: Minimal<ProposerRequest> = {
  protocol: 1,
  round: 1,
  node,
  file,
  constraint: { bounds: [], violated: [], mutations: "all", algorithm: [] },
  cases: { total: 0, shown: [] },
  tried: [{ id: 1, origin: "operator", verdict: "pending", reason: "", source: node.source }],
  limits,
};
// Both are requests as protocol.ts defines them.
const requests: ProposerRequest[] = [fullRequest, minimalRequest];

const fullResponse: Full<ProposerResponse> = { protocol: 1, candidates: [{ source: "function f() {}", name: "n", rationale: "r", parent: 1 }] };
const minimalResponse: Minimal<ProposerResponse> = { protocol: 1, candidates: [{ source: "function f() {}" }] };

/** The `$defs` entry a `$ref` names, or the schema itself. */
function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref as string | undefined;
  return ref === undefined ? schema : ((root.$defs as Record<string, Schema>)[ref.replace("#/$defs/", "")] ?? {});
}

/** Each object of `value` with the object schema that describes it, found by walking both together. */
function objectsWithSchemas(value: unknown, schema: Schema, root: Schema, where = "$"): { where: string; keys: string[]; properties: string[]; required: string[] }[] {
  const s = resolve(schema, root);
  if (Array.isArray(value) && typeof s.items === "object") return value.flatMap((v, i) => objectsWithSchemas(v, s.items as Schema, root, `${where}[${i}]`));
  if (typeof value !== "object" || value === null || Array.isArray(value) || s.properties === undefined) return [];
  const properties = s.properties as Record<string, Schema>;
  const here = { where, keys: Object.keys(value).sort(), properties: Object.keys(properties).sort(), required: [...((s.required as string[]) ?? [])].sort() };
  return [here, ...Object.entries(value).flatMap(([k, v]) => (properties[k] === undefined ? [] : objectsWithSchemas(v, properties[k], root, `${where}.${k}`)))];
}

const errors = (validate: ValidateFunction) => JSON.stringify(validate.errors);

describe("the request schema", () => {
  it("accepts requests typed by protocol.ts, the fullest and the barest", () => {
    for (const r of requests) expect(validRequest(r), errors(validRequest)).toBe(true);
  });

  it("declares exactly the fields of protocol.ts, and requires exactly its required ones", () => {
    const full = objectsWithSchemas(fullRequest, requestSchema, requestSchema);
    expect(full.map((o) => o.where)).toEqual(["$", "$.node", "$.node.start", "$.node.end", "$.file", "$.constraint", "$.before", "$.cases", "$.cases.shown[0]", "$.tried[0]", "$.limits"]);
    for (const o of full) expect(o.properties, o.where).toEqual(o.keys);
    for (const o of objectsWithSchemas(minimalRequest, requestSchema, requestSchema)) expect(o.required, o.where).toEqual(o.keys);
  });

  const mutated: [string, (r: Record<string, any>) => void][] = [
    ["a missing required field (node.signature)", (r) => delete r.node.signature],
    ["a missing required field (tried)", (r) => delete r.tried],
    ["an extra field at the top", (r) => (r.extra = 1)],
    ["an extra field in a tried variant", (r) => (r.tried[0].risk = 0.2)],
    ["round 0", (r) => (r.round = 0)],
    ["round 1.5", (r) => (r.round = 1.5)],
    ["protocol 2", (r) => (r.protocol = 2)],
    ["a column 0", (r) => (r.node.start.column = 0)],
    ["an interval of three numbers", (r) => r.before.interval.push(1)],
    ["an unknown origin", (r) => (r.tried[0].origin = "oracle")],
    ["mutations neither all, none nor a list", (r) => (r.constraint.mutations = "some")],
  ];
  it.each(mutated)("refuses %s", (_, mutate) => {
    const r = structuredClone(fullRequest) as Record<string, any>;
    mutate(r);
    expect(validRequest(r)).toBe(false);
  });
});

describe("the response schema", () => {
  it("declares exactly the fields of protocol.ts, and requires exactly its required ones", () => {
    expect(validResponse(fullResponse)).toBe(true);
    expect(validResponse(minimalResponse)).toBe(true);
    for (const o of objectsWithSchemas(fullResponse, responseSchema, responseSchema)) expect(o.properties, o.where).toEqual(o.keys);
    for (const o of objectsWithSchemas(minimalResponse, responseSchema, responseSchema)) expect(o.required, o.where).toEqual(o.keys);
  });
});

describe("parseResponse", () => {
  const small = { maxCandidates: 2, maxSourceBytes: 40 };
  const c = (source: string, more: object = {}) => ({ source, ...more });
  type Expected = { ok: false; reason: RegExp } | { ok: true; names: (string | undefined)[]; notes: RegExp[] };
  // `schema`: the response schema's verdict. It has no size limits (they come with each request), so a
  // response over maxCandidates or maxSourceBytes is valid to it while the parser drops what is over.
  const table: { what: string; text: string; parsed: Expected; schema: boolean | "not JSON" }[] = [
    { what: "good", text: JSON.stringify({ protocol: 1, candidates: [c("function f() {}", { name: "a", rationale: "why" })] }), parsed: { ok: true, names: ["a"], notes: [] }, schema: true },
    { what: "extra fields, ignored", text: JSON.stringify({ protocol: 1, model: "m", candidates: [c("function f() {}", { score: 3 })] }), parsed: { ok: true, names: [undefined], notes: [] }, schema: true },
    { what: "no candidates (an empty list is fine)", text: '{"protocol":1,"candidates":[]}', parsed: { ok: true, names: [], notes: [] }, schema: true },
    { what: "no candidates field", text: '{"protocol":1}', parsed: { ok: false, reason: /no "candidates" field/ }, schema: false },
    { what: "candidates not an array", text: '{"protocol":1,"candidates":{"source":"x"}}', parsed: { ok: false, reason: /"candidates" is an object, not an array/ }, schema: false },
    { what: "an empty source", text: '{"protocol":1,"candidates":[{"source":""}]}', parsed: { ok: false, reason: /candidates\[0\]\.source must be a non-empty string/ }, schema: false },
    { what: "a source that is not a string", text: '{"protocol":1,"candidates":[{"source":["x"]}]}', parsed: { ok: false, reason: /source must be .* it is an array/ }, schema: false },
    { what: "a name that is not a string", text: '{"protocol":1,"candidates":[{"source":"x","name":7}]}', parsed: { ok: false, reason: /candidates\[0\]\.name must be a string.*a number \(7\)/ }, schema: false },
    { what: "a parent (the tried variant it builds on)", text: '{"protocol":1,"candidates":[{"source":"x","name":"p","parent":2}]}', parsed: { ok: true, names: ["p"], notes: [] }, schema: true },
    { what: "a parent that is not a variant id", text: '{"protocol":1,"candidates":[{"source":"x","parent":0}]}', parsed: { ok: false, reason: /candidates\[0\]\.parent must be the id of a variant/ }, schema: false },
    { what: "protocol 2", text: '{"protocol":2,"candidates":[]}', parsed: { ok: false, reason: /protocol 2; cdlc speaks protocol 1/ }, schema: false },
    { what: "no protocol", text: '{"candidates":[]}', parsed: { ok: false, reason: /no "protocol" field/ }, schema: false },
    { what: "not JSON", text: "this is not json", parsed: { ok: false, reason: /not JSON .*write anything else to stderr\. Received: this is not json$/ }, schema: "not JSON" },
    { what: "a log line before the JSON", text: 'thinking…\n{"protocol":1,"candidates":[]}', parsed: { ok: false, reason: /not JSON/ }, schema: "not JSON" },
    { what: "nothing", text: " \n", parsed: { ok: false, reason: /printed nothing/ }, schema: "not JSON" },
    { what: "JSON null", text: "null", parsed: { ok: false, reason: /output is null, not an object/ }, schema: false },
    { what: "a number", text: "42", parsed: { ok: false, reason: /output is a number \(42\), not an object/ }, schema: false },
    { what: "an array", text: '[{"source":"x"}]', parsed: { ok: false, reason: /output is an array, not an object/ }, schema: false },
    {
      what: "too many candidates: the first maxCandidates used (schema: no limit)",
      text: JSON.stringify({ protocol: 1, candidates: ["a", "b", "c"].map((n) => c("function f() {}", { name: n })) }),
      parsed: { ok: true, names: ["a", "b"], notes: [/3 candidates returned; only the first 2 are used \(limits\.maxCandidates\), 1 ignored/] },
      schema: true,
    },
    {
      what: "an oversized source, in UTF-8 bytes: that candidate dropped (schema: no limit)",
      text: JSON.stringify({ protocol: 1, candidates: [c("é".repeat(21), { name: "big" }), c("function f() {}", { name: "ok" })] }),
      parsed: { ok: true, names: ["ok"], notes: [/candidates\[0\] \(big\) dropped: its source is 42 bytes, over limits\.maxSourceBytes \(40\)/] },
      schema: true,
    },
    {
      what: "a name over 80 characters: that candidate dropped (the schema refuses the whole response)",
      text: JSON.stringify({ protocol: 1, candidates: [c("x", { name: "n".repeat(81) }), c("y", { name: "🙂".repeat(80) })] }),
      parsed: { ok: true, names: ["🙂".repeat(80)], notes: [/candidates\[0\] .* dropped: its name is 81 characters, over 80/] },
      schema: false,
    },
    {
      what: "a rationale over 4000 characters: that candidate dropped (the schema refuses the whole response)",
      text: JSON.stringify({ protocol: 1, candidates: [c("x", { rationale: "r".repeat(4001) })] }),
      parsed: { ok: true, names: [], notes: [/dropped: its rationale is 4001 characters, over 4000/] },
      schema: false,
    },
  ];

  it.each(table)("$what", ({ text, parsed, schema }) => {
    const r = parseResponse(text, small);
    if (parsed.ok) {
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (!r.ok) return;
      expect(r.candidates.map((x) => x.name)).toEqual(parsed.names);
      expect(r.notes).toHaveLength(parsed.notes.length);
      parsed.notes.forEach((note, i) => expect(r.notes[i]).toMatch(note));
    } else {
      expect(r).toEqual({ ok: false, reason: expect.stringMatching(parsed.reason) });
    }
    if (schema === "not JSON") expect(() => JSON.parse(text)).toThrow();
    else expect(validResponse(JSON.parse(text))).toBe(schema);
  });

  it("quotes at most 200 characters of what it received", () => {
    const r = parseResponse(`oops ${"x".repeat(5000)}`, small);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toContain(`oops ${"x".repeat(195)}… (5005 characters in all)`);
      expect(r.reason).not.toContain("x".repeat(201));
    }
  });

  // With limits that never bite, parsing agrees with the schema. The name and rationale caps are the
  // one documented difference: over them the parser drops the candidate (with a note) where the
  // schema refuses the response.
  const unlimited = { maxCandidates: Number.MAX_SAFE_INTEGER, maxSourceBytes: Number.MAX_SAFE_INTEGER };
  function agreesWithSchema(text: string): void {
    const r = parseResponse(text, unlimited);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      expect(r.ok).toBe(false);
      return;
    }
    const valid = validResponse(value);
    expect(r.ok && r.notes.length === 0, `${text}\n${JSON.stringify(r)}\n${errors(validResponse)}`).toBe(valid);
    if (r.ok && !valid) for (const note of r.notes) expect(note).toMatch(/its (name|rationale) is \d+ characters/);
  }

  it("accepts a JSON value exactly when the schema does, and never throws", () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => agreesWithSchema(JSON.stringify(v))), { numRuns: 500 });
  });

  it("accepts any text exactly when the schema does, and never throws", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), agreesWithSchema), { numRuns: 300 });
  });

  it("accepts a response-shaped object exactly when the schema does, and never throws", () => {
    const anything = fc.jsonValue({ maxDepth: 2 });
    const text = (maxLength: number) => fc.string({ unit: "binary", maxLength });
    const mostly = <T>(usual: fc.Arbitrary<T>, other: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: usual, weight: 8 }, { arbitrary: other, weight: 1 });
    const candidate = mostly(
      fc.record({ source: mostly(text(20), anything), name: mostly(mostly(text(90), fc.constant("n".repeat(81))), anything), rationale: mostly(text(20), anything), extra: anything }, { requiredKeys: [] }),
      anything,
    );
    const fields = {
      protocol: mostly(fc.constant(1), fc.oneof(fc.constant("1"), anything)),
      candidates: mostly(fc.array(candidate, { maxLength: 4 }), anything),
      extra: anything,
    };
    const response = mostly(fc.record(fields, { requiredKeys: ["protocol", "candidates"] }), fc.record(fields, { requiredKeys: [] }));
    fc.assert(fc.property(response, (v) => agreesWithSchema(JSON.stringify(v))), { numRuns: 1000 });
  });
});

describe("the examples in docs/proposer-protocol.md", () => {
  const examples = docExamples();

  it("has a request, a response and a replay file", () => {
    expect([examples.request.length, examples.response.length, examples.replay.length]).toEqual([1, 1, 1]);
  });

  it("the request fits the request schema, and its node stands in its file where start and end say", () => {
    for (const r of examples.request) {
      expect(validRequest(r), errors(validRequest)).toBe(true);
      const { node, file } = r as ProposerRequest;
      const lines = file.text.split("\n");
      const offset = (p: { line: number; column: number }) => lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
      expect(file.text.slice(offset(node.start), offset(node.end))).toBe(node.source);
    }
  });

  it("the response fits the response schema and is parsed without notes", () => {
    for (const r of examples.response) {
      expect(validResponse(r), errors(validResponse)).toBe(true);
      expect(parseResponse(JSON.stringify(r), limits)).toMatchObject({ ok: true, notes: [] });
    }
  });

  it("the replay file's candidates fit the response schema", () => {
    for (const f of examples.replay as { protocol: number; nodes: Record<string, unknown[][]> }[]) {
      expect(f.protocol).toBe(1);
      for (const rounds of Object.values(f.nodes)) for (const candidates of rounds) expect(validResponse({ protocol: 1, candidates }), errors(validResponse)).toBe(true);
    }
  });
});
