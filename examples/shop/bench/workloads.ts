// Workloads: each export returns the cases (argument lists) a node is measured on.
import { Cart } from "../src/cart.js";
import { Checkout } from "../src/checkout.js";
import { Inventory } from "../src/inventory.js";
import { makeProducts, makeSkus, makeUsers } from "./fixtures.js";

export const sortUsers = () => [[makeUsers(10)], [makeUsers(1_000)], [makeUsers(5_000)]];

// Quadratic on purpose: 5,000 SKUs with 4,000 distinct blow a 1ms budget many times over.
export const dedupeSkus = () => [[makeSkus(2_000, 1_500)], [makeSkus(5_000, 4_000)]];

const products = makeProducts(2_000);
export const searchProducts = () => [[products, "ada widget"], [products, "grace 1"]];
export const matchesAll = () => products.slice(0, 200).map((p) => [p, ["ada", "widget"]]);

// A method needs a receiver: `{ args, this }`.
export const cartTotal = () => {
  const cart = new Cart(
    products.slice(0, 500).map((p, i) => ({ sku: p.sku, quantity: 1 + (i % 3) })),
    products,
  );
  return [{ args: [], this: cart }];
};

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
