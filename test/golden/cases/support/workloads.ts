export const sortUsers = () => [[[3, 1, 2]]];
