import { describe, expect, it } from "vitest";
import type { Candle } from "../../common/api/market.ts";
import { foldCandles, warmupBars } from "./warmup.ts";

const c = (t: number, o: number, h: number, l: number, cl: number, v = 1): Candle => ({ t, open: String(o), high: String(h), low: String(l), close: String(cl), volume: String(v) });

describe("warm-up bars", () => {
  it("folds 1m klines into the session's timeframe and leaves out the bar still forming", async () => {
    const candles = [c(0, 10, 12, 9, 11), c(60_000, 11, 15, 10, 14, 2), c(120_000, 14, 14, 8, 9), c(180_000, 9, 10, 9, 10), c(240_000, 10, 11, 10, 11)];
    expect(foldCandles(candles, 120_000, 240_000)).toEqual([
      { time: 0, open: 10, high: 15, low: 9, close: 14, volume: 3 },
      { time: 120_000, open: 14, high: 14, low: 8, close: 10, volume: 2 },
    ]);
    const asked: number[][] = [];
    const source = { candles: async (_f: string, _s: string, from: number, to: number, limit: number) => (asked.push([from, to, limit]), candles) };
    expect(await warmupBars(source, "kraken", "BTC/USD", 120_000, 1, 250_000)).toEqual([{ time: 120_000, open: 14, high: 14, low: 8, close: 10, volume: 2 }]);
    expect(asked).toEqual([[240_000 - 120_000, 240_000 - 60_000, 2]]);
    expect(await warmupBars(source, "kraken", "BTC/USD", 1000, 10, 250_000)).toEqual([]);
  });
});
