import type { Product } from "../src/catalog.js";
import type { User } from "../src/users.js";

/** A small deterministic generator so every run measures the same inputs. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const names = ["ada", "grace", "linus", "barbara", "ken", "dennis", "margaret", "alan", "edsger", "donald"];

export function makeUsers(n: number, seed = 1): User[] {
  const r = random(seed);
  return Array.from({ length: n }, (_, i) => ({ id: i, name: `${names[Math.floor(r() * names.length)]}${Math.floor(r() * 1000)}`, signedUpAt: Math.floor(r() * 1e9) }));
}

export function makeProducts(n: number, seed = 2): Product[] {
  const r = random(seed);
  return Array.from({ length: n }, (_, i) => ({
    sku: `SKU-${i}`,
    title: `${names[Math.floor(r() * names.length)]} widget ${i}`,
    priceCents: 100 + Math.floor(r() * 10_000),
    tags: [],
  }));
}

export function makeSkus(n: number, distinct: number, seed = 3): string[] {
  const r = random(seed);
  return Array.from({ length: n }, () => `SKU-${Math.floor(r() * distinct)}`);
}
