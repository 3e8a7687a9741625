import { describe, expect, it } from "vitest";
import { makeProducts, makeSkus, makeUsers } from "../bench/fixtures.js";
import { dedupeSkus, searchProducts } from "../src/catalog.js";
import { sortUsers } from "../src/users.js";

describe("catalog", () => {
  it("keeps the first of each SKU, in order", () => {
    expect(dedupeSkus(["b", "a", "b", "c", "a"])).toEqual(["b", "a", "c"]);
    const skus = makeSkus(300, 40);
    expect(dedupeSkus(skus)).toEqual([...new Set(skus)]);
  });

  it("finds products whose title has every word of the query", () => {
    const products = makeProducts(200);
    for (const query of ["widget", "widget 1", "ada widget"]) {
      const words = query.split(" ");
      expect(searchProducts(products, query)).toEqual(products.filter((p) => words.every((w) => p.title.toLowerCase().includes(w))));
    }
  });

  it("sorts users by name, then by id", () => {
    const sorted = sortUsers(makeUsers(100));
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1]!, sorted[i]!];
      expect(a.name < b.name || (a.name === b.name && a.id < b.id)).toBe(true);
    }
  });
});
