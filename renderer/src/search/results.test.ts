import { describe, expect, it } from "vitest";
import { quoteFromBars, withLast } from "../watchlist/quote-math.ts";
import { connectedFeeds, NOT_CONNECTED, searchHits } from "./results.ts";

describe("symbol search", () => {
  const stored = [
    { venue: "local", symbol: "AAPL", source: "import" },
    { venue: "kraken", symbol: "ETH/USD", source: "recorded" },
  ];
  const venues = [
    { id: "simulated", enabled: true, symbols: ["BTC/USD", "ETH/USD"] },
    { id: "kraken", enabled: true, symbols: ["ETH/USD"] },
    { id: "binance", enabled: false, symbols: ["ETHUSDT"] },
  ];

  it("merges stored and venue symbols, ranks exact, prefix, then substring, skips disabled venues", () => {
    const hits = searchHits("eth", stored, venues);
    expect(hits.map((h) => `${h.venue}:${h.symbol}:${h.source}`)).toEqual(["kraken:ETH/USD:recorded", "simulated:ETH/USD:live"]);
    expect(searchHits("usd", stored, venues).map((h) => h.symbol)).toEqual(["ETH/USD", "BTC/USD", "ETH/USD"]);
    expect(searchHits("BTCUSD", stored, venues)[0]).toEqual({ venue: "simulated", symbol: "BTC/USD", source: "live" });
    expect(searchHits("", stored, venues)).toHaveLength(4);
    expect(searchHits("zzz", stored, venues)).toEqual([]);
  });

  it("adds every enabled venue's instruments with status and tick/lot, folding in the same symbol", () => {
    const instruments = [
      { feed: "kraken", venue: "kraken" as const, symbol: "ETH/USD", status: "trading" as const, tickSize: "0.01", lotSize: "0.00000001" },
      { feed: "binance-us", venue: "binance" as const, symbol: "ETH/USDT", status: "halted" as const, tickSize: "0.01", lotSize: "0.0001" },
    ];
    const hits = searchHits("eth", stored, venues, instruments);
    expect(hits).toContainEqual({ venue: "kraken", symbol: "ETH/USD", source: "recorded", status: "trading", tickSize: "0.01", lotSize: "0.00000001" });
    expect(hits).toContainEqual({ venue: "binance-us", symbol: "ETH/USDT", source: "live", status: "halted", tickSize: "0.01", lotSize: "0.0001" });
    expect(hits).toHaveLength(3);
  });
});

describe("symbol search by venue and connection", () => {
  const venues = [
    { id: "simulated", enabled: true, symbols: ["BTC/USD", "ETH/USD"] },
    { id: "kraken", enabled: true, symbols: ["ETH/USD", "SOL/USD"] },
  ];

  it("matches venue names: a word starting a venue's name keeps its symbols, the rest ranks them", () => {
    expect(searchHits("kraken", [], venues).map((h) => `${h.venue}:${h.symbol}`)).toEqual(["kraken:ETH/USD", "kraken:SOL/USD"]);
    expect(searchHits("krak sol", [], venues).map((h) => `${h.venue}:${h.symbol}`)).toEqual(["kraken:SOL/USD"]);
    expect(searchHits("sim eth", [], venues).map((h) => `${h.venue}:${h.symbol}`)).toEqual(["simulated:ETH/USD"]);
  });

  it("never lists a venue core is not connected to as live", () => {
    const hits = searchHits("eth", [], venues, [], 50, new Set(["simulated"]));
    expect(hits.map((h) => `${h.venue}:${h.source}`)).toEqual([`kraken:${NOT_CONNECTED}`, "simulated:live"]);
    expect(searchHits("eth", [], venues).every((h) => h.source === "live")).toBe(true);
  });

  it("counts a venue as connected only in the connected state, and knows none before the venues come", () => {
    const states = [{ feed: "simulated", state: "connected" }, { feed: "kraken", state: "reconnecting" }, { feed: "binance", state: "disabled" }];
    expect(connectedFeeds(states)).toEqual(new Set(["simulated"]));
    expect(connectedFeeds([])).toBeNull();
  });
});

describe("watchlist quotes", () => {
  const H = 3_600_000;
  it("takes the last close and the change against the close 24 h earlier", () => {
    const time = Array.from({ length: 26 }, (_, i) => i * H);
    const close = time.map((_, i) => 100 + i);
    const q = quoteFromBars(time, close)!;
    expect(q.last).toBe(125);
    expect(q.base).toBe(101);
    expect(q.change24h).toBeCloseTo(24 / 101);
    expect(q.spark).toHaveLength(25);
  });

  it("has no change without a day of history, and moves with live prices", () => {
    const q = quoteFromBars([0, H], [10, 11])!;
    expect(q.change24h).toBeNull();
    expect(quoteFromBars([], [])).toBeNull();
    const live = withLast({ last: 125, lastText: null, live: false, base: 100, change24h: 0.25, spark: [1, 2, 125], volume24h: 7 }, 110);
    expect(live).toEqual({ last: 110, lastText: null, live: true, base: 100, change24h: 0.1, spark: [1, 2, 110], volume24h: 7 });
    expect(withLast(null, 5, "5.0")).toEqual({ last: 5, lastText: "5.0", live: true, base: null, change24h: null, spark: [5], volume24h: null });
  });
});
