import { describe, expect, it } from "vitest";
import { generateVariants } from "../../src/mutate/engine.js";
import { setMembership } from "../../src/mutate/operators/set-membership.js";
import { expectNoVariant, expectVariants } from "./helpers.js";
import { typeErrors } from "./type-check.js";

const join = (...lines: string[]) => lines.join("\n");

describe("set_membership: applies", () => {
  const cases: [string, string, string[], string?][] = [
    [
      "the example project's dedupe: a local array that grows by push, the push the body of an if without braces",
      join(
        "function f(skus: readonly string[]): string[] {",
        "  const out: string[] = [];",
        "  for (const sku of skus) {",
        "    if (!out.includes(sku)) out.push(sku);",
        "  }",
        "  return out;",
        "}",
      ),
      [
        join(
          "function f(skus: readonly string[]): string[] {",
          "  const out: string[] = [];",
          "  const outSet = new Set(out);",
          "  for (const sku of skus) {",
          "    if (!outSet.has(sku)) { out.push(sku); outSet.add(sku); }",
          "  }",
          "  return out;",
          "}",
        ),
      ],
    ],
    [
      "dedupe with indexOf, `let`, a push in a block, no semicolons (the add goes on its own line)",
      join(
        "function f(words: string[]) {",
        "  let seen: string[] = []",
        "  for (const w of words) {",
        "    if (seen.indexOf(w) === -1) {",
        "      seen.push(w) // keep the first",
        "    }",
        "  }",
        "  return seen",
        "}",
      ),
      [
        join(
          "function f(words: string[]) {",
          "  let seen: string[] = []",
          "  const seenSet = new Set(seen);",
          "  for (const w of words) {",
          "    if (!seenSet.has(w)) {",
          "      seen.push(w); // keep the first",
          "      seenSet.add(w);",
          "    }",
          "  }",
          "  return seen",
          "}",
        ),
      ],
    ],
    [
      "a classic for loop; a parameter array; a non-null assertion in the value",
      join(
        "function f(xs: string[], allowed: string[]) {",
        "  let n = 0;",
        "  for (let i = 0; i < xs.length; i++) {",
        "    if (allowed.includes(xs[i]!)) n++;",
        "  }",
        "  return n;",
        "}",
      ),
      [
        join(
          "function f(xs: string[], allowed: string[]) {",
          "  let n = 0;",
          "  const allowedSet = new Set(allowed);",
          "  for (let i = 0; i < xs.length; i++) {",
          "    if (allowedSet.has(xs[i]!)) n++;",
          "  }",
          "  return n;",
          "}",
        ),
      ],
    ],
    [
      "forEach with an arrow callback with a block body",
      join(
        "function f(orders: { sku: string }[], banned: readonly string[]) {",
        "  let hits = 0;",
        "  orders.forEach((o) => {",
        "    if (banned.includes(o.sku)) hits++;",
        "  });",
        "  return hits;",
        "}",
      ),
      [
        join(
          "function f(orders: { sku: string }[], banned: readonly string[]) {",
          "  let hits = 0;",
          "  const bannedSet = new Set(banned);",
          "  orders.forEach((o) => {",
          "    if (bannedSet.has(o.sku)) hits++;",
          "  });",
          "  return hits;",
          "}",
        ),
      ],
    ],
    [
      "a while loop whose test looks up (indexOf !== -1, string[] on both sides)",
      join("function f(queue: string[], done: string[]) {", "  let i = 0;", "  while (i < queue.length && done.indexOf(queue[i]!) !== -1) i++;", "  return i;", "}"),
      [join("function f(queue: string[], done: string[]) {", "  let i = 0;", "  const doneSet = new Set(done);", "  while (i < queue.length && doneSet.has(queue[i]!)) i++;", "  return i;", "}")],
    ],
    [
      "an arrow whose expression body filters: the body becomes a block",
      "const f = (names: string[], banned: string[]) => names.filter((n) => !banned.includes(n));",
      ["(names: string[], banned: string[]) => { const bannedSet = new Set(banned); return names.filter((n) => !bannedSet.has(n)); }"],
    ],
    [
      "a function callback with a block body; some((a) => a === id) with the value typed through an interface",
      join(
        "interface User { id: string; name: string }",
        "function f(users: User[], admins: string[]) {",
        "  return users.filter(function (u) {",
        "    const id = u.id;",
        "    return admins.some((a) => a === id);",
        "  });",
        "}",
      ),
      [
        join(
          "function f(users: User[], admins: string[]) {",
          "  const adminsSet = new Set(admins);",
          "  return users.filter(function (u) {",
          "    const id = u.id;",
          "    return adminsSet.has(id);",
          "  });",
          "}",
        ),
      ],
    ],
    [
      "destructured parameters; a result array pushed to in the loop is the node's own (no other code runs)",
      join(
        "function f({ items, banned }: { items: string[]; banned: string[] }) {",
        "  const kept: string[] = [];",
        "  for (const item of items) if (!banned.includes(item)) kept.push(item);",
        "  return kept;",
        "}",
      ),
      [
        join(
          "function f({ items, banned }: { items: string[]; banned: string[] }) {",
          "  const kept: string[] = [];",
          "  const bannedSet = new Set(banned);",
          "  for (const item of items) if (!bannedSet.has(item)) kept.push(item);",
          "  return kept;",
          "}",
        ),
      ],
    ],
    [
      "optional chaining: a missing array still gives undefined",
      "function f(xs: string[], banned?: string[]) { return xs.filter((x) => !banned?.includes(x)); }",
      ["function f(xs: string[], banned?: string[]) { const bannedSet = banned == null ? undefined : new Set(banned); return xs.filter((x) => !bannedSet?.has(x)); }"],
    ],
    [
      "optional chaining with indexOf: the comparison keeps its value for a missing array",
      "function f(xs: string[], banned?: string[]) { return xs.map((x) => banned?.indexOf(x) !== -1); }",
      ["function f(xs: string[], banned?: string[]) { const bannedSet = banned == null ? undefined : new Set(banned); return xs.map((x) => (bannedSet?.has(x) !== false)); }"],
    ],
    [
      "a method: this.x with a non-null assertion and an `as` cast kept",
      join(
        "class Catalog {",
        "  private skus: string[] | undefined;",
        "  count(codes: unknown[]) {",
        "    let n = 0;",
        "    for (const c of codes) if (this.skus!.includes(c as string)) n++;",
        "    return n;",
        "  }",
        "}",
      ),
      [
        join(
          "count(codes: unknown[]) {",
          "    let n = 0;",
          "    const skusSet = new Set(this.skus!);",
          "    for (const c of codes) if (skusSet.has(c as string)) n++;",
          "    return n;",
          "  }",
        ),
      ],
      "Catalog.count",
    ],
    [
      "a module constant read through an `as` cast",
      join(
        'const ALLOWED = ["a", "b"] as const;',
        "function f(xs: string[]) {",
        "  return xs.filter((x) => (ALLOWED as readonly string[]).indexOf(x) >= 0);",
        "}",
      ),
      [join("function f(xs: string[]) {", "  const ALLOWEDSet = new Set(ALLOWED as readonly string[]);", "  return xs.filter((x) => ALLOWEDSet.has(x));", "}")],
    ],
    [
      "nested loops: the Set goes before the outermost loop in which the array stays the same",
      join(
        "function f(rows: string[][], keys: string[]) {",
        "  let n = 0;",
        "  for (const row of rows) {",
        "    for (const cell of row) {",
        "      if (keys.includes(cell)) n++;",
        "    }",
        "  }",
        "  return n;",
        "}",
      ),
      [
        join(
          "function f(rows: string[][], keys: string[]) {",
          "  let n = 0;",
          "  const keysSet = new Set(keys);",
          "  for (const row of rows) {",
          "    for (const cell of row) {",
          "      if (keysSet.has(cell)) n++;",
          "    }",
          "  }",
          "  return n;",
          "}",
        ),
      ],
    ],
    [
      "an array that differs per outer iteration: the Set goes before the inner loop",
      join(
        "function f(groups: { members: string[] }[], people: string[]) {",
        "  let n = 0;",
        "  for (const g of groups) {",
        "    for (const p of people) {",
        "      if (g.members.includes(p)) n++;",
        "    }",
        "  }",
        "  return n;",
        "}",
      ),
      [
        join(
          "function f(groups: { members: string[] }[], people: string[]) {",
          "  let n = 0;",
          "  for (const g of groups) {",
          "    const membersSet = new Set(g.members);",
          "    for (const p of people) {",
          "      if (membersSet.has(p)) n++;",
          "    }",
          "  }",
          "  return n;",
          "}",
        ),
      ],
    ],
    [
      "callbacks inside a callback",
      "function f(rows: string[][], keys: string[]) { return rows.map((row) => row.filter((c) => keys.includes(c))); }",
      ["function f(rows: string[][], keys: string[]) { const keysSet = new Set(keys); return rows.map((row) => row.filter((c) => keysSet.has(c))); }"],
    ],
    [
      "an array that differs per element of an outer callback: the Set goes into that callback's expression body",
      "function f(rows: { cells: string[]; keys: string[] }[]) { return rows.map((row) => row.cells.filter((c) => row.keys.includes(c))); }",
      ["function f(rows: { cells: string[]; keys: string[] }[]) { return rows.map((row) => { const keysSet = new Set(row.keys); return row.cells.filter((c) => keysSet.has(c)); }); }"],
    ],
    [
      "a loop that is the body of an if without braces is wrapped in a block",
      "function f(xs: string[], ys: string[], on: boolean) { let n = 0; if (on) for (const x of xs) if (ys.includes(x)) n++; return n; }",
      ["function f(xs: string[], ys: string[], on: boolean) { let n = 0; if (on) { const ysSet = new Set(ys); for (const x of xs) if (ysSet.has(x)) n++; } return n; }"],
    ],
    [
      "a labelled loop: the Set goes before the label",
      join("function f(xss: string[][], stop: string[]) {", "  outer: for (const xs of xss) {", "    for (const x of xs) if (stop.includes(x)) break outer;", "  }", "}"),
      [join("function f(xss: string[][], stop: string[]) {", "  const stopSet = new Set(stop);", "  outer: for (const xs of xss) {", "    for (const x of xs) if (stopSet.has(x)) break outer;", "  }", "}")],
    ],
    [
      "the dedupe form with other code called in the loop: the array is the node's own until it is returned",
      join(
        "function f(skus: string[], log: (s: string) => void) {",
        "  const out: string[] = [];",
        "  for (const sku of skus) {",
        "    log(sku);",
        "    if (!out.includes(sku)) {",
        "      out.push(sku);",
        "    }",
        "  }",
        "  return out;",
        "}",
      ),
      [
        join(
          "function f(skus: string[], log: (s: string) => void) {",
          "  const out: string[] = [];",
          "  const outSet = new Set(out);",
          "  for (const sku of skus) {",
          "    log(sku);",
          "    if (!outSet.has(sku)) {",
          "      out.push(sku);",
          "      outSet.add(sku);",
          "    }",
          "  }",
          "  return out;",
          "}",
        ),
      ],
    ],
    [
      "a do…while loop, a switch case",
      join("function f(xs: string[], stop: string[], mode: number) {", "  let i = 0;", "  switch (mode) {", "    case 1:", "      do i++; while (i < xs.length && !stop.includes(xs[i]!));", "  }", "  return i;", "}"),
      [join("function f(xs: string[], stop: string[], mode: number) {", "  let i = 0;", "  switch (mode) {", "    case 1:", "      const stopSet = new Set(stop);", "      do i++; while (i < xs.length && !stopSet.has(xs[i]!));", "  }", "  return i;", "}")],
    ],
  ];
  for (const [title, code, expected, name] of cases) {
    it(title, () => expectVariants(setMembership, code, expected, name ?? "f"));
  }

  describe("every comparison of indexOf with -1 or 0, either way round", () => {
    const forms: [string, string][] = [
      ["xs.indexOf(y) !== -1", "xsSet.has(y)"],
      ["xs.indexOf(y) != -1", "xsSet.has(y)"],
      ["xs.indexOf(y) >= 0", "xsSet.has(y)"],
      ["xs.indexOf(y) > -1", "xsSet.has(y)"],
      ["xs.indexOf(y) === -1", "!xsSet.has(y)"],
      ["xs.indexOf(y) == -1", "!xsSet.has(y)"],
      ["xs.indexOf(y) < 0", "!xsSet.has(y)"],
      ["xs.indexOf(y) <= -1", "!xsSet.has(y)"],
      ["-1 !== xs.indexOf(y)", "xsSet.has(y)"],
      ["0 <= xs.indexOf(y)", "xsSet.has(y)"],
      ["-1 < xs.indexOf(y)", "xsSet.has(y)"],
      ["-1 === xs.indexOf(y)", "!xsSet.has(y)"],
      ["0 > xs.indexOf(y)", "!xsSet.has(y)"],
    ];
    for (const [test, replaced] of forms) {
      it(test, () =>
        expectVariants(setMembership, `function f(xs: string[], ys: string[]) { return ys.filter((y) => ${test}); }`, [
          `function f(xs: string[], ys: string[]) { const xsSet = new Set(xs); return ys.filter((y) => ${replaced}); }`,
        ]),
      );
    }
  });

  describe("some((y) => y === v), either way round, arrow or function, expression or block body", () => {
    const forms = ["(y) => y === v", "y => v === y", "(y: string) => { return y === v; }", "function (y) { return v === y; }", "function (y: string) { return y === v }"];
    for (const form of forms) {
      it(form, () =>
        expectVariants(setMembership, `function f(xs: string[], vs: string[]) { let n = 0; for (const v of vs) if (xs.some(${form})) n++; return n; }`, [
          "function f(xs: string[], vs: string[]) { let n = 0; const xsSet = new Set(xs); for (const v of vs) if (xsSet.has(v)) n++; return n; }",
        ]),
      );
    }
  });

  describe("some((y) => y === v) where v may not be an element in TypeScript's eyes: a Set<unknown>", () => {
    const cases: [string, string, string[]][] = [
      [
        // `===` compares a `Kind` with a `string`; `Set<Kind>.has` wants a `Kind` (the property test's shrunk module).
        "a narrower element type (a literal union) than the value's",
        'type Kind = "a" | "b" | "c";\nfunction f(items: string[], s: Kind[]) {\n  return items.filter((out) => s.some(i => i === out));\n}',
        ["function f(items: string[], s: Kind[]) {\n  const sSet = new Set<unknown>(s);\n  return items.filter((out) => sSet.has(out));\n}"],
      ],
      [
        "a value that may be undefined, on a local array without holes",
        "function f(vs: (string | undefined)[]) { const out = ['a']; let n = 0; for (const v of vs) if (out.some((y) => y === v)) n++; return n; }",
        ["function f(vs: (string | undefined)[]) { const out = ['a']; let n = 0; const outSet = new Set<unknown>(out); for (const v of vs) if (outSet.has(v)) n++; return n; }"],
      ],
      [
        "an includes test of the same array shares the Set<unknown>",
        'type Kind = "a" | "b";\nfunction f(a: Kind[], xs: string[], k: Kind) { let n = 0; for (const x of xs) { if (a.some((y) => y === x)) n++; if (a.includes(k)) n--; } return n; }',
        ['function f(a: Kind[], xs: string[], k: Kind) { let n = 0; const aSet = new Set<unknown>(a); for (const x of xs) { if (aSet.has(x)) n++; if (aSet.has(k)) n--; } return n; }'],
      ],
      [
        "a literal of the element type: a plain Set",
        "function f(xs: string[], vs: number[]) { let n = 0; for (const v of vs) if (xs.some((y) => y === 'a') && v > 0) n++; return n; }",
        ["function f(xs: string[], vs: number[]) { let n = 0; const xsSet = new Set(xs); for (const v of vs) if (xsSet.has('a') && v > 0) n++; return n; }"],
      ],
    ];
    for (const [title, code, expected] of cases) it(title, () => expectVariants(setMembership, code, expected));

    it("a JavaScript file gets no type argument (the same code in TypeScript gets one)", () => {
      const code = "export function f() { const out = ['a', 1]; let n = 0; for (let i = 0; i < 3; i++) { const v = String(i); if (out.some((y) => y === v)) n++; } return n; }";
      const variant = (file: string) =>
        generateVariants({ node: `${file}#f`, file, qualifiedName: "f", source: code, mutations: ["set_membership"], algorithm: [] }, { operators: [setMembership], depth: 1 }).variants.map((v) => v.nodeText);
      const rewritten = (set: string) => `function f() { const out = ['a', 1]; let n = 0; const outSet = ${set}; for (let i = 0; i < 3; i++) { const v = String(i); if (outSet.has(v)) n++; } return n; }`;
      expect(variant("src/m.js")).toEqual([rewritten("new Set(out)")]);
      expect(variant("src/m.ts")).toEqual([rewritten("new Set<unknown>(out)")]);
    });
  });

  it("one Set per array: two tests of one array share it; two arrays make a rewrite each, and both at once", () => {
    const code = join(
      "function f(xs: string[], a: string[], b: string[]) {",
      "  let n = 0;",
      "  for (const x of xs) {",
      "    if (a.includes(x)) n++;",
      "    if (b.includes(x) && !a.includes(x)) n--;",
      "  }",
      "  return n;",
      "}",
    );
    const body = (decl: string, first: string, second: string, third: string) =>
      join("function f(xs: string[], a: string[], b: string[]) {", "  let n = 0;", `${decl}  for (const x of xs) {`, `    if (${first}) n++;`, `    if (${second} && ${third}) n--;`, "  }", "  return n;", "}");
    expectVariants(setMembership, code, [
      body("  const aSet = new Set(a);\n", "aSet.has(x)", "b.includes(x)", "!aSet.has(x)"),
      body("  const bSet = new Set(b);\n", "a.includes(x)", "bSet.has(x)", "!a.includes(x)"),
      body("  const aSet = new Set(a);\n  const bSet = new Set(b);\n", "aSet.has(x)", "bSet.has(x)", "!aSet.has(x)"),
    ]);
  });

  it("two Sets for one arrow body: a rewrite each, not combined (the body can become a block only once)", () =>
    expectVariants(setMembership, "const f = (xs: string[], a: string[], b: string[]) => xs.filter((x) => a.includes(x) && !b.includes(x));", [
      "(xs: string[], a: string[], b: string[]) => { const aSet = new Set(a); return xs.filter((x) => aSet.has(x) && !b.includes(x)); }",
      "(xs: string[], a: string[], b: string[]) => { const bSet = new Set(b); return xs.filter((x) => a.includes(x) && !bSet.has(x)); }",
    ]));

  it("says what it did, with the line, and carries the operator's risk", () => {
    const code = join("function f(skus: readonly string[]): string[] {", "  const out: string[] = [];", "  for (const sku of skus) {", "    if (!out.includes(sku)) out.push(sku);", "  }", "  return out;", "}");
    const result = generateVariants({ node: "src/m.ts#f", file: "src/m.ts", qualifiedName: "f", source: code, mutations: ["set_membership"], algorithm: [] }, { operators: [setMembership], depth: 1 });
    expect(result.variants.map((v) => v.summary)).toEqual([["`out.includes(sku)` → `outSet.has(sku)` (line 4), set built once before the loop (line 3), kept in step with `out.push` (line 4)"]]);
    expect(result.variants[0]!.risk).toBe(0.2);
  });
});

describe("set_membership: does not apply", () => {
  const cases: [string, string, RegExp, string?][] = [
    ["indexOf on number[]: NaN is possible", "function f(xs: number[], ys: number[]) { return ys.filter((y) => xs.indexOf(y) !== -1); }", /`indexOf` never finds NaN and Set.has does; cdlc cannot see that NaN is impossible here/],
    ["indexOf with no annotation on the value (and numbers in the array)", "function f(vs) { const xs = [1, 2, 3]; return vs.filter((v) => xs.indexOf(v) >= 0); }", /`xs.indexOf\(v\) >= 0` \(line 1\): `indexOf` never finds NaN/],
    ["some((y) => y === v) on numbers", "function f(xs: number[], vs: number[]) { for (const v of vs) if (xs.some((y) => y === v)) return v; }", /`===` never matches NaN and Set.has does/],
    ["indexOf of a value that may be undefined: indexOf skips holes, new Set does not", "function f(xs: string[], vs: (string | undefined)[]) { return vs.filter((v) => xs.indexOf(v) !== -1); }", /`indexOf` skips the holes of a sparse array .* cannot see that `v` is never undefined/],
    [
      "splice inside the loop",
      join("function f(xs: string[], rm: string[]) {", "  const out: string[] = [...xs];", "  for (const r of rm) {", "    if (out.includes(r)) out.splice(out.indexOf(r), 1);", "  }", "  return out;", "}"),
      /`out` is changed inside the loop \(`out.splice\(out.indexOf\(r\), 1\)`, line 4\)/,
    ],
    ["an element written inside the loop", "function f(xs: string[]) { const out: string[] = ['']; for (const x of xs) { if (!out.includes(x)) out[0] = x; } return out; }", /`out` is changed inside the loop \(`out\[0\] = x`, line 1\)/],
    ["length written inside the loop", "function f(xs: string[]) { const out: string[] = []; for (const x of xs) { if (out.includes(x)) out.length = 0; } return out; }", /`out` is changed inside the loop \(`out.length = 0`/],
    ["pop inside the loop", "function f(xs: string[]) { const out: string[] = []; for (const x of xs) { if (out.includes(x)) out.pop(); } return out; }", /`out` is changed inside the loop \(`out.pop\(\)`/],
    ["a push of two values", "function f(xs: string[]) { const out: string[] = []; for (const x of xs) { if (!out.includes(x)) out.push(x, x); } return out; }", /`out` is pushed to inside the loop with 2 arguments \(`out.push\(x, x\)` \(line 1\)\)/],
    ["a push of a spread", "function f(xss: string[][]) { const out: string[] = []; for (const xs of xss) { if (!out.includes(xs[0]!)) out.push(...xs); } return out; }", /pushed to inside the loop with a spread/],
    ["a push inside an expression", "function f(xs: string[]) { const out: string[] = []; let n = 0; for (const x of xs) { if (!out.includes(x)) n = out.push(x); } return n; }", /in an expression/],
    ["a push whose value reads the array", "function f(xs: number[]) { const out: number[] = []; for (const x of xs) { if (!out.includes(x)) out.push(out.length + x); } return out; }", /with a value that reads `out`/],
    ["a push whose value has a side effect", "function f(xs: string[], g: () => string) { const out: string[] = []; for (const x of xs) { if (!out.includes(x)) out.push(g()); } return out; }", /value that may have a side effect \(`g\(\)`\)/],
    ["a push inside a function that may run later", "function f(xs: string[], later: (cb: () => void) => void) { const out: string[] = []; for (const x of xs) { if (!out.includes(x)) later(() => { out.push(x); }); } return out; }", /pushed to inside a function that may run at another time/],
    ["the array passed to a function inside the loop", "function f(xs: string[], keep: (a: string[]) => void) { const out: string[] = []; for (const x of xs) { keep(out); if (out.includes(x)) return true; } return false; }", /`out` is handed to other code inside the loop \(`keep\(out\)`, line 1\)/],
    ["the array handed to a callback that receives it", "function f(xs: string[]) { const out: string[] = []; for (const x of xs) { out.forEach((v, i, a) => a.push(v)); if (out.includes(x)) return true; } return false; }", /`out` is handed to the callback of `out.forEach/],
    ["the array reassigned in the loop", "function f(xs: string[]) { let out: string[] = []; for (const x of xs) { if (out.includes(x)) out = []; } return out; }", /`out` is assigned inside the loop \(line 1\)/],
    ["a parameter array pushed to in the loop", "function f(seen: string[], xs: string[]) { for (const x of xs) if (!seen.includes(x)) seen.push(x); }", /`seen` is pushed to inside the loop \(`seen.push\(x\)`, line 1\), and it is not a local array the node made/],
    ["a parameter array and a call in the loop", "function f(xs: string[], ys: string[], log: (s: string) => void) {\n  for (const y of ys) {\n    log(y);\n    if (xs.includes(y)) return true;\n  }\n  return false;\n}", /`xs` is not a local array the node made, and the loop calls other code \(`log\(y\)`, line 3\), which could change it/],
    ["this.items and a method call in the loop", "class C { items: string[] = []; touch(x: string) {} count(xs: string[]) { let n = 0; for (const x of xs) { this.touch(x); if (this.items.includes(x)) n++; } return n; } }", /`this.items` is not a local array the node made, and the loop calls other code \(`this.touch\(x\)`/, "C.count"],
    ["a local array a closure changes, called in the loop", "function f(xs: string[]) {\n  const out: string[] = [];\n  const add = (s: string) => { out.push(s); };\n  for (const x of xs) { if (!out.includes(x)) add(x); }\n  return out;\n}", /`out` is changed by a function that could be called at any time \(`out.push\(s\)`, line 3\) and the loop calls other code \(`add\(x\)`, line 4\)/],
    ["a local array that is an alias of a parameter", "function f(xs: string[], items: string[], g: () => void) { const list = items; for (const x of xs) { g(); if (list.includes(x)) return x; } }", /`list` is not a local array the node made, and the loop calls other code \(`g\(\)`/],
    ["a local alias of the array pushed to in the loop", "function f(xs: string[]) { const out: string[] = []; const alias = out; for (const x of xs) { if (!out.includes(x)) alias.push(x); } return out; }", /`out` is handed to other code \(`alias = out`, line 1\) and the loop calls other code \(`alias.push\(x\)`, line 1\)/],
    ["a yield in the loop (the consumer runs meanwhile)", "function* f(xs: string[], ys: string[]) { for (const y of ys) { if (xs.includes(y)) yield y; } }", /the loop yields, and other code can run meanwhile \(`yield y`/],
    ["an await in the loop", "async function f(xs: string[], ys: string[], tick: Promise<void>) { let n = 0; for (const y of ys) { await tick; if (xs.includes(y)) n++; } return n; }", /the loop awaits, and other code can run meanwhile \(`await tick`/],
    ["a for…of over something that is not an array", "function f(xs: string[], it: Iterable<string>) { let n = 0; for (const y of it) if (xs.includes(y)) n++; return n; }", /the loop iterates `it` \(line 1\), which cdlc cannot see is an array/],
    ["a callback loop on something that may not be an array (a lazy stream)", "function f(stream: { filter(p: (x: string) => boolean): unknown }, banned: string[]) { return stream.filter((x) => banned.includes(x)); }", /cdlc cannot see that `stream` is an array: its `filter` callback \(line 1\) could run after `banned` has changed/],
    ["an object on the chain that may be missing, asserted with `!`: the Set would read it even for zero iterations", "function f(xs: string[], cfg?: { allowed: string[] }) { return xs.filter((x) => cfg!.allowed.includes(x)); }", /`cfg` may be null or undefined .*the Set would read `cfg!.allowed` before the loop, even when the loop runs zero times/],
    ["the array computed with a call", "function f(xs: string[], getItems: () => string[]) { return xs.filter((x) => getItems().includes(x)); }", /`getItems\(\).includes\(x\)` \(line 1\): `getItems\(\)` is computed with a call \(`getItems\(\)`, line 1\)/],
    ["the array read with a computed index", "function f(xs: string[], lists: string[][], k: number) { return xs.filter((x) => lists[k]!.includes(x)); }", /computed index/],
    ["a some callback that is not a plain equality", "function f(users: { id: string }[], ids: string[]) { return ids.filter((v) => users.some((y) => y.id === v)); }", /the callback of `users.some\(\(y\) => y.id === v\)` is not a plain `y === v` test/],
    ["a some callback whose value would be evaluated once instead of per element", "function f(xs: string[], ys: string[], key: () => string) { return ys.filter(() => xs.some((y) => y === key())); }", /would be evaluated once instead of once per element/],
    ["a lookup not inside any loop", "function f(xs: string[], v: string) { return xs.includes(v); }", /`xs.includes\(v\)` \(line 1\) is not inside a loop: it runs once, and building a Set costs more than the one lookup it saves/],
    ["a lookup in a closure made in the loop (it may run after the loop)", "function f(xs: string[], ys: string[]) { return ys.map((y) => () => xs.includes(y)); }", /is not inside a loop/],
    [
      "a string receiver (the example project's matchesAll: includes searches substrings)",
      join("interface Product { title: string }", "function f(product: Product, words: readonly string[]): boolean {", "  const title = product.title.toLowerCase();", "  return words.every((w) => title.includes(w));", "}"),
      /cdlc cannot see that `title` is an array \(it is a string, whose `includes` and `indexOf` search substrings\)/,
    ],
    ["a receiver with no annotation", "function f(xs, ys: string[]) { return ys.filter((y) => xs.includes(y)); }", /cdlc cannot see that `xs` is an array \(no annotation/],
    ["an array that may be undefined, without ?.", "function f(xs: string[] | undefined, ys: string[]) { return ys.filter((y) => xs.includes(y)); }", /`xs` may be null or undefined/],
    ["includes with a start index is not a membership test", "function f(xs: string[], ys: string[]) { return ys.filter((y) => xs.includes(y, 1)); }", /no `includes\(v\)`, `indexOf\(v\)` compared with -1 or 0/],
    ["indexOf used as a number", "function f(xs: string[], ys: string[]) { return ys.map((y) => xs.indexOf(y)); }", /no `includes\(v\)`/],
    ["Set is not the built-in", "import { Set } from 'immutable';\nfunction f(xs: string[], ys: string[]) { return ys.filter((y) => xs.includes(y)); }", /`Set` is not the built-in here/],
    ["the iterable of a for…of, evaluated after the Set is built, calls code", "function f(xs: string[], next: () => string[]) { let n = 0; for (const y of next()) if (xs.includes(y)) n++; return n; }", /between the Set's declaration and the loop, the code calls other code \(`next\(\)`/],
  ];
  for (const [title, code, reason, name] of cases) it(title, () => expectNoVariant(setMembership, code, reason, name ?? "f"));
});

describe("set_membership: every variant type-checks where the original does", () => {
  it("strict, noUncheckedIndexedAccess, every form", () => {
    const originals = [
      'type Kind = "a" | "b" | "c";\nexport function a(items: string[], s: Kind[]) {\n  return items.filter((out) => s.some(i => i === out));\n}\n',
      'type Kind = "a" | "b";\nexport function b(a: readonly Kind[], xs: string[], k: Kind) { let n = 0; for (const x of xs) { if (a.some((y) => y === x)) n++; if (a.includes(k)) n--; } return n; }\n',
      "export function c(vs: (string | undefined)[]) { const out = ['a']; let n = 0; for (const v of vs) if (out.some((y) => y === v)) n++; return n; }\n",
      "export function d(xs: readonly string[]): string[] { const out: string[] = []; for (const x of xs) { if (!out.some((y) => y === x)) out.push(x); } return out; }\n",
      'type Kind = "a" | "b";\nexport function e(kinds: Kind[], xs?: Kind[]) { return kinds.filter((k) => xs?.includes(k)); }\n',
      "interface User { id: string; name: string }\nexport function f(users: User[], admins: string[]) { return users.filter(function (u) { const id = u.id; return admins.some((a) => a === id); }); }\n",
      "export function g(words: string[], stop: string[]) { let n = 0; for (const w of words) if (stop.indexOf(w) === -1) n++; return n; }\n",
    ];
    const files: Record<string, string> = {};
    originals.forEach((code, i) => {
      files[`o${i}.ts`] = code;
      const name = /export function (\w+)/.exec(code)![1]!;
      const variants = generateVariants({ node: `src/m.ts#${name}`, file: "src/m.ts", qualifiedName: name, source: code, mutations: ["set_membership"], algorithm: [] }, { operators: [setMembership], depth: 1 }).variants;
      expect(variants.length, code).toBeGreaterThan(0);
      variants.forEach((v, k) => (files[`o${i}v${k}.ts`] = v.source));
    });
    const errors = typeErrors(files);
    expect(Object.entries(errors).filter(([, e]) => e.length > 0).map(([name, e]) => `${name}: ${e.join("; ")}\n${files[name]}`)).toEqual([]);
  });
});
