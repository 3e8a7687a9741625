import { dirname, relative, resolve, sep } from "node:path";
import { catalog, createDiagnostic, type Diagnostic, type SourceText } from "../diagnostics/index.js";
import type { Block, DefaultsItem, Item, Selector } from "./ast.js";
import { BlockChecker, NO_BOUNDS, type BlockSettings } from "./check-block.js";
import { ContradictionFinder } from "./contradictions.js";
import type { CompilerHost } from "./host.js";
import type { LoadedFile, LoadResult } from "./load.js";
import type { Bound, ConstraintModel, ConstraintSpec, Equivalence, FlowSpec, Mutations, Origin, SelectorRef, WorkloadRef } from "./model.js";
import { SourceOrigin } from "./origin.js";
import { DEFAULT_PERCENTILE, type Percentile } from "./properties.js";
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

/**
 * A block's own bounds followed by the inherited ones on metrics it does
 * not bound: `own` itself when it inherits none, else one new array.
 * Inherited bounds take `percentile` when it is given.
 */
function withInherited(own: Bound[], inherited: readonly Bound[], percentile: Percentile | undefined): Bound[] {
  let kept = 0;
  for (const b of inherited) if (!boundsMetric(own, b.metric)) kept++;
  if (kept === 0) return own;
  const bounds = own.concat(kept === inherited.length ? inherited : inherited.filter((b) => !boundsMetric(own, b.metric)));
  if (percentile === undefined) return bounds;
  for (let i = own.length; i < bounds.length; i++) {
    const b = bounds[i]!;
    if (b.percentile !== undefined && b.percentile !== percentile) bounds[i] = { ...b, percentile };
  }
  return bounds;
}

/** Later settings win, metric by metric and key by key; `over`'s own bounds come first. */
function mergeSettings(base: BlockSettings, over: BlockSettings): BlockSettings {
  return {
    bounds: withInherited(over.bounds, base.bounds, undefined),
    percentile: over.percentile ?? base.percentile,
    algorithm: over.algorithm ?? base.algorithm,
    mutations: over.mutations ?? base.mutations,
    workload: over.workload ?? base.workload,
    equivalence: over.equivalence ?? base.equivalence,
    severity: over.severity ?? base.severity,
  };
}

/** A constraint checked on its own, waiting for its file's defaults (known once every file is parsed). */
interface PendingConstraint {
  selector: SelectorRef;
  origin: Origin;
  /** The block's own bounds, created with its own percentile or the default one; fresh, so fixed in place. */
  bounds: Bound[];
  percentile: Percentile | undefined;
  algorithm: SelectorRef[] | undefined;
  mutations: Mutations | undefined;
  workload: { name: string; origin: Origin } | undefined;
  equivalence: Equivalence | undefined;
  severity: "error" | "warning" | undefined;
}

/** What the checker keeps of one file while the file set loads. */
interface FileState {
  checker: BlockChecker;
  constraints: PendingConstraint[];
  flows: FlowSpec[];
  /** Constraints whose block stated no bound and was otherwise clean: CDL0130 unless defaults give them one. */
  boundless: Set<PendingConstraint>;
}

/**
 * Checks a CDL file set against spec section 5 and builds the constraint
 * model: defaults applied, units converted, selectors parsed, workloads
 * found. Defaults apply to the constraints of their own file and of every
 * file that imports it (the importer's own defaults win), so a shared
 * `defaults.cdl` works as users expect.
 *
 * Constraints and flows are checked as the parser produces them (`taker`),
 * so that their syntax trees die young: keeping a large file's tree until
 * the check made the garbage collector copy it, which cost as much as
 * parsing. What needs the whole file set (defaults, which may come later
 * or from imports, contradictions, workloads) is done in `finish`.
 */
export class ModelChecker {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly files = new Map<string, FileState>();

  constructor(private readonly host: CompilerHost) {}

  /** The item taker for one file being parsed: it takes constraints and flows, and leaves every other item in the tree. */
  taker(path: string, source: SourceText): (item: Item) => boolean {
    const state: FileState = { checker: new BlockChecker(source, this.diagnostics), constraints: [], flows: [], boundless: new Set() };
    this.files.set(path, state);
    return (item) => this.take(state, item);
  }

  private take(state: FileState, item: Item): boolean {
    const checker = state.checker;
    if (item.kind === "constraint") {
      const selector = this.selectorRef(checker, item.selector);
      const reportedBefore = this.diagnostics.length;
      const own = checker.check(item.block, "constraint", selector?.selector.text);
      if (selector === undefined) return true;
      const pending: PendingConstraint = {
        selector,
        origin: checker.origin(item),
        bounds: own.bounds,
        percentile: own.percentile,
        algorithm: own.algorithm,
        mutations: own.mutations,
        workload: own.workload,
        equivalence: own.equivalence,
        severity: own.severity,
      };
      state.constraints.push(pending);
      // Only when the block is otherwise clean: a misspelt bound key already explains it.
      if (pending.bounds.length === 0 && this.diagnostics.length === reportedBefore) state.boundless.add(pending);
      return true;
    }
    if (item.kind === "flow") {
      const from = this.selectorRef(checker, item.from);
      const to = this.selectorRef(checker, item.to);
      const own = checker.check(item.block, "flow");
      if (from === undefined || to === undefined) return true;
      state.flows.push({ from, to, origin: checker.origin(item), bounds: own.bounds, severity: own.severity ?? "error" });
      return true;
    }
    return false;
  }

  private selectorRef(checker: BlockChecker, s: Selector): SelectorRef | undefined {
    if (s.kind === "name") return { selector: nameSelector(s.parts), origin: checker.origin(s) };
    if (s.unterminated) return undefined;
    const parsed = stringSelector(s.value);
    if (parsed.ok) return { selector: parsed.selector, origin: checker.origin(s) };
    this.diagnostics.push(createDiagnostic(catalog.semantic.invalidSelector, { selector: s.value, reason: parsed.reason }, checker.origin(s).location, parsed.help !== undefined ? { help: parsed.help } : {}));
    return undefined;
  }

  /** Applies defaults and builds the model, once every file of `loaded` has been parsed (and its items taken). */
  finish(loaded: LoadResult): { model: ConstraintModel; diagnostics: Diagnostic[] } {
    const diagnostics = this.diagnostics;
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
      const defaults = defaultsOf(file);
      for (const item of file.ast.items) {
        if (item.kind !== "workload") continue;
        const ref = resolveWorkload(item.path.value, file, this.host);
        if (ref === undefined) {
          diagnostics.push(createDiagnostic(catalog.semantic.missingWorkload, { path: item.path.value }, file.source.locate(item.path), {
            label: "not found",
            help: `the path is relative to ${file.displayPath}`,
          }));
        } else if (!workloads.has(ref)) {
          workloads.set(ref, { path: ref, relativePath: toPosix(relative(rootDir, ref)), origin: new SourceOrigin(file.source, item.path.start, item.path.end) });
        }
      }
      const state = this.files.get(file.path);
      if (state === undefined) continue;
      for (const c of state.constraints) {
        const spec = withDefaults(c, defaults);
        constraints.push(spec);
        contradictions.add(spec);
        if (spec.bounds.length === 0 && state.boundless.has(c)) {
          diagnostics.push(createDiagnostic(catalog.semantic.noBounds, { selector: spec.selector.selector.text }, spec.selector.origin.location, {
            label: "no bound",
            help: "add a bound such as `max_execution_time: 10ms`, or set one in `defaults`",
          }));
        }
      }
      for (const f of state.flows) flows.push(f);
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
}

/** A pending constraint completed with its file's defaults. */
function withDefaults(c: PendingConstraint, defaults: BlockSettings): ConstraintSpec {
  const percentile = c.percentile ?? defaults.percentile ?? DEFAULT_PERCENTILE;
  // The block's bounds were created before its defaults were known: give them the defaults' percentile.
  if (c.percentile === undefined && percentile !== DEFAULT_PERCENTILE) {
    for (const b of c.bounds) if (b.percentile !== undefined) b.percentile = percentile;
  }
  return {
    selector: c.selector,
    origin: c.origin,
    bounds: withInherited(c.bounds, defaults.bounds, percentile),
    algorithm: c.algorithm ?? defaults.algorithm ?? NO_ALTERNATIVES,
    mutations: c.mutations ?? defaults.mutations ?? "all",
    equivalence: c.equivalence ?? defaults.equivalence ?? "deep",
    severity: c.severity ?? defaults.severity ?? "error",
    percentile,
    workload: c.workload ?? defaults.workload,
  };
}

/** Checks a file set parsed in full (every item in its tree): the same check as `compileCdl`'s, fed after parsing. */
export function checkCdl(loaded: LoadResult, host: CompilerHost): { model: ConstraintModel; diagnostics: Diagnostic[] } {
  const checker = new ModelChecker(host);
  for (const file of loaded.files) {
    const take = checker.taker(file.path, file.source);
    for (const item of file.ast.items) take(item);
  }
  return checker.finish(loaded);
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
