import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCdl } from "../../src/cdl/format.js";
import { lex, Scanner } from "../../src/cdl/lexer.js";
import { parseCdl } from "../../src/cdl/parse.js";
import { boundKeys, constraintSettingKeys, flowSettingKeys, metrics } from "../../src/cdl/properties.js";
import { quotedSelector, stringSelector } from "../../src/cdl/selector.js";
import { toIr } from "../../src/cdl/compile.js";
import { SourceText, type Diagnostic } from "../../src/diagnostics/index.js";
import { tokenSoup, validCdl, validCdlFiles } from "./arbitraries.js";
import { compileText } from "./helpers.js";

function assertSpansInside(diagnostics: Diagnostic[], text: string) {
  const source = new SourceText("t", text);
  for (const d of diagnostics) {
    const l = d.location;
    expect(l.start).toBeGreaterThanOrEqual(0);
    expect(l.end).toBeGreaterThanOrEqual(l.start);
    expect(l.end).toBeLessThanOrEqual(text.length);
    expect(l.line).toBeGreaterThanOrEqual(1);
    expect(l.line).toBeLessThanOrEqual(source.lineCount);
    expect(l.column).toBeGreaterThanOrEqual(1);
    expect(source.locate(l)).toMatchObject({ line: l.line, column: l.column, endLine: l.endLine, endColumn: l.endColumn });
  }
}

/** Compiles generated text with the files it imports and names as workloads. */
const compileGenerated = (text: string) => compileText(text, validCdlFiles);

/** The IR without source positions, which formatting legitimately moves. */
function meaning(text: string) {
  const r = compileGenerated(text);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const ir = toIr(r.model!);
  return { ...ir, constraints: ir.constraints.map(({ source: _s, ...c }) => c), flows: ir.flows.map(({ source: _s, ...f }) => f) };
}

/** Deletes, duplicates or swaps tokens of a valid file. */
const mutated = validCdl.chain((text) => {
  const tokens = lex(new SourceText("t", text)).tokens.map((t) => text.slice(t.startOffset, (t.endOffset ?? t.startOffset) + 1 + (((t as { unit?: string }).unit ?? "").length ? text.slice((t.endOffset ?? 0) + 1).indexOf((t as { unit?: string }).unit!) + (t as { unit?: string }).unit!.length : 0)));
  const n = tokens.length;
  return fc
    .array(fc.tuple(fc.constantFrom("delete", "duplicate", "swap"), fc.nat({ max: Math.max(0, n - 1) }), fc.nat({ max: Math.max(0, n - 1) })), { minLength: 1, maxLength: 4 })
    .map((edits) => {
      const out = [...tokens];
      for (const [op, i, j] of edits) {
        if (out.length === 0) break;
        const a = i % out.length;
        const b = j % out.length;
        if (op === "delete") out.splice(a, 1);
        else if (op === "duplicate") out.splice(a, 0, out[a]!);
        else [out[a], out[b]] = [out[b]!, out[a]!];
      }
      return out.join(" ");
    });
});

describe("parser and checker properties", () => {
  it("never throw on arbitrary text, and every span lies inside it", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "grapheme", maxLength: 60 }), tokenSoup), (text) => {
        const r = compileText(text);
        assertSpansInside(r.diagnostics.filter((d) => d.location.file === "constraints.cdl"), text);
      }),
      { numRuns: 600 },
    );
  });

  it("never throw on mutated valid files (deleted, duplicated, swapped tokens)", () => {
    fc.assert(
      fc.property(mutated, (text) => {
        const r = compileGenerated(text);
        assertSpansInside(r.diagnostics.filter((d) => d.location.file === "constraints.cdl"), text);
      }),
      { numRuns: 400 },
    );
  });

  it("generated valid files compile without errors", () => {
    fc.assert(
      fc.property(validCdl, (text) => {
        expect(compileGenerated(text).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe("the generator of valid files", () => {
  /** The constructs a generated file uses, read from its syntax tree and its compiled model. */
  function constructs(text: string): string[] {
    const found: string[] = [];
    for (const item of parseCdl(text, "t.cdl").ast.items) {
      found.push(`item ${item.kind}`);
      if (item.kind === "import" || item.kind === "workload") continue;
      const where = item.kind === "flow" ? "flow " : "";
      for (const { key, value } of item.block.properties) {
        found.push(`${where}${key}`);
        if (value.kind === "comparison") found.push(`${where}${key} ${value.op}`);
        if (value.kind === "range") found.push(`${where}${key} ..`);
        if (key === "workload") found.push(`workload: ${value.kind}`);
      }
    }
    const model = compileGenerated(text).model!;
    const ir = toIr(model);
    for (const c of ir.constraints) found.push(`selector ${c.selectorKind}`, ...(c.algorithm.length > 0 ? ["algorithm list"] : []));
    for (const f of ir.flows) if (f.from.includes("#") || f.to.includes("#")) found.push("flow quoted selector");
    if (ir.workloads.length > 0) found.push("workload module");
    // A bound in effect on a constraint but written outside it comes from defaults: of this file, or of an import.
    for (const c of model.constraints) {
      const item = c.origin.location;
      if (item.file !== "constraints.cdl") continue;
      for (const { origin } of c.bounds) {
        if (origin.location.file !== item.file) found.push("default from an import");
        else if (origin.location.start < item.start || origin.location.end > item.end) found.push("default of the file");
      }
    }
    return found;
  }

  // Every bound key with every operator it accepts (`..` for a range), in its context.
  const boundForms = [...boundKeys].flatMap(([key, { metric, sugar }]) => {
    const where = metrics[metric].context === "flow" ? "flow " : "";
    const ops = sugar === "max" ? ["<", "<="] : sugar === "min" ? [">", ">="] : ["<", "<=", ">", ">=", "==", ".."];
    return [`${where}${key}`, ...ops.map((op) => `${where}${key} ${op}`)];
  });
  const everyConstruct = [
    "item import", "item workload", "item defaults", "item constraint", "item flow",
    ...boundForms, ...constraintSettingKeys, ...flowSettingKeys.map((k) => `flow ${k}`), "workload: name", "workload: string",
    "selector name", "selector qualified", "selector path", "selector pattern", "flow quoted selector",
    "algorithm list", "workload module", "default of the file", "default from an import",
  ];

  it("uses every construct of the grammar in a fixed sample", () => {
    // So that "valid files keep their meaning" speaks for the whole language, not for one example.
    const found = new Set(fc.sample(validCdl, { numRuns: 300, seed: 42 }).flatMap(constructs));
    expect(everyConstruct.filter((c) => !found.has(c))).toEqual([]);
  });
});

describe("formatter properties", () => {
  const format = (text: string) => {
    const p = parseCdl(text, "t.cdl");
    expect(p.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return formatCdl(p.ast, text);
  };

  it("is idempotent", () => {
    fc.assert(
      fc.property(validCdl, (text) => {
        const once = format(text);
        expect(format(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps meaning: compile(fmt(x)) equals compile(x)", () => {
    fc.assert(
      fc.property(validCdl, (text) => {
        expect(meaning(format(text))).toEqual(meaning(text));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps every comment", () => {
    fc.assert(
      fc.property(validCdl, (text) => {
        const before = lex(new SourceText("t", text)).comments.map((c) => c.text.trim());
        const after = lex(new SourceText("t", format(text))).comments.map((c) => c.text.trim());
        expect(after).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });
});

describe("compile determinism", () => {
  it("gives byte-identical output across runs", () => {
    fc.assert(
      fc.property(validCdl, (text) => {
        const a = JSON.stringify(toIr(compileGenerated(text).model!));
        const b = JSON.stringify(toIr(compileGenerated(text).model!));
        expect(a).toBe(b);
      }),
      { numRuns: 100 },
    );
  });
});

describe("the checker's rows and the model's objects", () => {
  // toIr reads the rows; graph binding and measurement read the objects made from them. Both must say the same.
  const sameIr = (text: string) => {
    const model = compileGenerated(text).model;
    if (model === undefined) return;
    const fromRows = toIr(model);
    const fromObjects = toIr({ ...model, constraints: model.constraints });
    expect(fromObjects).toEqual(fromRows);
  };

  it("give the same IR for valid files", () => {
    fc.assert(fc.property(validCdl, sameIr), { numRuns: 150 });
  });

  it("give the same IR for mutated files (partial models)", () => {
    fc.assert(fc.property(mutated, sameIr), { numRuns: 150 });
  });
});

describe("line starts found while scanning", () => {
  const pieces = fc.array(fc.constantFrom("a", " ", "\n", "\r", "\r\n", "\t", "/*", "*/", "//", '"', "\\", "1", "ms", "µ", "{", "}", "\u00a0", "\u2028", "x:"), { maxLength: 40 }).map((a) => a.join(""));

  it("are the ones SourceText computes, for any text", () => {
    fc.assert(
      fc.property(fc.oneof(pieces, tokenSoup, validCdl), (text) => {
        const scanner = new Scanner(new SourceText("t", text));
        while (scanner.nextChunk(64).length > 0);
        const reference = new SourceText("t", text);
        expect(Array.from(scanner.lineStarts)).toEqual(Array.from({ length: reference.lineCount }, (_, k) => reference.lineStart(k + 1)));
      }),
      { numRuns: 600 },
    );
    // More lines than the scanner first makes room for.
    const many = "a\n\r\n".repeat(700);
    const scanner = new Scanner(new SourceText("t", many));
    while (scanner.nextChunk(64).length > 0);
    expect(Array.from(scanner.lineStarts)).toEqual([0, ...Array.from({ length: 1400 }, (_, k) => (k % 2 === 0 ? 2 : 4) + 4 * (k >> 1))]);
  });
});

describe("quoted selectors", () => {
  // Pieces that a quoted selector's fast path accepts, and the ones it must leave to the general rules.
  const piece = fc.constantFrom("src", "a", "Cart", "_x", "$y", "9", "-", ".", "..", "/", "./", "#", "*", "**", " ", "\\", "C:", "é", "total", ".ts");
  const quoted = fc.oneof(
    fc.array(piece, { maxLength: 12 }).map((a) => a.join("")),
    fc.tuple(fc.array(fc.constantFrom("src", "lib", "a-b", "x.y", "..", "."), { minLength: 1, maxLength: 3 }), fc.array(fc.constantFrom("Cart", "total", "_a", "$b", "1c", "", "*"), { minLength: 1, maxLength: 3 }))
      .map(([dirs, names]) => `${dirs.join("/")}.ts#${names.join(".")}`),
  );

  it("parse the same on the fast path as by the general rules", () => {
    fc.assert(fc.property(quoted, (text) => {
        expect(stringSelector(text)).toEqual(quotedSelector(text));
      }), { numRuns: 2000 });
    expect(stringSelector("src/a-b/cart.ts#Cart.$total")).toEqual(quotedSelector("src/a-b/cart.ts#Cart.$total"));
    expect(stringSelector("./src/cart.ts#Cart.total")).toEqual({ ok: true, selector: { kind: "path", text: "src/cart.ts#Cart.total", file: "src/cart.ts", name: "Cart.total" } });
  });
});
