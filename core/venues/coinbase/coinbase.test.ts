import { describe, expect, it } from "vitest";
import { fromScaled, toScaled } from "../../../common/market/decimal.ts";
import { expectedEvents, replayFixture } from "../testing.ts";
import { CollectingSink } from "../types.ts";
import { CoinbaseHandler } from "./handler.ts";
import { parseCoinbase } from "./parse.ts";

function l2(seq: number, type: "snapshot" | "update", product: string, updates: [string, string, string][]): string {
  const u = updates.map(([side, price, qty]) => ({ side, event_time: "2023-02-09T20:32:50.714964855Z", price_level: price, new_quantity: qty }));
  return JSON.stringify({ channel: "l2_data", client_id: "", timestamp: "2023-02-09T20:32:50.714964855Z", sequence_num: seq, events: [{ type, product_id: product, updates: u }] });
}

function trades(seq: number, list: { id: string; time: string; side?: string }[]): string {
  const t = list.map((x) => ({ trade_id: x.id, product_id: "BTC-USD", price: "21921.80", size: "0.1", side: x.side ?? "BUY", time: x.time }));
  return JSON.stringify({ channel: "market_trades", client_id: "", timestamp: "2023-02-09T20:32:51Z", sequence_num: seq, events: [{ type: "update", trades: t }] });
}

describe("Coinbase parse", () => {
  it("maps trades to the taker side, oldest first, with nanosecond times floored", () => {
    const msg = parseCoinbase(trades(5, [{ id: "11", time: "2023-02-09T20:32:51.300999999Z", side: "SELL" }, { id: "10", time: "2023-02-09T20:32:51.200Z" }]));
    expect(msg.kind).toBe("data");
    if (msg.kind !== "data") return;
    expect(msg.seq).toBe(5);
    expect(msg.trades.map((t) => [t.tradeId, t.side, t.ts, t.symbol])).toEqual([
      ["10", "buy", Date.UTC(2023, 1, 9, 20, 32, 51, 200), "BTC/USD"],
      ["11", "sell", Date.UTC(2023, 1, 9, 20, 32, 51, 300), "BTC/USD"],
    ]);
  });

  it("splits l2 updates into bids and asks in the order sent", () => {
    const msg = parseCoinbase(l2(3, "update", "ETH-USD", [["offer", "2", "1"], ["bid", "1.50", "0"], ["offer", "1.9", "0.5"]]));
    expect(msg).toMatchObject({ kind: "data", books: [{ symbol: "ETH/USD", snapshot: false, bids: [["1.5", "0"]], asks: [["2", "1"], ["1.9", "0.5"]] }] });
  });

  it("keeps the sequence number of a malformed frame and marks book data", () => {
    expect(parseCoinbase(l2(7, "update", "BTC-USD", [["middle", "1", "1"]]))).toEqual({ kind: "error", reason: "malformed_frame", seq: 7, bookData: true });
    expect(parseCoinbase('{"channel":"heartbeats","client_id":"","timestamp":"2023-02-09T20:32:51Z","sequence_num":8,"ev')).toEqual({ kind: "error", reason: "malformed_frame", seq: 8, bookData: false });
  });
});

describe("Coinbase sequence and book rules", () => {
  it("emits gap (symbol null) before the frame, resyncs every book and resubscribes level2", () => {
    const h = new CoinbaseHandler();
    const sink = new CollectingSink();
    h.onFrame(l2(0, "snapshot", "BTC-USD", [["bid", "10", "1"], ["offer", "11", "1"]]), 1, sink);
    h.onFrame(l2(1, "snapshot", "ETH-USD", [["bid", "1", "1"], ["offer", "2", "1"]]), 1, sink);
    h.onFrame(l2(2, "update", "BTC-USD", [["bid", "10", "2"]]), 2, sink);
    expect(h.bookView("BTC/USD")?.bids).toEqual([["10", "2"]]);
    h.onFrame(trades(4, [{ id: "1", time: "2023-02-09T20:32:51Z" }]), 3, sink);
    expect(sink.events.slice(3).map((e) => e.type)).toEqual(["gap", "trade"]);
    expect(sink.events[3]).toEqual({ type: "gap", exchange: "coinbase", symbol: null, expected: 3, got: 4 });
    expect(sink.requests.map((r) => r.kind === "resubscribe" && r.venueSymbol)).toEqual(["BTC-USD", "ETH-USD"]);
    expect(h.bookStatus("BTC/USD")).toBe("resyncing");
    expect(h.bookView("BTC/USD")).toBeNull();
    h.onFrame(l2(5, "update", "BTC-USD", [["bid", "10", "3"]]), 4, sink);
    expect(sink.events).toHaveLength(5);
    h.onFrame(l2(6, "snapshot", "BTC-USD", [["bid", "10", "4"]]), 5, sink);
    expect(h.bookStatus("BTC/USD")).toBe("synced");
    expect(h.bookStatus("ETH/USD")).toBe("resyncing");
  });

  it("marks books suspect when a book frame is lost to corruption", () => {
    const h = new CoinbaseHandler();
    const sink = new CollectingSink();
    h.onFrame(l2(0, "snapshot", "BTC-USD", [["bid", "10", "1"]]), 1, sink);
    h.onFrame(l2(1, "update", "BTC-USD", [["bid", "10", "x"]]), 2, sink);
    expect(sink.events.at(-1)).toEqual({ type: "error", exchange: "coinbase", reason: "malformed_frame" });
    expect(h.bookStatus("BTC/USD")).toBe("resyncing");
    h.onFrame(trades(2, [{ id: "1", time: "2023-02-09T20:32:51Z" }]), 3, sink);
    expect(sink.events.filter((e) => e.type === "gap")).toHaveLength(0);
  });
});

describe("Coinbase fixture replay", () => {
  it("produces exactly the independently computed events", () => {
    const { events, requests } = replayFixture(new CoinbaseHandler(), "coinbase");
    expect(events).toEqual(expectedEvents("coinbase"));
    expect(requests).toEqual([{ kind: "resubscribe", venue: "coinbase", channel: "level2", symbol: "BTC/USD", venueSymbol: "BTC-USD" }]);
  });

  it("round-trips every price and size through scaled integers", () => {
    for (const e of expectedEvents("coinbase")) {
      const values = e.type === "trade" ? [e.price, e.size] : e.type === "book_snapshot" || e.type === "book_update" ? [...e.bids, ...e.asks].flat() : [];
      for (const v of values) expect(fromScaled(toScaled(v))).toBe(v);
    }
  });
});
