import { afterEach, describe, expect, it } from "vitest";
import type { TradingOrder } from "../../../../common/trading/orders.ts";
import type { UserStreamEvent } from "../../../trading/live/adapter.ts";
import { CoinbaseExecution } from "./adapter.ts";
import type { CoinbasePrivateSim } from "./simulator.ts";
import { CDP_ED_KEY, CDP_TEST_KEY, startCoinbaseSim } from "./testing.ts";

function order(over: Partial<TradingOrder> = {}): TradingOrder {
  return { venue: "coinbase", symbol: "BTC/USD", side: "buy", type: "market", size: 0.01, price: null, tif: "GTC", id: "live-1", account: "live:coinbase", ledger: "manual", status: "submitted", filledSize: 0, avgPrice: null, createdTime: Date.now(), updatedTime: Date.now(), reason: null, parentId: null, ocoId: null, strategyOrderId: null, childStrategyIds: [], ...over };
}

let sim: CoinbasePrivateSim | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

describe("Coinbase execution adapter against the private simulator", () => {
  it("places a market order with client_order_id (ES256 JWT per request) and gets its fill; queries and cancels", async () => {
    const s = await startCoinbaseSim();
    sim = s.sim;
    expect(await s.adapter.place(order())).toMatchObject({ kind: "accepted", state: { clientOrderId: "live-1", status: "filled", filledSize: 0.01, symbol: "BTC/USD" }, fills: [{ price: 50_000, qty: 0.01, tradeId: expect.stringMatching(/^trade-/) as unknown as string, feeAsset: "USD", maker: false }] });
    expect(await s.adapter.query(order())).toMatchObject({ kind: "found", state: { status: "filled" }, fills: [] });
    expect(await s.adapter.query(order({ id: "live-99" }))).toEqual({ kind: "missing" });
    const limit = order({ id: "live-2", type: "limit", price: 40_000 });
    expect(await s.adapter.place(limit)).toMatchObject({ kind: "accepted", state: { status: "accepted", price: 40_000 } });
    expect(await s.adapter.openOrders(["BTC/USD"])).toMatchObject([{ clientOrderId: "live-2" }]);
    expect(await s.adapter.cancel(limit)).toMatchObject({ kind: "found", state: { status: "canceled" } });
    // A resting limit that fills: the query lists its execution from /orders/historical/fills — the venue's trade id, maker.
    const resting = order({ id: "live-3", type: "limit", price: 49_000 });
    await s.adapter.place(resting);
    s.sim.setPrice("BTC-USD", 48_500);
    const filled = await s.adapter.query(resting);
    expect(filled).toMatchObject({ kind: "found", state: { status: "filled" }, fills: [{ qty: 0.01, maker: true }] });
    expect(filled.kind === "found" ? filled.fills[0]!.tradeId : "").toMatch(/^trade-\d+$/);
    expect(await s.adapter.query(resting)).toMatchObject({ kind: "found", fills: [] });
    expect((await s.adapter.balances()).BTC!.free).toBeCloseTo(1 + 0.02 * 0.999, 9);
    expect(s.adapter.client.rateLimit().remaining).toBeGreaterThanOrEqual(0);
  });

  it("signs with an Ed25519 CDP key too", async () => {
    const s = await startCoinbaseSim(CDP_ED_KEY);
    sim = s.sim;
    expect(await s.adapter.place(order())).toMatchObject({ kind: "accepted", state: { status: "filled" } });
  });

  it("names the product rule an order breaks", async () => {
    const s = await startCoinbaseSim();
    sim = s.sim;
    expect(s.adapter.check(order({ size: 0.000001 }), 50_000)?.rule).toBe("base_min_size");
    expect(s.adapter.check(order({ size: 0.000010001 }), 50_000)?.rule).toBe("base_increment");
    expect(s.adapter.check(order({ type: "limit", price: 50_000.005 }), 50_000)?.rule).toBe("price_increment");
    expect(s.adapter.check(order({ size: 0.00001 }), 50_000)?.rule).toBe("quote_min_size");
    expect(s.adapter.check(order({ symbol: "DOGE/EUR" }), 1)?.rule).toBe("product");
    expect(s.adapter.check(order(), 50_000)).toBeNull();
  });

  it("refuses a key the venue does not know and a clock past the JWT's window", async () => {
    const s = await startCoinbaseSim();
    sim = s.sim;
    await expect(new CoinbaseExecution(s.urls, { ...CDP_ED_KEY, name: "organizations/x/apiKeys/unknown" }, () => {}).prepare()).rejects.toThrow(/coinbase products: coinbase UNAUTHENTICATED: unauthorized: unknown api key \(HTTP 401\)/);
    s.sim.clockSkewMs = 60_000;
    await expect(new CoinbaseExecution(s.urls, CDP_TEST_KEY, () => {}).prepare()).rejects.toThrow(/^clock-skew: .*behind coinbase/);
  });

  it("streams the user channel: snapshot, then updates with a fill derived from cumulative_quantity", async () => {
    const s = await startCoinbaseSim();
    sim = s.sim;
    await s.adapter.place(order({ id: "live-3", type: "limit", price: 40_000 }));
    const events: UserStreamEvent[] = [];
    let resolve = () => {};
    const done = new Promise<void>((r) => (resolve = r));
    const stream = await s.adapter.openStream({ event: (e) => (events.push(e), events.length === 2 && resolve()), closed: () => {} });
    s.sim.setPrice("BTC-USD", 39_000);
    await done;
    stream.close();
    expect(events.map((e) => (e.kind === "order" ? `${e.state.clientOrderId}:${e.state.status}:${e.fill ? `${e.fill.qty}@${e.fill.price}` : "-"}` : e.kind))).toEqual(["live-3:accepted:-", "live-3:filled:0.01@40000"]);
  });

  it("closes the stream on a sequence_num gap, and drops a repeated message", async () => {
    const s = await startCoinbaseSim();
    sim = s.sim;
    await s.adapter.place(order({ id: "live-4", type: "limit", price: 40_000 }));
    await s.adapter.place(order({ id: "live-5", type: "limit", price: 40_000 }));
    const events: UserStreamEvent[] = [];
    let closed = (_why: string) => {};
    const whenClosed = new Promise<string>((r) => (closed = r));
    await s.adapter.openStream({ event: (e) => events.push(e), closed: (why) => closed(why) });
    const before = events.length;
    s.sim.inject({ kind: "reorder-events" });
    s.sim.setPrice("BTC-USD", 39_000);
    expect(await whenClosed).toBe("coinbase user channel: sequence gap");
    expect(s.lines.join("\n")).toMatch(/sequence gap \(expected \d+, got \d+\)/);
    expect(events.length - before).toBe(0);
  });
});

describe("Coinbase rate limit", () => {
  it("waits for x-ratelimit-remaining to reset instead of drawing a 429", async () => {
    const s = await startCoinbaseSim();
    sim = s.sim;
    for (let i = 0; i < 45; i++) expect(await s.adapter.balances()).toHaveProperty("USD");
    expect(s.sim.rateLimited).toBe(0);
  });
});

describe("Coinbase user channel refusals", () => {
  it("rejects opening the stream when the venue refuses its JWT", async () => {
    const s = await startCoinbaseSim();
    sim = s.sim;
    s.sim.clockSkewMs = 600_000;
    await expect(s.adapter.openStream({ event: () => {}, closed: () => {} })).rejects.toThrow(/coinbase user channel: authentication failure: jwt expired or not yet valid/);
  });
});
