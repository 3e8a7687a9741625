import type { NodePath } from "@babel/traverse";
import { describe, expect, it } from "vitest";
import { traverse } from "../../src/measure/babel-util.js";
import { enclosingLoops, whyVaries } from "../../src/mutate/loops.js";
import { locateFunction, parseSource } from "../../src/mutate/source.js";

/** whyVaries for the first `xs` read as the object of `xs.includes(…)` in f's innermost loop. */
function varies(code: string): string | undefined {
  const ast = parseSource("m.ts", code);
  const fn = locateFunction(ast, "f");
  if ("reason" in fn) throw new Error(fn.reason);
  let target: NodePath | undefined;
  traverse(ast, {
    MemberExpression(p) {
      if (target === undefined && p.get("property").isIdentifier({ name: "includes" })) target = p.get("object");
    },
  });
  const [loop] = enclosingLoops(target!, fn);
  return whyVaries(target!, loop!);
}

describe("whyVaries", () => {
  it("sees no change for a parameter nothing assigns", () => {
    expect(varies("function f(xs: number[], ys: number[]) { let n = 0; for (const y of ys) if (xs.includes(y)) n++; return n; }")).toBeUndefined();
  });
  it("sees an assignment inside the loop", () => {
    expect(varies("function f(xs: number[], ys: number[]) { let n = 0; for (const y of ys) { if (xs.includes(y)) n++; xs = []; } return n; }")).toMatch(/`xs` is assigned inside the loop \(line 1\)/);
  });
  it("sees an assignment in a closure the loop may call", () => {
    const code = "function f(xs: number[], ys: number[]) {\n  const reset = () => { xs = []; };\n  let n = 0;\n  for (const y of ys) { if (xs.includes(y)) n++; reset(); }\n  return n;\n}";
    expect(varies(code)).toMatch(/`xs` is assigned in another function the loop may call \(line 2\)/);
  });
  it("sees a property read change when the loop calls other code", () => {
    expect(varies("function f(o: { xs: number[] }, ys: number[], g: () => void) { let n = 0; for (const y of ys) { if (o.xs.includes(y)) n++; g(); } return n; }")).toMatch(/calls other code/);
  });
});

describe("whyVaries, loop variables", () => {
  it("sees a for…of variable change in every iteration", () => {
    expect(varies("function f(groups: { xs: number[] }[], y: number) { let n = 0; for (const g of groups) if (g.xs.includes(y)) n++; return n; }")).toMatch(/`g` is declared inside the loop/);
  });
});
