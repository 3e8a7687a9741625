import { Buffer } from "node:buffer";
import {
  builtin, call, defaultPrototypeName, getOwnPropertyDescriptor, getPrototypeOf, hasOwn, intrinsicName, isArgumentsObject, isArray,
  isArrayBuffer, isBoxedPrimitive, isDataView, isDate, isFrozen, isMap, isNativeError, isPromise, isRegExp, isSet, isSharedArrayBuffer,
  isTypedArray, isWeakMap, isWeakSet, ownKeys, quote, read,
} from "./encode-builtins.js";
import { bytesPerElement, flagsOf, functionKind, hex, isArrayIndex, numberText, regexpText, unbox } from "./encode-facts.js";
import { GraphTraversal, type Child, type Written } from "./encode-writer.js";

/**
 * What each kind of object shows in the encoding: arrays by index with
 * holes as runs, Map and Set entries through the captured built-ins,
 * typed arrays by their window's bytes, functions by kind, name and
 * length, everything by its own properties (descriptors, in key order)
 * and its prototype when that is not the kind's default.
 */

/** Own properties the kind encodes otherwise (array indices, a function's `prototype` …). */
interface PropertyFilter {
  skipKey?: (key: string | symbol) => boolean;
  skipProperty?: (key: string | symbol, d: PropertyDescriptor) => boolean;
}

/** Binary data without elements (ArrayBuffer, DataView) costs a node per this many bytes. */
const BYTES_PER_NODE = 64;
/** Holes in a row after which an array is read as sparse (its keys listed rather than probed). */
const SPARSE_RUN = 1024;

/** Writes one graph of values as encoded text, within limits (see encode-writer.ts for the format). */
export class GraphWriter extends GraphTraversal {
  protected override container(o: object, id: number): Written {
    if (typeof o === "function") return this.fn(o as (...args: never[]) => unknown, id);
    if (isArray(o)) {
      const lengthDescriptor = getOwnPropertyDescriptor(o, "length");
      const length = lengthDescriptor?.value as number;
      const fixed = lengthDescriptor?.writable === false && !isFrozen(o) ? "false" : undefined;
      return this.open("array", id, undefined, [["length", String(length)], ["lengthWritable", fixed]], o, this.arrayChildren(o, length));
    }
    if (isNativeError(o)) return this.open("error", id, undefined, [], o, this.members(o, "error", undefined));
    if (isMap(o)) return this.open("map", id, undefined, [["size", String(read<number>(builtin.mapSize, o))]], o, this.mapChildren(o));
    if (isSet(o)) return this.open("set", id, undefined, [["size", String(read<number>(builtin.setSize, o))]], o, this.setChildren(o));
    if (isDate(o)) {
      const time = call<number>(builtin.dateGetTime, o);
      return this.open("date", id, Number.isNaN(time) ? "invalid" : numberText(time), [], o, this.members(o, "date", undefined));
    }
    if (isRegExp(o)) return this.open("regexp", id, regexpText(o), [], o, this.members(o, "regexp", undefined));
    if (isBoxedPrimitive(o)) {
      const [type, primitive] = unbox(o);
      const length = typeof primitive === "string" ? primitive.length : 0;
      const skipKey = (k: string | symbol) => typeof primitive === "string" && (k === "length" || (typeof k === "string" && isArrayIndex(k) && Number(k) < length));
      return this.open("boxed", id, type, [], o, this.members(o, "boxed", type, { skipKey }, [{ kind: "value", label: "<primitive>", value: primitive }]));
    }
    if (isTypedArray(o)) return this.view(o, id, true);
    if (isDataView(o)) return this.view(o, id, false);
    if (isArrayBuffer(o) || isSharedArrayBuffer(o)) return this.arrayBuffer(o, id);
    const opaque = isWeakMap(o) ? "WeakMap" : isWeakSet(o) ? "WeakSet" : isPromise(o) ? "Promise" : undefined;
    if (opaque !== undefined) return this.open("opaque", id, opaque, [], o, this.members(o, "opaque", opaque, opaque === "Promise" ? { skipKey: isAsyncHookKey } : {}));
    const t = isArgumentsObject(o) ? "arguments" : "object";
    return this.open(t, id, undefined, [], o, this.members(o, t, undefined));
  }

  private fn(f: (...args: never[]) => unknown, id: number): Written {
    const kind = functionKind(f);
    // name and length are attributes when they are what the language makes (data, configurable only).
    const standard = (key: string, type: string) => {
      const d = getOwnPropertyDescriptor(f, key);
      return d !== undefined && hasOwn(d, "value") && typeof d.value === type && flagsOf(d, true) === "c" ? (d.value as unknown) : undefined;
    };
    const name = standard("name", "string") as string | undefined;
    const length = standard("length", "number") as number | undefined;
    const skipProperty = (key: string | symbol, d: PropertyDescriptor) =>
      key === "name" ? name !== undefined : key === "length" ? length !== undefined : d.enumerable !== true;
    return this.open("function", id, kind, [["name", name === undefined ? undefined : quote(name)], ["length", length === undefined ? undefined : numberText(length)]], f,
      this.members(f, "function", kind, { skipProperty }));
  }

  /** Kind-specific children first, then the prototype when it is not the kind's default, then the own properties. */
  private *members(o: object, t: string, v: string | undefined, filter: PropertyFilter = {}, first: readonly Child[] = []): Generator<Child> {
    yield* first;
    const proto = this.protoChild(o, t, v);
    if (proto !== undefined) yield proto;
    yield* this.properties(o, ownKeys(o), filter);
  }

  private protoChild(o: object, t: string, v: string | undefined): Child | undefined {
    const proto = getPrototypeOf(o);
    const defaultName = defaultPrototypeName(t, v);
    if (proto !== null && defaultName !== undefined && intrinsicName(proto) === defaultName) return undefined;
    return { kind: "proto", label: "<prototype>", proto };
  }

  private *properties(o: object, keys: readonly (string | symbol)[], filter: PropertyFilter, from = 0): Generator<Child> {
    for (let i = from; i < keys.length; i++) {
      const key = keys[i]!;
      if (filter.skipKey?.(key) === true) continue;
      if (key === "stack" && !call<boolean>(builtin.propertyIsEnumerable, o, key)) {
        // V8's stack trace: reading it formats it (Error.prepareStackTrace is user code), and it
        // names each side's own module paths. Only its presence is written.
        yield { kind: "leaf", label: ".stack", text: '{"t":"stack-trace"}' };
        continue;
      }
      const d = getOwnPropertyDescriptor(o, key);
      if (d === undefined || filter.skipProperty?.(key, d) === true) continue;
      yield this.property(this.keyLabel(key), d);
    }
  }

  private property(label: string, d: PropertyDescriptor): Child {
    if (hasOwn(d, "value")) return { kind: "value", label, flags: flagsOf(d, true), value: d.value };
    return { kind: "accessor", label, flags: flagsOf(d, false), get: d.get, set: d.set };
  }

  /**
   * Elements by index, holes as runs. Probing index by index stops at the node budget, so a
   * million-element array costs what the budget allows; a long run of holes (a sparse array)
   * switches to listing the keys present instead, so `a[4e9] = x` is not probed to the end.
   */
  private *arrayChildren(a: unknown[], length: number): Generator<Child> {
    const proto = this.protoChild(a, "array", undefined);
    if (proto !== undefined) yield proto;
    let keys: (string | symbol)[] | undefined;
    let k = 0;
    let next = 0;
    for (let i = 0; i < length; ) {
      let index = i;
      if (keys !== undefined) {
        const listed = keys[k++];
        if (typeof listed !== "string" || !isArrayIndex(listed)) break;
        index = Number(listed);
        if (index < next) continue;
      }
      const d = getOwnPropertyDescriptor(a, index);
      if (d === undefined) {
        if (keys === undefined && i - next >= SPARSE_RUN) keys = ownKeys(a);
        else i++;
        continue;
      }
      if (index > next) yield holes(next, index - next);
      yield this.property(`[${index}]`, d);
      next = i = index + 1;
    }
    if (length > next) yield holes(next, length - next);
    yield* this.properties(a, keys ?? ownKeys(a), { skipKey: (key) => key === "length" || (typeof key === "string" && isArrayIndex(key)) });
  }

  private *mapChildren(m: Map<unknown, unknown>): Generator<Child> {
    const proto = this.protoChild(m, "map", undefined);
    if (proto !== undefined) yield proto;
    const entries = call<Iterator<[unknown, unknown]>>(builtin.mapEntries, m);
    for (let i = 0; ; i++) {
      const step = call<IteratorResult<[unknown, unknown]>>(builtin.mapIteratorNext, entries);
      if (step.done === true) break;
      yield { kind: "value", label: `<entry ${i} key>`, value: step.value[0] };
      yield { kind: "value", label: `<entry ${i} value>`, value: step.value[1] };
    }
    yield* this.properties(m, ownKeys(m), {});
  }

  private *setChildren(s: Set<unknown>): Generator<Child> {
    const proto = this.protoChild(s, "set", undefined);
    if (proto !== undefined) yield proto;
    const values = call<Iterator<unknown>>(builtin.setValues, s);
    for (let i = 0; ; i++) {
      const step = call<IteratorResult<unknown>>(builtin.setIteratorNext, values);
      if (step.done === true) break;
      yield { kind: "value", label: `<entry ${i}>`, value: step.value };
    }
    yield* this.properties(s, ownKeys(s), {});
  }

  /**
   * A typed array or DataView: what it shows (kind, length, its window's bytes) and its buffer.
   * A Node Buffer's offset and buffer are the allocator's (a shared pool): only the buffer's identity counts.
   */
  private view(o: object, id: number, typed: boolean): Written {
    const buffer = read<ArrayBufferLike>(typed ? builtin.typedArrayBuffer : builtin.dataViewBuffer, o);
    const byteOffset = read<number>(typed ? builtin.typedArrayByteOffset : builtin.dataViewByteOffset, o);
    const kind = typed ? read<string>(builtin.typedArrayKind, o) : "DataView";
    const length = typed ? read<number>(builtin.typedArrayLength, o) : read<number>(builtin.dataViewByteLength, o);
    const byteLength = typed ? length * bytesPerElement(kind) : length;
    const pooled = typed && getPrototypeOf(o) === Buffer.prototype;
    // A typed array's elements are values, one node each; a DataView's bytes are charged as binary data.
    const bytes = this.bytes(new builtin.Uint8Array(buffer, byteOffset, byteLength), byteLength, typed ? bytesPerElement(kind) : BYTES_PER_NODE);
    const children: Child[] = [pooled ? { kind: "buffer-identity", label: "<buffer>", buffer } : { kind: "value", label: "<buffer>", value: buffer }];
    const skipKey = (key: string | symbol) => typed && typeof key === "string" && isArrayIndex(key);
    return this.open(typed ? "typedarray" : "dataview", id, kind, [["byteOffset", pooled ? undefined : String(byteOffset)], ["length", String(length)], ...bytes], o,
      this.members(o, typed ? "typedarray" : "dataview", kind, { skipKey }, children));
  }

  private arrayBuffer(o: object, id: number): Written {
    const shared = isSharedArrayBuffer(o);
    const byteLength = read<number>(shared ? builtin.sharedArrayBufferByteLength : builtin.arrayBufferByteLength, o);
    const resizable = !shared && builtin.arrayBufferResizable !== undefined && read<boolean>(builtin.arrayBufferResizable, o);
    const max = resizable ? String(read<number>(builtin.arrayBufferMaxByteLength, o)) : undefined;
    const v = shared ? "SharedArrayBuffer" : "ArrayBuffer";
    const bytes = this.bytes(new builtin.Uint8Array(o as ArrayBufferLike), byteLength, BYTES_PER_NODE);
    return this.open("arraybuffer", id, v, [["byteLength", String(byteLength)], ["maxByteLength", max], ...bytes], o, this.members(o, "arraybuffer", v));
  }

  /** The bytes as hex, charged to the node budget (a node per `perNode` bytes); cut when the budget runs out. */
  private bytes(bytes: Uint8Array, count: number, perNode: number): [string, string | undefined][] {
    const affordable = Math.max(0, this.limits.maxNodes - this.visited) * perNode;
    const written = Math.min(count, affordable);
    this.visited += Math.ceil(written / perNode);
    if (written < count) this.truncated = this.exhausted = true;
    return [["bytes", `"${hex(bytes, written)}"`], ["bytesCut", written < count ? "true" : undefined]];
  }
}

function holes(start: number, count: number): Child {
  return { kind: "leaf", label: `[${start}]`, text: `{"t":"hole","v":${count}}` };
}

/**
 * Node stamps promises with symbols of its own (async ids, the async-local
 * store) once async hooks or AsyncLocalStorage are on anywhere in the
 * process; their values differ between any two promises, so they are not
 * something the code under test did.
 */
const ASYNC_HOOK_KEYS = new Set(["async_id_symbol", "trigger_async_id_symbol", "kResourceStore"]);

function isAsyncHookKey(key: string | symbol): boolean {
  return typeof key === "symbol" && ASYNC_HOOK_KEYS.has(key.description ?? "");
}
