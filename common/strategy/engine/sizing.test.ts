import { describe, expect, it } from "vitest";
import { backtest, flatBars, onBars } from "./test-helpers.ts";
import { sizeForFraction } from "./sizing.ts";

const noLot = (size: number): number => size;

describe("sizing by a fraction of equity", () => {
  it("sizes a fraction of equity at the price, cut to 8 decimals without a lot", () => {
    expect(sizeForFraction(100_000, 43_000, 0.95, noLot)).toBe(2.20930232);
    expect(sizeForFraction(100_000, 50, 1, noLot)).toBe(2000);
  });

  it("rounds down to the lot and gives 0 when under one lot", () => {
    const lot = (size: number): number => Math.floor(size);
    expect(sizeForFraction(100_000, 43_000, 0.95, lot)).toBe(2);
    expect(sizeForFraction(1_000, 43_000, 0.95, lot)).toBe(0);
  });

  it("refuses a fraction that is not a positive number and gives 0 without a price", () => {
    expect(() => sizeForFraction(1, 1, 0, noLot)).toThrow(/fraction must be a positive number/);
    expect(() => sizeForFraction(1, 1, Number.NaN, noLot)).toThrow(RangeError);
    expect(sizeForFraction(100, 0, 0.5, noLot)).toBe(0);
  });
});

describe("ctx.sizeFor in a backtest", () => {
  it("buys 95 % of equity's worth at the close, on the lot grid", () => {
    const bars = flatBars([40_000, 40_000, 40_000]);
    const free = backtest(onBars({ 0: (c) => void c.buy(c.sizeFor(0.95)) }), bars, { cash: 100_000 });
    expect(free.orders[0]).toMatchObject({ status: "filled", size: 2.375 });
    const lotted = backtest(onBars({ 0: (c) => void c.buy(c.sizeFor(0.95)) }), bars, { cash: 100_000, instrument: { lotSize: 0.1 } });
    expect(lotted.orders[0]).toMatchObject({ status: "filled", size: 2.3 });
  });
});
