import { basename, dirname, extname, join } from "node:path";
import { ts } from "../graph/typescript.js";
import type { LoadedProject } from "../graph/project-loader.js";

/**
 * Type-checks a variant against the program: the program with the node's
 * file replaced by the variant's text, checked in that file only. Errors the
 * original file already had do not count against the variant (compared by
 * code and message, as positions move); any other error rejects it, with
 * the compiler's message. Undefined means it compiles.
 */
export function typeErrorsOf(project: LoadedProject, fileName: string, variantSource: string): string | undefined {
  const before = errorsIn(project.program(), fileName);
  const program = project.programWithText(fileName, variantSource);
  const after = errorsIn(program, fileName);
  if (after === undefined) return `the program has no file ${fileName}`;
  return freshErrors(before ?? [], after);
}

/**
 * The same for many variants of one file, with one checker: each variant is
 * checked as a sibling copy of the file (same folder, so its imports resolve
 * as the original's do), against a copy of the original as the baseline.
 * Creating a checker costs far more than checking one file, so this is what
 * the oracle uses. A file that is not a module (a script: its declarations
 * are global, and copies would clash) is checked one variant at a time.
 */
export function typeErrorsOfMany(project: LoadedProject, fileName: string, variants: readonly string[], original: string): (string | undefined)[] {
  if (variants.length === 0) return [];
  if (!ts.isExternalModule(ts.createSourceFile(fileName, original, ts.ScriptTarget.Latest, false))) return variants.map((v) => typeErrorsOf(project, fileName, v));
  const ext = extname(fileName);
  const copy = (i: number): string => join(dirname(fileName), `${basename(fileName, ext)}.cdlc-variant-${i}${ext}`);
  const texts = new Map([[copy(0), original], ...variants.map((v, i) => [copy(i + 1), v] as const)]);
  const program = project.programWithTexts(texts);
  const before = errorsIn(program, copy(0)) ?? [];
  return variants.map((_, i) => {
    const after = errorsIn(program, copy(i + 1));
    return after === undefined ? `the program has no file ${fileName}` : freshErrors(before, after);
  });
}

/** The first error of `after` that `before` does not have (by code and message), with a count of the rest. */
function freshErrors(before: readonly TypeError[], after: readonly TypeError[]): string | undefined {
  const known = new Map<string, number>();
  for (const e of before) known.set(e.key, (known.get(e.key) ?? 0) + 1);
  const fresh = after.filter((e) => {
    const left = known.get(e.key) ?? 0;
    if (left === 0) return true;
    known.set(e.key, left - 1);
    return false;
  });
  if (fresh.length === 0) return undefined;
  const more = fresh.length > 1 ? ` (and ${fresh.length - 1} more)` : "";
  return `${fresh[0]!.shown}${more}`;
}

interface TypeError {
  /** Code and message: what stays the same when only positions move. */
  key: string;
  /** `line 12: TS2322 Type 'string' is not assignable to type 'number'.` */
  shown: string;
}

function errorsIn(program: ts.Program, fileName: string): TypeError[] | undefined {
  const sf = program.getSourceFile(fileName);
  if (sf === undefined) return undefined;
  const diagnostics = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].filter((d) => d.category === ts.DiagnosticCategory.Error);
  return diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
    const line = d.start === undefined ? "" : `line ${sf.getLineAndCharacterOfPosition(d.start).line + 1}: `;
    return { key: `${d.code}\0${message}`, shown: `${line}TS${d.code} ${message}` };
  });
}
