// Start-up cost of `cdlc check` on a small file, as a ratio to `node -e 0`,
// alternating the two commands in one run (the machine is shared and noisy).
// Usage: npm run build && node bench/startup.mjs [runs=30]
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const runs = Number(process.argv[2] ?? 30);
const root = fileURLToPath(new URL("..", import.meta.url));
const cdl = fileURLToPath(new URL("../examples/shop/constraints.cdl", import.meta.url));
const time = (args) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: "ignore" });
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const cdlc = [];
const bare = [];
for (let i = 0; i < 3; i++) { time(["dist/cli.js", "check", cdl]); time(["-e", "0"]); }
for (let i = 0; i < runs; i++) {
  cdlc.push(time(["dist/cli.js", "check", cdl]));
  bare.push(time(["-e", "0"]));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratios = cdlc.map((c, i) => c / bare[i]);
const result = { runs, cdlcCheckMsMedian: median(cdlc), nodeMsMedian: median(bare), ratioMedian: median(ratios), goal: { maxRatio: 2 }, node: process.version };
console.log(JSON.stringify(result, null, 2));
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/startup.json", import.meta.url), JSON.stringify(result, null, 2) + "\n");
