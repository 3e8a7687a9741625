import type { Binding } from "./bind.js";
import { diagramData, nodeLabel } from "./export-shared.js";
import type { LivingGraph } from "./living-graph.js";

/**
 * Mermaid flowchart: a subgraph per file, `-->` calls, `-.->` dispatch,
 * `==>` construction, constrained nodes in the `constrained` class. Node ids
 * are short (`n12`) because Mermaid ids cannot hold `/`, `#` or `.`; labels
 * carry the names.
 */

function label(s: string): string {
  return `"${s.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;")}"`;
}

export function exportMermaid(graph: LivingGraph, binding?: Binding): string {
  const data = diagramData(graph, binding);
  const short = new Map(data.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ["flowchart LR"];
  data.files.forEach(({ file, nodes }, i) => {
    lines.push(`  subgraph f${i}[${label(file)}]`);
    for (const n of nodes) {
      const shape = n.kind === "interface-method" || n.kind === "abstract-method" ? [">", "]"] : ["(", ")"];
      lines.push(`    ${short.get(n.id)}${shape[0]}${label(nodeLabel(n))}${shape[1]}`);
    }
    lines.push("  end");
  });
  const arrow = { call: "-->", dispatch: "-.->", construct: "==>" } as const;
  for (const e of data.edges) lines.push(`  ${short.get(e.from)} ${arrow[e.kind]} ${short.get(e.to)}`);
  if (data.constrained.size > 0) {
    lines.push("  classDef constrained fill:#ffe08a,stroke:#c77700,stroke-width:2px;");
    lines.push(`  class ${data.nodes.filter((n) => data.constrained.has(n.id)).map((n) => short.get(n.id)).join(",")} constrained;`);
  }
  return lines.join("\n") + "\n";
}
