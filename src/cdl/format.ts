import type { Block, CdlFile, Item, Property, Scalar, Selector, Value } from "./ast.js";
import type { Comment } from "./lexer.js";

const INDENT = "  ";
const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Canonical formatting of a parsed CDL file. Layout: one item per line or
 * block, one property per line without separators, two-space indent, a
 * blank line around blocks, quantities without a space before the unit,
 * strings re-escaped as JSON. Comments are kept: each is printed before
 * the item or property it precedes, or after it on the same line when it
 * trails it; a comment inside a value moves to the line before the
 * property. Single blank lines between properties and items are kept.
 *
 * Only call on a file without syntax errors: recovered ASTs lack tokens.
 */
export function formatCdl(ast: CdlFile, text: string): string {
  return new Formatter(ast, text).format();
}

class Formatter {
  private readonly out: string[] = [];
  private next = 0;
  private readonly comments: Comment[];

  constructor(
    private readonly ast: CdlFile,
    private readonly text: string,
  ) {
    this.comments = ast.comments;
  }

  format(): string {
    let previous: Item | undefined;
    for (const item of this.ast.items) {
      const blankBefore = previous !== undefined && (isBlockItem(item) || isBlockItem(previous) || this.hadBlankLine(previous.end, this.firstCommentStartBefore(item.start)));
      if (blankBefore) this.out.push("");
      this.leadingComments(item.start, "");
      this.item(item);
      previous = item;
    }
    const rest = this.comments.slice(this.next);
    if (rest.length > 0) {
      if (previous !== undefined && this.hadBlankLine(previous.end, rest[0]!.start)) this.out.push("");
      this.leadingComments(Infinity, "");
    }
    while (this.out.length > 0 && this.out[this.out.length - 1] === "") this.out.pop();
    return this.out.length === 0 ? "" : this.out.join("\n") + "\n";
  }

  /** Start of the first unprinted comment before `offset`, or `offset`. */
  private firstCommentStartBefore(offset: number): number {
    const c = this.comments[this.next];
    return c !== undefined && c.start < offset ? c.start : offset;
  }

  private hadBlankLine(from: number, to: number): boolean {
    const between = this.text.slice(from, to);
    return /\n[ \t]*\r?\n/.test(between);
  }

  /**
   * Prints, on their own lines, all unprinted comments that start before
   * `offset`, keeping a blank line between them and before `nodeStart`
   * where the source had one.
   */
  private leadingComments(offset: number, indent: string, nodeStart = offset) {
    let printed: Comment | undefined;
    while (this.next < this.comments.length && this.comments[this.next]!.start < offset) {
      const c = this.comments[this.next]!;
      // A blank line after the previous comment counts only when nothing but space follows it: otherwise
      // the blank line is before code already printed (`{ // a` … `}` … `{ /* b */`), not before this comment.
      const prevEnd = this.next > 0 ? this.comments[this.next - 1]!.end : -1;
      const adjacent = prevEnd >= 0 && this.text.slice(prevEnd, c.start).trim() === "";
      if (this.out.length > 0 && this.out[this.out.length - 1] !== "" && adjacent && this.hadBlankLine(prevEnd, c.start)) this.out.push("");
      this.out.push(...commentLines(c, indent));
      this.next++;
      printed = c;
    }
    if (printed !== undefined && nodeStart !== Infinity && printed.end <= nodeStart && this.hadBlankLine(printed.end, nodeStart)) this.out.push("");
  }

  /** Appends a comment that starts on the line where `end` is, after the text just printed. */
  private trailingComment(end: number) {
    const c = this.comments[this.next];
    if (c === undefined || c.kind !== "line" || /[\r\n]/.test(this.text.slice(end, c.start))) return;
    this.out[this.out.length - 1] += ` ${c.text.trimEnd()}`;
    this.next++;
  }

  private item(item: Item) {
    switch (item.kind) {
      case "import":
      case "workload":
        this.out.push(`${item.kind} ${str(item.path.value)}`);
        this.trailingComment(item.end);
        return;
      case "defaults":
        this.block("defaults", item.block);
        return;
      case "constraint":
        this.block(`constraint ${selector(item.selector)}`, item.block);
        return;
      case "flow":
        this.block(`flow ${selector(item.from)} -> ${selector(item.to)}`, item.block);
        return;
    }
  }

  private block(head: string, block: Block) {
    // Comments between the head and `{` move before the item.
    this.leadingComments(block.start, "");
    if (block.properties.length === 0 && !this.commentBefore(block.end)) {
      this.out.push(`${head} {}`);
      this.trailingComment(block.end);
      return;
    }
    this.out.push(`${head} {`);
    this.trailingComment(block.start + 1);
    let previous: Property | undefined;
    for (const p of block.properties) {
      if (previous !== undefined && this.hadBlankLine(previous.end, this.firstCommentStartBefore(p.start))) this.out.push("");
      this.leadingComments(p.end, INDENT, p.start);
      this.out.push(`${INDENT}${p.key}: ${value(p.value)}`);
      this.trailingComment(afterSeparator(this.text, p.end));
      previous = p;
    }
    this.leadingComments(block.end - 1, INDENT);
    this.out.push("}");
    this.trailingComment(block.end);
  }

  private commentBefore(offset: number): boolean {
    const c = this.comments[this.next];
    return c !== undefined && c.start < offset;
  }
}

/** Skips a `,` or `;` right after a property so a trailing comment after it still trails. */
function afterSeparator(text: string, end: number): number {
  let i = end;
  while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
  return text[i] === "," || text[i] === ";" ? i + 1 : end;
}

function isBlockItem(item: Item): boolean {
  return item.kind === "defaults" || item.kind === "constraint" || item.kind === "flow";
}

function commentLines(c: Comment, indent: string): string[] {
  if (c.kind === "line") return [indent + c.text.trimEnd()];
  return c.text.split(/\r?\n/).map((line, i) => (i === 0 ? indent + line.trimEnd() : line.trimEnd()));
}

function str(s: string): string {
  return JSON.stringify(s);
}

function selector(s: Selector): string {
  return s.kind === "name" ? s.parts.join(".") : str(s.value);
}

function scalar(s: Scalar): string {
  switch (s.kind) {
    case "quantity":
      return s.text + (s.unit ?? "");
    case "string":
      return str(s.value);
    case "name":
      return s.parts.every((p) => identifier.test(p)) ? s.parts.join(".") : str(s.parts.join("."));
  }
}

function value(v: Value): string {
  switch (v.kind) {
    case "comparison":
      return `${v.op} ${scalar(v.operand)}`;
    case "range":
      return `${scalar(v.low)}..${scalar(v.high)}`;
    case "list":
      return `[${v.elements.map(value).join(", ")}]`;
    default:
      return scalar(v);
  }
}
