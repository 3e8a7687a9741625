// Pricing: state kept between calls, plans built fresh, settings merged over shared defaults.

export interface Line {
  sku: string;
  quantity: number;
}

export interface Basket {
  plan: string;
  lines: Line[];
  totalCents: number;
}

export interface Options {
  currency: string;
  locale: string;
  pageSize: number;
}

/** Units bought so far per SKU, over all calls: the volume discount depends on it. */
const bought = new Map<string, number>();

/**
 * The price of `quantity` units: 100 cents each, 90 once this SKU's volume passes 100 units.
 * Not a function of its arguments: the same call later may cost less. Keeping results by
 * argument would repeat the first price.
 */
export function volumePrice(sku: string, quantity: number): number {
  const before = bought.get(sku) ?? 0;
  bought.set(sku, before + quantity);
  const unit = before + quantity > 100 ? 90 : 100;
  return unit * quantity;
}

const PLANS: Record<string, readonly string[]> = {
  basic: ["SKU-STARTER", "SKU-GUIDE"],
  family: ["SKU-STARTER", "SKU-STARTER", "SKU-GUIDE", "SKU-KIDS"],
  pro: ["SKU-STARTER", "SKU-TOOLS", "SKU-GUIDE", "SKU-SUPPORT", "SKU-TOOLS"],
};

/**
 * A new basket with the plan's starter lines. Each call returns a basket of its own, which the
 * caller fills: handing out a kept one would share it between callers.
 */
export function starterBasket(plan: string): Basket {
  const lines: Line[] = [];
  for (const sku of PLANS[plan] ?? []) {
    const line = lines.find((l) => l.sku === sku);
    if (line === undefined) lines.push({ sku, quantity: 1 });
    else line.quantity++;
  }
  return { plan, lines, totalCents: 0 };
}

const DEFAULTS: Options = { currency: "EUR", locale: "en", pageSize: 20 };

/**
 * The defaults with each layer of overrides applied in turn. The first accumulator is the shared
 * DEFAULTS object: each step makes a new object, so DEFAULTS never changes. Updating the
 * accumulator in place would write the overrides into DEFAULTS, for every later call.
 */
export function withDefaults(layers: Partial<Options>[]): Options {
  return layers.reduce<Options>((acc, layer) => ({ ...acc, ...layer }), DEFAULTS);
}
