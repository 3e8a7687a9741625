import { describe, expect, it } from "vitest";
import { outputPathOf, specifierRewriter } from "../../src/measure/specifiers.js";

describe("specifiers in a build", () => {
  const sources = new Set(["src/a.ts", "src/b.mts", "src/dir/index.ts", "src/c.js", "src/data.json", "bench/w.ts"]);
  const rewrite = specifierRewriter("src/a.ts", sources);

  it.each([
    ["./c.js", "./c.js"],
    ["./a.js", "./a.js"],
    ["./a.ts", "./a.js"],
    ["./a", "./a.js"],
    ["./b.mjs", "./b.mjs"],
    ["./b.mts", "./b.mjs"],
    ["./dir", "./dir/index.js"],
    ["./data.json", "./data.json"],
    ["../bench/w.ts", "../bench/w.js"],
  ])("%s → %s", (from, to) => {
    expect(rewrite(from) ?? from).toBe(to);
  });

  it("leaves bare and unknown specifiers alone", () => {
    expect(rewrite("node:fs")).toBeUndefined();
    expect(rewrite("lodash")).toBeUndefined();
    expect(rewrite("./missing")).toBeUndefined();
  });

  it("maps output paths", () => {
    expect(outputPathOf("src/x.tsx")).toBe("src/x.js");
    expect(outputPathOf("src/x.cts")).toBe("src/x.cjs");
    expect(outputPathOf("src/x.js")).toBe("src/x.js");
  });
});
