import fc from "fast-check";

/** Valid property lines for a constraint block. */
const durations = ["ns", "us", "µs", "ms", "s", "min"];
const sizes = ["B", "KB", "MB", "GB", "KiB", "MiB", "GiB"];
const num = fc.oneof(fc.integer({ min: 0, max: 100_000 }).map(String), fc.integer({ min: 1, max: 999 }).map((n) => `${n / 10}`), fc.constantFrom("1_000", "1e3", "0.5"));
const ident = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/).filter((s) => !["constraint", "defaults", "import", "workload", "flow"].includes(s));
const space = fc.constantFrom(" ", "  ", "\t");

const quantity = (units: string[]) => fc.tuple(num, fc.constantFrom("", " "), fc.constantFrom(...units)).map(([n, s, u]) => `${n}${s}${u}`);

const bounds = fc.record(
  {
    max_execution_time: quantity(durations),
    min_execution_time: quantity(durations),
    max_memory_usage: quantity(sizes),
    error_rate: fc.tuple(fc.constantFrom("<", "<="), fc.integer({ min: 0, max: 1000 })).map(([op, n]) => `${op} ${n / 10}%`),
    min_throughput: fc.integer({ min: 1, max: 1_000_000 }).map((n) => `${n}/s`),
    percentile: fc.constantFrom("p50", "p75", "p90", "p95", "p99", "p999", "max", "mean"),
    mutations: fc.oneof(fc.constantFrom("all", "none"), fc.subarray(["set_membership", "map_index", "hoist_invariant", "loop_fusion", "memoize"], { minLength: 1 }).map((xs) => `[${xs.join(", ")}]`)),
    severity: fc.constantFrom("error", "warning"),
    equivalence: fc.constantFrom("deep", "strict", '"test/eq.ts#same"'),
  },
  { requiredKeys: [] },
);

const comment = fc.oneof(fc.stringMatching(/^[a-z ]{0,12}$/).map((s) => `// ${s}`), fc.stringMatching(/^[a-z ]{0,12}$/).map((s) => `/* ${s} */`));

/** A valid CDL file: constraints with distinct selectors (so bounds never contradict), flows, comments. */
export const validCdl = fc
  .tuple(
    fc.uniqueArray(ident, { minLength: 1, maxLength: 6 }),
    fc.array(bounds, { minLength: 6, maxLength: 6 }),
    fc.array(fc.tuple(fc.boolean(), fc.constantFrom(", ", "; ", "\n  ", " "), fc.option(comment)), { minLength: 6, maxLength: 6 }),
    fc.array(fc.tuple(ident, ident, fc.integer({ min: 1, max: 500 })), { maxLength: 2 }),
    space,
  )
  .map(([names, boundSets, styles, flows, sp]) => {
    const parts: string[] = [];
    names.forEach((name, i) => {
      const b = { ...boundSets[i]! };
      // min and max execution time could contradict; keep one.
      if (b.min_execution_time !== undefined && b.max_execution_time !== undefined) delete b.min_execution_time;
      const props = Object.entries(b).map(([k, v]) => `${k}:${sp}${v}`);
      const [oneLine, sep, c] = styles[i]!;
      if (c !== null) parts.push(c);
      parts.push(oneLine ? `constraint ${name} { ${props.join(sep)} }` : `constraint ${name} {\n  ${props.join(sep.trim() === "" ? "\n  " : `${sep.trim()}\n  `)}\n}`);
    });
    for (const [a, b, n] of flows) parts.push(`flow ${a}.run -> ${b}.go { max_calls: ${n}${sp}max_volume: ${n}KB }`);
    return parts.join("\n") + "\n";
  });

/** Token soup: CDL-like tokens in random order, to reach deep parser and recovery paths. */
export const tokenSoup = fc
  .array(
    fc.oneof(
      fc.constantFrom("constraint", "flow", "defaults", "import", "workload", "{", "}", "[", "]", ":", ",", ";", ".", "..", "->", "<", "<=", ">", ">=", "==", "=", "%", "µ", "/s", "#", "\n", "//c\n", "/*", "*/", '"', '"a#b"', "all", "none"),
      ident,
      quantity([...durations, ...sizes, "%", "/s", "parsecs"]),
      num,
      fc.string({ maxLength: 3 }),
    ),
    { maxLength: 40 },
  )
  .chain((tokens) => fc.array(fc.constantFrom(" ", "", "\n"), { minLength: tokens.length, maxLength: tokens.length }).map((seps) => tokens.map((t, i) => t + seps[i]).join("")));
