import fc from "fast-check";
import { shapeChildren, type IndexKey, type LiteralShape, type NodeShape, type Shape, type TupleElementShape } from "./shape.js";

/**
 * Inputs for a node, generated in the child process from the shapes the
 * parent read off its parameter types (shapes.ts). The generators lean on
 * the values that break rewrites: NaN, -0, ±Infinity, huge and small
 * integers (small ones often, so that siblings repeat), empty and
 * one-element arrays, arrays drawn from a pool of two or three values
 * (duplicates), sparse arrays, strings that are object keys of
 * `Object.prototype`, unicode with astral characters and combining marks,
 * optional properties absent, present and `undefined`. Everything is built
 * from fast-check combinators, so values are reproducible under a seed and
 * shrink. No TypeScript here: the child stays light.
 */

export interface ArbitraryOptions {
  /** Longest generated array, string, map, set or record (default 8). */
  maxLength?: number;
  /** How many times a recursive type may unfold before its smallest value is taken (default 3). */
  maxDepth?: number;
}

/** One call's inputs; `thisArg` is present only when the shape has a receiver. */
export interface GeneratedInput {
  args: unknown[];
  thisArg?: unknown;
}

const SPECIAL_NUMBERS = [0, -0, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON, 1, -1, 0.1, 0.5, 2 ** 31, 2 ** 32];
const SPECIAL_INTEGERS = [0, -0, 1, -1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 31, -(2 ** 31), 2 ** 32];
const SPECIAL_STRINGS = [
  "",
  " ",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "prototype",
  "length",
  "0",
  "-0",
  "NaN",
  "undefined",
  "null",
  "a\u0301", // a + combining acute: two code units, one grapheme
  "\u00e1", // the same letter precomposed
  "\u{1f600}", // astral: a surrogate pair
  "\u{1f468}\u200d\u{1f469}\u200d\u{1f467}", // a ZWJ sequence
  "\ud83d", // a lone surrogate
  "\u0130", // İ: lower-cases to two code points
  "\u00df", // ß: upper-cases to "SS"
  "\u0000",
  "a\nb",
];
const SPECIAL_BIGINTS = [0n, 1n, -1n, 2n ** 53n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n];

const numbers = (integer: boolean): fc.Arbitrary<number> =>
  integer
    ? fc.oneof({ arbitrary: fc.integer({ min: -8, max: 8 }), weight: 5 }, { arbitrary: fc.constantFrom(...SPECIAL_INTEGERS), weight: 2 }, { arbitrary: fc.maxSafeInteger(), weight: 1 })
    : fc.oneof(
        // Small integers first: most values, the shrink target, and duplicates among siblings.
        { arbitrary: fc.integer({ min: -8, max: 8 }), weight: 5 },
        { arbitrary: fc.constantFrom(...SPECIAL_NUMBERS), weight: 2 },
        { arbitrary: fc.double(), weight: 2 },
        { arbitrary: fc.integer(), weight: 1 },
      );

const strings = (maxLength: number): fc.Arbitrary<string> =>
  fc.oneof(
    // A three-letter alphabet: short strings repeat, as keys and values do in real data.
    { arbitrary: fc.string({ unit: fc.constantFrom("a", "b", "c"), maxLength: 3 }), weight: 5 },
    { arbitrary: fc.constantFrom(...SPECIAL_STRINGS), weight: 2 },
    { arbitrary: fc.string({ maxLength }), weight: 1 },
    { arbitrary: fc.string({ unit: "grapheme", maxLength }), weight: 1 },
    // Any code point, lone surrogates included (fast-check's "binary" unit does this too, but builds its tables in a second or more, in every oracle child).
    { arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)), maxLength }), weight: 1 },
  );

const bigints = (): fc.Arbitrary<bigint> =>
  fc.oneof({ arbitrary: fc.bigInt({ min: -8n, max: 8n }), weight: 5 }, { arbitrary: fc.constantFrom(...SPECIAL_BIGINTS), weight: 2 }, { arbitrary: fc.bigInt(), weight: 1 });

/** Keys of a number index signature: the strings numbers become as property keys. */
const numberKeys = (): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: fc.integer({ min: 0, max: 8 }), weight: 5 }, { arbitrary: fc.constantFrom(-1, 1.5, 2 ** 32, NaN, Infinity), weight: 1 }).map(String);

function literal(s: LiteralShape): unknown {
  switch (s.type) {
    case "number":
      return typeof s.value === "number" ? s.value : { NaN, Infinity, "-Infinity": -Infinity, "-0": -0 }[s.value];
    case "bigint":
      return BigInt(s.value);
    default:
      return s.value;
  }
}

/** A copy of a generated object with more own properties (defined, so that a `__proto__` key stays a key). */
function withExtraKeys(base: object, extra: Record<string, unknown>): object {
  const out = Object.create(Object.getPrototypeOf(base) === null ? null : Object.prototype) as object;
  for (const [k, v] of [...Object.entries(base), ...Object.entries(extra)]) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** A fresh empty container per value (a shared constant would carry one call's mutations into the next). */
const fresh = <T>(make: () => T): fc.Arbitrary<T> => fc.constant(null).map(make);

class Builder {
  private readonly cache = new Map<string, fc.Arbitrary<unknown>>();
  private readonly reaches = new WeakMap<Shape, boolean>();
  /** For each recursive type, how many refs its smallest value must unfold (Infinity: none is finite). */
  private readonly heights: Map<string, number>;
  private readonly number = numbers(false);
  private readonly integer = numbers(true);
  private stringArbitrary: fc.Arbitrary<string> | undefined;
  private readonly bigint = bigints();

  constructor(
    private readonly definitions: Record<string, Shape>,
    private readonly maxLength: number,
  ) {
    this.heights = this.computeHeights();
  }

  /** Strings, made on first use. */
  private get string(): fc.Arbitrary<string> {
    this.stringArbitrary ??= strings(this.maxLength);
    return this.stringArbitrary;
  }

  /** Least fixpoint: a ref costs one more than its definition; containers may be empty and optional parts absent. */
  private computeHeights(): Map<string, number> {
    const heights = new Map(Object.keys(this.definitions).map((name) => [name, Infinity]));
    for (let changed = true; changed; ) {
      changed = false;
      for (const [name, def] of Object.entries(this.definitions)) {
        const h = this.heightIn(def, heights);
        if (h < heights.get(name)!) {
          heights.set(name, h);
          changed = true;
        }
      }
    }
    return heights;
  }

  private heightIn(s: Shape, heights: Map<string, number>): number {
    switch (s.kind) {
      case "ref":
        return 1 + (heights.get(s.name) ?? Infinity);
      case "object":
        return Math.max(0, ...s.properties.filter((p) => p.optional !== true).map((p) => this.heightIn(p.shape, heights)));
      case "tuple":
        return Math.max(0, ...s.elements.filter((e) => e.role === "required").map((e) => this.heightIn(e.shape, heights)));
      case "union":
        return Math.min(...s.members.map((m) => this.heightIn(m, heights)));
      case "unsupported":
        return Infinity;
      default:
        return 0;
    }
  }

  private height(s: Shape): number {
    return this.heightIn(s, this.heights);
  }

  /** Whether a shape holds a ref (without following refs). */
  private reachesRef(s: Shape): boolean {
    let r = this.reaches.get(s);
    if (r === undefined) {
      r = s.kind === "ref" || shapeChildren(s).some((c) => this.reachesRef(c));
      this.reaches.set(s, r);
    }
    return r;
  }

  /** Arrays: plain, drawn from a small pool (duplicates, shared objects), and — where holes are possible — sparse. */
  array(element: fc.Arbitrary<unknown>, holes: boolean): fc.Arbitrary<unknown[]> {
    const { maxLength } = this;
    const pooled = fc
      .tuple(fc.array(element, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength }))
      .map(([pool, picks]) => picks.map((i) => pool[i % pool.length]));
    return fc.oneof(
      { arbitrary: fc.array(element, { maxLength }), weight: 4 },
      { arbitrary: pooled, weight: 2 },
      ...(holes ? [{ arbitrary: fc.sparseArray(element, { maxLength }), weight: 1 }] : []),
    );
  }

  private key(key: IndexKey): fc.Arbitrary<string> {
    return key === "string" ? this.string : numberKeys();
  }

  /** The arbitrary of a shape; `depth`: how many more times refs may unfold. */
  of(s: Shape, depth: number): fc.Arbitrary<unknown> {
    switch (s.kind) {
      case "number":
        return s.integer === true ? this.integer : this.number;
      case "string":
        return this.string;
      case "boolean":
        return fc.boolean();
      case "bigint":
        return this.bigint;
      case "null":
        return fc.constant(null);
      case "undefined":
        return fc.constant(undefined);
      case "literal":
        return fc.constant(literal(s));
      case "date":
        return fc.date();
      case "anything":
        return this.anything();
      case "array":
        return this.array(this.of(s.element, depth), true);
      case "tuple":
        return this.tuple(s.elements, (e) => this.of(e.shape, depth));
      case "object":
        return this.object(s, depth, false);
      case "record":
        return fc.dictionary(this.key(s.key), this.of(s.value, depth), { maxKeys: this.maxLength });
      case "union":
        return fc.oneof(...s.members.map((m) => this.of(m, depth)));
      case "map":
        return fc.array(fc.tuple(this.of(s.key, depth), this.of(s.value, depth)), { maxLength: this.maxLength }).map((entries) => new Map(entries));
      case "set":
        return fc.array(this.of(s.element, depth), { maxLength: this.maxLength }).map((values) => new Set(values));
      case "ref":
        return depth > 0 ? this.cached(`${s.name}@${depth - 1}`, () => this.of(this.definition(s.name), depth - 1)) : this.smallestRef(s.name);
      case "unsupported":
        throw new Error(`no input can be generated: ${s.why}`);
    }
  }

  private definition(name: string): Shape {
    const def = this.definitions[name];
    if (def === undefined) throw new Error(`no input can be generated: the shape refers to an undefined type \`${name}\``);
    if (this.heights.get(name) === Infinity) throw new Error(`no input can be generated: the recursive type \`${name}\` has no finite value`);
    return def;
  }

  private cached(key: string, build: () => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
    let arb = this.cache.get(key);
    if (arb === undefined) {
      arb = build();
      this.cache.set(key, arb);
    }
    return arb;
  }

  private smallestRef(name: string): fc.Arbitrary<unknown> {
    return this.cached(`${name}@smallest`, () => this.smallest(this.definition(name)));
  }

  /**
   * Values of a shape once recursion is used up: whatever leads to a ref
   * is empty, absent, or the union member of least height, so each ref
   * followed has a smaller height than the last and generation ends. The
   * rest is generated as usual.
   */
  private smallest(s: Shape): fc.Arbitrary<unknown> {
    if (!this.reachesRef(s)) return this.of(s, 0);
    switch (s.kind) {
      case "ref":
        return this.smallestRef(s.name);
      case "array":
        return fresh(() => []);
      case "set":
        return fresh(() => new Set());
      case "map":
        return fresh(() => new Map());
      case "record":
        return fresh(() => ({}));
      case "object":
        return this.object(s, 0, true);
      case "tuple": {
        const kept: TupleElementShape[] = [];
        for (const e of s.elements) {
          if (e.role === "required") kept.push(e);
          else if (!this.reachesRef(e.shape)) kept.push(e);
          else if (e.role === "optional") break; // later optional elements need this one present
        }
        return this.tuple(kept, (e) => (e.role === "required" ? this.smallest(e.shape) : this.of(e.shape, 0)));
      }
      case "union": {
        const least = Math.min(...s.members.map((m) => this.height(m)));
        return fc.oneof(...s.members.filter((m) => this.height(m) === least).map((m) => this.smallest(m)));
      }
      default:
        return this.of(s, 0);
    }
  }

  private object(s: Extract<Shape, { kind: "object" }>, depth: number, smallest: boolean): fc.Arbitrary<unknown> {
    const required: string[] = [];
    const model: [string, fc.Arbitrary<unknown>][] = [];
    for (const p of s.properties) {
      if (smallest && p.optional === true && this.reachesRef(p.shape)) continue;
      model.push([p.name, smallest ? this.smallest(p.shape) : this.of(p.shape, depth)]);
      if (p.optional !== true) required.push(p.name);
    }
    // `Object.fromEntries` defines keys: a property named `__proto__` stays a property.
    const record = fc.record(Object.fromEntries(model), { requiredKeys: required });
    if (s.index === undefined || (smallest && this.reachesRef(s.index.value))) return record;
    const declared = new Set(s.properties.map((p) => p.name));
    const extra = fc.dictionary(
      this.key(s.index.key).filter((k) => !declared.has(k)),
      this.of(s.index.value, depth),
      { maxKeys: this.maxLength },
    );
    return fc.tuple(record, extra).map(([base, more]) => withExtraKeys(base, more));
  }

  /** Required elements, then a prefix of the optional ones, then the rest elements (only when every optional one is there), then the required tail. */
  private tuple(elements: readonly TupleElementShape[], arb: (e: TupleElementShape) => fc.Arbitrary<unknown>): fc.Arbitrary<unknown[]> {
    const restAt = elements.findIndex((e) => e.role === "rest");
    const head = restAt < 0 ? elements : elements.slice(0, restAt);
    const rest = restAt < 0 ? undefined : elements[restAt];
    const tail = restAt < 0 ? [] : elements.slice(restAt + 1);
    const required = head.filter((e) => e.role === "required");
    const optional = head.filter((e) => e.role === "optional");
    return fc
      .tuple(
        fc.tuple(...required.map(arb)),
        fc.tuple(...optional.map(arb)),
        fc.integer({ min: 0, max: optional.length }),
        rest !== undefined ? fc.array(arb(rest), { maxLength: this.maxLength }) : fresh((): unknown[] => []),
        fc.tuple(...tail.map(arb)),
      )
      .map(([req, opt, present, restValues, end]) => (present < opt.length ? [...req, ...opt.slice(0, present), ...end] : [...req, ...opt, ...restValues, ...end]));
  }

  /** `unknown` and `any`: plain data of every kind, bounded. */
  private anything(): fc.Arbitrary<unknown> {
    return this.cached("anything", () =>
      fc.anything({
        maxDepth: 2,
        maxKeys: 4,
        key: this.string,
        values: [this.number, this.string, fc.boolean(), fc.constant(null), fc.constant(undefined), this.bigint],
        withDate: true,
        withMap: true,
        withSet: true,
        withSparseArray: true,
        withNullPrototype: true,
      }),
    );
  }
}

/**
 * The arbitrary of a node's inputs: `{ args }`, plus `thisArg` when the
 * shape has a receiver. Arguments from `optionalFrom` on are sometimes left
 * out (never when rest arguments follow); rest arguments come from a spread
 * at run time, so they have no holes. Throws when the shape is unsupported.
 */
export function arbitraryOf(shape: NodeShape, options: ArbitraryOptions = {}): fc.Arbitrary<GeneratedInput> {
  if (shape.unsupported !== undefined) throw new Error(`no input can be generated: ${shape.unsupported}`);
  const depth = options.maxDepth ?? 3;
  const b = new Builder(shape.definitions, options.maxLength ?? 8);
  const params = fc.tuple(...shape.params.map((p) => b.of(p, depth)));
  const rest = shape.rest !== undefined ? b.array(b.of(shape.rest, depth), false) : fresh((): unknown[] => []);
  const count = shape.params.length;
  const kept = shape.optionalFrom !== undefined ? fc.integer({ min: shape.optionalFrom, max: count }) : fc.constant(count);
  const args = fc.tuple(params, rest, kept).map(([values, more, n]): unknown[] => (more.length > 0 ? [...values, ...more] : values.slice(0, n)));
  if (shape.receiver === undefined) return args.map((a) => ({ args: a }));
  return fc.tuple(args, b.of(shape.receiver, depth)).map(([a, thisArg]) => ({ args: a, thisArg }));
}
