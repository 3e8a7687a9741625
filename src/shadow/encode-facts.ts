import {
  builtin, call, getOwnPropertyDescriptor, hasOwn, isAsyncFunction, isBigIntObject, isBooleanObject, isExtensible, isExternal, isFrozen,
  isGeneratorFunction, isGeneratorObject, isMapIterator, isModuleNamespaceObject, isSetIterator, isNumberObject, isProxy, isSealed, isStringObject,
  isSymbolObject, quote, read,
} from "./encode-builtins.js";

/**
 * Facts about one user value, each read without running user code
 * (descriptors and captured built-ins only), in the form the encoded
 * text writes them.
 */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** A number as Object.is sees it: `-0` apart from `0`, every NaN alike. */
export function numberText(n: number): string {
  return Object.is(n, -0) ? "-0" : String(n);
}

/** A canonical array index (`"0"`, `"17"`, below 2³² − 1), as arrays order and number their keys. */
export function isArrayIndex(key: string): boolean {
  return (key === "0" || /^[1-9]\d{0,9}$/.test(key)) && Number(key) < 4294967295;
}

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

/** A string key as a path segment: `.name`, `[2]` (an array index), `["a b"]`. */
export function stringKeyLabel(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : isArrayIndex(key) ? `[${key}]` : `[${quote(key)}]`;
}

/** Property flags: undefined for the default data property, else the letters present (`-` for none). */
export function flagsOf(d: PropertyDescriptor, isData: boolean): string | undefined {
  const letters = (isData && d.writable === true ? "w" : "") + (d.enumerable === true ? "e" : "") + (d.configurable === true ? "c" : "");
  if (isData && letters === "wec") return undefined;
  return letters === "" ? "-" : letters;
}

/** The first `count` bytes in hex. */
export function hex(bytes: Uint8Array, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += HEX[bytes[i]!]!;
  return out;
}

/** Bytes per element of a typed array kind (`Float64Array` → 8). */
export function bytesPerElement(kind: string): number {
  return /64/.test(kind) ? 8 : /32/.test(kind) ? 4 : /16/.test(kind) ? 2 : 1;
}

/** frozen, sealed or non-extensible; undefined (not written) for an extensible object. */
export function stateOf(o: object): string | undefined {
  if (isExtensible(o)) return undefined;
  return isFrozen(o) ? '"frozen"' : isSealed(o) ? '"sealed"' : '"non-extensible"';
}

/** The name of the class whose prototype `p` is (its own `constructor`'s own `prototype` is `p`), if it is one. */
export function className(p: object): string | undefined {
  const ctor = getOwnPropertyDescriptor(p, "constructor");
  if (ctor === undefined || !hasOwn(ctor, "value") || typeof ctor.value !== "function" || isProxy(ctor.value)) return undefined;
  const f = ctor.value as object;
  const prototype = getOwnPropertyDescriptor(f, "prototype");
  if (prototype === undefined || !hasOwn(prototype, "value") || prototype.value !== p) return undefined;
  const name = getOwnPropertyDescriptor(f, "name");
  return name !== undefined && hasOwn(name, "value") && typeof name.value === "string" ? name.value : "";
}

/** Objects whose state only running them reveals (generators, iterators, module namespaces, host pointers). */
export function opaqueStateKind(o: object): string | undefined {
  if (isGeneratorObject(o)) return "Generator";
  if (isMapIterator(o)) return "Map Iterator";
  if (isSetIterator(o)) return "Set Iterator";
  if (isModuleNamespaceObject(o)) return "Module";
  if (isExternal(o)) return "External";
  return undefined;
}

/** `/source/flags` through the captured getters (a subclass overriding `flags` or `global` is not asked). */
export function regexpText(r: object): string {
  let flags = "";
  for (const [letter, getter] of builtin.regexpFlags) if (getter !== undefined && read<boolean>(getter, r)) flags += letter;
  return `/${read<string>(builtin.regexpSource, r)}/${flags}`;
}

/** A boxed primitive's type and value, through the captured `valueOf` of its type. */
export function unbox(o: object): [string, unknown] {
  if (isNumberObject(o)) return ["Number", call(builtin.numberValueOf, o)];
  if (isStringObject(o)) return ["String", call(builtin.stringValueOf, o)];
  if (isBooleanObject(o)) return ["Boolean", call(builtin.booleanValueOf, o)];
  if (isBigIntObject(o)) return ["BigInt", call(builtin.bigintValueOf, o)];
  if (isSymbolObject(o)) return ["Symbol", call(builtin.symbolValueOf, o)];
  throw new TypeError("an unknown boxed primitive");
}

/** How a function was written, from its source text: what a program can tell without calling it. */
export type FunctionKind =
  | "function" | "arrow" | "method" | "class" | "generator" | "async function" | "async arrow" | "async method" | "async generator" | "native";

const ARROW_START = /^(?:\(|[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*\s*=>)/u;

/** The kind of a function (never a proxy: Function.prototype.toString throws on one). */
export function functionKind(fn: (...args: never[]) => unknown): FunctionKind {
  const source = call<string>(builtin.fnToString, fn);
  if (/\{\s*\[native code\]\s*\}$/.test(source)) return "native";
  if (/^class\b/.test(source)) return "class";
  if (isGeneratorFunction(fn)) return isAsyncFunction(fn) ? "async generator" : "generator";
  if (isAsyncFunction(fn)) {
    const rest = source.replace(/^async\b\s*/, "");
    return /^function\b/.test(rest) ? "async function" : ARROW_START.test(rest) ? "async arrow" : "async method";
  }
  return /^function\b/.test(source) ? "function" : ARROW_START.test(source) ? "arrow" : "method";
}
