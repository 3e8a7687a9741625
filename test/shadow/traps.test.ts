import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProject, type LoadedProject } from "../../src/graph/project-loader.js";
import { generateVariants } from "../../src/mutate/engine.js";
import { mutationOperators } from "../../src/cdl/properties.js";
import { makeCanaries } from "../../src/shadow/canaries.js";
import { buildSchemata, judgeVariants, type OracleInput } from "../../src/shadow/oracle.js";
import { copyFixture, removeTempDirs } from "../helpers/built-cli.js";

/**
 * The trap suite: for each trap the issue names, a function where the obvious
 * rewrite changes behaviour (test/fixtures/traps/src/traps.ts) and that
 * rewrite written out. The oracle must reject every obvious rewrite, and no
 * variant the operators make of a trap may be accepted unless the oracle,
 * on inputs that spring the trap, found it equivalent.
 */

interface Trap {
  name: string;
  /** The operator whose precondition the trap is about. */
  operator: string;
  /** The function's body as written in the fixture, and the obvious (wrong) rewrite of it. */
  body: string;
  naive: string;
}

const TRAPS: Trap[] = [
  {
    name: "countKnown",
    operator: "set_membership",
    body: "  let n = 0;\n  for (const x of xs) {\n    if (known.indexOf(x) !== -1) n++;\n  }\n  return n;",
    naive: "  const knownSet = new Set(known);\n  let n = 0;\n  for (const x of xs) {\n    if (knownSet.has(x)) n++;\n  }\n  return n;",
  },
  {
    name: "admitted",
    operator: "set_membership",
    body: '  const allowed: string[] = ["root"];\n  const out: string[] = [];\n  for (const name of names) {\n    remember(allowed, name);\n    if (allowed.includes(name)) out.push(name);\n  }\n  return out;',
    naive: '  const allowed: string[] = ["root"];\n  const allowedSet = new Set(allowed);\n  const out: string[] = [];\n  for (const name of names) {\n    remember(allowed, name);\n    if (allowedSet.has(name)) out.push(name);\n  }\n  return out;',
  },
  {
    name: "namesOf",
    operator: "map_index",
    body: '  const out: string[] = [];\n  for (const id of ids) {\n    const user = users.find((u) => u.id === id);\n    out.push(user === undefined ? "?" : user.name);\n  }\n  return out;',
    naive: '  const byId = new Map(users.map((u) => [u.id, u] as const));\n  const out: string[] = [];\n  for (const id of ids) {\n    const user = byId.get(id);\n    out.push(user === undefined ? "?" : user.name);\n  }\n  return out;',
  },
  {
    name: "countMatches",
    operator: "hoist_invariant",
    body: "  let n = 0;\n  for (const line of lines) {\n    if (/ab/g.test(line)) n++;\n  }\n  return n;",
    naive: "  let n = 0;\n  const re = /ab/g;\n  for (const line of lines) {\n    if (re.test(line)) n++;\n  }\n  return n;",
  },
  {
    name: "withFlags",
    operator: "accumulator_mutation",
    body: "  return keys.reduce((acc, k) => ({ ...acc, [k]: true }), base);",
    naive: "  return keys.reduce((acc, k) => {\n    acc[k] = true;\n    return acc;\n  }, base);",
  },
  {
    name: "doubledBig",
    operator: "loop_fusion",
    body: "  return xs\n    .map((x) => {\n      log.push(x);\n      return x * 2;\n    })\n    .filter((y) => {\n      log.push(-y);\n      return y > 4;\n    });",
    naive: "  const out: number[] = [];\n  for (const x of xs) {\n    log.push(x);\n    const y = x * 2;\n    log.push(-y);\n    if (y > 4) out.push(y);\n  }\n  return out;",
  },
  {
    name: "anyBig",
    operator: "early_exit",
    body: "  return (\n    xs.filter((x) => {\n      seen.push(x);\n      return x > 10;\n    }).length > 0\n  );",
    naive: "  return xs.some((x) => {\n    seen.push(x);\n    return x > 10;\n  });",
  },
  {
    name: "positions",
    operator: "index_loop",
    body: "  const out: number[] = [];\n  xs.forEach((_x, i) => {\n    out.push(i);\n  });\n  return out;",
    naive: "  const out: number[] = [];\n  for (let i = 0; i < xs.length; i++) {\n    out.push(i);\n  }\n  return out;",
  },
  {
    name: "ticket",
    operator: "memoize",
    body: "  issued += 1;\n  return kind * 1000 + issued;",
    naive: "  const cache: Map<number, number> = ((ticket as unknown as { cache?: Map<number, number> }).cache ??= new Map());\n  const hit = cache.get(kind);\n  if (hit !== undefined) return hit;\n  issued += 1;\n  const result = kind * 1000 + issued;\n  cache.set(kind, result);\n  return result;",
  },
  {
    name: "shuffledOrder",
    operator: "sort_keys",
    body: "  return [...xs].sort((a, b) => jitter(a) - jitter(b));",
    naive: "  const keyed = xs.map((x) => [jitter(x), x] as const);\n  keyed.sort((a, b) => a[0] - b[0]);\n  return keyed.map((k) => k[1]);",
  },
];

let root: string;
let project: LoadedProject;
let source: string;

beforeAll(() => {
  root = copyFixture("traps");
  project = loadProject(join(root, "tsconfig.json"), { displayPath: (p) => p }).value!;
  source = readFileSync(join(root, "src/traps.ts"), "utf8");
});
afterAll(removeTempDirs);

describe("the trap suite", () => {
  it("has one trap per precondition the issue names, each with its body found in the fixture", () => {
    expect(TRAPS.map((t) => t.operator).sort()).toEqual(["accumulator_mutation", "early_exit", "hoist_invariant", "index_loop", "loop_fusion", "map_index", "memoize", "set_membership", "set_membership", "sort_keys"]);
    for (const t of TRAPS) expect(source, t.name).toContain(t.body);
  });

  it("rejects every obvious rewrite, and accepts no operator's variant the oracle has not proven on the trap's inputs", { timeout: 240_000 }, async () => {
    // Every operator by name, memoize included.
    const ids = [...mutationOperators];
    const made: string[][] = [];
    const inputs: OracleInput[] = TRAPS.map((t) => {
      const target = { node: `src/traps.ts#${t.name}`, file: "src/traps.ts", qualifiedName: t.name, source, mutations: ids, algorithm: [] };
      const engine = generateVariants(target, { depth: 1 });
      made.push(engine.variants.map((v) => v.operators.join(" → ")));
      const refused = engine.notApplied.some((n) => n.operator === t.operator);
      if (!refused && !engine.variants.some((v) => v.operators.includes(t.operator as never))) throw new Error(`${t.operator} neither applied to ${t.name} nor said why`);
      const { canaries, missing } = makeCanaries(target);
      return {
        projectRoot: root,
        project,
        node: target.node,
        file: join(root, "src/traps.ts"),
        qualifiedName: t.name,
        original: source,
        // Variant 1 is the obvious rewrite; the engine's follow from 2.
        variants: [{ id: 1, source: source.replace(t.body, t.naive) }, ...engine.variants.map((v) => ({ id: v.id + 1, source: v.source }))],
        canaries,
        canaryMissing: missing,
        workload: { file: join(root, "bench/workloads.ts"), exportName: t.name },
      };
    });
    const schemata = buildSchemata(inputs);
    const outcomes: string[] = [];
    for (const [i, input] of inputs.entries()) {
      const report = await judgeVariants(input, { generated: 0, silenceLimitMs: 5_000 }, schemata);
      const [naive, ...engine] = report.verdicts;
      expect(report.untestable, input.node).toBeUndefined();
      expect(naive!.kind, `${TRAPS[i]!.name}: the obvious rewrite: ${naive!.reason}`).not.toBe("equivalent");
      expect(naive!.kind, `${TRAPS[i]!.name}: ${naive!.reason}`).not.toBe("does-not-compile");
      for (const v of engine) {
        // An operator's variant of a trap: only ever accepted when equivalent on these inputs, with a trusted oracle.
        const accepted = v.kind === "equivalent" && report.trusted;
        outcomes.push(`${TRAPS[i]!.name}: ${made[i]![v.variant - 2]} ${accepted ? "accepted" : v.kind}`);
      }
    }
    expect(outcomes).toMatchSnapshot();
  });
});
