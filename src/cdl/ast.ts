import type { Span } from "../diagnostics/index.js";
import type { Comment } from "./lexer.js";

/**
 * The typed AST of one CDL file, straight from the parser: every node has a
 * span of offsets into the file's text. Nothing here is checked yet; see
 * check.ts for what the checker guarantees afterwards.
 */
export interface CdlFile {
  file: string;
  items: Item[];
  comments: Comment[];
  span: Span;
}

export type Item = ImportItem | WorkloadItem | DefaultsItem | ConstraintItem | FlowItem;

export interface ImportItem {
  kind: "import";
  path: StringLiteral;
  span: Span;
}

export interface WorkloadItem {
  kind: "workload";
  path: StringLiteral;
  span: Span;
}

export interface DefaultsItem {
  kind: "defaults";
  block: Block;
  span: Span;
}

export interface ConstraintItem {
  kind: "constraint";
  selector: Selector;
  block: Block;
  span: Span;
}

export interface FlowItem {
  kind: "flow";
  from: Selector;
  to: Selector;
  block: Block;
  span: Span;
}

export interface Block {
  properties: Property[];
  span: Span;
}

export interface Property {
  key: string;
  keySpan: Span;
  value: Value;
  span: Span;
}

export type Value = Scalar | ComparisonValue | RangeValue | ListValue;

export type ComparisonOp = "<" | "<=" | ">" | ">=" | "==";

export interface ComparisonValue {
  kind: "comparison";
  op: ComparisonOp;
  opSpan: Span;
  operand: Scalar;
  span: Span;
}

export interface RangeValue {
  kind: "range";
  low: Scalar;
  high: Scalar;
  span: Span;
}

export interface ListValue {
  kind: "list";
  elements: Value[];
  span: Span;
}

export type Scalar = Quantity | StringLiteral | NameValue;

export interface Quantity {
  kind: "quantity";
  /** The number as written, underscores and sign included. */
  text: string;
  value: number;
  unit?: { text: string; span: Span };
  span: Span;
}

export interface StringLiteral {
  kind: "string";
  value: string;
  /** Set when the closing `"` is missing (already reported): later checks skip the value. */
  unterminated?: true;
  span: Span;
}

/** A dotted name (`Cart.total`); also `true`, `false`, `all`, `none` and bare words. */
export interface NameValue {
  kind: "name";
  parts: string[];
  span: Span;
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
