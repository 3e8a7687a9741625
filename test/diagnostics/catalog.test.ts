import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allDefinitions, catalog } from "../../src/diagnostics/index.js";

const baselinesDir = new URL("../golden/baselines/", import.meta.url).pathname;

describe("diagnostic catalog", () => {
  it("has unique codes and names", () => {
    const codes = allDefinitions.map((d) => d.code);
    expect(new Set(codes).size).toBe(codes.length);
    const names = allDefinitions.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("uses the CDLnnnn code form and kebab-case names", () => {
    for (const d of allDefinitions) {
      expect(d.code).toMatch(/^CDL\d{4}$/);
      expect(d.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(d.explanation.length).toBeGreaterThan(40);
    }
  });

  it("lists every group's entries", () => {
    const count = Object.values(catalog).reduce((n, g) => n + Object.keys(g).length, 0);
    expect(allDefinitions.length).toBe(count);
  });

  it("has a golden test for every code", () => {
    const baselines = readdirSync(baselinesDir).map((f) => readFileSync(join(baselinesDir, f), "utf8")).join("\n");
    const missing = allDefinitions.filter((d) => !baselines.includes(`[${d.code}]`)).map((d) => d.code);
    expect(missing).toEqual([]);
  });
});
