import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadFeedsConfig, parseFeedsConfig } from "./config.ts";
import { resolveVenues } from "./venue-list.ts";

function parse(raw: unknown) {
  const lines: string[] = [];
  const config = parseFeedsConfig(raw, "feeds.json", (l) => lines.push(l));
  return { config, lines, venues: resolveVenues(config, []) };
}

const loopback = { ws: "ws://127.0.0.1:9/kraken/v2", rest: "http://127.0.0.1:9/kraken/" };

describe("feeds configuration", () => {
  it("overrides a venue's URLs and switches it on, leaving the others built in and off", () => {
    const { lines, venues } = parse({ venues: { kraken: loopback } });
    expect(lines).toEqual([]);
    expect(venues.find((v) => v.id === "kraken")).toMatchObject({ ws: loopback.ws, rest: "http://127.0.0.1:9/kraken", source: "feeds.json", enabled: true });
    expect(venues.filter((v) => v.id !== "kraken").every((v) => v.source === "built-in" && !v.enabled)).toBe(true);
  });

  it("overrides a variant, and keeps a venue off when its entry says so", () => {
    const { lines, venues } = parse({ venues: { binance: { variants: { us: { ...loopback, enabled: false } } } } });
    expect(lines).toEqual([]);
    expect(venues.find((v) => v.id === "binance-us")).toMatchObject({ ws: loopback.ws, source: "feeds.json", enabled: false, name: "Binance.US" });
    expect(venues.find((v) => v.id === "binance")).toMatchObject({ source: "built-in", ws: "wss://stream.binance.com:9443/stream" });
  });

  it("reports an unknown venue, a non-ws URL and an unknown variant on one line each, keeping the built-in values", () => {
    const { lines, venues, config } = parse({
      venues: { krakn: loopback, coinbase: { ws: "https://x.example/ws", rest: "https://x.example" }, binance: { variants: { eu: loopback } }, kraken: { variants: { us: loopback } } },
      simulated: "yes",
    });
    expect(lines).toEqual([
      "feeds.json: venues.krakn: unknown venue (known: kraken, coinbase, binance)",
      "feeds.json: venues.coinbase.ws: ws must be a ws:// or wss:// URL; the built-in value stays",
      "feeds.json: venues.binance.variants.eu: unknown variant (binance has us, data)",
      "feeds.json: venues.kraken.variants.us: unknown variant (kraken has none)",
      "feeds.json: simulated: expected true or false",
    ]);
    expect(config.simulated).toBe(true);
    expect(venues.find((v) => v.id === "coinbase")).toMatchObject({ ws: "wss://advanced-trade-ws.coinbase.com", source: "built-in", enabled: false });
  });

  it("names unknown keys and one-sided URLs", () => {
    expect(parse({ venues: { kraken: { ws: loopback.ws } }, extra: 1 }).lines).toEqual([
      "feeds.json: venues.kraken: give ws and rest together; the built-in value stays",
      "feeds.json: extra: unknown key",
    ]);
    expect(parse({ venues: { kraken: { ...loopback, variant: "us" } } }).lines).toEqual(["feeds.json: venues.kraken.variant: unknown key; the built-in value stays"]);
  });

  it("loads WORKSTATION_FEEDS over feeds.json, and survives a file that is not JSON", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "feeds-cfg-"));
    fs.writeFileSync(path.join(dir, "feeds.json"), "{ not json");
    const lines: string[] = [];
    const fromFile = loadFeedsConfig(dir, {}, (l) => lines.push(l));
    expect(lines).toEqual([`${path.join(dir, "feeds.json")}: not valid JSON; using the built-in venues`]);
    expect(resolveVenues(fromFile, []).every((v) => v.source === "built-in")).toBe(true);
    const fromEnv = loadFeedsConfig(dir, { WORKSTATION_FEEDS: JSON.stringify({ venues: { kraken: loopback } }) });
    expect(resolveVenues(fromEnv, []).find((v) => v.id === "kraken")?.source).toBe("env");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lets the trader's switches win and replace the symbols offered", () => {
    const config = parseFeedsConfig({ venues: { kraken: { ...loopback, symbols: ["BTC/USD"] } } }, "feeds.json", () => undefined);
    const venues = resolveVenues(config, [
      { id: "kraken", enabled: false, symbols: [] },
      { id: "binance-data", enabled: true, symbols: ["SOL/USDT"] },
    ]);
    expect(venues.find((v) => v.id === "kraken")).toMatchObject({ enabled: false, symbols: ["BTC/USD"] });
    expect(venues.find((v) => v.id === "binance-data")).toMatchObject({ enabled: true, symbols: ["SOL/USDT"], source: "built-in" });
    expect(venues.find((v) => v.id === "coinbase")?.symbols).toEqual(["BTC/USD", "ETH/USD"]);
  });
});
