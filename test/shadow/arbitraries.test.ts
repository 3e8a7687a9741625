import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryOf, type GeneratedInput } from "../../src/shadow/arbitraries.js";
import type { LiteralShape, NodeShape, Shape } from "../../src/shadow/shape.js";

/**
 * Shape → arbitrary, without TypeScript (as in the child process): the
 * values fit their shapes (checked by `misfit`, an independent reading of
 * a shape), the edges that break rewrites show up, sampling under a seed
 * repeats, and failing properties shrink to small counterexamples.
 */

const num: Shape = { kind: "number" };
const str: Shape = { kind: "string" };
const undef: Shape = { kind: "undefined" };
const arrayOf = (element: Shape): Shape => ({ kind: "array", element });
const union = (...members: Shape[]): Shape => ({ kind: "union", members });
const node = (params: Shape[], more: Partial<NodeShape> = {}): NodeShape => ({ params, definitions: {}, ...more });

function literalValue(s: LiteralShape): unknown {
  if (s.type === "bigint") return BigInt(s.value);
  if (s.type === "number" && typeof s.value === "string") return Number(s.value === "-0" ? -0 : s.value);
  return s.value;
}

/** Where `v` does not fit `s` (a path and what is wrong), or undefined when it fits. Holes only where arrays are. */
function misfit(v: unknown, s: Shape, defs: Record<string, Shape>, path = "$"): string | undefined {
  const bad = (what: string): string => `${path}: ${what}`;
  const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
  switch (s.kind) {
    case "number":
      return typeof v === "number" && (s.integer !== true || Number.isInteger(v)) ? undefined : bad("not a number");
    case "string":
    case "boolean":
    case "bigint":
    case "undefined":
      return typeof v === s.kind ? undefined : bad(`not a ${s.kind}`);
    case "null":
      return v === null ? undefined : bad("not null");
    case "literal":
      return Object.is(v, literalValue(s)) ? undefined : bad(`not the literal ${String(s.value)}`);
    case "date":
      return v instanceof Date ? undefined : bad("not a Date");
    case "anything":
      return undefined;
    case "ref":
      return misfit(v, defs[s.name]!, defs, path);
    case "union":
      return s.members.some((m) => misfit(v, m, defs, path) === undefined) ? undefined : bad("fits no member");
    case "array":
      if (!Array.isArray(v)) return bad("not an array");
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) continue;
        const m = misfit(v[i], s.element, defs, `${path}[${i}]`);
        if (m !== undefined) return m;
      }
      return undefined;
    case "tuple": {
      if (!Array.isArray(v)) return bad("not an array");
      for (let i = 0; i < v.length; i++) if (!(i in v)) return bad(`a hole at ${i}`);
      const restAt = s.elements.findIndex((e) => e.role === "rest");
      const head = restAt < 0 ? s.elements : s.elements.slice(0, restAt);
      const tail = restAt < 0 ? [] : s.elements.slice(restAt + 1);
      const required = head.filter((e) => e.role === "required").length + tail.length;
      if (v.length < required || (restAt < 0 && v.length > head.length)) return bad(`length ${v.length}`);
      for (let i = 0; i < v.length; i++) {
        const fromEnd = v.length - i;
        const e = fromEnd <= tail.length ? tail[tail.length - fromEnd]! : i < head.length && v.length - i > tail.length ? head[i]! : s.elements[restAt]!;
        const m = misfit(v[i], e.shape, defs, `${path}[${i}]`);
        if (m !== undefined) return m;
      }
      return undefined;
    }
    case "object":
    case "record": {
      if (typeof v !== "object" || v === null || Array.isArray(v)) return bad("not an object");
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return bad("not a plain object");
      const properties = s.kind === "object" ? s.properties : [];
      const index = s.kind === "record" ? { key: s.key, value: s.value } : s.index;
      for (const p of properties) {
        if (!own(v, p.name)) {
          if (p.optional !== true) return bad(`no property ${p.name}`);
          continue;
        }
        const m = misfit((v as Record<string, unknown>)[p.name], p.shape, defs, `${path}.${p.name}`);
        if (m !== undefined) return m;
      }
      for (const k of Reflect.ownKeys(v)) {
        if (typeof k !== "string") return bad("a symbol key");
        if (properties.some((p) => p.name === k)) continue;
        if (index === undefined) return bad(`an extra key ${k}`);
        if (index.key === "number" && String(Number(k)) !== k) return bad(`a key ${k} that is no number`);
        const m = misfit((v as Record<string, unknown>)[k], index.value, defs, `${path}[${JSON.stringify(k)}]`);
        if (m !== undefined) return m;
      }
      return undefined;
    }
    case "map":
      if (!(v instanceof Map)) return bad("not a Map");
      for (const [k, x] of v) {
        const m = misfit(k, s.key, defs, `${path}<key>`) ?? misfit(x, s.value, defs, `${path}<value>`);
        if (m !== undefined) return m;
      }
      return undefined;
    case "set":
      if (!(v instanceof Set)) return bad("not a Set");
      for (const x of v) {
        const m = misfit(x, s.element, defs, `${path}<element>`);
        if (m !== undefined) return m;
      }
      return undefined;
    case "unsupported":
      return bad("unsupported");
  }
}

/** Where generated inputs do not fit their node shape. */
function inputMisfit(input: GeneratedInput, shape: NodeShape): string | undefined {
  const { args } = input;
  if ("thisArg" in input !== (shape.receiver !== undefined)) return "thisArg present without a receiver, or missing";
  if (shape.receiver !== undefined) {
    const m = misfit(input.thisArg, shape.receiver, shape.definitions, "this");
    if (m !== undefined) return m;
  }
  const least = shape.optionalFrom ?? shape.params.length;
  if (args.length < least) return `${args.length} arguments`;
  if (shape.rest === undefined && args.length > shape.params.length) return `${args.length} arguments`;
  for (let i = 0; i < args.length; i++) {
    if (!(i in args)) return `a hole at argument ${i}`;
    const s = i < shape.params.length ? shape.params[i]! : shape.rest!;
    const m = misfit(args[i], s, shape.definitions, `args[${i}]`);
    if (m !== undefined) return m;
  }
  return undefined;
}

/** A deterministic text of a value: NaN, -0, holes, bigints, Maps, Sets, Dates, null prototypes. */
function encode(v: unknown): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v !== "object" || v === null) return String(v);
  if (v instanceof Date) return `Date(${v.getTime()})`;
  if (v instanceof Map) return `Map{${[...v].map(([k, x]) => `${encode(k)}=>${encode(x)}`).join(",")}}`;
  if (v instanceof Set) return `Set{${[...v].map(encode).join(",")}}`;
  if (Array.isArray(v)) return `[${Array.from({ length: v.length }, (_, i) => (i in v ? encode(v[i]) : "<hole>")).join(",")}]`;
  return `${Object.getPrototypeOf(v) === null ? "null-proto" : ""}{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${encode(x)}`).join(",")}}`;
}

const tree: NodeShape = {
  params: [{ kind: "ref", name: "Tree" }],
  definitions: { Tree: { kind: "object", properties: [{ name: "v", shape: num }, { name: "kids", shape: arrayOf({ kind: "ref", name: "Tree" }) }] } },
};
const list: NodeShape = {
  params: [{ kind: "ref", name: "List" }],
  definitions: { List: { kind: "object", properties: [{ name: "head", shape: str }, { name: "next", shape: union({ kind: "ref", name: "List" }, { kind: "null" }) }] } },
};
/** Mutual recursion, where the only way out is an optional property and a tuple's rest. */
const mutual: NodeShape = {
  params: [{ kind: "ref", name: "A" }],
  definitions: {
    A: { kind: "object", properties: [{ name: "b", shape: { kind: "ref", name: "B" } }, { name: "more", shape: { kind: "ref", name: "A" }, optional: true }] },
    B: { kind: "tuple", elements: [{ shape: num, role: "required" }, { shape: { kind: "ref", name: "A" }, role: "rest" }] },
  },
};

const shapes: [string, NodeShape][] = [
  ["numbers, integers, strings, booleans, bigints", node([num, { kind: "number", integer: true }, str, { kind: "boolean" }, { kind: "bigint" }])],
  ["literals JSON cannot carry", node([union({ kind: "literal", type: "number", value: "NaN" }, { kind: "literal", type: "number", value: "-0" }, { kind: "literal", type: "bigint", value: "-12" }, { kind: "literal", type: "string", value: "a" })])],
  ["arrays of unions", node([arrayOf(union(num, { kind: "null" }, undef))])],
  ["tuples with optional elements", node([{ kind: "tuple", elements: [{ shape: num, role: "required" }, { shape: union(str, undef), role: "optional" }, { shape: { kind: "boolean" }, role: "optional" }] }])],
  ["tuples with a rest and a tail", node([{ kind: "tuple", elements: [{ shape: str, role: "required" }, { shape: num, role: "rest" }, { shape: { kind: "boolean" }, role: "required" }] }])],
  ["objects with optional properties and an index", node([{ kind: "object", properties: [{ name: "id", shape: num }, { name: "tag", shape: union(str, undef), optional: true }, { name: "__proto__", shape: str }], index: { key: "string", value: num } }])],
  ["records", node([{ kind: "record", key: "string", value: arrayOf(str) }, { kind: "record", key: "number", value: { kind: "boolean" } }])],
  ["maps, sets, dates", node([{ kind: "map", key: str, value: arrayOf(num) }, { kind: "set", element: num, readonly: true }, { kind: "date" }])],
  ["anything", node([{ kind: "anything" }])],
  ["recursive trees", tree],
  ["recursive lists", list],
  ["mutually recursive types", mutual],
  ["optional and rest parameters", node([str, union(num, undef), union(str, undef)], { optionalFrom: 1, rest: num })],
  ["a receiver", node([num], { receiver: { kind: "object", properties: [{ name: "x", shape: num }, { name: "y", shape: num }] } })],
];

describe("arbitraryOf: values fit their shapes", () => {
  it.each(shapes)("%s", (_, shape) => {
    const arb = arbitraryOf(shape);
    fc.assert(fc.property(arb, (input) => inputMisfit(input, shape) === undefined), { seed: 1, numRuns: 300 });
  });

  it("the check can fail", () => {
    const [, objects] = shapes[5]!;
    expect(inputMisfit({ args: [[1, "a"]] }, node([arrayOf(num)]))).toBe("args[0][1]: not a number");
    expect(inputMisfit({ args: [[1, , true]] }, shapes[4]![1])).toBe("args[0]: a hole at 1");
    expect(inputMisfit({ args: [{ id: 1, __proto__: "x", tag: 2 }] }, objects)).toBe("args[0].tag: fits no member");
    expect(inputMisfit({ args: [{ id: 1 }] }, objects)).toBe("args[0]: no property __proto__");
    expect(inputMisfit({ args: ["a", 1, "b", 2] }, shapes[12]![1])).toBeUndefined();
    expect(inputMisfit({ args: [] }, shapes[12]![1])).toBe("0 arguments");
    expect(inputMisfit({ args: [1] }, shapes[13]![1])).toBe("thisArg present without a receiver, or missing");
  });
});

describe("arbitraryOf reaches the edges within 1,000 samples", () => {
  const sample = <T>(arb: fc.Arbitrary<T>): T[] => fc.sample(arb, { seed: 2024, numRuns: 1000 });
  const firstArgs = (shape: NodeShape): unknown[] => sample(arbitraryOf(shape)).map((i) => i.args[0]);

  it("numbers: NaN, -0, 0, ±Infinity, MAX_SAFE_INTEGER, fractions, small integers that repeat", () => {
    const xs = firstArgs(node([num])) as number[];
    for (const edge of [NaN, -0, 0, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) expect(xs.some((x) => Object.is(x, edge)), String(edge)).toBe(true);
    expect(xs.some((x) => Number.isFinite(x) && !Number.isInteger(x))).toBe(true);
    expect(xs.filter((x) => x === 1).length).toBeGreaterThan(20);
  });

  it("arrays: empty, one element, holes, duplicates", () => {
    const arrays = firstArgs(node([arrayOf(num)])) as number[][];
    expect(arrays.some((a) => a.length === 0)).toBe(true);
    expect(arrays.some((a) => a.length === 1)).toBe(true);
    expect(arrays.some((a) => a.length > 0 && Object.keys(a).length < a.length)).toBe(true);
    const withDuplicates = arrays.filter((a) => new Set(a.filter((_, i) => i in a)).size < Object.keys(a).length);
    expect(withDuplicates.length).toBeGreaterThan(100);
  });

  it("strings: empty, __proto__, constructor, astral characters, combining marks, repeats among siblings", () => {
    const pairs = sample(arbitraryOf(node([str, str]))).map((i) => i.args as string[]);
    const all = pairs.flat();
    for (const edge of ["", "__proto__", "constructor"]) expect(all, edge).toContain(edge);
    expect(all.some((s) => /[\u{10000}-\u{10ffff}]/u.test(s))).toBe(true);
    expect(all.some((s) => /\p{M}/u.test(s))).toBe(true);
    expect(pairs.filter(([a, b]) => a === b).length).toBeGreaterThan(20);
  });

  it("records: __proto__ and constructor as own keys", () => {
    const records = firstArgs(node([{ kind: "record", key: "string", value: num }])) as object[];
    for (const key of ["__proto__", "constructor"]) expect(records.some((r) => Object.prototype.hasOwnProperty.call(r, key)), key).toBe(true);
    // An own `__proto__` key, not a changed prototype.
    expect(records.every((r) => [Object.prototype, null].includes(Object.getPrototypeOf(r)))).toBe(true);
  });

  it("optional properties: absent, present, and explicitly undefined", () => {
    const objects = firstArgs(node([{ kind: "object", properties: [{ name: "a", shape: union(str, undef), optional: true }] }])) as { a?: string }[];
    expect(objects.some((o) => !("a" in o))).toBe(true);
    expect(objects.some((o) => "a" in o && o.a === undefined)).toBe(true);
    expect(objects.some((o) => typeof o.a === "string")).toBe(true);
  });

  it("unions: every member", () => {
    const members = [{ kind: "literal", type: "string", value: "a" }, { kind: "literal", type: "number", value: 1 }, { kind: "null" }, arrayOf(str)] as Shape[];
    const values = firstArgs(node([union(...members)]));
    for (const m of members) expect(values.some((v) => misfit(v, m, {}) === undefined), JSON.stringify(m)).toBe(true);
  });

  it("maps and sets: empty, several entries, duplicates collapsed", () => {
    const maps = firstArgs(node([{ kind: "map", key: str, value: num }])) as Map<string, number>[];
    expect(maps.some((m) => m.size === 0)).toBe(true);
    expect(maps.some((m) => m.size >= 3)).toBe(true);
    const sets = firstArgs(node([{ kind: "set", element: { kind: "boolean" } }])) as Set<boolean>[];
    expect(sets.every((s) => s.size <= 2)).toBe(true);
  });

  it("optional arguments: left out or passed; rest arguments only after every parameter", () => {
    const shape = shapes[12]![1];
    const lengths = new Set(sample(arbitraryOf(shape)).map((i) => i.args.length));
    for (const n of [1, 2, 3, 4]) expect(lengths.has(n), `${n} arguments`).toBe(true);
  });
});

describe("arbitraryOf: recursion", () => {
  const depthOf = (t: { kids: unknown[] }): number => 1 + Math.max(0, ...Object.values(t.kids).map((k) => depthOf(k as { kids: unknown[] }))); // `Object.values`: kids may have holes
  const lengthOf = (l: { next: unknown }): number => 1 + (l.next === null ? 0 : lengthOf(l.next as { next: unknown }));

  it.each([0, 1, 2, 3])("unfolds a recursive type at most maxDepth = %i times", (maxDepth) => {
    const trees = fc.sample(arbitraryOf(tree, { maxDepth }), { seed: 5, numRuns: 200 }).map((i) => i.args[0] as { kids: unknown[] });
    expect(Math.max(...trees.map(depthOf))).toBe(maxDepth + 1);
    const lists = fc.sample(arbitraryOf(list, { maxDepth }), { seed: 5, numRuns: 200 }).map((i) => i.args[0] as { next: unknown });
    expect(Math.max(...lists.map(lengthOf))).toBe(maxDepth + 1);
  });

  it("ends where the only way out is an absent property or an empty rest", () => {
    const values = fc.sample(arbitraryOf(mutual, { maxDepth: 0 }), { seed: 9, numRuns: 50 }).map((i) => i.args[0] as { b: unknown[]; more?: unknown });
    expect(values.every((v) => v.b.length === 1 && !("more" in v))).toBe(true);
  });

  it("gives every value its own empty containers (a call's mutation must not reach the next input)", () => {
    const kids = fc.sample(arbitraryOf(tree, { maxDepth: 0 }), { seed: 4, numRuns: 50 }).map((i) => (i.args[0] as { kids: unknown[] }).kids);
    expect(new Set(kids).size).toBe(kids.length);
  });

  it("refuses a recursive type with no finite value, an unsupported shape, and an unsupported part", () => {
    const loop: NodeShape = { params: [{ kind: "ref", name: "L" }], definitions: { L: { kind: "object", properties: [{ name: "next", shape: { kind: "ref", name: "L" } }] } } };
    expect(() => arbitraryOf(loop)).toThrow("the recursive type `L` has no finite value");
    expect(() => arbitraryOf({ params: [], definitions: {}, unsupported: "parameter `c` has class type `Cart`" })).toThrow("parameter `c` has class type `Cart`");
    expect(() => arbitraryOf(node([arrayOf({ kind: "unsupported", why: "no" })]))).toThrow("no input can be generated: no");
  });
});

describe("arbitraryOf: seeds and shrinking", () => {
  it("samples the same inputs under the same seed, others under another", () => {
    for (const [, shape] of shapes) {
      const run = (seed: number): string[] => fc.sample(arbitraryOf(shape), { seed, numRuns: 30 }).map((i) => encode(i));
      expect(run(11)).toEqual(run(11));
      expect(run(11)).not.toEqual(run(12));
    }
  });

  it("shrinks 'the array has a duplicate' to a two-element array", () => {
    const run = fc.check(
      fc.property(arbitraryOf(node([arrayOf(num)])), ({ args: [xs] }) => {
        const present = (xs as number[]).filter((_, i) => i in (xs as number[]));
        return new Set(present).size === present.length;
      }),
      { seed: 8 },
    );
    expect(run.failed).toBe(true);
    const [{ args }] = run.counterexample!;
    expect((args[0] as number[]).length).toBe(2);
  });

  it("shrinks to the edge value itself", () => {
    const run = fc.check(
      fc.property(arbitraryOf(node([arrayOf(str)])), ({ args: [xs] }) => !(xs as string[]).includes("__proto__")),
      { seed: 8 },
    );
    expect(run.failed).toBe(true);
    expect(encode(run.counterexample![0].args[0])).toBe('["__proto__"]');
  });

  it("shrinks an object to its required properties", () => {
    const shape = node([{ kind: "object", properties: [{ name: "id", shape: num }, { name: "tag", shape: union(str, undef), optional: true }] }]);
    const run = fc.check(
      fc.property(arbitraryOf(shape), ({ args: [o] }) => (o as { id: number }).id < 3),
      { seed: 8 },
    );
    expect(run.failed).toBe(true);
    expect(encode(run.counterexample![0].args[0]).replace("null-proto", "")).toBe('{"id":3}');
  });
});
