import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SourceText } from "../../src/diagnostics/index.js";

/** Line and column by counting, the definition `position` must agree with. */
function reference(text: string, offset: number): { line: number; column: number } {
  const o = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < o; i++) {
    const c = text[i];
    if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: o - lineStart + 1 };
}

describe("SourceText.position", () => {
  it("agrees with counting for offsets asked in any order (its remembered line is only a shortcut)", () => {
    const lines = fc.array(fc.string({ maxLength: 12 }), { maxLength: 30 });
    const breaks = fc.constantFrom("\n", "\r\n", "\r");
    fc.assert(
      fc.property(lines, breaks, fc.array(fc.integer({ min: -3, max: 400 }), { maxLength: 40 }), (ls, br, offsets) => {
        const text = ls.join(br);
        const source = new SourceText("f.cdl", text);
        for (const o of offsets) expect(source.position(o)).toEqual(reference(text, o));
        // Ascending, as the compiler asks.
        for (const o of [...offsets].sort((a, b) => a - b)) expect(source.position(o)).toEqual(reference(text, o));
      }),
    );
  });
});
