import { describe, expect, it } from "vitest";
import { SyntheticHistory } from "./history.ts";
import { defaultInstrument, SimMarket } from "./market.ts";

const START = Date.UTC(2026, 10, 24, 9, 30, 12);
const MINUTE = 60_000;

function day(h: SyntheticHistory): ReturnType<SyntheticHistory["candle"]>[] {
  const out = [];
  for (let t = h.end - 1440 * MINUTE; t < h.end; t += MINUTE) out.push(h.candle(t));
  return out;
}

describe("SyntheticHistory", () => {
  it("gives continuous, well-formed candles that end at the starting price", () => {
    const candles = day(new SyntheticHistory("BTC/USD", START, 430_000, 1e10));
    for (let i = 0; i < candles.length; i++) {
      const c = candles[i]!;
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
      expect(c.low).toBeGreaterThan(0);
      expect(c.lots).toBeGreaterThan(0);
      expect(Number.isInteger(c.open) && Number.isInteger(c.high) && Number.isInteger(c.low)).toBe(true);
      if (i > 0) expect(c.open).toBe(candles[i - 1]!.close);
    }
    expect(candles.at(-1)!.t).toBe(Math.floor(START / MINUTE) * MINUTE - MINUTE);
    expect(candles.at(-1)!.close).toBe(430_000);
  });

  it("moves like a market: a day spans more than 0.5 % and bodies differ", () => {
    const candles = day(new SyntheticHistory("BTC/USD", START, 430_000, 1e10));
    const closes = candles.map((c) => c.close);
    expect((Math.max(...closes) - Math.min(...closes)) / 430_000).toBeGreaterThan(0.005);
    expect(new Set(candles.map((c) => c.close - c.open)).size).toBeGreaterThan(100);
  });

  it("is the same for the same minute, and differs between symbols", () => {
    const a = new SyntheticHistory("ETH/USD", START, 230_000, 1e10);
    const b = new SyntheticHistory("ETH/USD", START, 230_000, 1e10);
    const c = new SyntheticHistory("SOL/USD", START, 230_000, 1e10);
    const t = START - 777 * MINUTE - (START % MINUTE);
    expect(b.candle(t)).toEqual(a.candle(t));
    expect(c.candle(t)).not.toEqual(a.candle(t));
  });
});

describe("SimMarket.candleRange", () => {
  it("serves the synthetic history before the start and recorded candles after it", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const market = new SimMarket(defaultInstrument("BTC/USD"), random, START);
    for (let i = 0; i < 400; i++) market.step(START + 90_000 + i * 10, 1);
    const minute = Math.floor(START / MINUTE) * MINUTE;
    const candles = market.candleRange(minute - 10 * MINUTE, START + 3 * MINUTE, 100);
    const before = candles.filter((c) => c.t < minute);
    expect(before).toHaveLength(10);
    expect(new Set(before.map((c) => c.close)).size).toBeGreaterThan(1);
    expect(before.at(-1)!.close).toBe(defaultInstrument("BTC/USD").startTicks);
    const recorded = candles.find((c) => c.t === minute + MINUTE)!;
    expect(recorded.trades).toBe(400);
  });
});
