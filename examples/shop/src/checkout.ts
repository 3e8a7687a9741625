import { Cart } from "./cart.js";
import { Inventory } from "./inventory.js";

export class Checkout {
  constructor(private readonly inventory: Inventory) {}

  /** Reserves every line of the cart and returns the amount to charge. */
  run(cart: Cart): number {
    for (const line of cart.lines) this.inventory.reserve(line.sku, line.quantity);
    return cart.total();
  }
}
