import { afterEach, describe, expect, it } from "vitest";
import type { TradingOrder } from "../../../../common/trading/orders.ts";
import type { UserStreamEvent } from "../../../trading/live/adapter.ts";
import { BinanceExecution } from "./adapter.ts";
import type { BinancePrivateSim } from "./simulator.ts";
import { startBinanceSim, TEST_KEY } from "./testing.ts";

function order(over: Partial<TradingOrder> = {}): TradingOrder {
  return { venue: "binance", symbol: "BTC/USDT", side: "buy", type: "market", size: 0.01, price: null, tif: "GTC", id: "live-1", account: "live:binance", ledger: "manual", status: "submitted", filledSize: 0, avgPrice: null, createdTime: 0, updatedTime: 0, reason: null, parentId: null, ocoId: null, strategyOrderId: null, childStrategyIds: [], ...over };
}

let sim: BinancePrivateSim | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

describe("Binance execution adapter against the private simulator", () => {
  it("places a signed market order and gets its fills; queries by client order id", async () => {
    const s = await startBinanceSim();
    sim = s.sim;
    const r = await s.adapter.place(order());
    expect(r).toMatchObject({ kind: "accepted", state: { clientOrderId: "live-1", status: "filled", filledSize: 0.01 }, fills: [{ price: 50_000, qty: 0.01 }] });
    const q = await s.adapter.query(order());
    expect(q).toMatchObject({ kind: "found", state: { status: "filled" }, fills: [{ qty: 0.01 }] });
    expect(await s.adapter.query(order({ id: "live-99" }))).toEqual({ kind: "missing" });
    const b = await s.adapter.balances();
    expect(b.BTC!.free).toBeCloseTo(1 + 0.01 * 0.999, 9);
  });

  it("names the venue rule of an order off the grid or under the minimum notional", async () => {
    const s = await startBinanceSim();
    sim = s.sim;
    expect(s.adapter.check(order({ type: "limit", price: 50_000.005 }), 50_000)?.rule).toBe("PRICE_FILTER");
    expect(s.adapter.check(order({ size: 0.000015 }), 50_000)?.rule).toBe("LOT_SIZE");
    expect(s.adapter.check(order({ size: 0.00001 }), 50_000)?.rule).toBe("NOTIONAL");
  });

  it("is refused with -1022 for a wrong secret, and refuses a skewed clock before trading", async () => {
    const s = await startBinanceSim();
    sim = s.sim;
    const wrong = new BinanceExecution(s.urls, { ...TEST_KEY, secret: "nope" });
    await wrong.prepare();
    expect(await wrong.place(order())).toMatchObject({ kind: "rejected", reason: /-1022/ });
    s.sim.clockSkewMs = 60_000;
    await expect(new BinanceExecution(s.urls, TEST_KEY).prepare()).rejects.toThrow(/^clock-skew: .*behind binance/);
  });

  it("streams executionReport and outboundAccountPosition over the WebSocket API", async () => {
    const s = await startBinanceSim();
    sim = s.sim;
    const events: UserStreamEvent[] = [];
    let resolve = () => {};
    const done = new Promise<void>((r) => (resolve = r));
    const stream = await s.adapter.openStream({ event: (e) => (events.push(e), events.length === 3 && resolve()), closed: () => {} });
    await s.adapter.place(order({ id: "live-2" }));
    await done;
    stream.close();
    expect(events.map((e) => (e.kind === "order" ? e.state.status : e.kind))).toEqual(["accepted", "filled", "balances"]);
  });
});
