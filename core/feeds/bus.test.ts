import { describe, expect, it } from "vitest";
import type { MarketEvent } from "../../common/market/events.ts";
import { ANY_SYMBOL, MarketBus } from "./bus.ts";

const trade = (symbol: string, tradeId: string): MarketEvent => ({ type: "trade", exchange: "kraken", symbol, price: "1", size: "1", side: "buy", tradeId, ts: 1 });

describe("MarketBus", () => {
  it("delivers by feed and symbol, any-symbol listeners get everything of their feed", () => {
    const bus = new MarketBus();
    const got: string[] = [];
    const offEth = bus.onEvent("k", "ETH/USD", (e) => got.push(`eth:${"tradeId" in e ? e.tradeId : e.type}`));
    bus.onEvent("k", ANY_SYMBOL, (e) => got.push(`any:${"tradeId" in e ? e.tradeId : e.type}`));
    bus.onEvent("other", ANY_SYMBOL, () => got.push("other"));
    bus.publish("k", trade("ETH/USD", "1"));
    bus.publish("k", trade("BTC/USD", "2"));
    bus.publish("k", { type: "error", exchange: "kraken", reason: "malformed_frame" });
    expect(got).toEqual(["eth:1", "any:1", "any:2", "any:error"]);
    offEth();
    offEth();
    bus.publish("k", trade("ETH/USD", "3"));
    expect(got.slice(4)).toEqual(["any:3"]);
  });

  it("forgets a feed's raw listeners once the last one leaves, and takes new ones after", () => {
    const bus = new MarketBus();
    const seen: number[] = [];
    const off = bus.onRaw("k", (item) => seen.push(item.t));
    expect(bus.hasRaw("k")).toBe(true);
    off();
    expect(bus.hasRaw("k")).toBe(false);
    const offLate = bus.onRaw("k", (item) => seen.push(item.t * 10));
    off();
    bus.publishRaw("k", { t: 2, frame: "x" });
    expect(seen).toEqual([20]);
    offLate();
    expect(bus.hasRaw("k")).toBe(false);
  });
});
