import { defineCatalog } from "./definition.js";

/** Semantic errors of a CDL file on its own: CDL0101–CDL0199. */
export const semanticDiagnostics = defineCatalog({
  unknownKey: {
    code: "CDL0101",
    severity: "error",
    name: "unknown-key",
    message: "unknown property `{key}` in {context}",
    explanation: `The property name is not one CDL knows in this kind of block.
Constraint blocks (and \`defaults\`) take \`execution_time\`, \`max_execution_time\`, \`min_execution_time\`,
\`memory_usage\`, \`max_memory_usage\`, \`error_rate\`, \`max_error_rate\`, \`throughput\`, \`min_throughput\`,
\`percentile\`, \`algorithm\`, \`mutations\`, \`workload\`, \`equivalence\` and \`severity\`.
Flow blocks take \`calls\`, \`max_calls\`, \`volume\`, \`max_volume\`, \`latency\`, \`max_latency\`,
\`percentile\` and \`severity\`. The help line suggests the nearest known name.`,
  },
  unknownUnit: {
    code: "CDL0102",
    severity: "error",
    name: "unknown-unit",
    message: "unknown unit `{unit}`",
    explanation: `Units are: durations \`ns us µs ms s min\`; sizes \`B KB MB GB\` (powers of 1000) and
\`KiB MiB GiB\` (powers of 1024); ratios \`%\`; rates \`/s\`. Units are case-sensitive.
A unit may follow its number directly (\`10ms\`) or after spaces on the same line (\`10 ms\`).`,
  },
  wrongKind: {
    code: "CDL0103",
    severity: "error",
    name: "wrong-kind",
    message: "`{key}` takes {expected}, but this is {actual}",
    explanation: `Each property takes one kind of value: \`execution_time\` and \`latency\` a duration,
\`memory_usage\` and \`volume\` a size, \`error_rate\` a ratio in \`%\`, \`throughput\` a rate in \`/s\`,
\`calls\` a plain count. A value of another kind, such as \`max_execution_time: 1MB\`, is an error.`,
  },
  ratioWithoutPercent: {
    code: "CDL0104",
    severity: "error",
    name: "ratio-without-percent",
    message: "`{key}` needs a percentage: write `{suggestion}`",
    explanation: `Ratios are always written with \`%\`, so that \`error_rate: < 0.1\` cannot be read as
either 0.1% or 10%. Write \`error_rate: < 0.1%\` for one call in a thousand.`,
  },
  ratioAboveHundred: {
    code: "CDL0105",
    severity: "error",
    name: "ratio-above-100",
    message: "a ratio cannot exceed 100%, found {value}",
    explanation: `A ratio is a share of calls, between 0% and 100%. A bound above 100% is always
met and almost certainly a typo.`,
  },
  negativeQuantity: {
    code: "CDL0106",
    severity: "error",
    name: "negative-quantity",
    message: "a quantity cannot be negative, found `{text}`",
    explanation: `Durations, sizes, ratios, rates and counts are never negative; a negative bound is
either always met or never met.`,
  },
  invertedRange: {
    code: "CDL0107",
    severity: "error",
    name: "inverted-range",
    message: "range is empty: `{low}` is greater than `{high}`",
    explanation: `A range \`low..high\` compiles to the bounds \`>= low\` and \`<= high\`; when \`low > high\`
no measurement can satisfy both. Swap the ends.`,
  },
  operatorAgainstSugar: {
    code: "CDL0108",
    severity: "error",
    name: "operator-against-direction",
    message: "`{key}` is an {direction} bound and cannot take `{op}`",
    explanation: `\`max_<metric>\` means \`<metric>: <= value\` and accepts only \`<\` or \`<=\`;
\`min_<metric>\` means \`<metric>: >= value\` and accepts only \`>\` or \`>=\`. Use the plain
metric name for other comparisons, e.g. \`execution_time: > 1ms\`.`,
  },
  duplicateKey: {
    code: "CDL0109",
    severity: "error",
    name: "duplicate-key",
    message: "`{key}` is set twice in this block",
    explanation: `Each property may appear once per block. Merge the two values (a range such as
\`execution_time: 1ms..5ms\` states a lower and an upper bound at once).`,
  },
  contradiction: {
    code: "CDL0110",
    severity: "error",
    name: "contradictory-bounds",
    message: "bounds on `{node}` contradict each other: {first} and {second} cannot both hold",
    explanation: `Two bounds that apply to the same node (in one constraint, in two constraints with the
same selector, or through \`defaults\`) leave no value that satisfies both, such as
\`max_execution_time: 1ms\` and \`min_execution_time: 2ms\`. Bounds on \`execution_time\` at different
percentiles are compared only when they use the same percentile.`,
  },
  emptyAlgorithm: {
    code: "CDL0111",
    severity: "error",
    name: "empty-algorithm",
    message: "`algorithm` lists no alternatives",
    explanation: `\`algorithm: [a, b]\` names the implementations the mutation engine may swap in.
An empty list allows nothing; remove the property, or list at least one alternative.`,
  },
  selfAlternative: {
    code: "CDL0112",
    severity: "error",
    name: "self-alternative",
    message: "`{name}` is listed as an alternative to itself",
    explanation: `An alternative implementation must be a different node; the original is always kept
as the baseline and need not be listed.`,
  },
  unknownMutation: {
    code: "CDL0113",
    severity: "error",
    name: "unknown-mutation",
    message: "unknown mutation operator `{name}`",
    explanation: `\`mutations:\` takes \`all\`, \`none\`, or a list of operator names: \`algorithm_swap\`,
\`set_membership\`, \`map_index\`, \`hoist_invariant\`, \`loop_fusion\`, \`accumulator_mutation\`,
\`early_exit\`, \`sort_keys\`, \`string_builder\`, \`index_loop\`, \`memoize\`.`,
  },
  unknownPercentile: {
    code: "CDL0114",
    severity: "error",
    name: "unknown-percentile",
    message: "unknown percentile `{value}`",
    explanation: `\`percentile:\` takes \`p50\`, \`p75\`, \`p90\`, \`p95\`, \`p99\`, \`p999\`, \`max\` or \`mean\`.
It selects the statistic that \`execution_time\` (and a flow's \`latency\`) bounds; the default is \`p95\`.`,
  },
  missingImport: {
    code: "CDL0115",
    severity: "error",
    name: "missing-import",
    message: "cannot read imported file `{path}`: {reason}",
    explanation: `\`import "path.cdl"\` names a file relative to the importing file. The file must exist
and be readable.`,
  },
  missingWorkload: {
    code: "CDL0116",
    severity: "error",
    name: "missing-workload",
    message: "workload module `{path}` not found",
    explanation: `\`workload "module.ts"\` names a module relative to the CDL file. It must exist; a
path without an extension is tried with \`.ts\`, \`.mts\`, \`.js\` and \`.mjs\`.`,
  },
  importCycle: {
    code: "CDL0117",
    severity: "error",
    name: "import-cycle",
    message: "import cycle: {cycle}",
    explanation: `Files import each other in a loop. Move the shared items into a file that both import.`,
  },
  invalidSelector: {
    code: "CDL0118",
    severity: "error",
    name: "invalid-selector",
    message: "invalid selector `{selector}`: {reason}",
    explanation: `A selector is a name (\`sortUsers\`), a qualified name (\`Cart.total\`), or a string
\`"file#qualified.name"\` whose file part may use \`*\` and \`**\` and whose name part may use \`*\`.
Without \`*\` the string is a node id as the tools print it: the file ends at the first \`#\`, and
private members (\`"src/cart.ts#Cart.#sum"\`), setters (\`Cart.rate=\`) and callbacks are written as shown.`,
  },
  invalidValue: {
    code: "CDL0119",
    severity: "error",
    name: "invalid-value",
    message: "invalid value for `{key}`: {reason}",
    explanation: `The property exists but does not take this form of value, for example a range on
\`max_execution_time\`, a comparison on \`severity\`, or \`severity: fatal\`. The help line shows
the accepted forms.`,
  },
  notInContext: {
    code: "CDL0120",
    severity: "error",
    name: "property-not-allowed-here",
    message: "`{key}` is a {kind} property and is not allowed in {context}",
    explanation: `Flow properties (\`max_calls\`, \`max_volume\`, \`max_latency\`) constrain an edge and go in
\`flow a -> b { … }\`; node properties (\`max_execution_time\`, \`algorithm\`, …) go in \`constraint\` or
\`defaults\`.`,
  },
  invalidNumber: {
    code: "CDL0121",
    severity: "error",
    name: "number-out-of-range",
    message: "number `{text}` is too large",
    explanation: `The number does not fit a 64-bit float after conversion to the base unit.`,
  },
  noBounds: {
    code: "CDL0130",
    severity: "warning",
    name: "no-bounds",
    message: "constraint on `{selector}` sets no bound",
    explanation: `The constraint has no performance bound of its own and none from \`defaults\`, so
measuring can never fail it. This is allowed (it may only configure mutations), hence a warning.`,
  },
});
