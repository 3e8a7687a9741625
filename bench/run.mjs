// Runs the benchmarks one after another (`npm run bench`, which builds first).
// By default the two quick ones, compile throughput and start-up, with the
// arguments of the README's figures; with --all also the Living Graph against
// tsc, the measurement overhead, the measurement breakdown (the shop and the
// ten-function catalog), the statistics experiments (in-process and through
// the child runner), the optimizer's corpora and the recorder's overhead,
// which take minutes to half an hour. Each writes its figures to
// bench/results/ and prints them; the README's Performance table says what
// they mean.
//
//   npm run bench [-- --all]
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

// [script, arguments, node flags]
const quick = [
  ["compile-throughput.mjs", ["10000", "41"]],
  ["startup.mjs", ["40"]],
];
const slow = [
  ["graph.mjs", ["--files", "1000"]],
  // Collects garbage between rounds, so that no collection lands inside a timed loop.
  ["measure-overhead.mjs", [], ["--expose-gc"]],
  ["stats-aa.mjs", []],
  ["stats-power.mjs", []],
  ["mutate-oracle.mjs", []],
  ["measure-breakdown.mjs", []],
  ["measure-breakdown.mjs", ["--project", "bench/measure-catalog"]],
  // The statistics through the child runner: about half an hour.
  ["stats-child.mjs", []],
  ["optimize-corpus.mjs", []],
  // cdlc record: cost per call and on examples/shop's suite (about 4 minutes).
  ["record-overhead.mjs", []],
];
const args = process.argv.slice(2);
if (args.some((a) => a !== "--all")) {
  console.error("usage: npm run bench [-- --all]");
  process.exit(2);
}
const benches = args.includes("--all") ? [...quick, ...slow] : quick;
for (const [script, rest, flags = []] of benches) {
  console.log(`\n== bench/${script} ${rest.join(" ")}`.trimEnd());
  const r = spawnSync(process.execPath, [...flags, fileURLToPath(new URL(script, import.meta.url)), ...rest], { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`bench/${script} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}
