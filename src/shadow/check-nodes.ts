import { dirname, resolve } from "node:path";
import type { ConstraintModel } from "../cdl/model.js";
import { indexProgram } from "../graph/build-graph.js";
import type { Binding } from "../graph/bind.js";
import type { LivingGraph } from "../graph/living-graph.js";
import type { LoadedProject } from "../graph/project-loader.js";
import { planMeasurement, runtimeFilesOf } from "../measure/monitor.js";
import { pickWorkloadModule } from "../measure/workload-exports.js";
import type { MutationTarget, TargetVariants } from "../mutate/types.js";
import { makeCanaries } from "./canaries.js";
import { buildSchemata, judgeVariants, type OracleInput, type OracleOptions, type OracleReport } from "./oracle.js";
import { shapeOfNode } from "./shapes.js";

/**
 * From a bound program to the oracle's inputs, node by node: the node's
 * workload (as measurement finds it), its parameter shapes (from the
 * checker), canaries made from its source, and the variants the engine
 * listed. One node at a time: each gets its own build and children.
 */

export interface CheckInput {
  model: ConstraintModel;
  graph: LivingGraph;
  binding: Binding;
  project: LoadedProject;
  tsconfig: string;
  cwd: string;
}

/** The oracle's input for each listed node: its variants, canaries, workload and parameter shapes. */
export function oracleInputs(input: CheckInput, targets: readonly MutationTarget[], listed: readonly TargetVariants[], recorded?: ReadonlyMap<string, string[]>): OracleInput[] {
  const plan = planMeasurement({ model: input.model, graph: input.graph, binding: input.binding, diagnostics: [], tsconfig: input.tsconfig }, input.cwd, pickWorkloadModule);
  const workloads = new Map(plan.targets.map((t) => [t.node, { file: t.workloadModule, exportName: t.workloadExport }]));
  const program = input.project.program();
  const checker = program.getTypeChecker();
  const { index } = indexProgram(program, input.graph.root);
  const files = runtimeFilesOf([...input.graph.files.map((f) => resolve(input.graph.root, f)), ...input.model.workloads.map((w) => w.path)]);
  const inputs: OracleInput[] = [];
  for (const t of listed) {
    const target = targets.find((x) => x.node === t.node);
    if (target === undefined) continue;
    const declaration = index.declarationOf.get(t.node);
    const { canaries, missing } = makeCanaries(target);
    const workload = workloads.get(t.node);
    const compare = comparisonOf(input, t.node);
    inputs.push({
      projectRoot: input.graph.root,
      tsconfig: input.tsconfig,
      project: input.project,
      node: t.node,
      file: resolve(input.graph.root, target.file),
      qualifiedName: target.qualifiedName,
      original: target.source,
      variants: t.variants.map((v) => ({ id: v.id, source: v.source })),
      canaries,
      canaryMissing: missing,
      files,
      ...(workload !== undefined ? { workload } : {}),
      ...(declaration !== undefined ? { shape: shapeOfNode(checker, declaration) } : {}),
      ...(compare !== undefined ? { compare } : {}),
      ...(recorded?.has(t.node) === true ? { recorded: recorded.get(t.node)! } : {}),
    });
  }
  return inputs;
}

/**
 * The comparison function a node's constraint names (`equivalence:
 * "module#function"`, the module relative to the root CDL file's folder, as
 * workload paths are). `deep` and `strict` are both judged by comparing
 * everything observable, which is at least as strict as either.
 */
function comparisonOf(input: CheckInput, node: string): { file: string; exportName: string } | undefined {
  for (const i of input.binding.byNode.get(node) ?? []) {
    const e = input.binding.constraints[i]?.spec.equivalence;
    if (e !== undefined && typeof e === "object") return { file: resolve(dirname(input.model.root.path), e.module), exportName: e.export };
  }
  return undefined;
}

/**
 * Builds the schemata once for every listed node, then judges the nodes,
 * `concurrency` at a time (default 1): the oracle times nothing, so its
 * children may share the machine. Reports come back in input order.
 */
export async function checkNodes(
  input: CheckInput,
  targets: readonly MutationTarget[],
  listed: readonly TargetVariants[],
  options: OracleOptions & { onNode?: (node: string, index: number, total: number) => void; concurrency?: number; recorded?: ReadonlyMap<string, string[]> } = {},
): Promise<OracleReport[]> {
  const inputs = oracleInputs(input, targets, listed, options.recorded);
  if (inputs.length === 0) return [];
  // One build for every node: each node's children switch between its variants at run time.
  const schemata = buildSchemata(inputs, options);
  const out = new Array<OracleReport>(inputs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.length) {
      const i = next++;
      options.onNode?.(inputs[i]!.node, i, inputs.length);
      out[i] = await judgeVariants(inputs[i]!, options, schemata);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(inputs.length, Math.floor(options.concurrency ?? 1))) }, worker));
  return out;
}
