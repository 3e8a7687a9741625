// Workloads: each export returns the cases (argument lists) a node is measured on.
import { Cart } from "../src/cart.js";
import { Checkout } from "../src/checkout.js";
import { Inventory } from "../src/inventory.js";
import { makeProducts, makeSkus, makeUsers } from "./fixtures.js";

export const sortUsers = () => [[makeUsers(10)], [makeUsers(1_000)], [makeUsers(5_000)]];

// Quadratic on purpose: thousands of SKUs blow a 1ms budget many times over. Six cases of
// different sizes and repeat rates, so that `cdlc optimize` can hold some out to judge a variant.
export const dedupeSkus = () => [
  [makeSkus(2_000, 1_500, 3)],
  [makeSkus(5_000, 4_000, 4)],
  [makeSkus(3_000, 1_000, 5)],
  [makeSkus(4_000, 3_500, 6)],
  [makeSkus(2_500, 2_400, 7)],
  [makeSkus(3_500, 2_000, 8)],
];

const products = makeProducts(2_000);
export const searchProducts = () => [[products, "ada widget"], [products, "grace 1"]];
export const matchesAll = () => products.slice(0, 200).map((p) => [p, ["ada", "widget"]]);

// A method needs a receiver: `{ args, this }`. Carts of 200 to 700 lines.
export const cartTotal = () =>
  [200, 300, 400, 500, 600, 700].map((n) => ({
    args: [],
    this: new Cart(
      products.slice(0, n).map((p, i) => ({ sku: p.sku, quantity: 1 + (i % 3) })),
      products,
    ),
  }));

export const reserve = () => {
  const inventory = new Inventory({ "SKU-1": 1e9 });
  return [{ args: ["SKU-1", 1], this: inventory }];
};

// `Checkout.run` (and the flow `Checkout.run -> Inventory.reserve`): one
// `reserve` per cart line. The stock is large enough for every repetition.
export const checkout = () => {
  const lines = (n: number) => products.slice(0, n).map((p, i) => ({ sku: p.sku, quantity: 1 + (i % 3) }));
  const inventory = new Inventory(Object.fromEntries(products.map((p) => [p.sku, 1e12])));
  const desk = new Checkout(inventory);
  return [3, 40].map((n) => ({ args: [new Cart(lines(n), products)], this: desk }));
};
