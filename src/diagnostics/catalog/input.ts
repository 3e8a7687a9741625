import { defineCatalog } from "./definition.js";

/** Problems with the files and options given on the command line: CDL0900–CDL0999. */
export const inputDiagnostics = defineCatalog({
  unreadableFile: {
    code: "CDL0901",
    severity: "error",
    name: "unreadable-file",
    message: "cannot read `{path}`: {reason}",
    explanation: `A file named on the command line does not exist or cannot be read. Paths are
relative to the current directory.`,
  },
  notFormatted: {
    code: "CDL0902",
    severity: "error",
    name: "not-formatted",
    message: "`{path}` is not formatted",
    explanation: `\`cdlc fmt FILE --check\` found that the file differs from its canonical formatting.
Run \`cdlc fmt FILE --write\` to rewrite it, or \`cdlc fmt FILE\` to print the formatted text.`,
  },
});
