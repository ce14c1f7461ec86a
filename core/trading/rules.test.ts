import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Pricing } from "../../common/strategy/engine/pricing.ts";
import type { OrderSpec } from "../../common/trading/orders.ts";
import { openAppDb } from "../store/app-db.ts";
import { KRAKEN_REST } from "../venues/kraken/rest.ts";
import { TradingEngine, type InstrumentRules } from "./engine.ts";
import { failedOrdersPolicy } from "./failed-orders.ts";
import { REPLAY_RISK_LIMITS } from "./risk.ts";
import { PaperRunner } from "./runner.ts";
import type { SessionHost } from "./session-host.ts";
import { MemoryTradingStore, SqliteTradingStore, type TradingStore } from "./store.ts";
import { rulesOf } from "./venue-rules.ts";

const V = "kraken";
const S = "BTC/USD";
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function engine(store: TradingStore = new MemoryTradingStore(), rules?: InstrumentRules): TradingEngine {
  return new TradingEngine({
    store,
    limits: REPLAY_RISK_LIMITS,
    fillModel: "next-trade",
    pricing: new Pricing({ commission: 0, slippageBps: 0 }),
    startingBalances: { USD: 1000 },
    ...(rules ? { instrumentRules: (venue: string, symbol: string) => (venue === V && symbol === S ? rules : undefined) } : {}),
  });
}

const spec = (side: "buy" | "sell", size: number, extra: Partial<OrderSpec> = {}): OrderSpec => ({ venue: V, symbol: S, side, type: "market", size, price: null, tif: "GTC", ...extra });
const trade = (ts: number, price: number) => ({ ts, price, size: 10, receiveTime: ts });

describe("the venue's instrument rules in core", () => {
  it("reads tick, lot and minimum notional from the venue's instrument answer", () => {
    const [pair] = KRAKEN_REST.parseInstruments(JSON.stringify({ error: [], result: { XBTUSD: { altname: "XBTUSD", wsname: "XBT/USD", pair_decimals: 1, lot_decimals: 8, tick_size: "0.1", costmin: "0.5", status: "online" } } }));
    expect(pair).toMatchObject({ symbol: "BTC/USD", tickSize: "0.1", minNotional: "0.5" });
    const rules = rulesOf(pair!, 0.001);
    expect(rules.minNotional).toBe(0.5);
    expect(rules.pricing.orderPrice(100.04)).toBe(100);
  });

  it("rounds to the tick and lot, and refuses under one lot (lot-size) and under the minimum notional (min-notional)", () => {
    const e = engine(undefined, { pricing: new Pricing({ instrument: { tickSize: 0.5, lotSize: 0.01 }, commission: 0, slippageBps: 0 }), minNotional: 5 });
    e.openLedger(V, "s1", S, 1000);
    expect(e.place(spec("buy", 0.129, { type: "limit", price: 100.3 }), "s1", { createdTime: 0 })).toMatchObject({ status: "accepted", price: 100.5, size: 0.12 });
    expect(e.place(spec("buy", 0.004, { type: "limit", price: 100 }), "s1", { createdTime: 0 })).toMatchObject({ status: "rejected", reason: "lot-size: size 0.004 is below the lot size" });
    expect(e.place(spec("buy", 0.04, { type: "limit", price: 100 }), "s1", { createdTime: 0 }).reason).toMatch(/^min-notional: order value 4 is below the minimum of 5$/);
    e.onTrade(V, S, trade(1, 200));
    expect(e.place(spec("buy", 0.02), "s1", { createdTime: 2 }).reason).toMatch(/^min-notional:/);
    expect(e.place(spec("buy", 0.03), "s1", { createdTime: 2 }).status).toBe("accepted");
  });

  it("without rules for an instrument, orders go through as before", () => {
    const e = engine(undefined, { pricing: new Pricing({ instrument: { lotSize: 1 }, commission: 0, slippageBps: 0 }), minNotional: 1e9 });
    expect(e.place({ ...spec("buy", 0.001), symbol: "ETH/USD" }, "manual", { createdTime: 0 }).status).toBe("accepted");
  });
});

/** A session host whose strategy places a resting limit on the first bar and throws on the second. */
function failingHost(): SessionHost {
  let bars = 0;
  return {
    restarts: 0,
    start: async () => ({}),
    stop: async () => undefined,
    step: async () => {
      bars++;
      if (bars === 2) throw new Error("boom");
      return { intents: [{ kind: "order", id: 1, req: { side: "buy", size: 1, type: "limit", price: 50 }, time: 0, childIds: [] }], logs: [] };
    },
  };
}

async function failedSession(leave: boolean): Promise<TradingEngine> {
  const e = engine();
  e.openLedger(V, "s1", S, 1000);
  const runner = new PaperRunner({ ledger: "s1", venue: V, symbol: S, tfMs: 60_000, engine: e, host: failingHost(), leaveOrdersOnError: () => leave });
  await runner.start();
  for (const [ts, p] of [[0, 100], [60_000, 100], [120_000, 100]] as const) await runner.onTrade({ ts, price: p, size: 1, receiveTime: ts, priceText: String(p), sizeText: "1" });
  expect(runner.status).toBe("failed");
  return e;
}

describe("a failed strategy's open orders", () => {
  it("are cancelled by default and left working with the leave setting", async () => {
    const cancelled = await failedSession(false);
    expect(cancelled.allOrders().map((o) => [o.status, o.reason])).toEqual([["canceled", "the strategy stopped with an error"]]);
    const left = await failedSession(true);
    expect(left.allOrders().map((o) => o.status)).toEqual(["accepted"]);
  });

  it("the setting is stored, default cancel", () => {
    const store = new MemoryTradingStore();
    expect(failedOrdersPolicy(store)).toBe("cancel");
    expect(failedOrdersPolicy(store, "leave")).toBe("leave");
    expect(failedOrdersPolicy(store)).toBe("leave");
  });
});

describe("paper account reset", () => {
  it("cancels the account's open orders, restores the starting balances, empties its ledgers, and a restart keeps it reset", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trading-reset-"));
    dirs.push(dir);
    const app = openAppDb(dir);
    const first = engine(new SqliteTradingStore(app.db));
    first.place(spec("buy", 2), "manual", { createdTime: 0 });
    first.onTrade(V, S, trade(1, 100));
    const resting = first.place(spec("sell", 1, { type: "limit", price: 150 }), "manual", { createdTime: 2 });
    expect(first.account(V).balances.get("USD")).toBe(800);
    const fresh = first.resetAccount(`paper:${V}`, 3);
    expect(Object.fromEntries(fresh.balances)).toEqual({ USD: 1000 });
    expect(fresh.ledger("manual", S).size).toBe(0);
    expect(first.order(resting.id)).toMatchObject({ status: "canceled", reason: "paper account reset" });
    first.place(spec("buy", 1), "manual", { createdTime: 4 });
    first.onTrade(V, S, trade(5, 10));
    app.close();

    const again = openAppDb(dir);
    const second = engine(new SqliteTradingStore(again.db));
    second.restore();
    expect(second.account(V).balances.get("USD")).toBe(990);
    expect(second.account(V).ledger("manual", S).size).toBe(1);
    expect(second.allFills()).toHaveLength(2);
    expect(() => second.resetAccount("paper:nowhere", 6)).toThrow(/no paper account paper:nowhere/);
    again.close();
  });
});
