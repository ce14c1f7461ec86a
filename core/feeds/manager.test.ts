import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Candle } from "../../common/api/market.ts";
import type { TradeEvent } from "../../common/market/events.ts";
import { AFTER_RECONNECT, decodeTradeFrame, recordToTrade } from "../../common/market/trade-record.ts";
import { silentLogger } from "../log.ts";
import { Simulator } from "../simulator/server.ts";
import { ManualClock } from "./clock.ts";
import { defaultRestFetch } from "./feed.ts";
import { FeedManager } from "./manager.ts";
import { Recorder } from "./test-util.ts";

let sim: Simulator;
beforeAll(async () => {
  sim = await Simulator.start({ venues: ["kraken"], rate: 500, tradeShare: 0.5 });
});
afterAll(async () => {
  await sim.close();
});

function manager(clock?: ManualClock, onCandles?: (feed: string, symbol: string, candles: Candle[]) => void) {
  const calls = new Recorder<string>();
  const m = new FeedManager({
    config: { venues: { kraken: sim.urls("kraken") }, simulated: false, simulatedRate: 20 },
    log: silentLogger(),
    ...(clock ? { clock } : {}),
    ...(onCandles ? { onCandles } : {}),
    fetch: (url, signal) => {
      calls.push(new URL(url).pathname);
      return defaultRestFetch(url, signal);
    },
  });
  return { m, calls };
}

describe("FeedManager", () => {
  it("caches instruments and refreshes them daily", async () => {
    const clock = new ManualClock();
    const { m, calls } = manager(clock);
    const first = await m.instruments("kraken");
    expect(first.map((i) => i.symbol)).toEqual(["BTC/USD", "ETH/USD"]);
    expect(first[0]).toMatchObject({ venueSymbol: "XBTUSD", tickSize: "0.1", pricePrecision: 1, sizePrecision: 8 });
    await m.instruments("kraken");
    expect(calls.values.filter((p) => p.endsWith("/AssetPairs"))).toHaveLength(1);
    clock.advance(86_400_000);
    await calls.until((v) => v.filter((p) => p.endsWith("/AssetPairs")).length === 2);
    await m.stop();
  });

  it("sends a symbol's trades to a worker as binary frames, and refills candles after a reconnect", async () => {
    const holes = new Recorder<Candle[]>();
    const { m } = manager(undefined, (_f, _s, candles) => holes.push(candles));
    const frames = new Recorder<Uint8Array>();
    const live: TradeEvent[] = [];
    const offLive = m.bus.onEvent("kraken", "BTC/USD", (e) => e.type === "trade" && live.push(e));
    const stop = m.tradesToWorker("kraken", "BTC/USD", (frame, done) => {
      frames.push(frame);
      done();
    });
    await frames.until((v) => v.reduce((n, f) => n + decodeTradeFrame(f).length, 0) >= 50);
    sim.inject("kraken", "disconnect");
    await holes.untilCount(1);
    await frames.until((v) => v.some((f) => decodeTradeFrame(f).some((r) => r.flags & AFTER_RECONNECT)));
    expect(holes.values[0]!.length).toBeGreaterThan(0);
    expect(m.status()[0]).toMatchObject({ feed: "kraken", reconnects: 1, backpressure: false });
    stop();
    offLive();
    const records = frames.values.flatMap((f) => decodeTradeFrame(f));
    const flagged = records.filter((r) => r.flags & AFTER_RECONNECT);
    expect(flagged).toHaveLength(1);
    expect(records.indexOf(flagged[0]!)).toBeGreaterThan(0);
    const decoded = records.map((r) => recordToTrade(r, "BTC/USD"));
    expect(decoded).toEqual(live.slice(0, decoded.length));
    expect(decoded.length).toBe(live.length);
    await m.stop();
  });

  it("refuses an unknown feed", () => {
    const { m } = manager();
    expect(() => m.acquire("nope", "BTC/USD")).toThrow(/unknown feed "nope"/);
  });
});
