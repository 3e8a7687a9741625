// Order processing: a join, a filter–map–reduce chain and an existence test.

export interface Customer {
  id: string;
  name: string;
  country: string;
}

export interface Order {
  id: number;
  customerId: string;
  status: "open" | "paid" | "refunded";
  quantity: number;
  unitCents: number;
}

export interface Invoice {
  number: number;
  amountCents: number;
  paidCents: number;
  /** ISO date, `YYYY-MM-DD`: compares as a string. */
  due: string;
}

export interface OrderRow {
  order: number;
  customer: string;
  country: string;
}

/** One row per order with its customer's name and country (`?` for an unknown customer). Quadratic: `find` per order. */
export function ordersWithCustomers(orders: Order[], customers: Customer[]): OrderRow[] {
  return orders.map((order) => {
    const customer = customers.find((c) => c.id === order.customerId);
    if (customer === undefined) return { order: order.id, customer: "?", country: "?" };
    return { order: order.id, customer: customer.name, country: customer.country };
  });
}

/** Revenue of the paid orders, in cents: three passes and two intermediate arrays. */
export function paidRevenue(orders: Order[]): number {
  return orders
    .filter((o) => o.status === "paid")
    .map((o) => o.quantity * o.unitCents)
    .reduce((sum, cents) => sum + cents, 0);
}

/** Whether any invoice is unpaid past its due date: builds every match to test for one. */
export function hasOverdue(invoices: Invoice[], asOf: string): boolean {
  return invoices.filter((inv) => inv.paidCents < inv.amountCents && inv.due < asOf).length > 0;
}
