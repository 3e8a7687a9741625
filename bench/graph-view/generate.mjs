// Generates a Living Graph in the shape `cdlc graph --format json` writes (nodes {id, name, file, line, kind,
// modifiers?}, edges {from, to, kind, sites}) for the graph-view benchmark: NODES nodes in about
// NODES / 8.3 files in about NODES / 125 folders (10,000 → ~1,200 files, ~80 folders), kinds in the
// proportions of cdlc's own sources, and ~1.2 edges per node whose fan-out and fan-in follow power laws,
// mostly to the same file or folder (as real calls are). Deterministic for a given size and seed.
//
//   node bench/graph-view/generate.mjs NODES [OUT.json]
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const AREAS = ["cdl", "graph", "measure", "report", "mutate", "cli", "record", "optimize", "stats", "store", "server", "ui", "auth", "billing", "search", "sync"];
const VERBS = ["get", "set", "load", "save", "parse", "format", "check", "resolve", "build", "render", "apply", "merge", "split", "collect", "find", "read", "write", "compute", "update", "create", "remove", "validate", "emit", "visit", "bind", "measure"];
const NOUNS = ["Node", "Edge", "Bound", "Constraint", "Report", "Sample", "Variant", "Path", "Module", "Config", "Token", "Span", "Cache", "Entry", "Result", "Metric", "Session", "User", "Order", "Item", "Range", "Schema", "Table", "Frame", "Record", "Plan"];
const CLASSES = ["Checker", "Builder", "Loader", "Store", "Runner", "Reporter", "Parser", "Formatter", "Scheduler", "Resolver", "Walker", "Registry"];
// Kinds in the proportions of cdlc's own graph (arrows and functions dominate).
const KINDS = [
  ["arrow", 0.47],
  ["function", 0.36],
  ["method", 0.09],
  ["interface-method", 0.025],
  ["object-method", 0.025],
  ["constructor", 0.015],
  ["getter", 0.005],
  ["abstract-method", 0.005],
  ["function-expression", 0.005],
];

/** A seeded generator of numbers in [0, 1) (mulberry32): the same graph on every machine. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sizes that add up to `total`, in `parts` parts, skewed like real folder and file sizes (a few large ones). */
function skewedSizes(total, parts, rand, min = 1) {
  const weights = Array.from({ length: parts }, () => 1 / (0.05 + rand()) ** 0.8);
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(min, Math.floor((w / sum) * (total - parts * min)) + min));
  // Hand out (or take back) the rounding remainder one at a time.
  let diff = total - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; diff !== 0; i = (i + 1) % parts) {
    if (diff > 0) (sizes[i]++, diff--);
    else if (sizes[i] > min) (sizes[i]--, diff++);
  }
  return sizes;
}

function pick(list, rand) {
  return list[Math.floor(rand() * list.length)];
}

/** A power-law draw in [0, max]: most are 0 or 1, a few are large (hubs). */
function paretoCount(rand, mean, max) {
  const alpha = 2.1; // tail exponent; the mean of the continuous draw is xm·α/(α−1)
  const xm = (mean * (alpha - 1)) / alpha;
  return Math.min(max, Math.floor(xm / (1 - rand()) ** (1 / alpha) - xm * 0.35));
}

/**
 * The generated graph: `{ nodes, edges, folders, files }` (folders and files are counts, for the report).
 * @param {number} size number of nodes
 * @param {number} [seed]
 */
export function generateGraph(size, seed = 15) {
  const rand = random(seed);
  const folderCount = Math.max(2, Math.round(size / 125));
  const fileCount = Math.max(folderCount, Math.round(size / 8.3));
  const folders = Array.from({ length: folderCount }, (_, i) => {
    const area = AREAS[i % AREAS.length];
    // Nest a third of the folders one level deeper, as real trees do.
    return i < AREAS.length ? `src/${area}` : i % 3 === 0 ? `src/${area}/${pick(NOUNS, rand).toLowerCase()}${i}` : `src/${area}${Math.floor(i / AREAS.length)}`;
  });
  const filesPerFolder = skewedSizes(fileCount, folderCount, rand);
  const files = [];
  filesPerFolder.forEach((count, f) => {
    for (let i = 0; i < count; i++) files.push({ path: `${folders[f]}/${pick(VERBS, rand)}-${pick(NOUNS, rand).toLowerCase()}${files.length}.ts`, folder: f, nodes: [] });
  });
  const nodesPerFile = skewedSizes(size, fileCount, rand);
  const nodes = [];
  const ids = new Set();
  files.forEach((file, f) => {
    const className = `${pick(NOUNS, rand)}${pick(CLASSES, rand)}`;
    let line = 1;
    let outer = "";
    for (let i = 0; i < nodesPerFile[f]; i++) {
      let kind = "module";
      if (i > 0 || rand() > 0.26) {
        let r = rand();
        kind = KINDS[KINDS.length - 1][0];
        for (const [k, p] of KINDS) if ((r -= p) < 0) {
          kind = k;
          break;
        }
      }
      const verbNoun = `${pick(VERBS, rand)}${pick(NOUNS, rand)}`;
      let name;
      if (kind === "module") name = "<module>";
      else if (kind === "function" || kind === "function-expression") name = outer = verbNoun;
      else if (kind === "arrow" || kind === "object-method") name = outer !== "" && rand() < 0.7 ? `${outer}.<anonymous-${1 + Math.floor(rand() * 3)}>` : (outer = verbNoun);
      else if (kind === "constructor") name = `${className}.constructor`;
      else if (kind === "interface-method") name = `${pick(NOUNS, rand)}Source.${verbNoun}`;
      else name = `${className}.${verbNoun}`;
      let id = `${file.path}#${name}`;
      for (let k = 2; ids.has(id); k++) id = `${file.path}#${name}~${k}`;
      ids.add(id);
      line += 1 + Math.floor(rand() * 12);
      const node = { id, name, file: file.path, line, column: 1, kind };
      if (rand() < 0.4 && kind !== "module") node.modifiers = ["exported"];
      file.nodes.push(nodes.length);
      nodes.push(node);
    }
  });
  // Popularity for fan-in: a heavy tail, so a few nodes are called from everywhere (hubs).
  const popularity = nodes.map(() => 1 / (0.003 + rand()));
  const byFolder = Array.from({ length: folderCount }, () => []);
  files.forEach((file) => byFolder[file.folder].push(...file.nodes));
  // Pools of callees (a file, a folder, everything) with cumulative popularity, drawn from by bisection.
  const pools = new Map();
  const poolOf = (list) => {
    let pool = pools.get(list);
    if (pool === undefined) {
      const cumulative = [];
      let total = 0;
      for (const n of list) cumulative.push((total += popularity[n]));
      pools.set(list, (pool = { list, cumulative, total }));
    }
    return pool;
  };
  const weightedPick = (list) => {
    const { cumulative, total } = poolOf(list);
    const r = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return list[lo];
  };
  const all = nodes.map((_, i) => i);
  const edges = [];
  const seen = new Set();
  const targetEdges = Math.round(size * 1.2);
  const fileOf = new Map();
  files.forEach((file, f) => file.nodes.forEach((n) => fileOf.set(n, f)));
  for (let attempts = 0; edges.length < targetEdges && attempts < targetEdges * 20; attempts++) {
    const from = Math.floor(rand() * size);
    const out = paretoCount(rand, 1.2, 60);
    const file = files[fileOf.get(from)];
    for (let k = 0; k < out && edges.length < targetEdges; k++) {
      const r = rand();
      const to = weightedPick(r < 0.45 ? file.nodes : r < 0.75 ? byFolder[file.folder] : all);
      const key = `${from}>${to}`;
      if (to === from || seen.has(key) || nodes[to].kind === "module") continue;
      seen.add(key);
      const kind = nodes[to].kind === "constructor" ? "construct" : nodes[to].kind === "interface-method" || nodes[to].kind === "abstract-method" ? "dispatch" : "call";
      edges.push({ from: nodes[from].id, to: nodes[to].id, kind, sites: [{ line: nodes[from].line + 1, column: 3 }] });
    }
  }
  return { nodes, edges, folders: folderCount, files: fileCount };
}

/**
 * A generated graph as cdlc's LivingGraph (src/graph/living-graph.ts): nodes and edges in maps keyed as
 * cdlc keys them, what `exportHtml` and the other exporters take.
 * @param {ReturnType<typeof generateGraph>} generated
 */
export function livingGraphOf(generated, root = "/generated") {
  const nodes = new Map(generated.nodes.map((n) => [n.id, { id: n.id, name: n.name, file: n.file, line: n.line, column: 1, kind: n.kind, span: { start: 0, end: 1, line: n.line, column: 1, endLine: n.line, endColumn: 2 } }]));
  const edges = new Map(generated.edges.map((e) => [`${e.from}\u0000${e.to}\u0000${e.kind}`, e]));
  return { root, nodes, edges, files: [...new Set(generated.nodes.map((n) => n.file))].sort() };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const size = Number(process.argv[2] ?? 10000);
  const { nodes, edges, folders, files } = generateGraph(size);
  const text = JSON.stringify({ nodes, edges });
  if (process.argv[3] !== undefined) writeFileSync(process.argv[3], text);
  else process.stdout.write(text);
  process.stderr.write(`${nodes.length} nodes, ${edges.length} edges, ${files} files, ${folders} folders\n`);
}
