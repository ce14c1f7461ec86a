import { describe, expect, it } from "vitest";
import { BinanceSymbols } from "../symbols.ts";
import { expectedEvents, replayFixture, replayLines } from "../testing.ts";
import { CollectingSink } from "../types.ts";
import { BinanceHandler } from "./handler.ts";
import { parseBinance } from "./parse.ts";

const symbols = new BinanceSymbols();

function diff(U: number, u: number, b: [string, string][], a: [string, string][] = []): string {
  return JSON.stringify({ stream: "btcusdt@depth@100ms", data: { e: "depthUpdate", E: 1672515782136, s: "BTCUSDT", U, u, b, a } });
}

function line(t: number, frame: string): string {
  return JSON.stringify({ t, frame });
}

function rest(t: number, lastUpdateId: number, bids: [string, string][] = [["1", "1"]]): string {
  return JSON.stringify({ t, rest: { path: "/api/v3/depth?symbol=BTCUSDT&limit=100", body: JSON.stringify({ lastUpdateId, bids, asks: [] }) } });
}

describe("Binance parse", () => {
  it("maps m (buyer is maker) to the taker side and keeps ids exact", () => {
    const sell = parseBinance('{"e":"trade","E":1672515782136,"s":"BNBBTC","t":9007199254740993,"p":"0.00100000","q":"100","T":1672515782136,"m":true,"M":true}', symbols, 0);
    expect(sell).toMatchObject({ kind: "trade", stream: "trade", trade: { symbol: "BNB/BTC", side: "sell", tradeId: "9007199254740993", price: "0.001", size: "100" } });
    const buy = parseBinance('{"e":"aggTrade","E":1,"s":"BTCFDUSD","a":26129,"p":"0.01633102","q":"4.70443515","f":27781,"l":27781,"T":1498793709153,"m":false,"M":true}', symbols, 0);
    expect(buy).toMatchObject({ kind: "trade", stream: "aggTrade", trade: { symbol: "BTC/FDUSD", side: "buy", tradeId: "26129", ts: 1498793709153 } });
  });

  it("reads bookTicker (no event type) as a quote and acks as control", () => {
    const q = parseBinance('{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}', symbols, 77);
    expect(q).toEqual({ kind: "quote", quote: { exchange: "binance", symbol: "BNB/USDT", bid: ["25.3519", "31.21"], ask: ["25.3652", "40.66"], last: null, ts: 77 } });
    expect(parseBinance('{"result":null,"id":1}', symbols, 0)).toEqual({ kind: "control" });
  });

  it("maps symbols offline by quote suffix, refined by instrument metadata", () => {
    const s = new BinanceSymbols();
    expect(s.unify("btcusdt")).toBe("BTC/USDT");
    expect(s.unify("USDCUSDT")).toBe("USDC/USDT");
    expect(s.unify("ETHBTC")).toBe("ETH/BTC");
    expect(s.unify("XYZ")).toBeNull();
    s.setInstrument("ABCDEUR", "ABCD", "EUR");
    expect(s.unify("abcdeur")).toBe("ABCD/EUR");
  });
});

describe("Binance book sync", () => {
  it("buffers diffs, requests a snapshot, and applies the straddling diff", () => {
    const h = new BinanceHandler({ snapshotLimit: 100 });
    const sink = new CollectingSink();
    h.onFrame(diff(10, 12, [["5", "1"]]), 1, sink);
    h.onFrame(diff(13, 15, [["6", "1"]]), 2, sink);
    expect(sink.requests).toEqual([{ kind: "rest", venue: "binance", symbol: "BTC/USDT", path: "/api/v3/depth?symbol=BTCUSDT&limit=100" }]);
    expect(sink.events).toEqual([]);
    expect(h.bookStatus("BTC/USDT")).toBe("resyncing");
    h.onRest(sink.requests[0] as never, '{"lastUpdateId":13,"bids":[["4","1"]],"asks":[]}', 3, sink);
    expect(sink.events.map((e) => e.type)).toEqual(["book_snapshot", "book_update"]);
    expect(h.bookView("BTC/USDT")?.bids).toEqual([["6", "1"], ["4", "1"]]);
  });

  it("refetches a stale snapshot and re-syncs after a gap", () => {
    const lines = [line(1, diff(10, 12, [["5", "1"]])), rest(2, 5), rest(3, 12), line(4, diff(13, 14, [["6", "1"]])), line(5, diff(20, 21, [["7", "1"]])), rest(6, 21, [["9", "9"]]), line(7, diff(22, 22, [["8", "1"]]))];
    const { events, requests } = replayLines(new BinanceHandler(), lines);
    expect(requests).toHaveLength(3);
    expect(events.map((e) => e.type)).toEqual(["book_snapshot", "book_update", "gap", "book_snapshot", "book_update"]);
    expect(events[2]).toEqual({ type: "gap", exchange: "binance", symbol: "BTC/USDT", expected: 15, got: 20 });
    expect(events[3]).toMatchObject({ bids: [["9", "9"]], ts: 6 });
  });

  it("uses one trade stream per symbol", () => {
    const h = new BinanceHandler();
    const sink = new CollectingSink();
    h.onFrame('{"e":"aggTrade","E":1,"s":"ETHUSDT","a":1,"p":"1","q":"1","f":1,"l":1,"T":1,"m":false,"M":true}', 1, sink);
    h.onFrame('{"e":"trade","E":1,"s":"ETHUSDT","t":1,"p":"1","q":"1","T":1,"m":false,"M":true}', 2, sink);
    expect(sink.events).toHaveLength(1);
    expect(sink.notices[0]?.kind).toBe("dropped");
  });
});

describe("Binance fixture replay", () => {
  it("produces exactly the independently computed events", () => {
    const { events, requests } = replayFixture(new BinanceHandler(), "binance");
    expect(events).toEqual(expectedEvents("binance"));
    expect(requests.map((r) => r.kind)).toEqual(["rest", "rest", "rest"]);
  });
});

describe("Binance REST failures", () => {
  it("asks again after a failed snapshot request", () => {
    const h = new BinanceHandler();
    const sink = new CollectingSink();
    h.onFrame(diff(10, 12, [["5", "1"]]), 1, sink);
    h.onFrame(diff(13, 14, [["5", "2"]]), 2, sink);
    expect(sink.requests).toHaveLength(1);
    h.onRestError(sink.requests[0] as never, sink);
    expect(sink.requests).toHaveLength(2);
    h.onRest(sink.requests[1] as never, "not json", 3, sink);
    expect(sink.events).toEqual([{ type: "error", exchange: "binance", reason: "malformed_frame" }]);
    expect(sink.requests).toHaveLength(3);
  });
});
