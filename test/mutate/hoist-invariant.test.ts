import { describe, expect, it } from "vitest";
import { generateVariants } from "../../src/mutate/engine.js";
import { hoistInvariant } from "../../src/mutate/operators/hoist-invariant.js";
import { expectNoVariant, expectVariants } from "./helpers.js";

describe("hoist_invariant: applies", () => {
  const cases: [string, string, string[], string?][] = [
    [
      "a regex literal tested on each line of a for…of",
      "function f(lines: string[]): number {\n  let n = 0;\n  for (const line of lines) {\n    if (/^\\s*#/.test(line)) n++;\n  }\n  return n;\n}",
      ["function f(lines: string[]): number {\n  let n = 0;\n  const re = /^\\s*#/;\n  for (const line of lines) {\n    if (re.test(line)) n++;\n  }\n  return n;\n}"],
    ],
    [
      "Object.keys(config) in an inner loop goes before the outer one (a push on a local array changes nothing it reads)",
      "function f(rows: Record<string, number>[], config: Record<string, number>) {\n  const out: number[] = [];\n  for (const row of rows) {\n    for (const key of Object.keys(config)) out.push(row[key] ?? config[key]!);\n  }\n  return out;\n}",
      ["function f(rows: Record<string, number>[], config: Record<string, number>) {\n  const out: number[] = [];\n  const configKeys = Object.keys(config);\n  for (const row of rows) {\n    for (const key of configKeys) out.push(row[key] ?? config[key]!);\n  }\n  return out;\n}"],
    ],
    [
      "pattern.toLowerCase() inside filter: before the statement that holds the callback",
      "function f(names: string[], pattern: string) {\n  return names.filter((name) => name.toLowerCase().includes(pattern.toLowerCase()));\n}",
      ["function f(names: string[], pattern: string) {\n  const patternLower = pattern.toLowerCase();\n  return names.filter((name) => name.toLowerCase().includes(patternLower));\n}"],
    ],
    [
      "forEach with a function callback and a block body; a `let` string never reassigned",
      "function f(items: { name: string }[]) {\n  let prefix = '  Item: ';\n  const out: string[] = [];\n  items.forEach(function (item) {\n    out.push(prefix.trim() + item.name);\n  });\n  return out;\n}",
      ["function f(items: { name: string }[]) {\n  let prefix = '  Item: ';\n  const out: string[] = [];\n  const prefixTrimmed = prefix.trim();\n  items.forEach(function (item) {\n    out.push(prefixTrimmed + item.name);\n  });\n  return out;\n}"],
    ],
    [
      "a while loop",
      "function f(text: string, sep: string) {\n  let i = 0;\n  let count = 0;\n  while (i < text.length) {\n    if (text.startsWith(sep.trim(), i)) count++;\n    i++;\n  }\n  return count;\n}",
      ["function f(text: string, sep: string) {\n  let i = 0;\n  let count = 0;\n  const sepTrimmed = sep.trim();\n  while (i < text.length) {\n    if (text.startsWith(sepTrimmed, i)) count++;\n    i++;\n  }\n  return count;\n}"],
    ],
    [
      "a destructured parameter, in every(): the shape of matchesAll when the title is lowered inside the callback",
      "function f({ title, words }: { title: string; words: readonly string[] }) {\n  return words.every((w) => title.toLowerCase().includes(w));\n}",
      ["function f({ title, words }: { title: string; words: readonly string[] }) {\n  const titleLower = title.toLowerCase();\n  return words.every((w) => titleLower.includes(w));\n}"],
    ],
    [
      "a property of a typed parameter (interface of the module), in a map callback over a typed array",
      "interface Product { sku: string; title: string }\ninterface Options { prefix: string }\nfunction f(products: readonly Product[], options: Options) {\n  return products.map((p) => options.prefix.toUpperCase() + p.sku);\n}",
      ["function f(products: readonly Product[], options: Options) {\n  const prefixUpper = options.prefix.toUpperCase();\n  return products.map((p) => prefixUpper + p.sku);\n}"],
    ],
    [
      "optional chaining: `q?.trim()` on an optional string cannot throw, and stays undefined when q is",
      "function f(xs: string[], q?: string) {\n  return xs.filter((x) => x === q?.trim());\n}",
      ["function f(xs: string[], q?: string) {\n  const qTrimmed = q?.trim();\n  return xs.filter((x) => x === qTrimmed);\n}"],
    ],
    [
      "an optional chain that goes on keeps its short-circuit",
      "function f(xs: string[], q?: string) {\n  return xs.filter((x) => q?.trim().includes(x));\n}",
      ["function f(xs: string[], q?: string) {\n  const qTrimmed = q?.trim();\n  return xs.filter((x) => qTrimmed?.includes(x));\n}"],
    ],
    [
      "an `as string` cast is kept in the constant",
      "function f(xs: string[], raw: unknown) {\n  return xs.filter((x) => x.startsWith((raw as string).toUpperCase()));\n}",
      ["function f(xs: string[], raw: unknown) {\n  const rawUpper = (raw as string).toUpperCase();\n  return xs.filter((x) => x.startsWith(rawUpper));\n}"],
    ],
    [
      "a non-null assertion on an optional property is kept",
      "function f(xs: string[], opts: { sep?: string }) {\n  return xs.map((x) => x.split(opts.sep!.trim()));\n}",
      ["function f(xs: string[], opts: { sep?: string }) {\n  const sepTrimmed = opts.sep!.trim();\n  return xs.map((x) => x.split(sepTrimmed));\n}"],
    ],
    [
      "identical uses in one loop share one constant",
      "function f(rows: { a: string; b: string }[], q: string) {\n  return rows.filter((r) => r.a === q.trim() || r.b === q.trim());\n}",
      ["function f(rows: { a: string; b: string }[], q: string) {\n  const qTrimmed = q.trim();\n  return rows.filter((r) => r.a === qTrimmed || r.b === qTrimmed);\n}"],
    ],
    [
      "a chain of string methods is hoisted whole",
      "function f(names: string[], query: string) {\n  return names.filter((n) => n.includes(query.trim().toLowerCase()));\n}",
      ["function f(names: string[], query: string) {\n  const queryLower = query.trim().toLowerCase();\n  return names.filter((n) => n.includes(queryLower));\n}"],
    ],
    [
      "new RegExp with literal pattern and flags, used by exec in a map callback",
      "function f(ids: string[]) {\n  return ids.map((id) => new RegExp('^item-(\\\\d+)$', 'i').exec(id)?.[1]);\n}",
      ["function f(ids: string[]) {\n  const re = new RegExp('^item-(\\\\d+)$', 'i');\n  return ids.map((id) => re.exec(id)?.[1]);\n}"],
    ],
    [
      "a regex given to str.replace on a value that changes",
      "function f(lines: string[]) {\n  return lines.map((l) => l.replace(/^\\s+/, ''));\n}",
      ["function f(lines: string[]) {\n  const re = /^\\s+/;\n  return lines.map((l) => l.replace(re, ''));\n}"],
    ],
    [
      "a regex stored in a const inside the loop and only tested",
      "function f(lines: string[]) {\n  let n = 0;\n  for (const line of lines) {\n    const comment = /^#/;\n    if (comment.test(line)) n++;\n  }\n  return n;\n}",
      ["function f(lines: string[]) {\n  let n = 0;\n  const re = /^#/;\n  for (const line of lines) {\n    const comment = re;\n    if (comment.test(line)) n++;\n  }\n  return n;\n}"],
    ],
    [
      "only out of the loops where it stays the same: `line.trim()` before the inner loop (split gives no holes)",
      "function f(text: string, words: string[]) {\n  let n = 0;\n  for (const line of text.split('\\n')) {\n    for (const word of words) {\n      if (line.trim().startsWith(word)) n++;\n    }\n  }\n  return n;\n}",
      ["function f(text: string, words: string[]) {\n  let n = 0;\n  for (const line of text.split('\\n')) {\n    const lineTrimmed = line.trim();\n    for (const word of words) {\n      if (lineTrimmed.startsWith(word)) n++;\n    }\n  }\n  return n;\n}"],
    ],
    [
      "an arrow function with an expression body gets a block",
      "const f = (names: string[], q: string) => names.filter((n) => n.includes(q.toLowerCase()));",
      ["(names: string[], q: string) => { const qLower = q.toLowerCase(); return names.filter((n) => n.includes(qLower)); }"],
    ],
    [
      "a callback's expression body gets a block when the value changes with the outer callback",
      "interface Item { name: string; k: string }\nfunction f(xs: Item[], ys: Item[]) {\n  return xs.map((x) => ys.filter((y) => y.k === x.name.trim()));\n}",
      ["function f(xs: Item[], ys: Item[]) {\n  return xs.map((x) => { const nameTrimmed = x.name.trim(); return ys.filter((y) => y.k === nameTrimmed); });\n}"],
    ],
    [
      "a class field read through `this` in an arrow callback",
      "class Tagger {\n  prefix = 'tag:';\n  tag(xs: string[]) {\n    return xs.map((x) => this.prefix.toUpperCase() + x);\n  }\n}",
      ["tag(xs: string[]) {\n    const prefixUpper = this.prefix.toUpperCase();\n    return xs.map((x) => prefixUpper + x);\n  }"],
      "Tagger.tag",
    ],
    [
      "a loop that is the body of an `if` is wrapped in a block",
      "function f(ok: boolean, xs: string[]) {\n  let n = 0;\n  if (ok) for (const x of xs) n += /a/i.test(x) ? 1 : 0;\n  return n;\n}",
      ["function f(ok: boolean, xs: string[]) {\n  let n = 0;\n  if (ok) { const re = /a/i; for (const x of xs) n += re.test(x) ? 1 : 0; }\n  return n;\n}"],
    ],
    [
      "Object.entries of a local object never handed out, destructured in for…of",
      "function f(rows: { id: string }[]) {\n  const weights = { a: 1, b: 2 };\n  const out: string[] = [];\n  for (const row of rows) {\n    for (const [k, w] of Object.entries(weights)) out.push(row.id + k + w);\n  }\n  return out;\n}",
      ["function f(rows: { id: string }[]) {\n  const weights = { a: 1, b: 2 };\n  const out: string[] = [];\n  const weightsEntries = Object.entries(weights);\n  for (const row of rows) {\n    for (const [k, w] of weightsEntries) out.push(row.id + k + w);\n  }\n  return out;\n}"],
    ],
    [
      "Object.keys(o).includes(k) in a filter callback, with a cast kept around the array",
      "function f(keys: string[], o: { [k: string]: number }) {\n  return keys.filter((k) => (Object.keys(o) as string[]).includes(k));\n}",
      ["function f(keys: string[], o: { [k: string]: number }) {\n  const oKeys = Object.keys(o);\n  return keys.filter((k) => (oKeys as string[]).includes(k));\n}"],
    ],
    [
      "string methods with literal and typed arguments",
      "function f(rows: string[], label: string, width: number) {\n  return rows.map((r) => label.padEnd(12, '.').slice(0, width) + r);\n}",
      ["function f(rows: string[], label: string, width: number) {\n  const labelSlice = label.padEnd(12, '.').slice(0, width);\n  return rows.map((r) => labelSlice + r);\n}"],
    ],
    [
      "replace with a string pattern and a string replacement",
      "function f(rows: string[], name: string) {\n  return rows.map((r) => r + name.replace('-', ' '));\n}",
      ["function f(rows: string[], name: string) {\n  const nameReplaced = name.replace('-', ' ');\n  return rows.map((r) => r + nameReplaced);\n}"],
    ],
    [
      "a labeled outer loop: the constant goes before the label",
      "function f(rows: string[][]) {\n  let n = 0;\n  outer: for (const row of rows) {\n    for (const c of row) {\n      if (/x/.test(c)) continue outer;\n      n++;\n    }\n  }\n  return n;\n}",
      ["function f(rows: string[][]) {\n  let n = 0;\n  const re = /x/;\n  outer: for (const row of rows) {\n    for (const c of row) {\n      if (re.test(c)) continue outer;\n      n++;\n    }\n  }\n  return n;\n}"],
    ],
    [
      "a callback on the result of another array method",
      "function f(xs: string[], q: string) {\n  return xs.filter((x) => x.length > 0).map((x) => x + q.trim());\n}",
      ["function f(xs: string[], q: string) {\n  const qTrimmed = q.trim();\n  return xs.filter((x) => x.length > 0).map((x) => x + qTrimmed);\n}"],
    ],
    [
      "JSON.stringify of a literal",
      "function f(rows: { json: string }[]) {\n  return rows.filter((r) => r.json === JSON.stringify({ a: 1 }));\n}",
      ["function f(rows: { json: string }[]) {\n  const serialized = JSON.stringify({ a: 1 });\n  return rows.filter((r) => r.json === serialized);\n}"],
    ],
  ];
  for (const [title, code, expected, name] of cases) it(title, () => expectVariants(hoistInvariant, code, expected, name ?? "f"));

  it("makes one variant per site, and one with all of them", () => {
    const code = "function f(lines: string[], q: string) {\n  let n = 0;\n  for (const line of lines) {\n    if (/^#/.test(line) && line.includes(q.trim())) n++;\n  }\n  return n;\n}";
    expectVariants(hoistInvariant, code, [
      "function f(lines: string[], q: string) {\n  let n = 0;\n  const re = /^#/;\n  for (const line of lines) {\n    if (re.test(line) && line.includes(q.trim())) n++;\n  }\n  return n;\n}",
      "function f(lines: string[], q: string) {\n  let n = 0;\n  const qTrimmed = q.trim();\n  for (const line of lines) {\n    if (/^#/.test(line) && line.includes(qTrimmed)) n++;\n  }\n  return n;\n}",
      "function f(lines: string[], q: string) {\n  let n = 0;\n  const re = /^#/;\n  const qTrimmed = q.trim();\n  for (const line of lines) {\n    if (re.test(line) && line.includes(qTrimmed)) n++;\n  }\n  return n;\n}",
    ]);
  });

  it("makes the all-at-once variant itself when two constants go into one expression body", () => {
    const code = "const f = (names: string[], a: string, b: string) => names.filter((n) => n.startsWith(a.trim()) && n.endsWith(b.trim()));";
    expectVariants(hoistInvariant, code, [
      "(names: string[], a: string, b: string) => { const aTrimmed = a.trim(); return names.filter((n) => n.startsWith(aTrimmed) && n.endsWith(b.trim())); }",
      "(names: string[], a: string, b: string) => { const bTrimmed = b.trim(); return names.filter((n) => n.startsWith(a.trim()) && n.endsWith(bTrimmed)); }",
      "(names: string[], a: string, b: string) => { const aTrimmed = a.trim(); const bTrimmed = b.trim(); return names.filter((n) => n.startsWith(aTrimmed) && n.endsWith(bTrimmed)); }",
    ]);
  });

  it("takes risk 0.2 when the evidence is a cast (and says so), 0.1 otherwise", () => {
    const code = "function f(xs: string[], raw: unknown, q: string) {\n  return xs.filter((x) => x === (raw as string).trim() || x === q.trim());\n}";
    const result = generateVariants({ node: "src/m.ts#f", file: "src/m.ts", qualifiedName: "f", source: code, mutations: ["hoist_invariant"], algorithm: [] }, { operators: [hoistInvariant], depth: 1 });
    expect(result.variants.map((v) => v.risk)).toEqual([0.2, 0.1, 0.2]);
    expect(result.variants[0]!.summary[0]).toMatch(/relies on the assertion `raw as string` being true/);
  });
});

describe("hoist_invariant: does not apply", () => {
  const cases: [string, string, RegExp, string?][] = [
    ["a regex with the g flag (it keeps lastIndex between uses)", "function f(lines: string[]) {\n  return lines.filter((l) => /a/g.test(l));\n}", /`\/a\/g` \(line 2\): it has the `g` flag: such a regex keeps `lastIndex`/],
    ["a regex with the y flag", "function f(lines: string[]) {\n  let n = 0;\n  for (const l of lines) if (/a/y.test(l)) n++;\n  return n;\n}", /`\/a\/y` \(line 3\): it has the `y` flag/],
    ["new RegExp with the g flag", "function f(lines: string[]) {\n  return lines.map((l) => l.replace(new RegExp('a', 'g'), 'b'));\n}", /`new RegExp\('a', 'g'\)` \(line 2\): it has the `g` flag/],
    [
      "a regex whose lastIndex is read",
      "function f(lines: string[]) {\n  let total = 0;\n  for (const line of lines) {\n    const re = /\\d/;\n    re.test(line);\n    total += re.lastIndex;\n  }\n  return total;\n}",
      /`\/\\d\/` \(line 4\): it is stored in `re`, and its `lastIndex` is used \(`re.lastIndex`, line 6\)/,
    ],
    ["a regex passed to a function that might keep it", "function f(xs: string[], check: (r: RegExp, s: string) => boolean) {\n  return xs.filter((x) => check(/a/, x));\n}", /`\/a\/` \(line 2\): it is passed to `check` \(line 2\), which might keep it/],
    ["a regex stored in an array", "function f(xs: string[]) {\n  const seen: RegExp[] = [];\n  for (const x of xs) seen.push(/a/);\n  return seen;\n}", /`\/a\/` \(line 3\): it is passed to `seen.push`/],
    ["a regex whose identity is compared", "function f(xs: RegExp[]) {\n  return xs.filter((x) => x === /a/);\n}", /its identity is compared/],
    ["new RegExp(userInput): may throw, even for zero iterations", "function f(xs: string[], userInput: string) {\n  return xs.filter((x) => new RegExp(userInput, 'i').test(x));\n}", /`new RegExp\(userInput, 'i'\)` \(line 2\): its pattern or flags are not literals: it may throw a SyntaxError/],
    ["new RegExp with a literal that does not compile", "function f(xs: string[]) {\n  return xs.filter((x) => new RegExp('(').test(x));\n}", /it throws \(Invalid regular expression/],
    [
      "Object.keys(o) while the loop writes o[k]",
      "function f(words: string[]) {\n  const counts: Record<string, number> = {};\n  for (const w of words) {\n    if (!Object.keys(counts).includes(w)) counts[w] = 0;\n    counts[w]++;\n  }\n  return counts;\n}",
      /`Object\.keys\(counts\)` \(line 4\): the loop writes a property \(`counts\[w\] = 0`, line 4\), which could add or remove keys of `counts`/,
    ],
    [
      "Object.keys(o) of a parameter while the loop calls other code",
      "function f(xs: string[], o: Record<string, number>, register: (x: string) => void) {\n  for (const x of xs) {\n    if (Object.keys(o).includes(x)) register(x);\n  }\n}",
      /the loop calls other code \(`register\(x\)`, line 3\), which could add or remove keys of `o`/,
    ],
    ["Object.keys(o) sorted in place", "function f(xs: string[], o: Record<string, number>) {\n  return xs.map((x) => Object.keys(o).sort()[0] + x);\n}", /it is changed in place \(`Object\.keys\(o\)\.sort\(\)`, line 2\)/],
    ["Object.keys(o) handed to other code", "function f(xs: string[], o: Record<string, number>, use: (k: string[]) => number) {\n  return xs.map((x) => use(Object.keys(o)));\n}", /it is passed to `use` \(line 2\), which might keep or change it/],
    ["Object.keys(o) whose callback receives the array", "function f(xs: string[], o: Record<string, number>) {\n  return xs.map((x) => Object.keys(o).map((k, i, all) => all.length + k + x));\n}", /the callback of `\.map` receives the array itself/],
    ["Object.keys(o) of an `any`", "function f(xs: string[], o: any) {\n  return xs.filter((x) => Object.keys(o).includes(x));\n}", /`o` may be of type `any`/],
    ["Object.keys(o) of an optional parameter", "function f(xs: string[], o?: Record<string, number>) {\n  return xs.filter((x) => Object.keys(o).includes(x));\n}", /`Object\.keys\(o\)` \(line 2\): `o` may be undefined \(type `Record<string, number> \| undefined`\); it would throw, hoisted even when the loop runs zero times/],
    ["Object.values of an expression", "function f(xs: string[], o?: Record<string, number>) {\n  return xs.filter((x) => Object.values(o ?? {}).length > 0);\n}", /`Object\.values\(o \?\? \{\}\)` \(line 2\): its argument `o \?\? \{\}` is not a variable or a property/],
    ["Object.keys(o) of a type parameter", "function f<T>(xs: string[], o: T) {\n  return xs.filter((x) => Object.keys(o).includes(x));\n}", /`o` may be of a type parameter \(`T`\)/],
    [
      "a receiver assigned inside the loop",
      "function f(xs: string[]) {\n  let s = 'A';\n  const out: string[] = [];\n  for (const x of xs) {\n    out.push(s.toLowerCase());\n    s = x;\n  }\n  return out;\n}",
      /`s\.toLowerCase\(\)` \(line 5\): `s` is assigned inside the loop \(line 6\)/,
    ],
    ["an expression that depends on the loop variable", "function f(words: string[]) {\n  const out: string[] = [];\n  for (const w of words) out.push(w.toLowerCase());\n  return out;\n}", /`w\.toLowerCase\(\)` \(line 3\): `w` is declared inside the loop \(line 3\)/],
    ["an expression that depends on the callback's parameter", "function f(words: string[]) {\n  return words.map((w) => w.trim());\n}", /`w\.trim\(\)` \(line 2\): `w` is a parameter of the callback \(line 2\)/],
    [
      "s.toLowerCase() where s may be undefined (optional parameter)",
      "function f(xs: string[], s?: string) {\n  return xs.filter((x) => x === s.toLowerCase());\n}",
      /`s\.toLowerCase\(\)` \(line 2\): `s` may be undefined \(optional parameter `s\?`\); hoisted, `toLowerCase` would run and throw even when the loop runs zero times/,
    ],
    ["s.toLowerCase() where s is `string | null`", "function f(xs: string[], s: string | null) {\n  return xs.filter((x) => x === s.toLowerCase());\n}", /`s` may be null \(type `string \| null`\)/],
    ["a receiver with no type", "function f(xs, s) {\n  return xs.filter((x) => x === s.toLowerCase());\n}", /cdlc cannot see that `s` is a string/],
    [
      "an element of a typed array in for…of (a hole would be undefined)",
      "function f(lines: string[], words: string[]) {\n  let n = 0;\n  for (const line of lines) {\n    for (const w of words) if (line.trim() === w) n++;\n  }\n  return n;\n}",
      /`line\.trim\(\)` \(line 4\): `line` may be undefined \(type `string \| undefined`\)/,
    ],
    ["repeat with a count that may be negative", "function f(xs: string[], n: number) {\n  return xs.map((x) => '-'.repeat(n) + x);\n}", /throws for a negative or infinite count/],
    ["padEnd with a width that may be huge (RangeError: Invalid string length)", "function f(xs: string[], s: string, width: number) {\n  return xs.map((x) => s.padEnd(width) + x);\n}", /`s\.padEnd\(width\)` throws for a huge width/],
    ["normalize with a form that may be invalid", "function f(xs: string[], s: string, form: string) {\n  return xs.filter((x) => x === s.normalize(form));\n}", /throws unless the form is "NFC"/],
    ["replace with a function replacement", "function f(xs: string[], s: string) {\n  return xs.map((x) => x + s.replace('a', () => 'b'));\n}", /the argument `\(\) => 'b'` of `replace` is not a literal or a variable/],
    [
      "a property read while the loop writes a property",
      "function f(products: { seen: boolean }[], config: { prefix: string }) {\n  const out: string[] = [];\n  for (const p of products) {\n    p.seen = true;\n    out.push(config.prefix.toLowerCase());\n  }\n  return out;\n}",
      /`config\.prefix\.toLowerCase\(\)` \(line 5\): the loop writes a property \(`p\.seen = true`, line 4\), which could change what it reads/,
    ],
    [
      "a property read while the loop awaits",
      "async function f(xs: string[], config: { prefix: string }, tick: Promise<void>) {\n  const out: string[] = [];\n  for (const x of xs) {\n    await tick;\n    out.push(config.prefix.trim() + x);\n  }\n  return out;\n}",
      /the loop waits \(`await tick`, line 4\) while other code may run/,
    ],
    [
      "a variable reassigned by a function the loop calls",
      "function f(xs: string[]) {\n  let q = 'a';\n  const bump = () => {\n    q = 'b';\n  };\n  const out: string[] = [];\n  for (const x of xs) {\n    out.push(x + q.trim());\n    bump();\n  }\n  return out;\n}",
      /`q\.trim\(\)` \(line 8\): `q` is assigned in another function the loop may call \(line 4\)/,
    ],
    ["`this` of a function callback", "class C {\n  prefix = 'x';\n  run(xs: string[]) {\n    return xs.map(function (this: { prefix: string }, x) {\n      return this.prefix.trim() + x;\n    });\n  }\n}", /`this` is the callback's own/, "C.run"],
    [
      "a callback on something not known to be an array (it might run later)",
      "function f(stream: { map(cb: (x: string) => string): unknown }, q: string) {\n  return stream.map((x) => x + q.trim());\n}",
      /cdlc cannot see that `stream` is an array, so its `map` might call the callback later/,
    ],
    [
      "an async callback (its tail runs later, after the variable may have changed)",
      "function f(xs: string[], log: (s: string) => void) {\n  let q = 'a';\n  xs.forEach(async (x) => {\n    await Promise.resolve();\n    log(q.trim() + x);\n  });\n  q = 'b';\n}",
      /`q\.trim\(\)` \(line 5\): the callback \(line 3\) is async: part of it runs later/,
    ],
    ["an entry of Object.entries(o) changed by the callback", "function f(xs: string[], o: Record<string, number>) {\n  return xs.map((x) => Object.entries(o).map((e) => {\n    e[1] = 0;\n    return x + e[0];\n  }));\n}", /an entry `e` is used as a value \(line 3\); the entries would be shared between iterations/],
    ["a variable declared after the loop (hoisted, it would be read before it is set)", "function f(xs: string[]) {\n  const out: string[] = [];\n  for (const x of xs) out.push(x + P.trim());\n  const P = 'a';\n  return out;\n}", /`P\.trim\(\)` \(line 3\): `P` is declared after the loop \(line 4\)/],
    ["JSON.stringify of a variable", "function f(rows: { json: string }[], o: { a: number }) {\n  return rows.filter((r) => r.json === JSON.stringify(o));\n}", /its argument is not a literal \(`o`\)/],
    ["outside any loop", "function f(s: string) {\n  return s.toLowerCase();\n}", /no regex, `Object\.keys\/values\/entries`, string method or `JSON\.stringify` of a literal inside a loop/],
    ["only Math calls (already cheap)", "function f(xs: number[], a: number, b: number) {\n  return xs.map((x) => x * Math.max(a, b));\n}", /`Math\.\*` calls are already cheap/],
    ["the shop's matchesAll: title is already lowered once", "function matchesAll(product: { title: string }, words: readonly string[]): boolean {\n  const title = product.title.toLowerCase();\n  return words.every((w) => title.includes(w));\n}", /no regex/, "matchesAll"],
  ];
  for (const [title, code, reason, name] of cases) it(title, () => expectNoVariant(hoistInvariant, code, reason, name ?? "f"));
});
