/**
 * A case's argument list as text, for a proposer to read (`cdlc optimize
 * --proposer`): JSON, with what JSON cannot hold written out (`{"Map": …}`,
 * `{"Set": …}`, `"12n"`), cut to a size. Made where the values are: in the
 * measurement child for workload cases (user code runs only there), in
 * cdlc for recorded ones (decoded from their structured-clone bytes).
 */
export interface CaseText {
  args: string;
  truncated: boolean;
}

/** A shown case is cut to this many characters. */
export const CASE_CHARS = 2_000;

export function caseText(args: readonly unknown[], maxChars = CASE_CHARS): CaseText {
  let text: string;
  try {
    text = JSON.stringify(args, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v instanceof Map ? { Map: [...v] } : v instanceof Set ? { Set: [...v] } : v)) ?? "undefined";
  } catch (e) {
    text = `(cannot be shown: ${(e as Error).message})`;
  }
  return text.length > maxChars ? { args: text.slice(0, maxChars), truncated: true } : { args: text, truncated: false };
}
