import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Candle } from "../../common/api/market.ts";
import type { SessionBar } from "../../common/strategy/engine/session.ts";
import { importFiles } from "../store/import.ts";
import { Store } from "../store/index.ts";
import { foldCandles, storeBarSource, warmupBars, type StoredBarSource } from "./warmup.ts";

const c = (t: number, o: number, h: number, l: number, cl: number, v = 1): Candle => ({ t, open: String(o), high: String(h), low: String(l), close: String(cl), volume: String(v) });
const M = 60_000;
const bar = (time: number, close: number): SessionBar => ({ time, open: close, high: close, low: close, close, volume: 1 });

/** A kline source over 1m candles of close = minute index, recording what it was asked. */
function klines(asked: number[][]) {
  return {
    candles: async (_f: string, _s: string, from: number, to: number, limit: number) => {
      asked.push([from, to, limit]);
      const out: Candle[] = [];
      for (let t = from; t <= to; t += M) out.push(c(t, t / M, t / M, t / M, t / M));
      return out;
    },
  };
}

describe("warm-up bars", () => {
  it("folds 1m klines into the session's timeframe and leaves out the bar still forming", async () => {
    const candles = [c(0, 10, 12, 9, 11), c(60_000, 11, 15, 10, 14, 2), c(120_000, 14, 14, 8, 9), c(180_000, 9, 10, 9, 10), c(240_000, 10, 11, 10, 11)];
    expect(foldCandles(candles, 120_000, 240_000)).toEqual([
      { time: 0, open: 10, high: 15, low: 9, close: 14, volume: 3 },
      { time: 120_000, open: 14, high: 14, low: 8, close: 10, volume: 2 },
    ]);
    const asked: number[][] = [];
    const source = { candles: async (_f: string, _s: string, from: number, to: number, limit: number) => (asked.push([from, to, limit]), candles) };
    expect(await warmupBars(source, "kraken", "BTC/USD", "1m", 2, 250_000)).toEqual([c(120_000, 14, 14, 8, 9), c(180_000, 9, 10, 9, 10)].map((k) => ({ time: k.t, open: Number(k.open), high: Number(k.high), low: Number(k.low), close: Number(k.close), volume: 1 })));
    expect(asked).toEqual([[120_000, 180_000, 2]]);
    expect(await warmupBars(source, "kraken", "BTC/USD", "1s", 10, 250_000)).toEqual([]);
  });

  it("takes the store's bars first and asks REST only for the minutes the store lacks", async () => {
    const asked: number[][] = [];
    const storedAsks: unknown[][] = [];
    const stored: StoredBarSource = {
      bars: async (venue, symbol, tf, from, to, limit) => (storedAsks.push([venue, symbol, tf, from, to, limit]), [bar(3 * M, 103), bar(4 * M, 104), bar(5 * M, 105)]),
    };
    const bars = await warmupBars(klines(asked), "kraken", "BTC/USD", "1m", 8, 10 * M + 5, stored);
    expect(storedAsks).toEqual([["kraken", "BTC/USD", "1m", 2 * M, 10 * M, 8]]);
    expect(asked).toEqual([
      [2 * M, 2 * M, 1],
      [6 * M, 9 * M, 4],
    ]);
    expect(bars.map((b) => [b.time / M, b.close])).toEqual([
      [2, 2],
      [3, 103],
      [4, 104],
      [5, 105],
      [6, 6],
      [7, 7],
      [8, 8],
      [9, 9],
    ]);
  });

  it("a store that covers the window makes no REST call, and warms sub-minute timeframes too", async () => {
    const asked: number[][] = [];
    const stored: StoredBarSource = { bars: async (_v, _s, _tf, from, to) => Array.from({ length: (to - from) / 1000 }, (_, i) => bar(from + i * 1000, i)) };
    const bars = await warmupBars(klines(asked), "kraken", "BTC/USD", "1s", 5, 100_500, stored);
    expect(bars.map((b) => b.time)).toEqual([95_000, 96_000, 97_000, 98_000, 99_000]);
    expect(asked).toEqual([]);
  });
});

describe("warm-up from the local market store", () => {
  it("reads the store's bars of the venue and symbol, and none for a symbol it does not hold", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "warmup-store-"));
    const store = new Store(dir);
    try {
      await store.withMarket((db) => importFiles(db, { files: [path.join(import.meta.dirname, "../datafiles/fixtures/trades.csv")], symbol: "BTC/USD", venue: "kraken" }));
      const source = storeBarSource(store);
      const bars = await source.bars("kraken", "BTC/USD", "1m", 1699999980000, 1700000100000, 10);
      expect(bars.map((b) => [b.time, b.open])).toEqual([
        [1699999980000, 37000.1],
        [1700000040000, 36999.9],
      ]);
      expect(await source.bars("kraken", "ETH/USD", "1m", 0, 1700000100000, 10)).toEqual([]);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
