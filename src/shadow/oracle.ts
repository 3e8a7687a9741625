import { join, relative, resolve } from "node:path";
import type { LoadedProject } from "../graph/project-loader.js";
import { InternalError } from "../diagnostics/errors.js";
import { buildProgram, type BuildTarget, type BuiltProgram } from "../measure/build.js";
import { resolveChildEntry } from "../measure/child-entry.js";
import { loadCompilerOptions } from "../measure/transpile.js";
import type { Canary } from "./canaries.js";
import { runOracleChildren } from "./run-children.js";
import { variantBodies } from "./schemata.js";
import type { NodeShape } from "./shape.js";
import { sideCopies } from "./sides.js";
import { typeErrorsOfMany } from "./typecheck.js";
import type { CanaryOutcome, CaseOrigin, Strength, Verdict } from "./types.js";

/**
 * The equivalence oracle for one node: takes the node's variants (and
 * canaries), returns a verdict for each. Cheap rejections first: a variant
 * that does not type-check against the program, or cannot share the
 * original's function in the build, is rejected before anything runs. The
 * rest go into one instrumented build behind the schemata switch, and
 * oracle children compare each with the original on the workload's cases
 * and on inputs generated from the parameter types.
 *
 * Canaries (known-wrong variants) run in the same children, mixed with the
 * variants, and are judged the same way; a node whose oracle lets one
 * through is not trusted, and none of its variants may be accepted.
 */

export interface OracleInput {
  projectRoot: string;
  tsconfig?: string;
  /** Type-checks variants against it; without it, variants are not type-checked (`typeChecked: false`). */
  project?: LoadedProject;
  node: string;
  /** Absolute path of the node's source file. */
  file: string;
  qualifiedName: string;
  /** The file's text as the variants were made from it. */
  original: string;
  variants: { id: number; source: string }[];
  canaries: Canary[];
  /** Canary kinds the node had no site for (from makeCanaries). */
  canaryMissing?: Strength["missing"];
  /** The node's workload (absolute source path of the module, and its export). */
  workload?: { file: string; exportName: string };
  /** Parameter shapes for generated inputs. */
  shape?: NodeShape;
  /** The source files the build needs (default: every source file under the root). */
  files?: string[];
  /** The constraint's comparison function (`equivalence: "module#function"`): absolute source path and export. */
  compare?: { file: string; exportName: string };
  /** Argument lists recorded by `cdlc record --capture-args` (src/measure/case-encoding.ts). */
  recorded?: string[];
}

/** Inputs derived from recorded cases (src/shadow/derive.ts) for the equivalence check: about this many in all, 2 to 20 per recorded case. */
const DERIVED_IN_ALL = 300;

export function derivedPerRecorded(recorded: number): number {
  return Math.max(2, Math.min(20, Math.floor(DERIVED_IN_ALL / Math.max(1, recorded))));
}

export interface OracleOptions {
  /** Where builds go (default `<root>/.cdl/build`). */
  buildRoot?: string;
  /** Seed of generated inputs and of `Math.random` (default: fixed, so runs reproduce). */
  seed?: number;
  /** Generated cases per node (default 100). */
  generated?: number;
  callTimeoutMs?: number;
  /** A child silent this long is killed, and the variant it ran rejected as hanging (default 10 s). */
  silenceLimitMs?: number;
  maxOldSpaceMb?: number;
  /** Variants per child process (default 8). */
  perChild?: number;
  childEntry?: string;
  onVerdict?: (verdict: Verdict, canary: boolean) => void;
}

export interface OracleReport {
  node: string;
  /** One per input variant, in input order. */
  verdicts: Verdict[];
  canaries: CanaryOutcome[];
  strength: Strength;
  cases: Partial<Record<CaseOrigin, number>>;
  /** Why no inputs were generated, when none were. */
  generatedNote?: string;
  /** Why nothing could be judged, when nothing could. */
  untestable?: string;
  typeChecked: boolean;
  /** Whether an `equivalent` verdict here may be believed: cases ran and every canary was caught. */
  trusted: boolean;
  /** Why not, in words. */
  distrust?: string;
  seed: number;
}

export const DEFAULT_SEED = 20261202;

/** What one node put into the shared build: the schemata slots of its variants and canaries, and what was rejected before. */
interface HostedNode {
  /** Slot n + 1 holds hosted[n]: a variant (by id) or a canary (by index). */
  hosted: ({ variant: number } | { canary: number })[];
  /** Variants rejected before the build: they do not type-check, or cannot share the original's function. */
  rejected: Map<number, Verdict>;
}

/** One instrumented build hosting every variant and canary of several nodes (variant schemata). */
export interface Schemata {
  build: BuiltProgram;
  nodes: Map<string, HostedNode>;
  /** Type-checking and building, ms. */
  preparedMs: number;
}

/**
 * Type-checks every variant, turns the rest (and the canaries) into bodies
 * behind the schemata switch, and builds the program once for all the nodes.
 * The inputs must share the project root, tsconfig and files.
 */
export function buildSchemata(inputs: readonly OracleInput[], options: Pick<OracleOptions, "buildRoot"> = {}): Schemata {
  const started = performance.now();
  const first = inputs[0];
  if (first === undefined) throw new InternalError("buildSchemata needs at least one node");
  const compilerOptions = loadCompilerOptions(first.projectRoot, first.tsconfig);
  const nodes = new Map<string, HostedNode>();
  const targets: BuildTarget[] = [];
  for (const input of inputs) {
    const rejected = new Map<number, Verdict>();
    const reject = (id: number, reason: string): void => void rejected.set(id, { variant: id, kind: "does-not-compile", reason, cases: {} });
    const errors = input.project === undefined ? [] : typeErrorsOfMany(input.project, input.file, input.variants.map((v) => v.source), input.original);
    const compiled = input.variants.filter((v, i) => {
      const error = errors[i];
      if (error !== undefined) reject(v.id, `does not type-check: ${error}`);
      return error === undefined;
    });
    const rel = relative(resolve(input.projectRoot), input.file).split("\\").join("/");
    const candidates = [...compiled.map((v) => ({ key: { variant: v.id }, source: v.source })), ...input.canaries.map((c, i) => ({ key: { canary: i }, source: c.source }))];
    const hosted: HostedNode["hosted"] = [];
    const bodies: string[] = [];
    variantBodies(rel, input.qualifiedName, input.original, candidates.map((c) => c.source), compilerOptions).forEach((m, i) => {
      const key = candidates[i]!.key;
      if ("body" in m) {
        hosted.push(key);
        bodies.push(m.body);
      } else if ("variant" in key) reject(key.variant, `cannot be built: ${m.reason}`);
    });
    nodes.set(input.node, { hosted, rejected });
    targets.push({ id: input.node, file: input.file, qualifiedName: input.qualifiedName, variants: bodies });
  }
  const build = buildProgram({
    projectRoot: first.projectRoot,
    ...(options.buildRoot !== undefined ? { buildRoot: options.buildRoot } : {}),
    ...(first.tsconfig !== undefined ? { tsconfig: first.tsconfig } : {}),
    ...(first.files !== undefined ? { files: first.files } : {}),
    targets,
  });
  return { build, nodes, preparedMs: performance.now() - started };
}

/** Judges one node's variants (and canaries) in oracle children; builds the schemata when not given them. */
export async function judgeVariants(input: OracleInput, options: OracleOptions = {}, schemata?: Schemata): Promise<OracleReport> {
  const seed = options.seed ?? DEFAULT_SEED;
  const prepared = schemata ?? buildSchemata([input], options);
  const { build } = prepared;
  const node = prepared.nodes.get(input.node);
  if (node === undefined) throw new InternalError(`${input.node} is not in the schemata build`);
  const verdicts = new Map<number, Verdict>(node.rejected);
  const canaryVerdicts = new Map<number, Verdict>();
  const finish = (run: { cases: Partial<Record<CaseOrigin, number>>; generatedNote?: string; untestable?: string }): OracleReport =>
    report(input, seed, verdicts, canaryVerdicts, run);

  const missing = build.missing.find((m) => m.id === input.node);
  if (missing !== undefined) return finish({ cases: {}, untestable: `the node cannot be built: ${missing.reason}` });
  const nodeModule = build.outputs.get(resolve(input.file));
  const workloadModule = input.workload === undefined ? undefined : build.outputs.get(resolve(input.workload.file));
  if (nodeModule === undefined) return finish({ cases: {}, untestable: `${relative(input.projectRoot, input.file)} is not part of the build` });
  if (input.workload !== undefined && workloadModule === undefined) return finish({ cases: {}, untestable: `the workload module ${relative(input.projectRoot, input.workload.file)} is not part of the build` });
  const compareModule = input.compare === undefined ? undefined : build.outputs.get(resolve(input.compare.file));
  if (input.compare !== undefined && compareModule === undefined) return finish({ cases: {}, untestable: `the comparison module ${relative(input.projectRoot, input.compare.file)} (equivalence) is not part of the build: it must be a source file of the program` });

  const perChild = options.perChild ?? 8;
  const shrinkSides = 4;
  const sides = sideCopies(build.dir, 0, 2 + perChild + shrinkSides);
  const buildRoot = options.buildRoot ?? join(input.projectRoot, ".cdl", "build");
  const childEntry = options.childEntry ?? (await resolveChildEntry(join(buildRoot, "..", "child"), "shadow"));
  const run = await runOracleChildren(
    node.hosted.map((_, i) => i + 1),
    {
      childEntry,
      cwd: input.projectRoot,
      silenceLimitMs: options.silenceLimitMs ?? 10_000,
      maxOldSpaceMb: options.maxOldSpaceMb ?? 1_024,
      sides,
      perChild,
      request: {
        nodeModule: relative(build.dir, nodeModule),
        node: input.node,
        ...(input.workload !== undefined && workloadModule !== undefined ? { workload: { module: relative(build.dir, workloadModule), exportName: input.workload.exportName, display: relative(input.projectRoot, input.workload.file) } } : {}),
        ...(input.shape !== undefined ? { generated: { shape: input.shape, count: options.generated ?? 100, seed } } : {}),
        ...(input.recorded !== undefined && input.recorded.length > 0 ? { recorded: { cases: input.recorded, derived: derivedPerRecorded(input.recorded.length), seed } } : {}),
        ...(input.compare !== undefined && compareModule !== undefined ? { compare: { module: relative(build.dir, compareModule), exportName: input.compare.exportName, display: relative(input.projectRoot, input.compare.file) } } : {}),
        callTimeoutMs: options.callTimeoutMs ?? 2_000,
        randomSeed: seed,
        shrinkMs: 3_000,
        shrink: node.hosted.flatMap((key, i) => ("variant" in key ? [i + 1] : [])),
      },
      onVerdict: (v) => {
        const key = node.hosted[v.variant - 1];
        if (key === undefined) return;
        const verdict = { ...v, variant: "variant" in key ? key.variant : -1 };
        if ("variant" in key) verdicts.set(key.variant, verdict);
        else canaryVerdicts.set(key.canary, verdict);
        options.onVerdict?.(verdict, "canary" in key);
      },
    },
  );
  return finish(run);
}

/** The node's report: verdicts in input order, canaries caught, and whether the verdicts can be believed. */
function report(input: OracleInput, seed: number, verdicts: Map<number, Verdict>, canaryVerdicts: Map<number, Verdict>, run: { cases: Partial<Record<CaseOrigin, number>>; generatedNote?: string; untestable?: string }): OracleReport {
  const canaries = input.canaries.map((c, i): CanaryOutcome => {
    const verdict = canaryVerdicts.get(i) ?? { variant: -1, kind: "untestable", reason: run.untestable ?? "the canary could not be built, so it was not run", cases: {} };
    return { kind: c.kind, summary: c.summary, caught: !["equivalent", "untestable", "does-not-compile"].includes(verdict.kind), verdict };
  });
  const ordered = input.variants.map((v) => verdicts.get(v.id) ?? { variant: v.id, kind: "untestable" as const, reason: run.untestable ?? "not judged", cases: {} });
  const ran = canaries.filter((c) => c.verdict.kind !== "untestable");
  const escaped = ran.filter((c) => !c.caught);
  const strength: Strength = { injected: ran.length, caught: ran.length - escaped.length, missing: input.canaryMissing ?? [] };
  const distrust =
    run.untestable ??
    (ran.length === 0
      ? "no canary could be injected, so the oracle's strength on this node is unknown"
      : escaped.length > 0
        ? `the oracle let ${escaped.length} of ${ran.length} canaries through (${escaped.map((c) => c.summary).join("; ")}): its cases are too weak for this node`
        : undefined);
  return {
    node: input.node,
    seed,
    typeChecked: input.project !== undefined,
    verdicts: ordered,
    canaries,
    strength,
    cases: run.cases,
    ...(run.generatedNote !== undefined ? { generatedNote: run.generatedNote } : {}),
    ...(run.untestable !== undefined ? { untestable: run.untestable } : {}),
    trusted: distrust === undefined,
    ...(distrust !== undefined ? { distrust } : {}),
  };
}
