import { describe, expect, it } from "vitest";
import type { MarketEvent } from "../../common/market/events.ts";
import { Pricing } from "../../common/strategy/engine/pricing.ts";
import { MarketBus } from "../feeds/bus.ts";
import { TradingEngine } from "./engine.ts";
import { attachLiveFeed } from "./live-feed.ts";
import { REPLAY_RISK_LIMITS } from "./risk.ts";
import { PaperRunner } from "./runner.ts";
import { inProcessHost } from "./in-process-host.ts";
import { MemoryTradingStore } from "./store.ts";

const trade = (ts: number, price: string): MarketEvent => ({ type: "trade", exchange: "kraken", symbol: "BTC/USD", price, size: "1", side: "buy", tradeId: String(ts), ts });

describe("live feed into paper runners", () => {
  it("bars from the bus's trades, an order filled at the trade that closed its bar, gaps counted and nothing invented", async () => {
    const bus = new MarketBus();
    const engine = new TradingEngine({ store: new MemoryTradingStore(), limits: REPLAY_RISK_LIMITS, fillModel: "next-trade", pricing: new Pricing({ commission: 0, slippageBps: 0 }) });
    engine.openLedger("kraken", "s1", "BTC/USD", 10_000);
    const seen: number[] = [];
    const host = inProcessHost({ params: {}, onBar: (bar, ctx) => (seen.push(bar.time), ctx.barIndex === 0 ? void ctx.buy(1) : undefined) });
    const logs: string[] = [];
    const runner = new PaperRunner({ ledger: "s1", venue: "kraken", symbol: "BTC/USD", tfMs: 60_000, engine, host, log: (l) => logs.push(l) });
    await runner.start();
    const feed = attachLiveFeed({ bus, venue: "kraken", symbol: "BTC/USD", runners: () => [runner], engine, venueNow: null });
    bus.publish("kraken", trade(1_000, "100"));
    bus.publish("kraken", trade(61_000, "101"));
    bus.publish("kraken", { type: "gap", exchange: "kraken", symbol: null, expected: 5, got: 9 });
    bus.publish("kraken", trade(300_500, "107"));
    await feed.drained();
    feed.detach();
    expect(seen).toEqual([0, 60_000]);
    expect(runner.gaps).toBe(1);
    expect(logs).toEqual(["feed gap (expected sequence 5, got 9): trades may be missing; no bar is invented"]);
    expect(engine.allFills()).toMatchObject([{ price: 101, venueTime: 61_000 }]);
  });
});
