import { describe, expect, it } from "vitest";
import { builtInVenues, feedIdOf, VENUE_DEFINITIONS } from "./definitions.ts";
import { VENUE_MODULES } from "./modules.ts";

describe("built-in venue definitions", () => {
  it("give every venue and variant a wss:// stream and an https:// REST URL that parse", () => {
    const rows = builtInVenues();
    expect(rows.map((r) => r.id)).toEqual(["kraken", "coinbase", "binance", "binance-us", "binance-data"]);
    for (const r of rows) {
      expect(new URL(r.ws).protocol, r.id).toBe("wss:");
      expect(new URL(r.rest).protocol, r.id).toBe("https:");
      expect(r.rest.endsWith("/"), r.id).toBe(false);
      expect(r.name.length, r.id).toBeGreaterThan(0);
    }
  });

  it("hold the venues' documented public endpoints", () => {
    const byId = Object.fromEntries(builtInVenues().map((r) => [r.id, [r.ws, r.rest]]));
    expect(byId).toEqual({
      kraken: ["wss://ws.kraken.com/v2", "https://api.kraken.com"],
      coinbase: ["wss://advanced-trade-ws.coinbase.com", "https://api.coinbase.com"],
      binance: ["wss://stream.binance.com:9443/stream", "https://api.binance.com"],
      "binance-us": ["wss://stream.binance.us:9443/stream", "https://api.binance.us"],
      "binance-data": ["wss://data-stream.binance.vision/stream", "https://data-api.binance.vision"],
    });
  });

  it("name feeds by venue and variant, and every module carries its own definition", () => {
    expect(feedIdOf("binance", null)).toBe("binance");
    expect(feedIdOf("binance", "us")).toBe("binance-us");
    for (const [venue, module] of Object.entries(VENUE_MODULES)) {
      expect(module.venue).toBe(venue);
      expect(module.definition).toBe(VENUE_DEFINITIONS[module.venue]);
      expect(module.protocol.venue).toBe(venue);
      expect(module.createHandler().venue).toBe(venue);
    }
  });

  it("read each venue's server time and refuse a malformed answer", () => {
    expect(VENUE_DEFINITIONS.kraken.parseServerTime(JSON.stringify({ error: [], result: { unixtime: 1_700_000_000, rfc1123: "x" } }))).toBe(1_700_000_000_500);
    expect(VENUE_DEFINITIONS.binance.parseServerTime(JSON.stringify({ serverTime: 1_700_000_000_123 }))).toBe(1_700_000_000_123);
    expect(VENUE_DEFINITIONS.coinbase.parseServerTime(JSON.stringify({ iso: "2023-11-14T22:13:20.123Z", epochSeconds: "1700000000", epochMillis: "1700000000123" }))).toBe(1_700_000_000_123);
    expect(() => VENUE_DEFINITIONS.binance.parseServerTime("{}")).toThrow(/binance time.serverTime: expected a time/);
    expect(() => VENUE_DEFINITIONS.kraken.parseServerTime("<html>")).toThrow(/not JSON/);
  });
});
