import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProject, type LoadedProject } from "../../src/graph/project-loader.js";
import { judgeVariants, type OracleInput, type OracleReport } from "../../src/shadow/oracle.js";
import { makeCanaries } from "../../src/shadow/canaries.js";
import { shapeOfNode } from "../../src/shadow/shapes.js";
import { ts } from "../../src/graph/typescript.js";
import { copyFixture, removeTempDirs } from "../helpers/built-cli.js";

/**
 * The oracle on a small project, end to end through real child processes:
 * every way a variant can go wrong gets its verdict, the others are judged
 * equivalent, and canaries measure the oracle itself.
 */

let root: string;
let project: LoadedProject;
let lists: string;

beforeAll(() => {
  root = copyFixture("shadow-oracle");
  project = loadProject(join(root, "tsconfig.json"), { displayPath: (p) => p }).value!;
  lists = readFileSync(join(root, "src/lists.ts"), "utf8");
});
afterAll(removeTempDirs);

const DEDUPE_BODY = `  const out: number[] = [];
  for (const x of xs) {
    if (!out.includes(x)) out.push(x);
  }
  return out;`;

/** The file with dedupe's body replaced. */
function dedupeWith(body: string): string {
  expect(lists).toContain(DEDUPE_BODY);
  return lists.replace(DEDUPE_BODY, body);
}

function input(node: string, variants: string[], more: Partial<OracleInput> = {}): OracleInput {
  const qualifiedName = node.slice(node.indexOf("#") + 1);
  const exportName = qualifiedName.includes(".") ? qualifiedName.slice(qualifiedName.indexOf(".") + 1) : qualifiedName;
  return {
    projectRoot: root,
    project,
    node,
    file: join(root, "src/lists.ts"),
    qualifiedName,
    original: lists,
    variants: variants.map((source, i) => ({ id: i + 1, source })),
    canaries: [],
    workload: { file: join(root, "bench/workloads.ts"), exportName },
    ...more,
  };
}

/** The fixture has no Node types: variants reach `process` through a cast. */
const PROCESS = "(globalThis as unknown as { process: { abort(): never; exit(code: number): never; getBuiltinModule(m: string): { writeFileSync(p: string, d: string): void } } }).process";

const kinds = (r: OracleReport) => r.verdicts.map((v) => v.kind);

describe("the equivalence oracle", () => {
  it("judges each variant of dedupe: equivalent, different, hanging, exiting, forbidden, out of memory, not compiling, crashing", { timeout: 120_000 }, async () => {
    const variants = [
      // 1: a Set keeps includes' semantics (SameValueZero) and first-seen order
      `  const seen = new Set<number>();\n  const out: number[] = [];\n  for (const x of xs) {\n    if (!seen.has(x)) {\n      seen.add(x);\n      out.push(x);\n    }\n  }\n  return out;`,
      // 2: last-seen order instead of first-seen
      `  return xs.filter((x, i) => xs.lastIndexOf(x) === i);`,
      // 3: the same result, but it sorts the caller's array in place
      `  const out = [...new Set(xs)];\n  xs.sort((a, b) => a - b);\n  return out;`,
      // 4: hangs
      `  for (;;) {}\n  return xs;`,
      // 5: ends the process
      `  ${PROCESS}.exit(3);\n  return xs;`,
      // 6: writes a file
      `  ${PROCESS}.getBuiltinModule("node:fs").writeFileSync("escaped.txt", "x");\n  return [...new Set(xs)];`,
      // 7: exhausts the heap
      `  const hoard: number[][] = [];\n  for (;;) hoard.push(new Array(1e6).fill(xs.length));`,
      // 8: does not type-check
      `  const out: string[] = [];\n  for (const x of xs) if (!out.includes(x)) out.push(x);\n  return out;`,
      // 9: crashes the process
      `  ${PROCESS}.abort();\n  return xs;`,
    ].map(dedupeWith);
    const report = await judgeVariants(input("src/lists.ts#dedupe", variants), { silenceLimitMs: 5_000, maxOldSpaceMb: 64, generated: 0 });
    expect(report.untestable).toBeUndefined();
    expect(kinds(report)).toEqual(["equivalent", "not-equivalent", "not-equivalent", "timed-out", "exited", "forbidden", "out-of-memory", "does-not-compile", "crashed"]);
    expect(report.verdicts[8]!.reason).toMatch(/killed by SIGABRT/);
    const [, lastSeen, sorts] = report.verdicts;
    expect(lastSeen!.difference).toMatchObject({ origin: "workload", caseIndex: 3, input: "[[3, 1, 3, 2, 1]]", original: "returned [3, 1, 2]", variant: "returned [3, 2, 1]" });
    expect(sorts!.difference!.caseIndex).toBe(3);
    expect(sorts!.difference!.where).toMatch(/args/);
    expect(report.verdicts[7]!.reason).toMatch(/TS2345/);
    expect(report.cases).toEqual({ workload: 4 });
  });

  it("awaits async results: a promise that never settles hangs, a rejection differs", { timeout: 60_000 }, async () => {
    const body = "  await Promise.resolve();\n  return x * 2;";
    expect(lists).toContain(body);
    const variants = ["  return x + x;", "  await new Promise(() => {});\n  return x * 2;", "  throw new RangeError(`no ${x}`);"].map((b) => lists.replace(body, b));
    const report = await judgeVariants(input("src/lists.ts#doubleLater", variants), { generated: 0, callTimeoutMs: 300, silenceLimitMs: 3_000 });
    expect(kinds(report)).toEqual(["equivalent", "timed-out", "not-equivalent"]);
    expect(report.verdicts[2]!.reason).toMatch(/original returned 2, variant threw RangeError: no 1/);
  });

  it("sees module state through the sequence of calls, and a receiver's state after each call", { timeout: 60_000 }, async () => {
    const ticketBody = "  calls += 1;\n  return `${prefix}-${calls}`;";
    expect(lists).toContain(ticketBody);
    const tickets = await judgeVariants(input("src/lists.ts#ticket", ["  return `${prefix}-${++calls}`;", "  return `${prefix}-${calls + 1}`;"].map((b) => lists.replace(ticketBody, b))), { generated: 0, silenceLimitMs: 3_000 });
    expect(kinds(tickets)).toEqual(["equivalent", "not-equivalent"]);
    expect(tickets.verdicts[1]!.difference).toMatchObject({ caseIndex: 1, original: '"b-2"'.replace(/^/, "returned "), variant: 'returned "b-1"' });

    const bumpBody = "    this.count += by;\n    return this.count;";
    expect(lists).toContain(bumpBody);
    const bumps = await judgeVariants(input("src/lists.ts#Counter.bump", ["    return (this.count += by);", "    return this.count + by;"].map((b) => lists.replace(bumpBody, b))), { generated: 0, silenceLimitMs: 3_000 });
    expect(kinds(bumps)).toEqual(["equivalent", "not-equivalent"]);
    // The result of the first call is right; the receiver it leaves behind is not.
    expect(bumps.verdicts[1]!.difference!.caseIndex).toBe(0);
    expect(bumps.verdicts[1]!.difference!.where).toMatch(/this|receiver/);
  });

  it("refuses to judge a node whose original does not repeat itself", { timeout: 60_000 }, async () => {
    const report = await judgeVariants(input("src/lists.ts#stamp", [lists.replace("return x + performance.now();", "return performance.now() + x;")]), { generated: 0, silenceLimitMs: 3_000 });
    expect(report.untestable).toMatch(/not deterministic/);
    expect(report.trusted).toBe(false);
    expect(kinds(report)).toEqual(["untestable"]);
  });

  it("catches every canary of dedupe on its workload, and distrusts a workload that lets canaries through", { timeout: 120_000 }, async () => {
    const target = { node: "src/lists.ts#dedupe", file: "src/lists.ts", qualifiedName: "dedupe", source: lists, mutations: "all" as const, algorithm: [] };
    const { canaries, missing } = makeCanaries(target, { perKind: 2 });
    expect(new Set(canaries.map((c) => c.kind)).size).toBeGreaterThanOrEqual(2);
    const strong = await judgeVariants(input("src/lists.ts#dedupe", [], { canaries, canaryMissing: missing }), { generated: 0, silenceLimitMs: 3_000 });
    expect(strong.canaries.map((c) => [c.kind, c.caught, c.verdict.reason])).toEqual(canaries.map((c) => [c.kind, true, expect.any(String)]));
    expect(strong.strength).toMatchObject({ injected: canaries.length, caught: canaries.length });
    expect(strong.trusted).toBe(true);

    const weak = await judgeVariants(input("src/lists.ts#dedupe", [], { canaries, workload: { file: join(root, "bench/workloads.ts"), exportName: "dedupeWeak" } }), { generated: 0, silenceLimitMs: 3_000 });
    expect(weak.strength.caught).toBeLessThan(canaries.length);
    expect(weak.trusted).toBe(false);
    expect(weak.distrust).toMatch(/let \d+ of \d+ canaries through/);
  });

  it("finds with generated inputs what the workload misses, and shrinks it", { timeout: 120_000 }, async () => {
    const program = project.program();
    const sf = program.getSourceFile(join(root, "src/lists.ts"))!;
    const decl = sf.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === "dedupe")!;
    const shape = shapeOfNode(program.getTypeChecker(), decl);
    expect(shape.unsupported).toBeUndefined();
    // indexOf never finds NaN: [NaN, NaN] keeps both. The workload has no NaN.
    const variant = dedupeWith("  const out: number[] = [];\n  for (const x of xs) {\n    if (out.indexOf(x) === -1) out.push(x);\n  }\n  return out;");
    const report = await judgeVariants(input("src/lists.ts#dedupe", [variant], { shape }), { generated: 200, silenceLimitMs: 5_000 });
    expect(report.cases).toEqual({ workload: 4, generated: 200 });
    const [verdict] = report.verdicts;
    expect(verdict!.kind).toBe("not-equivalent");
    expect(verdict!.difference).toMatchObject({ origin: "generated", shrunk: true, input: "[[NaN, NaN]]" });
  });
});
