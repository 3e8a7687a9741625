import type { Product } from "./catalog.js";

export interface Line {
  sku: string;
  quantity: number;
}

export class Cart {
  constructor(
    readonly lines: Line[],
    private readonly products: readonly Product[],
  ) {}

  /** The total in cents: looks every line's product up with `find` (linear per line). */
  total(): number {
    let sum = 0;
    for (const line of this.lines) {
      const product = this.products.find((p) => p.sku === line.sku);
      if (product) sum += product.priceCents * line.quantity;
    }
    return sum;
  }

  static empty(products: readonly Product[]): Cart {
    return new Cart([], products);
  }
}
