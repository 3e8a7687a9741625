import type { Location, SourceText } from "../diagnostics/index.js";
import type { ComparisonOp } from "./ast.js";
import { NO_BOUNDS, type BlockSettings } from "./check-block.js";
import type { Bound, ConstraintSpec, Equivalence, Mutations, Origin, SelectorRef } from "./model.js";
import { SourceOrigin } from "./origin.js";
import { DEFAULT_PERCENTILE, metrics, percentiles, type Metric, type Percentile } from "./properties.js";
import type { ParsedSelector } from "./selector.js";
import { baseUnitOf } from "./units.js";

/**
 * The checked constraints of one compile, stored by column until a consumer
 * asks for objects.
 *
 * Why: a large file's constraints all live until the compile ends, and as
 * objects (a spec, its selector, origins, bounds: a dozen per constraint)
 * the garbage collector copied each of them while the rest of the file was
 * parsed; that cost a fifth of the compile. Here a constraint is a row of
 * numbers in typed arrays (outside the collected heap) plus its selector's
 * text, and the settings few constraints have (`algorithm`, `mutations`,
 * `workload`, `equivalence`) as objects. `cdlc compile` builds its IR
 * straight from the rows; the model's ConstraintSpec objects are made on
 * first use (graph binding, measurement), exactly as the checker defines them.
 */

const METRICS = Object.keys(metrics) as Metric[];
const OPS: readonly ComparisonOp[] = ["<", "<=", ">", ">=", "=="];
const SELECTOR_KINDS: readonly ParsedSelector["kind"][] = ["name", "qualified", "path", "pattern"];
const SEVERITIES = [undefined, "error", "warning"] as const;

/** Settings few constraints state, kept as the block checker made them. */
interface RareSettings {
  algorithm: SelectorRef[] | undefined;
  mutations: Mutations | undefined;
  workload: { name: string; origin: Origin } | undefined;
  equivalence: Equivalence | undefined;
}

/** A constraint's selector as the table keeps it: its text and form, and where it was written. */
interface SelectorRow {
  text: string;
  kind: ParsedSelector["kind"];
  start: number;
  end: number;
}

/** Receives one effective bound (arguments, not an object: the IR makes its own). */
export type BoundVisitor = (metric: Metric, op: ComparisonOp, value: number, unit: Bound["unit"], percentile: Percentile | undefined) => void;

/** Shared by every constraint without `algorithm:` (never mutated). */
const NO_ALTERNATIVES: SelectorRef[] = Object.freeze([]) as unknown as SelectorRef[];

/** `larger` with `column`'s contents at its start. */
function grown<T extends Uint8Array | Uint16Array | Int32Array | Float64Array>(column: T, larger: T): T {
  larger.set(column);
  return larger;
}

/** Rebuilds a parsed selector from its text and form (the inverse of nameSelector / stringSelector's output). */
function parsedSelector(text: string, kind: ParsedSelector["kind"]): ParsedSelector {
  if (kind === "name") return { kind, text, name: text };
  if (kind === "qualified") {
    const dot = text.lastIndexOf(".");
    return { kind, text, name: text.slice(dot + 1), container: text.slice(0, dot) };
  }
  const hash = text.indexOf("#");
  return { kind, text, file: text.slice(0, hash), name: text.slice(hash + 1) };
}

export class ConstraintTable {
  private rows = 0;
  private capacity = 0;
  private boundRows = 0;
  private boundCapacity = 0;

  // One entry per constraint.
  private file = new Uint16Array(0);
  private itemStart = new Int32Array(0);
  private itemEnd = new Int32Array(0);
  private selectorStart = new Int32Array(0);
  private selectorEnd = new Int32Array(0);
  private selectorKind = new Uint8Array(0);
  /** 0: not set in the block; k + 1: percentiles[k]. */
  private percentile = new Uint8Array(0);
  /** Index into SEVERITIES. */
  private severity = new Uint8Array(0);
  private firstBound = new Int32Array(0);
  private boundCount = new Uint16Array(0);
  private readonly selectorText: string[] = [];
  private readonly rare = new Map<number, RareSettings>();

  // One entry per bound a block states itself.
  private boundMetric = new Uint8Array(0);
  private boundOp = new Uint8Array(0);
  private boundValue = new Float64Array(0);
  private boundStart = new Int32Array(0);
  private boundEnd = new Int32Array(0);

  /** Per file index: its source, and its defaults once known. */
  private readonly sources: SourceText[] = [];
  private readonly defaults: (BlockSettings | undefined)[] = [];
  private specs: ConstraintSpec[] | undefined;
  private readonly made = new Map<number, ConstraintSpec>();

  get length(): number {
    return this.rows;
  }

  /** Registers a CDL file; returns its index for `add`. */
  addFile(source: SourceText): number {
    // Room for the rows the file probably holds: growing a typed array allocates a new buffer,
    // and a buffer costs far more to allocate than its size suggests.
    const size = source.text.length;
    if (this.rows + (size >> 7) > this.capacity) this.grow(this.rows + (size >> 7));
    if (this.boundRows + (size >> 6) > this.boundCapacity) this.growBounds(this.boundRows + (size >> 6));
    this.sources.push(source);
    this.defaults.push(undefined);
    return this.sources.length - 1;
  }

  setDefaults(file: number, defaults: BlockSettings): void {
    this.defaults[file] = defaults;
  }

  /** Where the next bound goes: the bounds added from here on belong to the next `add`. */
  get boundMark(): number {
    return this.boundRows;
  }

  /** A bound of the block being checked (the table is the block checker's BoundSink for constraints). */
  addBound(metric: Metric, op: ComparisonOp, value: number, start: number, end: number): void {
    const j = this.boundRows++;
    if (j >= this.boundCapacity) this.growBounds();
    this.boundMetric[j] = METRICS.indexOf(metric);
    this.boundOp[j] = OPS.indexOf(op);
    this.boundValue[j] = value;
    this.boundStart[j] = start;
    this.boundEnd[j] = end;
  }

  /** Forgets the bounds added since `mark`: their constraint was dropped (its selector is invalid). */
  dropBoundsFrom(mark: number): void {
    this.boundRows = mark;
  }

  /**
   * Adds a constraint checked on its own (its block's settings, before
   * defaults), whose bounds were added since `firstBound`; returns its row.
   */
  add(file: number, item: { start: number; end: number }, selector: SelectorRow, own: BlockSettings, firstBound: number): number {
    const i = this.rows++;
    if (i >= this.capacity) this.grow();
    this.file[i] = file;
    this.itemStart[i] = item.start;
    this.itemEnd[i] = item.end;
    this.selectorStart[i] = selector.start;
    this.selectorEnd[i] = selector.end;
    this.selectorKind[i] = SELECTOR_KINDS.indexOf(selector.kind);
    this.selectorText.push(selector.text);
    this.percentile[i] = own.percentile === undefined ? 0 : percentiles.indexOf(own.percentile) + 1;
    this.severity[i] = SEVERITIES.indexOf(own.severity);
    this.firstBound[i] = firstBound;
    this.boundCount[i] = this.boundRows - firstBound;
    if (own.algorithm !== undefined || own.mutations !== undefined || own.workload !== undefined || own.equivalence !== undefined) {
      this.rare.set(i, { algorithm: own.algorithm, mutations: own.mutations, workload: own.workload, equivalence: own.equivalence });
    }
    return i;
  }

  private grow(atLeast = 0): void {
    const n = Math.max(64, this.capacity * 2, atLeast);
    this.file = grown(this.file, new Uint16Array(n));
    this.itemStart = grown(this.itemStart, new Int32Array(n));
    this.itemEnd = grown(this.itemEnd, new Int32Array(n));
    this.selectorStart = grown(this.selectorStart, new Int32Array(n));
    this.selectorEnd = grown(this.selectorEnd, new Int32Array(n));
    this.selectorKind = grown(this.selectorKind, new Uint8Array(n));
    this.percentile = grown(this.percentile, new Uint8Array(n));
    this.severity = grown(this.severity, new Uint8Array(n));
    this.firstBound = grown(this.firstBound, new Int32Array(n));
    this.boundCount = grown(this.boundCount, new Uint16Array(n));
    this.capacity = n;
  }

  private growBounds(atLeast = 0): void {
    const n = Math.max(128, this.boundCapacity * 2, atLeast);
    this.boundMetric = grown(this.boundMetric, new Uint8Array(n));
    this.boundOp = grown(this.boundOp, new Uint8Array(n));
    this.boundValue = grown(this.boundValue, new Float64Array(n));
    this.boundStart = grown(this.boundStart, new Int32Array(n));
    this.boundEnd = grown(this.boundEnd, new Int32Array(n));
    this.boundCapacity = n;
  }

  // Effective settings: the block's own, else its file's defaults, else the language's.

  private defaultsOf(i: number): BlockSettings | undefined {
    return this.defaults[this.file[i]!];
  }

  selector(i: number): string {
    return this.selectorText[i]!;
  }

  selectorKindOf(i: number): ParsedSelector["kind"] {
    return SELECTOR_KINDS[this.selectorKind[i]!]!;
  }

  selectorLocation(i: number): Location {
    return this.sources[this.file[i]!]!.locate({ start: this.selectorStart[i]!, end: this.selectorEnd[i]! });
  }

  /** The source of the constraint's file; with `itemStartOf`, its position in the IR. */
  sourceOf(i: number): SourceText {
    return this.sources[this.file[i]!]!;
  }

  itemStartOf(i: number): number {
    return this.itemStart[i]!;
  }

  percentileOf(i: number): Percentile {
    const own = this.percentile[i]!;
    return own > 0 ? percentiles[own - 1]! : (this.defaultsOf(i)?.percentile ?? DEFAULT_PERCENTILE);
  }

  severityOf(i: number): "error" | "warning" {
    return SEVERITIES[this.severity[i]!] ?? this.defaultsOf(i)?.severity ?? "error";
  }

  algorithmOf(i: number): SelectorRef[] | undefined {
    return this.rare.get(i)?.algorithm ?? this.defaultsOf(i)?.algorithm;
  }

  mutationsOf(i: number): Mutations {
    return this.rare.get(i)?.mutations ?? this.defaultsOf(i)?.mutations ?? "all";
  }

  workloadOf(i: number): { name: string; origin: Origin } | undefined {
    return this.rare.get(i)?.workload ?? this.defaultsOf(i)?.workload;
  }

  equivalenceOf(i: number): Equivalence {
    return this.rare.get(i)?.equivalence ?? this.defaultsOf(i)?.equivalence ?? "deep";
  }

  /** Whether the block bounds `metric` itself (then the defaults' bounds on it do not apply). */
  private ownsMetric(i: number, metric: Metric): boolean {
    const code = METRICS.indexOf(metric);
    const first = this.firstBound[i]!;
    for (let j = first; j < first + this.boundCount[i]!; j++) if (this.boundMetric[j] === code) return true;
    return false;
  }

  /**
   * Whether the defaults' bound `b` applies to constraint `i`: only when its
   * block does not bound that metric. (Asked bound by bound: making the list
   * of inherited bounds for every row allocated more than it saved.)
   */
  private inherits(i: number, b: Bound): boolean {
    return !this.ownsMetric(i, b.metric);
  }

  /** The defaults' bounds that apply to constraint `i`. */
  private inheritedBounds(i: number): readonly Bound[] {
    return (this.defaultsOf(i)?.bounds ?? NO_BOUNDS).filter((b) => this.inherits(i, b));
  }

  /**
   * Calls `each` with every effective bound of constraint `i`: its own, in
   * written order, then the inherited ones. A bound on a percentile metric
   * is at the constraint's percentile.
   */
  forEachBound(i: number, each: BoundVisitor): void {
    const percentile = this.percentileOf(i);
    const first = this.firstBound[i]!;
    for (let j = first; j < first + this.boundCount[i]!; j++) {
      const metric = METRICS[this.boundMetric[j]!]!;
      const info = metrics[metric];
      each(metric, OPS[this.boundOp[j]!]!, this.boundValue[j]!, baseUnitOf[info.kind], info.usesPercentile ? percentile : undefined);
    }
    for (const b of this.defaultsOf(i)?.bounds ?? NO_BOUNDS) if (this.inherits(i, b)) each(b.metric, b.op, b.value, b.unit, b.percentile === undefined ? undefined : percentile);
  }

  /** How many bounds constraint `i`'s block states itself. */
  ownBoundCount(i: number): number {
    return this.boundCount[i]!;
  }

  /** How many bounds constraint `i` has in effect. */
  boundCountOf(i: number): number {
    let count = this.boundCount[i]!;
    for (const b of this.defaultsOf(i)?.bounds ?? NO_BOUNDS) if (this.inherits(i, b)) count++;
    return count;
  }

  /** Whether two of the bounds in effect on constraint `i` bound the same metric (only then can it contradict itself). */
  sharesMetric(i: number): boolean {
    let seen = 0;
    const first = this.firstBound[i]!;
    for (let j = first; j < first + this.boundCount[i]!; j++) {
      const bit = 1 << this.boundMetric[j]!;
      if (seen & bit) return true;
      seen |= bit;
    }
    for (const b of this.defaultsOf(i)?.bounds ?? NO_BOUNDS) {
      if (!this.inherits(i, b)) continue;
      const bit = 1 << METRICS.indexOf(b.metric);
      if (seen & bit) return true;
      seen |= bit;
    }
    return false;
  }

  /** Constraint `i` as the model's object, made once. */
  spec(i: number): ConstraintSpec {
    let spec = this.made.get(i);
    if (spec !== undefined) return spec;
    const source = this.sources[this.file[i]!]!;
    const percentile = this.percentileOf(i);
    const own: Bound[] = [];
    const first = this.firstBound[i]!;
    for (let j = first; j < first + this.boundCount[i]!; j++) {
      const metric = METRICS[this.boundMetric[j]!]!;
      const info = metrics[metric];
      own.push({
        metric,
        op: OPS[this.boundOp[j]!]!,
        value: this.boundValue[j]!,
        unit: baseUnitOf[info.kind],
        percentile: info.usesPercentile ? percentile : undefined,
        origin: new SourceOrigin(source, this.boundStart[j]!, this.boundEnd[j]!),
      });
    }
    // Inherited bounds are the defaults' own objects, copied only to change their percentile.
    const bounds = own.concat(this.inheritedBounds(i).map((b) => (b.percentile === undefined || b.percentile === percentile ? b : { ...b, percentile })));
    spec = {
      selector: { selector: parsedSelector(this.selectorText[i]!, this.selectorKindOf(i)), origin: new SourceOrigin(source, this.selectorStart[i]!, this.selectorEnd[i]!) },
      origin: new SourceOrigin(source, this.itemStart[i]!, this.itemEnd[i]!),
      bounds,
      algorithm: this.algorithmOf(i) ?? NO_ALTERNATIVES,
      mutations: this.mutationsOf(i),
      equivalence: this.equivalenceOf(i),
      severity: this.severityOf(i),
      percentile,
      workload: this.workloadOf(i),
    };
    this.made.set(i, spec);
    return spec;
  }

  /** Every constraint as the model's objects, in order (made on the first call). */
  allSpecs(): ConstraintSpec[] {
    if (this.specs === undefined) {
      const specs: ConstraintSpec[] = [];
      for (let i = 0; i < this.rows; i++) specs.push(this.spec(i));
      this.specs = specs;
    }
    return this.specs;
  }
}
