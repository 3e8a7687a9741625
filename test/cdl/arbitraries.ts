import fc from "fast-check";
import { metrics, mutationOperators, percentiles, type Metric } from "../../src/cdl/properties.js";
import type { QuantityKind } from "../../src/cdl/units.js";

/**
 * Files that generated CDL imports and names as workloads, relative to the
 * folder of the generated `constraints.cdl`: pass them to `compileText`.
 * Their defaults reach the generated constraints without contradicting
 * them: each bounds a metric once, and a constraint's own bound on a
 * metric replaces every default on it. No selector here is ever generated.
 */
export const validCdlFiles: Record<string, string> = {
  "shared/defaults.cdl": [
    "defaults {",
    "  max_memory_usage: 64MB",
    "  error_rate: < 1%",
    "  percentile: p99",
    "  severity: warning",
    "}",
    "",
    "constraint Shared.audit { execution_time: 1ms..20ms }",
    "",
  ].join("\n"),
  // Imports the file above too: the root may import both (a diamond).
  "shared/limits.cdl": 'import "defaults.cdl"\n\ndefaults { min_throughput: 10/s; mutations: [memoize] }\n\nflow Shared.audit -> "src/log.ts#write" { max_calls: 3 }\n',
  "bench/workloads.ts": "export const sortCases = () => [[[3, 1, 2]]];\n",
};

const imports = ['"shared/defaults.cdl"', '"./shared/limits.cdl"', '"shared/../shared/defaults.cdl"'];
// As is, without extension (`.ts` is tried) and as `.js` (which finds the `.ts`).
const workloadPaths = ['"bench/workloads.ts"', '"./bench/workloads"', '"bench/workloads.js"'];

/** Units of each kind from small to large (equal ones side by side): a later unit never makes a smaller quantity. */
const unitsOf: Record<QuantityKind, string[]> = {
  duration: ["ns", "us", "µs", "μs", "ms", "s", "min"],
  size: ["B", "KB", "KiB", "MB", "MiB", "GB", "GiB"],
  ratio: ["%"],
  rate: ["/s"],
  count: [""],
};

/** A number as written, with its value. */
interface Num {
  text: string;
  value: number;
}
const num: fc.Arbitrary<Num> = fc.oneof(
  fc.integer({ min: 0, max: 100_000 }).map((n) => ({ text: String(n), value: n })),
  fc.integer({ min: 1, max: 999 }).map((n) => ({ text: `${n / 10}`, value: n / 10 })),
  fc.constantFrom({ text: "1_000", value: 1000 }, { text: "1e3", value: 1000 }, { text: "0.5", value: 0.5 }),
);
/** Ratios stay at most 100%: up to 50 here, so that a larger one can follow. */
const ratioNum = fc.integer({ min: 0, max: 500 }).map((n) => ({ text: `${n / 10}`, value: n / 10 }));

const ident = fc
  .stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/)
  .filter((s) => !["constraint", "defaults", "import", "workload", "flow", "sort_a", "sort_b"].includes(s));
const space = fc.constantFrom(" ", "  ", "\t");
const gap = fc.constantFrom("", " ");
const comment = fc.oneof(fc.stringMatching(/^[a-z ]{0,12}$/).map((s) => `// ${s}`), fc.stringMatching(/^[a-z ]{0,12}$/).map((s) => `/* ${s} */`));
/** Mostly nothing: a few comments inside blocks, not one per property. */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: arb, weight: 1 });

const quantityText = (n: Num, unit: string, g: string) => (unit === "" ? n.text : `${n.text}${g}${unit}`);

function quantity(kind: QuantityKind): fc.Arbitrary<string> {
  return fc.tuple(kind === "ratio" ? ratioNum : num, fc.constantFrom(...unitsOf[kind]), gap).map(([n, u, g]) => quantityText(n, u, g));
}

/** Two quantities of one kind, the second at least the first (greater when `strict`), possibly in a larger unit. */
function ordered(kind: QuantityKind, strict: boolean): fc.Arbitrary<[string, string]> {
  const units = unitsOf[kind];
  const unit = fc.nat({ max: units.length - 1 });
  return fc.tuple(kind === "ratio" ? ratioNum : num, fc.integer({ min: strict ? 1 : 0, max: 50 }), unit, unit, gap, gap).map(([low, d, a, b, g1, g2]) => {
    const high = { text: String(low.value + d), value: low.value + d };
    return [quantityText(low, units[Math.min(a, b)]!, g1), quantityText(high, units[Math.max(a, b)]!, g2)];
  });
}

type Prop = [key: string, value: string];
const upperOps = ["<", "<="];
const lowerOps = [">", ">="];
const withOp = (op: string, g: string, q: string) => (op === "" ? q : `${op}${g}${q}`);

/**
 * The bounds of one metric in one block: a bare value, a comparison, a
 * range or a sugar key, or a lower and an upper bound under two keys
 * (`min_execution_time` with `max_execution_time`, `throughput: < …` with
 * `min_throughput`), whose values never contradict.
 */
function boundsOn(metric: Metric): fc.Arbitrary<Prop[]> {
  const { kind, sugar, plainOp } = metrics[metric];
  const one = quantity(kind);
  const single = [
    one.map((q): Prop[] => [[metric, q]]),
    // Weighted: five operators share this form.
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom("<", "<=", ">", ">=", "=="), gap, one).map(([op, g, q]): Prop[] => [[metric, withOp(op, g, q)]]) },
    fc.tuple(ordered(kind, false), fc.constantFrom("..", " .. ")).map(([[lo, hi], dots]): Prop[] => [[metric, `${lo}${dots}${hi}`]]),
    ...sugar.map((s) => fc.tuple(fc.constantFrom("", ...(s === "max" ? upperOps : lowerOps)), gap, one).map(([op, g, q]): Prop[] => [[`${s}_${metric}`, withOp(op, g, q)]])),
  ];
  // Heads that state an upper (lower) bound: a key and an operator ("" for the key's own direction).
  const heads = (side: "max" | "min", ops: string[]): Prop[] => [
    ...(sugar.includes(side) ? ["", ...ops].map((op): Prop => [`${side}_${metric}`, op]) : []),
    ...ops.map((op): Prop => [metric, op]),
    ...(plainOp === (side === "max" ? "<=" : ">=") ? [[metric, ""] as Prop] : []),
  ];
  const pair = fc
    .tuple(fc.constantFrom(...heads("max", upperOps)), fc.constantFrom(...heads("min", lowerOps)), ordered(kind, true), gap)
    .filter(([upper, lower]) => upper[0] !== lower[0])
    .map(([[uk, uop], [lk, lop], [lo, hi], g]): Prop[] => [[lk, withOp(lop, g, lo)], [uk, withOp(uop, g, hi)]]);
  return fc.oneof(...single, pair);
}

/** Alternatives for `algorithm`: never a generated constraint's selector, so never the node itself. */
const alternatives = ["sort_a", "sort_b", "Sorts.merge", '"src/sorts.ts#heap"', '"./src/sorts.ts#Sorts.quick"'];
const list = (xs: string[], trailing: boolean) => `[${xs.join(", ")}${trailing ? "," : ""}]`;

/** One setting in three blocks or so: a block that sets everything is not the usual one. */
const sometimes = (arb: fc.Arbitrary<string>) => fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: arb, weight: 1 });
const settings = (arbs: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<Prop[]> =>
  fc.tuple(...Object.entries(arbs).map(([key, arb]) => sometimes(arb).map((v): Prop | null => (v === null ? null : [key, v])))).map((ps) => ps.filter((p) => p !== null));

const constraintSettings = settings({
  percentile: fc.constantFrom(...percentiles),
  algorithm: fc.tuple(fc.uniqueArray(fc.constantFrom(...alternatives), { minLength: 1, maxLength: 3 }), fc.boolean()).map(([xs, t]) => list(xs, t)),
  mutations: fc.oneof(fc.constantFrom("all", "none"), fc.tuple(fc.subarray([...mutationOperators], { minLength: 1, maxLength: 4 }), fc.boolean()).map(([xs, t]) => list(xs, t))),
  workload: fc.constantFrom("sortCases", "Cases.large", '"users-10k"'),
  equivalence: fc.constantFrom("deep", "strict", '"test/eq.ts#same"'),
  severity: fc.constantFrom("error", "warning"),
});
const flowSettings = settings({ percentile: fc.constantFrom(...percentiles), severity: fc.constantFrom("error", "warning") });

/** The properties of a block, in any order (`percentile` is read first wherever it stands). */
function properties(context: "constraint" | "flow"): fc.Arbitrary<Prop[]> {
  const bounded = (Object.keys(metrics) as Metric[]).filter((m) => metrics[m].context === context);
  return fc
    // Flows have fewer keys, and fewer blocks: bound each metric more often.
    .tuple(fc.tuple(...bounded.map((m) => fc.option(boundsOn(m), { freq: context === "flow" ? 4 : 2 }))), context === "constraint" ? constraintSettings : flowSettings)
    .chain(([bounds, set]) => {
      const all = [...bounds.flatMap((b) => b ?? []), ...set];
      return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
    });
}

/** How a block is laid out: on one line or several, its separators, a few comments between properties. */
interface Layout {
  oneLine: boolean;
  sep: string;
  trailing: boolean;
  notes: (string | null)[];
}
const layout: fc.Arbitrary<Layout> = fc.record({
  oneLine: fc.boolean(),
  sep: fc.constantFrom(",", ";", ""),
  trailing: fc.boolean(),
  notes: fc.array(rarely(comment), { minLength: 5, maxLength: 5 }),
});

function renderBlock(head: string, props: Prop[], l: Layout, sp: string): string {
  const last = props.length - 1;
  const sepAfter = (i: number) => (i < last || l.trailing ? l.sep : "");
  if (l.oneLine) {
    // A line comment would swallow the rest of the line: only block comments here.
    const body = props.map(([k, v], i) => {
      const note = l.notes[i % l.notes.length];
      return `${note?.startsWith("/*") ? `${note} ` : ""}${k}:${sp}${v}${sepAfter(i)}`;
    });
    return props.length === 0 ? `${head} {}` : `${head} { ${body.join(" ")} }`;
  }
  const lines = props.map(([k, v], i) => {
    const note = l.notes[i % l.notes.length];
    // A line comment goes after the separator; a block comment before the key.
    if (note?.startsWith("//")) return `  ${k}:${sp}${v}${sepAfter(i)} ${note}`;
    return `  ${note ? `${note} ` : ""}${k}:${sp}${v}${sepAfter(i)}`;
  });
  return `${head} {\n${lines.join("\n")}${props.length > 0 ? "\n" : ""}}`;
}

/** A selector's meaning as text: quotes and a leading `./` do not make another node. */
const selectorKey = (s: string) => (s.startsWith('"') ? (JSON.parse(s) as string).replace(/^\.\//, "") : s);
const containers = ["Cart", "Inventory", "App.Users"];
const selector = fc.oneof(
  ident,
  fc.tuple(fc.constantFrom(...containers), ident).map(([c, n]) => `${c}.${n}`),
  fc
    .tuple(fc.constantFrom("", "./"), fc.constantFrom("src/cart.ts", "src/app/users.ts", "lib/a-b.ts"), fc.constantFrom("", ...containers.map((c) => `${c}.`)), ident)
    .map(([dot, file, c, n]) => `"${dot}${file}#${c}${n}"`),
  fc
    .tuple(fc.constantFrom("src/parsers/**", "src/*.ts", "**/util.ts", "lib/**/*.ts"), fc.constantFrom("*", "Cart.*", "*.total", "parse", "*.*"))
    .map(([file, name]) => `"${file}#${name}"`),
  // A quoted plain name: the same node as the bare name.
  ident.map((n) => `"${n}"`),
);

/**
 * A valid CDL file over the whole grammar: imports and workloads (of
 * `validCdlFiles`), defaults (possibly split over two blocks), constraints
 * on every selector form with every bound form and setting, flows, and
 * comments, in any order. Selectors of constraints are distinct in meaning
 * and each block's bounds agree, so bounds never contradict.
 */
export const validCdl = fc
  .record({
    imports: fc.subarray(imports, { maxLength: 2 }),
    workloads: fc.subarray(workloadPaths, { maxLength: 2 }),
    semis: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
    defaults: fc.option(fc.tuple(properties("constraint"), fc.nat(), layout, layout), { freq: 2 }),
    constraints: fc.uniqueArray(fc.tuple(selector, properties("constraint"), layout, fc.option(comment)), { minLength: 1, maxLength: 4, selector: ([s]) => selectorKey(s) }),
    flows: fc.array(fc.tuple(selector, selector, properties("flow"), layout), { maxLength: 2 }),
    // Comments at other items than constraints, and each item's rank when the order is shuffled.
    notes: fc.array(rarely(comment), { minLength: 8, maxLength: 8 }),
    shuffle: fc.option(fc.array(fc.nat({ max: 99 }), { minLength: 16, maxLength: 16 }), { freq: 2 }),
    sp: space,
  })
  .map(({ imports, workloads, semis, defaults, constraints, flows, notes, shuffle, sp }) => {
    const items: string[] = [];
    const note = () => notes[items.length % notes.length] ?? null;
    [...imports.map((p) => `import ${p}`), ...workloads.map((p) => `workload ${p}`)].forEach((item, i) => {
      // A line comment here trails the item on its line; a block comment leads it.
      const c = note();
      const line = item + (semis[i] ? ";" : "");
      items.push(c === null ? line : c.startsWith("//") ? `${line} ${c}` : `${c} ${line}`);
    });
    const block = (head: string, props: Prop[], l: Layout, c: string | null) => items.push(`${c !== null ? `${c}\n` : ""}${renderBlock(head, props, l, sp)}`);
    if (defaults !== null) {
      // Two defaults blocks read as one: split one consistent block.
      const [props, at, l1, l2] = defaults;
      const cut = at % (props.length + 1);
      block("defaults", props.slice(0, cut), l1, note());
      if (cut < props.length) block("defaults", props.slice(cut), l2, note());
    }
    for (const [s, props, l, c] of constraints) block(`constraint ${s}`, props, l, c);
    for (const [from, to, props, l] of flows) block(`flow ${from} -> ${to}`, props, l, note());
    // Any order is valid; half the files keep the usual one (imports first).
    const order = items.map((_, i) => i);
    if (shuffle !== null) order.sort((a, b) => shuffle[a % shuffle.length]! - shuffle[b % shuffle.length]! || a - b);
    return order.map((i) => items[i]).join("\n") + "\n";
  });

/** Token soup: CDL-like tokens in random order, to reach deep parser and recovery paths. */
export const tokenSoup = fc
  .array(
    fc.oneof(
      fc.constantFrom("constraint", "flow", "defaults", "import", "workload", "{", "}", "[", "]", ":", ",", ";", ".", "..", "->", "<", "<=", ">", ">=", "==", "=", "%", "µ", "/s", "#", "\n", "//c\n", "/*", "*/", '"', '"a#b"', "all", "none"),
      ident,
      fc.tuple(num, gap, fc.constantFrom(...unitsOf.duration, ...unitsOf.size, "%", "/s", "parsecs")).map(([n, g, u]) => `${n.text}${g}${u}`),
      num.map((n) => n.text),
      fc.string({ maxLength: 3 }),
    ),
    { maxLength: 40 },
  )
  .chain((tokens) => fc.array(fc.constantFrom(" ", "", "\n"), { minLength: tokens.length, maxLength: tokens.length }).map((seps) => tokens.map((t, i) => t + seps[i]).join("")));
