import { serialize } from "node:v8";

/**
 * The size of one call's arguments, bytes, as `check --measure` sizes them
 * for `max_volume`: their structured clone (what `postMessage` would copy);
 * values that cannot be cloned (functions, symbols) are estimated instead.
 * (The measurement runtime, which must stay a self-contained file, carries
 * the same rule as source text in src/measure/runtime.ts.)
 */
export function volumeOf(args: ArrayLike<unknown>): number {
  const list = Array.prototype.slice.call(args);
  try {
    return serialize(list).byteLength;
  } catch {
    return estimate(list, new Set());
  }
}

function estimate(value: unknown, seen: Set<object>): number {
  switch (typeof value) {
    case "string":
      return value.length + 4;
    case "number":
      return 8;
    case "bigint":
      return 16;
    case "boolean":
    case "undefined":
      return 1;
    case "symbol":
    case "function":
      return 8;
  }
  if (value === null) return 1;
  const object = value as object;
  if (seen.has(object)) return 4;
  seen.add(object);
  if (ArrayBuffer.isView(object)) return object.byteLength + 8;
  let size = 8;
  if (object instanceof Map) {
    for (const [k, v] of object) size += estimate(k, seen) + estimate(v, seen);
    return size;
  }
  if (object instanceof Set) {
    for (const v of object) size += estimate(v, seen);
    return size;
  }
  for (const key of Object.keys(object)) size += key.length + 4 + estimate((object as Record<string, unknown>)[key], seen);
  return size;
}
