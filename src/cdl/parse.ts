import type { IRecognitionException, IToken } from "chevrotain";
import { catalog, createDiagnostic, sortDiagnostics, SourceText, type Diagnostic } from "../diagnostics/index.js";
import type { CdlFile, Item } from "./ast.js";
import { Scanner, type CdlToken } from "./lexer.js";
import { CdlParser, EOF, type SyntaxErrorPayload } from "./parser.js";
import { Constraint, Defaults, Flow, Import, NumberLit, StringLit, Workload } from "./tokens.js";

const itemKeywordTypes = new Set([Constraint, Defaults, Flow, Import, Workload]);

export interface ParseResult {
  ast: CdlFile;
  source: SourceText;
  diagnostics: Diagnostic[];
}

let shared: CdlParser | undefined;

/** The one parser instance: Chevrotain parsers are costly to build and cheap to reset. */
function parserInstance(): CdlParser {
  shared ??= new CdlParser();
  return shared;
}

/** How a token is named in a message: `}`, the name `foo`, the number `10`, end of file. */
function describeToken(t: IToken): string {
  if (t.tokenType === EOF || Number.isNaN(t.startOffset)) return "the end of the file";
  const image = t.image.length > 40 ? `${t.image.slice(0, 37)}…` : t.image;
  if (t.tokenType === StringLit) return `the string ${image}`;
  if (t.tokenType === NumberLit) {
    const { unit, unitStart } = t as CdlToken;
    if (unit !== undefined && unit !== "") return `\`${image}${unitStart > (t.endOffset ?? t.startOffset) + 1 ? " " : ""}${unit}\``;
    return `the number \`${image}\``;
  }
  if (/^[A-Za-z_$]/.test(t.image)) return `\`${image}\``;
  return `\`${image}\``;
}

function toDiagnostic(e: IRecognitionException, source: SourceText, tokens: readonly IToken[]): Diagnostic {
  let payload: SyntaxErrorPayload;
  try {
    payload = JSON.parse(e.message) as SyntaxErrorPayload;
  } catch {
    payload = { kind: "mismatch", expected: "something else" };
  }
  const t = e.token;
  const atEnd = t.tokenType === EOF || Number.isNaN(t.startOffset);
  const start = atEnd ? source.text.length : t.startOffset;
  const end = atEnd ? source.text.length : tokenEnd(t);
  const found = describeToken(t);
  // Chevrotain's `previousToken` is the last token skipped by recovery; the user means the one written before.
  const index = atEnd ? tokens.length : tokens.indexOf(t);
  const previous = index > 0 ? tokens[index - 1] : undefined;
  const after = previous && !Number.isNaN(previous.startOffset) ? afterText(source, previous) : undefined;
  if (payload.kind === "redundant") return expectedItem(source, t, skippedRunEnd(tokens, index, end));
  if (payload.kind === "no-value") {
    // `key:` at the end of a line: point right after the `:`, not at the next line's first token.
    const previousEnd = previous === undefined ? start : tokenEnd(previous);
    const span = source.position(previousEnd).line < source.position(start).line ? { start: previousEnd, end: previousEnd } : { start, end };
    return createDiagnostic(catalog.syntax.expectedValue, { key: payload.key ?? "…", found }, source.locate(span), {
      label: "expected a value here",
      help: "write a quantity such as `10ms`, a comparison such as `< 0.1%`, a range, a list, a name or a string",
    });
  }
  const diagnostic = createDiagnostic(catalog.syntax.unexpectedToken, { expected: payload.expected, found }, source.locate({ start, end }), {
    label: `expected ${payload.expected}`,
  });
  if (after !== undefined) diagnostic.help = `the parser stopped after \`${after}\``;
  return diagnostic;
}

function expectedItem(source: SourceText, first: IToken, end: number): Diagnostic {
  return createDiagnostic(catalog.syntax.expectedItem, { found: describeToken(first) }, source.locate({ start: first.startOffset, end }), {
    label: "not part of any item",
    help: 'start an item with `constraint NAME { … }`, `flow A -> B { … }`, `defaults { … }`, `import "file.cdl"` or `workload "module.ts"`',
  });
}

/**
 * End offset of the run of tokens that the parser skips from `index` when it
 * cannot start an item there: everything up to the next item keyword.
 */
function skippedRunEnd(tokens: readonly IToken[], index: number, fallback: number): number {
  if (index < 0 || index >= tokens.length) return fallback;
  let k = index + 1;
  while (k < tokens.length && !itemKeywordTypes.has(tokens[k]!.tokenType)) k++;
  return tokenEnd(tokens[k - 1]!);
}

/** End offset of a token; a number's unit is part of its token. */
function tokenEnd(t: IToken): number {
  const { unit, unitStart } = t as CdlToken;
  return unit !== undefined && unit !== "" ? unitStart + unit.length : (t.endOffset ?? t.startOffset) + 1;
}

/** The source text of the line up to and including the previous token, trimmed, for "after `…`". */
function afterText(source: SourceText, previous: IToken): string {
  const end = tokenEnd(previous);
  const { line } = source.position(previous.startOffset);
  const text = source.text.slice(source.lineStart(line), end).trim();
  return text.length > 60 ? `…${text.slice(-59)}` : text;
}

/**
 * Lexes and parses one CDL text into its AST. Never throws on bad input:
 * syntax errors come back as diagnostics and the AST holds what could be
 * recovered, so later stages can report their errors in the same run.
 */
export function parseCdl(text: string, file: string): ParseResult {
  return parseSource(new SourceText(file, text));
}

/**
 * Receives each item as soon as it is parsed; an item it takes (returns
 * true for) is left out of the AST. The checker takes constraints this way
 * so that a large file's tree never lives in full (see ModelChecker).
 */
export type ItemTaker = (item: Item) => boolean;

/**
 * `parseCdl` for a source already wrapped, optionally handing items to `take`
 * as they are parsed. With a taker the tree is partial, so comments (which
 * only the formatter reads, with the whole tree) are not kept either.
 */
export function parseSource(source: SourceText, take?: ItemTaker): ParseResult {
  const scanner = new Scanner(source, take === undefined);
  const parser = parserInstance();
  const diagnostics: Diagnostic[] = [];
  const items: Item[] = [];
  for (let chunk = scanner.nextChunk(CHUNK_TOKENS); chunk.length > 0; chunk = scanner.nextChunk(CHUNK_TOKENS)) {
    parseChunk(parser, chunk, scanner.strings, source, diagnostics, items, take);
  }
  diagnostics.push(...scanner.diagnostics);
  source.adoptLineStarts(scanner.lineStarts);
  const ast: CdlFile = { file: source.file, items, comments: scanner.comments, start: 0, end: source.text.length };
  return { ast, source, diagnostics: sortDiagnostics(diagnostics) };
}

/** Tokens per parser run: whole items, enough of them to amortize the parser's reset. */
const CHUNK_TOKENS = 512;

/**
 * Parses one chunk of whole items. The parser stops at a token that cannot
 * start an item; report it, skip to the next item keyword and parse the
 * rest, so later errors are found too.
 */
function parseChunk(
  parser: CdlParser, chunk: IToken[], strings: Map<number, string>, source: SourceText, diagnostics: Diagnostic[], items: Item[], take: ItemTaker | undefined,
): void {
  let tokens = chunk;
  for (;;) {
    for (const item of parser.parseFile(tokens, strings)) if (take === undefined || !take(item)) items.push(item);
    let stoppedAt: IToken | undefined;
    let lastErrorAt = -1;
    for (const e of parser.errors) {
      if (e.name === "NotAllInputParsedException") stoppedAt = e.token;
      // Recovery can fail twice on one token (a list and its block both unclosed): report it once.
      else if (e.token.startOffset !== lastErrorAt || Number.isNaN(e.token.startOffset)) diagnostics.push(toDiagnostic(e, source, tokens));
      lastErrorAt = e.token.startOffset;
    }
    if (stoppedAt === undefined) break;
    const stop = tokens.indexOf(stoppedAt);
    diagnostics.push(expectedItem(source, stoppedAt, skippedRunEnd(tokens, stop, tokenEnd(stoppedAt))));
    let k = stop + 1;
    while (k < tokens.length && !itemKeywordTypes.has(tokens[k]!.tokenType)) k++;
    if (k >= tokens.length) break;
    tokens = tokens.slice(k);
  }
}
