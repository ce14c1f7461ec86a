import { describe, expect, it } from "vitest";
import { defaultInstrument, MAX_SPREAD_TICKS, SimMarket } from "./market.ts";

const START = Date.UTC(2026, 10, 24, 9, 30, 0);
const MINUTE = 60_000;

function seeded(seed: number): () => number {
  return () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
}

/** Steps the market `perMinute` times a minute for `minutes` minutes from START. */
function run(market: SimMarket, perMinute: number, minutes: number, tradeShare = 0.3): number[] {
  const spreads: number[] = [];
  for (let i = 0; i < perMinute * minutes; i++) {
    market.step(START + Math.floor((i * MINUTE) / perMinute), tradeShare);
    spreads.push(market.asks[0]![0] - market.bids[0]![0]);
  }
  return spreads;
}

/** Mean volume (lots) of the history's last `n` minutes and of the live minutes 2..`minutes`-1. */
function volumes(market: SimMarket, minutes: number): { history: number; live: number } {
  const history = market.candleRange(START - 600 * MINUTE, START, 600);
  const live = market.candles.filter((c) => c.t >= START + 2 * MINUTE && c.t < START + (minutes - 1) * MINUTE);
  const mean = (cs: Array<{ lots: number }>): number => cs.reduce((s, c) => s + c.lots, 0) / cs.length;
  return { history: mean(history), live: mean(live) };
}

describe("SimMarket realism", () => {
  it("keeps the spread between one tick and MAX_SPREAD_TICKS", () => {
    const market = new SimMarket(defaultInstrument("BTC/USD"), seeded(3), START);
    const spreads = run(market, 600, 20, 0.5);
    expect(Math.min(...spreads)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...spreads)).toBeLessThanOrEqual(MAX_SPREAD_TICKS);
  });

  it("gives live minutes the history's volume, whatever the trade rate", () => {
    for (const perMinute of [300, 6000]) {
      const minutes = 12;
      const market = new SimMarket(defaultInstrument("ETH/USD"), seeded(11), START);
      run(market, perMinute, minutes);
      const { history, live } = volumes(market, minutes);
      expect(live / history).toBeGreaterThan(0.6);
      expect(live / history).toBeLessThan(1.6);
    }
  });
});
