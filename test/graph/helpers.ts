import { cpSync, mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { buildGraph } from "../../src/graph/build-graph.js";
import { sortedEdges, sortedNodes, type LivingGraph } from "../../src/graph/living-graph.js";
import { loadProject } from "../../src/graph/project-loader.js";

export const fixturesDir = new URL("../fixtures/", import.meta.url).pathname;
export const tmpDir = new URL("../.tmp/", import.meta.url).pathname;

export const ctx = { displayPath: (p: string) => p };

/** Builds the graph of the project whose tsconfig.json is in `dir`, without touching any cache. */
export function buildProjectAt(dir: string): LivingGraph {
  const loaded = loadProject(join(dir, "tsconfig.json"), ctx);
  if (loaded.value === undefined) throw new Error(`cannot load ${dir}: ${JSON.stringify(loaded.diagnostics)}`);
  return buildGraph(loaded.value, ctx, { cache: false }).value.graph;
}

/** Builds the graph of a fixture without touching any cache. */
export function buildFixture(name: string): LivingGraph {
  return buildProjectAt(join(fixturesDir, name));
}

/** `id kind` lines, sorted: easy to compare exactly. */
export function nodeLines(graph: LivingGraph): string[] {
  return sortedNodes(graph).map((n) => `${n.id} ${n.kind}${n.parent !== undefined ? ` <- ${n.parent}` : ""}`);
}

/** `from -kind-> to @line:col,...` lines, sorted. */
export function edgeLines(graph: LivingGraph): string[] {
  return sortedEdges(graph).map((e) => `${e.from} -${e.kind}-> ${e.to} @${e.sites.map((s) => `${s.line}:${s.column}`).join(",")}`);
}

/** A private copy of a fixture (for tests that write caches or change files). */
export function copyFixture(name: string): string {
  mkdirSync(tmpDir, { recursive: true });
  const dir = mkdtempSync(join(tmpDir, `${name}-`));
  cpSync(join(fixturesDir, name), dir, { recursive: true });
  return dir;
}
