import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Candle } from "../../common/api/market.ts";
import { silentLogger } from "../log.ts";
import { candlePage } from "../store/candles.ts";
import { Store } from "../store/index.ts";
import { listInstruments } from "../store/sources.ts";
import { historyBefore, SimulatedHistory } from "./simulated-history.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ws-simhist-"));
const store = new Store(dataDir);
const NOW = Date.UTC(2025, 0, 10, 12, 0);

afterAll(async () => {
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Flat one-minute candles at `price` for the `n` minutes before `end`. */
function candles(n: number, end: number, price: string): Candle[] {
  return Array.from({ length: n }, (_, i) => ({ t: end - (n - i) * 60_000, open: price, high: price, low: price, close: price, volume: "1.5" }));
}

describe("the simulated venue's history in the store", () => {
  it("generates continuous minutes before the simulator's candles", () => {
    const recent = candles(10, NOW, "43000.0");
    const bars = historyBefore("BTC/USD", recent, 1);
    expect(bars.time.length).toBe(1440 + 10);
    for (let i = 1; i < bars.time.length; i++) expect(bars.time[i]! - bars.time[i - 1]!).toBe(60_000);
    expect(bars.close[1439]).toBe(43000);
    expect(bars.time.at(-1)).toBe(recent.at(-1)!.t);
  });

  it("stores the series as simulated on first read, for the simulated feed only, and tops it up for runs", async () => {
    let now = NOW;
    const history = new SimulatedHistory({
      store,
      feed: "simulated",
      symbols: () => ["BTC/USD"],
      candles: async (_s, from, to) => candles(Math.min(720, Math.floor((to - from) / 60_000)), Math.floor(to / 60_000) * 60_000, "43000.0"),
      log: silentLogger(),
      now: () => now,
      days: 2,
    });
    await history.ensure("kraken", "BTC/USD");
    await history.ensure("simulated", "ETH/USD");
    expect(await store.withMarket((db) => listInstruments(db))).toEqual([]);
    await Promise.all([history.ensure("simulated", "BTC/USD"), history.ensure("simulated", "BTC/USD")]);
    const [info] = await store.withMarket((db) => listInstruments(db));
    expect(info).toMatchObject({ venue: "simulated", symbol: "BTC/USD", kind: "bars", source: "simulated", tfMs: 60_000 });
    const page = await store.withMarket((db) => candlePage(db, { symbol: "BTC/USD", venue: "simulated", timeframe: "1m", limit: 1_000_000 }));
    expect(page.time.length).toBe(2 * 1440 + 720);
    now += 5 * 60_000;
    await history.ensure("simulated", "BTC/USD", true);
    const after = await store.withMarket((db) => candlePage(db, { symbol: "BTC/USD", venue: "simulated", timeframe: "1m", limit: 1_000_000 }));
    expect(after.time.length).toBe(page.time.length + 5);
    expect(after.time.at(-1)).toBe(now - 60_000);
  });
});
