import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "@babel/parser";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { mutationOperators, type MutationOperator } from "../../src/cdl/properties.js";
import { loadProject, type LoadedProject } from "../../src/graph/project-loader.js";
import { morphCommon, ts } from "../../src/graph/typescript.js";
import { generateVariants } from "../../src/mutate/engine.js";
import { locateFunction, parseSource } from "../../src/mutate/source.js";
import type { Variant } from "../../src/mutate/types.js";
import { typeErrorsOf } from "../../src/shadow/typecheck.js";

/**
 * Properties of every variant the mutation engine makes, on small modules
 * that fast-check composes from the forms users write (loops, membership
 * tests, `find` in loops, spreading reduces, `filter(p).length`, `+=` in
 * loops, invariant regexes and string methods, map/filter chains, sorts with
 * computed keys, pure functions of primitives, and two of them in one
 * function so that operators chain), with every operator allowed (memoize
 * by name) and chains of two:
 * - the variant re-parses (Babel, TypeScript syntax), and its node is still
 *   found by its qualified name;
 * - its node text differs from the original's;
 * - outside the node's span the file is byte-identical;
 * - it type-checks (strict, `noUncheckedIndexedAccess`) where the original
 *   does — and every generated module must, or the generator is lying.
 * A failure shrinks to a small module and prints it with the variant's diff.
 */

const FILE = "src/m.ts";
/** Every operator by name: `memoize` and the other by-name-only operators are tried too. */
const ALL_OPERATORS: readonly MutationOperator[] = mutationOperators;
/** Modules per run of the property; the seed makes the run repeatable (a failure prints its own seed and path). */
const RUNS = 100;
const SEED = 20240611;

// ---------------------------------------------------------------- the generator

/** Identifiers the templates take their names from; several are names the operators like to invent (`i`, `n`, `array`, `kept`, `value`…), to exercise `freshName`. */
const NAME_POOL = ["xs", "items", "rows", "array", "values", "out", "seen", "kept", "result", "i", "n", "x", "item", "value", "key", "acc", "s", "k", "length", "parts", "hit", "a", "b", "y"];

/** The distinct names one template uses. */
interface Names {
  arr: string;
  el: string;
  out: string;
  idx: string;
  other: string;
  acc: string;
  p: string;
  y: string;
}

const toNames = (l: readonly string[], from: number): Names => {
  const at = (i: number): string => l[from + i] ?? `name${from + i}`;
  return { arr: at(0), el: at(1), out: at(2), idx: at(3), other: at(4), acc: at(5), p: at(6), y: at(7) };
};

/** Sixteen distinct names: the first eight for a template, the rest for a second one in the same function. */
const names: fc.Arbitrary<[Names, Names]> = fc.shuffledSubarray(NAME_POOL, { minLength: 16, maxLength: 16 }).map((l) => [toNames(l, 0), toNames(l, 8)]);

const LOOPS = ["forOf", "forOfBare", "for", "while", "forEach", "forEachFunction"] as const;
const CALLBACKS = ["arrow", "bareArrow", "arrowBlock", "function"] as const;
const STYLES = ["declaration", "arrow", "functionExpression", "method", "staticMethod", "staticArrowField", "objectMethod"] as const;
/** Styles whose function is a member of a class or object (`Box.name`). */
const MEMBER_STYLES: readonly string[] = ["method", "staticMethod", "staticArrowField", "objectMethod"];
const ELEMENTS = ["number", "string", "record"] as const;

/** The choices of one template; each reads the ones it needs. */
interface Knobs {
  element: (typeof ELEMENTS)[number];
  loop: (typeof LOOPS)[number];
  callback: (typeof CALLBACKS)[number];
  /** `const` or `let` for the loop variable and local arrays. */
  decl: "const" | "let";
  /** Annotations on locals. */
  annotate: boolean;
  /** Annotations on callback parameters. */
  annotateCallbacks: boolean;
  /** `T[]`, `Array<T>`, `readonly T[]`, `ReadonlyArray<T>`. */
  arrayStyle: number;
  /** The record type written out as a type literal instead of `Rec`. */
  inlineRecord: boolean;
  /** Which sub-form of the template (each takes it modulo its number of forms). */
  form: number;
  /** A second sub-choice (e.g. how a membership test is written). */
  shape: number;
}

const knobs: fc.Arbitrary<Knobs> = fc.record({
  element: fc.constantFrom(...ELEMENTS),
  loop: fc.constantFrom(...LOOPS),
  callback: fc.constantFrom(...CALLBACKS),
  decl: fc.constantFrom("const" as const, "let" as const),
  annotate: fc.boolean(),
  annotateCallbacks: fc.boolean(),
  arrayStyle: fc.nat(3),
  inlineRecord: fc.boolean(),
  form: fc.nat(11),
  shape: fc.nat(5),
});

/** How the function around the templates is written. */
interface Frame {
  style: (typeof STYLES)[number];
  exported: boolean;
  /** The return type written out. */
  annotateReturn: boolean;
  /** Parameters as one destructured object (`{ xs, ys }: { xs: …; ys: … }`). */
  destructured: boolean;
  oneLine: boolean;
  /** A JSDoc comment before the function and a line comment in its body (not on one line). */
  comments: boolean;
  /** In an instance method, the first template's `other` is a property of the instance (`this.allowed`), set by the constructor. */
  field: boolean;
}

const frame: fc.Arbitrary<Frame> = fc.record({
  style: fc.constantFrom(...STYLES),
  exported: fc.boolean(),
  annotateReturn: fc.boolean(),
  destructured: fc.boolean(),
  oneLine: fc.boolean(),
  comments: fc.boolean(),
  field: fc.boolean(),
});

const RECORD_FIELDS = "{ id: string; n: number; name: string }";

/** What each kind of element offers the templates: typed expressions over an element named `el`. */
interface ElementForm {
  keyType: "number" | "string";
  /** A primitive of the element, for membership tests and object keys. */
  key(el: string): string;
  /** Certainly a string (string_builder's precondition). */
  text(el: string, form: number): string;
  /** Of type `string`, for string methods. */
  str(el: string): string;
  num(el: string): string;
  test(el: string): string;
  /** A comparison that computes an expensive key of each side. */
  compare(a: string, b: string, form: number): string;
}

const pickFrom = <T,>(options: readonly T[], k: number): T => options[k % options.length]!;

const ELEMENT_FORMS: Record<Knobs["element"], ElementForm> = {
  number: {
    keyType: "number",
    key: (el) => el,
    text: (el, form) => pickFrom(["`${" + el + "};`", `String(${el})`, `${el}.toFixed(1)`], form),
    str: (el) => `String(${el})`,
    num: (el) => `${el} * 2`,
    test: (el) => `${el} > 3`,
    compare: (a, b, form) => pickFrom([`Math.abs(${a}) - Math.abs(${b})`, `String(${a}).localeCompare(String(${b}))`], form),
  },
  string: {
    keyType: "string",
    key: (el) => el,
    text: (el, form) => pickFrom([`${el}.trim()`, "`<${" + el + "}>`", `${el} + ","`], form),
    str: (el) => el,
    num: (el) => `${el}.length`,
    test: (el) => `${el}.startsWith("a")`,
    compare: (a, b, form) => pickFrom([`${a}.toLowerCase().localeCompare(${b}.toLowerCase())`, `${a}.trim() < ${b}.trim() ? -1 : ${a}.trim() > ${b}.trim() ? 1 : 0`], form),
  },
  record: {
    keyType: "string",
    key: (el) => `${el}.id`,
    text: (el, form) => pickFrom([`${el}.name`, "`${" + el + ".id}:${" + el + ".n}`", `${el}.name.toUpperCase()`], form),
    str: (el) => `${el}.name`,
    num: (el) => `${el}.n`,
    test: (el) => `${el}.n > 3`,
    compare: (a, b, form) =>
      pickFrom([`${a}.name.trim().localeCompare(${b}.name.trim())`, `JSON.stringify(${a}) < JSON.stringify(${b}) ? -1 : 1`, `${a}.name.toUpperCase().localeCompare(${b}.name.toUpperCase()) || ${a}.n - ${b}.n`], form),
  },
};

const recordType = (k: Knobs): string => (k.inlineRecord ? RECORD_FIELDS : "Rec");
const elementType = (k: Knobs): string => (k.element === "record" ? recordType(k) : k.element);

/** An array type in the knobs' spelling (readonly in two of four). */
function arrayType(k: Knobs, element: string): string {
  return pickFrom([`${element}[]`, `Array<${element}>`, `readonly ${element}[]`, `ReadonlyArray<${element}>`], k.arrayStyle);
}
const isReadonly = (k: Knobs): boolean => k.arrayStyle % 4 >= 2;

const indent = (lines: readonly string[]): string[] => lines.map((l) => `  ${l}`);

/** A callback literal returning `expr`, in the knobs' style; `types` annotates its parameters when asked. */
function callback(k: Knobs, params: readonly string[], types: readonly string[], expr: string): string {
  const list = params.map((p, i) => (k.annotateCallbacks && types[i] !== undefined ? `${p}: ${types[i]}` : p)).join(", ");
  const value = expr.startsWith("{") ? `(${expr})` : expr;
  switch (k.callback) {
    case "bareArrow":
      return params.length === 1 && !k.annotateCallbacks ? `${params[0]} => ${value}` : `(${list}) => ${value}`;
    case "arrow":
      return `(${list}) => ${value}`;
    case "arrowBlock":
      return `(${list}) => { return ${expr}; }`;
    case "function":
      return `function (${list}) { return ${expr}; }`;
  }
}

/** A loop over `n.arr` whose element is `n.el`, running `body`, in the knobs' loop form. */
function loop(k: Knobs, n: Names, type: string, body: readonly string[]): string[] {
  const element = `const ${n.el}${k.annotate ? `: ${type}` : ""} = ${n.arr}[${n.idx}]!;`;
  const param = `${n.el}${k.annotateCallbacks ? `: ${type}` : ""}`;
  switch (k.loop) {
    case "forOf":
      return [`for (${k.decl} ${n.el} of ${n.arr}) {`, ...indent(body), "}"];
    case "forOfBare":
      return body.length === 1 ? [`for (${k.decl} ${n.el} of ${n.arr}) ${body[0]}`] : [`for (${k.decl} ${n.el} of ${n.arr}) {`, ...indent(body), "}"];
    case "for":
      return [`for (let ${n.idx} = 0; ${n.idx} < ${n.arr}.length; ${n.idx}++) {`, ...indent([element, ...body]), "}"];
    case "while":
      return [`let ${n.idx} = 0;`, `while (${n.idx} < ${n.arr}.length) {`, ...indent([element, ...body, `${n.idx}++;`]), "}"];
    case "forEach":
      return [`${n.arr}.forEach((${param}) => {`, ...indent(body), "});"];
    case "forEachFunction":
      return [`${n.arr}.forEach(function (${param}) {`, ...indent(body), "});"];
  }
}

/** A membership test of `value` in `array`, true when it is there (`positive`) or when it is not. */
function membership(k: Knobs, n: Names, array: string, value: string, positive: boolean): string {
  const some = `${array}.some(${n.y} => ${n.y} === ${value})`;
  switch (k.shape % 3) {
    case 0:
      return positive ? `${array}.includes(${value})` : `!${array}.includes(${value})`;
    case 1:
      return positive
        ? pickFrom([`${array}.indexOf(${value}) !== -1`, `${array}.indexOf(${value}) >= 0`, `-1 !== ${array}.indexOf(${value})`], k.form)
        : pickFrom([`${array}.indexOf(${value}) === -1`, `${array}.indexOf(${value}) < 0`], k.form);
    default:
      return positive ? some : `!${some}`;
  }
}

/** What a template writes: parameters, statements, and the expression the function returns (of type `returns`). */
interface Parts {
  params: [name: string, type: string][];
  returns: string;
  body: string[];
  result: string;
  /** The return type must be written (TypeScript cannot infer it through recursion). */
  annotated?: boolean;
}

/** `self`: how the function calls itself with these parameters, when it can (`name`, `Box.name`, `this.name`). */
type Template = (k: Knobs, n: Names, self: string | undefined) => Parts;

/** Each template writes a form one operator targets; the knobs vary how. */
const TEMPLATES = {
  /** set_membership's dedupe form (a local array that grows by push). */
  dedupe(k, n) {
    const E = ELEMENT_FORMS[k.element];
    const local = k.annotate ? `${n.out}: ${E.keyType}[] = []` : `${n.out} = [] as ${E.keyType}[]`;
    const push = `if (${membership(k, n, n.out, E.key(n.el), false)}) ${n.out}.push(${E.key(n.el)});`;
    return { params: [[n.arr, arrayType(k, elementType(k))]], returns: `${E.keyType}[]`, body: [`${k.decl} ${local};`, ...loop(k, n, elementType(k), [push])], result: n.out };
  },
  /** set_membership on a parameter array, in a loop or a filter callback. */
  countIn(k, n) {
    const E = ELEMENT_FORMS[k.element];
    const T = elementType(k);
    // `some((y) => y === v)` compares a literal union with a string, which `includes(v)` would not accept.
    const narrow = k.shape % 3 === 2 && E.keyType === "string" && k.form % 3 === 0;
    const params: Parts["params"] = [[n.arr, arrayType(k, T)], [n.other, arrayType(k, narrow ? "Kind" : E.keyType)]];
    if (k.form % 2 === 0) return { params, returns: `${T}[]`, body: [], result: `${n.arr}.filter(${callback(k, [n.el], [T], membership(k, n, n.other, E.key(n.el), true))})` };
    return { params, returns: "number", body: [`let ${n.out} = 0;`, ...loop(k, n, T, [`if (${membership(k, n, n.other, E.key(n.el), true)}) ${n.out}++;`])], result: n.out };
  },
  /** map_index: `find` by key inside a loop. */
  lookup(k, n) {
    const key = k.element === "number" ? "n" : "id";
    const order = `{ ${key}: ${k.element === "number" ? "number" : "string"}; qty: number }`;
    // A destructured parameter, renamed where the element's name is the key's (it would shadow the element).
    const destructured = n.el === key ? `({ ${key}: ${n.p} }) => ${n.p} === ${n.el}.${key}` : `({ ${key} }) => ${key} === ${n.el}.${key}`;
    const predicate = k.form % 3 === 2 ? destructured : callback(k, [n.p], [recordType(k)], `${n.p}.${key} === ${n.el}.${key}`);
    const found = k.annotate ? `${n.out}: ${recordType(k)} | undefined` : n.out;
    // The array searched: the parameter, or a local copy whose type is inferred or written.
    const local = pickFrom([undefined, `[...${n.other}]`, `${n.other}.slice()`, `${n.other}.filter(${callback(k, [n.p], [recordType(k)], `${n.p}.n > 0`)})`], k.shape);
    const table = local === undefined ? n.other : `${n.p}Table`;
    const copy = local === undefined ? [] : [`const ${table}${k.annotate ? `: ${recordType(k)}[]` : ""} = ${local};`];
    const body = [`const ${found} = ${table}.find(${predicate});`, `if (${n.out}) ${n.acc} += ${n.out}.n * ${n.el}.qty;`];
    return { params: [[n.arr, arrayType(k, order)], [n.other, arrayType(k, recordType(k))]], returns: "number", body: [...copy, `let ${n.acc} = 0;`, ...loop(k, n, order, body)], result: n.acc };
  },
  /** accumulator_mutation: a reduce that copies its accumulator. */
  reduce(k, n) {
    const E = ELEMENT_FORMS[k.element];
    const T = elementType(k);
    const params: Parts["params"] = [[n.arr, arrayType(k, T)]];
    const cb = (accType: string, expr: string, index?: string) => callback(k, index === undefined ? [n.acc, n.el] : [n.acc, n.el, index], [accType, T, "number"], expr);
    const reduce = (returns: string, cbText: string, init: string, typeArgument = ""): Parts => ({ params, returns, body: [], result: `${n.arr}.reduce${typeArgument}(${cbText}, ${init})` });
    const record = `Record<${E.keyType}, number>`;
    switch (k.form % 9) {
      case 0:
        return reduce(record, cb(record, `{ ...${n.acc}, [${E.key(n.el)}]: ${E.num(n.el)} }`), `{} as ${record}`);
      case 1:
        return reduce("string[]", cb("string[]", `[...${n.acc}, ${E.text(n.el, k.shape)}]`), "[] as string[]");
      case 2:
        return reduce("number[]", cb("number[]", `${n.acc}.concat([${E.num(n.el)}])`), "[] as number[]");
      case 3:
        return reduce("{ total: number }", cb("{ total: number }", `Object.assign({}, ${n.acc}, { total: ${n.acc}.total + ${E.num(n.el)} })`), "{ total: 0 }");
      case 4:
        return reduce("Record<string, number>", cb("Record<string, number>", `{ ...${n.acc}, [\`k-\${${E.key(n.el)}}\`]: ${E.num(n.el)} }`), "{}", "<Record<string, number>>");
      case 5:
        // No type for the accumulator: it is `{}`, which the copy may extend but an assignment may not index.
        return reduce("{}", cb("{}", `{ ...${n.acc}, [\`k-\${${E.key(n.el)}}\`]: ${E.num(n.el)} }`), "{}");
      case 6:
        return reduce("Record<number, number>", cb("Record<number, number>", `{ ...${n.acc}, [${n.idx}]: ${E.num(n.el)} }`, n.idx), "{} as Record<number, number>");
      case 7:
        // A readonly accumulator: the copy makes a new array, the push the rewrite makes would not type-check.
        return reduce("readonly string[]", cb("readonly string[]", `[...${n.acc}, ${E.text(n.el, k.shape)}]`), "[] as readonly string[]");
      default:
        return reduce("Readonly<Record<string, number>>", cb("Readonly<Record<string, number>>", `{ ...${n.acc}, [\`k-\${${E.key(n.el)}}\`]: ${E.num(n.el)} }`), "{} as Readonly<Record<string, number>>");
    }
  },
  /** early_exit: `filter(p).length` and `filter(p)[0]`. */
  exists(k, n) {
    const T = elementType(k);
    const params: Parts["params"] = [[n.arr, arrayType(k, T)]];
    const filtered = `${n.arr}.filter(${callback(k, [n.el], [T], ELEMENT_FORMS[k.element].test(n.el))})`;
    switch (k.form % 4) {
      case 0:
        return { params, returns: "boolean", body: [], result: `${filtered}.length > 0` };
      case 1:
        return { params, returns: "boolean", body: [], result: `${filtered}.length === 0` };
      case 2:
        return { params, returns: `${T} | undefined`, body: [], result: `${filtered}[0]` };
      default:
        return { params, returns: "number", body: [`let ${n.out} = 0;`, `if (${filtered}.length) ${n.out} = 1;`], result: n.out };
    }
  },
  /** string_builder: `+=` on a string in a loop. */
  join(k, n) {
    const E = ELEMENT_FORMS[k.element];
    const start = k.form % 2 === 0 ? '""' : '"<ul>"';
    const append = k.shape % 2 === 0 ? `${n.out} += ${E.text(n.el, k.form)};` : `${n.out} = ${n.out} + ${E.text(n.el, k.form)} + ";";`;
    return { params: [[n.arr, arrayType(k, elementType(k))]], returns: "string", body: [`let ${n.out}${k.annotate ? ": string" : ""} = ${start};`, ...loop(k, n, elementType(k), [append])], result: n.out };
  },
  /** hoist_invariant: regexes, `Object.keys`, string methods of a parameter in a loop. */
  hoist(k, n) {
    const E = ELEMENT_FORMS[k.element];
    const T = elementType(k);
    const arr: [string, string] = [n.arr, arrayType(k, T)];
    switch (k.form % 4) {
      case 0:
      case 1: {
        const re = k.form % 4 === 0 ? "/^\\s*#/" : 'new RegExp("^a", "i")';
        return { params: [arr], returns: "number", body: [`let ${n.out} = 0;`, ...loop(k, n, T, [`if (${re}.test(${E.str(n.el)})) ${n.out}++;`])], result: n.out };
      }
      case 2: {
        const inner = `for (const ${n.y} of Object.keys(${n.other})) ${n.out}.push(${n.y} + ${E.str(n.el)});`;
        return { params: [arr, [n.other, "Record<string, number>"]], returns: "string[]", body: [`const ${n.out}: string[] = [];`, ...loop(k, n, T, [inner])], result: n.out };
      }
      default:
        return { params: [arr, [n.other, "string"]], returns: `${T}[]`, body: [], result: `${n.arr}.filter(${callback(k, [n.el], [T], `${E.str(n.el)}.toLowerCase().includes(${n.other}.toLowerCase())`)})` };
    }
  },
  /** loop_fusion: map/filter chains. */
  chain(k, n) {
    const E = ELEMENT_FORMS[k.element];
    const T = elementType(k);
    const params: Parts["params"] = [[n.arr, arrayType(k, T)]];
    const mapped = `${n.arr}.map(${callback(k, [n.el], [T], E.num(n.el))})`;
    switch (k.form % 5) {
      case 0:
        return { params, returns: "number[]", body: [], result: `${mapped}.filter(${callback(k, [n.y], ["number"], `${n.y} > 3`)})` };
      case 1:
        return { params, returns: "number[]", body: [], result: `${mapped}.map(${callback(k, [n.y], ["number"], `${n.y} + 1`)})` };
      case 2: {
        const filtered = `${n.arr}.filter(${callback(k, [n.el], [T], E.test(n.el))})`;
        return { params, returns: "number", body: [], result: `${filtered}.map(${callback(k, [n.y], [T], E.num(n.y))}).reduce(${callback(k, [n.acc, n.p], ["number", "number"], `${n.acc} + ${n.p}`)}, 0)` };
      }
      case 3:
        return { params, returns: "number[]", body: [], result: `${n.arr}.map(${callback(k, [n.el, n.idx], [T, "number"], `${E.num(n.el)} * ${n.idx}`)}).filter(Boolean)` };
      default: {
        // A type predicate narrows the filtered elements.
        const maybe = `${n.arr}.map(${callback(k, [n.el], [T], `${E.test(n.el)} ? ${E.num(n.el)} : undefined`)})`;
        const predicate = `(${n.y}${k.annotateCallbacks ? ": number | undefined" : ""}): ${n.y} is number => ${n.y} !== undefined`;
        return { params, returns: "number[]", body: [], result: `${maybe}.filter(${predicate})` };
      }
    }
  },
  /** sort_keys: comparators that compute a key of each side. */
  sort(k, n) {
    const T = elementType(k);
    const [a, b] = [n.el, n.y];
    const compared = ELEMENT_FORMS[k.element].compare(a, b, k.shape);
    const comparator = k.callback === "function" ? `function (${a}: ${T}, ${b}: ${T}) { return ${compared}; }` : `(${a}, ${b}) => ${compared}`;
    const receiver = pickFrom([isReadonly(k) ? `[...${n.arr}].sort` : `${n.arr}.sort`, `${n.arr}.toSorted`, `[...${n.arr}].sort`], k.form);
    return { params: [[n.arr, arrayType(k, T)]], returns: `${T}[]`, body: [], result: `${receiver}(${comparator})` };
  },
  /** memoize: pure functions of primitives. */
  pure(k, n, self) {
    if (self !== undefined && k.form % 3 === 2) {
      return { params: [[n.arr, "number"]], returns: "number", annotated: true, body: [`if (${n.arr} < 2) return ${n.arr};`], result: `${self}(${n.arr} - 1) + ${self}(${n.arr} - 2)` };
    }
    if (k.form % 3 === 1) return { params: [[n.arr, "string"], [n.other, "number"]], returns: "string", body: [], result: `${n.arr}.trim().toUpperCase() + ${n.other}` };
    return { params: [[n.arr, "number"]], returns: "number", body: [`let ${n.acc} = 0;`, `for (let ${n.idx} = 0; ${n.idx} < ${n.arr}; ${n.idx}++) ${n.acc} += ${n.idx} * ${n.idx};`], result: n.acc };
  },
} satisfies Record<string, Template>;

type TemplateName = keyof typeof TEMPLATES;
const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];

interface Part {
  template: TemplateName;
  knobs: Knobs;
}

/** One function of a module: one template, or two in a row (their results returned together) so that operators chain. */
interface FunctionSpec {
  frame: Frame;
  names: [Names, Names];
  /** One or two templates, the second's statements after the first's (more are not needed for chains of two). */
  parts: [Part] | [Part, Part];
}

/** A generated module and the functions to rewrite in it; it prints as its text (fast-check's counterexamples). */
interface GeneratedModule {
  text: string;
  targets: { qualifiedName: string; algorithm: string[] }[];
  [fc.toStringMethod](): string;
}

/** The parts of the whole function: a second template's statements follow the first's, and both results are returned. */
function functionParts(spec: FunctionSpec, self: string | undefined, field: string | undefined): Parts {
  const [first, second] = spec.parts;
  const recursive = second === undefined && !spec.frame.destructured ? self : undefined;
  // `this.x` in a `function` callback would be the callback's own `this`.
  const k = field === undefined ? first.knobs : { ...first.knobs, loop: first.knobs.loop === "forEachFunction" ? "forEach" : first.knobs.loop, callback: first.knobs.callback === "function" ? "arrow" : first.knobs.callback };
  const a = TEMPLATES[first.template](k, field === undefined ? spec.names[0] : { ...spec.names[0], other: `this.${field}` }, recursive);
  if (second === undefined) return a;
  const b = TEMPLATES[second.template](second.knobs, spec.names[1], undefined);
  // `firstResult` is not in NAME_POOL: it cannot clash with the templates' names.
  return { params: [...a.params, ...b.params], returns: `readonly [${a.returns}, ${b.returns}]`, body: [...a.body, `const firstResult = ${a.result};`, ...b.body], result: `[firstResult, ${b.result}] as const` };
}

/** The parameter list: one by one, or destructured from one object. */
function parameterList(frame: Frame, params: Parts["params"]): string {
  if (!frame.destructured) return params.map(([name, type]) => `${name}: ${type}`).join(", ");
  return `{ ${params.map(([name]) => name).join(", ")} }: { ${params.map(([name, type]) => `${name}: ${type}`).join("; ")} }`;
}

/** The function's text and qualified name in the frame's style (declaration, arrow, method…). */
function renderFunction(name: string, spec: FunctionSpec): { text: string; qualifiedName: string; signature: string; body: string[] } {
  const f = spec.frame;
  const box = `${name[0]!.toUpperCase()}${name.slice(1)}Box`;
  const member = MEMBER_STYLES.includes(f.style);
  // An instance's arrow field is no node (the module cannot reach it); a static one is.
  const self = f.style === "staticMethod" || f.style === "staticArrowField" ? `${box}.${name}` : f.style === "method" ? `this.${name}` : f.style === "objectMethod" ? undefined : name;
  const field = f.style === "method" && f.field ? spec.names[0].other : undefined;
  const all = functionParts(spec, self, field);
  // The template's parameter `this.x` is the instance's property instead.
  const fieldType = field === undefined ? undefined : all.params.find(([name]) => name === `this.${field}`)?.[1];
  const parts = fieldType === undefined ? all : { ...all, params: all.params.filter(([name]) => name !== `this.${field}`) };
  const signature = `(${parameterList(f, parts.params)})${f.annotateReturn || parts.annotated === true ? `: ${parts.returns}` : ""}`;
  const body = [...(f.comments && !f.oneLine ? ["// the forms under test"] : []), ...parts.body, `return ${parts.result};`];
  const exp = f.exported ? "export " : "";
  const [open, close] = ((): [string[], string[]] => {
    switch (f.style) {
      case "declaration":
        return [[`${exp}function ${name}${signature} {`], ["}"]];
      case "arrow":
        return [[`${exp}const ${name} = ${signature} => {`], ["};"]];
      case "functionExpression":
        return [[`${exp}const ${name} = function ${signature} {`], ["};"]];
      case "method":
      case "staticMethod":
        return [[`${exp}class ${box} {`, ...(fieldType === undefined ? [] : [`  constructor(private readonly ${field}: ${fieldType}) {}`]), `  ${f.style === "staticMethod" ? "static " : ""}${name}${signature} {`], ["  }", "}"]];
      case "staticArrowField":
        return [[`${exp}class ${box} {`, `  static ${name} = ${signature} => {`], ["  };", "}"]];
      case "objectMethod":
        return [[`${exp}const ${box} = {`, `  ${name}${signature} {`], ["  },", "};"]];
    }
  })();
  let lines = [...open, ...(member ? indent(indent(body)) : indent(body)), ...close];
  if (f.oneLine) lines = [lines.map((l) => l.trim()).join(" ")];
  else if (f.comments) lines = [`/** ${name}: generated. */`, ...lines];
  return { text: lines.join("\n"), qualifiedName: member ? `${box}.${name}` : name, signature, body };
}

/** The module: a record type the templates share, then each function; an alternative of the first for algorithm_swap when asked. */
function renderModule(spec: { functions: FunctionSpec[]; recordAlias: boolean; alternative: boolean }): GeneratedModule {
  const chunks = [spec.recordAlias ? `type Rec = ${RECORD_FIELDS};` : "interface Rec {\n  id: string;\n  n: number;\n  name: string;\n}", 'type Kind = "a" | "b" | "c";'];
  const targets: GeneratedModule["targets"] = [];
  spec.functions.forEach((f, i) => {
    const name = `${f.parts.map((p, k) => (k === 0 ? p.template : `${p.template[0]!.toUpperCase()}${p.template.slice(1)}`)).join("And")}${i}`;
    const fn = renderFunction(name, f);
    chunks.push(fn.text);
    const withAlternative = i === 0 && spec.alternative && !MEMBER_STYLES.includes(f.frame.style);
    // The same computation under another name: what `algorithm:` would list.
    if (withAlternative) chunks.push(`function ${name}Fast${fn.signature} {\n${indent(fn.body).join("\n")}\n}`);
    targets.push({ qualifiedName: fn.qualifiedName, algorithm: withAlternative ? [`${FILE}#${name}Fast`] : [] });
  });
  if (!spec.functions.some((f) => f.frame.exported)) chunks.push("export {};");
  const text = `${chunks.join("\n\n")}\n`;
  return { text, targets, [fc.toStringMethod]: () => `\n${text}` };
}

/**
 * Both of two things: fast-check shrinks an option to nothing, an array only
 * from its start, so the one that does not matter to a failure goes away
 * whichever it is. Undefined when both are nothing.
 */
const oneOrTwo = <T,>(arb: fc.Arbitrary<T>): fc.Arbitrary<[T] | [T, T] | undefined> =>
  fc.tuple(fc.option(arb, { nil: undefined }), fc.option(arb, { nil: undefined })).map(([a, b]) => (a === undefined ? (b === undefined ? undefined : [b]) : b === undefined ? [a] : [a, b]));

const functionSpecs: fc.Arbitrary<FunctionSpec | undefined> = fc
  .record({ frame, names, parts: oneOrTwo(fc.record({ template: fc.constantFrom(...TEMPLATE_NAMES), knobs })) })
  .map(({ parts, ...rest }) => (parts === undefined ? undefined : { ...rest, parts }));
const modules: fc.Arbitrary<GeneratedModule> = fc
  .record({ functions: oneOrTwo(functionSpecs), recordAlias: fc.boolean(), alternative: fc.boolean() })
  .map(({ functions, ...rest }) => {
    const specs: (FunctionSpec | undefined)[] = functions ?? [];
    return renderModule({ functions: specs.filter((f): f is FunctionSpec => f !== undefined), ...rest });
  });

// ---------------------------------------------------------------- type checking

const fixture = fileURLToPath(new URL("../fixtures/variant-props/", import.meta.url));
/** Where the batch checker's files live: nothing is read from there, the host serves them from memory. */
const ROOT = "/virtual";

/** One TypeScript error, with the line it is on. */
interface CompileError {
  code: number;
  message: string;
  /** `line 12: TS2322 Type 'string' is not assignable to type 'number'.` */
  shown: string;
}

type BatchChecker = (files: ReadonlyMap<string, string>) => Map<string, CompileError[]>;

/**
 * TypeScript's errors per file for many files in ONE program. A checker
 * costs ~80 ms to set up (the standard library's global types) where a small
 * module costs a few, so every module of a run and all its variants are
 * checked together, each as its own file (they import nothing, so they
 * cannot see each other). The standard library is parsed once and lent to
 * every later program. The compiler is the one cdlc uses, with the options
 * the project loader reads from the fixture's tsconfig (strict,
 * `noUncheckedIndexedAccess`); a test below checks that `typeErrorsOf`
 * agrees with it.
 */
function createBatchChecker(options: ts.CompilerOptions): BatchChecker {
  const folder = morphCommon.libFolderInMemoryPath;
  const libTexts = new Map(morphCommon.getLibFiles().map((f) => [`${folder}/${f.fileName}`, f.text]));
  const libFiles = new Map<string, ts.SourceFile>();
  let files: ReadonlyMap<string, string> = new Map();
  let old: ts.Program | undefined;
  const host: ts.CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      const text = files.get(fileName);
      if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion);
      let lib = libFiles.get(fileName);
      const libText = libTexts.get(fileName);
      if (lib === undefined && libText !== undefined) libFiles.set(fileName, (lib = ts.createSourceFile(fileName, libText, languageVersion)));
      return lib;
    },
    getDefaultLibFileName: (o) => `${folder}/${ts.getDefaultLibFileName(o)}`,
    getDefaultLibLocation: () => folder,
    writeFile: () => {},
    getCurrentDirectory: () => ROOT,
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (f) => files.has(f) || libTexts.has(f),
    readFile: (f) => files.get(f) ?? libTexts.get(f),
  };
  return (next) => {
    files = next;
    const program = ts.createProgram({ rootNames: [...next.keys()], options, host, oldProgram: old });
    old = program;
    const out = new Map<string, CompileError[]>();
    for (const name of next.keys()) {
      const sf = program.getSourceFile(name)!;
      const diagnostics = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].filter((d) => d.category === ts.DiagnosticCategory.Error);
      out.set(
        name,
        diagnostics.map((d) => {
          const line = d.start === undefined ? undefined : sf.getLineAndCharacterOfPosition(d.start).line;
          const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
          return { code: d.code, message, shown: `line ${line === undefined ? "?" : line + 1}: TS${d.code} ${message}` };
        }),
      );
    }
    return out;
  };
}

let project: LoadedProject;
let checkBatch: BatchChecker;
const fixtureFile = join(fixture, "src/m.ts");

beforeAll(() => {
  const loaded = loadProject(join(fixture, "tsconfig.json"), { displayPath: (p) => p });
  expect(loaded.diagnostics).toEqual([]);
  project = loaded.value!;
  checkBatch = createBatchChecker(project.options);
});

/** The fixture project with the module's text in place of its one file, as `typeErrorsOf` wants it (the original's errors read from it). */
function projectWith(text: string): LoadedProject {
  const program = project.programWithText(fixtureFile, text);
  return { ...project, program: () => program };
}

// ---------------------------------------------------------------- the properties

/** One variant of one target of a module. */
interface Checked {
  qualifiedName: string;
  variant: Variant;
}

/** A module with its variants, every check but the type check done. */
interface Prepared {
  module: GeneratedModule;
  variants: Checked[];
}

/** The module and the variant, printed so that a shrunk failure reads on its own. */
function report(what: string, module: GeneratedModule, c?: Checked): string {
  const variant = c === undefined ? "" : `\n--- variant ${c.variant.id} of ${c.qualifiedName} (${c.variant.operators.join(" → ")}: ${c.variant.summary.join("; ")}) ---\n${c.variant.diff}`;
  return `${what}\n--- module ---\n${module.text}${variant}`;
}

/** Every variant of every target of the module, each checked but for types; throws with a report on the first failure. */
function prepare(module: GeneratedModule): Prepared {
  const variants: Checked[] = [];
  const ast = parseSource(FILE, module.text);
  for (const { qualifiedName, algorithm } of module.targets) {
    const result = generateVariants({ node: `${FILE}#${qualifiedName}`, file: FILE, qualifiedName, source: module.text, mutations: ALL_OPERATORS, algorithm }, { depth: 2 });
    if (result.unavailable !== undefined) throw new Error(report(`${qualifiedName}: the engine could not read the node: ${result.unavailable}`, module));
    // The engine drops a rewrite that breaks its own checks (an edit outside the node, a file that does not parse) and says so.
    const bug = result.notApplied.find((n) => n.reason.startsWith("cdlc bug"));
    if (bug !== undefined) throw new Error(report(`${qualifiedName}: ${bug.operator}: ${bug.reason}`, module));
    const fn = locateFunction(ast, qualifiedName);
    if ("reason" in fn) throw new Error(report(`${qualifiedName}: not found in the original: ${fn.reason}`, module));
    const [start, end] = [fn.node.start!, fn.node.end!];
    for (const variant of result.variants) {
      const c = { qualifiedName, variant };
      const fail = (what: string) => new Error(report(what, module, c));
      let reparsed;
      try {
        reparsed = parse(variant.source, { sourceType: "module", plugins: ["typescript"] });
      } catch (e) {
        throw fail(`does not re-parse: ${(e as Error).message}`);
      }
      if ("reason" in locateFunction(reparsed, qualifiedName)) throw fail("the node is no longer found by its name");
      if (variant.nodeText === module.text.slice(start, end)) throw fail("the node text is the original's");
      if (variant.source.slice(start, start + variant.nodeText.length) !== variant.nodeText) throw fail("the node text is not where the node was");
      if (variant.source.slice(0, start) !== module.text.slice(0, start)) throw fail("the file before the node changed");
      if (variant.source.slice(start + variant.nodeText.length) !== module.text.slice(end)) throw fail("the file after the node changed");
      variants.push(c);
    }
  }
  return { module, variants };
}

/** Type-checks the modules and their variants in one program: a report of the first failure, or undefined. */
function typeFailure(batch: readonly Prepared[]): string | undefined {
  const original = (j: number) => `${ROOT}/m${j}/m.ts`;
  const variant = (j: number, i: number) => `${ROOT}/m${j}/v${i}.ts`;
  const files = new Map(batch.flatMap((p, j): [string, string][] => [[original(j), p.module.text], ...p.variants.map((c, i): [string, string] => [variant(j, i), c.variant.source])]));
  const errors = checkBatch(files);
  const failed: { j: number; i: number; c: Checked; found: CompileError[] }[] = [];
  for (const [j, p] of batch.entries()) {
    const own = errors.get(original(j)) ?? [];
    if (own.length > 0) return report(`the generator made a module that does not type-check:\n${own.map((e) => e.shown).join("\n")}`, p.module);
    p.variants.forEach((c, i) => {
      const found = errors.get(variant(j, i)) ?? [];
      if (found.length > 0) failed.push({ j, i, c, found });
    });
  }
  for (const { j, c, found } of failed) return report(`does not type-check where the original does:\n${found.map((e) => e.shown).join("\n")}`, batch[j]!.module, c);
  return undefined;
}

/** Modules of the property run, kept for the test of what the generator reaches. */
const checkedModules: Prepared[] = [];
/** The property run's modules, or the same number sampled when that test did not run (a filtered run). */
const generatedModules = (): Prepared[] => (checkedModules.length > 0 ? checkedModules : fc.sample(modules, { seed: SEED, numRuns: RUNS }).map(prepare));

describe("every variant of every generated module", () => {
  it("re-parses, differs from the original, keeps the rest of the file and type-checks (property)", () => {
    // The cheap checks run in the property; the type check runs once over all the modules (one checker, not one per module).
    fc.assert(
      fc.property(modules, (m) => void checkedModules.push(prepare(m))),
      { numRuns: RUNS, seed: SEED },
    );
    const failure = typeFailure(checkedModules);
    if (failure === undefined) return;
    // Replay with the type check inside the property: the same seed makes the same modules, and fast-check shrinks the failing one.
    fc.assert(
      fc.property(modules, (m) => {
        const f = typeFailure([prepare(m)]);
        if (f !== undefined) throw new Error(f);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    throw new Error(failure);
  });

  it("the generator reaches every operator, alone and in chains of two different ones", () => {
    const variants = generatedModules().flatMap((p) => p.variants.map((c) => c.variant));
    const alone = new Set(variants.filter((v) => v.operators.length === 1).map((v) => v.operators[0]!));
    const chained = new Set(variants.filter((v) => v.operators.length === 2).flatMap((v) => v.operators));
    expect([...ALL_OPERATORS].filter((op) => !alone.has(op))).toEqual([]);
    // Not every operator can follow another (memoize needs primitive parameters, the others arrays); most do.
    expect(chained.size).toBeGreaterThanOrEqual(8);
  });

  it("the batch check reports what `typeErrorsOf` (the oracle's check) reports, errors or none", () => {
    const sample = fc.sample(modules, { seed: SEED + 1, numRuns: 10 }).map(prepare);
    // Variants as made, and some made wrong on purpose: the comparison must see both outcomes even once no operator has a bug.
    const broken = (source: string) => `${source}\nexport const broken: number = "not a number";\n`;
    const texts = sample.flatMap((p) => p.variants.map((c, i) => ({ module: p.module, c, source: i % 3 === 0 ? broken(c.variant.source) : c.variant.source })));
    const errors = checkBatch(new Map(texts.map((t, i): [string, string] => [`${ROOT}/v${i}.ts`, t.source])));
    const all = texts.map((t, i) => ({ ...t, found: errors.get(`${ROOT}/v${i}.ts`) ?? [] }));
    // typeErrorsOf builds a program per variant: a few of each outcome.
    const some = [...all.filter((v) => v.found.length > 0).slice(0, 6), ...all.filter((v) => v.found.length === 0).slice(0, 6)];
    expect(some.filter((v) => v.found.length > 0).length, "variants with errors in the sample").toBeGreaterThan(3);
    expect(some.filter((v) => v.found.length === 0).length, "variants without errors in the sample").toBeGreaterThan(3);
    for (const { module, c, source, found } of some) {
      const expected = found.length === 0 ? undefined : `${found[0]!.shown}${found.length > 1 ? ` (and ${found.length - 1} more)` : ""}`;
      expect(typeErrorsOf(projectWith(module.text), fixtureFile, source), report("typeErrorsOf disagrees", module, c)).toBe(expected);
    }
  });
});


