import { defaultPrototypeName } from "./encode-builtins.js";

/**
 * Reading encoded text back: the tree GraphWriter wrote, and a short
 * human rendering of any of its nodes (for messages). Rendering is bounded
 * by a character budget and a depth, so even a huge or cyclic encoding
 * renders quickly.
 */

/** One node of an encoded tree (see encode-writer.ts). */
export interface TreeNode {
  t: string;
  id?: number;
  v?: string | number | boolean;
  a?: Record<string, string | number | boolean>;
  c?: TreeChild[];
}

/** `[label, node]`, or `[label, flags, node]` for a property whose flags are not the default. */
export type TreeChild = [string, TreeNode] | [string, string, TreeNode];

export const childLabel = (c: TreeChild): string => c[0];
export const childFlags = (c: TreeChild): string | undefined => (c.length === 3 ? c[1] : undefined);
export const childNode = (c: TreeChild): TreeNode => (c.length === 3 ? c[2] : c[1]);

/** Parses encoded text; undefined when it is not an encoding. */
export function parseTree(text: string): TreeNode | undefined {
  try {
    const tree = JSON.parse(text) as unknown;
    return typeof tree === "object" && tree !== null && typeof (tree as TreeNode).t === "string" ? (tree as TreeNode) : undefined;
  } catch {
    return undefined;
  }
}

/** Every numbered node of a tree by its number (walked with a stack: trees can be deep). */
export function nodesById(root: TreeNode): Map<number, TreeNode> {
  const byId = new Map<number, TreeNode>();
  const stack: TreeNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.id !== undefined && node.t !== "ref") byId.set(node.id, node);
    for (const c of node.c ?? []) stack.push(childNode(c));
  }
  return byId;
}

/** A path segment joined to a path: `result` + `.name`, `result` + `[2]`, `result` + `<entry 0 key>` → `result.<entry 0 key>`. */
export function joinPath(path: string, label: string): string {
  return label.startsWith(".") || label.startsWith("[") ? `${path}${label}` : `${path}.${label}`;
}

const MAX_RENDER_DEPTH = 4;
const ELLIPSIS = "…";
const TYPED_ARRAYS: Record<string, new (buffer: ArrayBuffer) => ArrayLike<number | bigint>> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array,
};

/** Renders nodes of one encoded tree briefly: `{ a: 1, b: [2, 3] }`, `Map(2) { 1 => "a", … }`, `[arrow f]`. */
export class TreeRenderer {
  private readonly byId: Map<number, TreeNode>;

  constructor(root: TreeNode) {
    this.byId = nodesById(root);
  }

  /** The node a reference points to (the node itself otherwise). */
  resolve(node: TreeNode): TreeNode {
    return node.t === "ref" && node.id !== undefined ? (this.byId.get(node.id) ?? node) : node;
  }

  /** At most `max` characters (at least one). */
  render(node: TreeNode, max: number): string {
    const text = this.inner(node, Math.max(1, max), 0, []);
    return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}${ELLIPSIS}`;
  }

  /** The class a node's prototype names: undefined for the kind's default, `[Object: null prototype]` for none. */
  className(node: TreeNode): string | undefined {
    const entry = (node.c ?? []).find((c) => childLabel(c) === "<prototype>");
    if (entry === undefined) return undefined;
    return this.protoName(childNode(entry));
  }

  /** A prototype node by name: `Object.prototype`, `class Foo`, `null`. */
  protoName(proto: TreeNode): string {
    const p = this.resolve(proto);
    if (p.t === "null") return "[Object: null prototype]";
    if (p.t === "intrinsic") return String(p.v).replace(/\.prototype$/, "");
    if (p.t === "class") return String(p.v) === "" ? "(anonymous class)" : String(p.v);
    return "[custom prototype]";
  }

  /** The prototype a node has, in words (the kind's default when none is written). */
  prototypeText(node: TreeNode): string {
    const entry = (node.c ?? []).find((c) => childLabel(c) === "<prototype>");
    if (entry !== undefined) return this.protoText(childNode(entry));
    return defaultPrototypeName(node.t, node.v) ?? "the default prototype";
  }

  protoText(proto: TreeNode): string {
    const p = this.resolve(proto);
    if (p.t === "null") return "null";
    if (p.t === "intrinsic") return String(p.v);
    if (p.t === "class") return `class ${String(p.v)}`;
    return this.render(p, 50);
  }

  private inner(node: TreeNode, max: number, depth: number, ancestors: number[]): string {
    const n = node;
    const v = n.v;
    switch (n.t) {
      case "number":
      case "intrinsic":
        return String(v);
      case "bigint":
        return `${String(v)}n`;
      case "string":
        return JSON.stringify(String(v).slice(0, max + 1));
      case "boolean":
        return String(v);
      case "undefined":
      case "null":
        return n.t;
      case "symbol":
        return n.a?.wellKnown === true ? String(v) : n.a?.registered === true ? `Symbol.for(${JSON.stringify(v)})` : `Symbol(${v === undefined ? "" : JSON.stringify(v)})`;
      case "ref":
        if (n.id !== undefined && ancestors.includes(n.id)) return "[Circular]";
        return n.id !== undefined && this.byId.has(n.id) && depth <= MAX_RENDER_DEPTH ? this.inner(this.byId.get(n.id)!, max, depth, ancestors) : "[ref]";
      case "truncated":
        return ELLIPSIS;
      case "unreadable":
        return "[unreadable]";
      case "stack-trace":
        return "[stack trace]";
      case "hole":
        return v === 1 ? "<1 empty item>" : `<${String(v)} empty items>`;
      case "class":
        return `class ${String(v)}`;
      case "proxy":
        return "[Proxy]";
      case "accessor":
        return this.accessorText(n);
      case "date":
        return v === "invalid" ? "Invalid Date" : new Date(Number(v)).toISOString();
      case "regexp":
        return String(v);
      case "opaque":
        return `${String(v)} { <opaque> }`;
    }
    if (depth > MAX_RENDER_DEPTH) return n.t === "array" ? "[Array]" : "[Object]";
    const inside = n.id === undefined ? ancestors : [...ancestors, n.id];
    const sub = (child: TreeNode, budget: number) => this.inner(child, budget, depth + 1, inside);
    const cls = this.className(n);
    const prefix = cls === undefined ? "" : `${cls} `;
    const props = this.propertyItems(n, sub);
    switch (n.t) {
      case "array": {
        const items = (n.c ?? []).filter((c) => /^\[\d+\]$/.test(childLabel(c))).map((c) => (b: number) => sub(childNode(c), b));
        const head = cls === undefined ? "" : `${cls}(${String(n.a?.length)}) `;
        return list(`${head}[`, [...items, ...props], "]", max);
      }
      case "map": {
        const entries = pairs(n, sub);
        return list(`${cls ?? "Map"}(${String(n.a?.size)}) {`, [...entries, ...props], "}", max, true);
      }
      case "set": {
        const values = (n.c ?? []).filter((c) => /^<entry \d+>$/.test(childLabel(c))).map((c) => (b: number) => sub(childNode(c), b));
        return list(`${cls ?? "Set"}(${String(n.a?.size)}) {`, [...values, ...props], "}", max, true);
      }
      case "function": {
        const name = typeof n.a?.name === "string" && n.a.name !== "" ? n.a.name : "(anonymous)";
        const head = `[${String(v)} ${name}]`;
        return props.length === 0 ? head : list(`${head} {`, props, "}", max, true);
      }
      case "error": {
        const message = (n.c ?? []).find((c) => childLabel(c) === ".message");
        const text = message === undefined ? undefined : childNode(message);
        const shown = text === undefined ? "" : `: ${text.t === "string" ? String(text.v).slice(0, max) : sub(text, max)}`;
        const head = `${cls ?? "Error"}${shown}`;
        const extra = this.propertyItems(n, sub, (label) => label !== ".message");
        return extra.length === 0 ? head : list(`${head} {`, extra, "}", max, true);
      }
      case "boxed": {
        const primitive = (n.c ?? []).find((c) => childLabel(c) === "<primitive>");
        return `[${String(v)}: ${primitive === undefined ? "?" : sub(childNode(primitive), max)}]`;
      }
      case "typedarray":
        return list(`${prefix === "" ? String(v) : cls}(${String(n.a?.length)}) [`, [...typedItems(n), ...props], "]", max);
      case "arraybuffer":
      case "dataview": {
        const bytes = typeof n.a?.bytes === "string" ? (n.a.bytes.match(/../g) ?? []).map((b) => () => b) : [];
        const size = n.t === "arraybuffer" ? n.a?.byteLength : n.a?.length;
        return list(`${cls ?? String(v)}(${String(size)}) <`, bytes, ">", max, false, " ");
      }
      case "arguments":
        return list("[Arguments] {", props, "}", max, true);
      default:
        return list(`${prefix}{`, props, "}", max, true);
    }
  }

  private accessorText(n: TreeNode): string {
    const has = (label: string) => (n.c ?? []).some((c) => childLabel(c) === label && childNode(c).t !== "undefined");
    return has("<get>") ? (has("<set>") ? "[Getter/Setter]" : "[Getter]") : has("<set>") ? "[Setter]" : "[Accessor]";
  }

  /** `key: value` items of a node's own properties (array elements and pseudo children excluded). */
  private propertyItems(n: TreeNode, sub: (child: TreeNode, budget: number) => string, keep: (label: string) => boolean = () => true): Item[] {
    return (n.c ?? [])
      .filter((c) => !childLabel(c).startsWith("<") && childNode(c).t !== "stack-trace" && !(n.t === "array" && /^\[\d+\]$/.test(childLabel(c))) && keep(childLabel(c)))
      .map((c) => (budget: number) => `${keyText(childLabel(c))}: ${sub(childNode(c), budget)}`);
  }
}

type Item = (budget: number) => string;

/** A property label as an object literal writes the key: `name`, `3`, `"a b"`, `[Symbol("k")]`. */
function keyText(label: string): string {
  if (label.startsWith(".")) return label.slice(1);
  if (/^\[(\d+|".*")\]$/.test(label)) return label.slice(1, -1);
  return label.replace(/#\d+\]$/, "]");
}

function pairs(n: TreeNode, sub: (child: TreeNode, budget: number) => string): Item[] {
  const out: Item[] = [];
  const c = n.c ?? [];
  for (let i = 0; i < c.length; i++) {
    const key = c[i]!;
    const value = c[i + 1];
    if (!/^<entry \d+ key>$/.test(childLabel(key)) || value === undefined) continue;
    out.push((budget) => `${sub(childNode(key), budget)} => ${sub(childNode(value), budget)}`);
    i++;
  }
  return out;
}

function typedItems(n: TreeNode): Item[] {
  const make = TYPED_ARRAYS[String(n.v)];
  const hex = typeof n.a?.bytes === "string" ? n.a.bytes : "";
  if (make === undefined) return [];
  const raw = new Uint8Array(hex.length / 2);
  for (let i = 0; i < raw.length; i++) raw[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  const size = (make as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const values = new make(raw.buffer.slice(0, raw.length - (raw.length % size)));
  return Array.from({ length: values.length }, (_, i) => () => (typeof values[i] === "bigint" ? `${String(values[i])}n` : Object.is(values[i], -0) ? "-0" : String(values[i])));
}

/**
 * `open item, item, … close` within `max` characters: items are rendered
 * one by one and an ellipsis stands for those that do not fit.
 */
function list(open: string, items: Item[], close: string, max: number, padded = false, separator = ", "): string {
  const start = padded && items.length > 0 ? `${open} ` : open;
  const end = padded && items.length > 0 ? ` ${close}` : close;
  let text = start;
  for (let i = 0; i < items.length; i++) {
    const sep = i === 0 ? "" : separator;
    const room = max - text.length - sep.length - end.length - (i < items.length - 1 ? separator.length + ELLIPSIS.length : 0);
    const piece = room > 0 ? items[i]!(room) : "";
    if (room <= 0 || piece.length > room) return `${text}${sep}${ELLIPSIS}${end}`;
    text += sep + piece;
  }
  return text + end;
}
