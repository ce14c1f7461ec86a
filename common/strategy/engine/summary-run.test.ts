import { describe, expect, it } from "vitest";
import type { StrategyDefinition, StrategyParams } from "../api.ts";
import { DEFAULT_CAPS, runBacktest } from "./backtest.ts";
import { barsOf, onBars } from "./test-helpers.ts";

/** A seeded random walk with brackets, limits, stops and cancels: many kinds of orders. */
function walk(n: number) {
  let seed = 7;
  let price = 100;
  const rows: [number, number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const open = price;
    price = Math.round(price * (1 + (seed / 2 ** 32 - 0.5) * 0.02) * 100) / 100;
    rows.push([open, Math.max(open, price) + 0.3, Math.min(open, price) - 0.3, price]);
  }
  return barsOf(rows);
}

const busy: StrategyDefinition<StrategyParams, { ids: number[] }> = {
  params: {},
  setup: () => ({ ids: [] }),
  onBar(bar, ctx, s) {
    const i = ctx.barIndex;
    if (i % 7 === 0 && ctx.position.size === 0) ctx.buy(3, { stopLoss: bar.close - 2, takeProfit: bar.close + 2 });
    if (i % 11 === 0) s.ids.push(ctx.buy(1, { type: "limit", price: bar.close - 1 }));
    if (i % 13 === 0 && s.ids.length > 0) ctx.cancel(s.ids.shift()!);
    if (i % 17 === 0) ctx.sell(1, { type: "stop", price: bar.close - 1.5 });
    if (i % 29 === 0) ctx.close();
  },
};

describe("summary runs (sweep combinations)", () => {
  it("give the same trades, equity, exposure and cash as a full run, without order records", () => {
    const bars = walk(3000);
    const config = { cash: 10_000, commission: 0.001, slippageBps: 2 };
    const full = runBacktest(busy, bars, config, DEFAULT_CAPS);
    const summary = runBacktest(busy, bars, config, DEFAULT_CAPS, { summary: true });
    expect(full.orders.length).toBeGreaterThan(500);
    expect(full.orders.some((o) => o.status === "cancelled")).toBe(true);
    expect(summary.orders).toEqual([]);
    expect(summary.trades).toEqual(full.trades);
    expect(Array.from(summary.equity)).toEqual(Array.from(full.equity));
    expect(Array.from(summary.exposure)).toEqual(Array.from(full.exposure));
    expect([summary.cash, summary.finalEquity]).toEqual([full.cash, full.finalEquity]);
  });

  it("still count orders against the order cap", () => {
    const bars = walk(50);
    const many = onBars(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [i, (c) => c.buy(1, { type: "limit", price: 1 })])));
    const run = () => runBacktest(many, bars, { cash: 10_000, commission: 0, slippageBps: 0 }, { ...DEFAULT_CAPS, maxOrders: 20 }, { summary: true });
    expect(run).toThrow(/order limit reached \(20 orders per run\)/);
  });
});

describe("cancel and position", () => {
  it("cancel finds an open order by its id (also given as a numeric string) and refuses done or unknown ids", () => {
    const bars = walk(6);
    const results: boolean[] = [];
    const def = onBars({
      0: (c) => {
        c.buy(1, { type: "limit", price: 1 });
        c.buy(1, { type: "limit", price: 2 });
        c.buy(1);
      },
      1: (c) => {
        results.push(c.cancel("2" as unknown as number), c.cancel(2), c.cancel(3), c.cancel(99), c.cancel(1.5), c.cancel(1));
      },
    });
    const r = runBacktest(def, bars, { cash: 10_000, commission: 0, slippageBps: 0 }, DEFAULT_CAPS);
    expect(results).toEqual([true, false, false, false, false, true]);
    expect(r.orders.map((o) => o.status)).toEqual(["cancelled", "cancelled", "filled"]);
  });

  it("position is one frozen snapshot between fills and a new one after each", () => {
    const seen: unknown[] = [];
    const def = onBars({
      0: (c) => {
        seen.push(c.position, c.position);
        c.buy(2);
      },
      1: (c) => seen.push(c.position, c.position),
      2: (c) => {
        c.sell(1);
        seen.push(c.position);
      },
      3: (c) => seen.push(c.position),
    });
    runBacktest(def, walk(5), { cash: 10_000, commission: 0, slippageBps: 0 }, DEFAULT_CAPS);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]).toEqual({ size: 0, avgPrice: 0 });
    expect(seen[2]).toBe(seen[3]);
    expect(seen[2]).not.toBe(seen[1]);
    expect(seen[2]).toMatchObject({ size: 2 });
    expect(Object.isFrozen(seen[2])).toBe(true);
    expect(seen[4]).toBe(seen[3]);
    expect(seen[5]).toMatchObject({ size: 1 });
  });
});
