import { describe, expect, it } from "vitest";
import { Pricing } from "../../../common/strategy/engine/pricing.ts";
import type { TradingOrder } from "../../../common/trading/orders.ts";
import { TradingEngine } from "../engine.ts";
import { DEFAULT_RISK_LIMITS } from "../risk.ts";
import { MemoryTradingStore } from "../store.ts";

const LIVE: TradingOrder = { venue: "binance", symbol: "BTC/USDT", side: "buy", type: "limit", size: 1, price: 100, tif: "GTC", id: "wabc-1", account: "live:binance", ledger: "manual", status: "accepted", filledSize: 0, avgPrice: null, createdTime: 0, updatedTime: 0, reason: null, parentId: null, ocoId: null, strategyOrderId: null, childStrategyIds: [] };

describe("paper and live share the store", () => {
  it("the paper order layer never restores (and so never paper-fills or cancels) a live account's orders", () => {
    const store = new MemoryTradingStore();
    store.saveOrder(LIVE);
    store.saveFill({ id: "binance:1:2", orderId: "wabc-1", side: "buy", price: 100, size: 0.5, fee: 0, liquidity: "maker", venueTime: 1, receiveTime: 1, account: "live:binance", ledger: "manual", symbol: "BTC/USDT" }, LIVE);
    const engine = new TradingEngine({ store, limits: DEFAULT_RISK_LIMITS, fillModel: "next-trade", pricing: new Pricing({ commission: 0, slippageBps: 0 }) });
    engine.restore();
    expect(engine.allOrders()).toEqual([]);
    expect(engine.allFills()).toEqual([]);
    engine.setMode("halt", 2);
    expect(store.load().orders[0]!.status).toBe("accepted");
  });
});
