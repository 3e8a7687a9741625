/**
 * Before any test: the end-to-end tests run the built CLI, so `dist/` must
 * be current. `npm test` builds first; a bare `vitest` after editing `src/`
 * would otherwise test a stale bundle. Rebuild when dist/cli.js is missing
 * or older than any source of the build.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { cliPath, repoRoot } from "./helpers/built-cli.js";

/** The newest modification time under `path` (a file or a folder). */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), stat.mtimeMs);
}

/** Why dist/ must be rebuilt, or undefined when it is current. */
export function staleReason(): string | undefined {
  if (!existsSync(cliPath)) return "dist/cli.js is missing";
  const built = statSync(cliPath).mtimeMs;
  const inputs = ["src", "scripts/build.mjs", "package.json", "tsconfig.json"].map((p) => join(repoRoot, p));
  const changed = inputs.find((p) => newest(p) > built);
  return changed === undefined ? undefined : `${changed.slice(repoRoot.length + 1)} changed after dist/cli.js was built`;
}

export default function setup(): void {
  const reason = staleReason();
  if (reason === undefined) return;
  console.warn(`rebuilding dist/ before the tests: ${reason}`);
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: repoRoot, stdio: "inherit" });
  const still = staleReason();
  if (still !== undefined) throw new Error(`dist/ is still stale after a rebuild: ${still}`);
}
