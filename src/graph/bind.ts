import { join } from "node:path";
import type { ConstraintModel, ConstraintSpec, FlowSpec, SelectorRef } from "../cdl/model.js";
import { catalog, createDiagnostic, type Diagnostic, type Location, type RelatedLocation, type StageResult } from "../diagnostics/index.js";
import { outgoing, reachableFrom } from "./graph-queries.js";
import type { GraphNode, LivingGraph } from "./living-graph.js";
import { simpleNodeName } from "./node-ids.js";
import type { GraphContext } from "./project-loader.js";
import { resolveSelector, type SelectorResolution } from "./selectors.js";
import type { TypeQueries } from "./type-service.js";

/**
 * Binding a checked constraint model to the Living Graph: every selector to
 * node ids, every `algorithm:` alternative to a node whose type is
 * assignable to the constrained node's, every constrained node to a
 * workload export, every flow to a pair of nodes joined by a call path.
 * CDL-side problems point at the CDL; TypeScript declarations are related
 * locations.
 */

export interface BoundConstraint {
  spec: ConstraintSpec;
  /** Node ids the selector names (empty when it did not resolve). */
  nodes: string[];
  /** Resolved alternatives, in the order written (unresolved ones left out). */
  algorithm: string[];
}

export interface BoundFlow {
  spec: FlowSpec;
  from: string[];
  to: string[];
}

export interface Binding {
  constraints: BoundConstraint[];
  flows: BoundFlow[];
  /** Node id → indexes into `constraints` that apply to it. */
  byNode: Map<string, number[]>;
}

export interface BindInput {
  model: ConstraintModel;
  graph: LivingGraph;
  /** The checker, for alternatives and workloads; without it those checks are skipped. */
  types?: TypeQueries;
}

/** Where a node is declared, as a location the user can open. */
export function declarationLocation(graph: LivingGraph, node: GraphNode, ctx: GraphContext): Location {
  return { file: ctx.displayPath(join(graph.root, node.file)), ...node.span };
}

export function bindConstraints(input: BindInput, ctx: GraphContext): StageResult<Binding> {
  const { model, graph, types } = input;
  const diagnostics: Diagnostic[] = [];
  const workloadFiles = new Set(model.workloads.map((w) => w.path));
  const exclude = (n: GraphNode): boolean => workloadFiles.has(join(graph.root, n.file));
  const related = (node: GraphNode, message: string): RelatedLocation => ({ location: declarationLocation(graph, node, ctx), message });

  const report = (ref: SelectorRef, r: SelectorResolution, role: string): string[] => {
    const text = ref.selector.text;
    if (r.status === "resolved") return r.ids;
    if (r.status === "ambiguous") {
      diagnostics.push(
        createDiagnostic(catalog.resolution.ambiguousSelector, { selector: text, count: r.candidates.length }, ref.origin.location, {
          label: `names ${r.candidates.length} nodes`,
          related: r.candidates.slice(0, 8).map((n) => related(n, `candidate \`${n.id}\``)),
          notes: r.candidates.length > 8 ? [`and ${r.candidates.length - 8} more`] : [],
          help: `write one of them as a string, e.g. "${r.candidates[0]!.id}"`,
        }),
      );
      return [];
    }
    if (ref.selector.kind === "pattern") {
      diagnostics.push(createDiagnostic(catalog.resolution.patternMatchesNothing, { selector: text }, ref.origin.location, { label: "matches nothing" }));
      return [];
    }
    const near = r.near.map((n) => `\`${n}\``);
    diagnostics.push(
      createDiagnostic(catalog.resolution.unresolvedSelector, { selector: text }, ref.origin.location, {
        label: `no such ${role}`,
        help: near.length === 0 ? "run `cdlc graph --project TSCONFIG` to list the program's nodes" : near.length === 1 ? `did you mean ${near[0]}?` : `the nearest names are ${near.join(", ")}`,
      }),
    );
    return [];
  };
  const resolve = (ref: SelectorRef, role: string): string[] => report(ref, resolveSelector(graph, ref.selector, { exclude }), role);

  const constraints: BoundConstraint[] = [];
  const byNode = new Map<string, number[]>();
  const exportCache = new Map<string, Set<string> | undefined>();
  const exportsOf = (path: string): Set<string> | undefined => {
    if (!exportCache.has(path)) exportCache.set(path, types?.exportsOf(path));
    return exportCache.get(path);
  };

  for (const spec of model.constraints) {
    const nodes = resolve(spec.selector, "node");
    for (const id of nodes) {
      const node = graph.nodes.get(id)!;
      if (node.kind === "abstract-method" || node.kind === "interface-method") {
        const what = node.kind === "abstract-method" ? "an abstract method" : "an interface method";
        diagnostics.push(createDiagnostic(catalog.resolution.notMeasurable, { node: id, what }, spec.selector.origin.location, { label: "has no body", related: [related(node, "declared here")] }));
      }
    }
    const algorithm: string[] = [];
    for (const alt of spec.algorithm) {
      const ids = resolve(alt, "alternative");
      if (ids.length !== 1) continue;
      const altId = ids[0]!;
      algorithm.push(altId);
      for (const id of nodes) {
        const verdict = types?.assignable(altId, id);
        if (verdict === undefined || verdict.ok) continue;
        diagnostics.push(
          createDiagnostic(catalog.resolution.incompatibleAlternative, { alternative: alt.selector.text, node: id }, alt.origin.location, {
            label: "incompatible signature",
            notes: [`\`${altId}\` has type \`${verdict.alternativeType}\``, `\`${id}\` has type \`${verdict.nodeType}\``],
            related: [related(graph.nodes.get(altId)!, "the alternative is declared here"), related(graph.nodes.get(id)!, "the constrained node is declared here")],
          }),
        );
      }
    }
    // Workloads: each node needs an export of its simple name (or `workload:`) in some workload module.
    if (types !== undefined && model.workloads.length > 0 && nodes.length > 0) {
      const available = model.workloads.map((w) => exportsOf(w.path));
      const missing = new Map<string, string>();
      for (const id of nodes) {
        const node = graph.nodes.get(id)!;
        if (node.kind === "abstract-method" || node.kind === "interface-method") continue;
        const name = spec.workload?.name ?? simpleNodeName(node.name);
        if (!available.some((set) => set?.has(name) === true) && !missing.has(name)) missing.set(name, id);
      }
      for (const [name, id] of missing) {
        const at = spec.workload?.origin.location ?? spec.selector.origin.location;
        const modules = model.workloads.map((w) => `\`${w.relativePath}\``).join(", ");
        diagnostics.push(
          createDiagnostic(catalog.resolution.missingWorkloadExport, { name, node: id }, at, {
            label: spec.workload !== undefined ? "not exported by any workload module" : `needs a workload export \`${name}\``,
            notes: [`workload modules: ${modules}`],
            help: spec.workload !== undefined ? `export \`${name}\` from a workload module` : `export \`${name}\` from a workload module, or name an existing export with \`workload: <name>\``,
            related: model.workloads.slice(0, 1).map((w) => ({ location: w.origin.location, message: "the workload module is declared here" })),
          }),
        );
      }
    }
    const index = constraints.length;
    constraints.push({ spec, nodes, algorithm });
    for (const id of nodes) (byNode.get(id) ?? byNode.set(id, []).get(id)!).push(index);
  }

  const flows: BoundFlow[] = [];
  // Made once for all flows (a flow with a pattern searches from many callers at once).
  let adjacency: ReturnType<typeof outgoing> | undefined;
  for (const spec of model.flows) {
    const from = resolve(spec.from, "caller");
    const to = resolve(spec.to, "callee");
    const reached = from.length > 0 && to.length > 0 ? reachableFrom(graph, from, (adjacency ??= outgoing(graph))) : undefined;
    if (reached !== undefined && !to.some((b) => reached.has(b))) {
      diagnostics.push(
        createDiagnostic(catalog.resolution.noCallPath, { from: spec.from.selector.text, to: spec.to.selector.text }, spec.origin.location, {
          label: "no statically known calls",
          related: [related(graph.nodes.get(from[0]!)!, "the caller is declared here"), related(graph.nodes.get(to[0]!)!, "the callee is declared here")],
        }),
      );
    }
    flows.push({ spec, from, to });
  }
  return { value: { constraints, flows, byNode }, diagnostics };
}
