/**
 * Tools known never to load the user's ES modules through Node's loader:
 * package managers, and vitest, whose workers load test code through its
 * own pipeline (the plugin instruments it there), and tsx's launcher, which
 * runs the program in a child. A module-hooks thread costs each process
 * about 50 ms to start, so these processes go without one; any other
 * process gets it.
 */
export function runsNoUserModules(entry: string | undefined): boolean {
  if (entry === undefined) return false;
  return (
    /[\\/]node_modules[\\/](npm|pnpm|yarn|corepack|vitest|@vitest[\\/][^\\/]+)[\\/]/.test(entry) ||
    /[\\/]node_modules[\\/]tsx[\\/]dist[\\/]cli\.[cm]?js$/.test(entry) ||
    /[\\/]node_modules[\\/]\.bin[\\/](vitest|tsx)$/.test(entry) ||
    // Package managers' own commands, wherever they are installed (`/usr/bin/npx` links to npm's npx-cli.js).
    /[\\/](npm|npx|pnpm|pnpx|yarn|yarnpkg|corepack)(-cli)?(\.[cm]?js)?$/.test(entry)
  );
}
