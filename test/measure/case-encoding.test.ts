import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCase, encodeCase } from "../../src/measure/case-encoding.js";

describe("encoded cases (recorded argument lists)", () => {
  it("round-trip every structured-clone value, each decode a fresh copy", () => {
    const value = fc.oneof(fc.jsonValue(), fc.date({ noInvalidDate: true }), fc.bigInt(), fc.constantFrom(undefined, NaN, -0, Infinity));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 4 }), (args) => {
        const { encoded } = encodeCase(args);
        const a = decodeCase(encoded);
        expect(a.args).toEqual(args);
        expect(a.hasThis).toBe(false);
        if (args.length > 0 && typeof args[0] === "object" && args[0] !== null) expect(decodeCase(encoded).args[0]).not.toBe(a.args[0]);
      }),
      { numRuns: 100 },
    );
  });

  it("keeps a receiver, Maps and Sets", () => {
    const { encoded } = encodeCase([new Map([["k", new Set([1])]])], { total: 3 });
    expect(decodeCase(encoded)).toEqual({ args: [new Map([["k", new Set([1])]])], thisArg: { total: 3 }, hasThis: true });
  });

  it.each([
    ["a class instance argument", () => encodeCase([new (class Cart {})()])],
    ["a class instance receiver", () => encodeCase([], new (class Cart {})())],
    ["a class instance deep inside", () => encodeCase([{ lines: [new Map([[1, new (class Line {})()]])] }])],
    ["a function", () => encodeCase([() => 1])],
  ])("refuses %s (a copy would not behave as the program's value)", (_, encode) => {
    expect(encode).toThrow();
  });

  it("says a damaged entry is damaged", () => {
    expect(() => decodeCase(Buffer.from("nope").toString("base64"))).toThrow();
    expect(() => decodeCase(encodeCase([1]).encoded.slice(0, 4))).toThrow();
  });
});
