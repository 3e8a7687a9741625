import type { IToken, TokenType } from "chevrotain";
import { catalog, createDiagnostic, type Diagnostic, type SourceText } from "../diagnostics/index.js";
import {
  Arrow, Colon, Comma, Dot, DotDot, EqEq, Ge, Gt, Identifier, itemKeywords, keywords, LBracket, LCurly, Le, Lt,
  NumberLit, RBracket, RCurly, Semicolon, StringLit, Unit,
} from "./tokens.js";

/** A comment, kept for the formatter. */
export interface Comment {
  kind: "line" | "block";
  start: number;
  end: number;
  text: string;
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

const isDigit = (c: number) => c >= Ch.Zero && c <= Ch.Nine;
const isIdentStart = (c: number) => (c >= Ch.a && c <= Ch.z) || (c >= Ch.A && c <= Ch.Z) || c === Ch.Underscore || c === Ch.Dollar;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);
const isHorizontalSpace = (c: number) => c === Ch.Space || c === Ch.Tab;
const isSpace = (c: number) => c === Ch.Space || c === Ch.LF || c === Ch.CR || c === Ch.Tab || c === Ch.VT || c === Ch.FF || c === Ch.Nbsp || c === Ch.Bom;

/** Characters that may begin a token (or comment), ending a run of unknown characters. */
const startsToken = (c: number) =>
  isIdentStart(c) || isDigit(c) || c === Ch.Quote || c === Ch.LCurly || c === Ch.RCurly || c === Ch.LBracket || c === Ch.RBracket ||
  c === Ch.Colon || c === Ch.Comma || c === Ch.Semi || c === Ch.Dot || c === Ch.Lt || c === Ch.Gt || c === Ch.Slash || c === Ch.Minus;

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
  const text = source.text;
  const n = text.length;
  const tokens: IToken[] = [];
  const comments: Comment[] = [];
  const diagnostics: Diagnostic[] = [];
  const strings = new Map<number, string>();
  let i = 0;

  const push = (type: TokenType, start: number, end: number) => {
    tokens.push({ image: text.slice(start, end), startOffset: start, endOffset: end - 1, tokenType: type, tokenTypeIdx: type.tokenTypeIdx! } as IToken);
  };
  const report = (def: Parameters<typeof createDiagnostic>[0], args: Record<string, string>, start: number, end: number, help?: string) => {
    diagnostics.push(createDiagnostic(def, args, source.locate({ start, end }), help === undefined ? {} : { help }));
  };

  /** Scans an identifier-like word starting at `from`; returns its end. */
  const wordEnd = (from: number) => {
    let j = from;
    if (text.charCodeAt(j) === Ch.Micro || text.charCodeAt(j) === Ch.Mu) j++;
    while (j < n && isIdentPart(text.charCodeAt(j))) j++;
    return j;
  };

  /** True when the next significant character after `from` is a `:` (the word is a property key). */
  const colonFollows = (from: number) => {
    let j = from;
    for (;;) {
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === Ch.Slash && text.charCodeAt(j + 1) === Ch.Star) {
        const close = text.indexOf("*/", j + 2);
        if (close < 0) return false;
        j = close + 2;
        continue;
      }
      return text.charCodeAt(j) === Ch.Colon;
    }
  };

  /** After a number: a unit written directly, or after spaces on the same line. */
  const scanUnit = () => {
    let j = i;
    while (j < n && isHorizontalSpace(text.charCodeAt(j))) j++;
    const spaced = j > i;
    const c = text.charCodeAt(j);
    if (c === Ch.Percent) {
      push(Unit, j, j + 1);
      i = j + 1;
      return;
    }
    if (c === Ch.Slash && isIdentStart(text.charCodeAt(j + 1))) {
      const end = wordEnd(j + 1);
      push(Unit, j, end);
      i = end;
      return;
    }
    if (isIdentStart(c) || c === Ch.Micro || c === Ch.Mu) {
      const end = wordEnd(j);
      if (spaced && (colonFollows(end) || itemKeywords.has(text.slice(j, end)))) return;
      push(Unit, j, end);
      i = end;
    }
  };

  const scanNumber = () => {
    const start = i;
    if (text.charCodeAt(i) === Ch.Minus) i++;
    const digitRun = () => {
      const runStart = i;
      while (i < n && (isDigit(text.charCodeAt(i)) || text.charCodeAt(i) === Ch.Underscore)) i++;
      const run = text.slice(runStart, i);
      if (run.startsWith("_") || run.endsWith("_") || run.includes("__")) return "an underscore must stand between two digits";
      return undefined;
    };
    let problem = digitRun();
    if (text.charCodeAt(i) === Ch.Dot && isDigit(text.charCodeAt(i + 1))) {
      i++;
      problem = digitRun() ?? problem;
    }
    const e = text.charCodeAt(i);
    if (e === Ch.e || e === Ch.E) {
      const sign = text.charCodeAt(i + 1);
      const expStart = sign === Ch.Plus || sign === Ch.Minus ? i + 2 : i + 1;
      if (isDigit(text.charCodeAt(expStart))) {
        i = expStart;
        problem = digitRun() ?? problem;
      }
    }
    if (problem !== undefined) report(catalog.syntax.malformedNumber, { text: text.slice(start, i), reason: problem }, start, i);
    push(NumberLit, start, i);
  };

  const scanString = () => {
    const start = i;
    i++;
    let value = "";
    let chunk = i;
    for (;;) {
      if (i >= n || text.charCodeAt(i) === Ch.LF || text.charCodeAt(i) === Ch.CR) {
        value += text.slice(chunk, i);
        report(catalog.syntax.unterminatedString, {}, start, i, 'close the string with `"` on the same line');
        break;
      }
      const c = text.charCodeAt(i);
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
          const escEnd = next === "u" ? Math.min(n, i + 6) : Math.min(n, i + 2);
          report(catalog.syntax.invalidEscape, { escape: text.slice(i, escEnd) }, i, escEnd, "use a JSON escape such as `\\\\`, `\\\"`, `\\n` or `\\u00b5`");
          i = next === "" || next === "\n" ? i + 1 : i + 2;
        }
        chunk = i;
        continue;
      }
      i++;
    }
    strings.set(start, value);
    push(StringLit, start, i);
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Slash) {
      let j = i + 2;
      while (j < n && text.charCodeAt(j) !== Ch.LF && text.charCodeAt(j) !== Ch.CR) j++;
      comments.push({ kind: "line", start: i, end: j, text: text.slice(i, j) });
      i = j;
      continue;
    }
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) {
      const close = text.indexOf("*/", i + 2);
      const end = close < 0 ? n : close + 2;
      if (close < 0) report(catalog.syntax.unterminatedComment, {}, i, i + 2, "close the comment with `*/`");
      comments.push({ kind: "block", start: i, end, text: text.slice(i, end) });
      i = end;
      continue;
    }
    if (isDigit(c) || (c === Ch.Minus && isDigit(text.charCodeAt(i + 1)))) {
      scanNumber();
      scanUnit();
      continue;
    }
    if (isIdentStart(c)) {
      const end = wordEnd(i);
      push(keywords.get(text.slice(i, end)) ?? Identifier, i, end);
      i = end;
      continue;
    }
    switch (c) {
      case Ch.Quote:
        scanString();
        continue;
      case Ch.LCurly: push(LCurly, i, ++i); continue;
      case Ch.RCurly: push(RCurly, i, ++i); continue;
      case Ch.LBracket: push(LBracket, i, ++i); continue;
      case Ch.RBracket: push(RBracket, i, ++i); continue;
      case Ch.Colon: push(Colon, i, ++i); continue;
      case Ch.Comma: push(Comma, i, ++i); continue;
      case Ch.Semi: push(Semicolon, i, ++i); continue;
      case Ch.Dot:
        if (text.charCodeAt(i + 1) === Ch.Dot) push(DotDot, i, (i += 2));
        else push(Dot, i, ++i);
        continue;
      case Ch.Minus:
        if (text.charCodeAt(i + 1) === Ch.Gt) {
          push(Arrow, i, (i += 2));
          continue;
        }
        break;
      case Ch.Lt:
        if (text.charCodeAt(i + 1) === Ch.Eq) push(Le, i, (i += 2));
        else push(Lt, i, ++i);
        continue;
      case Ch.Gt:
        if (text.charCodeAt(i + 1) === Ch.Eq) push(Ge, i, (i += 2));
        else push(Gt, i, ++i);
        continue;
      case Ch.Eq:
        if (text.charCodeAt(i + 1) === Ch.Eq) {
          push(EqEq, i, (i += 2));
          continue;
        }
        report(catalog.syntax.unexpectedCharacter, { char: "=" }, i, i + 1, "a property is written `key: value`; equality is `==`");
        i++;
        continue;
      case Ch.Percent:
      case Ch.Micro:
      case Ch.Mu:
        // A unit right after a number was taken by scanUnit; here it stands alone.
        report(catalog.syntax.unexpectedCharacter, { char: text[i]! }, i, i + 1, "a unit must follow a number, as in `10µs` or `0.1%`");
        i++;
        continue;
    }
    // Anything else: one diagnostic for a whole run of unknown characters.
    const start = i;
    do i += text.codePointAt(i)! > 0xffff ? 2 : 1;
    while (i < n && !isSpace(text.charCodeAt(i)) && !startsToken(text.charCodeAt(i)));
    report(catalog.syntax.unexpectedCharacter, { char: text.slice(start, i) }, start, i);
  }
  return { tokens, comments, diagnostics, strings };
}
