import { describe, expect, it } from "vitest";
import { fromScaled, toScaled } from "../../../common/market/decimal.ts";
import type { MarketEvent } from "../../../common/market/events.ts";
import { crc32 } from "../crc32.ts";
import { expectedEvents, replayFixture } from "../testing.ts";
import { CollectingSink } from "../types.ts";
import { KrakenHandler } from "./handler.ts";
import { parseKrakenFast } from "./fast.ts";
import { checksumDigits, parseKraken } from "./parse.ts";

// Kraken's book checksum guide (WebSocket v2), BTC/USD: the top 10 asks and bids and their CRC32.
const GUIDE_ASKS = [["45285.2", "0.00100000"], ["45286.4", "1.54571953"], ["45286.6", "1.54571109"], ["45289.6", "1.54560911"], ["45290.2", "0.15890660"], ["45291.8", "1.54553491"], ["45294.7", "0.04454749"], ["45296.1", "0.35380000"], ["45297.5", "0.09945542"], ["45299.5", "0.18772827"]];
const GUIDE_BIDS = [["45283.5", "0.10000000"], ["45283.4", "1.54582015"], ["45282.1", "0.10000000"], ["45281.0", "0.10000000"], ["45280.3", "1.54592586"], ["45279.0", "0.07990000"], ["45277.6", "0.03310103"], ["45277.5", "0.30000000"], ["45277.3", "1.54602737"], ["45276.6", "0.15445238"]];
const GUIDE_CHECKSUM = 3310070434;

function levels(list: string[][]): string {
  return `[${list.map(([p, q]) => `{"price":${p},"qty":${q}}`).join(",")}]`;
}

function bookFrame(type: string, bids: string[][], asks: string[][], checksum: number): string {
  return `{"channel":"book","type":"${type}","data":[{"symbol":"BTC/USD","bids":${levels(bids)},"asks":${levels(asks)},"checksum":${checksum},"timestamp":"2023-10-04T07:48:25.500000Z"}]}`;
}

describe("Kraken checksum", () => {
  it("reproduces the worked example of Kraken's checksum guide", () => {
    const digits = [...GUIDE_ASKS, ...GUIDE_BIDS].map(([p, q]) => checksumDigits(p!) + checksumDigits(q!)).join("");
    expect(digits.startsWith("452852100000")).toBe(true);
    expect(crc32(digits)).toBe(GUIDE_CHECKSUM);
  });

  it("accepts the guide's snapshot and publishes it best first", () => {
    const h = new KrakenHandler();
    const sink = new CollectingSink();
    h.onFrame(bookFrame("snapshot", GUIDE_BIDS, GUIDE_ASKS, GUIDE_CHECKSUM), 1, sink);
    expect(sink.events).toHaveLength(1);
    const snap = sink.events[0]!;
    expect(snap.type).toBe("book_snapshot");
    if (snap.type !== "book_snapshot") return;
    expect(snap.bids[0]).toEqual(["45283.5", "0.1"]);
    expect(snap.asks[0]).toEqual(["45285.2", "0.001"]);
    expect(snap.bids[3]).toEqual(["45281", "0.1"]);
    expect(h.bookStatus("BTC/USD")).toBe("synced");
  });

  it("on a wrong checksum emits checksum_mismatch instead of the event, resyncs and asks to resubscribe", () => {
    const h = new KrakenHandler();
    const sink = new CollectingSink();
    h.onFrame(bookFrame("snapshot", GUIDE_BIDS, GUIDE_ASKS, GUIDE_CHECKSUM), 1, sink);
    h.onFrame(bookFrame("update", [["45283.5", "0.2"]], [], 12345), 2, sink);
    expect(sink.events.at(-1)).toEqual({ type: "checksum_mismatch", exchange: "kraken", symbol: "BTC/USD" });
    expect(sink.requests).toEqual([{ kind: "resubscribe", venue: "kraken", channel: "book", symbol: "BTC/USD", venueSymbol: "BTC/USD" }]);
    expect(h.bookStatus("BTC/USD")).toBe("resyncing");
    expect(h.bookView("BTC/USD")).toBeNull();
    h.onFrame(bookFrame("update", [["45283.5", "0.3"]], [], 1), 3, sink);
    expect(sink.events).toHaveLength(2);
    expect(sink.requests).toHaveLength(1);
    expect(h.stats.checksumMismatches).toBe(1);
  });

  it("verifies against the book truncated to the subscribed depth", () => {
    const h = new KrakenHandler();
    const sink = new CollectingSink();
    h.onFrame(bookFrame("snapshot", GUIDE_BIDS, GUIDE_ASKS, GUIDE_CHECKSUM), 1, sink);
    // A new best bid pushes the 10th bid out of a depth-10 book; the checksum is over the truncated book.
    const bids = [["45284.0", "1.00000000"], ...GUIDE_BIDS.slice(0, 9)];
    const digits = [...GUIDE_ASKS, ...bids].map(([p, q]) => checksumDigits(p!) + checksumDigits(q!)).join("");
    h.onFrame(bookFrame("update", [["45284.0", "1.00000000"]], [], crc32(digits)), 2, sink);
    expect(sink.events.at(-1)?.type).toBe("book_update");
    expect(h.bookView("BTC/USD")?.bids).toHaveLength(10);
    expect(h.bookView("BTC/USD")?.bids.at(-1)).toEqual(["45277.3", "1.54602737"]);
  });


  it("verifies levels with leading zeros, tiny prices and integers on the fast path and the exact parser alike", () => {
    const bids = [["0.0010", "100"], ["0.00010000", "0.10000000"], ["0.0000001", "7"]];
    const asks = [["1", "0.00000001"], ["10.0", "0.50"], ["20", "1000.5"]];
    const digits = [...asks, ...bids].map(([p, q]) => checksumDigits(p!) + checksumDigits(q!)).join("");
    expect(digits).toBe("11" + "10050" + "2010005" + "10100" + "1000010000000" + "17");
    const frame = bookFrame("snapshot", bids, asks, crc32(digits));
    expect(parseKrakenFast(frame)).not.toBeNull();
    for (const f of [frame, frame.replace('"bids":', '"bids": ')]) {
      const h = new KrakenHandler();
      const sink = new CollectingSink();
      h.onFrame(f, 1, sink);
      expect(sink.events.map((e) => e.type), f).toEqual(["book_snapshot"]);
      h.onFrame(bookFrame("update", [["0.0000001", "0"]], [], crc32(digits.slice(0, -2))), 2, sink);
      expect(sink.events.map((e) => e.type), f).toEqual(["book_snapshot", "book_update"]);
    }
  });
});

describe("Kraken parse", () => {
  it("maps trades: taker side, exact decimals from JSON numbers, string ids, floored ms", () => {
    const msg = parseKraken('{"channel":"trade","type":"update","data":[{"symbol":"XBT/USD","side":"sell","price":43120,"qty":0.00000001,"ord_type":"market","trade_id":4665906,"timestamp":"2023-09-25T07:49:37.708706Z"}]}', 0);
    expect(msg).toEqual({
      kind: "trades",
      trades: [{ type: "trade", exchange: "kraken", symbol: "BTC/USD", price: "43120", size: "0.00000001", side: "sell", tradeId: "4665906", ts: Date.UTC(2023, 8, 25, 7, 49, 37, 708) }],
    });
  });

  it("treats the trade snapshot sent on subscribe as history", () => {
    expect(parseKraken('{"channel":"trade","type":"snapshot","data":[]}', 0)).toEqual({ kind: "control" });
  });

  it("reads the subscribed book depth from the ack", () => {
    const msg = parseKraken('{"method":"subscribe","result":{"channel":"book","depth":25,"snapshot":true,"symbol":"BTC/USD"},"success":true,"time_in":"x","time_out":"y"}', 0);
    expect(msg).toEqual({ kind: "subscribed", channel: "book", symbol: "BTC/USD", venueSymbol: "BTC/USD", depth: 25 });
  });

  it.each([
    ['{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"up","price":1,"qty":1,"trade_id":1,"timestamp":"2023-09-25T07:49:37Z"}]}', "malformed_frame"],
    ['{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":-1,"qty":1,"trade_id":1,"timestamp":"2023-09-25T07:49:37Z"}]}', "malformed_frame"],
    ['{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":"x","qty":1}],"checksum":1}]}', "malformed_frame"],
    ['{"channel":"executions","type":"update","data":[]}', "unknown_message"],
    ['{"method":"amend_order","success":true}', "unknown_message"],
    ["[1,2,3]", "unknown_message"],
  ])("flags %s as %s", (frame, reason) => {
    expect(parseKraken(frame, 0)).toMatchObject({ kind: "error", reason });
  });
});

describe("Kraken fixture replay", () => {
  it("produces exactly the independently computed events", () => {
    const { events, requests } = replayFixture(new KrakenHandler(), "kraken");
    expect(events).toEqual(expectedEvents("kraken"));
    expect(requests.map((r) => r.kind)).toEqual(["resubscribe"]);
  });

  it("round-trips every price and size through scaled integers", () => {
    const values = expectedEvents("kraken").flatMap((e: MarketEvent) =>
      e.type === "trade" ? [e.price, e.size] : e.type === "book_snapshot" || e.type === "book_update" ? [...e.bids, ...e.asks].flat() : [],
    );
    expect(values.length).toBeGreaterThan(40);
    for (const v of values) expect(fromScaled(toScaled(v))).toBe(v);
  });
});
