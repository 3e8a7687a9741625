import type { IRecognitionException, IToken } from "chevrotain";
import { catalog, createDiagnostic, SourceText, type Diagnostic } from "../diagnostics/index.js";
import type { CdlFile, Item } from "./ast.js";
import { lex } from "./lexer.js";
import { CdlParser, EOF, type SyntaxErrorPayload } from "./parser.js";
import { Constraint, Defaults, Flow, Import, NumberLit, StringLit, Unit, Workload } from "./tokens.js";

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
export function describeToken(t: IToken): string {
  if (t.tokenType === EOF || Number.isNaN(t.startOffset)) return "the end of the file";
  const image = t.image.length > 40 ? `${t.image.slice(0, 37)}…` : t.image;
  if (t.tokenType === StringLit) return `the string ${image}`;
  if (t.tokenType === NumberLit) return `the number \`${image}\``;
  if (t.tokenType === Unit) return `the unit \`${image}\``;
  if (/^[A-Za-z_$]/.test(t.image)) return `\`${image}\``;
  return `\`${image}\``;
}

function toDiagnostic(e: IRecognitionException, source: SourceText): Diagnostic {
  let payload: SyntaxErrorPayload;
  try {
    payload = JSON.parse(e.message) as SyntaxErrorPayload;
  } catch {
    payload = { kind: "mismatch", expected: "something else" };
  }
  const t = e.token;
  const atEnd = t.tokenType === EOF || Number.isNaN(t.startOffset);
  const start = atEnd ? source.text.length : t.startOffset;
  const end = atEnd ? source.text.length : (t.endOffset ?? t.startOffset) + 1;
  const found = describeToken(t);
  const previous = (e as { previousToken?: IToken }).previousToken;
  const after = previous && !Number.isNaN(previous.startOffset) ? afterText(source, previous) : undefined;
  if (payload.kind === "redundant") {
    const skipped = e.resyncedTokens.filter((r) => !Number.isNaN(r.startOffset));
    const last = skipped[skipped.length - 1];
    return expectedItem(source, t, last === undefined ? end : (last.endOffset ?? last.startOffset) + 1);
  }
  if (payload.kind === "no-value") {
    return createDiagnostic(catalog.syntax.expectedValue, { key: payload.key ?? "…", found }, source.locate({ start, end }), {
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

/** The source text of the line up to and including the previous token, trimmed, for "after `…`". */
function afterText(source: SourceText, previous: IToken): string {
  const end = (previous.endOffset ?? previous.startOffset) + 1;
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
  const source = new SourceText(file, text);
  const lexed = lex(source);
  const parser = parserInstance();
  const diagnostics = [...lexed.diagnostics];
  const items: Item[] = [];
  let tokens = lexed.tokens;
  // The parser stops at a token that cannot start an item; report it, skip to
  // the next item keyword and parse the rest, so later errors are found too.
  for (;;) {
    items.push(...parser.parseFile(tokens, lexed.strings));
    let stoppedAt: IToken | undefined;
    let lastErrorAt = -1;
    for (const e of parser.errors) {
      if (e.name === "NotAllInputParsedException") stoppedAt = e.token;
      // Recovery can fail twice on one token (a list and its block both unclosed): report it once.
      else if (e.token.startOffset !== lastErrorAt || Number.isNaN(e.token.startOffset)) diagnostics.push(toDiagnostic(e, source));
      lastErrorAt = e.token.startOffset;
    }
    if (stoppedAt === undefined) break;
    let k = tokens.indexOf(stoppedAt) + 1;
    while (k < tokens.length && !itemKeywordTypes.has(tokens[k]!.tokenType)) k++;
    const last = tokens[k - 1]!;
    diagnostics.push(expectedItem(source, stoppedAt, (last.endOffset ?? last.startOffset) + 1));
    if (k >= tokens.length) break;
    tokens = tokens.slice(k);
  }
  const ast: CdlFile = { file, items, comments: lexed.comments, span: { start: 0, end: text.length } };
  return { ast, source, diagnostics };
}
