import { describe, expect, it } from "vitest";
import { irOf } from "./helpers.js";

describe("compile IR", () => {
  it("matches the contract's example for the seed constraint", () => {
    const ir = irOf("constraint node_1 { max_execution_time: 10ms, max_memory_usage: 1MB, error_rate: < 0.1%, algorithm: [sort_a, sort_b] }\n");
    // The contract's fields, exactly; the IR may add more ("More fields may be added").
    expect(ir).toMatchObject({
      version: 1,
      files: ["constraints.cdl"],
      workloads: [],
      constraints: [
        {
          selector: "node_1",
          source: { file: "constraints.cdl", line: 1, column: 1 },
          bounds: [
            { metric: "execution_time", op: "<=", value: 10000000, unit: "ns", percentile: "p95" },
            { metric: "memory_usage", op: "<=", value: 1000000, unit: "B" },
            { metric: "error_rate", op: "<", value: 0.001, unit: "ratio" },
          ],
          algorithm: ["sort_a", "sort_b"],
          mutations: "all",
          severity: "error",
        },
      ],
      flows: [],
    });
    expect(ir.constraints[0]!.bounds[1]).not.toHaveProperty("percentile");
  });

  it("lists files and workloads relative to the root file, and flows with their bounds", () => {
    const ir = irOf('import "shared/d.cdl"\nworkload "bench/w"\nflow A.run -> B.go { max_calls: 100, max_volume: 64KB, max_latency: 1ms }', {
      "shared/d.cdl": 'workload "../bench/x.ts"\nconstraint q { max_execution_time: 1ms }',
      "bench/w.ts": "",
      "bench/x.ts": "",
    });
    expect(ir.files).toEqual(["constraints.cdl", "shared/d.cdl"]);
    expect(ir.workloads).toEqual(["bench/w.ts", "bench/x.ts"]);
    expect(ir.constraints[0]!.source.file).toBe("shared/d.cdl");
    expect(ir.flows[0]).toMatchObject({
      from: "A.run",
      to: "B.go",
      bounds: [
        { metric: "calls", op: "<=", value: 100, unit: "count" },
        { metric: "volume", op: "<=", value: 64000, unit: "B" },
        { metric: "latency", op: "<=", value: 1_000_000, unit: "ns", percentile: "p95" },
      ],
    });
  });

  it("records the effective workload export and the mutation list", () => {
    const ir = irOf('constraint Cart.total { max_execution_time: 1ms, workload: cartTotal, mutations: [map_index] }\nconstraint "src/**#*" { max_execution_time: 1ms, mutations: none }\nconstraint f { max_execution_time: 1ms }');
    expect(ir.constraints.map((c) => [c.workload, c.mutations, c.selectorKind])).toEqual([
      ["cartTotal", ["map_index"], "qualified"],
      [null, "none", "pattern"],
      ["f", "all", "name"],
    ]);
  });
});
