import type { Location } from "../diagnostics/index.js";
import type { ComparisonOp } from "./ast.js";
import type { Metric, MutationOperator, Percentile } from "./properties.js";
import type { ParsedSelector } from "./selector.js";
import type { BaseUnit } from "./units.js";

/**
 * The checked constraint model: what the checker guarantees after a file
 * set has no errors. Every value is in its base unit and every default is
 * applied; locations are kept so that later stages (graph, measure) can
 * point their diagnostics at the CDL that caused them.
 */

/**
 * Where a piece of CDL was written, with its text for messages. Computed on
 * first use (see SourceOrigin): most origins are never shown.
 */
export interface Origin {
  readonly location: Location;
  readonly text: string;
}

export interface Bound {
  metric: Metric;
  op: ComparisonOp;
  value: number;
  unit: Exclude<BaseUnit, "count"> | "count";
  /** The statistic bounded, for `execution_time` and `latency` (undefined for other metrics). */
  percentile: Percentile | undefined;
  origin: Origin;
}

export type Mutations = "all" | "none" | MutationOperator[];

export type Equivalence = "deep" | "strict" | { module: string; export: string };

export interface SelectorRef {
  selector: ParsedSelector;
  origin: Origin;
}

export interface ConstraintSpec {
  selector: SelectorRef;
  /** The whole `constraint` item. */
  origin: Origin;
  bounds: Bound[];
  algorithm: SelectorRef[];
  mutations: Mutations;
  /** The workload export, when set; otherwise each node's own simple name. */
  workload?: { name: string; origin: Origin };
  equivalence: Equivalence;
  severity: "error" | "warning";
  percentile: Percentile;
}

export interface FlowSpec {
  from: SelectorRef;
  to: SelectorRef;
  origin: Origin;
  bounds: Bound[];
  severity: "error" | "warning";
}

export interface WorkloadRef {
  /** Absolute path of the module, as found on disk. */
  path: string;
  /** The path relative to the root CDL file's folder (forward slashes). */
  relativePath: string;
  origin: Origin;
}

export interface CdlFileRef {
  path: string;
  relativePath: string;
  displayPath: string;
}

/** A CDL file with everything it imports, checked. */
export interface ConstraintModel {
  root: CdlFileRef;
  files: CdlFileRef[];
  workloads: WorkloadRef[];
  /** In a compile's model, made on first access from the checker's rows (see ConstraintTable), then the same array. */
  constraints: ConstraintSpec[];
  flows: FlowSpec[];
}
