import { describe, it } from "vitest";
import { earlyExit } from "../../src/mutate/operators/early-exit.js";
import { expectNoVariant, expectVariants } from "./helpers.js";

describe("early_exit: applies", () => {
  const cases: [string, string, string[]][] = [
    ["length > 0 → some", "function f(xs: number[]) { return xs.filter((x) => x > 2).length > 0; }", ["function f(xs: number[]) { return xs.some((x) => x > 2); }"]],
    ["length !== 0, function callback with a block body", "function f(xs: number[]) { return xs.filter(function (x) { return x > 2; }).length !== 0; }", ["function f(xs: number[]) { return xs.some(function (x) { return x > 2; }); }"]],
    ["0 < length, written the other way round", "const f = (xs: string[]) => 0 < xs.filter((s) => s === 'a').length;", ["(xs: string[]) => xs.some((s) => s === 'a')"]],
    ["length >= 1", "function f(xs: number[]) { return xs.filter((x) => x % 2 === 0).length >= 1; }", ["function f(xs: number[]) { return xs.some((x) => x % 2 === 0); }"]],
    ["length === 0 → !some", "function f(xs: number[]) { return xs.filter((x) => x > 2).length === 0; }", ["function f(xs: number[]) { return !xs.some((x) => x > 2); }"]],
    ["length < 1 → !some", "function f(xs: number[]) { if (xs.filter((x) => x > 2).length < 1) return 1; return 2; }", ["function f(xs: number[]) { if (!xs.some((x) => x > 2)) return 1; return 2; }"]],
    ["a bare length in a condition", "function f(xs: number[]) { return xs.filter((x) => x > 2).length ? 'yes' : 'no'; }", ["function f(xs: number[]) { return xs.some((x) => x > 2) ? 'yes' : 'no'; }"]],
    ["[0] → find, destructured parameter and thisArg kept", "function f(users: { id: number }[], ctx: object) { return users.filter(({ id }) => id > 3, ctx)[0]; }", ["function f(users: { id: number }[], ctx: object) { return users.find(({ id }) => id > 3, ctx); }"]],
    ["optional chaining keeps false for a nullish array", "function f(xs?: number[]) { return xs?.filter((x) => x > 2).length > 0; }", ["function f(xs?: number[]) { return (xs?.some((x) => x > 2) === true); }"]],
    ["a method, with a TypeScript assertion in the predicate", "class C { items: unknown[] = []; has() { return this.items.filter((i) => (i as number) > 1).length > 0; } }", ["has() { return this.items.some((i) => (i as number) > 1); }"]],
  ];
  for (const [title, code, expected] of cases) it(title, () => expectVariants(earlyExit, code, expected, title.startsWith("a method") ? "C.has" : "f"));

  it("rewrites each site, and all of them at once", () => {
    const code = "function f(xs: number[]) {\n  const a = xs.filter((x) => x > 1).length > 0;\n  const b = xs.filter((x) => x < 0)[0];\n  return [a, b];\n}";
    expectVariants(earlyExit, code, [
      "function f(xs: number[]) {\n  const a = xs.some((x) => x > 1);\n  const b = xs.filter((x) => x < 0)[0];\n  return [a, b];\n}",
      "function f(xs: number[]) {\n  const a = xs.filter((x) => x > 1).length > 0;\n  const b = xs.find((x) => x < 0);\n  return [a, b];\n}",
      "function f(xs: number[]) {\n  const a = xs.some((x) => x > 1);\n  const b = xs.find((x) => x < 0);\n  return [a, b];\n}",
    ]);
  });
});

describe("early_exit: does not apply", () => {
  it("when the predicate has a side effect: some() would call it fewer times", () =>
    expectNoVariant(earlyExit, "let n = 0;\nfunction f(xs: number[]) { return xs.filter((x) => { n++; return x > 2; }).length > 0; }", /side effect \(`n\+\+`, line 2\)/));
  it("when the predicate calls other code", () => expectNoVariant(earlyExit, "function f(xs: number[], p: (x: number) => boolean) { return xs.filter((x) => p(x)).length > 0; }", /side effect \(`p\(x\)`/));
  it("when the predicate is not a function literal", () => expectNoVariant(earlyExit, "function f(xs: number[], p: (x: number) => boolean) { return xs.filter(p).length > 0; }", /not a function literal/));
  it("when the length is used as a number", () => expectNoVariant(earlyExit, "function f(xs: number[]) { return xs.filter((x) => x > 2).length; }", /no `filter\(…\)\.length` tested against 0/));
  it("when the length is compared with another number", () => expectNoVariant(earlyExit, "function f(xs: number[]) { return xs.filter((x) => x > 2).length > 1; }", /no `filter/));
  it("for an async predicate (its promise is always truthy, but a rewrite changes when it runs)", () =>
    expectNoVariant(earlyExit, "function f(xs: number[]) { return xs.filter(async (x) => x > 2).length > 0; }", /side effect/));
});
