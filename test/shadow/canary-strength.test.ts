import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indexProgram } from "../../src/graph/build-graph.js";
import { loadProject, type LoadedProject } from "../../src/graph/project-loader.js";
import { makeCanaries } from "../../src/shadow/canaries.js";
import { buildSchemata, judgeVariants, type OracleInput } from "../../src/shadow/oracle.js";
import { shapeOfNode } from "../../src/shadow/shapes.js";
import type { CanaryKind } from "../../src/shadow/types.js";
import { copyFixture, removeTempDirs } from "../helpers/built-cli.js";

/**
 * The oracle's strength: on every node of the oracle's fixtures, with the
 * workload and generated inputs, every canary of every kind is caught.
 */

const FIXTURES: { fixture: string; file: string; nodes: string[] }[] = [
  { fixture: "shadow-oracle", file: "src/lists.ts", nodes: ["dedupe", "doubleLater", "ticket", "Counter.bump"] },
  { fixture: "traps", file: "src/traps.ts", nodes: ["countKnown", "admitted", "namesOf", "countMatches", "withFlags", "doubledBig", "anyBig", "positions", "ticket", "shuffledOrder"] },
];

/** Kinds planted across the fixtures (each fixture's code offers some). */
const kinds = new Set<CanaryKind>();
const projects = new Map<string, { root: string; project: LoadedProject; source: string }>();

beforeAll(() => {
  for (const f of FIXTURES) {
    const root = copyFixture(f.fixture);
    projects.set(f.fixture, { root, project: loadProject(join(root, "tsconfig.json"), { displayPath: (p) => p }).value!, source: readFileSync(join(root, f.file), "utf8") });
  }
});
afterAll(removeTempDirs);

describe("canaries against the oracle", () => {
  it.each(FIXTURES)("are all caught on every node of $fixture", { timeout: 240_000 }, async ({ fixture, file, nodes }) => {
    const { root, project, source } = projects.get(fixture)!;
    const program = project.program();
    const { index } = indexProgram(program, root);
    const inputs: OracleInput[] = nodes.map((name) => {
      const node = `${file}#${name}`;
      const target = { node, file, qualifiedName: name, source, mutations: "all" as const, algorithm: [] };
      const { canaries } = makeCanaries(target, { perKind: 1 });
      const declaration = index.declarationOf.get(node);
      if (declaration === undefined) throw new Error(`no declaration for ${node}`);
      const exportName = name.includes(".") ? name.slice(name.indexOf(".") + 1) : name;
      return {
        projectRoot: root,
        project,
        node,
        file: join(root, file),
        qualifiedName: name,
        original: source,
        variants: [],
        canaries,
        workload: { file: join(root, "bench/workloads.ts"), exportName },
        shape: shapeOfNode(program.getTypeChecker(), declaration),
      };
    });
    const schemata = buildSchemata(inputs);
    const escaped: string[] = [];
    for (const input of inputs) {
      const report = await judgeVariants(input, { generated: 50, silenceLimitMs: 5_000 }, schemata);
      expect(report.untestable, input.node).toBeUndefined();
      for (const c of report.canaries) {
        kinds.add(c.kind);
        if (!c.caught) escaped.push(`${input.node}: ${c.kind} ${c.summary}: ${c.verdict.kind} (${c.verdict.reason})`);
      }
    }
    expect(escaped).toEqual([]);
  });

  it("planted every kind of canary across the fixtures", () => {
    expect([...kinds].sort()).toEqual(["dropped-call", "dropped-statement", "flipped-comparison", "off-by-one", "swapped-arguments"]);
  });
});
