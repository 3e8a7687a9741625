import { Buffer } from "node:buffer";
import process from "node:process";
import { types } from "node:util";

/**
 * The built-ins the observation encoder applies to user values, captured
 * when this module loads (before any user module): a user class that
 * overrides `entries`, a patched `Map.prototype`, a getter on a prototype —
 * none of them is reached, because the encoder calls the original built-in
 * functions through `Reflect.apply` and reads properties through
 * descriptors only. Also the registry of intrinsics: built-in objects both
 * sides of the oracle share (one realm), encoded by name.
 */

const { apply, ownKeys, getOwnPropertyDescriptor, getPrototypeOf, isExtensible } = Reflect;
export { apply, getOwnPropertyDescriptor, getPrototypeOf, isExtensible, ownKeys };
export const { isFrozen, isSealed, hasOwn } = Object;
export const { isArray } = Array;
/** A string as a JSON string literal (lone surrogates escaped, so the text round-trips exactly). */
export const quote = JSON.stringify as (s: string) => string;
export const {
  isProxy, isMap, isSet, isWeakMap, isWeakSet, isPromise, isDate, isRegExp, isNativeError, isTypedArray, isDataView,
  isArrayBuffer, isSharedArrayBuffer, isBoxedPrimitive, isNumberObject, isStringObject, isBooleanObject, isBigIntObject,
  isSymbolObject, isGeneratorObject, isMapIterator, isSetIterator, isModuleNamespaceObject, isArgumentsObject,
  isExternal, isAsyncFunction, isGeneratorFunction,
} = types;

type Getter = (this: unknown) => unknown;

function getterOf(target: object, key: PropertyKey): Getter | undefined {
  return getOwnPropertyDescriptor(target, key)?.get as Getter | undefined;
}

/** Calls a captured built-in on a receiver (never the receiver's own methods). */
export function call<T>(fn: (...args: never[]) => unknown, receiver: unknown, ...args: unknown[]): T {
  return apply(fn as (...a: unknown[]) => unknown, receiver, args) as T;
}

/** Reads a built-in accessor (`size`, `byteLength`) through its captured getter. */
export function read<T>(getter: Getter | undefined, receiver: unknown): T {
  if (getter === undefined) throw new TypeError("this runtime lacks the built-in getter");
  return apply(getter, receiver, []) as T;
}

const typedArrayPrototype = getPrototypeOf(Uint8Array.prototype) as object;

/** Built-in functions and getters the encoder applies to user values, as they were at load. */
export const builtin = {
  fnToString: Function.prototype.toString,
  propertyIsEnumerable: Object.prototype.propertyIsEnumerable,
  mapEntries: Map.prototype.entries,
  mapSize: getterOf(Map.prototype, "size"),
  mapIteratorNext: (getPrototypeOf(new Map().entries()) as { next: () => IteratorResult<[unknown, unknown]> }).next,
  setValues: Set.prototype.values,
  setSize: getterOf(Set.prototype, "size"),
  setIteratorNext: (getPrototypeOf(new Set().values()) as { next: () => IteratorResult<unknown> }).next,
  dateGetTime: Date.prototype.getTime,
  regexpSource: getterOf(RegExp.prototype, "source"),
  /** One getter per flag, in the canonical order of `RegExp.prototype.flags`. */
  regexpFlags: ([["d", "hasIndices"], ["g", "global"], ["i", "ignoreCase"], ["m", "multiline"], ["s", "dotAll"], ["u", "unicode"], ["v", "unicodeSets"], ["y", "sticky"]] as const)
    .map(([letter, key]) => [letter, getterOf(RegExp.prototype, key)] as const),
  numberValueOf: Number.prototype.valueOf,
  stringValueOf: String.prototype.valueOf,
  booleanValueOf: Boolean.prototype.valueOf,
  bigintValueOf: BigInt.prototype.valueOf,
  symbolValueOf: Symbol.prototype.valueOf,
  symbolDescription: getterOf(Symbol.prototype, "description"),
  symbolKeyFor: Symbol.keyFor,
  arrayBufferByteLength: getterOf(ArrayBuffer.prototype, "byteLength"),
  arrayBufferResizable: getterOf(ArrayBuffer.prototype, "resizable"),
  arrayBufferMaxByteLength: getterOf(ArrayBuffer.prototype, "maxByteLength"),
  sharedArrayBufferByteLength: getterOf(SharedArrayBuffer.prototype, "byteLength"),
  typedArrayBuffer: getterOf(typedArrayPrototype, "buffer"),
  typedArrayByteOffset: getterOf(typedArrayPrototype, "byteOffset"),
  typedArrayLength: getterOf(typedArrayPrototype, "length"),
  typedArrayKind: getterOf(typedArrayPrototype, Symbol.toStringTag),
  dataViewBuffer: getterOf(DataView.prototype, "buffer"),
  dataViewByteOffset: getterOf(DataView.prototype, "byteOffset"),
  dataViewByteLength: getterOf(DataView.prototype, "byteLength"),
  Uint8Array,
};

/** The well-known symbols (`Symbol.iterator` …), by name. */
export const wellKnownSymbols = new Map<symbol, string>();
for (const key of ownKeys(Symbol)) {
  const d = getOwnPropertyDescriptor(Symbol, key);
  if (typeof key === "string" && d !== undefined && typeof d.value === "symbol") wellKnownSymbols.set(d.value, `Symbol.${key}`);
}

const intrinsics = new Map<object, string>();
/** Owners whose members are named after every direct name is taken. */
const pending: [object, string][] = [];

function isObjectLike(v: unknown): v is object {
  return (typeof v === "object" && v !== null) || typeof v === "function";
}

function addIntrinsic(value: unknown, name: string): void {
  if (isObjectLike(value) && !intrinsics.has(value)) intrinsics.set(value, name);
}

/** Registers an object, its `prototype` (for a constructor), and the members of both. */
function addWithMembers(value: unknown, name: string): void {
  if (!isObjectLike(value)) return;
  addIntrinsic(value, name);
  const owners: [object, string][] = [[value, name]];
  const proto = typeof value === "function" ? getOwnPropertyDescriptor(value, "prototype")?.value : undefined;
  if (isObjectLike(proto)) {
    addIntrinsic(proto, `${name}.prototype`);
    owners.push([proto, `${name}.prototype`]);
  }
  pending.push(...owners);
}

function addMembers(owner: object, prefix: string): void {
  for (const key of ownKeys(owner)) {
    const keyName = typeof key === "string" ? `.${key}` : wellKnownSymbols.has(key) ? `[${wellKnownSymbols.get(key)}]` : undefined;
    const d = keyName === undefined ? undefined : getOwnPropertyDescriptor(owner, key);
    if (d === undefined) continue;
    if (hasOwn(d, "value")) addIntrinsic(d.value, `${prefix}${keyName}`);
    else {
      addIntrinsic(d.get, `get ${prefix}${keyName}`);
      addIntrinsic(d.set, `set ${prefix}${keyName}`);
    }
  }
}

addIntrinsic(globalThis, "globalThis");
// Globals that are data properties; Node's lazy accessors (fetch, crypto …) are not called.
for (const key of ownKeys(globalThis)) {
  const d = typeof key === "string" ? getOwnPropertyDescriptor(globalThis, key) : undefined;
  if (d !== undefined && hasOwn(d, "value") && typeof key === "string") addWithMembers(d.value, key);
}
// Node's accessor globals that results may hold; the same objects on both sides.
addWithMembers(Buffer, "Buffer");
addWithMembers(process, "process");
{
  const protoOf = (v: object) => getPrototypeOf(v) as object;
  const generatorFunction = protoOf(function* () {});
  const asyncGeneratorFunction = protoOf(async function* () {});
  const arrayIterator = protoOf([][Symbol.iterator]());
  const hidden: [object, string][] = [
    [getPrototypeOf(Uint8Array) as object, "%TypedArray%"],
    [protoOf(async () => {}), "%AsyncFunction.prototype%"],
    [generatorFunction, "%GeneratorFunction.prototype%"],
    [(generatorFunction as { prototype: object }).prototype, "%GeneratorPrototype%"],
    [asyncGeneratorFunction, "%AsyncGeneratorFunction.prototype%"],
    [(asyncGeneratorFunction as { prototype: object }).prototype, "%AsyncGeneratorPrototype%"],
    [protoOf((asyncGeneratorFunction as { prototype: object }).prototype), "%AsyncIteratorPrototype%"],
    [arrayIterator, "%ArrayIteratorPrototype%"],
    [protoOf(arrayIterator), "%IteratorPrototype%"],
    [protoOf(new Map().entries()), "%MapIteratorPrototype%"],
    [protoOf(new Set().values()), "%SetIteratorPrototype%"],
    [protoOf(""[Symbol.iterator]()), "%StringIteratorPrototype%"],
    [protoOf(/(?:)/[Symbol.matchAll]("")), "%RegExpStringIteratorPrototype%"],
  ];
  for (const [value, name] of hidden) addWithMembers(value, name);
  // Members after all direct names, so that `Object.keys` is not named through another path first.
  for (let i = 0; i < pending.length; i++) {
    const [owner, prefix] = pending[i]!;
    if (owner !== globalThis) addMembers(owner, prefix);
  }
}

/** The name of a built-in object both sides share (`Object.prototype`, `Math`, `Array.prototype.push`), if it is one. */
export function intrinsicName(value: object): string | undefined {
  return intrinsics.get(value);
}

/**
 * The intrinsic prototype a node of type `t` (with value `v`) has unless
 * changed: the encoding omits it then, and a reader puts it back. Errors
 * have none: their class chain is always written.
 */
export function defaultPrototypeName(t: string, v: unknown): string | undefined {
  switch (t) {
    case "object":
    case "arguments":
      return "Object.prototype";
    case "array":
      return "Array.prototype";
    case "map":
      return "Map.prototype";
    case "set":
      return "Set.prototype";
    case "date":
      return "Date.prototype";
    case "regexp":
      return "RegExp.prototype";
    case "dataview":
      return "DataView.prototype";
    case "typedarray":
    case "arraybuffer":
    case "boxed":
    case "opaque":
      return `${String(v)}.prototype`;
    case "function":
      return v === "async function" || v === "async arrow" || v === "async method"
        ? "%AsyncFunction.prototype%"
        : v === "generator"
          ? "%GeneratorFunction.prototype%"
          : v === "async generator"
            ? "%AsyncGeneratorFunction.prototype%"
            : "Function.prototype";
    default:
      return undefined;
  }
}
