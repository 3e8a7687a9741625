import { createToken, Lexer, type TokenType } from "chevrotain";

/**
 * Token types of CDL. The lexer is hand-written (lexer.ts) for speed and for
 * the unit rule, so these types carry no patterns; Chevrotain uses them only
 * for matching in the parser. Every type has a label in the user's words,
 * which the parser's error messages use.
 */
const tok = (name: string, label: string, categories?: TokenType[]) =>
  createToken({ name, pattern: Lexer.NA, label, ...(categories ? { categories } : {}) });

export const Identifier = tok("Identifier", "a name");
export const Constraint = tok("Constraint", "`constraint`", [Identifier]);
export const Defaults = tok("Defaults", "`defaults`", [Identifier]);
export const Import = tok("Import", "`import`", [Identifier]);
export const Workload = tok("Workload", "`workload`", [Identifier]);
export const Flow = tok("Flow", "`flow`", [Identifier]);
export const StringLit = tok("StringLit", "a string");
export const NumberLit = tok("NumberLit", "a number");
export const LCurly = tok("LCurly", "`{`");
export const RCurly = tok("RCurly", "`}`");
export const LBracket = tok("LBracket", "`[`");
export const RBracket = tok("RBracket", "`]`");
export const Colon = tok("Colon", "`:`");
export const Comma = tok("Comma", "`,`");
export const Semicolon = tok("Semicolon", "`;`");
export const Dot = tok("Dot", "`.`");
export const DotDot = tok("DotDot", "`..`");
export const Arrow = tok("Arrow", "`->`");
export const Comparison = tok("Comparison", "a comparison operator");
export const Lt = tok("Lt", "`<`", [Comparison]);
export const Le = tok("Le", "`<=`", [Comparison]);
export const Gt = tok("Gt", "`>`", [Comparison]);
export const Ge = tok("Ge", "`>=`", [Comparison]);
export const EqEq = tok("EqEq", "`==`", [Comparison]);

/** All token types, categories included, in the order Chevrotain must know them. */
export const allTokens: TokenType[] = [
  Identifier, Constraint, Defaults, Import, Workload, Flow, StringLit, NumberLit,
  LCurly, RCurly, LBracket, RBracket, Colon, Comma, Semicolon, Dot, DotDot, Arrow,
  Comparison, Lt, Le, Gt, Ge, EqEq,
];

/** Reserved words and their token types. */
export const keywords: ReadonlyMap<string, TokenType> = new Map([
  ["constraint", Constraint],
  ["defaults", Defaults],
  ["import", Import],
  ["workload", Workload],
  ["flow", Flow],
]);

/** Words that begin a top-level item: never read as a unit after a space. */
export const itemKeywords: ReadonlySet<string> = new Set(keywords.keys());
