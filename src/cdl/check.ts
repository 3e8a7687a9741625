import { dirname, relative, resolve, sep } from "node:path";
import { catalog, createDiagnostic, hasErrors, type Diagnostic, type SourceText } from "../diagnostics/index.js";
import type { Block, DefaultsItem, Item, Selector } from "./ast.js";
import { BlockChecker, NO_BOUNDS, type BlockSettings } from "./check-block.js";
import { ConstraintTable } from "./constraint-table.js";
import { ContradictionFinder } from "./contradictions.js";
import type { CompilerHost } from "./host.js";
import type { LoadedFile, LoadResult } from "./load.js";
import type { Bound, ConstraintModel, FlowSpec, SelectorRef, WorkloadRef } from "./model.js";
import { SourceOrigin } from "./origin.js";

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
 */
function withInherited(own: Bound[], inherited: readonly Bound[]): Bound[] {
  let kept = 0;
  for (const b of inherited) if (!boundsMetric(own, b.metric)) kept++;
  if (kept === 0) return own;
  return own.concat(kept === inherited.length ? inherited : inherited.filter((b) => !boundsMetric(own, b.metric)));
}

/** Later settings win, metric by metric and key by key; `over`'s own bounds come first. */
function mergeSettings(base: BlockSettings, over: BlockSettings): BlockSettings {
  return {
    bounds: withInherited(over.bounds, base.bounds),
    percentile: over.percentile ?? base.percentile,
    algorithm: over.algorithm ?? base.algorithm,
    mutations: over.mutations ?? base.mutations,
    workload: over.workload ?? base.workload,
    equivalence: over.equivalence ?? base.equivalence,
    severity: over.severity ?? base.severity,
  };
}

/** What the checker keeps of one file while the file set loads (its constraints go to the table). */
interface FileState {
  checker: BlockChecker;
  /** The file's index in the constraint table. */
  tableFile: number;
  flows: FlowSpec[];
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
 * parsing. For the same reason constraints are kept as rows of a
 * ConstraintTable, not objects. What needs the whole file set (defaults,
 * which may come later or from imports, contradictions, workloads) is done
 * in `finish`.
 */
export class ModelChecker {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly files = new Map<string, FileState>();
  private readonly table = new ConstraintTable();
  /** Rows whose block stated no bound and was otherwise clean: CDL0130 unless defaults give them one. */
  private readonly boundless = new Set<number>();

  constructor(private readonly host: CompilerHost) {}

  /** The item taker for one file being parsed: it takes constraints and flows, and leaves every other item in the tree. */
  taker(path: string, source: SourceText): (item: Item) => boolean {
    const state: FileState = { checker: new BlockChecker(source, this.diagnostics), tableFile: this.table.addFile(source), flows: [] };
    this.files.set(path, state);
    return (item) => this.take(state, item);
  }

  private take(state: FileState, item: Item): boolean {
    const checker = state.checker;
    if (item.kind === "constraint") {
      const selector = checker.parseSelector(item.selector);
      const reportedBefore = this.diagnostics.length;
      const table = this.table;
      const firstBound = table.boundMark;
      // The block's bounds go straight into the table's columns.
      const own = checker.check(item.block, "constraint", selector?.text, table);
      if (selector === undefined) {
        table.dropBoundsFrom(firstBound);
        return true;
      }
      const row = table.add(state.tableFile, item, { text: selector.text, kind: selector.kind, start: item.selector.start, end: item.selector.end }, own, firstBound);
      // Only when the block is otherwise clean: a misspelt bound key already explains it.
      if (table.ownBoundCount(row) === 0 && this.diagnostics.length === reportedBefore) this.boundless.add(row);
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
    const selector = checker.parseSelector(s);
    return selector === undefined ? undefined : { selector, origin: checker.origin(s) };
  }

  /** Applies defaults and builds the model, once every file of `loaded` has been parsed (and its items taken). */
  finish(loaded: LoadResult): { model: ConstraintModel; diagnostics: Diagnostic[] } {
    const diagnostics = this.diagnostics;
    const root = loaded.files[0]!;
    const rootDir = dirname(root.path);
    const byPath = new Map(loaded.files.map((f) => [f.path, f]));
    const effectiveDefaults = new Map<string, BlockSettings>();
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
      this.table.setDefaults(state.tableFile, defaults);
      for (const f of state.flows) flows.push(f);
    }

    // Defaults are known now: decide what needed them, row by row (rows are in file order).
    const table = this.table;
    const contradictions = new ContradictionFinder(table.length, (i) => table.selector(i), (i) => table.spec(i).bounds);
    for (let i = 0; i < table.length; i++) {
      contradictions.add(table.sharesMetric(i));
      if (this.boundless.has(i) && table.boundCountOf(i) === 0) {
        diagnostics.push(createDiagnostic(catalog.semantic.noBounds, { selector: table.selector(i) }, table.selectorLocation(i), {
          label: "no bound",
          help: "add a bound such as `max_execution_time: 10ms`, or set one in `defaults`",
        }));
      }
    }
    diagnostics.push(...contradictions.finish());
    // Only a file that is otherwise clean: a constraint lost to a syntax error is not "no constraints".
    const clean = !hasErrors(diagnostics) && !hasErrors(loaded.diagnostics);
    if (table.length === 0 && flows.length === 0 && clean) {
      diagnostics.push(createDiagnostic(catalog.syntax.emptyFile, {}, root.source.locate({ start: 0, end: 0 }), {
        help: "add an item such as `constraint sortUsers { max_execution_time: 10ms }`",
      }));
    }

    const fileRefs = loaded.files.map((f) => ({ path: f.path, relativePath: toPosix(relative(rootDir, f.path)), displayPath: f.displayPath }));
    const model: ConstraintModel = {
      root: fileRefs[0]!,
      files: fileRefs,
      workloads: [...workloads.values()],
      // Made on first use: compiling to the IR reads the table instead (see toIr).
      get constraints() {
        return table.allSpecs();
      },
      flows,
    };
    tables.set(model, table);
    return { model, diagnostics };
  }
}

/** The rows behind a model that the checker made (for toIr, which reads them directly). */
const tables = new WeakMap<ConstraintModel, ConstraintTable>();

export function constraintTableOf(model: ConstraintModel): ConstraintTable | undefined {
  return tables.get(model);
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
