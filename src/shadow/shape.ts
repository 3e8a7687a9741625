/**
 * What the parent process knows of a node's inputs, as plain JSON: the
 * shapes of its parameters, read from their TypeScript types (shapes.ts),
 * which the child turns into fast-check arbitraries (arbitraries.ts). Types
 * and one walk over them, no imports: both halves import this module, and
 * the child must stay light.
 */

/**
 * A literal type. JSON has no NaN, infinities, -0 or bigints: such numbers
 * are written as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`, `"-0"`,
 * and a bigint as its decimal digits (`"-12"`).
 */
export type LiteralShape =
  | { kind: "literal"; type: "string"; value: string }
  | { kind: "literal"; type: "number"; value: number | "NaN" | "Infinity" | "-Infinity" | "-0" }
  | { kind: "literal"; type: "boolean"; value: boolean }
  | { kind: "literal"; type: "bigint"; value: string };

/** A declared property. `optional`: it may be absent; whether it may also be `undefined` is in `shape`. */
export interface PropertyShape {
  name: string;
  shape: Shape;
  optional?: true;
}

/** Keys of an index signature: any string, or the string form of a number. */
export type IndexKey = "string" | "number";

/**
 * A tuple element: `required`, `optional` (`[a, b?]`: may be left out, from
 * the end) or `rest` (`[a, ...b[]]`: any number of `shape`, here at most one).
 */
export interface TupleElementShape {
  shape: Shape;
  role: "required" | "optional" | "rest";
}

export type Shape =
  /** `integer`: only integers (a hint no TypeScript type gives; the parent never sets it). */
  | { kind: "number"; integer?: true }
  | { kind: "string" }
  | { kind: "boolean" }
  | { kind: "bigint" }
  | { kind: "null" }
  | { kind: "undefined" }
  | LiteralShape
  /** `readonly` is informational: a readonly array is an array at run time. */
  | { kind: "array"; element: Shape; readonly?: true }
  | { kind: "tuple"; elements: TupleElementShape[]; readonly?: true }
  /** Declared properties, and the value type of the string or number index signature if there is one. */
  | { kind: "object"; properties: PropertyShape[]; index?: { key: IndexKey; value: Shape } }
  /** An index signature alone (`Record<string, V>`, `{ [k: number]: V }`). */
  | { kind: "record"; key: IndexKey; value: Shape }
  | { kind: "union"; members: Shape[] }
  | { kind: "map"; key: Shape; value: Shape; readonly?: true }
  | { kind: "set"; element: Shape; readonly?: true }
  | { kind: "date" }
  /** A recursive type: its shape is `definitions[name]` of the node's shape. */
  | { kind: "ref"; name: string }
  /** `unknown`, `any`, an unconstrained type parameter: any plain value, bounded in size. */
  | { kind: "anything" }
  | { kind: "unsupported"; why: string };

/**
 * The inputs of one node: what a caller passes. Generated values are only
 * ones a real caller could pass; when that cannot be promised for some
 * parameter (a class instance, a function, an overloaded signature…),
 * `unsupported` says why, and no input is generated for the node.
 */
export interface NodeShape {
  /** One shape per declared parameter (a rest parameter of tuple type is spread into these). */
  params: Shape[];
  /** Arguments from this index on may be left out (optional and defaulted parameters); absent: none may. */
  optionalFrom?: number;
  /** The element shape of a rest parameter. */
  rest?: Shape;
  /** The shape of `this` when the declaration types it; absent: the node is called on its natural receiver. */
  receiver?: Shape;
  /** Why no input can be generated (the first reason found). */
  unsupported?: string;
  /** Recursive types, by the names `ref` shapes use. */
  definitions: Record<string, Shape>;
}

/** The shapes directly inside a shape (not following refs). */
export function shapeChildren(s: Shape): Shape[] {
  switch (s.kind) {
    case "array":
    case "set":
      return [s.element];
    case "tuple":
      return s.elements.map((e) => e.shape);
    case "object":
      return [...s.properties.map((p) => p.shape), ...(s.index !== undefined ? [s.index.value] : [])];
    case "record":
      return [s.value];
    case "map":
      return [s.key, s.value];
    case "union":
      return s.members;
    default:
      return [];
  }
}
