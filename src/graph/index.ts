/**
 * The Living Graph (loaded lazily: this module pulls in ts-morph). The
 * library entry re-exports async wrappers and types only.
 */
export type { GraphNode, GraphEdge, LivingGraph, NodeKind, EdgeKind, CallSite, NodeSpan } from "./living-graph.js";
export { createGraph, addEdge, edgeKey, sortedNodes, sortedEdges, isNamed, isExecutable } from "./living-graph.js";
export { nodeId, splitNodeId, simpleNodeName, MODULE_NAME } from "./node-ids.js";
export { loadProject, type LoadedProject, type GraphContext } from "./project-loader.js";
export { buildGraph, indexProgram, projectSourceFiles, type BuildOptions, type BuildStats, type BuiltGraph } from "./build-graph.js";
export { resolveSelector, fileGlob, nameGlob, type SelectorResolution, type ResolveOptions } from "./selectors.js";
export { bindConstraints, declarationLocation, type Binding, type BoundConstraint, type BoundFlow, type BindInput } from "./bind.js";
export { createTypeQueries, type TypeQueries } from "./type-service.js";
export { reachableFrom, neighbourhood, outgoing } from "./graph-queries.js";
export { toJsonGraph, exportJson, type JsonGraph, type JsonGraphNode, type JsonGraphEdge, type GraphMetrics, type Attachments } from "./export-json.js";
export { exportDot } from "./export-dot.js";
export { exportMermaid } from "./export-mermaid.js";
export { exportHtml, type HtmlOptions } from "./export-html.js";
export { runGraph, renderGraph, type GraphRun, type GraphRunOptions, type RenderOptions } from "./pipeline.js";
export { graphFormats, type GraphFormat } from "./formats.js";
export { readGraphCache, cachePath, type GraphCache } from "./cache.js";
export { warmStart, snapshotDirs, graphFromEntries, type ProjectIndex } from "./warm-start.js";
