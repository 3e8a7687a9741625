export class Inventory {
  private readonly stock = new Map<string, number>();

  constructor(initial: Record<string, number> = {}) {
    for (const [sku, count] of Object.entries(initial)) this.stock.set(sku, count);
  }

  /** Reserves `count` items of a SKU; throws when there are not enough. */
  reserve(sku: string, count: number): void {
    const have = this.stock.get(sku) ?? 0;
    if (have < count) throw new Error(`out of stock: ${sku}`);
    this.stock.set(sku, have - count);
  }

  available(sku: string): number {
    return this.stock.get(sku) ?? 0;
  }
}
