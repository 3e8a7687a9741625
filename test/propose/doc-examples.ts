/** The examples in docs/proposer-protocol.md, read from the page itself so that tests keep it honest. */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const repoRoot = new URL("../../", import.meta.url).pathname;
const page = readFileSync(join(repoRoot, "docs/proposer-protocol.md"), "utf8");

/** The page's fenced blocks of a language, in order. */
export function docBlocks(language: "json" | "js"): string[] {
  return [...page.matchAll(new RegExp("^```" + language + "\\n([\\s\\S]*?)^```$", "gm"))].map((m) => m[1]!);
}

/** The JSON blocks, told apart by their fields: the request, the response, the replay file. */
export function docExamples(): { request: unknown[]; response: unknown[]; replay: unknown[] } {
  const found = { request: [] as unknown[], response: [] as unknown[], replay: [] as unknown[] };
  for (const block of docBlocks("json")) {
    const value = JSON.parse(block) as Record<string, unknown>;
    if ("node" in value) found.request.push(value);
    else if ("candidates" in value) found.response.push(value);
    else if ("nodes" in value) found.replay.push(value);
    else throw new Error(`a json block of docs/proposer-protocol.md is none of the examples: ${block.slice(0, 80)}`);
  }
  return found;
}
