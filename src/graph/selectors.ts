import type { ParsedSelector } from "../cdl/selector.js";
import { nearest } from "../diagnostics/suggest.js";
import { isExecutable, isNamed, type GraphNode, type LivingGraph } from "./living-graph.js";
import { nodeId, simpleNodeName } from "./node-ids.js";

/**
 * Resolving a selector (spec section 4) to node ids:
 * - a bare name: the named node of that qualified name (a top-level function,
 *   variable…); failing that, every member of that simple name (`reserve` is
 *   `Inventory.reserve` when nothing else is called so);
 * - a qualified name: the node of that qualified name; failing that, those
 *   whose qualified name ends with it (`Cart.total` in a namespace `Shop`);
 * - a quoted `file#name`: the node with that id;
 * - a pattern: `*` within a folder or name segment, `**` across folders; a
 *   name that is only `*` matches every name. Patterns match named nodes
 *   with a body (no callbacks, module top levels or bodiless declarations).
 * Names never resolve to nodes that `exclude` rejects (workload modules).
 */

export type SelectorResolution =
  | { status: "resolved"; ids: string[] }
  | { status: "none"; near: string[] }
  | { status: "ambiguous"; candidates: GraphNode[] };

export interface ResolveOptions {
  /** Nodes a name must not resolve to (they can still be named by id). */
  exclude?: (node: GraphNode) => boolean;
}

function escape(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

/** A file glob as a regular expression: `*` within a segment, `**` any number of segments. */
export function fileGlob(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      const slash = pattern[i + 2] === "/";
      out += slash ? "(?:[^/]*/)*" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") out += "[^/]*";
    else out += escape(c);
  }
  return new RegExp(`^${out}$`);
}

/** A name pattern: `*` alone matches any name; otherwise `*` matches within one dotted segment. */
export function nameGlob(pattern: string): RegExp {
  if (pattern === "*") return /^.+$/;
  return new RegExp(`^${pattern.split(".").map((seg) => (seg === "*" ? "[^.]+" : escape(seg).replace(/\*/g, "[^.]*"))).join("\\.")}$`);
}

function sortById(nodes: GraphNode[]): GraphNode[] {
  return nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function decide(matches: GraphNode[]): SelectorResolution | undefined {
  if (matches.length === 1) return { status: "resolved", ids: [matches[0]!.id] };
  if (matches.length > 1) return { status: "ambiguous", candidates: sortById(matches) };
  return undefined;
}

/** Resolves one selector against the graph. */
export function resolveSelector(graph: LivingGraph, selector: ParsedSelector, options: ResolveOptions = {}): SelectorResolution {
  const named = [...graph.nodes.values()].filter((n) => isNamed(n));
  const pool = named.filter((n) => options.exclude?.(n) !== true);
  switch (selector.kind) {
    case "name": {
      const found = decide(pool.filter((n) => n.name === selector.name)) ?? decide(pool.filter((n) => simpleNodeName(n.name) === selector.name));
      return found ?? { status: "none", near: nearest(selector.name, new Set(pool.flatMap((n) => [n.name, simpleNodeName(n.name)]))) };
    }
    case "qualified": {
      const found = decide(pool.filter((n) => n.name === selector.text)) ?? decide(pool.filter((n) => n.name.endsWith(`.${selector.text}`)));
      return found ?? { status: "none", near: nearest(selector.text, new Set(pool.map((n) => n.name))) };
    }
    case "path": {
      const id = nodeId(selector.file, selector.name);
      if (graph.nodes.has(id)) return { status: "resolved", ids: [id] };
      return { status: "none", near: nearest(id, named.map((n) => n.id)) };
    }
    case "pattern": {
      const file = fileGlob(selector.file);
      const name = nameGlob(selector.name);
      const ids = named.filter((n) => isExecutable(n) && file.test(n.file) && name.test(n.name)).map((n) => n.id).sort();
      return ids.length > 0 ? { status: "resolved", ids } : { status: "none", near: [] };
    }
  }
}
