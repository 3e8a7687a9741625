import type { Binding } from "./bind.js";
import { diagramData, nodeLabel } from "./export-shared.js";
import type { LivingGraph } from "./living-graph.js";

/**
 * Graphviz DOT: one cluster per file, constrained nodes filled and bold,
 * `dispatch` edges dashed and `construct` edges with an empty arrow head.
 * Render with `dot -Tsvg graph.dot -o graph.svg`.
 */

function quote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

export function exportDot(graph: LivingGraph, binding?: Binding): string {
  const data = diagramData(graph, binding);
  const lines = [
    "digraph living_graph {",
    "  rankdir=LR;",
    '  graph [fontname="Helvetica", fontsize=11, compound=true];',
    '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=10];',
    '  edge [color="#555555", arrowsize=0.7];',
  ];
  data.files.forEach(({ file, nodes }, i) => {
    lines.push(`  subgraph cluster_${i} {`, `    label=${quote(file)};`, '    style="rounded,dashed"; color="#aaaaaa";');
    for (const n of nodes) {
      const attrs = [`label=${quote(nodeLabel(n))}`, `tooltip=${quote(`${n.id} (${n.kind}, line ${n.line})`)}`];
      if (data.constrained.has(n.id)) attrs.push('style="rounded,filled,bold"', 'fillcolor="#ffe08a"', 'color="#c77700"');
      else if (n.kind === "interface-method" || n.kind === "abstract-method") attrs.push('style="rounded,dashed"');
      lines.push(`    ${quote(n.id)} [${attrs.join(", ")}];`);
    }
    lines.push("  }");
  });
  for (const e of data.edges) {
    const attrs = [`tooltip=${quote(`${e.kind} at line${e.sites.length > 1 ? "s" : ""} ${e.sites.map((s) => s.line).join(", ")}`)}`];
    if (e.kind === "dispatch") attrs.push("style=dashed");
    if (e.kind === "construct") attrs.push("arrowhead=empty");
    lines.push(`  ${quote(e.from)} -> ${quote(e.to)} [${attrs.join(", ")}];`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}
