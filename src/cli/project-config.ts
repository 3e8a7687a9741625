import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../index.js";

/**
 * `cdlc.json` beside the project's tsconfig: settings a team keeps with its
 * code instead of repeating them on every command line. Today it holds the
 * proposers of `cdlc optimize`:
 *
 *   { "optimize": { "proposers": ["node tools/propose.mjs"], "proposerTimeout": "90s", "proposerRounds": 2 } }
 *
 * What the command line gives wins: `--proposer` replaces the file's list,
 * `--proposer-timeout` and `--proposer-rounds` their settings. A file that is not as described is
 * refused with what is wrong (exit 2), never half-used.
 */
export const PROJECT_CONFIG = "cdlc.json";

export interface ProjectConfig {
  optimize?: { proposers?: string[]; proposerTimeout?: string; proposerRounds?: number };
}

export function readProjectConfig(root: string): ProjectConfig {
  const path = join(root, PROJECT_CONFIG);
  if (!existsSync(path)) return {};
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UsageError(`${PROJECT_CONFIG}: not valid JSON (${(e as Error).message})`);
  }
  const refuse = (what: string): never => {
    throw new UsageError(`${PROJECT_CONFIG}: ${what}`);
  };
  if (!isObject(value)) return refuse("the file must hold an object, such as { \"optimize\": { \"proposers\": [\"node propose.mjs\"] } }");
  for (const key of Object.keys(value)) if (key !== "optimize") refuse(`unknown setting "${key}" (known: "optimize")`);
  const optimize = value.optimize;
  if (optimize === undefined) return {};
  if (!isObject(optimize)) return refuse('"optimize" must be an object');
  const known = ["proposers", "proposerTimeout", "proposerRounds"];
  for (const key of Object.keys(optimize)) if (!known.includes(key)) refuse(`unknown setting "optimize.${key}" (known: ${known.map((k) => `"${k}"`).join(", ")})`);
  const { proposers, proposerTimeout, proposerRounds } = optimize;
  if (proposers !== undefined && (!Array.isArray(proposers) || proposers.some((p) => typeof p !== "string" || p.trim() === ""))) refuse('"optimize.proposers" must be a list of commands (non-empty strings)');
  if (proposerTimeout !== undefined && typeof proposerTimeout !== "string") refuse('"optimize.proposerTimeout" must be a duration such as "60s"');
  if (proposerRounds !== undefined && (!Number.isInteger(proposerRounds) || (proposerRounds as number) < 1)) refuse('"optimize.proposerRounds" must be a whole number, at least 1');
  return {
    optimize: {
      ...(proposers !== undefined ? { proposers: proposers as string[] } : {}),
      ...(proposerTimeout !== undefined ? { proposerTimeout: proposerTimeout as string } : {}),
      ...(proposerRounds !== undefined ? { proposerRounds: proposerRounds as number } : {}),
    },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
