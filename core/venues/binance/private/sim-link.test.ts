import { afterEach, describe, expect, it } from "vitest";
import type { TradingOrder } from "../../../../common/trading/orders.ts";
import { Simulator } from "../../../simulator/server.ts";
import { BinanceExecution } from "./adapter.ts";
import { startLinkedPrivateSim } from "./sim-link.ts";
import { TEST_KEY } from "./testing.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("the private simulator beside the public one", () => {
  it("trades the public simulator's symbols on their grid, at the public book's mid price", async () => {
    const pub = await Simulator.start({ venues: ["binance"], rate: 0, seed: 7 });
    cleanups.push(() => pub.close());
    const markets = pub.venues.get("binance")!.markets;
    const priv = await startLinkedPrivateSim(markets, 10);
    cleanups.push(priv.stop);
    const adapter = new BinanceExecution(priv.urls, TEST_KEY);
    await adapter.prepare();
    const m = markets.get("BTC/USDT")!;
    const mid = Number(m.price(m.mid()));
    const order: TradingOrder = { venue: "binance", symbol: "BTC/USDT", side: "buy", type: "market", size: Number(m.size(1)) * 10, price: null, tif: "GTC", id: "t-1", account: "live:binance", ledger: "manual", status: "submitted", filledSize: 0, avgPrice: null, createdTime: 0, updatedTime: 0, reason: null, parentId: null, ocoId: null, strategyOrderId: null, childStrategyIds: [] };
    const r = await adapter.place(order);
    expect(r).toMatchObject({ kind: "accepted", state: { status: "filled" }, fills: [{ price: mid }] });
  });
});
