import { describe, expect, it } from "vitest";
import type { VenueId } from "../../common/market/events.ts";
import { createHandler } from "./index.ts";
import { CollectingSink } from "./types.ts";

/** Frames of channels the workstation never subscribes to, as each venue documents them. */
const UNSUBSCRIBED: Record<VenueId, string> = {
  kraken: JSON.stringify({
    channel: "ohlc",
    type: "update",
    timestamp: "2023-10-04T16:26:30.524394914Z",
    data: [{ symbol: "BTC/USD", open: 27500.1, high: 27510, low: 27490.5, close: 27505.2, trades: 12, volume: 1.46394, vwap: 27501.3, interval_begin: "2023-10-04T16:25:00.000000000Z", interval: 5, timestamp: "2023-10-04T16:30:00.000000Z" }],
  }),
  coinbase: JSON.stringify({
    channel: "candles",
    client_id: "",
    timestamp: "2023-06-09T20:19:35.39625135Z",
    sequence_num: 0,
    events: [{ type: "snapshot", candles: [{ start: "1688998200", high: "1867.72", low: "1863.84", open: "1864.2", close: "1867.05", volume: "221.86547", product_id: "ETH-USD" }] }],
  }),
  binance: JSON.stringify({
    stream: "btcusdt@kline_1m",
    data: { e: "kline", E: 1672515782136, s: "BTCUSDT", k: { t: 1672515780000, T: 1672515839999, s: "BTCUSDT", i: "1m", f: 100, L: 200, o: "0.0010", c: "0.0020", h: "0.0025", l: "0.0015", v: "1000", n: 100, x: false, q: "1.0000", V: "500", Q: "0.500", B: "123456" } },
  }),
};

describe("a channel the workstation did not subscribe to", () => {
  for (const venue of Object.keys(UNSUBSCRIBED) as VenueId[]) {
    it(`gives error/unknown_message on ${venue}`, () => {
      const handler = createHandler(venue);
      const sink = new CollectingSink();
      handler.onFrame(UNSUBSCRIBED[venue], 1_700_000_000_000, sink);
      expect(sink.events).toEqual([{ type: "error", exchange: venue, reason: "unknown_message" }]);
      expect(handler.stats.unknown).toBe(1);
    });
  }

  it("still counts Coinbase's sequence_num, so the next frame is no gap", () => {
    const handler = createHandler("coinbase");
    const sink = new CollectingSink();
    const heartbeat = (seq: number) => JSON.stringify({ channel: "heartbeats", client_id: "", timestamp: "2023-06-09T20:19:36Z", sequence_num: seq, events: [{ current_time: "2023-06-09 20:19:36", heartbeat_counter: seq }] });
    handler.onFrame(heartbeat(0), 1, sink);
    handler.onFrame(UNSUBSCRIBED.coinbase.replace('"sequence_num":0', '"sequence_num":1'), 2, sink);
    handler.onFrame(heartbeat(2), 3, sink);
    expect(sink.events.filter((e) => e.type === "gap")).toHaveLength(0);
    handler.onFrame(heartbeat(4), 4, sink);
    expect(sink.events.filter((e) => e.type === "gap")).toHaveLength(1);
    expect(handler.stats.gaps).toBe(1);
  });
});
