import { describe, expect, it } from "vitest";
import { decideDirections } from "../../src/measure/decide/directions.js";

describe("decideDirections (shared by bound decisions and comparisons)", () => {
  it("rejects across all units with Holm, reporting the look and the adjusted p-value of the decided side", () => {
    const [a, b, c] = decideDirections(
      [
        { sides: [{ side: "fail", perLook: [0.0001] }, { side: "pass", perLook: [0.9] }], weights: [1] },
        { sides: [{ side: "fail", perLook: [0.5] }, { side: "pass", perLook: [0.6] }], weights: [1] },
        // Decided at the second look: 0.00001 / 0.5 beats 0.5 / 0.5.
        { sides: [{ side: "fail", perLook: [0.5, 0.9] }, { side: "pass", perLook: [0.5, 0.00001] }], weights: [0.5, 0.5] },
      ],
      0.01,
    );
    expect(a!.side).toBe("fail");
    expect(a!.look).toBe(0);
    expect(a!.pValue).toBeCloseTo(0.0001 * 5, 10); // second smallest of six: (6 - 1) × p
    expect(b!.side).toBeUndefined();
    expect(b!.look).toBe(0);
    expect(b!.pValue).toBeGreaterThan(0.01);
    expect(c!.side).toBe("pass");
    expect(c!.look).toBe(1);
    expect(c!.pValue).toBeCloseTo(0.00002 * 6, 10); // smallest of six: 6 × p
    // The interval at the deciding look is drawn at the level Holm spent there, scaled by the look's weight.
    expect(c!.tail).toBeCloseTo((0.01 / 6) * 0.5, 12);
  });
});
