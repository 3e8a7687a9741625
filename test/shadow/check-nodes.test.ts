import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkCdlFileWithProject, checkVariants, createNodeHost, listVariants } from "../../src/index.js";
import { copyFixture, removeTempDirs } from "../helpers/built-cli.js";

/** From a CDL file to the oracle's reports, through the library calls `cdlc variants --check` makes. */
afterAll(removeTempDirs);

describe("checkVariants", () => {
  it("judges a constrained node, and refuses one whose constraint names a comparison function it cannot call", { timeout: 120_000 }, async () => {
    const root = copyFixture("shadow-oracle");
    writeFileSync(
      join(root, "constraints.cdl"),
      `workload "bench/workloads.ts"\nconstraint dedupe { max_execution_time: 1ms, mutations: [set_membership] }\nconstraint ticket { max_execution_time: 1ms, equivalence: "bench/workloads.ts#ticket" }\n`,
    );
    const checked = await checkCdlFileWithProject(join(root, "constraints.cdl"), join(root, "tsconfig.json"), createNodeHost(root), root, { cache: false });
    expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const listed = await listVariants(checked.run);
    const reports = await checkVariants(checked.run, listed, { cwd: root, generated: 20 });
    const [dedupe, ticket] = reports;
    expect(dedupe).toMatchObject({ node: "src/lists.ts#dedupe", trusted: true });
    expect(dedupe!.verdicts.map((v) => v.kind)).toEqual(["equivalent"]);
    expect(ticket).toMatchObject({ node: "src/lists.ts#ticket", trusted: false });
    expect(ticket!.untestable).toMatch(/compares results with `bench\/workloads\.ts#ticket`/);
  });
});
