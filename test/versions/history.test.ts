/**
 * Any sequence of stage, apply, stopped apply and rollback, checked against
 * a model: the program "as of" version v is what you get by applying, in
 * number order, every version up to v that was ever applied (version 0 is
 * the program as found). Rollback must restore exactly that; apply must
 * succeed whenever its files hold their old texts and no later applied
 * version changed them, and write nothing when it refuses.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { applyVersion, listVersions, rollbackTo, stageVersion, VersionError } from "../../src/versions/index.js";
import { makeProject, read, removeProjects } from "./helpers.js";

afterAll(removeProjects);

const files = ["a.ts", "src/b.ts", "src/c.ts"] as const;
const initial = (f: string) => `${f} 0\n`;
// Few texts per file, so that versions often write a text an earlier one wrote.
const text = (f: string, k: number) => `${f} ${k}\n`;

type Op =
  | { kind: "stage"; files: number[]; texts: number[] }
  | { kind: "apply"; pick: number }
  | { kind: "stop"; pick: number; written: number[] }
  | { kind: "rollback"; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("stage" as const), files: fc.uniqueArray(fc.nat(2), { minLength: 1, maxLength: 3 }), texts: fc.array(fc.nat(3), { minLength: 3, maxLength: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("apply" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("stop" as const), pick: fc.nat(), written: fc.uniqueArray(fc.nat(2), { maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("rollback" as const), pick: fc.nat() }) },
);

interface ModelVersion {
  n: number;
  before: Map<string, string>;
  after: Map<string, string>;
  everApplied: boolean;
}

class Model {
  versions: ModelVersion[] = [];
  constructor(readonly root: string) {}

  current(): Map<string, string> {
    return new Map(files.map((f) => [f, read(this.root, f).toString()]));
  }

  /** The model's definition: every version ≤ v ever applied, in number order, over the program as found. */
  asOf(v: number): Map<string, string> {
    const state = new Map<string, string>(files.map((f) => [f, initial(f)]));
    for (const m of this.versions) if (m.n <= v && m.everApplied) for (const [f, t] of m.after) state.set(f, t);
    return state;
  }

  applicable(v: ModelVersion, now: Map<string, string>): boolean {
    if (v.everApplied) return false;
    const heldBefore = [...v.before].every(([f, t]) => now.get(f) === t);
    const later = this.versions.some((m) => m.n > v.n && m.everApplied && [...m.after.keys()].some((f) => v.after.has(f)));
    return heldBefore && !later;
  }

  run(o: Op): void {
    const now = this.current();
    if (o.kind === "stage") {
      const changes = o.files.map((i) => files[i]!).map((f, k) => [f, text(f, o.texts[k]!)] as const).filter(([f, t]) => now.get(f) !== t);
      if (changes.length === 0) return;
      const made = stageVersion(this.root, { files: changes.map(([path, after]) => ({ path, before: now.get(path)!, after })), nodes: [] });
      if (this.versions.length === 0) this.versions.push({ n: 0, before: new Map(), after: new Map(), everApplied: true });
      expect(made.version).toBe(this.versions.length);
      this.versions.push({ n: made.version, before: new Map(changes.map(([f]) => [f, now.get(f)!])), after: new Map(changes), everApplied: false });
      expect(this.current()).toEqual(now);
      return;
    }
    if (this.versions.length === 0) return;
    const v = this.versions[o.pick % this.versions.length]!;
    if (o.kind === "stop") {
      // What an apply killed after some renames leaves; applying again must finish it.
      if (!this.applicable(v, now)) return;
      for (const i of o.written) {
        const f = files[i]!;
        if (v.after.has(f)) writeFileSync(join(this.root, f), v.after.get(f)!);
      }
    }
    if (o.kind === "apply" || o.kind === "stop") {
      const must = this.applicable(v, now);
      let refused: unknown;
      try {
        applyVersion(this.root, v.n);
      } catch (e) {
        refused = e;
      }
      if (refused !== undefined) {
        expect(refused, `apply ${v.n} refused: ${String(refused)}`).toBeInstanceOf(VersionError);
        expect(must, `apply ${v.n} must succeed, but: ${String(refused)}`).toBe(false);
        expect(this.current()).toEqual(now);
        return;
      }
      const expected = new Map(now);
      if (!v.everApplied) for (const [f, t] of v.after) expected.set(f, t);
      expect(this.current()).toEqual(expected);
      v.everApplied = true;
      return;
    }
    // rollback
    if (!v.everApplied) {
      expect(() => rollbackTo(this.root, v.n)).toThrow(/was never applied/);
      return;
    }
    const made = rollbackTo(this.root, v.n);
    const wanted = this.asOf(v.n);
    expect(this.current(), `rollback to ${v.n}`).toEqual(wanted);
    if (made === undefined) {
      expect(now).toEqual(wanted);
      return;
    }
    expect(made.version).toBe(this.versions.length);
    const changes = files.filter((f) => now.get(f) !== wanted.get(f));
    expect(made.files.map((f) => f.path)).toEqual(changes);
    this.versions.push({ n: made.version, before: new Map(changes.map((f) => [f, now.get(f)!])), after: new Map(changes.map((f) => [f, wanted.get(f)!])), everApplied: true });
  }
}

describe("versions against a model", () => {
  it("rollback restores exactly the program as of the version; apply refuses only when it must", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 14 }), (ops) => {
        const root = makeProject(Object.fromEntries(files.map((f) => [f, initial(f)])));
        try {
          const model = new Model(root);
          for (const o of ops) {
            model.run(o);
            // Every manifest parses, and no version is left half-applied.
            expect(listVersions(root).filter((v) => v.partial)).toEqual([]);
          }
          // Finally: back to every version ever applied, newest first, then to the start.
          for (const v of [...model.versions].reverse()) if (v.everApplied) model.run({ kind: "rollback", pick: v.n });
          expect(model.current()).toEqual(model.asOf(0));
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 60, seed: 20251202 },
    );
  });
});
