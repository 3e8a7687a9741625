import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listExports, pickWorkloadModule } from "../../src/measure/workload-exports.js";
import { fixture } from "./helpers.js";

describe("workload exports (read statically)", () => {
  const shop = join(fixture("../../examples/shop"), "bench", "workloads.ts");
  const failures = join(fixture("measure-failures"), "bench", "workloads.ts");

  it("lists const, function and generator exports", () => {
    const { names } = listExports(failures);
    expect(names.has("hang")).toBe(true);
    expect(names.has("generated")).toBe(true);
    expect(listExports(shop).names.has("cartTotal")).toBe(true);
  });

  it("picks the module that exports a name", () => {
    expect(pickWorkloadModule([failures, shop], "cartTotal")).toBe(shop);
    expect(pickWorkloadModule([failures, shop], "hang")).toBe(failures);
    expect(pickWorkloadModule([failures, shop], "nothing")).toBeUndefined();
  });
});
