export interface User {
  id: number;
  name: string;
  signedUpAt: number;
}

/** Sorts users by name, then by id: the shop's user list. */
export function sortUsers(users: readonly User[]): User[] {
  return [...users].sort(compareUsers);
}

function compareUsers(a: User, b: User): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id;
}

/** An alternative: insertion sort, fine for tiny lists only. */
export function sortUsersInsertion(users: readonly User[]): User[] {
  const out = [...users];
  for (let i = 1; i < out.length; i++) {
    const current = out[i]!;
    let j = i - 1;
    while (j >= 0 && compareUsers(out[j]!, current) > 0) {
      out[j + 1] = out[j]!;
      j--;
    }
    out[j + 1] = current;
  }
  return out;
}

/** An alternative: sort by precomputed keys. */
export function sortUsersByKey(users: readonly User[]): User[] {
  return users
    .map((u) => ({ u, key: u.name }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.u.id - b.u.id))
    .map((x) => x.u);
}
