import { EmbeddedActionsParser, EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import type {
  Block, ComparisonOp, ComparisonValue, ConstraintItem, DefaultsItem, FlowItem, ImportItem, Item, ListValue, NameValue,
  Property, Quantity, Scalar, Selector, StringLiteral, Value, WorkloadItem,
} from "./ast.js";
import type { CdlToken } from "./lexer.js";
import {
  allTokens, Arrow, Colon, Comma, Comparison, Constraint, Defaults, Dot, DotDot, Flow, Identifier, Import,
  LBracket, LCurly, NumberLit, RBracket, RCurly, Semicolon, StringLit, Workload,
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
function expectationIn(ruleName: string, expected: TokenType, previous: IToken | undefined): string {
  if (ruleName === "block" && expected === RCurly) {
    // Right after a separator another one is not allowed: don't offer `,` when `,` was found.
    const afterSeparator = previous !== undefined && (previous.tokenType === Comma || previous.tokenType === Semicolon);
    return afterSeparator ? "a property or `}`" : "a property, `,` or `}`";
  }
  if (ruleName === "list" && expected === RBracket) return "`,` or `]`";
  return describeType(expected);
}

/** Makes the recovery-aware parser's messages structured (see SyntaxErrorPayload). */
function messageProvider(parser: () => CdlParser): IParserErrorMessageProvider {
  const encode = (p: SyntaxErrorPayload) => JSON.stringify(p);
  return {
    // At the top level the only expectation after the items is EOF: the token cannot start an item.
    buildMismatchTokenMessage: ({ expected, actual, ruleName }) =>
      encode(expected === EOF ? { kind: "redundant", expected: "an item" } : { kind: "mismatch", expected: expectationIn(ruleName, expected, parser().tokenBefore(actual)) }),
    buildNotAllInputParsedMessage: () => encode({ kind: "redundant", expected: "an item" }),
    buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) => {
      // `property` parses its value itself: its only OR is the value's.
      if (ruleName === "property" || ruleName === "value" || ruleName === "scalar") {
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

/** Whether a string token's image ends with an unescaped `"` (the lexer reported it otherwise). */
function isTerminated(image: string): boolean {
  if (image.length < 2 || !image.endsWith('"')) return false;
  let backslashes = 0;
  while (image[image.length - 2 - backslashes] === "\\") backslashes++;
  return backslashes % 2 === 0;
}

const itemStarts: ReadonlySet<TokenType> = new Set([Constraint, Defaults, Import, Workload, Flow]);

/** Offsets of a token; tokens inserted by error recovery have none, so they sit at `fallback`. */
function tokenSpan(t: IToken, fallback = 0): { start: number; end: number } {
  return Number.isNaN(t.startOffset) || t.isInsertedInRecovery ? { start: fallback, end: fallback } : { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
}

/**
 * The CDL parser: an LL(k) Chevrotain parser with embedded actions that
 * builds the AST directly (no CST, for speed), with error recovery on so
 * that one run reports every syntax error. Built once and reused: see
 * `parseFile`.
 *
 * Tuned for throughput: one rule invocation per property (`property`
 * parses its value's alternatives, scalars included, itself; the `value`
 * and `scalar` rules serve list elements and a range's high end), units
 * folded into number tokens by the lexer, no GATE on hot ORs, and AST
 * building guarded by `RECORDING_PHASE` instead of `ACTION` closures (the
 * grammar-recording pass at construction runs rule bodies with fake tokens).
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
    // A missing value is reported through Chevrotain's own, untyped method (see scalarAltsAt):
    // if an update of Chevrotain removed it, say so now rather than fail in the middle of a parse.
    if (typeof (this as unknown as Partial<NoAltRaiser>).raiseNoAltException !== "function") {
      throw new Error("this version of Chevrotain has no raiseNoAltException, which the CDL parser uses; install the version in package-lock.json");
    }
  }

  /** The token just before `t` in the input (for messages that depend on what preceded the error). */
  tokenBefore(t: IToken): IToken | undefined {
    const i = this.input.indexOf(t);
    return i > 0 ? this.input[i - 1] : undefined;
  }

  private get recording(): boolean {
    return (this as unknown as { RECORDING_PHASE: boolean }).RECORDING_PHASE;
  }

  /** End offset of the last token consumed: where spans of recovered nodes end. */
  private get lastEnd(): number {
    const t = this.LA(0) as CdlToken;
    if (Number.isNaN(t.startOffset) || t.tokenType === EOF) return 0;
    // A number's unit is folded into its token.
    return t.unit ? t.unitStart + t.unit.length : (t.endOffset ?? t.startOffset) + 1;
  }

  private span(t: IToken) {
    return tokenSpan(t, this.lastEnd);
  }

  /** `span(t).end` without making the span. */
  private endOf(t: IToken): number {
    return Number.isNaN(t.startOffset) || t.isInsertedInRecovery ? this.lastEnd : (t.endOffset ?? t.startOffset) + 1;
  }

  /** The items parsed so far, for `file`'s recovery value. */
  private parsedItems: Item[] = [];
  /**
   * Accumulators of the rule being parsed; blocks and names never nest, so
   * one of each is enough. The block's properties are copied out of the
   * scratch array (its first `blockPropertyCount`) into one of exact size;
   * the scratch is reset by count, since `length = 0` would drop its storage
   * and make every block grow a new one.
   */
  private readonly blockProperties: Property[] = [];
  private blockPropertyCount = 0;
  private nameFirst: IToken | undefined;
  private nameLast: IToken | undefined;
  private nameParts: string[] | undefined;
  private rangeHigh: Scalar | undefined;

  // Alternatives and repetition bodies are built once, not per invocation:
  // Chevrotain takes them as arrays of closures, and allocating those for
  // every property made parsing allocation-bound.
  private readonly itemAlts = [
    { ALT: () => this.SUBRULE(this.pathItem) },
    { ALT: () => this.SUBRULE(this.defaultsItem) },
    { ALT: () => this.SUBRULE(this.constraintItem) },
    { ALT: () => this.SUBRULE(this.flowItem) },
  ];
  private readonly pathKeywordAlts = [{ ALT: () => this.CONSUME(Import) }, { ALT: () => this.CONSUME(Workload) }];
  private readonly optionalSemicolon = () => this.CONSUME(Semicolon);
  private readonly separatorAlts = [{ ALT: () => this.CONSUME(Comma) }, { ALT: () => this.CONSUME(Semicolon) }];
  private readonly optionalSeparator = () => this.OR2(this.separatorAlts);
  private readonly blockBody = {
    // An item keyword not followed by `:` starts the next item: the `}` is missing.
    GATE: () => !itemStarts.has(this.LA(1).tokenType) || this.LA(2).tokenType === Colon,
    DEF: () => {
      const p = this.SUBRULE(this.property);
      if (p !== undefined && !this.recording) this.blockProperties[this.blockPropertyCount++] = p;
      this.OPTION(this.optionalSeparator);
    },
  };
  private readonly selectorAlts = [
    { ALT: () => this.SUBRULE(this.name) },
    {
      ALT: () => {
        const t = this.CONSUME(StringLit);
        return this.recording ? undefined : this.stringLiteral(t);
      },
    },
  ];
  private readonly rangeTail = () => {
    this.CONSUME(DotDot);
    this.rangeHigh = this.SUBRULE3(this.scalar);
  };
  private readonly valueAlts = [
    {
      ALT: (): Value | undefined => {
        const op = this.CONSUME(Comparison);
        const operand = this.OR2<Scalar | undefined>(this.operandAlts);
        if (this.recording || operand === undefined) return undefined;
        const comparison: ComparisonValue = { kind: "comparison", op: op.image as ComparisonOp, opStart: op.startOffset, operand, start: op.startOffset, end: operand.end };
        return comparison;
      },
    },
    { ALT: (): Value | undefined => this.SUBRULE(this.list) },
    {
      ALT: (): Value | undefined => {
        const low = this.OR3<Scalar | undefined>(this.lowAlts);
        this.rangeHigh = undefined;
        this.OPTION(this.rangeTail);
        const high = this.rangeHigh as Scalar | undefined; // set by rangeTail during OPTION
        if (this.recording || low === undefined) return undefined;
        if (high === undefined) return low;
        return { kind: "range", low, high, start: low.start, end: high.end };
      },
    },
  ];
  /**
   * The alternatives of a scalar, for the OR numbered `orOccurrence` in the
   * rule that holds it, whose CONSUMEs and SUBRULE get the number
   * `occurrence` (each must be unique within a rule). A name followed by `:`
   * is the next property's key: the value is
   * missing (`key:` then a new line). That is checked inside the alternative,
   * not as a GATE: an OR with a GATE takes Chevrotain's slow lookahead path,
   * which allocates on every call, and a scalar is parsed for nearly every
   * property.
   */
  private scalarAltsAt(orOccurrence: number, occurrence: number) {
    return [
      {
        ALT: (): Scalar | undefined => {
          const t = this.consume(occurrence, NumberLit) as CdlToken;
          return this.recording ? undefined : quantityOf(t);
        },
      },
      {
        ALT: (): Scalar | undefined => {
          const t = this.consume(occurrence, StringLit);
          return this.recording ? undefined : this.stringLiteral(t);
        },
      },
      {
        ALT: (): Scalar | undefined => {
          if (!this.recording && this.LA(2).tokenType === Colon) (this as unknown as NoAltRaiser).raiseNoAltException(orOccurrence, undefined);
          return this.subrule(occurrence, this.name);
        },
      },
    ];
  }
  private readonly scalarAlts = this.scalarAltsAt(0, 0);
  // A value's scalars are parsed by the rule that parses the value (`property`, or `value` for a
  // list element), OR2 for a comparison's operand and OR3 for a plain value or a range's low end.
  private readonly operandAlts = this.scalarAltsAt(2, 1);
  private readonly lowAlts = this.scalarAltsAt(3, 2);
  /** The elements of the innermost list being parsed. */
  private listElements: Value[] = [];
  private readonly listTail = {
    GATE: () => this.LA(2).tokenType !== RBracket,
    DEF: () => {
      this.CONSUME(Comma);
      const next = this.SUBRULE2(this.value);
      if (next !== undefined && !this.recording) this.listElements.push(next);
    },
  };
  private readonly optionalTrailingComma = () => this.CONSUME2(Comma);
  private readonly listBody = () => {
    const first = this.SUBRULE(this.value);
    if (first !== undefined && !this.recording) this.listElements.push(first);
    this.MANY(this.listTail);
    this.OPTION2(this.optionalTrailingComma);
  };
  private readonly nameTail = () => {
    this.CONSUME(Dot);
    const t = this.CONSUME2(Identifier);
    if (!this.recording) {
      (this.nameParts ??= [this.nameFirst!.image]).push(t.image);
      this.nameLast = t;
    }
  };

  // A truncated last item (`constraint b {` at the end of the file) cannot re-sync and aborts
  // the rule: its recovery value keeps the items before it, so they are still checked.
  public file = this.RULE(
    "file",
    (): Item[] => {
      const items: Item[] = [];
      if (!this.recording) this.parsedItems = items;
      this.MANY(() => {
        const item = this.OR<Item | undefined>(this.itemAlts);
        if (item !== undefined && !this.recording) items.push(item);
      });
      return items;
    },
    { recoveryValueFunc: () => this.parsedItems },
  );

  /** `import "file.cdl"` and `workload "module.ts"`. */
  private pathItem = this.RULE(
    "pathItem",
    (): ImportItem | WorkloadItem | undefined => {
      const kw = this.OR(this.pathKeywordAlts);
      const path = this.CONSUME(StringLit);
      this.OPTION(this.optionalSemicolon);
      if (this.recording) return undefined;
      const kind = kw.tokenType === Import ? "import" : "workload";
      return { kind, path: this.stringLiteral(path), start: kw.startOffset, end: this.lastEnd };
    },
    { recoveryValueFunc: () => undefined },
  );

  private defaultsItem = this.RULE("defaultsItem", (): DefaultsItem | undefined => {
    const kw = this.CONSUME(Defaults);
    const block = this.SUBRULE(this.block);
    if (this.recording) return undefined;
    return { kind: "defaults", block, start: kw.startOffset, end: this.lastEnd };
  });

  private constraintItem = this.RULE("constraintItem", (): ConstraintItem | undefined => {
    const kw = this.CONSUME(Constraint);
    const selector = this.SUBRULE(this.selector);
    const block = this.SUBRULE(this.block);
    if (this.recording || selector === undefined) return undefined;
    return { kind: "constraint", selector, block, start: kw.startOffset, end: this.lastEnd };
  });

  private flowItem = this.RULE("flowItem", (): FlowItem | undefined => {
    const kw = this.CONSUME(Flow);
    const from = this.SUBRULE(this.selector);
    this.CONSUME(Arrow);
    const to = this.SUBRULE2(this.selector);
    const block = this.SUBRULE(this.block);
    if (this.recording || from === undefined || to === undefined) return undefined;
    return { kind: "flow", from, to, block, start: kw.startOffset, end: this.lastEnd };
  });

  private selector = this.RULE("selector", (): Selector | undefined => this.OR<Selector | undefined>(this.selectorAlts), { recoveryValueFunc: () => undefined });

  private block = this.RULE(
    "block",
    (): Block => {
      const open = this.CONSUME(LCurly);
      this.blockPropertyCount = 0;
      this.MANY(this.blockBody);
      const close = this.CONSUME(RCurly);
      if (this.recording) return undefined as unknown as Block;
      return { properties: this.blockProperties.slice(0, this.blockPropertyCount), start: open.startOffset, end: this.endOf(close) };
    },
    { recoveryValueFunc: () => ({ properties: [], start: this.lastEnd, end: this.lastEnd }) },
  );

  private property = this.RULE(
    "property",
    (): Property | undefined => {
      const key = this.CONSUME(Identifier);
      if (!this.recording) this.currentKey = key.image;
      this.CONSUME(Colon);
      // The value's alternatives, parsed here rather than by a `value` rule invocation per property.
      const value = this.OR<Value | undefined>(this.valueAlts);
      // A property whose value could not be parsed was reported; drop it.
      if (this.recording || value === undefined) return undefined;
      this.currentKey = undefined;
      return { key: key.image, keyStart: key.startOffset, value, start: key.startOffset, end: value.end };
    },
    { recoveryValueFunc: () => undefined },
  );

  private value = this.RULE("value", (): Value | undefined => this.OR<Value | undefined>(this.valueAlts), { recoveryValueFunc: () => undefined });

  private list = this.RULE("list", (): ListValue | undefined => {
    const open = this.CONSUME(LBracket);
    // A list may hold a list (the checker rejects it): the outer one's elements come back after.
    const outer = this.listElements;
    const elements: Value[] = (this.listElements = []);
    try {
      this.OPTION(this.listBody);
    } finally {
      this.listElements = outer;
    }
    const close = this.CONSUME(RBracket);
    if (this.recording) return undefined;
    return { kind: "list", elements, start: open.startOffset, end: this.endOf(close) };
  });

  private scalar = this.RULE("scalar", (): Scalar | undefined => this.OR<Scalar | undefined>(this.scalarAlts), { recoveryValueFunc: () => undefined });

  private name = this.RULE("name", (): NameValue | undefined => {
    const first = this.CONSUME(Identifier);
    if (!this.recording) {
      this.nameFirst = first;
      this.nameLast = first;
      this.nameParts = undefined;
    }
    // Most names have no dots: then the repetition would only allocate (Chevrotain's MANY makes
    // its recovery arguments on every call) and could not recover either, ending its rule.
    if (this.recording || this.LA(1).tokenType === Dot) this.MANY(this.nameTail);
    if (this.recording) return undefined;
    return { kind: "name", parts: this.nameParts?.slice() ?? [first.image], start: first.startOffset, end: this.endOf(this.nameLast!) };
  });

  private stringLiteral(t: IToken): StringLiteral {
    const span = this.span(t);
    const literal: StringLiteral = { kind: "string", value: this.strings.get(t.startOffset) ?? "", start: span.start, end: span.end };
    if (!isTerminated(t.image)) literal.unterminated = true;
    return literal;
  }

  /** Parses a whole token vector. Errors are left in `this.errors`. */
  parseFile(tokens: IToken[], strings: Map<number, string>): Item[] {
    this.strings = strings;
    this.parsedItems = [];
    this.currentKey = undefined;
    this.input = tokens;
    return this.file() ?? [];
  }
}

/** Chevrotain's own way to report "no alternative matched" at an OR (not in its typings). */
interface NoAltRaiser {
  raiseNoAltException(occurrence: number, message: string | undefined): never;
}

/** A number token (with its folded unit) as an AST quantity. */
function quantityOf(t: CdlToken): Quantity {
  const start = t.startOffset;
  const hasUnit = t.unit !== "";
  return {
    kind: "quantity",
    text: t.image,
    value: Number(t.image.includes("_") ? t.image.replace(/_/g, "") : t.image),
    unit: hasUnit ? t.unit : undefined,
    unitStart: hasUnit ? t.unitStart : -1,
    start,
    end: hasUnit ? t.unitStart + t.unit.length : (t.endOffset ?? start) + 1,
  };
}

export { EOF };
