/** `.cdl/archive.jsonl`: appended a whole batch at a time, never rewritten; a torn last line spoils nothing after it. */
import { appendFileSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { appendArchive, readArchive, type ArchiveEntry } from "../../src/versions/index.js";
import { makeProject, removeProjects } from "./helpers.js";

afterAll(removeProjects);

function entry(variant: number, verdict: ArchiveEntry["verdict"] = "accepted"): ArchiveEntry {
  return { time: "2025-12-02T03:00:00.000Z", run: "r1", node: "src/a.ts#f", variant, parent: null, operators: ["set_membership"], risk: 0.1, verdict, reason: "ok" };
}

describe("the archive", () => {
  it("appends one JSON line per entry and reads them back in order", () => {
    const root = makeProject({});
    expect(readArchive(root)).toEqual({ entries: [], damaged: [] });
    appendArchive(root, [entry(1), entry(2, "not-equivalent")]);
    const first = readFileSync(join(root, ".cdl/archive.jsonl"), "utf8");
    appendArchive(root, [entry(3, "not-faster")]);
    appendArchive(root, []);
    const text = readFileSync(join(root, ".cdl/archive.jsonl"), "utf8");
    // Never rewritten: what was there stays the file's beginning.
    expect(text.startsWith(first)).toBe(true);
    expect(text.split("\n")).toHaveLength(4);
    expect(readArchive(root)).toEqual({ entries: [entry(1), entry(2, "not-equivalent"), entry(3, "not-faster")], damaged: [] });
  });

  it("keeps a torn last line apart from the next append, and reports it", () => {
    const root = makeProject({});
    appendArchive(root, [entry(1)]);
    // What a writer killed in the middle of a line leaves.
    appendFileSync(join(root, ".cdl/archive.jsonl"), '{"time":"2025-12-02T0');
    const size = statSync(join(root, ".cdl/archive.jsonl")).size;
    appendArchive(root, [entry(2)]);
    expect(statSync(join(root, ".cdl/archive.jsonl")).size).toBeGreaterThan(size);
    expect(readArchive(root)).toEqual({ entries: [entry(1), entry(2)], damaged: [2] });
  });

  it("refuses an entry that is not an object, appending nothing", () => {
    const root = makeProject({});
    expect(() => appendArchive(root, [entry(1), null as unknown as ArchiveEntry])).toThrow("an archive entry must be an object");
    expect(readArchive(root).entries).toEqual([]);
  });
});
