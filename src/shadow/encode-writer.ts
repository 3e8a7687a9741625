import { builtin, call, getOwnPropertyDescriptor, getPrototypeOf, intrinsicName, isProxy, quote, read, wellKnownSymbols } from "./encode-builtins.js";
import { className, numberText, opaqueStateKind, stateOf, stringKeyLabel } from "./encode-facts.js";

/**
 * The traversal behind the observation encoder. It walks one graph of
 * values depth-first with an explicit stack (no recursion, whatever the
 * depth) and writes, as it goes, a JSON tree in which every node is
 * `{"t": type, "id"?: number, "v"?: value, "a"?: {attributes}, "c"?: [children]}`
 * and every child is `[label, node]`, or `[label, flags, node]` for a
 * property whose flags are not the default (writable, enumerable,
 * configurable). Each object (and each unique symbol) is numbered at its
 * first visit; a later visit writes `{"t":"ref","id":k}`. Only captured
 * built-ins and property descriptors touch user values: no getter, no
 * `toJSON`, no `valueOf`, no iterator of a user class ever runs.
 */

/** How much of a value the encoder visits before it writes a truncation marker instead. */
export interface EncodeLimits {
  /** Values visited at most: primitives, objects, runs of holes, typed array elements, 64-byte blocks of other binary data. */
  maxNodes: number;
  /** Nesting depth at most (the encoded value itself is at depth 0). */
  maxDepth: number;
}

/** One child to write: a value of the graph, a prototype, an accessor pair, or a finished leaf. */
export type Child = { label: string; flags?: string } & (
  | { kind: "value"; value: unknown }
  | { kind: "proto"; proto: unknown }
  | { kind: "accessor"; get: unknown; set: unknown }
  | { kind: "buffer-identity"; buffer: object }
  | { kind: "leaf"; text: string }
);

interface Frame {
  children: Iterator<Child>;
  /** Depth of the values in this frame. */
  depth: number;
  first: boolean;
  close: string;
}

/** A node's text: complete, or opened (`…"c":[`) with the children still to write. */
export type Written = [text: string, children?: Iterator<Child>];

function attrs(pairs: readonly (readonly [string, string | undefined])[]): string {
  const present = pairs.filter((p): p is readonly [string, string] => p[1] !== undefined);
  return present.length === 0 ? "" : `,"a":{${present.map(([k, v]) => `${quote(k)}:${v}`).join(",")}}`;
}

/** The walk, the node budget and the numbering of one graph; what each kind of object shows is GraphWriter's (encode-kinds.ts). */
export abstract class GraphTraversal {
  private readonly out: string[] = [];
  protected readonly ids = new Map<object | symbol, number>();
  private nextId = 1;
  protected visited = 0;
  protected exhausted = false;
  private readonly stack: Frame[] = [];
  /** Set when a limit was reached or part of the graph could not be read without running user code. */
  truncated = false;

  constructor(protected readonly limits: EncodeLimits) {}

  /** Writes a root node of type `t` whose children are `children` (at depth 0), and returns the whole text. */
  write(t: string, v: string | undefined, children: readonly Child[]): string {
    this.out.push(`{"t":${quote(t)}${v === undefined ? "" : `,"v":${quote(v)}`},"c":[`);
    this.stack.push({ children: children[Symbol.iterator](), depth: 0, first: true, close: "]}" });
    while (this.stack.length > 0) this.step(this.stack[this.stack.length - 1]!);
    return this.out.join("");
  }

  private step(frame: Frame): void {
    if (this.exhausted) return this.close();
    let next: IteratorResult<Child>;
    try {
      next = frame.children.next();
    } catch (error) {
      // A built-in refused (a detached buffer, an exotic host object): say so, never throw.
      this.entry(frame, "<unreadable>", undefined, [this.unreadable(error)]);
      return this.close();
    }
    if (next.done === true) return this.close();
    if (this.visited >= this.limits.maxNodes) {
      this.truncated = this.exhausted = true;
      return this.entry(frame, "…", undefined, ['{"t":"truncated","v":"nodes"}']);
    }
    const child = next.value;
    let written: Written;
    try {
      written = this.child(child, frame.depth);
    } catch (error) {
      written = [this.unreadable(error)];
    }
    this.entry(frame, child.label, child.flags, written);
    if (written[1] !== undefined) this.stack.push({ children: written[1], depth: frame.depth + 1, first: true, close: "]}]" });
  }

  private entry(frame: Frame, label: string, flags: string | undefined, [text, children]: Written): void {
    this.out.push(`${frame.first ? "" : ","}[${quote(label)},${flags === undefined ? "" : `${quote(flags)},`}${text}${children === undefined ? "]" : ""}`);
    frame.first = false;
  }

  private close(): void {
    this.out.push(this.stack.pop()!.close);
  }

  private unreadable(error: unknown): string {
    this.truncated = true;
    // Only built-ins throw here; their message is read as data all the same.
    const message = typeof error === "object" && error !== null ? getOwnPropertyDescriptor(error, "message")?.value : undefined;
    return `{"t":"unreadable","v":${quote(typeof message === "string" ? message : "not readable")}}`;
  }

  private child(child: Child, depth: number): Written {
    this.visited++;
    if (depth > this.limits.maxDepth) {
      this.truncated = true;
      return ['{"t":"truncated","v":"depth"}'];
    }
    switch (child.kind) {
      case "value":
        return this.value(child.value);
      case "proto":
        return this.proto(child.proto);
      case "accessor":
        return ['{"t":"accessor","c":[', children([{ kind: "value", label: "<get>", value: child.get }, { kind: "value", label: "<set>", value: child.set }])];
      case "buffer-identity":
        return this.bufferIdentity(child.buffer);
      case "leaf":
        return [child.text];
    }
  }

  private value(v: unknown): Written {
    switch (typeof v) {
      case "number":
        return [`{"t":"number","v":"${numberText(v)}"}`];
      case "bigint":
        return [`{"t":"bigint","v":"${String(v)}"}`];
      case "string":
        return [`{"t":"string","v":${quote(v)}}`];
      case "boolean":
        return [`{"t":"boolean","v":${String(v)}}`];
      case "undefined":
        return ['{"t":"undefined"}'];
      case "symbol":
        return [this.symbol(v)];
      default:
        return v === null ? ['{"t":"null"}'] : this.object(v as object);
    }
  }

  private symbol(s: symbol): string {
    const known = wellKnownSymbols.get(s);
    if (known !== undefined) return `{"t":"symbol","v":${quote(known)},"a":{"wellKnown":true}}`;
    const key = call<string | undefined>(builtin.symbolKeyFor, Symbol, s);
    if (key !== undefined) return `{"t":"symbol","v":${quote(key)},"a":{"registered":true}}`;
    const seen = this.ids.get(s);
    if (seen !== undefined) return `{"t":"ref","id":${seen}}`;
    const id = this.number(s);
    const description = read<string | undefined>(builtin.symbolDescription, s);
    return `{"t":"symbol","id":${id}${description === undefined ? "" : `,"v":${quote(description)}`}}`;
  }

  protected number(o: object | symbol): number {
    const id = this.nextId++;
    this.ids.set(o, id);
    return id;
  }

  /** A property key as a path segment; a unique symbol carries its number, so identity is in the text. */
  protected keyLabel(key: string | symbol): string {
    if (typeof key === "string") return stringKeyLabel(key);
    const known = wellKnownSymbols.get(key);
    if (known !== undefined) return `[${known}]`;
    const registered = call<string | undefined>(builtin.symbolKeyFor, Symbol, key);
    if (registered !== undefined) return `[Symbol.for(${quote(registered)})]`;
    const id = this.ids.get(key) ?? this.number(key);
    const description = read<string | undefined>(builtin.symbolDescription, key);
    return `[Symbol(${description === undefined ? "" : quote(description)})#${id}]`;
  }

  private proto(p: unknown): Written {
    if (p === null || (typeof p !== "object" && typeof p !== "function")) return ['{"t":"null"}'];
    const seen = this.ids.get(p);
    if (seen !== undefined) return [`{"t":"ref","id":${seen}}`];
    const intrinsic = intrinsicName(p);
    if (intrinsic !== undefined) return [`{"t":"intrinsic","v":${quote(intrinsic)}}`];
    const name = isProxy(p) ? undefined : className(p);
    if (name === undefined) return this.object(p);
    // A class's prototype: the two sides load different copies of the class, so it is known by name.
    const id = this.number(p);
    return [`{"t":"class","id":${id},"v":${quote(name)},"c":[`, children([{ kind: "proto", label: "<prototype>", proto: getPrototypeOf(p) }])];
  }

  /** The node of an object not met before, numbered `id`: its kind's attributes and children. */
  protected abstract container(o: object, id: number): Written;

  private bufferIdentity(buffer: object): Written {
    const seen = this.ids.get(buffer);
    if (seen !== undefined) return [`{"t":"ref","id":${seen}}`];
    return [`{"t":"arraybuffer","id":${this.number(buffer)},"v":"ArrayBuffer","a":{"identityOnly":true}}`];
  }

  private object(o: object): Written {
    const seen = this.ids.get(o);
    if (seen !== undefined) return [`{"t":"ref","id":${seen}}`];
    const intrinsic = intrinsicName(o);
    if (intrinsic !== undefined) return [`{"t":"intrinsic","v":${quote(intrinsic)}}`];
    const id = this.number(o);
    if (isProxy(o)) {
      // Reading through a proxy runs its traps (user code, maybe throwing or counting): opaque, and
      // marked incomplete, since two different proxies encode alike.
      this.truncated = true;
      return [`{"t":"proxy","id":${id}}`];
    }
    const incomplete = opaqueStateKind(o);
    if (incomplete !== undefined) {
      // Its state (a generator's position, an iterator's cursor) is readable only by running it.
      this.truncated = true;
      return [`{"t":"opaque","id":${id},"v":${quote(incomplete)},"a":{"incomplete":true}}`];
    }
    return this.container(o, id);
  }

  /** Opens an object's node: type, number, value, attributes (its extensibility last), then its children. */
  protected open(t: string, id: number, v: string | undefined, pairs: (readonly [string, string | undefined])[], o: object, list: Iterable<Child>): Written {
    const head = `{"t":${quote(t)},"id":${id}${v === undefined ? "" : `,"v":${quote(v)}`}${attrs([...pairs, ["state", stateOf(o)]])},"c":[`;
    return [head, list[Symbol.iterator]()];
  }
}

/** The children of a node, as the traversal consumes them. */
export function children(list: Child[]): Iterator<Child> {
  return list[Symbol.iterator]();
}
