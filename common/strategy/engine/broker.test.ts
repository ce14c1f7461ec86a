import { describe, expect, it } from "vitest";
import type { Indicator, StrategyDefinition, StrategyParams } from "../api.ts";
import { backtest, barsOf, flatBars, onBars } from "./test-helpers.ts";

const BARS = barsOf([
  [100, 101, 99, 100],
  [102, 104, 101, 103],
  [105, 106, 100, 101],
  [98, 99, 95, 96],
  [97, 110, 96, 108],
]);

describe("market orders", () => {
  it("fill at the next bar's open by default", () => {
    const r = backtest(onBars({ 0: (c) => c.buy(10) }), BARS);
    expect(r.orders[0]).toMatchObject({ status: "filled", fillPrice: 102, fillTime: 60_000 });
    expect(r.cash).toBe(10_000 - 1020);
  });

  it("fill at the same bar's close with fillOn close (strategy option or run override)", () => {
    const viaStrategy = backtest(onBars({ 1: (c) => c.buy(10) }, { fillOn: "close" }), BARS);
    expect(viaStrategy.orders[0]).toMatchObject({ fillPrice: 103, fillTime: 60_000 });
    const viaRun = backtest(onBars({ 1: (c) => c.buy(10) }), BARS, { fillOn: "close" });
    expect(viaRun.orders[0]).toMatchObject({ fillPrice: 103 });
  });

  it("placed on the last bar never fill, in either mode", () => {
    for (const fillOn of ["open", "close"] as const) {
      const r = backtest(onBars({ 4: (c) => c.buy(1) }), BARS, { fillOn });
      expect(r.orders[0]!.status).toBe("open");
      expect(r.trades).toEqual([]);
      expect(r.finalEquity).toBe(10_000);
    }
  });

  it("slip against the trader in basis points and round to the tick", () => {
    const r = backtest(onBars({ 0: (c) => c.buy(1), 1: (c) => c.sell(1) }), BARS, { slippageBps: 10, instrument: { tickSize: 0.5 } });
    // buy at 102 * 1.001 = 102.102 → up to 102.5; sell at 105 * 0.999 = 104.895 → down to 104.5
    expect(r.orders.map((o) => o.fillPrice)).toEqual([102.5, 104.5]);
  });

  it("round sizes down to the lot and reject sizes below one lot", () => {
    const r = backtest(onBars({ 0: (c) => { c.buy(2.37); c.buy(0.04); } }), BARS, { instrument: { lotSize: 0.1 } });
    expect(r.orders[0]).toMatchObject({ size: 2.3, status: "filled" });
    expect(r.orders[1]).toMatchObject({ status: "rejected" });
    expect(r.logs.some((l) => l.includes("below the lot size"))).toBe(true);
  });
});

describe("limit and stop orders", () => {
  it("fill against later bars' high/low at the order price", () => {
    const r = backtest(onBars({ 0: (c) => c.buy(1, { type: "limit", price: 100.5 }) }), BARS);
    // bar 1 low 101 does not reach; bar 2 low 100 does, opened at 105 → fills at 100.5
    expect(r.orders[0]).toMatchObject({ fillPrice: 100.5, fillTime: 120_000 });
  });

  it("a bar that gaps through the price fills at the open", () => {
    const stop = backtest(onBars({ 0: (c) => c.buy(1, { type: "stop", price: 101.5 }) }), BARS);
    expect(stop.orders[0]).toMatchObject({ fillPrice: 102, fillTime: 60_000 });
    const limit = backtest(onBars({ 2: (c) => c.buy(1, { type: "limit", price: 99 }) }), BARS);
    expect(limit.orders[0]).toMatchObject({ fillPrice: 98, fillTime: 180_000 });
    const sellStop = backtest(onBars({ 1: (c) => c.sell(1, { type: "stop", price: 99 }) }), BARS);
    expect(sellStop.orders[0]).toMatchObject({ fillPrice: 98, fillTime: 180_000 });
  });

  it("are never filled in the bar they were placed in", () => {
    const r = backtest(onBars({ 1: (c) => c.buy(1, { type: "limit", price: 103.5 }) }), barsOf([[100, 100, 100, 100], [103, 104, 103, 103.5], [104, 104, 104, 104]]));
    expect(r.orders[0]!.status).toBe("open");
  });
});

describe("brackets", () => {
  it("when one bar touches both the stop-loss and the take-profit, the stop-loss (worse) fills", () => {
    const bars = barsOf([[100, 100, 100, 100], [100, 100, 100, 100], [100, 111, 89, 100], [100, 100, 100, 100]]);
    const r = backtest(onBars({ 0: (c) => c.buy(10, { stopLoss: 90, takeProfit: 110 }) }), bars);
    const children = r.orders.filter((o) => o.parentId === 1);
    expect(children.map((o) => [o.type, o.status])).toEqual([["stop", "filled"], ["limit", "cancelled"]]);
    expect(r.trades[0]).toMatchObject({ exitPrice: 90, pnl: -100 });
  });

  it("take-profit fills alone when only it is touched, and cancels the stop", () => {
    const bars = barsOf([[100, 100, 100, 100], [100, 100, 100, 100], [100, 111, 99, 100], [100, 100, 100, 100]]);
    const r = backtest(onBars({ 0: (c) => c.buy(10, { stopLoss: 90, takeProfit: 110 }) }), bars);
    expect(r.trades[0]).toMatchObject({ exitPrice: 110, pnl: 100 });
    expect(r.orders.find((o) => o.type === "stop")!.status).toBe("cancelled");
  });

  it("brackets are cancelled when the position is closed by the strategy", () => {
    const bars = flatBars([100, 100, 100, 100, 100]);
    const r = backtest(onBars({ 0: (c) => c.buy(1, { stopLoss: 90 }), 1: (c) => c.close() }), bars);
    expect(r.orders.find((o) => o.type === "stop")).toMatchObject({ status: "cancelled", reason: "position closed" });
  });
});

describe("cash, shorts and open positions", () => {
  it("rejects an order the cash cannot pay for, with a logged reason (no clipping)", () => {
    const r = backtest(onBars({ 0: (c) => c.buy(1000) }), BARS);
    expect(r.orders[0]).toMatchObject({ status: "rejected", size: 1000 });
    expect(r.orders[0]!.reason).toMatch(/insufficient cash/);
    expect(r.logs[0]).toMatch(/^order #1 rejected: insufficient cash/);
    expect(r.cash).toBe(10_000);
  });

  it("sell while flat opens a short; close() flattens either side", () => {
    const r = backtest(onBars({ 0: (c) => c.sell(10), 2: (c) => c.close() }), BARS);
    expect(r.trades).toEqual([{ entryTime: 60_000, entryPrice: 102, exitTime: 180_000, exitPrice: 98, size: 10, side: "short", pnl: 40, fees: 0 }]);
    expect(r.finalEquity).toBe(10_040);
  });

  it("does not force-close at the end: the open trade is marked at the last close with null exit", () => {
    const r = backtest(onBars({ 0: (c) => c.buy(10) }), BARS, { commission: 0.001 });
    expect(r.trades).toHaveLength(1);
    const t = r.trades[0]!;
    expect(t).toMatchObject({ exitTime: null, exitPrice: null, entryPrice: 102, size: 10, side: "long" });
    expect(t.fees).toBeCloseTo(1.02, 12);
    expect(t.pnl).toBeCloseTo((108 - 102) * 10 - 1.02, 9);
    expect(r.finalEquity).toBeCloseTo(10_000 - 1020 - 1.02 + 1080, 9);
  });

  it("fees are entry plus exit and pnl is net of them; maker/taker rates override commission", () => {
    const r = backtest(onBars({ 0: (c) => c.buy(10), 1: (c) => c.sell(10, { type: "limit", price: 100 }) }), BARS, { commission: 0.01, makerFee: 0.001 });
    const t = r.trades[0]!;
    // entry 102 * 10 taker 1 % = 10.2; exit: limit sell at 100, bar 2 opens 105 above it → fills at 105, maker 0.1 % = 1.05
    expect(t.exitPrice).toBe(105);
    expect(t.fees).toBeCloseTo(10.2 + 1.05, 12);
    expect(t.pnl).toBeCloseTo(30 - 11.25, 12);
  });

  it("a sell larger than the long flips to a short (two trades)", () => {
    const r = backtest(onBars({ 0: (c) => c.buy(10), 1: (c) => c.sell(15) }), BARS);
    expect(r.trades.map((t) => [t.side, t.size, t.exitPrice])).toEqual([["long", 10, 105], ["short", 5, null]]);
  });
});

describe("no look-ahead and determinism", () => {
  const strategy: StrategyDefinition<StrategyParams, { sma: Indicator }> = {
    params: { n: 3 },
    setup: ({ ta, params }) => ({ sma: ta.sma(params.n as number) }),
    onBar(bar, ctx, s) {
      const m = s.sma.update(bar.close);
      if (bar.close > m && ctx.position.size === 0) ctx.buy(1);
      else if (bar.close < m && ctx.position.size > 0) ctx.close();
      ctx.log("close", bar.close, "sma", m);
    },
  };
  const closes = Array.from({ length: 60 }, (_, i) => 100 + 10 * Math.sin(i / 3) + (i % 5));

  it("changing future bars does not change earlier decisions", () => {
    const a = backtest(strategy, flatBars(closes));
    const changed = closes.slice();
    for (let i = 40; i < 60; i++) changed[i] = 50 + i;
    const b = backtest(strategy, flatBars(changed));
    const before = (r: typeof a) => r.orders.filter((o) => o.placedTime < 40 * 60_000).map((o) => [o.id, o.side, o.placedTime]);
    expect(before(b)).toEqual(before(a));
    expect(Array.from(b.equity.subarray(0, 40))).toEqual(Array.from(a.equity.subarray(0, 40)));
  });

  it("the same input gives byte-identical results", () => {
    const json = () => JSON.stringify(backtest(strategy, flatBars(closes)), (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
    expect(json()).toBe(json());
  });
});

describe("warm-up bars", () => {
  it("feed the strategy with orders disabled: nothing is placed, equity stays at the cash, orders work from the first real bar", () => {
    const ids: number[] = [];
    const r = backtest(onBars({ 0: (c) => ids.push(c.buy(10)), 1: (c) => ids.push(c.close()), 2: (c) => ids.push(c.buy(10)) }), BARS, { warmupBars: 2 });
    expect(ids.slice(0, 2)).toEqual([-1, -1]);
    expect(ids[2]).toBeGreaterThan(0);
    expect(r.orders).toHaveLength(1);
    expect(r.orders[0]).toMatchObject({ placedTime: 2 * 60_000, fillPrice: 98 });
    expect(Array.from(r.equity.subarray(0, 3))).toEqual([10_000, 10_000, 10_000]);
  });
});
