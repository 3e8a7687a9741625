// Records gathered with `reduce`, copying the accumulator at every step.

export interface Account {
  id: string;
  owner: string;
  balanceCents: number;
}

export interface CheckResult {
  file: string;
  errors: string[];
}

/** The accounts by id (the last one wins). Quadratic: a new object with every key so far, per account. */
export function indexById(accounts: Account[]): Record<string, Account> {
  return accounts.reduce((byId, account) => ({ ...byId, [account.id]: account }), {} as Record<string, Account>);
}

/** Every error of every result, in order. Quadratic: a new array with every error so far, per result. */
export function collectErrors(results: CheckResult[]): string[] {
  return results.reduce((all: string[], result) => [...all, ...result.errors], []);
}
