import { describe, expect, it } from "vitest";
import { codes, compileText, irOf } from "./helpers.js";
import { checkCdl, compileCdl, createMemoryHost, loadCdl, toIr } from "../../src/cdl/index.js";
import { sortDiagnostics } from "../../src/diagnostics/index.js";

const one = (body: string) => `constraint sortUsers { ${body} }`;

describe("units and conversions", () => {
  it.each([
    ["max_execution_time: 10ms", 10_000_000, "ns"],
    ["max_execution_time: 200us", 200_000, "ns"],
    ["max_execution_time: 200 µs", 200_000, "ns"],
    ["max_execution_time: 1.1ms", 1_100_000, "ns"],
    ["max_execution_time: 2min", 120_000_000_000, "ns"],
    ["max_execution_time: 1_500ns", 1_500, "ns"],
    ["max_memory_usage: 1MB", 1_000_000, "B"],
    ["max_memory_usage: 1.5KiB", 1_536, "B"],
    ["max_memory_usage: 2GiB", 2 * 1024 ** 3, "B"],
    ["error_rate: < 0.1%", 0.001, "ratio"],
    ["max_error_rate: 100%", 1, "ratio"],
    ["min_throughput: 50000/s", 50_000, "per_s"],
  ])("%s", (prop, value, unit) => {
    const ir = irOf(one(prop));
    expect(ir.constraints[0]!.bounds[0]).toMatchObject({ value, unit });
  });

  it("compiles a range to two bounds and plain metrics to their natural direction", () => {
    const ir = irOf(one("execution_time: 1ms..5ms, throughput: 10/s, memory_usage: 3KB"));
    expect(ir.constraints[0]!.bounds.map((b) => [b.metric, b.op, b.value])).toEqual([
      ["execution_time", ">=", 1_000_000],
      ["execution_time", "<=", 5_000_000],
      ["throughput", ">=", 10],
      ["memory_usage", "<=", 3000],
    ]);
  });

  it("applies the percentile to execution_time only, p95 by default", () => {
    const ir = irOf(`${one("max_execution_time: 1ms, max_memory_usage: 1MB, percentile: p99")}\nconstraint b { max_execution_time: 1ms }`);
    expect(ir.constraints[0]!.bounds[0]!.percentile).toBe("p99");
    expect(ir.constraints[0]!.bounds[1]!.percentile).toBeUndefined();
    expect(ir.constraints[1]!.bounds[0]!.percentile).toBe("p95");
  });
});

describe("section 5 rules", () => {
  it.each([
    ["unknown key", one("max_exec_time: 1ms"), "CDL0101"],
    ["unknown unit, direct", one("max_execution_time: 10parsecs"), "CDL0102"],
    ["unknown unit, after spaces", one("max_execution_time: 10 parsecs"), "CDL0102"],
    ["wrong kind", one("max_execution_time: 1MB"), "CDL0103"],
    ["number without unit", one("max_execution_time: 10"), "CDL0103"],
    ["ratio without %", one("error_rate: < 0.1"), "CDL0104"],
    ["ratio above 100%", one("error_rate: < 120%"), "CDL0105"],
    ["negative", one("max_execution_time: -1ms"), "CDL0106"],
    ["inverted range", one("execution_time: 5ms..1ms"), "CDL0107"],
    ["operator against sugar", one("max_execution_time: > 1ms"), "CDL0108"],
    ["operator against min sugar", one("min_throughput: < 5/s"), "CDL0108"],
    ["duplicate key", one("max_execution_time: 1ms, max_execution_time: 2ms"), "CDL0109"],
    ["contradiction in one block", one("max_execution_time: 1ms, min_execution_time: 2ms"), "CDL0110"],
    ["empty algorithm", one("max_execution_time: 1ms, algorithm: []"), "CDL0111"],
    ["self alternative", one("max_execution_time: 1ms, algorithm: [sortUsers, b]"), "CDL0112"],
    ["unknown mutation", one("max_execution_time: 1ms, mutations: [hoist_invariants]"), "CDL0113"],
    ["unknown percentile", one("max_execution_time: 1ms, percentile: p98"), "CDL0114"],
    ["missing import", `import "nope.cdl"\n${one("max_execution_time: 1ms")}`, "CDL0115"],
    ["missing workload", `workload "nope.ts"\n${one("max_execution_time: 1ms")}`, "CDL0116"],
    ["invalid selector", `constraint "src/x.ts#" { max_execution_time: 1ms }`, "CDL0118"],
    ["a second `#` inside a name", `constraint "src/x.ts#Cart.total#" { max_execution_time: 1ms }`, "CDL0118"],
    ["a space in a node id", `constraint "src/x.ts#Cart. total" { max_execution_time: 1ms }`, "CDL0118"],
    ["bad severity", one("max_execution_time: 1ms, severity: fatal"), "CDL0119"],
    ["flow key in constraint", one("max_calls: 3"), "CDL0120"],
  ])("%s", (_name, text, code) => {
    expect(codes(compileText(text))).toContain(code);
  });

  it("accepts node ids as the tools print them: private members, setters, callbacks", () => {
    for (const id of ["src/cart.ts#Cart.#sum", "src/cart.ts#Cart.rate=", "src/cart.ts#Cart.#sum.<anonymous-1>"]) {
      const text = `constraint "${id}" { max_execution_time: 1ms }`;
      expect(codes(compileText(text))).toEqual([]);
      expect(irOf(text).constraints[0]!.selector).toBe(id);
    }
  });

  it("reports contradictions between constraints on the same selector, pointing at both", () => {
    const r = compileText("constraint a { max_execution_time: 1ms }\nconstraint a { min_execution_time: 2ms }");
    const d = r.diagnostics.find((x) => x.code === "CDL0110")!;
    expect(d.location.line).toBe(2);
    expect(d.related?.[0]!.location.line).toBe(1);
  });

  it("finds contradictions among thousands of constraints, once per pair of repeats and within single blocks", () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `constraint node_${i} { max_execution_time: ${i + 1}ms }`);
    lines.push("constraint node_7 { min_execution_time: 9ms }"); // contradicts node_7's 8ms, written 3,000 lines earlier
    lines.push("constraint node_2999 { max_execution_time: 1s }"); // a repeat that agrees
    lines.push("constraint lonely { max_execution_time: 1ms, min_execution_time: 2ms }"); // within one block
    const found = compileText(lines.join("\n")).diagnostics.filter((d) => d.code === "CDL0110");
    expect(found.map((d) => [d.location.line, d.related?.[0]!.location.line])).toEqual([
      [3001, 8],
      [3003, 3003],
    ]);
  });

  it("does not call bounds at different percentiles contradictory", () => {
    expect(codes(compileText("constraint a { max_execution_time: 1ms, percentile: p50 }\nconstraint a { min_execution_time: 2ms, percentile: p99 }"))).toEqual([]);
  });

  it("names an import cycle", () => {
    const r = compileText(`import "b.cdl"\n${one("max_execution_time: 1ms")}`, { "b.cdl": 'import "constraints.cdl"\n' });
    const d = r.diagnostics.find((x) => x.code === "CDL0117")!;
    expect(d.message).toContain("b.cdl → constraints.cdl");
  });

  it("accepts the spec's own example file", () => {
    const text = `import "shared/defaults.cdl"
workload "bench/workloads.ts"

defaults {
  error_rate: < 0.1%
}

constraint node_1 { max_execution_time: 10ms, max_memory_usage: 1MB, error_rate: < 0.1%, algorithm: [sort_a, sort_b] }

constraint "src/cart.ts#Cart.total" {
  max_execution_time: 200us
  percentile: p99
  mutations: [hoist_invariant, set_membership]
}

constraint "src/parsers/**#*" {
  max_execution_time: 5ms;
  mutations: none;
}

flow Checkout.run -> Inventory.reserve {
  max_calls: 100
  max_volume: 64KB
}
`;
    const r = compileText(text, { "shared/defaults.cdl": "defaults { max_memory_usage: 10MB }\n", "bench/workloads.ts": "export {}" });
    expect(r.diagnostics).toEqual([]);
    expect(r.model!.constraints.map((c) => c.selector.selector.kind)).toEqual(["name", "path", "pattern"]);
  });
});

describe("defaults", () => {
  it("apply per metric, the constraint's own bounds win, imported defaults apply too", () => {
    const ir = irOf(
      `import "shared.cdl"\ndefaults { max_execution_time: 5ms }\nconstraint a { max_execution_time: 1ms }\nconstraint b { severity: warning }`,
      { "shared.cdl": "defaults { max_memory_usage: 1MB, max_execution_time: 9ms, severity: warning }" },
    );
    const [a, b] = ir.constraints;
    // The constraint's own bounds first, as written, then the inherited ones.
    expect(a!.bounds.map((x) => [x.metric, x.value])).toEqual([["execution_time", 1_000_000], ["memory_usage", 1_000_000]]);
    expect(b!.bounds.map((x) => [x.metric, x.value])).toEqual([["execution_time", 5_000_000], ["memory_usage", 1_000_000]]);
    expect(a!.severity).toBe("warning");
  });

  it("apply to constraints written before them, percentile included", () => {
    // Constraints are checked while the file is parsed, before a later defaults block is read.
    const ir = irOf("constraint a { max_execution_time: 1ms }\nconstraint b { max_execution_time: 2ms, percentile: p50 }\nconstraint c { severity: warning }\ndefaults { percentile: p99, max_memory_usage: 1MB, max_execution_time: 7ms }");
    const [a, b, c] = ir.constraints;
    expect(a!.bounds).toEqual([
      { metric: "execution_time", op: "<=", value: 1_000_000, unit: "ns", percentile: "p99" },
      { metric: "memory_usage", op: "<=", value: 1_000_000, unit: "B" },
    ]);
    expect(b!.bounds.map((x) => x.percentile)).toEqual(["p50", undefined]);
    expect(c!.bounds.map((x) => [x.metric, x.percentile])).toEqual([["memory_usage", undefined], ["execution_time", "p99"]]);
  });

  it("decide CDL0130 after every file is read: a later or imported default bound counts", () => {
    expect(codes(compileText("constraint a { severity: warning }\ndefaults { max_execution_time: 1ms }"))).toEqual([]);
    expect(codes(compileText('import "d.cdl"\nconstraint a { severity: warning }', { "d.cdl": "defaults { max_memory_usage: 1MB }" }))).toEqual([]);
    expect(codes(compileText("constraint a { severity: warning }\ndefaults { severity: error }"))).toEqual(["CDL0130"]);
  });
});

describe("checking while parsing", () => {
  it("keeps constraints as rows and makes the same objects the model always had", () => {
    const files = {
      "/p/constraints.cdl": [
        'import "d.cdl"',
        'workload "w.ts"',
        "constraint a { max_execution_time: 1ms, max_memory_usage: 2MB }",
        'constraint "src/x.ts#B.run" { execution_time: 1ms..5ms, algorithm: [c, d], mutations: [hoist_invariant], equivalence: strict }',
        'constraint "src/**#*" { error_rate: < 1%, workload: cases, severity: warning, percentile: p50 }',
        "constraint Svc.go { throughput: 100/s }",
        "defaults { percentile: p99, error_rate: < 2% }",
      ].join("\n"),
      "/p/d.cdl": "defaults { max_execution_time: 9ms, mutations: none, equivalence: \"m.ts#eq\" }\nconstraint f { max_memory_usage: 1KB }",
      "/p/w.ts": "",
    };
    const model = compileCdl("/p/constraints.cdl", createMemoryHost(files, "/p")).model!;
    const specs = model.constraints;
    expect(model.constraints).toBe(specs); // made once
    const eq = { module: "m.ts", export: "eq" };
    expect(specs.map((c) => [c.selector.selector, c.percentile, c.severity, c.mutations, c.equivalence, c.workload?.name, c.algorithm.map((a) => a.selector.text)])).toEqual([
      // The imported file's defaults apply here too, under this file's own.
      [{ kind: "name", text: "a", name: "a" }, "p99", "error", "none", eq, undefined, []],
      [{ kind: "path", text: "src/x.ts#B.run", file: "src/x.ts", name: "B.run" }, "p99", "error", ["hoist_invariant"], "strict", undefined, ["c", "d"]],
      [{ kind: "pattern", text: "src/**#*", file: "src/**", name: "*" }, "p50", "warning", "none", eq, "cases", []],
      [{ kind: "qualified", text: "Svc.go", name: "go", container: "Svc" }, "p99", "error", "none", eq, undefined, []],
      [{ kind: "name", text: "f", name: "f" }, "p95", "error", "none", eq, undefined, []],
    ]);
    const bounds = (i: number) => specs[i]!.bounds.map((b) => [b.metric, b.op, b.value, b.percentile, b.origin.text]);
    expect(bounds(0)).toEqual([["execution_time", "<=", 1e6, "p99", "max_execution_time: 1ms"], ["memory_usage", "<=", 2e6, undefined, "max_memory_usage: 2MB"], ["error_rate", "<", 0.02, undefined, "error_rate: < 2%"]]);
    expect(bounds(1)).toEqual([["execution_time", ">=", 1e6, "p99", "execution_time: 1ms..5ms"], ["execution_time", "<=", 5e6, "p99", "execution_time: 1ms..5ms"], ["error_rate", "<", 0.02, undefined, "error_rate: < 2%"]]);
    // f's file has its own defaults: p95 by default, and the defaults' bound is that file's object.
    expect(bounds(4)).toEqual([["memory_usage", "<=", 1000, undefined, "max_memory_usage: 1KB"], ["execution_time", "<=", 9e6, "p95", "max_execution_time: 9ms"]]);
    expect(specs[0]!.selector.origin.text).toBe("a");
    expect(specs[0]!.origin.location).toMatchObject({ line: 3, column: 1 });
    expect(toIr({ ...model, constraints: specs })).toEqual(toIr(model));
  });

  it("gives the model and diagnostics that checking the whole parsed tree gives", () => {
    const files = {
      "/p/constraints.cdl": 'import "d.cdl"\nworkload "w.ts"\nconstraint a { max_execution_time: 1ms, percentile: p99 }\nconstraint "src/x.ts#B.run" { max_memory_usage: 2MB, algorithm: [c, d] }\nflow a -> b { max_calls: 3 }\nconstraint e { max_execution_time: 1 }\nconstraint a { min_execution_time: 2ms, percentile: p99 }\ndefaults { error_rate: < 1% }',
      "/p/d.cdl": "defaults { max_execution_time: 9ms, percentile: p50 }\nconstraint f { severity: warning }",
      "/p/w.ts": "",
    };
    const host = createMemoryHost(files, "/p");
    const streamed = compileCdl("/p/constraints.cdl", host);
    const loaded = loadCdl("/p/constraints.cdl", host);
    // Without a taker every item stays in the tree.
    expect(loaded.files[0]!.ast.items.map((i) => i.kind)).toEqual(["import", "workload", "constraint", "constraint", "flow", "constraint", "constraint", "defaults"]);
    const whole = checkCdl(loaded, host);
    expect(toIr(streamed.model!)).toEqual(toIr(whole.model));
    expect(codes(streamed)).toEqual(sortDiagnostics([...loaded.diagnostics, ...whole.diagnostics]).map((d) => d.code));
    // A plain number for a duration, and the two `a` constraints contradicting each other.
    expect(codes(streamed)).toEqual(["CDL0103", "CDL0110"]);
  });
});
