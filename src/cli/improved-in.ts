import { UsageError } from "../index.js";
import type { NodeImprovement } from "../graph/improvements.js";
import { listVersions, VersionError, type ListedVersion } from "../versions/index.js";

/**
 * `cdlc graph --improved-in VERSION`: the nodes a version of the program made
 * faster (its manifest's optimize entries with status `improved` or
 * `improved-still-violating`), by node id. VERSION is a number or `latest`
 * (the newest version `cdlc optimize` made).
 */
export function improvementsIn(root: string, spec: string): Map<string, NodeImprovement> {
  let versions: ListedVersion[];
  try {
    versions = listVersions(root);
  } catch (e) {
    if (e instanceof VersionError) throw new UsageError(`--improved-in: ${e.message}`);
    throw e;
  }
  const made = versions.filter((v) => v.kind === "optimize");
  let version: ListedVersion | undefined;
  if (spec === "latest") {
    version = made.reduce<ListedVersion | undefined>((a, v) => (a === undefined || v.version > a.version ? v : a), undefined);
    if (version === undefined) throw new UsageError("--improved-in latest: cdlc optimize has made no version of this program yet (see `cdlc versions`)");
  } else {
    const n = Number(spec);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--improved-in takes a version number or 'latest' (got '${spec}')`);
    version = versions.find((v) => v.version === n);
    if (version === undefined) throw new UsageError(`--improved-in: there is no version ${n} (see \`cdlc versions\`)`);
    if (version.kind !== "optimize") throw new UsageError(`--improved-in: version ${n} was not made by cdlc optimize (it is ${version.kind === "original" ? "the program as cdlc first found it" : "a rollback"})`);
  }
  const out = new Map<string, NodeImprovement>();
  for (const entry of version.nodes as Entry[]) {
    if (entry === null || typeof entry !== "object" || typeof entry.node !== "string") continue;
    if (entry.status !== "improved" && entry.status !== "improved-still-violating") continue;
    out.set(entry.node, {
      version: version.version,
      status: entry.status,
      ...(entry.before !== undefined ? { before: entry.before } : {}),
      ...(entry.after !== undefined ? { after: entry.after } : {}),
      ...(entry.speedup !== undefined ? { speedup: entry.speedup } : {}),
      operators: entry.accepted?.operators ?? [],
    });
  }
  return out;
}

/** An optimize entry as a manifest keeps it (the contract's shape; read defensively). */
interface Entry {
  node?: unknown;
  status?: unknown;
  before?: NodeImprovement["before"];
  after?: NodeImprovement["after"];
  speedup?: NodeImprovement["speedup"];
  accepted?: { operators?: string[] };
}
