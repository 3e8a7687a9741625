// Ten small, already-optimized functions of about 0.1–5 ms per call, the
// kind a team puts budgets on. Their budgets (constraints.cdl) have known
// room: the bench checks how many of them cdlc decides.

export interface Order {
  customer: string;
  amount: number;
}

export function serializeOrders(orders: readonly Order[]): string {
  return JSON.stringify({ count: orders.length, orders });
}

const recent = new Float64Array(20_000);
let written = 0;
let added = 0;
let runningMedian = 0;

/**
 * Keeps the last 20,000 readings and returns their mean with a running
 * median; every 50th call refreshes the median (a sort): an amortized slow
 * path, as caches, compactions and rehashing have. Its p95 is the fast path.
 */
export function addReadings(readings: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < readings.length; i++) {
    recent[written] = readings[i]!;
    written = written + 1 === recent.length ? 0 : written + 1;
    sum += readings[i]!;
  }
  if (++added % 50 === 0) runningMedian = Float64Array.from(recent).sort()[recent.length >> 1]!;
  return sum / readings.length + runningMedian;
}

export function wordFrequencies(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of text.split(" ")) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

export function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

export interface Row {
  id: number;
  name: string;
  price: number;
}

export function parseCsv(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split("\n")) {
    const [id, name, price] = line.split(",");
    rows.push({ id: Number(id), name: name!, price: Number(price) });
  }
  return rows;
}

export function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      for (let j = 0; j < n; j++) out[i * n + j]! += aik * b[k * n + j]!;
    }
  }
  return out;
}

export function editDistance(a: string, b: string): number {
  let previous = new Uint32Array(b.length + 1).map((_, j) => j);
  let current = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

export function totalsByCustomer(orders: readonly Order[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const o of orders) totals.set(o.customer, (totals.get(o.customer) ?? 0) + o.amount);
  return totals;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function primesBelow(limit: number): number {
  const composite = new Uint8Array(limit);
  let count = 0;
  for (let i = 2; i < limit; i++) {
    if (composite[i]) continue;
    count++;
    for (let j = i * i; j < limit; j += i) composite[j] = 1;
  }
  return count;
}
