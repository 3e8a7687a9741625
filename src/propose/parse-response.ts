/**
 * Reads a proposer's standard output (docs/proposer-protocol.md). Written by
 * hand rather than with a schema validator: ajv is not a runtime dependency,
 * and a proposer's author needs a reason naming the field, not a schema path.
 * It accepts exactly what docs/proposer-response.schema.json accepts (a
 * property test holds the two together), except that a candidate over a cap
 * is dropped with a note instead of failing the whole response.
 */
import { PROTOCOL_VERSION, type ProposedCandidate } from "./protocol.js";

export const MAX_NAME_CHARS = 80;
export const MAX_RATIONALE_CHARS = 4000;
/** How much of a bad output a reason quotes. */
const QUOTED_CHARS = 200;

export type ParsedResponse = { ok: true; candidates: ProposedCandidate[]; notes: string[] } | { ok: false; reason: string };

export function parseResponse(text: string, limits: { maxCandidates: number; maxSourceBytes: number }): ParsedResponse {
  if (text.trim() === "") return { ok: false, reason: "the proposer printed nothing on its standard output; it must print one JSON document" };
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    return { ok: false, reason: `the proposer's output is not JSON (${(e as Error).message}); it must print one JSON document and write anything else to stderr. Received: ${quote(text)}` };
  }
  if (!isObject(value)) return { ok: false, reason: `the proposer's output is ${kind(value)}, not an object like {"protocol": 1, "candidates": [...]}. Received: ${quote(text)}` };
  if (!Object.hasOwn(value, "protocol")) return { ok: false, reason: `the response has no "protocol" field; cdlc speaks protocol ${PROTOCOL_VERSION} ({"protocol": ${PROTOCOL_VERSION}, "candidates": [...]})` };
  if (value.protocol !== PROTOCOL_VERSION) return { ok: false, reason: `the response is for protocol ${quote(JSON.stringify(value.protocol))}; cdlc speaks protocol ${PROTOCOL_VERSION} only` };
  if (!Object.hasOwn(value, "candidates")) return { ok: false, reason: `the response has no "candidates" field (an array, possibly empty)` };
  if (!Array.isArray(value.candidates)) return { ok: false, reason: `"candidates" is ${kind(value.candidates)}, not an array` };

  const candidates: ProposedCandidate[] = [];
  for (const [i, c] of value.candidates.entries()) {
    const at = `candidates[${i}]`;
    if (!isObject(c)) return { ok: false, reason: `${at} is ${kind(c)}, not an object with a "source"` };
    if (typeof c.source !== "string" || c.source === "") return { ok: false, reason: `${at}.source must be a non-empty string (the whole new text of the node); it is ${Object.hasOwn(c, "source") ? kind(c.source) : "missing"}` };
    for (const field of ["name", "rationale"] as const) {
      if (Object.hasOwn(c, field) && typeof c[field] !== "string") return { ok: false, reason: `${at}.${field} must be a string when present; it is ${kind(c[field])}` };
    }
    if (Object.hasOwn(c, "parent") && !(Number.isInteger(c.parent) && (c.parent as number) >= 1)) return { ok: false, reason: `${at}.parent must be the id of a variant in "tried" (a whole number, at least 1) when present; it is ${kind(c.parent)}` };
    const { name, rationale, parent } = c as { name?: string; rationale?: string; parent?: number };
    candidates.push({ source: c.source, ...(name !== undefined ? { name } : {}), ...(rationale !== undefined ? { rationale } : {}), ...(parent !== undefined ? { parent } : {}) });
  }

  const notes: string[] = [];
  if (candidates.length > limits.maxCandidates) {
    notes.push(`${candidates.length} candidates returned; only the first ${limits.maxCandidates} are used (limits.maxCandidates), ${candidates.length - limits.maxCandidates} ignored`);
  }
  const used = candidates.slice(0, limits.maxCandidates).filter((c, i) => {
    const problem = overCap(c, limits.maxSourceBytes);
    if (problem !== undefined) notes.push(`candidates[${i}]${c.name !== undefined ? ` (${quote(c.name)})` : ""} dropped: ${problem}`);
    return problem === undefined;
  });
  return { ok: true, candidates: used, notes };
}

function overCap(c: ProposedCandidate, maxSourceBytes: number): string | undefined {
  const bytes = Buffer.byteLength(c.source, "utf8");
  if (bytes > maxSourceBytes) return `its source is ${bytes} bytes, over limits.maxSourceBytes (${maxSourceBytes})`;
  // Characters as JSON Schema counts them (code points), so that the schema's maxLength and this agree.
  if (c.name !== undefined && codePoints(c.name) > MAX_NAME_CHARS) return `its name is ${codePoints(c.name)} characters, over ${MAX_NAME_CHARS}`;
  if (c.rationale !== undefined && codePoints(c.rationale) > MAX_RATIONALE_CHARS) return `its rationale is ${codePoints(c.rationale)} characters, over ${MAX_RATIONALE_CHARS}`;
  return undefined;
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return typeof v === "string" ? `a string (${quote(JSON.stringify(v))})` : `${typeof v === "number" ? "a number" : typeof v === "boolean" ? "a boolean" : typeof v} (${String(v)})`;
}

function quote(text: string): string {
  return text.length <= QUOTED_CHARS ? text : `${text.slice(0, QUOTED_CHARS)}… (${text.length} characters in all)`;
}
