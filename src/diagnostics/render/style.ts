/** ANSI styling that collapses to plain text when colour is off. */
export interface Style {
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  cyan(s: string): string;
  green(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export const colorStyle: Style = {
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  blue: wrap(34, 39),
  cyan: wrap(36, 39),
  green: wrap(32, 39),
  bold: wrap(1, 22),
  dim: wrap(2, 22),
};

const identity = (s: string) => s;
export const plainStyle: Style = {
  red: identity,
  yellow: identity,
  blue: identity,
  cyan: identity,
  green: identity,
  bold: identity,
  dim: identity,
};

export function pickStyle(color: boolean): Style {
  return color ? colorStyle : plainStyle;
}

/** Singular or plural with the count: `1 error`, `2 errors`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
