import { afterEach, describe, expect, it } from "vitest";
import type { TradingOrder } from "../../../../common/trading/orders.ts";
import type { UserStreamEvent } from "../../../trading/live/adapter.ts";
import { KrakenExecutionAdapter } from "./adapter.ts";
import { keepDeadManArmed } from "./dead-man.ts";
import { KrakenPrivateSim } from "./simulator.ts";

const KEY = { apiKey: "krakenSimKey0000000000000000001", secret: Buffer.from("krakenSimSecret-0000000000000001").toString("base64") };

function order(over: Partial<TradingOrder> = {}): TradingOrder {
  return { venue: "kraken", symbol: "BTC/USD", side: "buy", type: "market", size: 0.01, price: null, tif: "GTC", id: "live-1", account: "live:kraken", ledger: "manual", status: "submitted", filledSize: 0, avgPrice: null, createdTime: 0, updatedTime: 0, reason: null, parentId: null, ocoId: null, strategyOrderId: null, childStrategyIds: [], ...over };
}

let sim: KrakenPrivateSim | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

async function start(opts: { validate?: boolean; transport?: "ws" | "rest" } = {}): Promise<{ sim: KrakenPrivateSim; adapter: KrakenExecutionAdapter; urls: { rest: string; wsAuth: string } }> {
  sim = new KrakenPrivateSim([{ symbol: "XBTUSD", baseAsset: "XBT", quoteAsset: "USD", tickSize: "0.1", stepSize: "0.00000001", minQty: "0.0001", minNotional: "0.5", price: 50_000 }], [KEY], { USD: 10_000, XBT: 1 });
  const urls = await sim.start();
  const adapter = new KrakenExecutionAdapter(urls, KEY, { transport: "rest", tier: "pro", ...opts, log: () => {} });
  await adapter.prepare();
  return { sim, adapter, urls };
}

describe("Kraken execution adapter against the private simulator", () => {
  it("places a signed market order with cl_ord_id and gets its fills; queries and cancels by client order id", async () => {
    const s = await start();
    expect(await s.adapter.place(order())).toMatchObject({ kind: "accepted", state: { clientOrderId: "live-1", status: "filled", filledSize: 0.01 }, fills: [{ price: 50_000, qty: 0.01 }] });
    expect(await s.adapter.query(order())).toMatchObject({ kind: "found", state: { status: "filled" } });
    expect(await s.adapter.query(order({ id: "live-99" }))).toEqual({ kind: "missing" });
    const limit = order({ id: "live-2", type: "limit", price: 40_000 });
    expect(await s.adapter.place(limit)).toMatchObject({ kind: "accepted", state: { status: "accepted", price: 40_000 } });
    expect(await s.adapter.openOrders(["BTC/USD"])).toMatchObject([{ clientOrderId: "live-2" }]);
    expect(await s.adapter.cancel(limit)).toMatchObject({ kind: "found", state: { status: "canceled" } });
    expect((await s.adapter.balances()).XBT!.free).toBeCloseTo(1 + 0.01 * 0.999, 9);
  });

  it("resolves a lost answer by query on the client order id, never re-sending", async () => {
    const s = await start();
    s.sim.inject({ kind: "lose-answer" });
    expect(await s.adapter.place(order({ id: "live-3" }))).toMatchObject({ kind: "unknown" });
    expect(await s.adapter.query(order({ id: "live-3" }))).toMatchObject({ kind: "found", state: { status: "filled" } });
    s.sim.inject({ kind: "error-after-execute", status: 503 });
    expect(await s.adapter.place(order({ id: "live-4" }))).toMatchObject({ kind: "unknown", reason: /503/ });
    expect(s.sim.orderRequests).toEqual(["live-3", "live-4"]);
  });

  it("classifies refusals: insufficient funds rejected, rate limit throttled, wrong secret rejected", async () => {
    const s = await start();
    expect(await s.adapter.place(order({ size: 100 }))).toMatchObject({ kind: "rejected", reason: "kraken EOrder:Insufficient funds" });
    s.sim.inject({ kind: "error", error: "EAPI:Rate limit exceeded" });
    expect(await s.adapter.place(order({ id: "live-5" }))).toMatchObject({ kind: "throttled" });
    const wrong = new KrakenExecutionAdapter(s.urls, { ...KEY, secret: Buffer.from("nope").toString("base64") }, { transport: "rest", log: () => {} });
    await expect(wrong.prepare()).rejects.toThrow(/EAPI:Invalid signature/);
  });

  it("names the pair rule an order breaks", async () => {
    const s = await start();
    expect(s.adapter.check(order({ size: 0.00001 }), 50_000)?.rule).toBe("ordermin");
    expect(s.adapter.check(order({ type: "limit", price: 50_000.05 }), 50_000)?.rule).toBe("tick_size");
    expect(s.adapter.check(order({ symbol: "DOGE/EUR" }), 1)?.rule).toBe("symbol");
    expect(s.adapter.check(order(), 50_000)).toBeNull();
  });

  it("in the validate environment sends validate=true and never executes", async () => {
    const s = await start({ validate: true });
    expect(await s.adapter.place(order({ id: "live-6" }))).toMatchObject({ kind: "rejected", reason: /validate: checked, not executed/ });
    expect(s.sim.validated).toEqual(["live-6"]);
    expect(s.sim.account.orders.size).toBe(0);
  });

  it("arms, re-arms and disarms the dead-man's switch; when it fires, open orders are canceled", async () => {
    const s = await start();
    await s.adapter.place(order({ id: "live-7", type: "limit", price: 40_000 }));
    const armed = await s.adapter.armDeadMan(60);
    expect(armed.triggerTime).toBeGreaterThan(Date.now() + 55_000);
    expect(s.sim.deadManAt).toBeGreaterThan(0);
    expect((await s.adapter.armDeadMan(0)).triggerTime).toBe(0);
    expect(s.sim.deadManAt).toBe(0);
    await s.adapter.armDeadMan(60);
    s.sim.checkDeadMan(Date.now() + 61_000);
    expect(await s.adapter.query(order({ id: "live-7" }))).toMatchObject({ kind: "found", state: { status: "canceled" } });
  });

  it("streams executions (snapshot, then updates) with a GetWebSocketsToken token", async () => {
    const s = await start();
    await s.adapter.place(order({ id: "live-8", type: "limit", price: 40_000 }));
    const events: UserStreamEvent[] = [];
    let resolve = () => {};
    const done = new Promise<void>((r) => (resolve = r));
    const stream = await s.adapter.openStream({ event: (e) => (events.push(e), events.length === 3 && resolve()), closed: () => {} });
    await s.adapter.place(order({ id: "live-9" }));
    await done;
    stream.close();
    expect(events.map((e) => (e.kind === "order" ? `${e.state.clientOrderId}:${e.state.symbol}:${e.state.status}:${e.fill ? "fill" : "-"}` : e.kind))).toEqual(["live-8:BTC/USD:accepted:-", "live-9:BTC/USD:accepted:-", "live-9:BTC/USD:filled:fill"]);
  });

  it("keeps the dead-man's switch armed while running and disarms it at stop", async () => {
    const s = await start();
    let tick = () => {};
    const failures: string[] = [];
    await keepDeadManArmed(s.adapter, { timeoutS: 60, everyMs: 15_000, failed: (r) => failures.push(r), schedule: (t) => ((tick = t), { cancel: () => (tick = () => {}) }) });
    const first = s.sim.deadManAt;
    expect(first).toBeGreaterThan(Date.now() + 55_000);
    await s.sim.close();
    tick();
    await new Promise<void>((resolve) => {
      const wait = () => (failures.length > 0 ? resolve() : setImmediate(wait));
      wait();
    });
    expect(failures[0]).toMatch(/not re-armed/);
    const again = await start();
    const keeper2 = await keepDeadManArmed(again.adapter, { timeoutS: 60, everyMs: 15_000, failed: () => {}, schedule: () => ({ cancel: () => {} }) });
    expect(again.sim.deadManAt).toBeGreaterThan(0);
    await keeper2.stop();
    expect(again.sim.deadManAt).toBe(0);
  });

  it("over WS v2 sends add_order and cancel_order with cl_ord_id and a GetWebSocketsToken token", async () => {
    const s = await start({ transport: "ws" });
    expect(await s.adapter.place(order({ id: "live-10" }))).toMatchObject({ kind: "accepted", state: { clientOrderId: "live-10", status: "filled" }, fills: [{ qty: 0.01 }] });
    const limit = order({ id: "live-11", type: "limit", price: 40_000 });
    expect(await s.adapter.place(limit)).toMatchObject({ kind: "accepted", state: { status: "accepted", price: 40_000 } });
    expect(await s.adapter.cancel(limit)).toMatchObject({ kind: "found", state: { status: "canceled" } });
    expect(await s.adapter.place(order({ id: "live-12", size: 100 }))).toMatchObject({ kind: "rejected", reason: "kraken EOrder:Insufficient funds" });
    expect(s.sim.orderRequests).toEqual(["live-10", "live-11", "live-12"]);
    s.adapter.close();
  });

  it("over WS v2 a validate order carries validate: true and is never executed", async () => {
    const s = await start({ transport: "ws", validate: true });
    expect(await s.adapter.place(order({ id: "live-13" }))).toMatchObject({ kind: "rejected", reason: /validate: checked, not executed/ });
    expect(s.sim.validated).toEqual(["live-13"]);
    s.adapter.close();
  });
});

describe("Kraken execution adapter's trading counter", () => {
  it("answers an order past the pair's threshold `throttled` without sending it (young cancels cost 8 each)", async () => {
    sim = new KrakenPrivateSim([{ symbol: "XBTUSD", baseAsset: "XBT", quoteAsset: "USD", tickSize: "0.1", stepSize: "0.00000001", minQty: "0.0001", minNotional: "0.5", price: 50_000 }], [KEY], { USD: 10_000, XBT: 1 });
    const urls = await sim.start();
    const adapter = new KrakenExecutionAdapter(urls, KEY, { transport: "rest", log: () => {} });
    await adapter.prepare();
    for (let i = 0; i < 9; i++) await adapter.cancel(order({ id: `gone-${i}` }));
    const r = await adapter.place(order({ id: "live-20" }));
    expect(r).toMatchObject({ kind: "throttled", reason: expect.stringContaining("not sent") as unknown });
    expect(sim.orderRequests).toEqual([]);
  });
});
