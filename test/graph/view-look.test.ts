import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { edgeColour, edgeSize, nodeSizes, worstVerdict } from "../../src/graph/view/client/look.js";
import { separate, type Disc } from "../../src/graph/view/client/separate.js";
import type { PageNode } from "../../src/graph/view/page-types.js";

/** The view's pure parts: what size and colour say, and how closed folders are moved apart. */
const node = (id: string, extra: Partial<PageNode> = {}): PageNode => ({ id, name: id, label: id, file: "a.ts", folder: 0, line: 1, kind: "function", x: 0, y: 0, constraints: [], metrics: [], ...extra });

describe("the view's sizes and colours", () => {
  it("sizes measured nodes by time spent on a log scale, 4 to 16 px, and the others by callers", () => {
    const nodes = [node("fast", { timeNs: 10 }), node("slow", { timeNs: 1e7 }), node("mid", { timeNs: 1e4, calls: 100 }), node("plain"), node("hub")];
    const sizes = nodeSizes(nodes, new Map([["hub", 16]]));
    expect(sizes.get("fast")).toBe(4);
    expect(sizes.get("slow")).toBeCloseTo(16, 9);
    expect(sizes.get("mid")).toBeGreaterThan(4);
    expect(sizes.get("mid")).toBeLessThan(16);
    expect(sizes.get("plain")).toBe(4);
    expect(sizes.get("hub")).toBe(10);
  });

  it.each([
    [["pass", "fail", "inconclusive"], "fail"],
    [["pass", "inconclusive"], "inconclusive"],
    [["pass", "unmeasured"], "unmeasured"],
    [["pass", "constrained"], "constrained"],
    [["pass"], "pass"],
    [[undefined], undefined],
  ] as const)("the worst of %j is %s", (verdicts, worst) => {
    expect(worstVerdict(verdicts)).toBe(worst);
  });

  it("widens edges with calls, and darkens them with bytes per call", () => {
    expect(edgeSize({})).toBe(1);
    expect(edgeSize({ calls: 9 })).toBe(2);
    expect(edgeSize({ calls: 1e12 })).toBe(6);
    expect(edgeColour({ kind: "construct" })).toBe("#b9a3e3");
    const light = edgeColour({ kind: "call", bytesPerCall: 0 });
    const dark = edgeColour({ kind: "call", bytesPerCall: 1e6 });
    const sum = (c: string) => c.match(/\d+/g)!.map(Number).reduce((a, b) => a + b, 0);
    expect(sum(dark)).toBeLessThan(sum(edgeColour({ kind: "call", bytesPerCall: 1e3 })));
    expect(sum(edgeColour({ kind: "call", bytesPerCall: 1e3 }))).toBeLessThan(sum(light));
  });
});

describe("closed folders moved apart", () => {
  const overlaps = (discs: Disc[], unitsPerPixel: number) =>
    discs.some((a, i) => discs.some((b, j) => j > i && (a.movable || b.movable) && Math.hypot(a.x - b.x, a.y - b.y) < (a.size + b.size) * unitsPerPixel - 1e-6));

  it("leaves no folder disc over another disc, and never moves a shown node", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ x: fc.double({ min: 0, max: 100, noNaN: true }), y: fc.double({ min: 0, max: 100, noNaN: true }), size: fc.integer({ min: 3, max: 20 }), movable: fc.boolean() }), { minLength: 1, maxLength: 40 }),
        (input) => {
          const discs = input.map((d) => ({ ...d }));
          separate(discs, 0.2);
          input.forEach((d, i) => {
            if (!d.movable) expect(discs[i]).toEqual(d);
          });
          // Shown nodes may overlap one another (the layout put them there); folders overlap nothing.
          expect(overlaps(discs, 0.2)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("parts two folders on the same spot", () => {
    const discs = [
      { x: 5, y: 5, size: 10, movable: true },
      { x: 5, y: 5, size: 10, movable: true },
    ];
    separate(discs, 1);
    expect(Math.hypot(discs[0]!.x - discs[1]!.x, discs[0]!.y - discs[1]!.y)).toBeGreaterThanOrEqual(20);
  });
});
