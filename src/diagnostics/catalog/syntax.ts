import { defineCatalog } from "./definition.js";

/** Lexical and syntax errors: CDL0001–CDL0099. */
export const syntaxDiagnostics = defineCatalog({
  unexpectedCharacter: {
    code: "CDL0001",
    severity: "error",
    name: "unexpected-character",
    message: "unexpected `{char}`",
    explanation: `A character that cannot start any CDL token was found outside a string or comment.
CDL tokens are identifiers, numbers with an optional unit, double-quoted strings,
and the punctuation \`{ } [ ] : , ; . .. ->\` and comparison operators \`< <= > >= ==\`.
A lone \`=\` is reported with a hint: properties use \`:\` and equality uses \`==\`.`,
  },
  unterminatedString: {
    code: "CDL0002",
    severity: "error",
    name: "unterminated-string",
    message: "unterminated string",
    explanation: `A string opened with \`"\` was not closed before the end of the line.
Strings cannot span lines; write \`\\n\` for a line break inside a string.`,
  },
  invalidEscape: {
    code: "CDL0003",
    severity: "error",
    name: "invalid-escape",
    message: "invalid escape sequence `{escape}` in string",
    explanation: `Strings use JSON escapes: \`\\" \\\\ \\/ \\b \\f \\n \\r \\t\` and \`\\uXXXX\`.
Any other character after a backslash is an error. To write a backslash, double it.`,
  },
  unterminatedComment: {
    code: "CDL0004",
    severity: "error",
    name: "unterminated-comment",
    message: "unterminated block comment",
    explanation: `A \`/*\` comment was not closed with \`*/\` before the end of the file.
Block comments do not nest: the first \`*/\` closes the comment.`,
  },
  malformedNumber: {
    code: "CDL0005",
    severity: "error",
    name: "malformed-number",
    message: "malformed number `{text}`: {reason}",
    explanation: `Numbers are written \`12\`, \`0.5\`, \`1e3\` or \`1_000_000\`. An underscore may only stand
between two digits, and an exponent needs digits after \`e\`.`,
  },
  unexpectedToken: {
    code: "CDL0010",
    severity: "error",
    name: "unexpected-token",
    message: "expected {expected}, found {found}",
    explanation: `The parser expected one kind of token and found another. The message names what
was expected at that point; the help line says what the parser saw just before.
The parser recovers and goes on, so every syntax error of a file is reported in one run.`,
  },
  expectedValue: {
    code: "CDL0011",
    severity: "error",
    name: "expected-value",
    message: "expected a value after `{key}:`, found {found}",
    explanation: `A property is written \`key: value\`, where the value is a quantity (\`10ms\`), a
comparison (\`< 0.1%\`), a range (\`1ms..5ms\`), a list (\`[a, b]\`), a name, a string or
\`true\`/\`false\`.`,
  },
  expectedItem: {
    code: "CDL0012",
    severity: "error",
    name: "expected-item",
    message: "expected `constraint`, `flow`, `defaults`, `import` or `workload`, found {found}",
    explanation: `At the top level a CDL file holds only items: \`import "file.cdl"\`,
\`workload "module.ts"\`, \`defaults { … }\`, \`constraint SELECTOR { … }\` and
\`flow SELECTOR -> SELECTOR { … }\`.`,
  },
  emptyFile: {
    code: "CDL0013",
    severity: "warning",
    name: "empty-file",
    message: "this file declares no constraints",
    explanation: `The file holds no \`constraint\` or \`flow\` item, directly or through its imports, so
checking a program against it can never fail. This is a warning, not an error: an empty
file is valid CDL.`,
  },
});
