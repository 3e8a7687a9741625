export interface Product {
  sku: string;
  title: string;
  priceCents: number;
  tags: string[];
}

/** Removes duplicate SKUs, keeping the first. Quadratic: `includes` inside the loop. */
export function dedupeSkus(skus: readonly string[]): string[] {
  const out: string[] = [];
  for (const sku of skus) {
    if (!out.includes(sku)) out.push(sku);
  }
  return out;
}

/** Finds the products whose title matches every word of the query (case-insensitive). */
export function searchProducts(products: readonly Product[], query: string): Product[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return products.filter((p) => matchesAll(p, words));
}

// Not exported: cdlc measures it through an instrumented build.
function matchesAll(product: Product, words: readonly string[]): boolean {
  const title = product.title.toLowerCase();
  return words.every((w) => title.includes(w));
}

/** Builds a one-line label for each product; string concatenation in a loop. */
export function labels(products: readonly Product[]): string {
  let out = "";
  for (const p of products) out += `${p.sku}:${p.title}:${(p.priceCents / 100).toFixed(2)};`;
  return out;
}
