import { dirname, relative, resolve, sep } from "node:path";
import { catalog, createDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import type { Block, DefaultsItem } from "./ast.js";
import { selectorText } from "./ast.js";
import { BlockChecker, NO_BOUNDS, type BlockSettings } from "./check-block.js";
import { ContradictionFinder } from "./contradictions.js";
import type { CompilerHost } from "./host.js";
import type { LoadedFile, LoadResult } from "./load.js";
import type { Bound, ConstraintModel, ConstraintSpec, FlowSpec, SelectorRef, WorkloadRef } from "./model.js";
import { DEFAULT_PERCENTILE } from "./properties.js";
import { nameSelector, stringSelector } from "./selector.js";

/** Shared by every constraint without `algorithm:` (never mutated). */
const NO_ALTERNATIVES: SelectorRef[] = Object.freeze([]) as unknown as SelectorRef[];

const workloadExtensions = [".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs"];

function toPosix(p: string): string {
  return p.split(sep).join("/");
}

function boundsMetric(bounds: readonly Bound[], metric: Bound["metric"]): boolean {
  for (const b of bounds) if (b.metric === metric) return true;
  return false;
}

/** Later settings win, metric by metric and key by key; `over`'s own bounds come first. */
function mergeSettings(base: BlockSettings, over: BlockSettings): BlockSettings {
  let bounds = over.bounds;
  if (base.bounds.length > 0) {
    let inherited = 0;
    for (const b of base.bounds) if (!boundsMetric(over.bounds, b.metric)) inherited++;
    if (inherited === base.bounds.length) bounds = over.bounds.concat(base.bounds);
    else if (inherited > 0) bounds = over.bounds.concat(base.bounds.filter((b) => !boundsMetric(over.bounds, b.metric)));
  }
  return {
    bounds,
    percentile: over.percentile ?? base.percentile,
    algorithm: over.algorithm ?? base.algorithm,
    mutations: over.mutations ?? base.mutations,
    workload: over.workload ?? base.workload,
    equivalence: over.equivalence ?? base.equivalence,
    severity: over.severity ?? base.severity,
  };
}

/**
 * Checks a loaded file set against spec section 5 and builds the constraint
 * model: defaults applied, units converted, selectors parsed, workloads
 * found. Defaults apply to the constraints of their own file and of every
 * file that imports it (the importer's own defaults win), so a shared
 * `defaults.cdl` works as users expect.
 */
export function checkCdl(loaded: LoadResult, host: CompilerHost): { model: ConstraintModel; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const root = loaded.files[0]!;
  const rootDir = dirname(root.path);
  const byPath = new Map(loaded.files.map((f) => [f.path, f]));
  const effectiveDefaults = new Map<string, BlockSettings>();
  const constraints: ConstraintSpec[] = [];
  const contradictions = new ContradictionFinder();
  const flows: FlowSpec[] = [];
  const workloads = new Map<string, WorkloadRef>();

  const defaultsOf = (file: LoadedFile, visiting = new Set<string>()): BlockSettings => {
    const known = effectiveDefaults.get(file.path);
    if (known !== undefined) return known;
    visiting.add(file.path);
    let settings: BlockSettings = { bounds: NO_BOUNDS, percentile: undefined, algorithm: undefined, mutations: undefined, workload: undefined, equivalence: undefined, severity: undefined };
    for (const imp of file.imports) {
      const target = byPath.get(imp);
      if (target !== undefined && !visiting.has(imp)) settings = mergeSettings(settings, defaultsOf(target, visiting));
    }
    const blocks = file.ast.items.filter((i): i is DefaultsItem => i.kind === "defaults");
    if (blocks.length > 0) {
      // Several defaults blocks in one file read as one: a key set twice is a duplicate.
      const combined: Block = { properties: blocks.flatMap((b) => b.block.properties), start: blocks[0]!.block.start, end: blocks[0]!.block.end };
      settings = mergeSettings(settings, new BlockChecker(file.source, diagnostics).check(combined, "defaults"));
    }
    effectiveDefaults.set(file.path, settings);
    return settings;
  };

  for (const file of loaded.files) {
    const checker = new BlockChecker(file.source, diagnostics);
    const defaults = defaultsOf(file);
    const selectorRef = (s: Parameters<typeof selectorText>[0]): SelectorRef | undefined => {
      if (s.kind === "name") return { selector: nameSelector(s.parts), origin: checker.origin(s) };
      if (s.unterminated) return undefined;
      const parsed = stringSelector(s.value);
      if (parsed.ok) return { selector: parsed.selector, origin: checker.origin(s) };
      diagnostics.push(createDiagnostic(catalog.semantic.invalidSelector, { selector: s.value, reason: parsed.reason }, file.source.locate(s), parsed.help !== undefined ? { help: parsed.help } : {}));
      return undefined;
    };
    for (const item of file.ast.items) {
      switch (item.kind) {
        case "workload": {
          const ref = resolveWorkload(item.path.value, file, host);
          if (ref === undefined) {
            diagnostics.push(createDiagnostic(catalog.semantic.missingWorkload, { path: item.path.value }, file.source.locate(item.path), {
              label: "not found",
              help: `the path is relative to ${file.displayPath}`,
            }));
          } else if (!workloads.has(ref)) {
            workloads.set(ref, { path: ref, relativePath: toPosix(relative(rootDir, ref)), origin: checker.origin(item.path) });
          }
          break;
        }
        case "constraint": {
          const selector = selectorRef(item.selector);
          const reportedBefore = diagnostics.length;
          const own = checker.check(item.block, "constraint", selector?.selector.text);
          if (selector === undefined) break;
          const s = mergeSettings(defaults, own);
          const percentile = s.percentile ?? DEFAULT_PERCENTILE;
          // Bounds inherited from defaults take the constraint's percentile; copy only those that differ.
          let bounds = s.bounds;
          for (let i = 0; i < bounds.length; i++) {
            const b = bounds[i]!;
            if (b.percentile === undefined || b.percentile === percentile) continue;
            if (bounds === s.bounds) bounds = bounds.slice();
            bounds[i] = { ...b, percentile };
          }
          const spec: ConstraintSpec = {
            selector,
            origin: checker.origin(item),
            bounds,
            algorithm: s.algorithm ?? NO_ALTERNATIVES,
            mutations: s.mutations ?? "all",
            equivalence: s.equivalence ?? "deep",
            severity: s.severity ?? "error",
            percentile,
            workload: s.workload,
          };
          constraints.push(spec);
          contradictions.add(spec);
          // Only when the block is otherwise clean: a misspelt bound key already explains it.
          if (bounds.length === 0 && diagnostics.length === reportedBefore) {
            diagnostics.push(createDiagnostic(catalog.semantic.noBounds, { selector: selector.selector.text }, file.source.locate(item.selector), {
              label: "no bound",
              help: "add a bound such as `max_execution_time: 10ms`, or set one in `defaults`",
            }));
          }
          break;
        }
        case "flow": {
          const from = selectorRef(item.from);
          const to = selectorRef(item.to);
          const own = checker.check(item.block, "flow");
          if (from === undefined || to === undefined) break;
          flows.push({ from, to, origin: checker.origin(item), bounds: own.bounds, severity: own.severity ?? "error" });
          break;
        }
        default:
          break;
      }
    }
  }

  diagnostics.push(...contradictions.finish());
  // Only a file that is otherwise clean: a constraint lost to a syntax error is not "no constraints".
  const clean = !diagnostics.some((d) => d.severity === "error") && !loaded.diagnostics.some((d) => d.severity === "error");
  if (constraints.length === 0 && flows.length === 0 && clean) {
    diagnostics.push(createDiagnostic(catalog.syntax.emptyFile, {}, root.source.locate({ start: 0, end: 0 }), {
      help: "add an item such as `constraint sortUsers { max_execution_time: 10ms }`",
    }));
  }

  const fileRefs = loaded.files.map((f) => ({ path: f.path, relativePath: toPosix(relative(rootDir, f.path)), displayPath: f.displayPath }));
  return {
    model: { root: fileRefs[0]!, files: fileRefs, workloads: [...workloads.values()], constraints, flows },
    diagnostics,
  };
}

/** Finds a workload module, trying the usual extensions when none is written. */
function resolveWorkload(written: string, file: LoadedFile, host: CompilerHost): string | undefined {
  const base = resolve(dirname(file.path), written);
  if (written !== "" && host.fileExists(base)) return base;
  for (const ext of workloadExtensions) if (host.fileExists(base + ext)) return base + ext;
  // `./x.js` in TypeScript projects names `./x.ts`.
  const js = /\.(m|c)?js$/.exec(written);
  if (js) {
    const stem = base.slice(0, -js[0].length);
    for (const ext of [".ts", ".mts", ".cts", ".tsx"]) if (host.fileExists(stem + ext)) return stem + ext;
  }
  return undefined;
}
