// Text: a case-insensitive search and a recursive count.

/** How many of the names the document mentions, ignoring case. Lowers the whole document once per name. */
export function countMentions(document: string, names: string[]): number {
  let count = 0;
  for (const name of names) {
    if (document.toLowerCase().includes(name.toLowerCase())) count++;
  }
  return count;
}

/**
 * The number of ways to read a string of digits as letters (1 = A … 26 = Z).
 * Exponential: the same suffixes are counted again and again.
 */
export function decodings(digits: string): number {
  if (digits.length === 0) return 1;
  if (digits[0] === "0") return 0;
  let ways = decodings(digits.slice(1));
  if (digits.length >= 2 && Number(digits.slice(0, 2)) <= 26) ways += decodings(digits.slice(2));
  return ways;
}
