import { defineCatalog } from "./definition.js";

/** Binding CDL to a program (`--project`): CDL0201–CDL0249. */
export const resolutionDiagnostics = defineCatalog({
  unresolvedSelector: {
    code: "CDL0201",
    severity: "error",
    name: "unresolved-selector",
    message: "no node `{selector}` in the program",
    explanation: `With \`--project\`, every selector must name a node of the Living Graph: a function, a
method, a constructor, an accessor, an object-literal method or a function-valued variable or field.
A bare name (\`sortUsers\`) matches a top-level declaration of that name, or else any member of that
name; a qualified name (\`Cart.total\`) matches by container; a quoted selector (\`"src/cart.ts#Cart.total"\`)
matches a node id exactly, with the file relative to the folder of the tsconfig. The help line shows the
nearest names the program has. Run \`cdlc graph --project TSCONFIG\` to list every node id.`,
  },
  ambiguousSelector: {
    code: "CDL0202",
    severity: "error",
    name: "ambiguous-selector",
    message: "`{selector}` matches {count} nodes",
    explanation: `A bare or qualified name must name exactly one node, so that a constraint never lands on
code you did not mean. The diagnostic lists every candidate with its file. Qualify the name
(\`Cart.total\`) or write the node id as a string (\`"src/cart.ts#total"\`); to constrain all of them on
purpose, use a pattern such as \`"src/**#total"\`. Nodes in the CDL file's workload modules are never
candidates for a name: they are the harness, not the program.`,
  },
  patternMatchesNothing: {
    code: "CDL0203",
    severity: "warning",
    name: "pattern-matches-nothing",
    message: "pattern `{selector}` matches no node",
    explanation: `A pattern selector (\`"src/parsers/**#*"\`) may match any number of nodes, so matching none is
not an error, but it usually means the path or name part is wrong: \`*\` matches within one folder or
name segment, \`**\` any number of folders, and paths are relative to the folder of the tsconfig.
Anonymous functions, module top levels and bodiless (abstract or interface) methods are never matched.`,
  },
  incompatibleAlternative: {
    code: "CDL0204",
    severity: "error",
    name: "incompatible-alternative",
    message: "alternative `{alternative}` cannot replace `{node}`: its type is not assignable",
    explanation: `Every entry of \`algorithm:\` is an implementation the optimizer may swap in for the node, so
its type must be assignable to the node's type as the TypeScript checker sees it: it must accept
every argument the node accepts and return what callers of the node expect. The notes show both
signatures; the related locations point at the two declarations.`,
  },
  missingWorkloadExport: {
    code: "CDL0205",
    severity: "error",
    name: "missing-workload-export",
    message: "no workload module exports `{name}`, needed to measure `{node}`",
    explanation: `A constrained node is measured on the cases that a workload module exports under the node's
simple name, or under the name given by \`workload:\`. With \`--project\`, cdlc checks that one of the
CDL file's \`workload\` modules exports that name. Add the export (a function returning the argument
lists), or point \`workload:\` at an existing export. When a CDL file declares no workload module,
this check is skipped.`,
  },
  noCallPath: {
    code: "CDL0206",
    severity: "warning",
    name: "no-call-path",
    message: "no call path from `{from}` to `{to}` in the program",
    explanation: `A \`flow a -> b\` constrains the calls that \`a\` makes to \`b\`, directly or through other nodes.
The Living Graph has no path of statically known calls from \`a\` to \`b\`, so the flow may never be
observed. Calls through function values (callbacks passed as arguments, functions stored in
variables) are not known statically; if the call happens that way, the flow still applies when measured.`,
  },
  notMeasurable: {
    code: "CDL0207",
    severity: "warning",
    name: "not-measurable",
    message: "`{node}` is {what}: it has no body to measure",
    explanation: `The selector resolves to an abstract method or an interface method. Such a declaration has no
code of its own; calls to it run one of its implementations. Constrain the implementations instead
(a pattern such as \`"src/**#*.area"\` names them all).`,
  },
  projectNotFound: {
    code: "CDL0210",
    severity: "error",
    name: "project-not-found",
    message: "cannot find the project `{path}`",
    explanation: `\`--project\` names a tsconfig.json (or a folder holding one) relative to the current
directory. The program is read from it exactly as \`tsc -p\` would: its files, path aliases,
\`allowJs\` and project references.`,
  },
  invalidProject: {
    code: "CDL0211",
    severity: "error",
    name: "invalid-project",
    message: "`{path}` is not a usable tsconfig: {reason}",
    explanation: `TypeScript could not read the project configuration: a syntax error in the JSON, an unknown
option, an \`extends\` that does not resolve. The message is TypeScript's own. Run \`tsc -p TSCONFIG
--noEmit\` to see the same problem.`,
  },
  emptyProject: {
    code: "CDL0212",
    severity: "warning",
    name: "empty-project",
    message: "the project `{path}` has no source files",
    explanation: `The tsconfig's \`files\`, \`include\` and \`exclude\` select no file, so the Living Graph is empty
and no selector can resolve. Check the patterns (they are relative to the tsconfig's folder), and set
\`allowJs\` for a JavaScript project.`,
  },
});
