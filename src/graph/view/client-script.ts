import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { InternalError } from "../../diagnostics/index.js";

/**
 * The view's page script: src/graph/view/client/ bundled with sigma.js and
 * graphology into `dist/graph-view.js` when cdlc is built, and inlined into
 * every page (the page needs no network). Found next to cdlc in each shape
 * it runs in: the CLI bundle (dist/chunks), the library (dist/lib/graph/view),
 * and the sources under test.
 */
let cached: string | undefined;

export function clientScript(): string {
  if (cached !== undefined) return cached;
  for (const candidate of ["../graph-view.js", "../../../graph-view.js", "../../../dist/graph-view.js", "./graph-view.js"]) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) {
      // `</script` would end the page's script element early; `<\/` means the same in JavaScript.
      cached = readFileSync(path, "utf8").replace(/<\/script/gi, "<\\/script");
      return cached;
    }
  }
  throw new InternalError("cannot find the graph view's script (graph-view.js) next to cdlc; rebuild cdlc (npm run build)");
}
