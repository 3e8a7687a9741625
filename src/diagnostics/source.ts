import type { Location, Span } from "./types.js";

/**
 * A source text with its line starts, to turn offsets into 1-based
 * line/column pairs and to fetch a line for rendering.
 */
export class SourceText {
  private starts: ArrayLike<number> | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  /** Offsets where lines begin, computed on first use: a file without diagnostics never needs them. */
  private get lineStarts(): ArrayLike<number> {
    if (this.starts !== undefined) return this.starts;
    const text = this.text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.starts = starts;
    return starts;
  }

  /**
   * Takes line starts found by a scan that read every character (the CDL
   * scanner's), so that a large file is not read again to find them. They
   * must be what `lineStarts` computes; ignored when those are known already.
   */
  adoptLineStarts(starts: ArrayLike<number>): void {
    this.starts ??= starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Index of the line found last: callers mostly ask in ascending order, so the next answer is usually on that line or soon after. */
  private lastLine = 0;

  /** 1-based line and column of an offset (clamped to the text). */
  position(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const index = this.lineIndex(o);
    return { line: index + 1, column: o - this.lineStarts[index]! + 1 };
  }

  /** 0-based index of the line holding an offset already clamped to the text. */
  private lineIndex(o: number): number {
    const starts = this.lineStarts;
    let lo = this.lastLine;
    if (starts[lo]! <= o && (lo + 1 >= starts.length || starts[lo + 1]! > o)) return lo;
    // A few lines further on: step, don't search.
    if (starts[lo]! <= o) {
      for (let k = 0; k < 8 && lo + 1 < starts.length && starts[lo + 1]! <= o; k++) lo++;
      if (lo + 1 >= starts.length || starts[lo + 1]! > o) return (this.lastLine = lo);
    }
    lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return (this.lastLine = lo);
  }

  /** 1-based line of an offset (clamped to the text); with `lineStart`, a position without an object. */
  lineOf(offset: number): number {
    return this.lineIndex(Math.max(0, Math.min(offset, this.text.length))) + 1;
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return "";
    const next = this.lineStarts[line];
    let end = next === undefined ? this.text.length : next;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return this.text.slice(start, end);
  }

  /** Offset of the start of a 1-based line. */
  lineStart(line: number): number {
    return this.lineStarts[line - 1] ?? this.text.length;
  }

  locate(span: Span): Location {
    const start = Math.max(0, Math.min(span.start, this.text.length));
    const end = Math.max(start, Math.min(span.end, this.text.length));
    const a = this.position(start);
    const b = this.position(end);
    return { file: this.file, start, end, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

/** The start of a file, for diagnostics about the file as a whole (unreadable, empty, misconfigured). */
export function fileStart(file: string): Location {
  return { file, start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
}
