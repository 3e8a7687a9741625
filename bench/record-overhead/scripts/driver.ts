// Times the kernels of src/kernels.ts in its own process and prints one JSON
// line: per kernel, the median ns per call over the kept rounds. Each round
// runs a batch of a fixed number of calls of every kernel (the same work in
// every run, plain or recorded); the first rounds warm up and are dropped.
// Between rounds it yields to the event loop, as a real program would, so
// that the recorder's periodic write lands between batches, not inside one.
//
//   node --import tsx scripts/driver.ts [rounds=20] [warmupRounds=3]
import { countPrimes, dotProduct, hashKey } from "../src/kernels.js";

const rounds = Number(process.argv[2] ?? 20);
const warmupRounds = Number(process.argv[3] ?? 3);

const keys = Array.from({ length: 64 }, (_, i) => `customer-${i * 7919}-order`);
const a = Float64Array.from({ length: 640 }, (_, i) => i * 0.5);
const b = Float64Array.from({ length: 640 }, (_, i) => 1 / (i + 1));
let sink = 0;

/** One loop per kernel, so that no kernel shares a call site's type feedback with another. About 10 ms a batch each. */
const kernels: { name: string; calls: number; batch: (calls: number) => void }[] = [
  {
    name: "hashKey",
    calls: 200_000,
    batch: (calls) => {
      for (let i = 0; i < calls; i++) sink ^= hashKey(keys[i & 63]!);
    },
  },
  {
    name: "dotProduct",
    calls: 8_000,
    batch: (calls) => {
      for (let i = 0; i < calls; i++) sink += dotProduct(a, b);
    },
  },
  {
    name: "countPrimes",
    calls: 200,
    batch: (calls) => {
      for (let i = 0; i < calls; i++) sink += countPrimes(12_000);
    },
  },
];

const perCall = new Map<string, number[]>(kernels.map((k) => [k.name, []]));
for (let round = 0; round < warmupRounds + rounds; round++) {
  for (const k of kernels) {
    const t0 = process.hrtime.bigint();
    k.batch(k.calls);
    const ns = Number(process.hrtime.bigint() - t0) / k.calls;
    if (round >= warmupRounds) perCall.get(k.name)!.push(ns);
  }
  await new Promise((resolve) => setImmediate(resolve));
}

/** What one read of the clock the recorder uses costs here, ns (mean of a tight loop). */
function clockReadNs(): number {
  const reads = 200_000;
  let last = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reads; i++) last += performance.now();
  const ns = Number(process.hrtime.bigint() - t0) / reads;
  sink += last > 0 ? 0 : 1;
  return ns;
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const calls = Object.fromEntries(kernels.map((k) => [k.name, k.calls * (warmupRounds + rounds)]));
const perCallNs = Object.fromEntries(kernels.map((k) => [k.name, median(perCall.get(k.name)!)]));
console.log(JSON.stringify({ perCallNs, calls, clockReadNs: clockReadNs(), sink: Number.isFinite(sink) }));
