// Ordinary inputs, as a user's workload would have them: finite readings, dense arrays, valid
// scores, users with their own sessions, a new SKU per purchase. None of them springs a trap:
// edges.ts has the inputs that do.
import { CacheEntry } from "../src/cache.js";
import type { Bill, Entry } from "../src/lists.js";
import type { Customer, Order, Session, User } from "../src/lookups.js";
import type { Sample } from "../src/readings.js";

/** A small linear congruential generator: the same seed gives the same numbers. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = ["alpha", "beta", "gamma", "delta", "release", "notes", "guide", "intro", "setup", "faq", "pricing", "team"];
const int = (r: () => number, below: number) => Math.floor(r() * below);
const word = (r: () => number) => WORDS[int(r, WORDS.length)]!;

/** Readings rounded to a tenth: many repeats, no failed (NaN) reading. */
const readings = (n: number, seed: number) => {
  const r = random(seed);
  return Array.from({ length: n }, () => Math.round(r() * 400) / 10);
};
export const dedupeReadings = () => [[readings(1_000, 1)], [readings(3_000, 2)], [readings(5_000, 3)]];

/** Samples once a second; times asked for are whole seconds, some outside the run. */
const timeline = (n: number, asked: number, seed: number) => {
  const r = random(seed);
  const samples: Sample[] = Array.from({ length: n }, (_, t) => ({ t, value: Math.round(r() * 1000) / 10 }));
  return [Array.from({ length: asked }, () => int(r, n + n / 10)), samples];
};
export const readingAt = () => [timeline(500, 300, 1), timeline(1_500, 1_000, 2), timeline(3_000, 800, 3)];

export const sumPresent = () => [[readings(2_000, 4)], [readings(10_000, 5)], [readings(20_000, 6)]];

export const medianOf = () => [[readings(200, 7)], [readings(800, 8)], [readings(1_500, 9)]];

/** Entries validated upstream: every score is in range. */
const entries = (n: number, seed: number): Entry[] => {
  const r = random(seed);
  return Array.from({ length: n }, (_, i) => ({ name: `${word(r)}-${i}`, score: int(r, 100) }));
};
export const rankValid = () => [[entries(1_000, 1)], [entries(4_000, 2)], [entries(8_000, 3)]];

/** Bills over two years, most of them paid. */
const bills = (n: number, seed: number): Bill[] => {
  const r = random(seed);
  return Array.from({ length: n }, (_, id) => ({ id, due: new Date(Date.UTC(2024, 0, 1 + int(r, 730))).toISOString().slice(0, 10), paid: r() < 0.97 }));
};
export const firstOverdue = () => [[bills(1_000, 1), "2025-06-01"], [bills(5_000, 2), "2024-03-01"], [bills(12_000, 3), "2025-12-31"]];

const segments = (n: number, seed: number) => {
  const r = random(seed);
  return Array.from({ length: n }, () => word(r));
};
export const toPath = () => [[segments(50, 1)], [segments(800, 2)], [segments(3_000, 3)]];

/** Key parts as callers pass them: names and ids, never null. */
const keyParts = (n: number, seed: number) => {
  const r = random(seed);
  return Array.from({ length: n }, (_, i) => (i % 3 === 2 ? int(r, 100_000) : word(r)));
};
export const cacheKey = () => [[keyParts(200, 1)], [keyParts(2_000, 2)], [keyParts(6_000, 3)]];

export const indentLines = () => [[segments(500, 4), 2], [segments(2_000, 5), 4], [segments(4_000, 6), 8]];

/** Titles as written, repeated now and then exactly as before. */
const titles = (n: number, seed: number) => {
  const r = random(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(i > 0 && r() < 0.1 ? out[int(r, i)]! : `${word(r)} ${word(r)} ${i}`);
  return out;
};
export const uniqueSlugs = () => [[titles(300, 1)], [titles(1_000, 2)], [titles(2_000, 3)]];

/** Users and their sessions, sharing the user objects (some users have none). */
const logins = (n: number, seed: number) => {
  const r = random(seed);
  const users: User[] = Array.from({ length: n }, (_, id) => ({ id, name: `${word(r)} ${id}` }));
  const sessions: Session[] = users.filter(() => r() < 0.8).map((user) => ({ user, startedAt: new Date(Date.UTC(2025, 0, 1, 0, int(r, 100_000))).toISOString() }));
  return [users, sessions.reverse()];
};
export const sessionsFor = () => [logins(200, 1), logins(800, 2), logins(1_500, 3)];

const shop = (orders: number, customers: number, seed: number) => {
  const r = random(seed);
  const cs: Customer[] = Array.from({ length: customers }, (_, i) => ({ id: `C${i}`, name: `${word(r)} ${i}` }));
  const os: Order[] = Array.from({ length: orders }, (_, id) => ({ id, customerId: `C${int(r, customers + 20)}` }));
  return [os, cs];
};
export const labelsFor = () => [shop(300, 200, 1), shop(1_000, 800, 2), shop(2_000, 1_500, 3)];

// Repeat purchases of a few SKUs, crossing the volume threshold (one of them exactly at 100 units),
// but no call repeats an earlier one: the same SKU is never bought twice in the same quantity.
export const volumePrice = () => [
  ["SKU-1", 40], ["SKU-2", 5], ["SKU-1", 60], ["SKU-3", 99], ["SKU-1", 30], ["SKU-2", 12], ["SKU-3", 2],
  ["SKU-4", 101], ["SKU-2", 90], ["SKU-4", 1], ["SKU-5", 50], ["SKU-5", 51], ["SKU-1", 7],
];

// One basket per plan.
export const starterBasket = () => [["basic"], ["family"], ["pro"]];

// Every call overrides the currency and the locale.
export const withDefaults = () => [
  [[{ currency: "USD", locale: "en-US" }]],
  [[{ currency: "EUR", locale: "de" }, { locale: "de-AT", pageSize: 50 }]],
  [[{ currency: "GBP", locale: "en-GB", pageSize: 20 }]],
  [[{ currency: "JPY", locale: "ja", pageSize: 100 }, { pageSize: 20 }]],
];

const cached = (n: number, seed: number) => {
  const r = random(seed);
  return [Array.from({ length: n }, (_, i) => new CacheEntry(`k${i}`, int(r, 10_000))), 250];
};
export const sortByBucket = () => [cached(100, 1), cached(500, 2), cached(1_500, 3)];
