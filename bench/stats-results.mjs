// Merges one bench's figures into bench/results/stats.json.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";

export async function mergeResults(part, environment) {
  const dir = new URL("./results/", import.meta.url);
  const file = new URL("stats.json", dir);
  await mkdir(dir, { recursive: true });
  let current = {};
  try {
    current = JSON.parse(await readFile(file, "utf8"));
  } catch {
    current = {};
  }
  const next = { ...current, ...part, environment, updatedAt: new Date().toISOString() };
  const tmp = new URL("stats.json.tmp", dir);
  await writeFile(tmp, JSON.stringify(next, null, 2) + "\n");
  await rename(tmp, file);
}
