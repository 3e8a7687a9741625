// Hand-optimized versions of the corpus's slow functions: same signatures and the same behaviour
// (results, errors, and what they leave in their arguments), written as a careful person would.
// They are the yardstick for what `cdlc optimize` finds.
import type { CalendarEvent, Member } from "./events.js";
import type { Customer, Invoice, Order, OrderRow } from "./orders.js";
import type { Account, CheckResult } from "./records.js";
import { rankByNameMerge } from "./events.js";

/** `dedupeTags` with a Set beside the list. */
export function dedupeTagsReference(tags: string[]): string[] {
  const seen: string[] = [];
  const known = new Set<string>();
  for (const tag of tags) {
    const normalized = tag.trim().toLowerCase();
    if (!known.has(normalized)) {
      known.add(normalized);
      seen.push(normalized);
    }
  }
  return seen;
}

/** `returningCustomers` with last month in a Set (`indexOf` skips holes and finds no NaN; the ids are strings). */
export function returningCustomersReference(thisMonth: string[], lastMonth: string[]): string[] {
  const last = new Set(lastMonth);
  return thisMonth.filter((id) => last.has(id));
}

/**
 * `ordersWithCustomers` with an index from id to the FIRST customer with it, filled only as far as the
 * lookups need: it reads the customers in `find`'s order and never beyond where `find` would stop.
 */
export function ordersWithCustomersReference(orders: Order[], customers: Customer[]): OrderRow[] {
  const byId = new Map<string, Customer>();
  let scanned = 0;
  return orders.map((order) => {
    const id = order.customerId;
    let customer = byId.get(id);
    while (customer === undefined && scanned < customers.length) {
      const c = customers[scanned++]!;
      if (!byId.has(c.id)) byId.set(c.id, c);
      if (c.id === id) customer = c;
    }
    if (customer === undefined) return { order: order.id, customer: "?", country: "?" };
    return { order: order.id, customer: customer.name, country: customer.country };
  });
}

/** `paidRevenue` in one pass (holes skipped, as `filter` skips them; the same additions in the same order). */
export function paidRevenueReference(orders: Order[]): number {
  let sum = 0;
  for (let i = 0, n = orders.length; i < n; i++) {
    if (!(i in orders)) continue;
    const o = orders[i]!;
    if (o.status === "paid") sum += o.quantity * o.unitCents;
  }
  return sum;
}

/** `hasOverdue` stopping at the first overdue invoice. */
export function hasOverdueReference(invoices: Invoice[], asOf: string): boolean {
  return invoices.some((inv) => inv.paidCents < inv.amountCents && inv.due < asOf);
}

/** `countMentions` lowering the document once. */
export function countMentionsReference(document: string, names: string[]): number {
  const lowered = document.toLowerCase();
  let count = 0;
  for (const name of names) {
    if (lowered.includes(name.toLowerCase())) count++;
  }
  return count;
}

/** `decodings` by dynamic programming from the end: each suffix counted once, with the same tests. */
export function decodingsReference(digits: string): number {
  // ways[i]: the decodings of digits.slice(i).
  let next = 1; // ways[i + 1]
  let afterNext = 0; // ways[i + 2]
  for (let i = digits.length - 1; i >= 0; i--) {
    let ways = 0;
    if (digits[i] !== "0") {
      ways = next;
      if (digits.length - i >= 2 && Number(digits.slice(i, i + 2)) <= 26) ways += afterNext;
    }
    afterNext = next;
    next = ways;
  }
  return next;
}

/** `indexById` filling one object. A `__proto__` id is defined, as the literal's computed key does, not assigned. */
export function indexByIdReference(accounts: Account[]): Record<string, Account> {
  const byId: Record<string, Account> = {};
  for (let i = 0, n = accounts.length; i < n; i++) {
    if (!(i in accounts)) continue;
    const account = accounts[i]!;
    const id = account.id;
    if (id === "__proto__") Object.defineProperty(byId, id, { value: account, writable: true, enumerable: true, configurable: true });
    else byId[id] = account;
  }
  return byId;
}

/** `collectErrors` pushing into one array (spreading reads holes as `undefined`; so does `for…of`). */
export function collectErrorsReference(results: CheckResult[]): string[] {
  const all: string[] = [];
  for (let i = 0, n = results.length; i < n; i++) {
    if (!(i in results)) continue;
    for (const error of results[i]!.errors) all.push(error);
  }
  return all;
}

/** `sortByDate` parsing each timestamp once (decorate, sort by the same subtraction, undecorate). */
export function sortByDateReference(events: CalendarEvent[]): CalendarEvent[] {
  const copy = [...events];
  // The built-in sort moves `undefined` to the end without comparing it: do the same around the keyed sort.
  const defined: { event: CalendarEvent; key: number }[] = [];
  let missing = 0;
  for (const event of copy) {
    if (event === undefined) missing++;
    else defined.push({ event, key: Date.parse(event.at) });
  }
  if (defined.length < 2) return copy.sort();
  defined.sort((a, b) => a.key - b.key);
  const out = defined.map((d) => d.event);
  for (let k = 0; k < missing; k++) out.push(undefined as unknown as CalendarEvent);
  return out;
}

/** `rankByName` by merge sort: the alternative its constraint names. */
export function rankByNameReference(members: Member[]): Member[] {
  return rankByNameMerge(members);
}
