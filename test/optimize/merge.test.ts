import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { changedSpan, mergeChanges } from "../../src/optimize/merge.js";
import { positionOf } from "../../src/util/text-position.js";

const original = "function a() {\n  return 1;\n}\n\nfunction b() {\n  return 2;\n}\n";
const withA = original.replace("return 1;", "return 1 + 0;");
const withB = original.replace("return 2;", "const two = 2;\n  return two;");

describe("mergeChanges", () => {
  it("finds the one span a variant changes", () => {
    const s = changedSpan(original, withA);
    expect(original.slice(0, s.start) + s.text + original.slice(s.end)).toBe(withA);
    expect(s.end - s.start).toBeLessThan(original.length);
  });

  it("combines the variants of two nodes of one file, in either order", () => {
    const both = original.replace("return 1;", "return 1 + 0;").replace("return 2;", "const two = 2;\n  return two;");
    for (const changes of [[{ node: "a", source: withA }, { node: "b", source: withB }], [{ node: "b", source: withB }, { node: "a", source: withA }]]) {
      const m = mergeChanges(original, changes);
      expect(m.text).toBe(both);
      expect(m.refused).toEqual([]);
      expect(new Set(m.taken)).toEqual(new Set(["a", "b"]));
    }
  });

  it("refuses a change that overlaps one already taken, and says whose", () => {
    const alsoA = original.replace("return 1;", "return 2 - 1;");
    const m = mergeChanges(original, [{ node: "a", source: withA }, { node: "a2", source: alsoA }]);
    expect(m.text).toBe(withA);
    expect(m.refused).toEqual([{ node: "a2", reason: expect.stringMatching(/overlaps the one accepted for a/) }]);
  });

  it("keeps the file byte for byte outside the changes (CRLF, no final newline)", () => {
    const crlf = "function a() {\r\n  return 1;\r\n}";
    const m = mergeChanges(crlf, [{ node: "a", source: crlf.replace("1", "1 + 0") }]);
    expect(m.text).toBe("function a() {\r\n  return 1 + 0;\r\n}");
  });

  it("gives the text of both changes for any two edits of distinct lines at least one line apart", () => {
    // Distinct lines: with repeated ones, which copy an edit touched is ambiguous (and then refusing is right).
    const line = fc.stringMatching(/^[a-z (){};=0-9]{0,12}$/);
    const edit = (tag: string) => fc.array(line.map((l) => `${tag}${l}`), { maxLength: 3 });
    fc.assert(
      fc.property(fc.uniqueArray(line, { minLength: 3, maxLength: 12 }), edit("A:"), edit("B:"), fc.nat(), fc.nat(), (lines, newA, newB, x, y) => {
        // Edit A replaces line i, edit B replaces line k > i + 1: a line between them stays.
        const i = x % (lines.length - 2);
        const k = i + 2 + (y % (lines.length - i - 2));
        const join = (ls: string[]) => ls.map((l) => `${l}\n`).join("");
        const original = join(lines);
        const a = join([...lines.slice(0, i), ...newA, ...lines.slice(i + 1)]);
        const b = join([...lines.slice(0, k), ...newB, ...lines.slice(k + 1)]);
        const both = join([...lines.slice(0, i), ...newA, ...lines.slice(i + 1, k), ...newB, ...lines.slice(k + 1)]);
        const m = mergeChanges(original, [{ node: "a", source: a }, { node: "b", source: b }]);
        expect(m.refused).toEqual([]);
        expect(m.text).toBe(both);
      }),
    );
  });

  it("places an offset at its 1-based line and column", () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(), (text, k) => {
        const offset = k % (text.length + 1);
        const { line, column } = positionOf(text, offset);
        const lines = text.split(/(?<=\n)/);
        expect(lines.slice(0, line - 1).join("").length + column - 1).toBe(offset);
      }),
    );
  });
});
