// The cases each function of the catalog is measured on: fixed, seeded data.
import type { Order } from "../src/catalog.js";

let seed = 12345;
const random = (): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
};
const numbers = (n: number, scale = 1): number[] => Array.from({ length: n }, () => random() * scale);
const sorted = (n: number): number[] => numbers(n, 1e6).map(Math.floor).sort((a, b) => a - b);
const WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"];
const text = (words: number): string => Array.from({ length: words }, (_, i) => `${WORDS[Math.floor(random() * WORDS.length)]}${i % 50}`).join(" ");
const letters = (n: number): string => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(random() * 4))).join("");
const matrix = (n: number): Float64Array => Float64Array.from(numbers(n * n));

export const addReadings = () => [[Float64Array.from(numbers(50_000))]];
export const wordFrequencies = () => [[text(20_000)], [text(15_000)]];
export const mergeSorted = () => [[sorted(50_000), sorted(50_000)], [sorted(40_000), sorted(60_000)]];
export const multiply = () => [[matrix(64), matrix(64), 64], [matrix(56), matrix(56), 56]];
export const editDistance = () => [[letters(500), letters(500)], [letters(400), letters(450)]];
const orders = (n: number): Order[] => Array.from({ length: n }, () => ({ customer: `c${Math.floor(random() * 500)}`, amount: Math.floor(random() * 10_000) }));
const csv = (n: number): string => Array.from({ length: n }, (_, i) => `${i},item ${i % 97},${(random() * 100).toFixed(2)}`).join("\n");

// Allocation-heavy: their samples include the garbage collector's pauses, as real code's do.
export const serializeOrders = () => [[orders(5_000)], [orders(2_500)]];
export const parseCsv = () => [[csv(6_000)], [csv(3_000)]];
export const totalsByCustomer = () => [[orders(30_000)], [orders(25_000)]];
export const crc32 = () => [[Uint8Array.from(numbers(300_000, 256).map(Math.floor))], [Uint8Array.from(numbers(250_000, 256).map(Math.floor))]];
export const primesBelow = () => [[400_000], [300_000]];
