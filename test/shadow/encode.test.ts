import { createHook } from "node:async_hooks";
import { types } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeDifference, encodeObservation, encodeValue, renderValue, type Observation } from "../../src/shadow/encode.js";

const enc = (v: unknown) => encodeValue(v).text;

/** The user's classes as one side of the oracle loads them: each call is a fresh copy of the module. */
function loadClasses() {
  class Base {
    id = 1;
  }
  class Point extends Base {
    x = 1;
    y = 2;
  }
  class Other {
    id = 1;
    x = 1;
    y = 2;
  }
  class MyError extends Error {
    code = "E_X";
  }
  class MyMap extends Map<unknown, unknown> {}
  return { Base, Point, Other, MyError, MyMap };
}
const sideA = loadClasses();
const sideB = loadClasses();

/** A NaN whose bits differ from the canonical NaN's: Object.is still calls it NaN. */
const otherNaN = new Float64Array(new Uint8Array([1, 0, 0, 0, 0, 0, 0xf8, 0x7f]).buffer)[0]!;

const defined = (key: string, descriptor: PropertyDescriptor, base: object = {}) => Object.defineProperty(base, key, descriptor);
const data = (value: unknown, flags: { writable?: boolean; enumerable?: boolean; configurable?: boolean }): PropertyDescriptor => ({
  value, writable: true, enumerable: true, configurable: true, ...flags,
});

const equalPairs: [string, () => unknown, () => unknown][] = [
  ["NaN and NaN with other bits", () => NaN, () => otherNaN],
  ["[NaN] and [0/0]", () => [NaN], () => [Number("not a number")]],
  ["objects built separately", () => ({ a: 1, b: [2, 3] }), () => ({ a: 1, b: [2, 3] })],
  ["instances of two loads of the same class", () => new sideA.Point(), () => new sideB.Point()],
  ["errors of two loads of one class, different stacks", () => new sideA.MyError("m"), () => (() => new sideB.MyError("m"))()],
  ["Map subclasses of two loads", () => new sideA.MyMap([[1, "a"]]), () => new sideB.MyMap([[1, "a"]])],
  ["distinct unique symbols with one description", () => Symbol("s"), () => Symbol("s")],
  ["shared references in the same places", () => { const x = { v: 1 }; return [x, x]; }, () => { const y = { v: 1 }; return [y, y]; }],
  ["cycles of the same shape", () => { const o: Record<string, unknown> = { a: 1 }; o.self = o; return o; }, () => { const p: Record<string, unknown> = { a: 1 }; p.self = p; return p; }],
  ["invalid dates", () => new Date(NaN), () => new Date("not a date")],
  ["functions of one kind, name and length (bodies are not compared)", () => function f(a: number) { return a; }, () => function f(b: number) { return b + 1; }],
  ["WeakMaps with different contents (opaque)", () => new WeakMap([[{}, 1]]), () => new WeakMap()],
  ["promises with different values (opaque: the oracle awaits results first)", () => Promise.resolve(1), () => Promise.resolve(2)],
  ["sparse arrays with the same holes", () => [1, , 3], () => [1, , 3]],
  ["typed arrays with the same bytes", () => new Float64Array([1, -0, NaN]), () => new Float64Array([1, -0, Number("x")])],
  ["Node Buffers at different places in the allocation pool", () => Buffer.from("abc"), () => (Buffer.from("padding"), Buffer.from("abc"))],
  ["boxed numbers", () => new Number(1), () => new Number(1)],
  ["regexps", () => /a+/gi, () => new RegExp("a+", "ig")],
  ["accessors of the same shape", () => ({ get x() { return 1; } }), () => ({ get x() { return 2; } })],
  ["a Map keyed by objects of one shape", () => new Map([[{ k: 1 }, "v"]]), () => new Map([[{ k: 1 }, "v"]])],
  ["a huge sparse array and its copy", () => { const a: number[] = []; a[4e9] = 1; return a; }, () => { const a: number[] = []; a[4e9] = 1; return a; }],
];

const differentPairs: [string, () => unknown, () => unknown][] = [
  ["0 and -0", () => 0, () => -0],
  ["NaN and 0", () => NaN, () => 0],
  ["Infinity and -Infinity", () => Infinity, () => -Infinity],
  ["1 and 1n", () => 1, () => 1n],
  ["1 and '1'", () => 1, () => "1"],
  ["1 and the next double", () => 1, () => 1.0000000000000002],
  ["2n**64n and 2n**64n + 1n", () => 2n ** 64n, () => 2n ** 64n + 1n],
  ["two lone surrogates", () => "\ud800", () => "\udc00"],
  ["é composed and decomposed", () => "\u00e9", () => "e\u0301"],
  ["true and false", () => true, () => false],
  ["undefined and null", () => undefined, () => null],
  ["undefined and 'undefined'", () => undefined, () => "undefined"],
  ["Symbol('a') and Symbol('b')", () => Symbol("a"), () => Symbol("b")],
  ["Symbol() and Symbol('')", () => Symbol(), () => Symbol("")],
  ["a registered symbol and a unique one", () => Symbol.for("a"), () => Symbol("a")],
  ["Symbol.iterator and a look-alike", () => Symbol.iterator, () => Symbol("Symbol.iterator")],
  ["one symbol twice and two symbols", () => { const s = Symbol("s"); return [s, s]; }, () => [Symbol("s"), Symbol("s")]],
  ["a hole and an explicit undefined", () => [1, , 3], () => [1, undefined, 3]],
  ["lengths", () => [1], () => [1, 2]],
  ["an array with an extra property", () => [1], () => Object.assign([1], { x: 1 })],
  ["trailing holes", () => new Array(3), () => []],
  ["element order", () => [1, 2], () => [2, 1]],
  ["an array and an array-like object", () => [1], () => ({ 0: 1, length: 1 })],
  ["key order", () => ({ a: 1, b: 2 }), () => ({ b: 2, a: 1 })],
  ["an enumerable and a non-enumerable property", () => ({ a: 1 }), () => defined("a", data(1, { enumerable: false }))],
  ["a writable and a read-only property", () => ({ a: 1 }), () => defined("a", data(1, { writable: false }))],
  ["a symbol key", () => ({ a: 1 }), () => ({ a: 1, [Symbol("k")]: 1 })],
  ["a one-symbol-key object and two symbols", () => { const s = Symbol("k"); return [{ [s]: 1 }, { [s]: 1 }]; }, () => [{ [Symbol("k")]: 1 }, { [Symbol("k")]: 1 }]],
  ["an accessor and a data property", () => ({ get x() { return 1; } }), () => ({ x: 1 })],
  ["a getter and a setter", () => ({ get x() { return 1; } }), () => ({ set x(_: number) {} })],
  ["frozen and extensible", () => Object.freeze({ a: 1 }), () => ({ a: 1 })],
  ["sealed and frozen", () => Object.seal({ a: 1 }), () => Object.freeze({ a: 1 })],
  ["non-extensible and extensible", () => Object.preventExtensions({ a: 1 }), () => ({ a: 1 })],
  ["a null prototype and Object.prototype", () => Object.assign(Object.create(null) as object, { a: 1 }), () => ({ a: 1 })],
  ["a plain object and a class instance with the same fields", () => ({ id: 1, x: 1, y: 2 }), () => new sideA.Point()],
  ["instances of differently named classes", () => new sideA.Point(), () => new sideB.Other()],
  ["class chains (Point extends Base, Other)", () => Object.setPrototypeOf({ id: 1 }, sideA.Base.prototype) as object, () => Object.setPrototypeOf({ id: 1 }, sideA.Other.prototype) as object],
  ["an object literal prototype's contents", () => Object.create({ a: 1 }) as object, () => Object.create({ a: 2 }) as object],
  ["a shared object and a copy", () => { const a = { v: 1 }; return [a, a]; }, () => [{ v: 1 }, { v: 1 }]],
  ["a cycle and its unrolling", () => { const o: Record<string, unknown> = {}; o.self = o; return o; }, () => ({ self: {} })],
  ["Map entry order", () => new Map([[1, "a"], [2, "b"]]), () => new Map([[2, "b"], [1, "a"]])],
  ["Map values", () => new Map([[1, "a"]]), () => new Map([[1, "b"]])],
  ["Map keys 1 and '1'", () => new Map([[1, "a"]]), () => new Map([["1", "a"]])],
  ["a Map and a plain object", () => new Map(), () => ({})],
  ["a Map with an extra property", () => new Map(), () => Object.assign(new Map(), { x: 1 })],
  ["a Map subclass and a Map", () => new sideA.MyMap(), () => new Map()],
  ["Set order", () => new Set([1, 2]), () => new Set([2, 1])],
  ["a Set and an array", () => new Set([1]), () => [1]],
  ["a WeakMap and a WeakSet", () => new WeakMap(), () => new WeakSet()],
  ["dates", () => new Date(0), () => new Date(1)],
  ["an invalid and a valid date", () => new Date(NaN), () => new Date(0)],
  ["a date and its time", () => new Date(0), () => 0],
  ["regexp sources", () => /a/, () => /b/],
  ["regexp flags", () => /a/g, () => /a/y],
  ["regexp lastIndex", () => /a/g, () => Object.assign(/a/g, { lastIndex: 1 })],
  ["Uint8Array and Int8Array with the same bytes", () => new Uint8Array([1]), () => new Int8Array([1])],
  ["typed array bytes", () => new Uint8Array([1, 2]), () => new Uint8Array([1, 3])],
  ["Float64Array 0 and -0", () => new Float64Array([0]), () => new Float64Array([-0])],
  ["NaNs with other bits in a typed array (its bytes are readable)", () => new Float64Array([NaN]), () => new Float64Array([otherNaN])],
  ["ArrayBuffer lengths", () => new ArrayBuffer(2), () => new ArrayBuffer(3)],
  ["DataView offsets", () => new DataView(new ArrayBuffer(4), 0, 2), () => new DataView(new ArrayBuffer(4), 2, 2)],
  ["views of one buffer and of two", () => { const b = new ArrayBuffer(2); return [new Uint8Array(b), new Uint8Array(b)]; }, () => [new Uint8Array(2), new Uint8Array(2)]],
  ["a typed array and an array", () => new Uint8Array([1]), () => [1]],
  ["a boxed number and a number", () => new Number(1), () => 1],
  ["a boxed string and a string", () => new String("a"), () => "a"],
  ["boxed numbers", () => new Number(1), () => new Number(2)],
  ["a boxed false and false", () => new Boolean(false), () => false],
  ["a boxed bigint and a bigint", () => Object(1n) as unknown, () => 1n],
  ["a boxed symbol and its symbol", () => Object(Symbol.iterator) as unknown, () => Symbol.iterator],
  ["TypeError and RangeError", () => new TypeError("x"), () => new RangeError("x")],
  ["error messages", () => new Error("x"), () => new Error("y")],
  ["an error code", () => new Error("x"), () => Object.assign(new Error("x"), { code: "E" })],
  ["an error cause", () => new Error("x", { cause: 1 }), () => new Error("x", { cause: 2 })],
  ["a user error class and Error", () => new sideA.MyError("x"), () => Object.assign(new Error("x"), { code: "E_X" })],
  ["an arrow and a function", () => (() => 1), () => function () { return 1; }],
  ["function names", () => function f() {}, () => function g() {}],
  ["function lengths", () => function f(_a: number) {}, () => function f() {}],
  ["async and sync", () => async function f() {}, () => function f() {}],
  ["a generator and a function", () => function* f() {}, () => function f() {}],
  ["a class and a function", () => class F {}, () => function F() {}],
  ["a method and an arrow", () => ({ f() {} }).f, () => { const f = () => {}; return f; }],
  ["a function's own enumerable property", () => function f() {}, () => Object.assign(function f() {}, { cache: 1 })],
  ["a promise and a plain object", () => Promise.resolve(1), () => ({})],
  ["a proxy and its target", () => new Proxy({ a: 1 }, {}), () => ({ a: 1 })],
  ["one proxy twice and two proxies", () => { const p = new Proxy({}, {}); return [p, p]; }, () => [new Proxy({}, {}), new Proxy({}, {})]],
  ["Math and a copy of it", () => Math, () => ({ ...Math })],
  ["Object.prototype and {}", () => Object.prototype, () => ({})],
  ["Array.prototype.push and another native function", () => [].push, () => [].pop],
];

describe("encodeValue: equal and different", () => {
  it.each(equalPairs)("equal: %s", (_name, a, b) => {
    expect(enc(a())).toBe(enc(b()));
    expect(describeDifference(encodeValue(a()), encodeValue(b()))).toBeUndefined();
  });

  it.each(differentPairs)("different: %s", (_name, a, b) => {
    expect(enc(a())).not.toBe(enc(b()));
    const where = describeDifference(encodeValue(a()), encodeValue(b()));
    expect(where).toMatch(/^value/);
  });
});

const observe = (value: unknown, args: unknown[], extra: Partial<Observation> = {}): Observation => ({ outcome: { kind: "returned", value }, args, ...extra });

describe("encodeObservation: one graph for result, arguments and receiver", () => {
  const cases: [string, () => Observation, () => Observation, string | RegExp][] = [
    [
      "returns its argument vs returns a copy",
      () => { const a = { n: 1 }; return observe(a, [a]); },
      () => { const a = { n: 1 }; return observe({ ...a }, [a]); },
      "args[0] after the call: the same object as result vs { n: 1 }",
    ],
    ["threw vs returned", () => ({ outcome: { kind: "threw", error: new TypeError("x") }, args: [] }), () => observe(1, []), "threw TypeError: x vs returned 1"],
    ["an argument mutated", () => observe(undefined, [[1, 2, 3]]), () => observe(undefined, [[1, 2, 3, 4]]), "args[0] after the call: length 3 vs 4"],
    ["a nested leaf", () => observe([1, 2, { name: "a" }], []), () => observe([1, 2, { name: "b" }], []), 'result[2].name: "a" vs "b"'],
    ["the receiver mutated", () => observe(1, [], { thisArg: { n: 1 } }), () => observe(1, [], { thisArg: { n: 2 } }), "this.n after the call: 1 vs 2"],
    ["exit codes", () => ({ outcome: { kind: "exited", code: 1 }, args: [] }), () => ({ outcome: { kind: "exited", code: 2 }, args: [] }), "exit code: 1 vs 2"],
    ["timed out vs returned undefined", () => ({ outcome: { kind: "timed-out" }, args: [] }), () => observe(undefined, []), "timed out vs returned undefined"],
    ["a receiver undefined vs none", () => observe(1, [], { thisArg: undefined }), () => observe(1, []), /^this after the call: undefined vs absent$/],
    ["an error's code", () => ({ outcome: { kind: "threw", error: Object.assign(new Error("x"), { code: "A" }) }, args: [] }), () => ({ outcome: { kind: "threw", error: Object.assign(new Error("x"), { code: "B" }) }, args: [] }), 'thrown.code: "A" vs "B"'],
  ];

  it.each(cases)("%s", (_name, a, b, expected) => {
    const ea = encodeObservation(a());
    const eb = encodeObservation(b());
    expect(ea.text).not.toBe(eb.text);
    expect(describeDifference(ea, eb)).toMatch(typeof expected === "string" ? new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) : expected);
    expect(describeDifference(ea, encodeObservation(a()))).toBeUndefined();
  });

  it("numbers references across the result and the arguments", () => {
    const shared = { n: 1 };
    const text = encodeObservation(observe([shared], [shared, shared])).text;
    expect(text.match(/"t":"ref","id":2/g)).toHaveLength(2);
  });
});

describe("describeDifference", () => {
  const cases: [string, unknown, unknown, string][] = [
    ["key order", { a: 1, b: 2 }, { b: 2, a: 1 }, "value: keys in another order (.a before .b vs .b before .a)"],
    ["a prototype", { id: 1, x: 1, y: 2 }, new sideA.Point(), "value: prototype Object.prototype vs class Point"],
    ["a hole", [1, , 3], [1, undefined, 3], "value[1]: <1 empty item> vs undefined"],
    ["property flags", { a: 1 }, Object.freeze({ a: 1 }), "value: extensible vs frozen"],
    ["a missing key", { a: 1, b: 2 }, { a: 1 }, "value.b: 2 vs absent"],
    ["an extra key", { a: 1 }, { a: 1, "x y": 2 }, 'value["x y"]: absent vs 2'],
    ["a map value", new Map([["k", 1]]), new Map([["k", 2]]), "value.<entry 0 value>: 1 vs 2"],
    ["typed array bytes", new Uint8Array([1, 2]), new Uint8Array([1, 3]), "value: byte 1: 0x02 vs 0x03"],
    ["a non-enumerable property", { a: 1 }, defined("a", data(1, { enumerable: false })), "value.a: property writable, enumerable, configurable vs writable, configurable"],
    ["0 and -0", [0], [-0], "value[0]: 0 vs -0"],
    ["a function's kind", () => {}, function () {}, "value: [arrow (anonymous)] vs [function (anonymous)]"],
    ["a registered and a unique symbol", Symbol.for("a"), Symbol("a"), 'value: Symbol.for("a") vs Symbol("a")'],
    ["an accessor and a data property", { get x() { return 1; } }, { x: 1 }, "value.x: [Getter] vs 1"],
    ["a long string", "x".repeat(100) + "a", "x".repeat(100) + "b", 'value: strings differ at index 100: …"xxxxxxxxxxa" vs …"xxxxxxxxxxb"'],
  ];

  it.each(cases)("%s", (_name, a, b, expected) => {
    expect(describeDifference(encodeValue(a), encodeValue(b))).toBe(expected);
  });

  it("is undefined for equal encodings and says something for texts it cannot read", () => {
    expect(describeDifference(encodeValue([1]), encodeValue([1]))).toBeUndefined();
    expect(describeDifference({ text: "x", truncated: false }, { text: "y", truncated: false })).toBe("the encodings differ at character 0");
  });
});

describe("renderValue", () => {
  const cases: [string, unknown, string][] = [
    ["[NaN]", [NaN], "[NaN]"],
    ["a small object", { a: 1, b: [2, 3] }, "{ a: 1, b: [2, 3] }"],
    ["a Map", new Map([[1, "a"], [2, "b"]]), 'Map(2) { 1 => "a", 2 => "b" }'],
    ["a Set", new Set([1]), "Set(1) { 1 }"],
    ["a class instance", new sideA.Point(), "Point { id: 1, x: 1, y: 2 }"],
    ["a null-prototype object", Object.assign(Object.create(null) as object, { a: 1 }), "[Object: null prototype] { a: 1 }"],
    ["a cycle", (() => { const o: Record<string, unknown> = {}; o.self = o; return o; })(), "{ self: [Circular] }"],
    ["an error", new TypeError("bad"), "TypeError: bad"],
    ["a typed array", new Int16Array([-1, 2]), "Int16Array(2) [-1, 2]"],
    ["holes", [1, , , 4], "[1, <2 empty items>, 4]"],
    ["primitives", [-0, 1n, "s", undefined, null, Symbol("d"), Symbol.for("r")], '[-0, 1n, "s", undefined, null, Symbol("d"), Symbol.for("r")]'],
    ["a function", function named(_a: number) {}, "[function named]"],
    ["an accessor", { get x() { return 1; } }, "{ x: [Getter] }"],
    ["a date", new Date(0), "1970-01-01T00:00:00.000Z"],
    ["an intrinsic", Math, "Math"],
    ["keys of every form", { "a b": 1, [Symbol("q")]: 2, 3: 4 }, '{ 3: 4, "a b": 1, [Symbol("q")]: 2 }'],
  ];

  it.each(cases)("%s", (_name, value, expected) => {
    expect(renderValue(value)).toBe(expected);
  });

  it("keeps to the character budget, eliding what does not fit", () => {
    expect(renderValue(new Map([[1, "a"], [2, "b"], [3, "c"]]), 24)).toBe("Map(3) { 1 => \"a\", … }");
    fc.assert(
      fc.property(fc.anything({ withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }), fc.integer({ min: 1, max: 80 }), (value, max) => {
        expect(renderValue(value, max).length).toBeLessThanOrEqual(max);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * A deep copy a program could not tell from the original without identity:
 * prototypes, property flags, holes, boxed values, typed arrays' buffers
 * and sharing kept (structuredClone loses several of them).
 */
function deepCopy<T>(value: T): T {
  const copies = new Map<object, object>();
  const copy = (v: unknown): unknown => {
    if ((typeof v !== "object" || v === null) && typeof v !== "function") return v;
    const source = v as object;
    const known = copies.get(source);
    if (known !== undefined) return known;
    let out: object;
    let skip = (_key: string | symbol) => false;
    if (Array.isArray(source)) {
      out = new Array(source.length);
      skip = (key) => key === "length";
    } else if (types.isMap(source)) out = new Map();
    else if (types.isSet(source)) out = new Set();
    else if (types.isDate(source)) out = new Date((source as Date).getTime());
    else if (types.isArrayBuffer(source)) out = (source as ArrayBuffer).slice(0);
    else if (types.isTypedArray(source)) {
      const view = source as Uint8Array;
      const make = view.constructor as new (b: ArrayBuffer, offset: number, length: number) => object;
      out = new make(copy(view.buffer) as ArrayBuffer, view.byteOffset, view.length);
      skip = (key) => typeof key === "string" && /^\d+$/.test(key);
    } else if (types.isBoxedPrimitive(source)) {
      out = Object((source as { valueOf(): unknown }).valueOf()) as object;
      const length = types.isStringObject(source) ? (source as string).length : 0;
      skip = (key) => typeof key === "string" && (key === "length" || (/^\d+$/.test(key) && Number(key) < length));
    } else out = {};
    copies.set(source, out);
    Object.setPrototypeOf(out, Object.getPrototypeOf(source));
    if (types.isMap(source)) for (const [k, x] of source as Map<unknown, unknown>) (out as Map<unknown, unknown>).set(copy(k), copy(x));
    if (types.isSet(source)) for (const x of source as Set<unknown>) (out as Set<unknown>).add(copy(x));
    for (const key of Reflect.ownKeys(source)) {
      if (skip(key)) continue;
      const d = Object.getOwnPropertyDescriptor(source, key)!;
      if ("value" in d) d.value = copy(d.value);
      else {
        d.get = copy(d.get) as () => unknown;
        d.set = copy(d.set) as (x: unknown) => void;
      }
      Object.defineProperty(out, key, d);
    }
    if (!Object.isExtensible(source)) Object.preventExtensions(out);
    return out;
  };
  return copy(value) as T;
}

const anything = fc.anything({
  withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withDate: true, withNullPrototype: true, withBigInt: true,
});

/** A primitive a program can tell from `old` (Object.is semantics: 0 becomes -0). */
function different(old: unknown): unknown {
  switch (typeof old) {
    case "number":
      return Object.is(old, 0) ? -0 : 0;
    case "string":
      return `${old}!`;
    case "boolean":
      return !old;
    case "bigint":
      return old + 1n;
    case "symbol":
      return Symbol(`${String(old.description)}!`);
    default:
      return old === undefined ? null : undefined;
  }
}

/** Every place one small change can be made in a value: a leaf replaced, a key or element added, a hole filled. */
function changes(root: { value: unknown }): (() => void)[] {
  const out: (() => void)[] = [];
  const seen = new Set<object>();
  const visit = (v: unknown, replace: (x: unknown) => void) => {
    if (typeof v !== "object" || v === null) {
      out.push(() => replace(different(v)));
      return;
    }
    if (seen.has(v)) return;
    seen.add(v);
    const addKey = () => Object.defineProperty(v, Reflect.ownKeys(v).includes("added·key") ? "added·key2" : "added·key", { value: 1, enumerable: true, writable: true, configurable: true });
    out.push(addKey);
    if (types.isTypedArray(v)) {
      const ta = v as unknown as (number | bigint)[];
      if (ta.length > 0) out.push(() => (ta[0] = typeof ta[0] === "bigint" ? (ta[0] === 0n ? 1n : 0n) : ta[0] === 0 ? 1 : 0));
      return;
    }
    if (types.isDate(v)) out.push(() => (v as Date).setTime((v as Date).getTime() === 0 ? 1 : 0));
    if (types.isMap(v)) {
      const m = v as Map<unknown, unknown>;
      for (const [k, x] of m) visit(x, (y) => m.set(k, y));
      out.push(() => m.set({}, 1));
    }
    if (types.isSet(v)) out.push(() => (v as Set<unknown>).add({}));
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) if (!(i in v)) out.push(() => (v[i] = undefined));
    for (const key of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key)!;
      if (!("value" in d) || d.writable !== true || (Array.isArray(v) && key === "length") || types.isBoxedPrimitive(v)) continue;
      visit(d.value, (y) => ((v as Record<string | symbol, unknown>)[key] = y));
    }
  };
  visit(root.value, (x) => (root.value = x));
  return out;
}

describe("encodeValue: properties", () => {
  it("encodes a deep copy as the original, and the same value twice alike", () => {
    fc.assert(
      fc.property(anything, (value) => {
        const text = enc(value);
        expect(enc(value)).toBe(text);
        expect(enc(deepCopy(value))).toBe(text);
        expect(encodeValue(value).truncated).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("encodes sharing: alike for a copy that shares the same way, differently when nothing is shared", () => {
    fc.assert(
      fc.property(fc.array(anything, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { minLength: 2, maxLength: 6 }), (pool, picks) => {
        const value = picks.map((i) => pool[i % pool.length]);
        const text = enc(value);
        expect(enc(deepCopy(value))).toBe(text);
        const shares = value.some((x, i) => typeof x === "object" && x !== null && value.indexOf(x) !== i);
        const unshared = enc(value.map((x) => deepCopy(x)));
        if (shares) expect(unshared).not.toBe(text);
        else expect(unshared).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it("changes when any one leaf changes or a key is added", () => {
    fc.assert(
      fc.property(anything, fc.nat(), (value, pick) => {
        const root = { value: deepCopy(value) };
        const all = changes(root);
        all[pick % all.length]!();
        expect(enc(root.value)).not.toBe(enc(value));
      }),
      { numRuns: 500 },
    );
  });

  it("writes JSON, never throws, and marks what limits cut", () => {
    fc.assert(
      fc.property(anything, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 4 }), (value, maxNodes, maxDepth) => {
        const e = encodeValue(value, { maxNodes, maxDepth });
        expect(() => JSON.parse(e.text) as unknown).not.toThrow();
        if (!e.truncated) expect(e.text).toBe(enc(value));
      }),
      { numRuns: 300 },
    );
  });
});

describe("encodeValue: graphs and limits", () => {
  it("ends cycles through objects, Maps and prototypes", () => {
    const build = (n: number) => {
      const o: Record<string, unknown> = { a: 1 };
      o.m = new Map<unknown, unknown>([["o", o]]);
      const proto: Record<string, unknown> = {};
      const child = Object.create(proto) as object;
      proto.back = child;
      proto.n = n;
      return [o, child];
    };
    const text = enc(build(1));
    expect(text).toContain('["<entry 0 value>",{"t":"ref","id":2}]');
    expect(text).toContain('[".back",{"t":"ref","id":4}]');
    expect(enc(build(1))).toBe(text);
    expect(enc(build(2))).not.toBe(text);
  });

  it("truncates a million-element array at the node limit, and says so", () => {
    const e = encodeValue(new Array(1_000_000).fill(1));
    expect(e.truncated).toBe(true);
    expect(e.text).toContain('{"t":"truncated","v":"nodes"}');
    expect(e.text.match(/"t":"number"/g)!.length).toBeLessThan(100_000);
  });

  it("truncates below maxDepth, and reads any depth without recursing", () => {
    let deep: unknown = 0;
    for (let i = 0; i < 300; i++) deep = [deep];
    const e = encodeValue(deep);
    expect(e.truncated).toBe(true);
    expect(e.text).toContain('{"t":"truncated","v":"depth"}');
    expect(encodeValue(deep, { maxDepth: 400 }).truncated).toBe(false);

    let deeper: unknown = 0;
    for (let i = 0; i < 50_000; i++) deeper = [deeper];
    const a = encodeValue(deeper, { maxDepth: 60_000 });
    expect(a.truncated).toBe(false);
    let other: unknown = 1;
    for (let i = 0; i < 50_000; i++) other = [other];
    expect(describeDifference(a, encodeValue(other, { maxDepth: 60_000 }))).toMatch(/^value(\[0\]){50000}: 0 vs 1$/);
  });

  it("writes runs of holes, dense or sparse, with the extra properties after the elements", () => {
    const sparse: unknown[] = [1];
    sparse[5000] = 2;
    sparse[5002] = 3;
    sparse.length = 5010;
    Object.assign(sparse, { x: 1 });
    const text = enc(sparse);
    expect(text).toContain('["[1]",{"t":"hole","v":4999}],["[5000]",{"t":"number","v":"2"}],["[5001]",{"t":"hole","v":1}]');
    expect(text).toContain('["[5003]",{"t":"hole","v":7}],[".x",{"t":"number","v":"1"}]]');
    expect(enc(deepCopy(sparse))).toBe(text);
  });

  it("charges binary data to the node limit", () => {
    expect(encodeValue(new Uint8Array(200), { maxNodes: 100 }).truncated).toBe(true);
    expect(encodeValue(new ArrayBuffer(200), { maxNodes: 100 }).truncated).toBe(false);
  });
});

describe("encodeValue: runs no user code", () => {
  it("never calls a getter, a setter, toJSON, valueOf, toString or Symbol.toPrimitive", () => {
    const calls: string[] = [];
    const spy = (name: string) => () => {
      calls.push(name);
      throw new Error(name);
    };
    const value = {
      get boom() { return spy("getter")(); },
      set boom(_: unknown) { spy("setter")(); },
      toJSON: spy("toJSON"), valueOf: spy("valueOf"), toString: spy("toString"), [Symbol.toPrimitive]: spy("toPrimitive"), [Symbol.iterator]: spy("iterator"),
    };
    const text = enc([value, Object.create(value) as object]);
    expect(calls).toEqual([]);
    expect(text).toContain('".boom","ec",{"t":"accessor"');
  });

  it("reads a Map or Set subclass through the built-ins, not its overrides", () => {
    class Hostile extends Map<unknown, unknown> {
      override entries(): never { throw new Error("entries"); }
      override forEach(): never { throw new Error("forEach"); }
      override [Symbol.iterator](): never { throw new Error("iterator"); }
      override get size(): never { throw new Error("size"); }
    }
    class HostileSet extends Set<unknown> {
      override values(): never { throw new Error("values"); }
      override [Symbol.iterator](): never { throw new Error("iterator"); }
    }
    const text = enc([new Hostile([[1, "a"]]), new HostileSet([2])]);
    expect(text).toContain('"t":"map","id":2,"a":{"size":1}');
    expect(text).toContain('["<entry 0 value>",{"t":"string","v":"a"}]');
    expect(text).toContain('["<entry 0>",{"t":"number","v":"2"}]');
  });

  it("uses the built-ins captured at load even when a user patches the prototypes later", () => {
    const saved = Map.prototype.entries;
    Map.prototype.entries = () => { throw new Error("patched"); };
    try {
      expect(enc(new Map([[1, 2]]))).toContain('"<entry 0 value>"');
    } finally {
      Map.prototype.entries = saved;
    }
  });

  it("never formats a stack trace (Error.prepareStackTrace is user code), but writes that there is one", () => {
    const error = new Error("x");
    const captured = { stack: [1, 2] };
    const traced = {};
    Error.captureStackTrace(traced);
    const saved = Error.prepareStackTrace;
    let called = 0;
    Error.prepareStackTrace = () => (called++, "formatted");
    try {
      expect(enc(error)).toContain('[".stack",{"t":"stack-trace"}]');
      expect(enc(traced)).toBe(enc((() => { const t = {}; Error.captureStackTrace(t); return t; })()));
      expect(enc(traced)).not.toBe(enc({}));
      // A property the user named `stack` (enumerable) is data like any other.
      expect(enc(captured)).toContain('".stack",{"t":"array"');
      expect(called).toBe(0);
    } finally {
      Error.prepareStackTrace = saved;
    }
  });

  it("reads dates, regexps, typed arrays and functions without their overrides", () => {
    class D extends Date { override getTime(): never { throw new Error("getTime"); } }
    class R extends RegExp { override get flags(): never { throw new Error("flags"); } override get global(): never { throw new Error("global"); } }
    class T extends Uint8Array { override get length(): never { throw new Error("length"); } }
    class N { static get name(): never { throw new Error("name"); } }
    const text = enc([new D(5), new R("a", "g"), new T([7]), N]);
    expect(text).toContain('"t":"date","id":2,"v":"5"');
    expect(text).toContain('"v":"/a/g"');
    expect(text).toContain('"bytes":"07"');
    expect(text).toContain('[".name","c",{"t":"accessor"');
  });

  it("never runs a proxy's traps: opaque, and marked incomplete", () => {
    const trap = () => { throw new Error("trap"); };
    const handler = { get: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap, has: trap, isExtensible: trap };
    const proxied = [new Proxy({}, handler), new Proxy(function f() {}, handler), Object.create(new Proxy({}, handler)) as object];
    const e = encodeValue(proxied);
    expect(e.truncated).toBe(true);
    expect(e.text.match(/"t":"proxy"/g)).toHaveLength(3);
  });

  it("marks generators and iterators incomplete, and says a detached buffer is unreadable", () => {
    function* g() { yield 1; }
    expect(encodeValue(g()).truncated).toBe(true);
    expect(encodeValue(new Map().keys()).truncated).toBe(true);
    const buffer = new ArrayBuffer(8);
    const view = new Uint8Array(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    const e = encodeValue(view);
    expect(e.truncated).toBe(true);
    expect(e.text).toContain('"t":"unreadable"');
  });
});

describe("encodeValue with async hooks on", () => {
  // Node then stamps every promise with async ids of its own, which differ between any two promises.
  it("still encodes promises alike", () => {
    const hook = createHook({ init() {} }).enable();
    try {
      expect(encodeValue(Promise.resolve(1)).text).toBe(encodeValue(Promise.resolve(2)).text);
    } finally {
      hook.disable();
    }
  });
});
