import { catalog, createDiagnostic, didYouMean, type Diagnostic, type SourceText } from "../diagnostics/index.js";
import type { Block, ComparisonOp, Property, Scalar, Selector, Value } from "./ast.js";
import { keySpan, nameText, opSpan, unitSpan } from "./ast.js";
import type { Bound, Equivalence, Mutations, Origin, SelectorRef } from "./model.js";
import {
  boundKeys, DEFAULT_PERCENTILE, keysFor, metrics, mutationOperators, percentiles, type Metric, type MutationOperator, type Percentile,
} from "./properties.js";
import { SourceOrigin } from "./origin.js";
import { nameSelector, stringSelector, type ParsedSelector } from "./selector.js";
import { baseUnitOf, kindDescription, toBaseUnit, unitNames, units, type QuantityKind } from "./units.js";

/** The settings one block states, before defaults are merged in. */
export interface BlockSettings {
  /** Bounds in written order; a metric bounded here replaces the defaults' bounds on it. */
  bounds: Bound[];
  percentile?: Percentile;
  algorithm?: SelectorRef[];
  mutations?: Mutations;
  workload?: { name: string; origin: Origin };
  equivalence?: Equivalence;
  severity?: "error" | "warning";
}

export type BlockContext = "constraint" | "flow" | "defaults";

/**
 * Receives a constraint block's bounds as they are checked: the checker's
 * table keeps them as numbers, so no Bound object is made for them.
 */
export interface BoundSink {
  addBound(metric: Metric, op: ComparisonOp, value: number, start: number, end: number): void;
}

/** Shared by every block without bounds (never mutated). */
export const NO_BOUNDS: Bound[] = Object.freeze([]) as unknown as Bound[];

/** Checks the properties of one block; reports into `diagnostics`. */
export class BlockChecker {
  constructor(
    private readonly source: SourceText,
    private readonly diagnostics: Diagnostic[],
  ) {}

  private report(def: Parameters<typeof createDiagnostic>[0], args: Record<string, string | number>, span: { start: number; end: number }, extras: Parameters<typeof createDiagnostic>[3] = {}) {
    this.diagnostics.push(createDiagnostic(def, args, this.source.locate(span), extras));
  }

  /** What `check` returns: one settings object reused for every block (callers copy what they keep). */
  private readonly scratch: BlockSettings = { bounds: NO_BOUNDS, percentile: undefined, algorithm: undefined, mutations: undefined, workload: undefined, equivalence: undefined, severity: undefined };
  /**
   * The bounds of the block being checked, the first `boundCount` of them;
   * copied out at the end into an array of exact size. Reset by count, not
   * by `length = 0`, which would drop the array's storage every block.
   */
  private readonly scratchBounds: Bound[] = [];
  private boundCount = 0;

  /** Where a constraint block's bounds go instead of Bound objects, during `check` (see BoundSink). */
  private sink: BoundSink | undefined;

  origin(span: { start: number; end: number }): Origin {
    return new SourceOrigin(this.source, span.start, span.end);
  }

  /**
   * Checks one block and returns its settings. The settings object is valid
   * until the next call, its `bounds` array is the caller's. With a `sink`,
   * the block's bounds go to it as they are checked and `bounds` is empty.
   */
  check(block: Block, context: BlockContext, selfSelector?: string, sink?: BoundSink): BlockSettings {
    const settings = this.scratch;
    settings.percentile = settings.algorithm = settings.mutations = settings.workload = settings.equivalence = settings.severity = undefined;
    this.boundCount = 0;
    this.sink = sink;
    // The block's percentile is read first: its bounds are created with it.
    let percentileProperty: Property | undefined;
    for (const p of block.properties) if (p.key === "percentile") percentileProperty ??= p;
    const blockPercentile = percentileProperty === undefined ? undefined : this.checkPercentile(percentileProperty);
    const boundPercentile = blockPercentile ?? DEFAULT_PERCENTILE;
    const blockKind = context === "flow" ? "flow" : "constraint";
    const contextName = context === "flow" ? "a flow block" : context === "defaults" ? "a defaults block" : "a constraint block";
    const properties = block.properties;
    for (let index = 0; index < properties.length; index++) {
      const p = properties[index]!;
      let first: Property | undefined;
      for (let k = 0; k < index && first === undefined; k++) if (properties[k]!.key === p.key) first = properties[k];
      if (first !== undefined) {
        this.report(catalog.semantic.duplicateKey, { key: p.key }, keySpan(p), {
          label: "set again here",
          related: [{ location: this.source.locate(keySpan(first)), message: "first set here" }],
          help: "keep one of them",
        });
        continue;
      }
      const bound = boundKeys.get(p.key);
      if (bound !== undefined) {
        const info = metrics[bound.metric];
        if (info.context !== blockKind) {
          this.report(catalog.semantic.notInContext, { key: p.key, kind: info.context, context: contextName }, keySpan(p), {
            help: info.context === "flow" ? "flow bounds go in `flow caller -> callee { … }`" : "node bounds go in `constraint NAME { … }`",
          });
          continue;
        }
        this.checkBound(p, bound.metric, bound.sugar, boundPercentile);
        continue;
      }
      switch (p.key) {
        case "percentile":
          this.setIfDefined(settings, "percentile", p === percentileProperty ? blockPercentile : this.checkPercentile(p));
          continue;
        case "severity":
          this.setIfDefined(settings, "severity", this.checkChoice(p, ["error", "warning"]) as "error" | "warning" | undefined);
          continue;
      }
      if (blockKind === "constraint") {
        switch (p.key) {
          case "algorithm":
            this.setIfDefined(settings, "algorithm", this.checkAlgorithm(p, selfSelector));
            continue;
          case "mutations":
            this.setIfDefined(settings, "mutations", this.checkMutations(p));
            continue;
          case "workload":
            this.setIfDefined(settings, "workload", this.checkWorkload(p));
            continue;
          case "equivalence":
            this.setIfDefined(settings, "equivalence", this.checkEquivalence(p));
            continue;
        }
      }
      const otherKeys = keysFor(blockKind === "flow" ? "constraint" : "flow");
      if (otherKeys.includes(p.key)) {
        this.report(catalog.semantic.notInContext, { key: p.key, kind: blockKind === "flow" ? "constraint" : "flow", context: contextName }, keySpan(p), {
          help: blockKind === "flow" ? "node settings go in `constraint NAME { … }`" : "flow settings go in `flow caller -> callee { … }`",
        });
        continue;
      }
      const help = didYouMean(p.key, keysFor(blockKind));
      this.report(catalog.semantic.unknownKey, { key: p.key, context: contextName }, keySpan(p), {
        label: "unknown property",
        ...(help !== undefined ? { help } : {}),
      });
    }
    settings.bounds = this.boundCount === 0 ? NO_BOUNDS : this.scratchBounds.slice(0, this.boundCount);
    return settings;
  }

  /** A checked bound of property `p`: to the sink, or made into a Bound. */
  private addBound(p: Property, metric: Metric, op: ComparisonOp, value: number, percentile: Percentile): void {
    if (this.sink !== undefined) {
      this.sink.addBound(metric, op, value, p.start, p.end);
      return;
    }
    const info = metrics[metric];
    this.scratchBounds[this.boundCount++] = { metric, op, value, unit: baseUnitOf[info.kind], percentile: info.usesPercentile ? percentile : undefined, origin: this.origin(p) };
  }

  private setIfDefined<K extends keyof BlockSettings>(settings: BlockSettings, key: K, value: BlockSettings[K] | undefined) {
    if (value !== undefined) settings[key] = value;
  }

  private describeValue(v: Value): string {
    switch (v.kind) {
      case "list":
        return "a list";
      case "range":
        return "a range";
      case "comparison":
        return "a comparison";
      case "string":
        return "a string";
      case "name":
        return `the name \`${nameText(v)}\``;
      case "quantity": {
        if (v.unit === undefined) return "a plain number";
        const u = units.get(v.unit);
        return u ? kindDescription[u.kind].name : "a quantity";
      }
    }
  }

  /** The value of a bound on `metric`, in its base unit, or undefined when `q` breaks a rule (reported). */
  private boundValue(p: Property, metric: Metric, q: Scalar): number | undefined {
    return this.checkQuantity(q, metrics[metric].kind, p.key);
  }

  /** Checks a bound property and adds its bound(s) to the block's. */
  private checkBound(p: Property, metric: Metric, sugar: "max" | "min" | undefined, percentile: Percentile): void {
    const info = metrics[metric];
    const v = p.value;
    const defaultOp: ComparisonOp = sugar === "max" ? "<=" : sugar === "min" ? ">=" : info.plainOp;
    if (v.kind === "comparison") {
      const allowed = sugar === "max" ? ["<", "<="] : sugar === "min" ? [">", ">="] : undefined;
      if (allowed !== undefined && !allowed.includes(v.op)) {
        this.report(catalog.semantic.operatorAgainstSugar, { key: p.key, direction: sugar === "max" ? "upper" : "lower", op: v.op }, opSpan(v), {
          label: `\`${p.key}\` accepts only ${allowed.map((o) => `\`${o}\``).join(" or ")}`,
          help: `write \`${metric}: ${v.op} ${this.source.text.slice(v.operand.start, v.operand.end)}\``,
        });
        return;
      }
      const value = this.boundValue(p, metric, v.operand);
      if (value !== undefined) this.addBound(p, metric, v.op, value, percentile);
      return;
    }
    if (v.kind === "range") {
      if (sugar !== undefined) {
        this.report(catalog.semantic.invalidValue, { key: p.key, reason: "a range states two bounds, but this key is one" }, v, {
          help: `write \`${metric}: ${this.source.text.slice(v.start, v.end)}\``,
        });
        return;
      }
      const low = this.boundValue(p, metric, v.low);
      const high = this.boundValue(p, metric, v.high);
      if (low === undefined || high === undefined) return;
      if (low > high) {
        this.report(catalog.semantic.invertedRange, { low: this.source.text.slice(v.low.start, v.low.end), high: this.source.text.slice(v.high.start, v.high.end) }, v, {
          help: "write the smaller value first",
        });
        return;
      }
      this.addBound(p, metric, ">=", low, percentile);
      this.addBound(p, metric, "<=", high, percentile);
      return;
    }
    if (v.kind === "quantity") {
      const value = this.boundValue(p, metric, v);
      if (value !== undefined) this.addBound(p, metric, defaultOp, value, percentile);
      return;
    }
    this.report(catalog.semantic.wrongKind, { key: p.key, expected: kindDescription[info.kind].name, actual: this.describeValue(v) }, v, {
      label: `expected ${kindDescription[info.kind].name}`,
      help: `write ${kindDescription[info.kind].name} such as \`${p.key}: ${kindDescription[info.kind].example}\``,
    });
  }

  /** Converts a quantity to the base unit of `kind`, reporting every rule it breaks. */
  private checkQuantity(q: Scalar, kind: QuantityKind, key: string): number | undefined {
    const expected = kindDescription[kind];
    if (q.kind !== "quantity") {
      this.report(catalog.semantic.wrongKind, { key, expected: expected.name, actual: this.describeValue(q) }, q, {
        label: `expected ${expected.name}`,
        help: `write ${expected.name} such as \`${expected.example}\``,
      });
      return undefined;
    }
    let factor = 1;
    if (q.unit !== undefined) {
      const unit = units.get(q.unit);
      if (unit === undefined) {
        const ofKind = unitNames.filter((u) => units.get(u)?.kind === kind);
        const suggestion = didYouMean(q.unit, ofKind) ?? didYouMean(q.unit, unitNames);
        const accepted = ofKind.length === 0 ? `${expected.name} takes no unit` : `${expected.name} takes one of ${ofKind.map((u) => `\`${u}\``).join(", ")}`;
        this.report(catalog.semantic.unknownUnit, { unit: q.unit }, unitSpan(q), {
          label: "unknown unit",
          help: suggestion ?? accepted,
        });
        return undefined;
      }
      if (unit.kind !== kind) {
        this.report(catalog.semantic.wrongKind, { key, expected: expected.name, actual: kindDescription[unit.kind].name }, q, {
          label: `expected ${expected.name}`,
          help: `write ${expected.name} such as \`${key}: ${expected.example}\``,
        });
        return undefined;
      }
      factor = unit.factor;
    } else if (kind === "ratio") {
      this.report(catalog.semantic.ratioWithoutPercent, { key, suggestion: `${q.text}%` }, q, { label: "no `%`" });
      return undefined;
    } else if (kind !== "count") {
      this.report(catalog.semantic.wrongKind, { key, expected: expected.name, actual: "a plain number" }, q, {
        label: "no unit",
        help: `add a unit, as in \`${key}: ${q.text}${expected.example.replace(/^[\d.]+/, "")}\``,
      });
      return undefined;
    }
    if (q.value < 0 || Object.is(q.value, -0)) {
      this.report(catalog.semantic.negativeQuantity, { text: this.source.text.slice(q.start, q.end) }, q, { label: "negative" });
      return undefined;
    }
    const value = toBaseUnit(q.value, factor);
    if (!Number.isFinite(value)) {
      this.report(catalog.semantic.invalidNumber, { text: q.text }, q);
      return undefined;
    }
    if (kind === "ratio" && value > 1) {
      this.report(catalog.semantic.ratioAboveHundred, { value: this.source.text.slice(q.start, q.end) }, q, { label: "above 100%" });
      return undefined;
    }
    return value;
  }

  private checkPercentile(p: Property): Percentile | undefined {
    const v = p.value;
    if (v.kind === "name" && v.parts.length === 1 && (percentiles as readonly string[]).includes(v.parts[0]!)) return v.parts[0] as Percentile;
    if (v.kind === "name" || v.kind === "quantity" || v.kind === "string") {
      const text = v.kind === "name" ? nameText(v) : v.kind === "string" ? v.value : `p${v.text}`;
      const help = (percentiles as readonly string[]).includes(text) && v.kind !== "name" ? `did you mean \`${text}\`?` : didYouMean(text, percentiles);
      this.report(catalog.semantic.unknownPercentile, { value: this.source.text.slice(v.start, v.end) }, v, {
        label: "unknown percentile",
        help: help ?? `use one of ${percentiles.map((x) => `\`${x}\``).join(", ")}`,
      });
      return undefined;
    }
    this.report(catalog.semantic.invalidValue, { key: p.key, reason: `expected a percentile name, found ${this.describeValue(v)}` }, v, { help: "write `percentile: p99`" });
    return undefined;
  }

  private checkChoice(p: Property, choices: string[]): string | undefined {
    const v = p.value;
    if (v.kind === "name" && v.parts.length === 1 && choices.includes(v.parts[0]!)) return v.parts[0];
    const text = v.kind === "name" ? nameText(v) : v.kind === "string" ? v.value : undefined;
    const suggestion = text !== undefined ? didYouMean(text, choices) : undefined;
    this.report(catalog.semantic.invalidValue, { key: p.key, reason: `expected ${choices.map((c) => `\`${c}\``).join(" or ")}, found ${this.describeValue(v)}` }, v, {
      help: suggestion ?? `write \`${p.key}: ${choices[0]}\``,
    });
    return undefined;
  }

  /**
   * A selector written as a name or a string, parsed; undefined when a
   * string is unterminated (already reported) or not a valid selector
   * (reported here). Item selectors and `algorithm` entries alike.
   */
  parseSelector(s: Selector): ParsedSelector | undefined {
    if (s.kind === "name") return nameSelector(s.parts);
    if (s.unterminated) return undefined;
    const parsed = stringSelector(s.value);
    if (parsed.ok) return parsed.selector;
    this.report(catalog.semantic.invalidSelector, { selector: s.value, reason: parsed.reason }, s, parsed.help !== undefined ? { help: parsed.help } : {});
    return undefined;
  }

  private selectorRef(v: Value, key: string): SelectorRef | undefined {
    if (v.kind === "name" || v.kind === "string") {
      const selector = this.parseSelector(v);
      return selector === undefined ? undefined : { selector, origin: this.origin(v) };
    }
    this.report(catalog.semantic.invalidValue, { key, reason: `expected a node name, found ${this.describeValue(v)}` }, v);
    return undefined;
  }

  private checkAlgorithm(p: Property, self: string | undefined): SelectorRef[] | undefined {
    const v = p.value;
    if (v.kind !== "list") {
      const text = this.source.text.slice(v.start, v.end);
      this.report(catalog.semantic.invalidValue, { key: p.key, reason: `expected a list of alternatives, found ${this.describeValue(v)}` }, v, { help: `write \`algorithm: [${text}]\`` });
      return undefined;
    }
    if (v.elements.length === 0) {
      this.report(catalog.semantic.emptyAlgorithm, {}, v, { label: "empty list", help: "list at least one alternative implementation, or remove `algorithm`" });
      return undefined;
    }
    const refs: SelectorRef[] = [];
    for (const e of v.elements) {
      const ref = this.selectorRef(e, p.key);
      if (ref === undefined) continue;
      if (self !== undefined && ref.selector.text === self) {
        this.report(catalog.semantic.selfAlternative, { name: ref.selector.text }, e, { label: "this is the constrained node", help: "remove it: the original is always kept as the baseline" });
        continue;
      }
      refs.push(ref);
    }
    return refs.slice();
  }

  private checkMutations(p: Property): Mutations | undefined {
    const v = p.value;
    if (v.kind === "name" && v.parts.length === 1 && (v.parts[0] === "all" || v.parts[0] === "none")) return v.parts[0];
    if (v.kind !== "list") {
      if (v.kind === "name" && v.parts.length === 1 && (mutationOperators as readonly string[]).includes(v.parts[0]!)) {
        this.report(catalog.semantic.invalidValue, { key: p.key, reason: "a single operator must be written as a list" }, v, { help: `write \`mutations: [${v.parts[0]}]\`` });
        return undefined;
      }
      this.report(catalog.semantic.invalidValue, { key: p.key, reason: `expected \`all\`, \`none\` or a list of operators, found ${this.describeValue(v)}` }, v, { help: "write `mutations: [hoist_invariant, set_membership]`" });
      return undefined;
    }
    const ops: MutationOperator[] = [];
    let ok = true;
    for (const e of v.elements) {
      const name = e.kind === "name" ? nameText(e) : e.kind === "string" ? e.value : undefined;
      const known = name === undefined ? -1 : (mutationOperators as readonly string[]).indexOf(name);
      if (known >= 0) {
        // The catalog's own string, not the one read from the text: the list lives as long as the model.
        if (!ops.includes(mutationOperators[known]!)) ops.push(mutationOperators[known]!);
        continue;
      }
      ok = false;
      const help = name === "all" || name === "none" ? `write \`mutations: ${name}\` without brackets` : name !== undefined ? didYouMean(name, mutationOperators) : undefined;
      this.report(catalog.semantic.unknownMutation, { name: name ?? this.source.text.slice(e.start, e.end) }, e, {
        label: "unknown operator",
        ...(help !== undefined ? { help } : {}),
      });
    }
    // At its exact size: an array grown by `push` keeps room for 17.
    return ok ? ops.slice() : undefined;
  }

  private checkWorkload(p: Property): { name: string; origin: Origin } | undefined {
    const v = p.value;
    if (v.kind === "name") return { name: nameText(v), origin: this.origin(v) };
    if (v.kind === "string" && v.value !== "") return { name: v.value, origin: this.origin(v) };
    this.report(catalog.semantic.invalidValue, { key: p.key, reason: `expected the name of a workload export, found ${this.describeValue(v)}` }, v, { help: "write `workload: sortUsersCases`" });
    return undefined;
  }

  private checkEquivalence(p: Property): Equivalence | undefined {
    const v = p.value;
    if (v.kind === "name" && v.parts.length === 1 && (v.parts[0] === "deep" || v.parts[0] === "strict")) return v.parts[0];
    if (v.kind === "string") {
      const hash = v.value.lastIndexOf("#");
      if (hash > 0 && hash < v.value.length - 1) return { module: v.value.slice(0, hash), export: v.value.slice(hash + 1) };
      this.report(catalog.semantic.invalidValue, { key: p.key, reason: "a custom comparison is written \"module#function\"" }, v, { help: `write \`equivalence: "test/compare.ts#sameUsers"\`` });
      return undefined;
    }
    const text = v.kind === "name" ? nameText(v) : undefined;
    const help = text !== undefined ? didYouMean(text, ["deep", "strict"]) : undefined;
    this.report(catalog.semantic.invalidValue, { key: p.key, reason: `expected \`deep\`, \`strict\` or "module#function", found ${this.describeValue(v)}` }, v, { help: help ?? "write `equivalence: deep`" });
    return undefined;
  }
}
