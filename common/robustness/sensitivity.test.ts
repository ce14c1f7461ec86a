/** Cost scaling and the break-even search. */
import { describe, expect, it } from "vitest";
import { breakEvenRate, flatCost, scaleCosts } from "./sensitivity.ts";

describe("cost sensitivity helpers", () => {
  it("scales every cost and flattens to one per-fill rate", () => {
    const config = { cash: 1, commission: 0.001, slippageBps: 4, makerFee: 0.0002, takerFee: 0.0005, slippageTicks: 1, seed: 3 };
    expect(scaleCosts(config, 3)).toEqual({ cash: 1, commission: 0.003, slippageBps: 12, makerFee: 0.0006000000000000001, takerFee: 0.0015, slippageTicks: 3, seed: 3 });
    expect(flatCost(config, 0.01)).toEqual({ cash: 1, commission: 0.01, slippageBps: 0, seed: 3 });
  });

  it("finds where a falling return crosses zero, 0 without an edge, null beyond the range", async () => {
    const probes: number[] = [];
    const rate = await breakEvenRate(async (c) => {
      probes.push(c);
      return 0.2 - 40 * c;
    });
    expect(rate!).toBeCloseTo(0.005, 4);
    expect(probes.length).toBeLessThan(20);
    expect(await breakEvenRate(async (c) => -0.1 - c)).toBe(0);
    expect(await breakEvenRate(async () => 0.3)).toBeNull();
  });
});
