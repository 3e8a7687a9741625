import { afterAll, describe, expect, it } from "vitest";
import { createProcessSampler } from "../../src/measure/sampler.js";
import { describeBatch, fixture, median, quickLimits, target } from "./helpers.js";

// The README's example project, measured the way `cdlc check --measure` will. Tests that need the
// memory or flow phase give a budget a loaded machine still reaches them in: a run stops at its
// sample counts, so an idle one spends no more.
const root = fixture("../../examples/shop");
const edge = { from: "src/checkout.ts#Checkout.run", to: "src/inventory.ts#Inventory.reserve" };
const targets = {
  sortUsers: target(root, "src/users.ts#sortUsers", "sortUsers"),
  matchesAll: target(root, "src/catalog.ts#matchesAll", "matchesAll"),
  cartTotal: target(root, "src/cart.ts#Cart.total", "cartTotal"),
  checkout: target(root, "src/checkout.ts#Checkout.run", "checkout", [edge]),
};
const sampler = createProcessSampler({ projectRoot: root, timeoutMs: 10_000, maxOldSpaceMb: 512, targets: Object.values(targets), limits: quickLimits });
afterAll(() => sampler.close());

describe("examples/shop", () => {
  it("measures sortUsers on its three user lists", async () => {
    const batch = await sampler.sample({ target: targets.sortUsers, minSamples: 9, timeBudgetMs: 3_000 });
    expect(batch.failure, describeBatch(batch)).toBeUndefined();
    expect(batch.errors).toBe(0);
    expect(batch.details?.cases).toBe(3);
    // The 5,000-user case sorts a copy: its result (a 5,000-slot array) stays alive.
    expect(Math.max(...batch.memoryBytes)).toBeGreaterThan(5_000 * 4);
  });

  it("measures the unexported matchesAll through the instrumented build", async () => {
    const batch = await sampler.sample({ target: targets.matchesAll, minSamples: 200, timeBudgetMs: 400 });
    expect(batch.failure, describeBatch(batch)).toBeUndefined();
    expect(batch.details?.cases).toBe(200);
    expect(batch.errors).toBe(0);
  });

  it("measures the method Cart.total with its receiver from { args, this }", async () => {
    const batch = await sampler.sample({ target: targets.cartTotal, minSamples: 10, timeBudgetMs: 400 });
    expect(batch.failure, describeBatch(batch)).toBeUndefined();
    expect(batch.errors).toBe(0);
    expect(median(batch.timesNs)).toBeGreaterThan(0);
  });

  it("measures the flow Checkout.run -> Inventory.reserve: one reserve per cart line", async () => {
    const batch = await sampler.sample({ target: targets.checkout, minSamples: 10, timeBudgetMs: 3_000 });
    expect(batch.failure, describeBatch(batch)).toBeUndefined();
    expect(batch.errors).toBe(0);
    const [flow] = batch.edges;
    expect(flow?.from).toBe(edge.from);
    expect(flow!.callsPerCase.length).toBeGreaterThan(0);
    flow!.callsPerCase.forEach((n, i) => expect(n).toBe(i % 2 === 0 ? 3 : 40));
    expect(flow!.latencyNs.length).toBe(flow!.callsPerCase.reduce((a, b) => a + b, 0));
    expect(flow!.volumeBytes.every((v) => v > 0 && v < 64)).toBe(true);
  });
});
