import { describe, expect, it } from "vitest";
import { makeProducts } from "../bench/fixtures.js";
import { Cart } from "../src/cart.js";
import { Checkout } from "../src/checkout.js";
import { Inventory } from "../src/inventory.js";

const products = makeProducts(50);

describe("checkout", () => {
  it("charges the total of the cart and takes the stock", () => {
    const inventory = new Inventory({ "SKU-1": 5, "SKU-2": 5 });
    const cart = new Cart([{ sku: "SKU-1", quantity: 2 }, { sku: "SKU-2", quantity: 1 }], products);
    expect(new Checkout(inventory).run(cart)).toBe(2 * products[1]!.priceCents + products[2]!.priceCents);
    expect(inventory.available("SKU-1")).toBe(3);
  });

  it("refuses an order when a line is out of stock", () => {
    const inventory = new Inventory({ "SKU-1": 1 });
    const cart = new Cart([{ sku: "SKU-1", quantity: 2 }], products);
    expect(() => new Checkout(inventory).run(cart)).toThrow("out of stock: SKU-1");
  });

  it("totals many carts", () => {
    for (let n = 0; n < 40; n++) {
      const lines = Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1 }));
      const expected = products.slice(0, n).reduce((sum, p) => sum + p.priceCents, 0);
      expect(new Cart(lines, products).total()).toBe(expected);
    }
  });
});
