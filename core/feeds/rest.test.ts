import { describe, expect, it } from "vitest";
import { klinesPath, parseInstruments, parseKlines, RestFormatError } from "./rest.ts";

describe("venue REST parsers", () => {
  it("reads instruments of each venue with exact tick and lot sizes", () => {
    const kraken = JSON.stringify({ error: [], result: { XXBTZUSD: { altname: "XBTUSD", wsname: "XBT/USD", base: "XXBT", quote: "ZUSD", pair_decimals: 1, lot_decimals: 8, tick_size: "0.1", status: "online" } } });
    expect(parseInstruments("kraken", kraken)).toEqual([
      { symbol: "BTC/USD", venueSymbol: "XBTUSD", base: "BTC", quote: "USD", tickSize: "0.1", lotSize: "0.00000001", pricePrecision: 1, sizePrecision: 8, status: "trading" },
    ]);
    const coinbase = JSON.stringify({ products: [{ product_id: "ETH-USD", price_increment: "0.01", base_increment: "0.00000001", base_currency_id: "ETH", quote_currency_id: "USD", status: "online", trading_disabled: true }] });
    expect(parseInstruments("coinbase", coinbase)[0]).toMatchObject({ symbol: "ETH/USD", tickSize: "0.01", pricePrecision: 2, status: "halted" });
    const binance = JSON.stringify({ symbols: [{ symbol: "BTCUSDT", status: "TRADING", baseAsset: "BTC", quoteAsset: "USDT", filters: [{ filterType: "PRICE_FILTER", tickSize: "0.01000000" }, { filterType: "LOT_SIZE", stepSize: "0.00001000" }] }] });
    expect(parseInstruments("binance", binance)[0]).toMatchObject({ symbol: "BTC/USDT", venueSymbol: "BTCUSDT", tickSize: "0.01", lotSize: "0.00001", pricePrecision: 2, sizePrecision: 5 });
  });

  it("reads klines oldest first with their open times in ms", () => {
    const kraken = JSON.stringify({ error: [], result: { XXBTZUSD: [[1688671200, "30306.1", "30306.2", "30305.7", "30305.7", "30306.1", "3.39243896", 23]], last: 1688671200 } });
    expect(parseKlines("kraken", kraken)).toEqual([{ t: 1688671200000, open: "30306.1", high: "30306.2", low: "30305.7", close: "30305.7", volume: "3.39243896" }]);
    const coinbase = JSON.stringify({ candles: [{ start: "1700000060", low: "1", high: "2", open: "1.5", close: "1.50", volume: "0" }, { start: "1700000000", low: "1", high: "1", open: "1", close: "1", volume: "2" }] });
    expect(parseKlines("coinbase", coinbase).map((c) => [c.t, c.close])).toEqual([[1700000000000, "1"], [1700000060000, "1.5"]]);
    const binance = JSON.stringify([[1499040000000, "0.01634790", "0.80000000", "0.01575800", "0.01577100", "148976.11427815", 1499644799999, "2434.19", 308, "1756.8", "28.4", "0"]]);
    expect(parseKlines("binance", binance)[0]).toEqual({ t: 1499040000000, open: "0.0163479", high: "0.8", low: "0.015758", close: "0.015771", volume: "148976.11427815" });
    expect(klinesPath("binance", "BTCUSDT", 0, 60_000, 5000)).toBe("/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=0&endTime=60000&limit=1000");
  });

  it("refuses answers that are not the documented shape, with a clear message", () => {
    expect(() => parseInstruments("kraken", "<html>")).toThrow(RestFormatError);
    expect(() => parseInstruments("kraken", JSON.stringify({ error: ["EGeneral:Too many requests"] }))).toThrow(/Too many requests/);
    expect(() => parseKlines("binance", JSON.stringify([[1, 2, 3]]))).toThrow(/open: expected a decimal string/);
    expect(() => parseInstruments("coinbase", JSON.stringify({ products: [{ product_id: "X-Y", price_increment: "1e", base_increment: "1" }] }))).toThrow(RestFormatError);
  });
});
