import { describe, expect, it } from "vitest";
import { generateVariants } from "../../src/mutate/engine.js";
import { accumulatorMutation } from "../../src/mutate/operators/accumulator-mutation.js";
import { expectNoVariant, expectVariants } from "./helpers.js";
import { typeErrors } from "./type-check.js";

/** The descriptor `Object.defineProperty` gets: what a literal's `[k]: v` makes. */
const data = (value: string) => `{ value: ${value}, writable: true, enumerable: true, configurable: true }`;

describe("accumulator_mutation: applies", () => {
  const cases: [string, string, string[], string?][] = [
    [
      // x.id may be "__proto__": the literal makes an own property, `acc[x.id] = x` would set the prototype.
      "object spread with a computed key that could be __proto__ → defineProperty",
      "function f(xs: { id: string }[]) { return xs.reduce((acc, x) => ({ ...acc, [x.id]: x }), {}); }",
      [`function f(xs: { id: string }[]) { return xs.reduce((acc, x) => { Object.defineProperty(acc, x.id, ${data("x")}); return acc; }, {}); }`],
    ],
    [
      "array spread with a call → push, typed initial value ([] as T[])",
      "function f(xs: number[], g: (n: number) => string) { return xs.reduce((acc, x) => [...acc, g(x)], [] as string[]); }",
      ["function f(xs: number[], g: (n: number) => string) { return xs.reduce((acc, x) => { acc.push(g(x)); return acc; }, [] as string[]); }"],
    ],
    [
      "block body on several lines, a key with a telling prefix → plain assignment, indentation kept",
      "function f(xs: Item[]) {\n  return xs.reduce((acc, x) => {\n    return { ...acc, [`id-${x.id}`]: x };\n  }, {} as Record<string, Item>);\n}",
      ["function f(xs: Item[]) {\n  return xs.reduce((acc, x) => {\n    acc[`id-${x.id}`] = x;\n    return acc;\n  }, {} as Record<string, Item>);\n}"],
    ],
    [
      "function callback, the index parameter as key (a number), <T>{} assertion",
      "function f(xs: Item[]) { return xs.reduce(function (acc, x, i) { return { ...acc, [i]: x.name }; }, <Record<number, string>>{}); }",
      ["function f(xs: Item[]) { return xs.reduce(function (acc, x, i) { acc[i] = x.name; return acc; }, <Record<number, string>>{}); }"],
    ],
    [
      "destructured element parameter",
      "function f(xs: Item[]) { return xs.reduce((acc, { id, name }) => ({ ...acc, [id]: name }), {}); }",
      [`function f(xs: Item[]) { return xs.reduce((acc, { id, name }) => { Object.defineProperty(acc, id, ${data("name")}); return acc; }, {}); }`],
    ],
    [
      "a method reducing this.items, with a non-null assertion kept",
      "class C { items: Item[] = []; names() { return this.items.reduce((acc, x) => [...acc, x.name!], [] as string[]); } }",
      ["names() { return this.items.reduce((acc, x) => { acc.push(x.name!); return acc; }, [] as string[]); }"],
      "C.names",
    ],
    [
      "optional chaining receiver, a conditional add (the accumulator returned as is otherwise)",
      "function f(xs?: number[]) { return xs?.reduce((acc, x) => (x > 0 ? [...acc, x] : acc), [] as number[]); }",
      ["function f(xs?: number[]) { return xs?.reduce((acc, x) => { if (x > 0) { acc.push(x); } return acc; }, [] as number[]); }"],
    ],
    [
      "nested conditionals, the accumulator in the first branch",
      "function f(xs: number[]) { return xs.reduce((acc, x) => x > 0 ? acc : x < -5 ? [...acc, -x] : [...acc, x, 0], [] as number[]); }",
      ["function f(xs: number[]) { return xs.reduce((acc, x) => { if (!(x > 0)) { if (x < -5) { acc.push(-x); } else { acc.push(x, 0); } } return acc; }, [] as number[]); }"],
    ],
    [
      // push(...ys) throws RangeError for a very long ys; the loop runs the same iterator as the spread.
      "a spread of another iterable → a for…of loop that pushes",
      "function f(xs: number[], ys: number[]) { return xs.reduce((acc, x) => [...acc, x, ...ys], [] as number[]); }",
      ["function f(xs: number[], ys: number[]) { return xs.reduce((acc, x) => { acc.push(x); for (const item of ys) acc.push(item); return acc; }, [] as number[]); }"],
    ],
    [
      "concat with an array literal → push of its elements",
      "function f(xs: number[]) { return xs.reduce((acc, x) => acc.concat([x, x + 1]), [] as number[]); }",
      ["function f(xs: number[]) { return xs.reduce((acc, x) => { acc.push(x, x + 1); return acc; }, [] as number[]); }"],
    ],
    [
      "Object.assign({}, acc, literal) → Object.assign(acc, literal); its arguments still read the old accumulator",
      "function f(xs: number[]) { return xs.reduce((acc, x) => Object.assign({}, acc, { total: acc.total + x, last: x }), { total: 0, last: NaN }); }",
      ["function f(xs: number[]) { return xs.reduce((acc, x) => { Object.assign(acc, { total: acc.total + x, last: x }); return acc; }, { total: 0, last: NaN }); }"],
    ],
    [
      "counting: the value reads the accumulator before the update",
      "function f(words: string[]) { return words.reduce((acc, w) => ({ ...acc, [w]: (acc[w] ?? 0) + 1 }), {} as Record<string, number>); }",
      [`function f(words: string[]) { return words.reduce((acc, w) => { Object.defineProperty(acc, w, ${data("(acc[w] ?? 0) + 1")}); return acc; }, {} as Record<string, number>); }`],
    ],
    [
      "several static keys the accumulator's type declares, in order; a key of Object.prototype is defined (assigning it fails when that prototype is frozen)",
      "function f(xs: string[]) { return xs.reduce((acc, x) => ({ ...acc, name: x, 'a-b': 1, 2: x, toString: x }), {} as { name?: string; 'a-b'?: number; 2?: string; toString?: unknown }); }",
      [`function f(xs: string[]) { return xs.reduce((acc, x) => { acc.name = x; acc['a-b'] = 1; acc[2] = x; Object.defineProperty(acc, "toString", ${data("x")}); return acc; }, {} as { name?: string; 'a-b'?: number; 2?: string; toString?: unknown }); }`],
    ],
    [
      // `acc.name` on an index signature does not type-check under noPropertyAccessFromIndexSignature.
      "static keys through an index signature: brackets",
      "function f(xs: string[]) { return xs.reduce((acc, x) => ({ ...acc, name: x, 3: x }), {} as Record<string, string>); }",
      ['function f(xs: string[]) { return xs.reduce((acc, x) => { acc["name"] = x; acc[3] = x; return acc; }, {} as Record<string, string>); }'],
    ],
    [
      // `acc.name = x` would not type-check on `{}`, where `{ ...acc, name: x }` does.
      "keys the accumulator's type `{}` does not have are defined (that type-checks on any object)",
      "function f(xs: string[]) { return xs.reduce((acc, x) => ({ ...acc, name: x, 'a-b': 1, 2: x, [`k-${x}`]: x }), {}); }",
      [
        `function f(xs: string[]) { return xs.reduce((acc, x) => { Object.defineProperty(acc, "name", ${data("x")}); Object.defineProperty(acc, 'a-b', ${data("1")}); Object.defineProperty(acc, 2, ${data("x")}); Object.defineProperty(acc, \`k-\${x}\`, ${data("x")}); return acc; }, {}); }`,
      ],
    ],
    [
      "a literal's own keys are assigned, a key it lacks is defined",
      "function f(xs: number[]) { return xs.reduce((acc, x) => ({ ...acc, total: acc.total + x, last: x }), { total: 0 }); }",
      [`function f(xs: number[]) { return xs.reduce((acc, x) => { acc.total = acc.total + x; Object.defineProperty(acc, "last", ${data("x")}); return acc; }, { total: 0 }); }`],
    ],
    [
      "the accumulator typed by the callback's annotation or the type argument, the initial value by neither",
      "function f(xs: number[]) { return [xs.reduce((acc: Record<string, number>, x) => ({ ...acc, [`k${x}`]: x }), {}), xs.reduce<Record<string, number>>((acc, x) => ({ ...acc, [`k${x}`]: x }), {})]; }",
      [
        "function f(xs: number[]) { return [xs.reduce((acc: Record<string, number>, x) => { acc[`k${x}`] = x; return acc; }, {}), xs.reduce<Record<string, number>>((acc, x) => ({ ...acc, [`k${x}`]: x }), {})]; }",
        "function f(xs: number[]) { return [xs.reduce((acc: Record<string, number>, x) => ({ ...acc, [`k${x}`]: x }), {}), xs.reduce<Record<string, number>>((acc, x) => { acc[`k${x}`] = x; return acc; }, {})]; }",
        "function f(xs: number[]) { return [xs.reduce((acc: Record<string, number>, x) => { acc[`k${x}`] = x; return acc; }, {}), xs.reduce<Record<string, number>>((acc, x) => { acc[`k${x}`] = x; return acc; }, {})]; }",
      ],
    ],
    [
      // A number index takes `i` but not a string; Record<Kind, …> takes its own keys.
      "the key's kind against the index: a string key on a number index is defined; a key of a literal union is assigned",
      'type Kind = "a" | "b";\nfunction f(xs: number[]) { return [xs.reduce((acc, x) => ({ ...acc, [`k-${x}`]: x, [x * 2]: x }), {} as Record<number, number>), xs.reduce((acc, x) => ({ ...acc, a: x }), {} as Record<Kind, number>)]; }',
      [
        `function f(xs: number[]) { return [xs.reduce((acc, x) => { Object.defineProperty(acc, \`k-\${x}\`, ${data("x")}); acc[x * 2] = x; return acc; }, {} as Record<number, number>), xs.reduce((acc, x) => ({ ...acc, a: x }), {} as Record<Kind, number>)]; }`,
        "function f(xs: number[]) { return [xs.reduce((acc, x) => ({ ...acc, [`k-${x}`]: x, [x * 2]: x }), {} as Record<number, number>), xs.reduce((acc, x) => { acc.a = x; return acc; }, {} as Record<Kind, number>)]; }",
        `function f(xs: number[]) { return [xs.reduce((acc, x) => { Object.defineProperty(acc, \`k-\${x}\`, ${data("x")}); acc[x * 2] = x; return acc; }, {} as Record<number, number>), xs.reduce((acc, x) => { acc.a = x; return acc; }, {} as Record<Kind, number>)]; }`,
      ],
    ],
    [
      "an interface of the file with an index signature; an alias of an array type",
      "interface Counts { [k: string]: number }\ntype Names = string[];\nfunction f(xs: string[]) { return [xs.reduce((acc, x) => ({ ...acc, [`n:${x}`]: 1 }), {} as Counts), xs.reduce((acc, x) => [...acc, x], [] as Names)]; }",
      [
        "function f(xs: string[]) { return [xs.reduce((acc, x) => { acc[`n:${x}`] = 1; return acc; }, {} as Counts), xs.reduce((acc, x) => [...acc, x], [] as Names)]; }",
        "function f(xs: string[]) { return [xs.reduce((acc, x) => ({ ...acc, [`n:${x}`]: 1 }), {} as Counts), xs.reduce((acc, x) => { acc.push(x); return acc; }, [] as Names)]; }",
        "function f(xs: string[]) { return [xs.reduce((acc, x) => { acc[`n:${x}`] = 1; return acc; }, {} as Counts), xs.reduce((acc, x) => { acc.push(x); return acc; }, [] as Names)]; }",
      ],
    ],
    [
      // reduce(cb, initial: T) comes first: with `object` elements, the accumulator is an `object`, which takes no `acc[k] = v`.
      "elements whose type could hold the initial value type the accumulator: keys are defined",
      "function f(xs: object[]) { return xs.reduce((acc, x) => ({ ...acc, [`k-${String(x)}`]: 1 }), {} as Record<string, number>); }",
      [`function f(xs: object[]) { return xs.reduce((acc, x) => { Object.defineProperty(acc, \`k-\${String(x)}\`, ${data("1")}); return acc; }, {} as Record<string, number>); }`],
    ],
    [
      "arrays of mutable arrays: the accumulator is one of them, and push type-checks",
      "function f(rows: number[][]) { return rows.reduce((acc, row) => [...acc, ...row], [] as number[]); }",
      ["function f(rows: number[][]) { return rows.reduce((acc, row) => { for (const item of row) acc.push(item); return acc; }, [] as number[]); }"],
    ],
    [
      // The callback runs as often as before and computes the same things in the same order: log(x) keeps its place.
      "a block body with an early return, a read of the accumulator and another side effect",
      "function f(xs: string[], log: (s: string) => void) {\n  return xs.reduce((acc, x) => {\n    if (acc.includes(x)) return acc;\n    log(x);\n    return [...acc, x];\n  }, [] as string[]);\n}",
      ["function f(xs: string[], log: (s: string) => void) {\n  return xs.reduce((acc, x) => {\n    if (acc.includes(x)) return acc;\n    log(x);\n    acc.push(x);\n    return acc;\n  }, [] as string[]);\n}"],
    ],
    [
      "a copy returned by an if without braces gets a block",
      "function f(xs: number[]) { return xs.reduce((acc, x) => { if (x % 2 === 0) return [...acc, x]; return acc; }, [] as number[]); }",
      ["function f(xs: number[]) { return xs.reduce((acc, x) => { if (x % 2 === 0) { acc.push(x); return acc; } return acc; }, [] as number[]); }"],
    ],
    [
      "type arguments, typed parameters, a return type and an `as` on the spread",
      "const f = (xs: Item[]) => xs.reduce<Record<string, number>>((acc: Record<string, number>, x: Item): Record<string, number> => ({ ...(acc as Record<string, number>), [`n:${x.id}`]: x.n }), {});",
      ["(xs: Item[]) => xs.reduce<Record<string, number>>((acc: Record<string, number>, x: Item): Record<string, number> => { acc[`n:${x.id}`] = x.n; return acc; }, {})"],
    ],
    [
      "reduceRight",
      "function f(xs: number[]) { return xs.reduceRight((acc, x) => [...acc, x], [] as number[]); }",
      ["function f(xs: number[]) { return xs.reduceRight((acc, x) => { acc.push(x); return acc; }, [] as number[]); }"],
    ],
    [
      // `{ ...defaults }` is a new object made at the call: the caller's `defaults` is only read.
      "an initial value that spreads defaults is still fresh",
      "function f(xs: string[], defaults: Record<string, boolean>) { return xs.reduce((acc, x) => ({ ...acc, [x.length]: true }), { ...defaults }); }",
      ["function f(xs: string[], defaults: Record<string, boolean>) { return xs.reduce((acc, x) => { Object.defineProperty(acc, x.length, { value: true, writable: true, enumerable: true, configurable: true }); return acc; }, { ...defaults }); }"],
    ],
    [
      "a switch reducer (every case returns, a default, no break out)",
      "function f(actions: Action[]) {\n  return actions.reduce((state, action) => {\n    switch (action.type) {\n      case 'add':\n        return { ...state, count: state.count + 1, total: state.total + action.n };\n      case 'noop':\n      default:\n        return state;\n    }\n  }, { count: 0, total: 0 });\n}",
      ["function f(actions: Action[]) {\n  return actions.reduce((state, action) => {\n    switch (action.type) {\n      case 'add':\n        state.count = state.count + 1;\n        state.total = state.total + action.n;\n        return state;\n      case 'noop':\n      default:\n        return state;\n    }\n  }, { count: 0, total: 0 });\n}"],
    ],
    [
      // `s.b` is read after `s.a = …`: it cannot see it, the keys differ.
      "a later value reads another written-out key",
      "function f(xs: number[]) { return xs.reduce((s, x) => ({ ...s, a: s.a + 1, b: s.b - x }), { a: 0, b: 0 }); }",
      ["function f(xs: number[]) { return xs.reduce((s, x) => { s.a = s.a + 1; s.b = s.b - x; return s; }, { a: 0, b: 0 }); }"],
    ],
    [
      // push evaluates all its arguments before it adds any.
      "reads of the accumulator among the pushed values, and a destructuring read",
      "function f(xs: number[]) { return xs.reduce((acc, x) => { const [first = x] = acc; return [...acc, first, acc.length, x in acc]; }, [] as unknown[]); }",
      ["function f(xs: number[]) { return xs.reduce((acc, x) => { const [first = x] = acc; acc.push(first, acc.length, x in acc); return acc; }, [] as unknown[]); }"],
    ],
  ];
  for (const [title, code, expected, name] of cases) it(title, () => expectVariants(accumulatorMutation, code, expected, name ?? "f"));

  it("rewrites each reduce, and both at once", () => {
    const code = "function f(xs: Item[]) {\n  const ids = xs.reduce((acc, x) => [...acc, x.id], [] as string[]);\n  const byId = xs.reduce((acc, x) => ({ ...acc, [`#${x.id}`]: x }), {} as Record<string, Item>);\n  return [ids, byId];\n}";
    expectVariants(accumulatorMutation, code, [
      "function f(xs: Item[]) {\n  const ids = xs.reduce((acc, x) => { acc.push(x.id); return acc; }, [] as string[]);\n  const byId = xs.reduce((acc, x) => ({ ...acc, [`#${x.id}`]: x }), {} as Record<string, Item>);\n  return [ids, byId];\n}",
      "function f(xs: Item[]) {\n  const ids = xs.reduce((acc, x) => [...acc, x.id], [] as string[]);\n  const byId = xs.reduce((acc, x) => { acc[`#${x.id}`] = x; return acc; }, {} as Record<string, Item>);\n  return [ids, byId];\n}",
      "function f(xs: Item[]) {\n  const ids = xs.reduce((acc, x) => { acc.push(x.id); return acc; }, [] as string[]);\n  const byId = xs.reduce((acc, x) => { acc[`#${x.id}`] = x; return acc; }, {} as Record<string, Item>);\n  return [ids, byId];\n}",
    ]);
  });

  it("in a JavaScript file, no type limits the writes", () => {
    const code = "export function f(xs) { return xs.reduce((acc, x) => ({ ...acc, name: x, [`k-${x}`]: x }), {}); }";
    const result = generateVariants({ node: "src/m.js#f", file: "src/m.js", qualifiedName: "f", source: code, mutations: ["accumulator_mutation"], algorithm: [] }, { operators: [accumulatorMutation], depth: 1 });
    expect(result.variants.map((v) => v.nodeText)).toEqual(["function f(xs) { return xs.reduce((acc, x) => { acc.name = x; acc[`k-${x}`] = x; return acc; }, {}); }"]);
  });
});

describe("accumulator_mutation: does not apply", () => {
  const cases: [string, string, RegExp][] = [
    // The shared-accumulator trap: the caller's object would be changed.
    ["a shared initial value with a callback from elsewhere", "function f(xs: Item[], base: Record<string, Item>) { return xs.reduce(add, base); }", /initial value `base` is not an object or array literal written at the call, so it may be shared with the caller/],
    ["a shared initial value, copied", "function f(xs: Item[], defaults: Record<string, Item>) { return xs.reduce((a, x) => ({ ...a }), defaults); }", /initial value `defaults` is not an object or array literal/],
    ["an initial value made by a call", "function f(xs: Item[]) { return xs.reduce((acc, x) => ({ ...acc, [x.id]: x }), Object.create(null)); }", /initial value `Object\.create\(null\)` is not an object or array literal/],
    ["no initial value: the accumulator is the caller's first element", "function f(xs: Item[][]) { return xs.reduce((acc, x) => [...acc, ...x]); }", /has no initial value: the accumulator starts as the array's first element/],
    ["the accumulator captured by a closure", "function f(xs: Item[], fns: (() => number)[]) {\n  return xs.reduce((acc, x) => {\n    fns.push(() => acc.length);\n    return [...acc, x];\n  }, [] as Item[]);\n}", /`acc` is captured by a closure \(`\(\) => acc\.length`, line 3\)/],
    ["the accumulator pushed into another array", "function f(xs: Item[], seen: object[]) {\n  return xs.reduce((acc, x) => {\n    seen.push(acc);\n    return { ...acc, [x.id]: x };\n  }, {});\n}", /`acc` is passed to other code \(`seen\.push\(acc\)`, line 3\)/],
    ["the accumulator stored", "let last: unknown;\nfunction f(xs: Item[]) { return xs.reduce((acc, x) => { last = acc; return [...acc, x]; }, [] as Item[]); }", /`acc` is stored \(`last = acc`, line 2\)/],
    ["the accumulator stored inside itself", "function f(xs: Item[]) { return xs.reduce((acc, x) => ({ ...acc, [x.id]: acc }), {}); }", /`acc` is stored \(`\[x\.id\]: acc`/],
    ["the accumulator compared with an earlier one", "function f(xs: Item[], prev: unknown) { return xs.reduce((acc, x) => (acc === prev ? acc : [...acc, x]), [] as Item[]); }", /`acc === prev` \(line 1\) compares the accumulator itself/],
    ["a spread not in first position: later keys of acc override `a`", "function f(xs: Item[]) { return xs.reduce((acc, x) => ({ a: 1, ...acc, [x.id]: x }), {}); }", /`\.\.\.acc` is not first: its keys override the ones written before it/],
    ["a prepend", "function f(xs: Item[]) { return xs.reduce((acc, x) => [x, ...acc], [] as Item[]); }", /`\[x, \.\.\.acc\]` \(line 1\) puts elements before `\.\.\.acc`; in place that is an `unshift`/],
    ["a literal __proto__ key", "function f(xs: object[]) { return xs.reduce((acc, x) => ({ ...acc, __proto__: x }), {}); }", /`__proto__: x` \(line 1\) is a literal `__proto__` key, which sets the copy's prototype/],
    ["a literal '__proto__' key written as a string", "function f(xs: object[]) { return xs.reduce((acc, x) => ({ ...acc, '__proto__': x }), {}); }", /literal `__proto__` key/],
    ["a literal __proto__ key in the initial value", "function f(xs: Item[]) { return xs.reduce((acc, x) => ({ ...acc, [x.id]: x }), { __proto__: null }); }", /initial value has a literal `__proto__` key \(line 1\)/],
    [
      // The one place where a side effect could tell: an exception in the middle of the update, caught in the callback.
      "a copy returned inside try: a side effect that throws would leave the accumulator half-updated",
      "function f(xs: string[]) { return xs.reduce((acc, x) => { try { return { ...acc, seen: true, [`v-${x}`]: JSON.parse(x) }; } catch { return acc; } }, {}); }",
      /the copy returned at line 1 is inside a `try`/,
    ],
    ["a value read after the update has begun", "function f(xs: Item[]) { return xs.reduce((acc, x) => ({ ...acc, a: x, b: acc.a }), {}); }", /`acc\.a` reads `acc` after the update in place has begun/],
    ["a value read after a computed key was set (it may be the same key)", "function f(xs: Item[]) { return xs.reduce((s, x) => ({ ...s, [x.id]: 1, b: s.b }), { b: 0 }); }", /`s\.b` reads `s` after the update in place has begun/],
    ["a switch without default", "function f(xs: Action[]) { return xs.reduce((s, a) => { switch (a.type) { case 'x': return { ...s, n: 1 }; } }, { n: 0 }); }", /can end without `return`/],
    ["a break out of the switch", "function f(xs: Action[]) { return xs.reduce((s, a) => { switch (a.type) { case 'x': if (a.n) break; return { ...s, n: 1 }; default: return s; } }, { n: 0 }); }", /can end without `return`/],
    ["eval in the callback", "function f(xs: number[]) { return xs.reduce((acc, x) => { eval('acc'); return [...acc, x]; }, [] as number[]); }", /calls `eval` \(line 1\)/],
    ["a callback that only reads a copy and returns the accumulator", "function f(xs: number[]) { return xs.reduce((acc, x) => ([...acc].length > 3 ? acc : acc), [] as number[]); }", /never returns a copy of `acc`/],
    ["a spread of the accumulator after itself", "function f(xs: number[]) { return xs.reduce((acc, x) => [...acc, ...acc], [1]); }", /the loop over `acc` would read `acc` while adding to it/],
    ["concat with a value that may be an array", "function f(xs: Item[]) { return xs.reduce((acc, x) => acc.concat(x), [] as Item[]); }", /`x` may or may not be an array \(`concat` flattens arrays only\)/],
    ["a second spread", "function f(xs: object[]) { return xs.reduce((acc, x) => ({ ...acc, ...x }), {}); }", /also spreads `x`: in place that would take `Object\.assign`/],
    ["Object.assign from a value whose keys cdlc cannot see", "function f(xs: object[]) { return xs.reduce((acc, x) => Object.assign({}, acc, x), {}); }", /`Object\.assign` sets each key of `x` by assignment, and a `__proto__` key/],
    ["Object.assign from a literal with a computed key", "function f(xs: Item[]) { return xs.reduce((acc, x) => Object.assign({}, acc, { [x.id]: x }), {}); }", /`\[x\.id\]: x` could be such a key/],
    ["an array copy of an object initial value", "function f(xs: Item[]) { return xs.reduce((acc, x) => [...acc, x], {}); }", /initial value `\{\}` is an object, but the callback copies the accumulator into an array/],
    ["a callback that can end without return", "function f(xs: Item[]) { return xs.reduce((acc, x) => { if (x) return [...acc, x]; }, [] as Item[]); }", /can end without `return`/],
    ["a copy stored before it is returned", "function f(xs: Item[]) { return xs.reduce((acc, x) => { const next = [...acc, x]; return next; }, [] as Item[]); }", /returns `next` \(line 1\), which is neither `acc` nor a copy of it/],
    ["an async callback", "function f(xs: Item[]) { return xs.reduce(async (acc, x) => ({ ...acc, [x.id]: x }), {}); }", /the callback is async/],
    ["the accumulator changed besides the copy", "function f(xs: Item[]) { return xs.reduce((acc, x) => { acc.n = 1; return { ...acc, [x.id]: x }; }, {}); }", /`acc` is changed in the callback \(`acc\.n = 1`, line 1\)/],
    ["the accumulator reassigned", "function f(xs: Item[]) { return xs.reduce((acc, x) => { acc = { ...acc, [x.id]: x }; return acc; }, {}); }", /`acc` is assigned in the callback/],
    ["a method of an object accumulator (it gets acc as this)", "function f(xs: string[]) { return xs.reduce((acc, x) => (acc.hasOwnProperty(x) ? acc : { ...acc, [x]: 1 }), {}); }", /`acc\.hasOwnProperty\(x\)` \(line 1\) calls a method of the accumulator/],
    ["an array method given a callback from elsewhere", "function f(xs: Item[], same: (a: Item) => boolean) { return xs.reduce((acc, x) => (acc.some(same) ? acc : [...acc, x]), [] as Item[]); }", /`acc\.some\(same\)` \(line 1\) hands `acc` to its callback as third argument/],
    ["a hole in the initial array", "function f(xs: number[]) { return xs.reduce((acc, x) => [...acc, x], [, 1]); }", /initial value `\[, 1\]` has a hole/],
    ["a getter in the initial value", "function f(xs: Item[]) { return xs.reduce((acc, x) => ({ ...acc, n: x }), { get n() { return 1; } }); }", /initial value has a getter/],
    ["a function callback that uses arguments", "function f(xs: Item[], log: (a: unknown) => void) { return xs.reduce(function (acc, x) { log(arguments); return [...acc, x]; }, [] as Item[]); }", /uses `arguments`, another name for `acc`/],
    ["a local named Object", "function f(xs: Item[]) { const Object = 1; return xs.reduce((acc, x) => ({ ...acc, [x.id]: x }), {}); }", /`Object` is a local name here/],
    // A readonly accumulator: changing it in place is what its type forbids (and `push` does not type-check on it).
    ["a readonly array accumulator", "function f(xs: number[]) { return xs.reduce((acc, x) => [...acc, `${x};`], [] as readonly string[]); }", /the accumulator's type `readonly string\[\]` \(the initial value's assertion\) is readonly: updating it in place is what its type forbids \(`push` does not type-check on it\)/],
    ["a ReadonlyArray accumulator, by the type argument", "function f(xs: string[]) { return xs.reduce<ReadonlyArray<string>>((acc, x) => [...acc, x], []); }", /`ReadonlyArray<string>` \(the reduce's type argument\) is readonly/],
    ["a readonly accumulator by the callback's annotation", "function f(xs: string[]) { return xs.reduce((acc: readonly string[], x) => [...acc, x], [] as string[]); }", /`readonly string\[\]` \(the callback's annotation of `acc`\) is readonly/],
    ["a Readonly<Record> accumulator", "function f(xs: string[]) { return xs.reduce((acc, x) => ({ ...acc, [`k-${x}`]: x.length }), {} as Readonly<Record<string, number>>); }", /`Readonly<Record<string, number>>` \(the initial value's assertion\) is readonly/],
    ["a readonly index signature, through an alias", "type Counts = { readonly [k: string]: number };\nfunction f(xs: string[]) { return xs.reduce((acc, x) => Object.assign({}, acc, { n: x.length }), {} as Counts); }", /`Counts` \(the initial value's assertion\) is readonly/],
    ["an accumulator `as const`", "function f(xs: number[]) { return xs.reduce((acc, x) => ({ ...acc, n: x }), { n: 0 } as const); }", /the initial value `\{ n: 0 \} as const` is `as const`, so the accumulator is readonly/],
    // reduce(cb, initial: T) comes first: `string[]` is a `readonly string[]`, so the accumulator is one.
    ["elements of a readonly array type, which the accumulator takes", "function f(rows: (readonly string[])[]) { return rows.reduce((acc, row) => [...acc, ...row], [] as string[]); }", /the accumulator's type `readonly string\[\]` \(the element type of `rows`, which TypeScript gives the accumulator when the initial value is one\) is readonly/],
    ["an array accumulator of a type cdlc cannot follow", "import type { Names } from './names';\nfunction f(xs: string[]) { return xs.reduce((acc, x) => [...acc, x], [] as Names); }", /the accumulator's type `Names` \(the initial value's assertion\) is not one cdlc can see is a mutable array, so `push` may not type-check on it/],
    ["an accumulator typed unknown", "function f(xs: number[]) { return xs.reduce((acc, x) => Object.assign({}, acc, { n: x }), {} as unknown); }", /the accumulator's type `unknown` \(the initial value's assertion\) is `unknown`: nothing can be written to it/],
    ["a return type that is not the accumulator's", "function f(xs: number[]) { return xs.reduce((acc, x): Record<string, number> => ({ ...acc, [`k${x}`]: x }), {}); }", /the callback declares its return type `Record<string, number>`, not the accumulator's type `\{\}` \(the initial literal's own type\)/],
    ["a callback that is not a function literal", "function f(xs: Item[], add: (a: object, x: Item) => object) { return xs.reduce(add, {}); }", /the callback `add` is not a function literal/],
    ["a reduce that does not copy", "function f(xs: number[]) { return xs.reduce((s, x) => s + x, 0); }", /no `reduce` whose callback copies its accumulator/],
    ["no reduce at all", "function f(xs: number[]) { return xs.map((x) => x); }", /no `reduce` call in the body/],
  ];
  for (const [title, code, reason] of cases) it(title, () => expectNoVariant(accumulatorMutation, code, reason));
});

describe("accumulator_mutation: every variant type-checks where the original does", () => {
  const originals = [
    // The property test's shrunk module: an untyped `{}` (acc[k] = v cannot index `{}`).
    "export function a(hit: number[]) {\n  return hit.reduce((out, result) => ({ ...out, [`k-${result}`]: result * 2 }), {});\n}\n",
    "export function b(xs: string[]) { return xs.reduce((acc, x) => ({ ...acc, name: x, 'a-b': 1, 2: x, [`k-${x}`]: x }), {}); }\n",
    "export function c(xs: number[]) { return xs.reduce((acc, x) => ({ ...acc, total: acc.total + x, last: x }), { total: 0 }); }\n",
    'type Kind = "a" | "b";\nexport function d(xs: number[]) { return [xs.reduce((acc, x) => ({ ...acc, [`k-${x}`]: x, [x * 2]: x }), {} as Record<number, number>), xs.reduce((acc, x) => ({ ...acc, a: x }), {} as Record<Kind, number>)]; }\n',
    "export function e(xs: object[]) { return xs.reduce((acc, x) => ({ ...acc, [`k-${String(x)}`]: 1 }), {} as Record<string, number>); }\n",
    "export function f(rows: number[][]) { return rows.reduce((acc, row) => [...acc, ...row], [] as number[]); }\n",
    "export function g(xs: string[]) { return xs.reduce((acc, x) => ({ ...acc, name: x, 3: x }), {} as Record<string, string>); }\n",
    "export function h(xs: number[]) { return [xs.reduce((acc: Record<string, number>, x) => ({ ...acc, [`k${x}`]: x }), {}), xs.reduce<Record<string, number>>((acc, x) => ({ ...acc, [`k${x}`]: x }), {})]; }\n",
    "interface Counts { [k: string]: number }\ntype Names = string[];\nexport function i(xs: string[]) { return [xs.reduce((acc, x) => ({ ...acc, [`n:${x}`]: 1 }), {} as Counts), xs.reduce((acc, x) => [...acc, x], [] as Names)]; }\n",
    "export function j(xs: number[]) { return xs.reduce((acc, x) => Object.assign({}, acc, { total: acc.total + x, last: x }), { total: 0, last: NaN }); }\n",
    "interface Item { id: string; name: string }\nexport function k(xs: Item[]) { return [xs.reduce((acc, { id, name }) => ({ ...acc, [id]: name }), {}), xs.reduce((acc, x) => [...acc, x.name], [] as string[]), xs.reduce((acc, x, i) => ({ ...acc, [i]: x }), {} as Record<number, Item>)]; }\n",
    "export function l(words: string[]) { return words.reduce((acc, w) => ({ ...acc, [w]: (acc[w] ?? 0) + 1 }), {} as Record<string, number>); }\n",
    "type Action = { type: 'add'; n: number } | { type: 'noop' };\nexport function m(actions: Action[]) {\n  return actions.reduce((state, action) => {\n    switch (action.type) {\n      case 'add':\n        return { ...state, count: state.count + 1, total: state.total + action.n };\n      default:\n        return state;\n    }\n  }, { count: 0, total: 0 });\n}\n",
    "export function n(xs: number[]) { return xs.reduce((acc, x) => (x > 0 ? [...acc, x] : acc.concat([-x])), [0]); }\n",
    "export function o(xs: number[]) { return xs.reduce((acc, x) => ({ ...acc, a: x, [`b${x}`]: x }), {} as { a?: number } & Record<string, number>); }\n",
  ];
  // Modules the operator refuses: they type-check, so the refusal is the operator's (their rewrite would not).
  const refused = [
    "export function p(y: number[]) {\n  return y.reduce((items, k) => [...items, `${k};`], [] as readonly string[]);\n}\n",
    "export function q(xs: string[]) {\n  return xs.reduce((acc, x) => ({ ...acc, [`k-${x}`]: x.length }), {} as Readonly<Record<string, number>>);\n}\n",
    "export function r(rows: (readonly string[])[]) { return rows.reduce((acc, row) => [...acc, ...row], [] as string[]); }\n",
    "export function s(xs: number[]) { return xs.reduce((acc, x): Record<string, number> => ({ ...acc, [`k${x}`]: x }), {}); }\n",
  ];
  const variantsOf = (code: string) => {
    const name = /export function (\w+)/.exec(code)![1]!;
    return generateVariants({ node: `src/m.ts#${name}`, file: "src/m.ts", qualifiedName: name, source: code, mutations: ["accumulator_mutation"], algorithm: [] }, { operators: [accumulatorMutation], depth: 1 }).variants;
  };

  it("strict, noUncheckedIndexedAccess and noPropertyAccessFromIndexSignature", () => {
    const files: Record<string, string> = {};
    originals.forEach((code, i) => {
      files[`o${i}.ts`] = code;
      const variants = variantsOf(code);
      expect(variants.length, code).toBeGreaterThan(0);
      variants.forEach((v, k) => (files[`o${i}v${k}.ts`] = v.source));
    });
    refused.forEach((code, i) => {
      files[`r${i}.ts`] = code;
      expect(variantsOf(code), code).toEqual([]);
    });
    const errors = typeErrors(files);
    expect(Object.entries(errors).filter(([, e]) => e.length > 0).map(([name, e]) => `${name}: ${e.join("; ")}\n${files[name]}`)).toEqual([]);
  });
});
