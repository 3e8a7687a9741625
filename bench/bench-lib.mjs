// Helpers the benchmarks share: robust summaries of repeated samples, and how a benchmark reports
// progress, fails and names repository paths (never a path of this machine in a result).
import { basename, relative } from "node:path";

export function median(xs) {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Median, min, max and every sample, rounded. */
export function summary(xs, digits = 1) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: round(median(xs), digits), min: round(s[0], digits), max: round(s.at(-1), digits), samples: xs.map((x) => round(x, digits)) };
}

/** `median (min–max)` of a summary. */
export function span(s) {
  return `${s.median} (${s.min}–${s.max})`;
}

export function fmt(x, digits = 0) {
  return x.toFixed(digits);
}

export function countBy(xs) {
  const out = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

export function progress(message) {
  process.stderr.write(`${message}\n`);
}

/** A path under the repository as a relative one (a path elsewhere as its base name). */
export function displayPath(repo, path) {
  const rel = relative(repo, path).split("\\").join("/");
  return rel.startsWith("..") ? basename(path) : rel;
}

/** A failure with a message for the user, not a stack; thrown, so that the benchmark's temporary folder is removed. */
export function fail(message) {
  throw Object.assign(new Error(message), { benchFailure: true });
}

/** The same before anything was made: print and exit. */
export function stopper(script) {
  return (message) => {
    console.error(`bench/${script}: ${message}`);
    process.exit(1);
  };
}
