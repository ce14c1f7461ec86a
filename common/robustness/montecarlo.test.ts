/** Monte Carlo: reproducible by seed, and each method behaving as documented. */
import { describe, expect, it } from "vitest";
import type { TradeRecord } from "../strategy/results.ts";
import { monteCarlo, percentiles, type MonteCarloInput } from "./montecarlo.ts";

const DAY = 86_400_000;
const trade = (i: number, pnl: number): TradeRecord => ({ entryTime: i * DAY, entryPrice: 100, exitTime: i * DAY + DAY / 2, exitPrice: 100 + pnl / 10, size: 10, side: "long", pnl, fees: 2 });
const INPUT: MonteCarloInput = {
  startCash: 10_000,
  startTime: 0,
  endTime: 365 * DAY,
  trades: [500, -300, 200, -800, 400, 100, -200, 900, -100, 300].map((p, i) => trade(i, p)),
  returns: Float64Array.from({ length: 365 }, (_, i) => 0.001 * Math.sin(i)),
  slippageBps: 5,
};

describe("Monte Carlo", () => {
  it("is reproducible by seed and changes with it", () => {
    for (const method of ["shuffle", "skip", "bootstrap", "costs"] as const) {
      const a = monteCarlo(INPUT, { method, runs: 300, seed: 42 });
      expect(monteCarlo(INPUT, { method, runs: 300, seed: 42 })).toEqual(a);
      const b = monteCarlo(INPUT, { method, runs: 300, seed: 43 });
      expect({ ...b, seed: 42 }).not.toEqual(a);
    }
  });

  it("shuffle keeps the final equity and spreads the drawdown", () => {
    const r = monteCarlo(INPUT, { method: "shuffle", runs: 500, seed: 1 });
    expect(r.finalEquity.p5).toBeCloseTo(11_000, 6);
    expect(r.finalEquity.p95).toBeCloseTo(11_000, 6);
    expect(r.maxDrawdown.p95!).toBeGreaterThan(r.maxDrawdown.p5!);
    expect(r.cagr.p50).toBeCloseTo(1.1 ** (1 / (365 / 365.25)) - 1, 6);
    expect(r.fan.at(-1)!.p50).toBeCloseTo(11_000, 6);
  });

  it("skip and costs spread the final equity around the run's", () => {
    const skip = monteCarlo(INPUT, { method: "skip", runs: 500, seed: 1 });
    expect(skip.finalEquity.p5!).toBeLessThan(skip.finalEquity.p95!);
    const costs = monteCarlo(INPUT, { method: "costs", runs: 500, seed: 1 });
    expect(costs.finalEquity.p5!).toBeLessThan(11_000);
    expect(costs.finalEquity.p95!).toBeGreaterThan(11_000);
    expect(costs.finalEquity.p50!).toBeCloseTo(11_000, -1);
  });

  it("percentiles interpolate linearly and drop non-finite values", () => {
    expect(percentiles([4, 1, 3, 2, Number.NaN, 5])).toEqual({ p5: 1.2, p50: 3, p95: 4.8 });
    expect(percentiles([])).toEqual({ p5: null, p50: null, p95: null });
  });
});
