// Joins by `find`: by object identity, and by a key read from each order.

export interface User {
  id: number;
  name: string;
}

export interface Session {
  user: User;
  startedAt: string;
}

export interface Customer {
  id: string;
  name: string;
}

export interface Order {
  id: number;
  customerId: string;
}

/**
 * Each user's session. Sessions hold their user object: `===` matches that very object, not a
 * copy of it with the same id (a user reloaded from the database is another object). A Map keyed
 * by the object keeps that; a Map keyed by `user.id` would not.
 */
export function sessionsFor(users: User[], sessions: Session[]): (Session | undefined)[] {
  return users.map((u) => sessions.find((s) => s.user === u));
}

/**
 * A label per order. `find` reads `order.customerId` only when there are customers to compare,
 * and reads the customers only up to the first match: a lookup that reads the key first, or an
 * index built from every customer up front, fails differently on gaps.
 */
export function labelsFor(orders: Order[], customers: Customer[]): string[] {
  const labels: string[] = [];
  for (const order of orders) {
    const customer = customers.find((c) => c.id === order.customerId);
    labels.push(customer === undefined ? `#${order.id}` : `${customer.name} #${order.id}`);
  }
  return labels;
}
