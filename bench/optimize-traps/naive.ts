// The obvious rewrite of each trap of src/, written out: faster, and wrong on edges.ts. Kept so a
// benchmark can check that the edges still tell each trap from its rewrite (the functions here
// must differ from the originals on some edge, and agree with them on the workload).
import type { CacheEntry } from "./src/cache.js";
import type { Bill, Entry, Ranked } from "./src/lists.js";
import type { Customer, Order, Session, User } from "./src/lookups.js";
import type { Basket, Line, Options } from "./src/pricing.js";
import type { Sample } from "./src/readings.js";

export function dedupeReadingsNaive(values: number[]): number[] {
  const out: number[] = [];
  for (const v of values) if (out.indexOf(v) === -1) out.push(v);
  return out;
}

export function readingAtNaive(times: number[], samples: Sample[]): (number | null)[] {
  const byTime = new Map<number, Sample>();
  for (const s of samples) if (!byTime.has(s.t)) byTime.set(s.t, s);
  return times.map((t) => byTime.get(t)?.value ?? null);
}

export function sumPresentNaive(readings: number[]): number {
  let total = 0;
  for (let i = 0; i < readings.length; i++) total += readings[i]!;
  return total;
}

export function medianOfNaive(values: number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export function rankValidNaive(entries: Entry[]): Ranked[] {
  const out: Ranked[] = [];
  entries.forEach((e, i) => {
    if (e.score >= 0) out.push({ name: e.name, rank: i + 1 });
  });
  return out;
}

export function firstOverdueNaive(bills: Bill[], today: string): Bill | undefined {
  return bills.find((b) => b.due < today && !b.paid);
}

export function toPathNaive(segments: string[]): string {
  return segments.map((s) => "/" + s).join("");
}

export function cacheKeyNaive(parts: (string | number | null)[]): string {
  return parts.length === 0 ? "" : `${parts.join("|")}|`;
}

export function indentLinesNaive(lines: string[], depth: number): string[] {
  const pad = " ".repeat(depth);
  return lines.map((line) => pad + line);
}

export function uniqueSlugsNaive(titles: string[]): string[] {
  return titles.filter((t, i, all) => all.indexOf(t) === i).map((title) => title.trim().toLowerCase().replace(/\s+/g, "-"));
}

export function sessionsForNaive(users: User[], sessions: Session[]): (Session | undefined)[] {
  const byUser = new Map(sessions.map((s) => [s.user.id, s] as const));
  return users.map((u) => byUser.get(u.id));
}

export function labelsForNaive(orders: Order[], customers: Customer[]): string[] {
  const byId = new Map(customers.map((c) => [c.id, c] as const));
  return orders.map((order) => {
    const customer = byId.get(order.customerId);
    return customer === undefined ? `#${order.id}` : `${customer.name} #${order.id}`;
  });
}

const bought = new Map<string, number>();
const prices = new Map<string, number>();

export function volumePriceNaive(sku: string, quantity: number): number {
  const key = `${sku}\u0000${quantity}`;
  const kept = prices.get(key);
  if (kept !== undefined) return kept;
  const before = bought.get(sku) ?? 0;
  bought.set(sku, before + quantity);
  const price = (before + quantity > 100 ? 90 : 100) * quantity;
  prices.set(key, price);
  return price;
}

const PLANS: Record<string, readonly string[]> = {
  basic: ["SKU-STARTER", "SKU-GUIDE"],
  family: ["SKU-STARTER", "SKU-STARTER", "SKU-GUIDE", "SKU-KIDS"],
  pro: ["SKU-STARTER", "SKU-TOOLS", "SKU-GUIDE", "SKU-SUPPORT", "SKU-TOOLS"],
};
const baskets = new Map<string, Basket>();

export function starterBasketNaive(plan: string): Basket {
  const kept = baskets.get(plan);
  if (kept !== undefined) return kept;
  const counts = new Map<string, Line>();
  for (const sku of PLANS[plan] ?? []) {
    const line = counts.get(sku);
    if (line === undefined) counts.set(sku, { sku, quantity: 1 });
    else line.quantity++;
  }
  const basket = { plan, lines: [...counts.values()], totalCents: 0 };
  baskets.set(plan, basket);
  return basket;
}

const DEFAULTS: Options = { currency: "EUR", locale: "en", pageSize: 20 };

export function withDefaultsNaive(layers: Partial<Options>[]): Options {
  return layers.reduce<Options>((acc, layer) => Object.assign(acc, layer), DEFAULTS);
}

export function sortByBucketNaive(entries: CacheEntry[], size: number): CacheEntry[] {
  return entries
    .map((entry) => ({ entry, key: Math.round(entry.value / size) }))
    .sort((a, b) => a.key - b.key)
    .map((k) => k.entry);
}
