import type { IToken, TokenType } from "chevrotain";
import { catalog, createDiagnostic, type Diagnostic, type DiagnosticDefinition, type SourceText } from "../diagnostics/index.js";
import {
  Arrow, Colon, Comma, Dot, DotDot, EqEq, Ge, Gt, Identifier, itemKeywords, keywords, LBracket, LCurly, Le, Lt,
  NumberLit, RBracket, RCurly, Semicolon, StringLit,
} from "./tokens.js";

/** A comment, kept for the formatter. */
export interface Comment {
  kind: "line" | "block";
  start: number;
  end: number;
  text: string;
}

/**
 * A Chevrotain token with the unit of a number folded in: `unit` is its
 * text (empty when there is none or the token is not a number) and
 * `unitStart` its offset. Every token has the same shape, so property
 * access in the parser stays monomorphic.
 */
export interface CdlToken extends IToken {
  unit: string;
  unitStart: number;
}

export interface LexResult {
  tokens: IToken[];
  comments: Comment[];
  diagnostics: Diagnostic[];
  /** Decoded string values, by token start offset. */
  strings: Map<number, string>;
}

const enum Ch {
  Tab = 9, LF = 10, VT = 11, FF = 12, CR = 13, Space = 32, Quote = 34, Dollar = 36, Percent = 37,
  Comma = 44, Minus = 45, Dot = 46, Slash = 47, Zero = 48, Nine = 57, Colon = 58, Semi = 59, Lt = 60,
  Eq = 61, Gt = 62, A = 65, Z = 90, LBracket = 91, Backslash = 92, RBracket = 93, Underscore = 95,
  a = 97, e = 101, E = 69, z = 122, LCurly = 123, RCurly = 125, Star = 42, Plus = 43, Micro = 0xb5,
  Mu = 0x3bc, Nbsp = 0xa0, Bom = 0xfeff,
}

/** Character classes of the ASCII range, one table lookup per character in the scanner's hot loops. */
const DIGIT = 1;
const IDENT_START = 2;
const SPACE = 4;
const asciiClass = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c >= Ch.Zero && c <= Ch.Nine) asciiClass[c] = DIGIT;
  else if ((c >= Ch.a && c <= Ch.z) || (c >= Ch.A && c <= Ch.Z) || c === Ch.Underscore || c === Ch.Dollar) asciiClass[c] = IDENT_START;
  else if (c === Ch.Space || c === Ch.LF || c === Ch.CR || c === Ch.Tab || c === Ch.VT || c === Ch.FF) asciiClass[c] = SPACE;
}
const isDigit = (c: number) => c < 128 && asciiClass[c] === DIGIT;
const isIdentStart = (c: number) => c < 128 && asciiClass[c] === IDENT_START;
const isIdentPart = (c: number) => c < 128 && (asciiClass[c]! & (DIGIT | IDENT_START)) !== 0;
const isHexDigit = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isHorizontalSpace = (c: number) => c === Ch.Space || c === Ch.Tab;
const isSpace = (c: number) => (c < 128 ? asciiClass[c] === SPACE : c === Ch.Nbsp || c === Ch.Bom);

/** Characters that may begin a token (or comment), ending a run of unknown characters. */
const startsToken = (c: number) =>
  isIdentStart(c) || isDigit(c) || c === Ch.Quote || c === Ch.LCurly || c === Ch.RCurly || c === Ch.LBracket || c === Ch.RBracket ||
  c === Ch.Colon || c === Ch.Comma || c === Ch.Semi || c === Ch.Dot || c === Ch.Lt || c === Ch.Gt || c === Ch.Slash || c === Ch.Minus;

/** The keyword token type of a word, if it is one; checks length and first letter before hashing. */
function keywordType(word: string): TokenType | undefined {
  const n = word.length;
  if (n < 4 || n > 10) return undefined;
  const c = word.charCodeAt(0);
  if (c !== 99 /* c */ && c !== 100 /* d */ && c !== 105 /* i */ && c !== 119 /* w */ && c !== 102 /* f */) return undefined;
  return keywords.get(word);
}

const simpleEscapes: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/**
 * Scans CDL text into Chevrotain tokens in one pass over char codes. It is
 * hand-written rather than a Chevrotain Lexer because a unit may follow its
 * number after spaces (`10 ms`) but a property key may too (`max_calls: 100
 * max_volume: 1KB` has optional separators): a word after a number is a unit
 * unless a `:` follows it or a line break precedes it. It never throws; bad
 * input becomes diagnostics and the scan goes on.
 */
export function lex(source: SourceText): LexResult {
  const scanner = new Scanner(source);
  const tokens = scanner.nextChunk(Infinity);
  return { tokens, comments: scanner.comments, diagnostics: scanner.diagnostics, strings: scanner.strings };
}

/**
 * The scanner's state lives in fields so the hot loop stays monomorphic and
 * allocation-free. It hands out tokens in chunks of whole top-level items
 * (`nextChunk`), whose token objects the next chunk reuses, instead of all
 * of a large file's tokens living until the parse ends, which made the
 * front end GC-bound.
 */
export class Scanner {
  private readonly text: string;
  private readonly n: number;
  private pos = 0;
  /** Nesting of `{}` and `[]`: chunks split only at the top level. */
  private depth = 0;
  /**
   * Token objects, reused from chunk to chunk: a chunk's tokens are dead
   * once the parser has turned it into AST nodes (which copy what they
   * need), and a large file's tokens were a third of all the front end
   * allocated. So a chunk is valid only until the next call.
   */
  private readonly pool: CdlToken[] = [];
  /**
   * The chunk handed out: the first `pooled` tokens of the pool. The same
   * array every time, its length set per chunk, because an array grown by
   * `push` from empty reallocates its storage nine times on the way to a
   * chunk's 600 tokens.
   */
  private readonly chunk: IToken[] = [];
  private pooled = 0;
  readonly comments: Comment[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly strings = new Map<number, string>();
  /**
   * Offsets where lines begin, as SourceText computes them (after `\n`, `\r\n`
   * or a lone `\r`), the first `lineCount` of them. Line breaks occur only in
   * blanks and block comments, which the scanner reads anyway, so a large
   * file is not read a second time to find them. A typed array, because the
   * garbage collector neither scans nor copies its contents.
   */
  private lineStartOffsets: Int32Array;
  private lineCount = 1;

  /** The line starts found so far; all of them once the whole text is scanned. */
  get lineStarts(): Int32Array {
    return this.lineStartOffsets.subarray(0, this.lineCount);
  }

  private lineStartsAt(offset: number): void {
    if (this.lineCount === this.lineStartOffsets.length) {
      const larger = new Int32Array(this.lineCount * 2);
      larger.set(this.lineStartOffsets);
      this.lineStartOffsets = larger;
    }
    this.lineStartOffsets[this.lineCount++] = offset;
  }

  /**
   * `keepComments`: whether to collect `comments` (for the formatter). A
   * compile has no use for them, and a large file's comments lived until
   * its end, which made the garbage collector copy them.
   */
  constructor(
    private readonly source: SourceText,
    private readonly keepComments = true,
  ) {
    this.text = source.text;
    this.n = source.text.length;
    // Room for lines of 32 characters on average: growing allocates a new buffer.
    this.lineStartOffsets = new Int32Array(Math.max(256, this.n >> 5));
  }

  /**
   * Scans on and returns the next tokens: at least `minTokens` of them when
   * the text has that many, ending just before an item keyword that starts
   * a new top-level item (or at the end of the text; empty when done).
   * The token objects are reused by the next call (see `pool`).
   */
  nextChunk(minTokens: number): IToken[] {
    this.pooled = 0;
    const text = this.text;
    const n = this.n;
    while (this.pos < n) {
      const i = this.pos;
      const c = text.charCodeAt(i);
      if (isSpace(c)) {
        if (c === Ch.LF || (c === Ch.CR && text.charCodeAt(i + 1) !== Ch.LF)) this.lineStartsAt(i + 1);
        this.pos = i + 1;
        continue;
      }
      if (isIdentStart(c)) {
        const end = this.wordEnd(i);
        const image = text.slice(i, end);
        const keyword = keywordType(image);
        if (keyword !== undefined && this.pooled >= minTokens && this.atItemBoundary()) return this.chunkSoFar();
        this.push(keyword ?? Identifier, i, end, image);
        this.pos = end;
        continue;
      }
      if (isDigit(c) || (c === Ch.Minus && isDigit(text.charCodeAt(i + 1)))) {
        this.scanNumber();
        this.scanUnit();
        continue;
      }
      switch (c) {
        case Ch.Quote:
          this.scanString();
          continue;
        case Ch.LCurly: this.depth++; this.punct(LCurly, "{"); continue;
        case Ch.RCurly: this.depth--; this.punct(RCurly, "}"); continue;
        case Ch.LBracket: this.depth++; this.punct(LBracket, "["); continue;
        case Ch.RBracket: this.depth--; this.punct(RBracket, "]"); continue;
        case Ch.Colon: this.punct(Colon, ":"); continue;
        case Ch.Comma: this.punct(Comma, ","); continue;
        case Ch.Semi: this.punct(Semicolon, ";"); continue;
        case Ch.Dot:
          if (text.charCodeAt(i + 1) === Ch.Dot) this.punct(DotDot, "..");
          else this.punct(Dot, ".");
          continue;
        case Ch.Slash:
          if (text.charCodeAt(i + 1) === Ch.Slash) {
            this.lineComment();
            continue;
          }
          if (text.charCodeAt(i + 1) === Ch.Star) {
            this.blockComment();
            continue;
          }
          break;
        case Ch.Minus:
          if (text.charCodeAt(i + 1) === Ch.Gt) {
            this.punct(Arrow, "->");
            continue;
          }
          break;
        case Ch.Lt:
          if (text.charCodeAt(i + 1) === Ch.Eq) this.punct(Le, "<=");
          else this.punct(Lt, "<");
          continue;
        case Ch.Gt:
          if (text.charCodeAt(i + 1) === Ch.Eq) this.punct(Ge, ">=");
          else this.punct(Gt, ">");
          continue;
        case Ch.Eq:
          if (text.charCodeAt(i + 1) === Ch.Eq) {
            this.punct(EqEq, "==");
            continue;
          }
          this.report(catalog.syntax.unexpectedCharacter, { char: "=" }, i, i + 1, "a property is written `key: value`; equality is `==`");
          // `key = value` is a typo for `key: value`: read it as `:` so that no second error follows.
          if (this.equalsStandsForColon()) this.push(Colon, i, i + 1, "=");
          this.pos = i + 1;
          continue;
        case Ch.Percent:
        case Ch.Micro:
        case Ch.Mu:
          // A unit right after a number was taken by scanUnit; here it stands alone.
          this.report(catalog.syntax.unexpectedCharacter, { char: text[i]! }, i, i + 1, "a unit must follow a number, as in `10µs` or `0.1%`");
          this.pos = i + 1;
          continue;
      }
      this.unknownRun();
    }
    return this.chunkSoFar();
  }

  private chunkSoFar(): IToken[] {
    this.chunk.length = this.pooled;
    return this.chunk;
  }

  /** The token scanned last in this chunk. */
  private get lastToken(): CdlToken | undefined {
    return this.pooled > 0 ? this.pool[this.pooled - 1] : undefined;
  }

  /** After a complete item, outside any block: where a chunk may end. */
  private atItemBoundary(): boolean {
    if (this.depth > 0) return false;
    const last = this.lastToken?.tokenType;
    return last === RCurly || last === Semicolon || last === StringLit;
  }

  /** Whether the `=` at `pos` stands where a property's `:` belongs: after a name, with no `:` following. */
  private equalsStandsForColon(): boolean {
    const last = this.lastToken;
    if (last === undefined || (last.tokenType !== Identifier && !keywords.has(last.image))) return false;
    // `key =: value` has its `:` already.
    let j = this.pos + 1;
    while (j < this.n && isHorizontalSpace(this.text.charCodeAt(j))) j++;
    return this.text.charCodeAt(j) !== Ch.Colon;
  }

  private push(type: TokenType, start: number, end: number, image: string) {
    let token = this.pool[this.pooled];
    if (token === undefined) {
      token = { image, startOffset: start, endOffset: end - 1, tokenType: type, tokenTypeIdx: type.tokenTypeIdx!, unit: "", unitStart: -1 };
      this.pool.push(token);
    } else {
      token.image = image;
      token.startOffset = start;
      token.endOffset = end - 1;
      token.tokenType = type;
      token.tokenTypeIdx = type.tokenTypeIdx!;
      token.unit = "";
      token.unitStart = -1;
    }
    this.chunk[this.pooled++] = token;
  }

  /** A punctuation token; its image is the literal, not a slice of the text (slicing allocated a string per token). */
  private punct(type: TokenType, image: string) {
    const start = this.pos;
    this.pos = start + image.length;
    this.push(type, start, this.pos, image);
  }

  private report(def: DiagnosticDefinition, args: Record<string, string>, start: number, end: number, help?: string) {
    this.diagnostics.push(createDiagnostic(def, args, this.source.locate({ start, end }), help === undefined ? {} : { help }));
  }

  /** Scans an identifier-like word (a unit may start with `µ`) from `from`; returns its end. */
  private wordEnd(from: number): number {
    const text = this.text;
    let j = from;
    const c = text.charCodeAt(j);
    if (c === Ch.Micro || c === Ch.Mu) j++;
    while (j < this.n && isIdentPart(text.charCodeAt(j))) j++;
    return j;
  }

  /** True when the next significant character after `from` is a `:` (the word is a property key). */
  private colonFollows(from: number): boolean {
    const text = this.text;
    let j = from;
    for (;;) {
      while (j < this.n && isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === Ch.Slash && text.charCodeAt(j + 1) === Ch.Star) {
        const close = text.indexOf("*/", j + 2);
        if (close < 0) return false;
        j = close + 2;
        continue;
      }
      return text.charCodeAt(j) === Ch.Colon;
    }
  }

  /** After a number: a unit written directly, or after spaces on the same line. */
  private scanUnit() {
    const text = this.text;
    const i = this.pos;
    let j = i;
    while (j < this.n && isHorizontalSpace(text.charCodeAt(j))) j++;
    const spaced = j > i;
    const c = text.charCodeAt(j);
    let end: number;
    if (c === Ch.Percent) end = j + 1;
    else if (c === Ch.Slash && isIdentStart(text.charCodeAt(j + 1))) end = this.wordEnd(j + 1);
    else if (isIdentStart(c) || c === Ch.Micro || c === Ch.Mu) {
      end = this.wordEnd(j);
      if (spaced && (this.colonFollows(end) || itemKeywords.has(text.slice(j, end)))) return;
    } else return;
    // The unit belongs to the number token just pushed: one token per quantity keeps the parser lean.
    const number = this.lastToken!;
    number.unit = text.slice(j, end);
    number.unitStart = j;
    this.pos = end;
  }

  /** Scans digits and underscores from `pos`; returns a problem with the underscores, if any. */
  private digitRun(): string | undefined {
    const text = this.text;
    const start = this.pos;
    let j = start;
    let bad = false;
    let previousUnderscore = true;
    for (; j < this.n; j++) {
      const c = text.charCodeAt(j);
      if (c === Ch.Underscore) {
        if (previousUnderscore) bad = true;
        previousUnderscore = true;
      } else if (isDigit(c)) previousUnderscore = false;
      else break;
    }
    this.pos = j;
    return bad || previousUnderscore ? "an underscore must stand between two digits" : undefined;
  }

  private scanNumber() {
    const text = this.text;
    const start = this.pos;
    if (text.charCodeAt(this.pos) === Ch.Minus) this.pos++;
    let problem = this.digitRun();
    if (text.charCodeAt(this.pos) === Ch.Dot && isDigit(text.charCodeAt(this.pos + 1))) {
      this.pos++;
      problem = this.digitRun() ?? problem;
    }
    const e = text.charCodeAt(this.pos);
    if (e === Ch.e || e === Ch.E) {
      const sign = text.charCodeAt(this.pos + 1);
      const expStart = sign === Ch.Plus || sign === Ch.Minus ? this.pos + 2 : this.pos + 1;
      if (isDigit(text.charCodeAt(expStart))) {
        this.pos = expStart;
        problem = this.digitRun() ?? problem;
      } else if (expStart === this.pos + 2) {
        // `1e+` or `1e-`: a sign makes it an exponent, not the unit `e`.
        this.pos = expStart;
        problem = "an exponent needs digits after `e`";
      }
    }
    const image = text.slice(start, this.pos);
    if (problem !== undefined) {
      const fixed = image.replace(/_+/g, "_").replace(/(^-?|[^0-9])_|_(?=[^0-9]|$)/g, "$1");
      const help = /_/.test(image) && fixed !== image ? `write \`${fixed}\`` : undefined;
      this.report(catalog.syntax.malformedNumber, { text: image, reason: problem }, start, this.pos, help);
    }
    this.push(NumberLit, start, this.pos, image);
  }

  private scanString() {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    let value = "";
    let chunk = i;
    for (;;) {
      const c = text.charCodeAt(i);
      if (i >= this.n || c === Ch.LF || c === Ch.CR) {
        value += text.slice(chunk, i);
        this.report(catalog.syntax.unterminatedString, {}, start, i, 'close the string with `"` on the same line');
        break;
      }
      if (c === Ch.Quote) {
        value += text.slice(chunk, i);
        i++;
        break;
      }
      if (c === Ch.Backslash) {
        value += text.slice(chunk, i);
        const next = text[i + 1] ?? "";
        if (next in simpleEscapes) {
          value += simpleEscapes[next];
          i += 2;
        } else if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          // `\u` takes four hex digits: show the ones present, not the letters after them.
          let escEnd = Math.min(this.n, i + 2);
          if (next === "u") while (escEnd < i + 6 && isHexDigit(text.charCodeAt(escEnd))) escEnd++;
          this.report(catalog.syntax.invalidEscape, { escape: text.slice(i, escEnd) }, i, escEnd, "write `\\\\` for a backslash (paths take `/`); the escapes are `\\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t` and `\\uXXXX`");
          i = next === "" || next === "\n" || next === "\r" ? i + 1 : i + 2;
        }
        chunk = i;
        continue;
      }
      i++;
    }
    this.strings.set(start, value);
    this.pos = i;
    this.push(StringLit, start, i, text.slice(start, i));
  }

  private lineComment() {
    const text = this.text;
    const start = this.pos;
    let j = start + 2;
    while (j < this.n && text.charCodeAt(j) !== Ch.LF && text.charCodeAt(j) !== Ch.CR) j++;
    if (this.keepComments) this.comments.push({ kind: "line", start, end: j, text: text.slice(start, j) });
    this.pos = j;
  }

  private blockComment() {
    const start = this.pos;
    const close = this.text.indexOf("*/", start + 2);
    const end = close < 0 ? this.n : close + 2;
    if (close < 0) this.report(catalog.syntax.unterminatedComment, {}, start, start + 2, "close the comment with `*/`");
    for (let j = start + 2; j < end; j++) {
      const c = this.text.charCodeAt(j);
      if (c === Ch.LF || (c === Ch.CR && this.text.charCodeAt(j + 1) !== Ch.LF)) this.lineStartsAt(j + 1);
    }
    if (this.keepComments) this.comments.push({ kind: "block", start, end, text: this.text.slice(start, end) });
    this.pos = end;
  }

  /** One diagnostic for a whole run of characters that cannot start a token. */
  private unknownRun() {
    const text = this.text;
    const start = this.pos;
    let i = start;
    do i += text.codePointAt(i)! > 0xffff ? 2 : 1;
    while (i < this.n && !isSpace(text.charCodeAt(i)) && !startsToken(text.charCodeAt(i)));
    this.report(catalog.syntax.unexpectedCharacter, { char: text.slice(start, i) }, start, i);
    this.pos = i;
  }
}
