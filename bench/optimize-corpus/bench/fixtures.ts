// Deterministic data for the workloads: every run measures the same inputs.
import type { CalendarEvent, Member } from "../src/events.js";
import type { Customer, Invoice, Order } from "../src/orders.js";
import type { Account, CheckResult } from "../src/records.js";

/** A small linear congruential generator: the same seed gives the same numbers. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: () => number, below: number): number => Math.floor(r() * below);

const FIRST = ["ada", "grace", "linus", "barbara", "ken", "dennis", "margaret", "alan", "edsger", "donald", "frances", "john", "radia", "tim", "sophie", "guido"];
const LAST = ["lovelace", "hopper", "torvalds", "liskov", "thompson", "ritchie", "hamilton", "turing", "dijkstra", "knuth", "allen", "backus", "perlman", "berners-lee", "wilson", "van rossum"];
const COUNTRIES = ["FR", "DE", "NL", "SE", "US", "CA", "JP", "BR", "IN", "NG"];
/** German words (umlauts and ß make the text a two-byte string, as most real text is). */
const GERMAN = ["Rechnung", "Lieferung", "verspätet", "Kunde", "Lager", "Rückerstattung", "genehmigt", "ausstehend", "der", "die", "und", "Bestellung", "Paket", "Etikett", "Straße", "Fahrer", "Depot", "wöchentlich", "Bericht", "Bestand"];
const VORNAMEN = ["Zoë", "José", "Anaïs", "Jürgen", "Chloé", "Søren", "Łukasz", "Ada", "Björn", "Agnès", "Müge", "Renée"];
const NACHNAMEN = ["Müller", "Núñez", "Lefèvre", "Groß", "Dubois", "Kierkegaard", "Wójcik", "Lovelace", "Öztürk", "Fähnrich", "Weiß", "Šimek"];
const WORDS = ["invoice", "shipment", "delayed", "customer", "warehouse", "refund", "approved", "pending", "the", "of", "and", "order", "parcel", "label", "route", "driver", "depot", "weekly", "report", "stock"];

/** `n` tags drawn from `distinct` names, in random case with stray spaces, as users type them. */
export function makeTags(n: number, distinct: number, seed: number): string[] {
  const r = random(seed);
  return Array.from({ length: n }, () => {
    const base = `${pick(r, WORDS)}-${int(r, distinct)}`;
    const cased = r() < 0.3 ? base.toUpperCase() : r() < 0.5 ? base[0]!.toUpperCase() + base.slice(1) : base;
    return r() < 0.2 ? ` ${cased} ` : cased;
  });
}

/** `n` distinct customer ids (`C-000123`) drawn from `1 .. space`. */
export function makeIds(n: number, space: number, seed: number): string[] {
  const r = random(seed);
  const ids = new Set<string>();
  while (ids.size < n) ids.add(`C-${String(1 + int(r, space)).padStart(6, "0")}`);
  return [...ids];
}

export function makeCustomers(n: number, seed: number): Customer[] {
  const r = random(seed);
  return makeIds(n, n * 4, seed + 1).map((id) => ({ id, name: `${pick(r, FIRST)} ${pick(r, LAST)}`, country: pick(r, COUNTRIES) }));
}

/** Orders whose customers are drawn from `customers`, a share `unknown` of them from nowhere. */
export function makeOrders(n: number, customers: readonly Customer[], unknown: number, paidShare: number, seed: number): Order[] {
  const r = random(seed);
  return Array.from({ length: n }, (_, i) => ({
    id: 100_000 + i,
    customerId: r() < unknown || customers.length === 0 ? `X-${int(r, 1e6)}` : pick(r, customers).id,
    status: r() < paidShare ? "paid" : r() < 0.8 ? "open" : "refunded",
    quantity: 1 + int(r, 12),
    unitCents: 99 + int(r, 20_000),
  }));
}

const isoDate = (day: number): string => new Date(Date.UTC(2024, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);

/** Invoices due over two years; a share `overdue` of those due before `asOf` is not fully paid. */
export function makeInvoices(n: number, overdue: number, asOf: string, seed: number): Invoice[] {
  const r = random(seed);
  return Array.from({ length: n }, (_, i) => {
    const due = isoDate(int(r, 730));
    const amountCents = 500 + int(r, 100_000);
    const late = due < asOf && r() < overdue;
    return { number: 1 + i, amountCents, paidCents: late ? int(r, amountCents) : due < asOf ? amountCents : int(r, amountCents + 1), due };
  });
}

/** A German document of `words` words in which some of the names appear (in capitals, as in a heading). */
export function makeDocument(words: number, names: readonly string[], seed: number): string {
  const r = random(seed);
  const parts: string[] = [];
  for (let i = 0; i < words; i++) {
    if (names.length > 0 && r() < 0.002) parts.push(pick(r, names).toUpperCase());
    else parts.push(i % 12 === 0 ? pick(r, GERMAN).toUpperCase() : pick(r, GERMAN));
  }
  return parts.join(" ");
}

/** `n` full names with diacritics, some of which are not in the document. */
export function makeNames(n: number, seed: number): string[] {
  const r = random(seed);
  return Array.from({ length: n }, () => `${pick(r, VORNAMEN)} ${pick(r, NACHNAMEN)}`);
}

/** A digit string of `length` characters, mostly 1s and 2s (many ways to read it), now and then another digit. */
export function makeDigits(length: number, seed: number): string {
  const r = random(seed);
  let out = "";
  for (let i = 0; i < length; i++) {
    const x = r();
    out += x < 0.45 ? "1" : x < 0.85 ? "2" : String(int(r, 10));
  }
  // A leading zero has no reading at all: start with a 1.
  return `1${out.slice(1)}`;
}

/** Accounts; a share `repeated` reuses an earlier id (the last one wins in the index). */
export function makeAccounts(n: number, repeated: number, seed: number): Account[] {
  const r = random(seed);
  const accounts: Account[] = [];
  for (let i = 0; i < n; i++) {
    const id = i > 0 && r() < repeated ? accounts[int(r, i)]!.id : `ACC-${(1000 + i).toString(36)}`;
    accounts.push({ id, owner: `${pick(r, FIRST)} ${pick(r, LAST)}`, balanceCents: int(r, 1e7) - 1e6 });
  }
  return accounts;
}

/** Lint results of `n` files, with up to `most` errors each. */
export function makeResults(n: number, most: number, seed: number): CheckResult[] {
  const r = random(seed);
  return Array.from({ length: n }, (_, i) => ({
    file: `src/module-${i}.ts`,
    errors: Array.from({ length: int(r, most + 1) }, (_, k) => `src/module-${i}.ts:${1 + k * 7}: ${pick(r, WORDS)} is never read`),
  }));
}

/** Events over a year in random order; a share `sorted` of them comes already in order, as appended logs do. */
export function makeEvents(n: number, sorted: number, seed: number): CalendarEvent[] {
  const r = random(seed);
  const start = Date.UTC(2025, 0, 1);
  const events = Array.from({ length: n }, (_, i) => ({ title: `${pick(r, WORDS)} ${i}`, at: new Date(start + int(r, 365 * 86_400) * 1000).toISOString() }));
  const cut = Math.floor(n * sorted);
  const head = events.slice(0, cut).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return [...head, ...events.slice(cut)];
}

/** Members with names drawn from a small pool (many equal names: the sort must be stable). */
export function makeMembers(n: number, seed: number): Member[] {
  const r = random(seed);
  return Array.from({ length: n }, (_, i) => ({ name: `${pick(r, LAST)}, ${pick(r, FIRST)}`, joined: 2000 + (i % 25) }));
}
