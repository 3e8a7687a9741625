import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The original source files a compiled JavaScript file was made from,
 * read from its source map (`//# sourceMappingURL=`, a file beside it or
 * an inline `data:` URL), as absolute paths. Empty when it has no map or
 * the map cannot be read: such a file is not recorded, and cdlc says so.
 */
export function sourcesOf(jsPath: string, code: string): string[] {
  const url = mappingUrl(code);
  if (url === undefined) return [];
  let text: string;
  let base: string;
  try {
    if (url.startsWith("data:")) {
      const comma = url.indexOf(",");
      const payload = url.slice(comma + 1);
      text = /;base64$/.test(url.slice(0, comma)) ? Buffer.from(payload, "base64").toString("utf8") : decodeURIComponent(payload);
      base = dirname(jsPath);
    } else {
      const mapPath = url.startsWith("file:") ? fileURLToPath(url) : resolve(dirname(jsPath), decodeURIComponent(url));
      text = readFileSync(mapPath, "utf8");
      base = dirname(mapPath);
    }
    const map = JSON.parse(text) as { sources?: unknown; sourceRoot?: unknown };
    if (!Array.isArray(map.sources)) return [];
    const root = typeof map.sourceRoot === "string" ? map.sourceRoot : "";
    return map.sources.filter((s): s is string => typeof s === "string").map((s) => absoluteSource(base, root, s));
  } catch {
    return [];
  }
}

/** The last `sourceMappingURL` comment's value (the last one wins, as for Node and browsers). */
function mappingUrl(code: string): string | undefined {
  const at = code.lastIndexOf("sourceMappingURL=");
  if (at < 0) return undefined;
  const before = code.slice(Math.max(0, at - 4), at);
  if (!/\/[/*][#@]\s?$/.test(before)) return undefined;
  const match = /^sourceMappingURL=([^\s*]+)/.exec(code.slice(at));
  return match?.[1];
}

function absoluteSource(base: string, root: string, source: string): string {
  const joined = root === "" ? source : root.endsWith("/") ? root + source : `${root}/${source}`;
  if (joined.startsWith("file:")) return fileURLToPath(joined);
  return isAbsolute(joined) ? joined : resolve(base, joined);
}
