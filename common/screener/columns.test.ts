import { describe, expect, it } from "vitest";
import { SymbolColumns, parseColumns, type ScreenBar } from "./columns.ts";
import { TechnicalRating } from "./rating.ts";

const bar = (close: number, volume = 1, spread = 0): ScreenBar => ({ open: close, high: close + spread, low: close - spread, close, volume });

describe("column ids", () => {
  it("parses every kind and names an unknown one", () => {
    expect(parseColumns("last, change_pct_24,rsi_14,rating,last").map((c) => c.id)).toEqual(["last", "change_pct_24", "rsi_14", "rating"]);
    expect(() => parseColumns("last,macd_3")).toThrow(/unknown column "macd_3"/);
    expect(() => parseColumns("rsi_0")).toThrow(/rsi_0: N must be between 1/);
    expect(() => parseColumns(" , ")).toThrow(/no columns/);
  });
});

describe("column values", () => {
  it("computes last, change %, relative volume, volume sum and SMA distance by hand", () => {
    const cols = new SymbolColumns(parseColumns("last,change_pct_2,rvol_2,volume_2,sma_dist_pct_2"));
    for (const [c, v] of [
      [100, 10],
      [110, 20],
      [121, 60],
    ] as const)
      cols.push(bar(c, v));
    const { values, notes } = cols.read();
    expect(values.last).toBe(121);
    expect(values.change_pct_2).toBeCloseTo(21, 10);
    expect(values.rvol_2).toBeCloseTo(60 / 15, 10);
    expect(values.volume_2).toBeCloseTo(80, 10);
    expect(values.sma_dist_pct_2).toBeCloseTo((121 / 115.5 - 1) * 100, 10);
    expect(notes).toEqual([]);
  });

  it("ATR % is the ATR over the close: ranges 2, 2 → ATR(2) 2, over close 10 = 20 %", () => {
    const cols = new SymbolColumns(parseColumns("atr_pct_2"));
    cols.push(bar(10, 1, 1));
    cols.push(bar(10, 1, 1));
    expect(cols.read().values.atr_pct_2).toBeCloseTo(20, 10);
  });

  it("too few bars give NaN with a note, not an error", () => {
    const cols = new SymbolColumns(parseColumns("last,rsi_14,change_pct_24"));
    for (let i = 0; i < 5; i++) cols.push(bar(100 + i));
    const { values, notes } = cols.read();
    expect(values.last).toBe(104);
    expect(values.rsi_14).toBeNaN();
    expect(notes).toEqual(["rsi_14: needs 15 bars, has 5", "change_pct_24: needs 25 bars, has 5"]);
  });
});

describe("batches", () => {
  it("feeding a batch (windows skip what cannot reach the end) equals feeding bar by bar", () => {
    const specs = parseColumns("last,change_pct_24,atr_pct_14,rvol_20,sma_dist_pct_50,rsi_14,volume_24,rating,rating_ma,rating_osc");
    const one = new SymbolColumns(specs);
    const batch = new SymbolColumns(specs);
    let price = 100;
    const bars: ScreenBar[] = [];
    for (let i = 0; i < 700; i++) {
      price *= 1 + Math.sin(i * 12.9898) * 0.01;
      bars.push({ open: price, high: price * 1.004, low: price * 0.995, close: price * (1 + Math.cos(i) * 0.002), volume: 1 + (i % 17) });
    }
    bars.forEach((b) => one.push(b));
    bars.forEach((b, i) => batch.push(b, bars.length - 1 - i));
    expect(batch.read()).toEqual(one.read());
  });
});

describe("technical rating", () => {
  it("a steady rise makes every moving average vote buy; a steady fall sell", () => {
    for (const [step, expected] of [
      [1, 1],
      [-1, -1],
    ] as const) {
      const rating = new TechnicalRating();
      for (let i = 0; i < 260; i++) rating.update({ high: 1000 + i * step + 0.5, low: 1000 + i * step - 0.5, close: 1000 + i * step });
      const r = rating.read();
      expect(r.ma).toBe(expected);
      expect(Object.keys(r.components)).toHaveLength(22);
      expect(r.rating).toBeCloseTo((r.ma + r.osc) / 2, 12);
      expect(Object.values(r.components).every((v) => v !== null)).toBe(true);
    }
  });

  it("components without enough bars do not vote", () => {
    const rating = new TechnicalRating();
    for (let i = 0; i < 60; i++) rating.update({ high: 101 + i, low: 99 + i, close: 100 + i });
    const r = rating.read();
    expect(r.components.sma_100).toBeNull();
    expect(r.components.ema_200).toBeNull();
    expect(r.components.sma_50).toBe(1);
    expect(r.ma).toBe(1);
  });

  it("the rating columns read the shared rating", () => {
    const cols = new SymbolColumns(parseColumns("rating,rating_ma,rating_osc"));
    for (let i = 0; i < 250; i++) cols.push(bar(100 + Math.sin(i / 5) * 10, 1, 1));
    const { values, rating } = cols.read();
    expect(values.rating).toBe(rating!.rating);
    expect(values.rating_ma).toBe(rating!.ma);
    expect(values.rating_osc).toBe(rating!.osc);
  });
});
