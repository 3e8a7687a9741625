// A small stand-in for a staging load: a day of orders against the shop.
// `cdlc record` watches it to learn what the constrained functions really do:
//   npx cdlc record examples/shop/constraints.cdl --project examples/shop -- node examples/shop/dist/scripts/traffic.js
import { makeProducts, makeSkus, makeUsers, random } from "../bench/fixtures.js";
import { Cart } from "../src/cart.js";
import { dedupeSkus, searchProducts } from "../src/catalog.js";
import { Checkout } from "../src/checkout.js";
import { Inventory } from "../src/inventory.js";
import { sortUsers } from "../src/users.js";

const orders = Number(process.argv[2] ?? 200);
const products = makeProducts(300);
const inventory = new Inventory(Object.fromEntries(products.map((p) => [p.sku, 1_000])));
const checkout = new Checkout(inventory);
const r = random(7);
let revenue = 0;
let refused = 0;
for (let i = 0; i < orders; i++) {
  const skus = dedupeSkus(makeSkus(5 + Math.floor(r() * 40), products.length, i));
  const cart = new Cart(skus.map((sku) => ({ sku, quantity: 1 + Math.floor(r() * 3) })), products);
  try {
    revenue += checkout.run(cart);
  } catch {
    refused++; // out of stock: the order is refused
  }
  if (i % 10 === 0) searchProducts(products, "widget 1");
}
sortUsers(makeUsers(500));
console.log(`${orders} orders, ${refused} refused, revenue ${(revenue / 100).toFixed(2)}`);
