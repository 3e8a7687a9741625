import { sortDiagnostics, type Diagnostic, type SourceText } from "../diagnostics/index.js";
import { constraintTableOf, ModelChecker } from "./check.js";
import type { BoundVisitor, ConstraintTable } from "./constraint-table.js";
import type { CompilerHost } from "./host.js";
import { loadCdl } from "./load.js";
import type { Bound, ConstraintModel, ConstraintSpec, Equivalence, Mutations, Origin } from "./model.js";
import { SourceOrigin } from "./origin.js";
import { simpleName, simpleNameOf } from "./selector.js";

/** The JSON IR of `cdlc compile`, as the command-line contract shows it. */
export interface IrBound {
  metric: string;
  op: string;
  value: number;
  unit: string;
  percentile?: string;
}

export interface IrSource {
  file: string;
  line: number;
  column: number;
}

export interface IrConstraint {
  selector: string;
  selectorKind: string;
  source: IrSource;
  bounds: IrBound[];
  algorithm: string[];
  mutations: Mutations;
  workload: string | null;
  equivalence: string;
  severity: string;
}

export interface IrFlow {
  from: string;
  to: string;
  source: IrSource;
  bounds: IrBound[];
  severity: string;
}

export interface ConstraintIr {
  version: 1;
  files: string[];
  workloads: string[];
  constraints: IrConstraint[];
  flows: IrFlow[];
}

export interface CompileResult {
  /** Undefined when the root file could not be read at all. */
  model: ConstraintModel | undefined;
  diagnostics: Diagnostic[];
  /** Every CDL text read, by display path (for rendering diagnostics). */
  sources: Map<string, string>;
}

/**
 * The front end in one call: load (parse + imports), check, and build the
 * constraint model. Constraints are checked while their file is parsed.
 * Diagnostics are sorted by file and position.
 */
export function compileCdl(rootPath: string, host: CompilerHost): CompileResult {
  const checker = new ModelChecker(host);
  const loaded = loadCdl(rootPath, host, (path, source) => checker.taker(path, source));
  if (loaded.files.length === 0) return { model: undefined, diagnostics: loaded.diagnostics, sources: loaded.sources };
  const checked = checker.finish(loaded);
  return { model: checked.model, diagnostics: sortDiagnostics([...loaded.diagnostics, ...checked.diagnostics]), sources: loaded.sources };
}

function irBound(b: Bound): IrBound {
  const out: IrBound = { metric: b.metric, op: b.op, value: b.value, unit: b.unit };
  if (b.percentile !== undefined) out.percentile = b.percentile;
  return out;
}

/** The IR's source position: relative to the root CDL file's folder, like `files`. */
function irSource(origin: Origin, fileMap: Map<string, string>): IrSource {
  if (origin instanceof SourceOrigin) return irSourceAt(origin.source, origin.start, fileMap);
  const l = origin.location;
  return { file: fileMap.get(l.file) ?? l.file, line: l.line, column: l.column };
}

/** Straight from the offset: building the whole Location of every constraint costs more than the IR itself. */
function irSourceAt(source: SourceText, offset: number, fileMap: Map<string, string>): IrSource {
  const line = source.lineOf(offset);
  return { file: fileMap.get(source.file) ?? source.file, line, column: offset - source.lineStart(line) + 1 };
}

function irEquivalence(e: Equivalence): string {
  return typeof e === "string" ? e : `${e.module}#${e.export}`;
}

/** IR constraints read from the checker's rows, without making the model's objects (the same IR as irConstraint gives). */
function irConstraintsOf(table: ConstraintTable, fileMap: Map<string, string>): IrConstraint[] {
  const out: IrConstraint[] = [];
  let bounds: IrBound[] = [];
  const addBound: BoundVisitor = (metric, op, value, unit, percentile) => {
    const b: IrBound = { metric, op, value, unit };
    if (percentile !== undefined) b.percentile = percentile;
    bounds.push(b);
  };
  for (let i = 0; i < table.length; i++) {
    bounds = [];
    table.forEachBound(i, addBound);
    const text = table.selector(i);
    const kind = table.selectorKindOf(i);
    out.push({
      selector: text,
      selectorKind: kind,
      source: irSourceAt(table.sourceOf(i), table.itemStartOf(i), fileMap),
      bounds,
      algorithm: table.algorithmOf(i)?.map((a) => a.selector.text) ?? [],
      mutations: table.mutationsOf(i),
      workload: table.workloadOf(i)?.name ?? simpleNameOf(text, kind) ?? null,
      equivalence: irEquivalence(table.equivalenceOf(i)),
      severity: table.severityOf(i),
    });
  }
  return out;
}

function irConstraint(c: ConstraintSpec, fileMap: Map<string, string>): IrConstraint {
  return {
    selector: c.selector.selector.text,
    selectorKind: c.selector.selector.kind,
    source: irSource(c.origin, fileMap),
    bounds: c.bounds.map(irBound),
    algorithm: c.algorithm.map((a) => a.selector.text),
    mutations: c.mutations,
    // The effective workload export: set, or the node's simple name; null for patterns (each node's own).
    workload: c.workload?.name ?? simpleName(c.selector.selector) ?? null,
    equivalence: irEquivalence(c.equivalence),
    severity: c.severity,
  };
}

/** Serializable IR of a checked model; deterministic for identical input. */
export function toIr(model: ConstraintModel): ConstraintIr {
  const fileMap = new Map(model.files.map((f) => [f.displayPath, f.relativePath]));
  const table = constraintTableOf(model);
  return {
    version: 1,
    files: model.files.map((f) => f.relativePath),
    workloads: model.workloads.map((w) => w.relativePath),
    constraints: table !== undefined ? irConstraintsOf(table, fileMap) : model.constraints.map((c) => irConstraint(c, fileMap)),
    flows: model.flows.map((f) => ({
      from: f.from.selector.text,
      to: f.to.selector.text,
      source: irSource(f.origin, fileMap),
      bounds: f.bounds.map(irBound),
      severity: f.severity,
    })),
  };
}
