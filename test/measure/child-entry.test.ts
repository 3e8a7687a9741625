import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveChildEntry } from "../../src/measure/child-entry.js";

describe("the measurement child, run from the TypeScript sources", () => {
  it("is bundled into each cache folder asked for, even after an earlier one was removed", async () => {
    // calibrate measures in a temporary folder and removes it; later runs in the same process need a child still.
    const first = mkdtempSync(join(tmpdir(), "cdlc-child-"));
    const a = await resolveChildEntry(first);
    expect(a.startsWith(first)).toBe(true);
    rmSync(first, { recursive: true, force: true });
    const second = mkdtempSync(join(tmpdir(), "cdlc-child-"));
    const b = await resolveChildEntry(second);
    expect(b.startsWith(second)).toBe(true);
    expect(existsSync(b)).toBe(true);
  });
});
