import ts from "typescript";
import { describe, expect, it } from "vitest";
import { createOperatorContext } from "../../src/mutate/context.js";
import { generateVariants } from "../../src/mutate/engine.js";
import { mapIndex, type MapIndexRewrite } from "../../src/mutate/operators/map-index.js";
import { locateFunction, parseSource } from "../../src/mutate/source.js";
import { expectNoVariant, expectVariants } from "./helpers.js";
import { typeErrors } from "./type-check.js";

/**
 * map_index: `arr.find((p) => p.k === v)` in a loop → a lookup through a
 * Map filled in order as far as each lookup needs (see the module). Every
 * expected text below was checked to behave like the original under the
 * preconditions; the runtime tables run both on duplicates, misses, holes,
 * null elements and empty arrays, and the type tables compile them.
 */

/** The declarations the operator writes before a loop (indented by two spaces per level). */
function lookup(o: { map: string; fn: string; type?: string; el: string; key: string; optional?: boolean; names?: [string, string, string, string] }): string[] {
  const [array, value, hit, key] = o.names ?? ["array", "value", "hit", "key"];
  const scanned = `${o.map}Scanned`;
  const T = o.type;
  return [
    `const ${o.map} = new Map${T ? `<unknown, ${T}>` : ""}();`,
    `let ${scanned} = 0;`,
    `const ${o.fn} = (${T ? `${array}: readonly ${T}[]${o.optional ? " | null | undefined" : ""}` : array}, ${value}${T ? ": unknown" : ""})${T ? `: ${T} | undefined` : ""} => {`,
    ...(o.optional ? [`  if (${array} == null) return undefined;`] : []),
    `  const ${hit} = ${o.map}.get(${value});`,
    `  if (${hit} !== undefined) return ${hit};`,
    `  while (${scanned} < ${array}.length) {`,
    `    const ${o.el} = ${array}[${scanned}]${T ? "!" : ""};`,
    `    const ${key} = ${o.key};`,
    `    ${scanned}++;`,
    `    if (!${o.map}.has(${key})) ${o.map}.set(${key}, ${o.el});`,
    `    if (${key} === ${value}) return ${o.el};`,
    `  }`,
    `  return undefined;`,
    `};`,
  ];
}
/** The declarations on their own lines, each line indented, ready to go before a statement at `indent`. */
const block = (lines: string[], indent: string) => lines.map((l) => `${indent}${l}`).join("\n").trimStart() + `\n${indent}`;
/** The declarations on one line (a function written on one line), followed by a space. */
const inline = (lines: string[]) => `${lines.map((l) => l.trim()).join(" ")} `;

const cartSource = `import type { Product } from "./catalog.js";

export interface Line {
  sku: string;
  quantity: number;
}

export class Cart {
  constructor(
    readonly lines: Line[],
    private readonly products: readonly Product[],
  ) {}

  /** The total in cents: looks every line's product up with \`find\` (linear per line). */
  total(): number {
    let sum = 0;
    for (const line of this.lines) {
      const product = this.products.find((p) => p.sku === line.sku);
      if (product) sum += product.priceCents * line.quantity;
    }
    return sum;
  }
}
`;

const cartTotal = `total(): number {
    let sum = 0;
    const productsBySku = new Map<unknown, Product>();
    let productsBySkuScanned = 0;
    const findBySku = (array: readonly Product[], value: unknown): Product | undefined => {
      const hit = productsBySku.get(value);
      if (hit !== undefined) return hit;
      while (productsBySkuScanned < array.length) {
        const p = array[productsBySkuScanned]!;
        const key = p.sku;
        productsBySkuScanned++;
        if (!productsBySku.has(key)) productsBySku.set(key, p);
        if (key === value) return p;
      }
      return undefined;
    };
    for (const line of this.lines) {
      const product = findBySku(this.products, line.sku);
      if (product) sum += product.priceCents * line.quantity;
    }
    return sum;
  }`;

const forLoop = `interface Item { id: string; n: number }
function f(items: Item[], ids: string[]) {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const it = items.find(function (p) { return ids[i] === p.id; });
    if (it) out.push(it.n);
  }
  return out;
}`;

const forEachOptional = `type Row = { meta: { code: string } };
function f(rows: readonly Row[] | undefined, codes: string[]) {
  let n = 0;
  codes.forEach((c) => { if (rows?.find(({ meta: { code } }) => code === c)) n++; });
  return n;
}`;

const whileLoop = `type P = { "first-name": string };
function f(people: P[], names: string[]) { let i = 0; let found = 0; while (i < names.length) { let who = people.find((p) => p["first-name"] === names[i]); if (who) found++; i++; } return found; }`;

const forIn = `interface Stock { meta: { code: string }; count: number }
function f(stock: Stock[], wanted: Record<string, number>) {
  let missing = 0;
  for (const code in wanted) {
    const s = stock.find((x) => x.meta.code === code);
    if (!s) missing++;
  }
  return missing;
}`;

const cast = `import type { Item } from "./item.js";
function f(items: Item[], keys: unknown[]) { let n = 0; for (const k of keys) if (items.find((p) => (p.code as string) === k)) n++; return n; }`;

const nonNull = `interface Line { id: string }
function f(items: Line[] | undefined, lines: (Line | undefined)[]) { let n = 0; for (const line of lines) if (items!.find((p) => p.id === line!.id)) n++; return n; }`;

const literalArray = `function f(ks: string[]) {
  const xs = [{ id: "a", n: 1 }, { id: "b", n: 2 }];
  let sum = 0;
  for (const k of ks) sum += xs.find((x) => x.id === k)?.n ?? 0;
  return sum;
}`;

/** No annotation anywhere: the lookup is written without types too. */
const untyped = `function f(items, n) {
  const list = Array.from(items);
  const out = [];
  for (let i = 0; i < n; i++) {
    const hit = list.find((p) => p.id === \`k\${i}\`);
    out.push(hit ? hit.v : -1);
  }
  return out;
}`;

const untypedVariant = `function f(items, n) {
  const list = Array.from(items);
  const out = [];
  ${block(lookup({ map: "listById", fn: "findById", el: "p", key: "p.id", names: ["array", "value", "hit2", "key"] }), "  ")}for (let i = 0; i < n; i++) {
    const hit = findById(list, \`k\${i}\`);
    out.push(hit ? hit.v : -1);
  }
  return out;
}`;

describe("map_index: applies", () => {
  it("the shop's Cart.total: for…of in a method, `this.products`, the value's type from `Line` in the file", () => {
    expectVariants(mapIndex, cartSource, [cartTotal], "Cart.total");
  });

  const cases: [string, string, string[]][] = [
    [
      "a `for` loop, a function predicate with a block body, the value on the left",
      forLoop,
      [
        `function f(items: Item[], ids: string[]) {
  const out: number[] = [];
  ${block(lookup({ map: "itemsById", fn: "findById", type: "Item", el: "p", key: "p.id" }), "  ")}for (let i = 0; i < ids.length; i++) {
    const it = findById(items, ids[i]);
    if (it) out.push(it.n);
  }
  return out;
}`,
      ],
    ],
    [
      "forEach, optional chaining on the receiver, a destructured parameter reaching `meta.code`",
      forEachOptional,
      [
        `function f(rows: readonly Row[] | undefined, codes: string[]) {
  let n = 0;
  ${block(lookup({ map: "rowsByCode", fn: "findByCode", type: "Row", el: "element", key: "element.meta.code", optional: true }), "  ")}codes.forEach((c) => { if (findByCode(rows, c)) n++; });
  return n;
}`,
      ],
    ],
    [
      "a `while` loop, `let`, a string-literal computed key, all on one line",
      whileLoop,
      [
        `function f(people: P[], names: string[]) { let i = 0; let found = 0; ${inline(lookup({ map: "peopleByFirstName", fn: "findByFirstName", type: "P", el: "p", key: 'p["first-name"]' }))}while (i < names.length) { let who = findByFirstName(people, names[i]); if (who) found++; i++; } return found; }`,
      ],
    ],
    [
      "a `for…in` loop and a dotted key path `x.meta.code`",
      forIn,
      [
        `function f(stock: Stock[], wanted: Record<string, number>) {
  let missing = 0;
  ${block(lookup({ map: "stockByCode", fn: "findByCode", type: "Stock", el: "x", key: "x.meta.code" }), "  ")}for (const code in wanted) {
    const s = findByCode(stock, code);
    if (!s) missing++;
  }
  return missing;
}`,
      ],
    ],
    [
      "an `as` cast on the key gives its type (the cast is kept in the index)",
      cast,
      [
        `function f(items: Item[], keys: unknown[]) { let n = 0; ${inline(lookup({ map: "itemsByCode", fn: "findByCode", type: "Item", el: "p", key: "p.code as string" }))}for (const k of keys) if (findByCode(items, k)) n++; return n; }`,
      ],
    ],
    [
      "non-null assertions on the array and the value are kept",
      nonNull,
      [
        `function f(items: Line[] | undefined, lines: (Line | undefined)[]) { let n = 0; ${inline(lookup({ map: "itemsById", fn: "findById", type: "Line", el: "p", key: "p.id" }))}for (const line of lines) if (findById(items!, line!.id)) n++; return n; }`,
      ],
    ],
    [
      "an unannotated local array: its element type is `(typeof xs)[number]`",
      literalArray,
      [
        `function f(ks: string[]) {
  const xs = [{ id: "a", n: 1 }, { id: "b", n: 2 }];
  let sum = 0;
  ${block(lookup({ map: "xsById", fn: "findById", type: "(typeof xs)[number]", el: "x", key: "x.id" }), "  ")}for (const k of ks) sum += findById(xs, k)?.n ?? 0;
  return sum;
}`,
      ],
    ],
    ["no annotations in the file: the lookup has none either (a template literal of a counter is a string)", untyped, [untypedVariant]],
    [
      "nested loops: the Map goes before the outermost loop in which the array stays the same",
      `function f(users: { id: string }[], batches: string[][]) {
  let n = 0;
  for (const batch of batches) {
    for (const id of batch) {
      if (users.find((u) => u.id === id)) n++;
    }
  }
  return n;
}`,
      [
        `function f(users: { id: string }[], batches: string[][]) {
  let n = 0;
  ${block(lookup({ map: "usersById", fn: "findById", type: "{ id: string }", el: "u", key: "u.id" }), "  ")}for (const batch of batches) {
    for (const id of batch) {
      if (findById(users, id)) n++;
    }
  }
  return n;
}`,
      ],
    ],
    [
      "the inner loop only, when the array is the outer loop's",
      `function f(groups: { users: { id: string }[] }[], ids: string[]) {
  let n = 0;
  for (const g of groups) {
    for (const id of ids) {
      if (g.users.find((u) => u.id === id)) n++;
    }
  }
  return n;
}`,
      [
        `function f(groups: { users: { id: string }[] }[], ids: string[]) {
  let n = 0;
  for (const g of groups) {
    ${block(lookup({ map: "usersById", fn: "findById", type: "{ id: string }", el: "u", key: "u.id" }), "    ")}for (const id of ids) {
      if (findById(g.users, id)) n++;
    }
  }
  return n;
}`,
      ],
    ],
    [
      "a loop that is the body of an `if` gets a block",
      `function f(users: { id: string }[], ids: string[], on: boolean) {
  let n = 0;
  if (on) for (const id of ids) n += users.find((u) => u.id === id) ? 1 : 0;
  return n;
}`,
      [
        `function f(users: { id: string }[], ids: string[], on: boolean) {
  let n = 0;
  if (on) { ${inline(lookup({ map: "usersById", fn: "findById", type: "{ id: string }", el: "u", key: "u.id" }))}for (const id of ids) n += findById(users, id) ? 1 : 0; }
  return n;
}`,
      ],
    ],
    [
      "a labeled loop: the Map goes before the label",
      `function f(users: { id: string }[], ids: string[]) {
  let first = "";
  scan: for (const id of ids) {
    const u = users.find((x) => x.id === id);
    if (u) { first = u.id; break scan; }
  }
  return first;
}`,
      [
        `function f(users: { id: string }[], ids: string[]) {
  let first = "";
  ${block(lookup({ map: "usersById", fn: "findById", type: "{ id: string }", el: "x", key: "x.id" }), "  ")}scan: for (const id of ids) {
    const u = findById(users, id);
    if (u) { first = u.id; break scan; }
  }
  return first;
}`,
      ],
    ],
    [
      "writes to a local made in the node and returned after the loop do not stop it (a Map and a Set too)",
      `function f(users: { id: string; n: number }[], ids: string[]) {
  const out: number[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    const u = users.find((x) => x.id === id);
    seen.add(id);
    out[out.length] = u ? u.n : 0;
  }
  return [out, seen] as const;
}`,
      [
        `function f(users: { id: string; n: number }[], ids: string[]) {
  const out: number[] = [];
  const seen = new Set<string>();
  ${block(lookup({ map: "usersById", fn: "findById", type: "{ id: string; n: number }", el: "x", key: "x.id" }), "  ")}for (const id of ids) {
    const u = findById(users, id);
    seen.add(id);
    out[out.length] = u ? u.n : 0;
  }
  return [out, seen] as const;
}`,
      ],
    ],
  ];
  for (const [title, code, expected] of cases) it(title, () => expectVariants(mapIndex, code, expected));

  it("rewrites each site, and both at once", () => {
    const code = `function f(users: { id: string; team: string }[], ids: string[], teams: string[]) {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const u = users.find((x) => x.id === ids[i]);
    const t = users.find((x) => x.team === teams[i]);
    out.push(\`\${u?.id}:\${t?.id}\`);
  }
  return out;
}`;
    const T = "{ id: string; team: string }";
    const byId = block(lookup({ map: "usersById", fn: "findById", type: T, el: "x", key: "x.id" }), "  ");
    const byTeam = block(lookup({ map: "usersByTeam", fn: "findByTeam", type: T, el: "x", key: "x.team" }), "  ");
    const body = (decls: string, u: string, t: string) => `function f(users: { id: string; team: string }[], ids: string[], teams: string[]) {
  const out: string[] = [];
  ${decls}for (let i = 0; i < ids.length; i++) {
    const u = ${u};
    const t = ${t};
    out.push(\`\${u?.id}:\${t?.id}\`);
  }
  return out;
}`;
    expectVariants(mapIndex, code, [
      body(byId, "findById(users, ids[i])", "users.find((x) => x.team === teams[i])"),
      body(byTeam, "users.find((x) => x.id === ids[i])", "findByTeam(users, teams[i])"),
      body(byId + byTeam, "findById(users, ids[i])", "findByTeam(users, teams[i])"),
    ]);
  });

  it("carries risk 0.3 when the key's type is known only from an `as` cast, 0.2 otherwise", () => {
    const rewritesOf = (code: string, name = "f") => {
      const fn = locateFunction(parseSource("src/m.ts", code), name);
      if ("reason" in fn) throw new Error(fn.reason);
      const result = mapIndex.apply(createOperatorContext(fn, code, [], "src/m.ts"));
      if ("reason" in result) throw new Error(result.reason);
      return result.rewrites as MapIndexRewrite[];
    };
    expect(rewritesOf(cast).map((r) => r.risk)).toEqual([0.3]);
    expect(rewritesOf(cast)[0]!.summary).toMatch(/`as` cast \(risk 0\.3\)/);
    expect(rewritesOf(cartSource, "Cart.total").map((r) => r.risk)).toEqual([0.2]);
    expect(rewritesOf(forLoop).map((r) => r.risk)).toEqual([0.2]);
    expect(mapIndex.risk).toBe(0.2);
  });
});

/** The variant's file text, made by the engine. */
function variantSource(code: string, name = "f"): string {
  const result = generateVariants({ node: `src/m.ts#${name}`, file: "src/m.ts", qualifiedName: name, source: code, mutations: ["map_index"], algorithm: [] }, { operators: [mapIndex], depth: 1 });
  expect(result.variants).toHaveLength(1);
  return result.variants[0]!.source;
}

/** Runs a module's TypeScript as plain JavaScript and returns its exports. */
function load(code: string): Record<string, unknown> {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exports: Record<string, unknown> = {};
  new Function("exports", "require", `${js}\nexports.f = typeof f === "undefined" ? undefined : f;`)(exports, () => ({}));
  return exports;
}

/** What a call returns, or the error it throws (its kind and message). */
function outcome(run: () => unknown): unknown {
  try {
    return { value: run() };
  } catch (e) {
    return { threw: (e as Error).constructor.name, message: (e as Error).message };
  }
}

/** A small deterministic random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe("map_index: the variant behaves like the original", () => {
  const original = load(untyped).f as (items: unknown, n: number) => number[];
  const variant = load(variantSource(untyped)).f as (items: unknown, n: number) => number[];

  it("keeps the FIRST element of duplicate keys, and misses give undefined", () => {
    const items = [{ id: "k0", v: 1 }, { id: "k1", v: 2 }, { id: "k0", v: 3 }, { id: "k1", v: 4 }];
    expect(original(items, 4)).toEqual([1, 2, -1, -1]);
    expect(variant(items, 4)).toEqual([1, 2, -1, -1]);
  });

  it("throws where find throws: a hole or null before the match, never when the loop does not run or stops earlier", () => {
    const holey = [{ id: "k0", v: 1 }, , { id: "k1", v: 2 }];
    const withNull = [{ id: "k0", v: 1 }, null, { id: "k1", v: 2 }];
    for (const items of [holey, withNull]) {
      for (const n of [0, 1, 2, 3]) expect(outcome(() => variant(items, n))).toEqual(outcome(() => original(items, n)));
    }
    expect(outcome(() => variant(holey, 1))).toEqual({ value: [1] });
    expect(outcome(() => variant(holey, 2))).toMatchObject({ threw: "TypeError" });
    expect(outcome(() => variant([], 5))).toEqual({ value: [-1, -1, -1, -1, -1] });
  });

  it("agrees on 500 random arrays of duplicate keys, holes, nulls and keys that are not strings", () => {
    const next = random(7);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const seen = { threw: 0, found: 0 };
    for (let round = 0; round < 500; round++) {
      const items: unknown[] = [];
      const length = Math.floor(next() * 7);
      for (let i = 0; i < length; i++) {
        const kind = next();
        if (kind < 0.08) continue; // a hole (the array grows past it below)
        items[i] = kind < 0.14 ? null : { id: pick(["k0", "k1", "k2", "k3", 0, NaN, undefined]), v: i };
      }
      items.length = length;
      const n = Math.floor(next() * 6);
      const expected = outcome(() => original(items, n)) as { threw?: string; value?: number[] };
      expect(outcome(() => variant(items, n)), JSON.stringify({ items, n })).toEqual(expected);
      if (expected.threw !== undefined) seen.threw++;
      else if (expected.value!.some((v) => v >= 0)) seen.found++;
    }
    // The table exercises both throwing and finding.
    expect(seen.threw).toBeGreaterThan(20);
    expect(seen.found).toBeGreaterThan(100);
  });

  it("the shop's cart totals the same, duplicate SKUs included, and throws at the same hole", () => {
    const classes = [cartSource, variantSource(cartSource, "Cart.total")].map((code) => load(code).Cart as new (lines: unknown[], products: unknown[]) => { total(): number });
    const products = [{ sku: "a", priceCents: 100 }, { sku: "b", priceCents: 7 }, { sku: "a", priceCents: 999 }];
    const lines = [{ sku: "a", quantity: 2 }, { sku: "c", quantity: 1 }, { sku: "b", quantity: 3 }, { sku: "a", quantity: 1 }];
    const holey = [{ sku: "a", priceCents: 100 }, , { sku: "b", priceCents: 7 }];
    const totals = classes.map((Cart) => [
      outcome(() => new Cart(lines, products).total()),
      outcome(() => new Cart([], holey).total()),
      outcome(() => new Cart([{ sku: "a", quantity: 1 }], holey).total()),
      outcome(() => new Cart([{ sku: "b", quantity: 1 }], holey).total()),
    ]);
    expect(totals[0]![0]).toEqual({ value: 321 });
    expect(totals[1]).toEqual(totals[0]);
  });
});

describe("map_index: the variant type-checks where the original does", () => {
  const catalog = "export interface Product { sku: string; title: string; priceCents: number; tags: string[] }\n";
  const item = "export interface Item { code: unknown; n: number }\n";
  const uses = "\nexport const use = [f];\n";
  const typed: [string, string, Record<string, string>][] = [
    ["Cart.total", cartSource, { "catalog.ts": catalog }],
    ["f", forLoop + uses, {}],
    ["f", forEachOptional + uses, {}],
    ["f", whileLoop + uses, {}],
    ["f", forIn + uses, {}],
    ["f", cast + uses, { "item.ts": item }],
    ["f", nonNull + uses, {}],
    ["f", literalArray + uses, {}],
  ];
  it("original and variant, strict and with `noUncheckedIndexedAccess`", () => {
    const files: Record<string, string> = {};
    typed.forEach(([name, code, neighbours], i) => {
      Object.assign(files, neighbours);
      files[`original${i}.ts`] = code;
      files[`variant${i}.ts`] = variantSource(code, name);
    });
    // A control: the check does report errors.
    files["control.ts"] = "export const wrong: string = 1;\n";
    const errors = Object.entries(typeErrors(files, { noUnusedLocals: true })).flatMap(([file, list]) => list.map((e) => `${file}: ${e}`));
    expect(errors).toEqual(["control.ts: line 1: TS2322 Type 'number' is not assignable to type 'string'."]);
  }, 120_000);
});

describe("map_index: does not apply", () => {
  const cases: [string, string, RegExp][] = [
    ["NaN possible: number keys and values without a type that excludes NaN", "function f(items: { id: number }[], ids: number[]) { for (const id of ids) items.find((p) => p.id === id); }", /the key `id` may be NaN: `find` compares with `===`/],
    ["NaN possible: the element type is imported, the value unknown", 'import type { Item } from "./item.js";\nfunction f(items: Item[], keys: unknown[]) { for (const k of keys) items.find((p) => p.code === k); }', /the key `code` may be NaN/],
    [
      "the array is pushed to inside the loop",
      "function f(ids: string[]) {\n  const seen: { id: string }[] = [];\n  for (const id of ids) {\n    if (!seen.find((p) => p.id === id)) seen.push({ id });\n  }\n  return seen;\n}",
      /`seen` is pushed to inside the loop \(line 4\)/,
    ],
    ["a parameter array is pushed to inside the loop", "function f(items: { id: string }[], ids: string[]) { for (const id of ids) { if (!items.find((p) => p.id === id)) items.push({ id }); } }", /`items` is pushed to inside the loop \(line 1\)/],
    ["the array is reassigned inside the loop", "function f(items: { id: string }[], ids: string[]) {\n  for (const id of ids) {\n    items.find((p) => p.id === id);\n    items = items.slice(1);\n  }\n}", /`items` is assigned inside the loop \(line 4\)/],
    ["an element's key is written inside the loop", "function f(items: { id: string }[], ids: string[]) { for (const id of ids) { const it = items.find((p) => p.id === id); if (it) it.id = 'z'; } }", /writes `it\.id` \(line 1\), which could change `items` or the `id` of its elements/],
    ["the loop calls code cdlc cannot see", "function f(items: { id: string }[], ids: string[], log: (s: string) => void) { for (const id of ids) { items.find((p) => p.id === id); log(id); } }", /calls `log\(id\)` \(line 1\)/],
    ["an alias of the array changes it (a local is not always a fresh array)", "function f(src: { id: string }[], ids: string[]) { const seen = src; for (const id of ids) { seen.find((x) => x.id === id); src.push({ id }); } }", /calls `src\.push\(\{ id \}\)`/],
    ["a predicate that is not a key equality: `>`", "function f(items: { price: number }[], limits: number[]) { for (const v of limits) items.find((p) => p.price > v); }", /the predicate `p\.price > v` is not one key equality/],
    ["a predicate that is not a key equality: two keys", "function f(items: { a: string; b: string }[], vs: string[], w: string) { for (const v of vs) items.find((p) => p.a === v && p.b === w); }", /the predicate `p\.a === v && p\.b === w` is not one key equality/],
    ["a predicate with a side effect", "let n = 0;\nfunction f(items: { id: string }[], ids: string[]) { for (const id of ids) items.find((p) => { n++; return p.id === id; }); }", /the predicate may have a side effect \(`n\+\+`, line 2\)/],
    ["a key read through a call", "function f(items: { key(): string }[], ids: string[]) { for (const id of ids) items.find((p) => p.key() === id); }", /the key `p\.key\(\)` is read through a call/],
    ["a site not inside any loop", "function f(items: { id: string }[], id: string) { return items.find((p) => p.id === id); }", /`items\.find\(\(p\) => p\.id === id\)` \(line 1\) is not inside a loop/],
    ["a key computed with a variable", 'function f(items: { id: string }[], ids: string[], field: "id") { for (const id of ids) items.find((p) => p[field] === id); }', /the key `p\[field\]` is computed with `field`/],
    ["loose equality", "function f(items: { id: string }[], ids: string[]) { for (const id of ids) items.find((p) => p.id == id); }", /`==` converts types/],
    ["the element itself is compared", "function f(items: string[], ids: string[]) { for (const id of ids) items.find((p) => p === id); }", /compares the element itself/],
    ["the element is read with `?.` (a hole would match an undefined key)", "function f(items: ({ id: string } | undefined)[], ids: string[]) { for (const id of ids) items.find((p) => p?.id === id); }", /reads the element with `\?\.`/],
    ["the predicate takes the index", "function f(items: { id: string }[], ids: string[]) { for (const id of ids) items.find((p, i) => p.id === id); }", /takes the index or the array too/],
    ["a `thisArg`", "function f(items: { id: string }[], ids: string[], ctx: object) { for (const id of ids) items.find(function (p) { return p.id === id; }, ctx); }", /with a `thisArg`/],
    ["a receiver that may not be an array (its own `find`)", "class Repo { find(p: (x: { id: string }) => boolean) { return p({ id: '' }); } }\nfunction f(repo: Repo, ids: string[]) { for (const id of ids) repo.find((x) => x.id === id); }", /cannot see that `repo` is an array/],
    ["a value that could throw when the array is empty", "interface Line { sku: string }\nfunction f(items: { sku: string }[], lines: (Line | undefined)[]) { for (const o of lines) items.find((p) => p.sku === o.sku); }", /cannot see that `o` is never null or undefined, so `o\.sku` could throw/],
    ["a value with a call", "function f(items: { id: string }[], ids: string[]) { for (const id of ids) items.find((p) => p.id === ids.indexOf(id)); }", /side effect \(`ids\.indexOf\(id\)`/],
    ["the array is the for…of loop's own variable", "function f(groups: { items: { id: string }[] }[], id: string) { for (const g of groups) { g.items.find((x) => x.id === id); } }", /`g` is declared inside the loop/],
    ["a value read from `this` outside a class method (it may be undefined)", "function f(this: { id: string } | undefined, items: { id: string }[], n: number) { for (let i = 0; i < n; i++) items.find((p) => p.id === this.id); }", /`this` may be undefined here/],
    ["the loop awaits", "async function f(items: { id: string }[], ids: string[], tick: Promise<void>) { for (const id of ids) { await tick; items.find((p) => p.id === id); } }", /the loop awaits \(line 1\)/],
    ["for…of over an iterator that runs code", "function f(items: { id: string }[], gen: () => Iterable<string>) { for (const id of gen()) items.find((p) => p.id === id); }", /cannot see that `gen\(\)` \(line 1\) is an array/],
    ["the optional chain goes on after find", "function f(items: { id: string; name: string }[] | undefined, ids: string[]) { for (const id of ids) items?.find((p) => p.id === id).name; }", /the optional chain goes on after `find\(…\)`/],
  ];
  for (const [title, code, reason] of cases) it(title, () => expectNoVariant(mapIndex, code, reason));

  it("`this` in a `function` callback is the callback's own", () =>
    expectNoVariant(mapIndex, "class C { items: { id: string }[] = []; g(ids: string[]) { let n = 0; ids.forEach(function (id) { if (this.items.find((x) => x.id === id)) n++; }); return n; } }", /`this` in `this\.items` is not a class instance's here/, "C.g"));
  it("a class field written in the loop (a setter could change the array)", () =>
    expectNoVariant(mapIndex, "class C { items: { id: string }[] = []; total = 0; g(ids: string[]) { for (const id of ids) { if (this.items.find((x) => x.id === id)) this.total++; } } }", /writes `this\.total`/, "C.g"));
});
