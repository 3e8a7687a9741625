// Workloads: each export returns the cases (argument lists) a function is measured on. Six cases each,
// of varied sizes and contents, all seeded; every case takes at least 50 µs in the slow version.
import { makeAccounts, makeCustomers, makeDigits, makeDocument, makeEvents, makeIds, makeInvoices, makeMembers, makeNames, makeOrders, makeResults, makeTags } from "./fixtures.js";

// [tags, distinct]: few repeats to nearly all repeats.
export const dedupeTags = () => [[makeTags(600, 400, 1)], [makeTags(1_500, 300, 2)], [makeTags(2_000, 1_500, 3)], [makeTags(3_000, 800, 4)], [makeTags(2_500, 2_500, 5)], [makeTags(4_000, 3_000, 6)]];

// This month and last month, with overlaps from large to none (ids drawn from a shared range).
const months = (n: number, m: number, space: number, seed: number) => [makeIds(n, space, seed), makeIds(m, space, seed + 100)];
export const returningCustomers = () => [months(400, 600, 2_000, 1), months(1_000, 1_000, 3_000, 2), months(2_000, 1_500, 4_000, 3), months(1_500, 3_000, 100_000, 4), months(3_000, 2_500, 6_000, 5), months(2_500, 3_500, 5_000, 6)];

// Orders joined to customers; some customers unknown (a full scan each).
const join = (orders: number, customers: number, unknown: number, seed: number) => {
  const cs = makeCustomers(customers, seed);
  return [makeOrders(orders, cs, unknown, 0.5, seed + 1), cs];
};
export const ordersWithCustomers = () => [join(300, 200, 0, 1), join(800, 600, 0.05, 2), join(1_500, 1_000, 0.01, 3), join(2_500, 800, 0.02, 4), join(1_200, 2_500, 0, 5), join(3_000, 2_000, 0.03, 6)];

// Shares of paid orders from a tenth to nine tenths. (At most 15,000 orders: the oracle compares
// arguments after each call, up to 100,000 values.)
export const paidRevenue = () => [[makeOrders(2_000, [], 0, 0.5, 1)], [makeOrders(4_000, [], 0, 0.9, 2)], [makeOrders(6_000, [], 0, 0.1, 3)], [makeOrders(9_000, [], 0, 0.6, 4)], [makeOrders(12_000, [], 0, 0.3, 5)], [makeOrders(15_000, [], 0, 0.75, 6)]];

// Books where one invoice in a few hundred to one in a few thousand is overdue.
const AS_OF = "2025-06-30";
export const hasOverdue = () => [[makeInvoices(4_000, 0.01, AS_OF, 1), AS_OF], [makeInvoices(5_000, 0.002, AS_OF, 2), AS_OF], [makeInvoices(8_000, 0.005, AS_OF, 3), AS_OF], [makeInvoices(10_000, 0.001, AS_OF, 4), AS_OF], [makeInvoices(12_000, 0.003, AS_OF, 5), AS_OF], [makeInvoices(15_000, 0.0008, AS_OF, 6), AS_OF]];

// German documents of a thousand to fifteen thousand words, searched for ten to forty names.
const mentions = (words: number, names: number, seed: number) => {
  const ns = makeNames(names, seed);
  return [makeDocument(words, ns.slice(0, Math.ceil(names / 2)), seed + 1), ns];
};
export const countMentions = () => [mentions(1_000, 10, 1), mentions(2_500, 30, 2), mentions(5_000, 15, 3), mentions(8_000, 40, 4), mentions(12_000, 20, 5), mentions(15_000, 25, 6)];

// Digit strings with tens of thousands to millions of recursive calls.
export const decodings = () => [[makeDigits(16, 1)], [makeDigits(20, 2)], [makeDigits(22, 3)], [makeDigits(24, 4)], [makeDigits(26, 5)], [makeDigits(28, 6)]];

export const indexById = () => [[makeAccounts(60, 0.05, 1)], [makeAccounts(120, 0.2, 2)], [makeAccounts(200, 0, 3)], [makeAccounts(280, 0.1, 4)], [makeAccounts(360, 0.02, 5)], [makeAccounts(450, 0.3, 6)]];

export const collectErrors = () => [[makeResults(150, 4, 1)], [makeResults(400, 2, 2)], [makeResults(600, 6, 3)], [makeResults(1_000, 3, 4)], [makeResults(1_500, 1, 5)], [makeResults(2_000, 4, 6)]];

// Random order, partly sorted, mostly sorted.
export const sortByDate = () => [[makeEvents(300, 0, 1)], [makeEvents(800, 0.5, 2)], [makeEvents(1_500, 0, 3)], [makeEvents(2_500, 0.9, 4)], [makeEvents(4_000, 0.2, 5)], [makeEvents(6_000, 0, 6)]];

export const rankByName = () => [[makeMembers(300, 1)], [makeMembers(500, 2)], [makeMembers(750, 3)], [makeMembers(1_000, 4)], [makeMembers(1_300, 5)], [makeMembers(1_600, 6)]];
