import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { editsCachePath, keepEdits, readEditsCache } from "../../src/record/edits-cache.js";
import type { MatchedFile } from "../../src/record/file-matcher.js";
import * as instrumenter from "../../src/record/instrument-file.js";
import { instrumentSource } from "../../src/record/instrument-source.js";
import { editsKey, instrumentMatched, INSTRUMENT_FORMAT, type PreparedEdits } from "../../src/record/prepared-edits.js";
import { VERSION } from "../../src/version.js";

const dir = mkdtempSync(join(tmpdir(), "cdlc-prepared-edits-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const source = `"use strict";
export function total(xs: number[]): number { let s = 0; for (const x of xs) s += x; return s; }
export const twice = (n: number) => n * 2;
export class Cart { lines: number[] = []; async load(id: string) { return fetchLines(id); } count() { return this.lines.length; } }
async function fetchLines(id: string) { return [id.length]; }
`;
const matched = (prepared?: PreparedEdits[], nodes = [{ index: 0, qualifiedName: "total" }, { index: 1, qualifiedName: "twice" }, { index: 2, qualifiedName: "Cart.load" }, { index: 3, qualifiedName: "Cart.count" }]): MatchedFile => ({
  source: "/p/src/cart.ts",
  nodes,
  typescript: true,
  jsx: false,
  ...(prepared !== undefined ? { prepared } : {}),
});
const noArgs = new Set<number>();
const never = (): typeof instrumenter => {
  throw new Error("the parser was loaded");
};

describe("edits prepared by an earlier run", () => {
  it("instrument exactly as parsing does, without loading the parser", () => {
    const parsed = instrumentMatched(matched(), source, noArgs, () => instrumenter)!;
    expect(parsed.fresh).toBeDefined();
    expect(parsed.outcome.instrumented).toEqual([0, 1, 2, 3]);
    const reused = instrumentMatched(matched([parsed.fresh!]), source, noArgs, never)!;
    expect(reused.fresh).toBeUndefined();
    expect(reused.outcome).toEqual(parsed.outcome);
  });

  it("are applied only to the very text and nodes they were made for (else the file is parsed)", () => {
    const fresh = instrumentMatched(matched(), source, noArgs, () => instrumenter)!.fresh!;
    const other = [
      () => instrumentMatched(matched([fresh]), source.replace("s += x", "s += x "), noArgs, never),
      () => instrumentMatched(matched([fresh], [{ index: 1, qualifiedName: "total" }]), source, noArgs, never),
      () => instrumentMatched(matched([fresh]), source, new Set([0]), never),
      () => instrumentMatched({ ...matched([fresh]), typescript: false }, source, noArgs, never),
    ];
    for (const attempt of other) expect(attempt).toThrow("the parser was loaded");
  });

  it("have a key that changes with any one character of the text", () => {
    fc.assert(
      fc.property(fc.nat(source.length - 1), fc.string({ minLength: 1, maxLength: 1 }), (at, c) => {
        fc.pre(source[at] !== c);
        const changed = source.slice(0, at) + c + source.slice(at + 1);
        expect(editsKey(matched(), changed, noArgs)).not.toBe(editsKey(matched(), source, noArgs));
      }),
    );
  });

  it("leave a file instrumented already as it is", () => {
    const once = instrumentMatched(matched(), source, noArgs, () => instrumenter)!;
    expect(instrumentMatched(matched(), once.outcome.code, noArgs, () => instrumenter)).toBeUndefined();
  });
});

describe("the instrumentation format kept edits are checked against", () => {
  // Kept edits are applied as they were made; only INSTRUMENT_FORMAT tells an old text from a new one. If this
  // test fails, the inserted text changed: bump INSTRUMENT_FORMAT (so that edits kept before are dropped) and
  // update both figures here.
  it("is the one whose text the instrumenter inserts now", () => {
    const out = instrumentSource("export function f(a) { return a; }\nexport const g = async (b) => b;\n", {
      nodes: [
        { index: 0, qualifiedName: "f" },
        { index: 1, qualifiedName: "g" },
      ],
      typescript: false,
      passArgs: new Set([1]),
    });
    expect({ format: INSTRUMENT_FORMAT, texts: out.inserts.map((i) => i.text) }).toEqual({
      format: 1,
      texts: [
        " ;const __cdlc_t = __cdlc_r === undefined ? -2 : __cdlc_r.e(0); try {",
        " } catch (__cdlc_x) { if (__cdlc_t !== -2) __cdlc_r.x(0); throw __cdlc_x; } finally { if (__cdlc_t !== -2) __cdlc_r.l(0, __cdlc_t); } ",
        " { ;const __cdlc_t = __cdlc_r === undefined ? -2 : __cdlc_r.e(1, [b]); let __cdlc_v, __cdlc_p = false; try { return ",
        "(__cdlc_v = (",
        "), __cdlc_t !== -2 && __cdlc_v instanceof Promise ? ((__cdlc_p = true), __cdlc_r.a(1, __cdlc_t, __cdlc_v)) : __cdlc_v)",
        "; } catch (__cdlc_x) { if (__cdlc_t !== -2) __cdlc_r.x(1); throw __cdlc_x; } finally { if (__cdlc_t !== -2 && !__cdlc_p) __cdlc_r.l(1, __cdlc_t); } }",
        ";var __cdlc_r = globalThis.__cdlcRecorder;",
      ],
    });
  });
});

describe("the kept edits (.cdl/cache/record-edits.json)", () => {
  const root = join(dir, "project");
  const plan = { nodes: [{ id: "src/a.ts#f", file: join(root, "src", "a.ts"), qualifiedName: "f" }] };
  const edits = (key: string): PreparedEdits => ({ key, inserts: [{ at: 3, text: "x" }], instrumented: [0], skipped: [] });

  it("come back for the plan's sources, newest first, a few per source, one per text", () => {
    for (let i = 0; i < 12; i++) keepEdits(root, [{ source: join(root, "src", "a.ts"), edits: edits(`k${i % 10}`) }]);
    const kept = readEditsCache(root, plan)![join(root, "src", "a.ts")]!;
    expect(kept.map((e) => e.key)).toEqual(["k1", "k0", "k9", "k8", "k7", "k6", "k5", "k4"]);
    expect(readEditsCache(root, { nodes: [{ ...plan.nodes[0]!, file: join(root, "src", "b.ts") }] })).toBeUndefined();
  });

  it("are dropped when malformed or made by another version or format", () => {
    const path = editsCachePath(root);
    const write = (cache: unknown) => writeFileSync(path, JSON.stringify(cache));
    const bySource = { "src/a.ts": [edits("good"), { key: "bad", inserts: [{ at: -1, text: "x" }], instrumented: [], skipped: [] }] };
    write({ tool: VERSION, format: INSTRUMENT_FORMAT, bySource });
    expect(readEditsCache(root, plan)![join(root, "src", "a.ts")]!.map((e) => e.key)).toEqual(["good"]);
    write({ tool: VERSION, format: INSTRUMENT_FORMAT + 1, bySource });
    expect(readEditsCache(root, plan)).toBeUndefined();
    write({ tool: "0.0.0-other", format: INSTRUMENT_FORMAT, bySource });
    expect(readEditsCache(root, plan)).toBeUndefined();
    writeFileSync(path, "{ not json");
    expect(readEditsCache(root, plan)).toBeUndefined();
    // Keeping replaces an unreadable cache rather than failing.
    keepEdits(root, [{ source: join(root, "src", "a.ts"), edits: edits("new") }]);
    expect(JSON.parse(readFileSync(path, "utf8")).bySource["src/a.ts"].map((e: PreparedEdits) => e.key)).toEqual(["new"]);
  });
});
