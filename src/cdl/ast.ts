import type { Span } from "../diagnostics/index.js";
import type { Comment } from "./lexer.js";

/**
 * The typed AST of one CDL file, straight from the parser: every node has
 * `start` and `end` offsets into the file's text (so a node is itself a
 * Span); they are fields rather than a nested object because large files
 * make millions of nodes. Nothing here is checked yet; see
 * check.ts for what the checker guarantees afterwards.
 */
export interface CdlFile {
  file: string;
  items: Item[];
  /** Empty when the parse handed items to a taker (see parseSource). */
  comments: Comment[];
  start: number;
  end: number;
}

export type Item = ImportItem | WorkloadItem | DefaultsItem | ConstraintItem | FlowItem;

export interface ImportItem {
  kind: "import";
  path: StringLiteral;
  start: number;
  end: number;
}

export interface WorkloadItem {
  kind: "workload";
  path: StringLiteral;
  start: number;
  end: number;
}

export interface DefaultsItem {
  kind: "defaults";
  block: Block;
  start: number;
  end: number;
}

export interface ConstraintItem {
  kind: "constraint";
  selector: Selector;
  block: Block;
  start: number;
  end: number;
}

export interface FlowItem {
  kind: "flow";
  from: Selector;
  to: Selector;
  block: Block;
  start: number;
  end: number;
}

export interface Block {
  properties: Property[];
  start: number;
  end: number;
}

export interface Property {
  key: string;
  /** Offset of the key; it ends at `keyStart + key.length`. */
  keyStart: number;
  value: Value;
  start: number;
  end: number;
}

export type Value = Scalar | ComparisonValue | RangeValue | ListValue;

export type ComparisonOp = "<" | "<=" | ">" | ">=" | "==";

export interface ComparisonValue {
  kind: "comparison";
  op: ComparisonOp;
  /** Offset of the operator; it ends at `opStart + op.length`. */
  opStart: number;
  operand: Scalar;
  start: number;
  end: number;
}

export interface RangeValue {
  kind: "range";
  low: Scalar;
  high: Scalar;
  start: number;
  end: number;
}

export interface ListValue {
  kind: "list";
  elements: Value[];
  start: number;
  end: number;
}

export type Scalar = Quantity | StringLiteral | NameValue;

export interface Quantity {
  kind: "quantity";
  /** The number as written, underscores and sign included. */
  text: string;
  value: number;
  /** The unit as written (`ms`, `%`, `/s`), if any, and its offset (-1 when none). */
  unit: string | undefined;
  unitStart: number;
  start: number;
  end: number;
}

export interface StringLiteral {
  kind: "string";
  value: string;
  /** Set when the closing `"` is missing (already reported): later checks skip the value. */
  unterminated?: true;
  start: number;
  end: number;
}

/** A dotted name (`Cart.total`); also `true`, `false`, `all`, `none` and bare words. */
export interface NameValue {
  kind: "name";
  parts: string[];
  start: number;
  end: number;
}

export type Selector = NameValue | StringLiteral;

/** The text a name stands for: its parts joined by dots. */
export function nameText(n: NameValue): string {
  return n.parts.join(".");
}

/** The text of a selector as the user wrote its meaning (unquoted). */
export function selectorText(s: Selector): string {
  return s.kind === "name" ? nameText(s) : s.value;
}

/** The span of a property's key. */
export function keySpan(p: Property): Span {
  return { start: p.keyStart, end: p.keyStart + p.key.length };
}

/** The span of a comparison's operator. */
export function opSpan(c: ComparisonValue): Span {
  return { start: c.opStart, end: c.opStart + c.op.length };
}

/** The span of a quantity's unit (empty at its end when there is none). */
export function unitSpan(q: Quantity): Span {
  return q.unit === undefined ? { start: q.end, end: q.end } : { start: q.unitStart, end: q.unitStart + q.unit.length };
}
