import { describe, expect, it } from "vitest";
import { applyVenueSwitches, type FeedsConfig } from "./config.ts";

const config: FeedsConfig = {
  venues: {
    kraken: { ws: "ws://127.0.0.1:1/k", rest: "http://127.0.0.1:1", symbols: ["BTC/USD"] },
    binance: { ws: "ws://127.0.0.1:2/b", rest: "http://127.0.0.1:2" },
  },
  simulated: true,
  simulatedRate: 20,
};

describe("applyVenueSwitches", () => {
  it("leaves out a configured venue the user switched off and keeps the rest", () => {
    const out = applyVenueSwitches(config, [{ id: "kraken", enabled: false, symbols: [] }]);
    expect(Object.keys(out.venues)).toEqual(["binance"]);
    expect(out.simulated).toBe(true);
  });

  it("replaces a venue's symbols with the user's list when it is not empty", () => {
    const out = applyVenueSwitches(config, [
      { id: "binance", enabled: true, symbols: ["SOL/USDT"] },
      { id: "kraken", enabled: true, symbols: [] },
    ]);
    expect(out.venues.binance?.symbols).toEqual(["SOL/USDT"]);
    expect(out.venues.kraken?.symbols).toEqual(["BTC/USD"]);
  });

  it("never adds a venue that has no configured endpoints", () => {
    const out = applyVenueSwitches({ ...config, venues: {} }, [{ id: "coinbase", enabled: true, symbols: ["BTC/USD"] }]);
    expect(out.venues).toEqual({});
  });
});
