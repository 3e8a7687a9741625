import { EmbeddedActionsParser, EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import type {
  Block, ComparisonOp, ComparisonValue, ConstraintItem, DefaultsItem, FlowItem, ImportItem, Item, ListValue, NameValue,
  Property, Quantity, Scalar, Selector, StringLiteral, Value, WorkloadItem,
} from "./ast.js";
import {
  allTokens, Arrow, Colon, Comma, Comparison, Constraint, Defaults, Dot, DotDot, Flow, Identifier, Import,
  LBracket, LCurly, NumberLit, RBracket, RCurly, Semicolon, StringLit, Unit, Workload,
} from "./tokens.js";

/**
 * What the parser reports about a syntax error, encoded in the exception's
 * message by the message provider below and decoded by parse.ts into a
 * catalog diagnostic. Keeping it structured lets the diagnostic say what was
 * expected in words and point after the last complete property.
 */
export interface SyntaxErrorPayload {
  kind: "mismatch" | "no-value" | "no-alternative" | "redundant";
  expected: string;
  key?: string;
}

const describeType = (t: TokenType) => (t.LABEL ?? t.name);

function orList(words: string[]): string {
  const unique = [...new Set(words)];
  if (unique.length <= 1) return unique[0] ?? "something else";
  return `${unique.slice(0, -1).join(", ")} or ${unique[unique.length - 1]}`;
}

/** Describes what would have been acceptable in the rule where the parser stopped. */
function expectationIn(ruleName: string, expected: TokenType): string {
  if (ruleName === "block" && expected === RCurly) return "a property, `,` or `}`";
  if (ruleName === "list" && expected === RBracket) return "`,` or `]`";
  return describeType(expected);
}

/** Makes the recovery-aware parser's messages structured (see SyntaxErrorPayload). */
function messageProvider(parser: () => CdlParser): IParserErrorMessageProvider {
  const encode = (p: SyntaxErrorPayload) => JSON.stringify(p);
  return {
    // At the top level the only expectation after the items is EOF: the token cannot start an item.
    buildMismatchTokenMessage: ({ expected, ruleName }) =>
      encode(expected === EOF ? { kind: "redundant", expected: "an item" } : { kind: "mismatch", expected: expectationIn(ruleName, expected) }),
    buildNotAllInputParsedMessage: () => encode({ kind: "redundant", expected: "an item" }),
    buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) => {
      if (ruleName === "value" || ruleName === "scalar") {
        const key = parser().currentKey;
        return encode({ kind: "no-value", expected: "a value", ...(key !== undefined ? { key } : {}) });
      }
      if (ruleName === "selector") return encode({ kind: "no-alternative", expected: "a selector (a name or a string)" });
      const firsts = expectedPathsPerAlt.flatMap((alt) => alt.map((path) => (path[0] ? describeType(path[0]) : "")));
      return encode({ kind: "no-alternative", expected: orList(firsts.filter(Boolean)) });
    },
    buildEarlyExitMessage: ({ expectedIterationPaths }) =>
      encode({ kind: "no-alternative", expected: orList(expectedIterationPaths.map((p) => (p[0] ? describeType(p[0]) : ""))) }),
  };
}

const itemStarts: ReadonlySet<TokenType> = new Set([Constraint, Defaults, Import, Workload, Flow]);

/** Offsets of a token; tokens inserted by error recovery have none, so they sit at `fallback`. */
function tokenSpan(t: IToken, fallback = 0): { start: number; end: number } {
  return Number.isNaN(t.startOffset) || t.isInsertedInRecovery ? { start: fallback, end: fallback } : { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
}

/**
 * The CDL parser: an LL(k) Chevrotain parser with embedded actions that
 * builds the AST directly (no CST, for speed), with error recovery on so
 * that one run reports every syntax error. Built once and reused: set
 * `input` and call `file()`.
 */
export class CdlParser extends EmbeddedActionsParser {
  /** String values decoded by the lexer, by token offset. */
  strings = new Map<number, string>();
  /** The property key whose value is being parsed (for "expected a value after `key:`"). */
  currentKey: string | undefined;

  constructor() {
    super(allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      skipValidations: true,
      errorMessageProvider: messageProvider(() => this),
    });
    this.performSelfAnalysis();
  }

  /** End offset of the last token consumed: where spans of recovered nodes end. */
  private get lastEnd(): number {
    const t = this.LA(0);
    return Number.isNaN(t.startOffset) || t.tokenType === EOF ? 0 : (t.endOffset ?? t.startOffset) + 1;
  }

  private span(t: IToken) {
    return tokenSpan(t, this.lastEnd);
  }

  public file = this.RULE("file", (): Item[] => {
    const items: (Item | undefined)[] = [];
    this.MANY(() => {
      this.OR([
        { ALT: () => items.push(this.SUBRULE(this.importItem)) },
        { ALT: () => items.push(this.SUBRULE(this.workloadItem)) },
        { ALT: () => items.push(this.SUBRULE(this.defaultsItem)) },
        { ALT: () => items.push(this.SUBRULE(this.constraintItem)) },
        { ALT: () => items.push(this.SUBRULE(this.flowItem)) },
      ]);
    });
    return items.filter((x): x is Item => x !== undefined);
  });

  private importItem = this.RULE("importItem", (): ImportItem => {
    const kw = this.CONSUME(Import);
    const path = this.SUBRULE(this.stringLiteral);
    this.OPTION(() => this.CONSUME(Semicolon));
    return this.ACTION(() => ({ kind: "import", path, span: { start: this.span(kw).start, end: this.lastEnd } }));
  });

  private workloadItem = this.RULE("workloadItem", (): WorkloadItem => {
    const kw = this.CONSUME(Workload);
    const path = this.SUBRULE(this.stringLiteral);
    this.OPTION(() => this.CONSUME(Semicolon));
    return this.ACTION(() => ({ kind: "workload", path, span: { start: this.span(kw).start, end: this.lastEnd } }));
  });

  private defaultsItem = this.RULE("defaultsItem", (): DefaultsItem => {
    const kw = this.CONSUME(Defaults);
    const start = this.ACTION(() => this.span(kw).start);
    const block = this.SUBRULE(this.block);
    return this.ACTION(() => ({ kind: "defaults", block, span: { start, end: this.lastEnd } }));
  });

  private constraintItem = this.RULE("constraintItem", (): ConstraintItem | undefined => {
    const kw = this.CONSUME(Constraint);
    const start = this.ACTION(() => this.span(kw).start);
    const selector = this.SUBRULE(this.selector);
    const block = this.SUBRULE(this.block);
    return this.ACTION(() => (selector === undefined ? undefined : { kind: "constraint", selector, block, span: { start, end: this.lastEnd } }));
  });

  private flowItem = this.RULE("flowItem", (): FlowItem | undefined => {
    const kw = this.CONSUME(Flow);
    const start = this.ACTION(() => this.span(kw).start);
    const from = this.SUBRULE(this.selector);
    this.CONSUME(Arrow);
    const to = this.SUBRULE2(this.selector);
    const block = this.SUBRULE(this.block);
    return this.ACTION(() => (from === undefined || to === undefined ? undefined : { kind: "flow", from, to, block, span: { start, end: this.lastEnd } }));
  });

  private selector = this.RULE(
    "selector",
    (): Selector | undefined => this.OR<Selector | undefined>([{ ALT: () => this.SUBRULE(this.name) }, { ALT: () => this.SUBRULE(this.stringLiteral) }]),
    { recoveryValueFunc: () => undefined },
  );

  private block = this.RULE(
    "block",
    (): Block => {
      const open = this.CONSUME(LCurly);
      const start = this.ACTION(() => this.span(open).start);
      const properties: Property[] = [];
      this.MANY({
        // An item keyword not followed by `:` starts the next item: the `}` is missing.
        GATE: () => !itemStarts.has(this.LA(1).tokenType) || this.LA(2).tokenType === Colon,
        DEF: () => {
          const p = this.SUBRULE(this.property);
          this.ACTION(() => p && properties.push(p));
          this.OPTION(() => this.OR2([{ ALT: () => this.CONSUME(Comma) }, { ALT: () => this.CONSUME(Semicolon) }]));
        },
      });
      const close = this.CONSUME(RCurly);
      return this.ACTION(() => ({ properties, span: { start, end: this.span(close).end } }));
    },
    { recoveryValueFunc: () => ({ properties: [], span: { start: this.lastEnd, end: this.lastEnd } }) },
  );

  private property = this.RULE(
    "property",
    (): Property | undefined => {
      const key = this.CONSUME(Identifier);
      const keySpan = this.ACTION(() => this.span(key));
      this.ACTION(() => (this.currentKey = key.image));
      this.CONSUME(Colon);
      const value = this.SUBRULE(this.value);
      return this.ACTION(() => {
        this.currentKey = undefined;
        // A property whose value could not be parsed was reported; drop it.
        return value === undefined ? undefined : { key: key.image, keySpan, value, span: { start: keySpan.start, end: value.span.end } };
      });
    },
    { recoveryValueFunc: () => undefined },
  );

  private value = this.RULE(
    "value",
    (): Value | undefined =>
      this.OR<Value | undefined>([
        { ALT: () => this.SUBRULE(this.comparison) },
        { ALT: () => this.SUBRULE(this.list) },
        { ALT: () => this.SUBRULE(this.scalarOrRange) },
      ]),
    { recoveryValueFunc: () => undefined },
  );

  private comparison = this.RULE("comparison", (): ComparisonValue | undefined => {
    const op = this.CONSUME(Comparison);
    const opSpan = this.ACTION(() => this.span(op));
    const operand = this.SUBRULE(this.scalar);
    return this.ACTION(() => (operand === undefined ? undefined : { kind: "comparison", op: op.image as ComparisonOp, opSpan, operand, span: { start: opSpan.start, end: operand.span.end } }));
  });

  private list = this.RULE("list", (): ListValue => {
    const open = this.CONSUME(LBracket);
    const start = this.ACTION(() => this.span(open).start);
    const elements: Value[] = [];
    this.OPTION(() => {
      const first = this.SUBRULE(this.value);
      this.ACTION(() => first && elements.push(first));
      this.MANY({
        GATE: () => this.LA(2).tokenType !== RBracket,
        DEF: () => {
          this.CONSUME(Comma);
          const next = this.SUBRULE2(this.value);
          this.ACTION(() => next && elements.push(next));
        },
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    const close = this.CONSUME(RBracket);
    return this.ACTION(() => ({ kind: "list", elements, span: { start, end: this.span(close).end } }));
  });

  private scalarOrRange = this.RULE("scalarOrRange", (): Value | undefined => {
    const low = this.SUBRULE(this.scalar);
    let high: Scalar | undefined;
    this.OPTION(() => {
      this.CONSUME(DotDot);
      high = this.SUBRULE2(this.scalar);
    });
    return this.ACTION(() => (high === undefined || low === undefined ? low : { kind: "range", low, high, span: { start: low.span.start, end: high.span.end } }));
  });

  private scalar = this.RULE(
    "scalar",
    (): Scalar | undefined =>
      this.OR<Scalar | undefined>([
        { ALT: () => this.SUBRULE(this.quantity) },
        { ALT: () => this.SUBRULE(this.stringLiteral) },
        { ALT: () => this.SUBRULE(this.name) },
      ]),
    { recoveryValueFunc: () => undefined },
  );

  private quantity = this.RULE("quantity", (): Quantity => {
    const num = this.CONSUME(NumberLit);
    let unit: IToken | undefined;
    this.OPTION(() => (unit = this.CONSUME(Unit)));
    return this.ACTION(() => {
      const s = this.span(num);
      const q: Quantity = { kind: "quantity", text: num.image, value: Number(num.image.replace(/_/g, "")), span: s };
      if (unit !== undefined) {
        const u = this.span(unit);
        q.unit = { text: unit.image, span: u };
        q.span = { start: s.start, end: u.end };
      }
      return q;
    });
  });

  private stringLiteral = this.RULE("stringLiteral", (): StringLiteral => {
    const t = this.CONSUME(StringLit);
    return this.ACTION(() => {
      const span = this.span(t);
      return { kind: "string", value: this.strings.get(t.startOffset) ?? "", span };
    });
  });

  private name = this.RULE("name", (): NameValue => {
    const first = this.CONSUME(Identifier);
    const parts = [first.image];
    let last = first;
    this.MANY(() => {
      this.CONSUME(Dot);
      last = this.CONSUME2(Identifier);
      parts.push(last.image);
    });
    return this.ACTION(() => ({ kind: "name", parts, span: { start: this.span(first).start, end: this.span(last).end } }));
  });

  /** Parses a whole token vector. Errors are left in `this.errors`. */
  parseFile(tokens: IToken[], strings: Map<number, string>): Item[] {
    this.strings = strings;
    this.currentKey = undefined;
    this.input = tokens;
    return this.file() ?? [];
  }
}

export { EOF };
