import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Pricing } from "../../common/strategy/engine/pricing.ts";
import type { OrderSpec } from "../../common/trading/orders.ts";
import { openAppDb } from "../store/app-db.ts";
import { TradingEngine, type OrderUpdate } from "./engine.ts";
import type { FillModel } from "./paper-broker.ts";
import { DEFAULT_RISK_LIMITS, REPLAY_RISK_LIMITS, type RiskLimits } from "./risk.ts";
import { MemoryTradingStore, SqliteTradingStore, type TradingStore } from "./store.ts";

const V = "kraken";
const S = "BTC/USD";
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function engine(opts: { fillModel?: FillModel; limits?: RiskLimits; store?: TradingStore; commission?: number } = {}): TradingEngine {
  return new TradingEngine({
    store: opts.store ?? new MemoryTradingStore(),
    limits: opts.limits ?? REPLAY_RISK_LIMITS,
    fillModel: opts.fillModel ?? "next-trade",
    pricing: new Pricing({ commission: opts.commission ?? 0, slippageBps: 0 }),
    startingBalances: { USD: 100_000 },
  });
}

function spec(side: "buy" | "sell", size: number, extra: Partial<OrderSpec> = {}): OrderSpec {
  return { venue: V, symbol: S, side, type: "market", size, price: null, tif: "GTC", ...extra };
}

const trade = (ts: number, price: number, size = 1) => ({ ts, price, size, receiveTime: ts + 5 });

describe("paper broker, next-trade model", () => {
  it("a market order fills whole at the first trade at or after its placement, with that trade's venue and receive times", () => {
    const e = engine({ commission: 0.001 });
    e.openLedger(V, "s1", S, 10_000);
    e.onTrade(V, S, trade(59_000, 100));
    const o = e.place(spec("buy", 2), "s1", { createdTime: 60_000 });
    expect(o.status).toBe("accepted");
    e.onTrade(V, S, trade(59_500, 90));
    expect(o.status).toBe("accepted");
    const updates: OrderUpdate[] = [];
    e.subscribe((u) => updates.push(u));
    e.onTrade(V, S, trade(60_010, 101, 0.1));
    expect(o).toMatchObject({ status: "filled", filledSize: 2, avgPrice: 101 });
    expect(updates[0]!.fill).toEqual({ id: `${o.id}.1`, orderId: o.id, side: "buy", price: 101, size: 2, fee: 0.202, liquidity: "taker", venueTime: 60_010, receiveTime: 60_015 });
    const sub = e.account(V).ledger("s1", S);
    expect(sub.size).toBe(2);
    expect(e.account(V).balances.get("BTC")).toBe(2);
    expect(e.account(V).balances.get("USD")).toBeCloseTo(100_000 - 202.202, 9);
  });

  it("a limit fills at the trade's price on a gap, at its own price after; a stop at the trade that triggers it", () => {
    const e = engine();
    e.openLedger(V, "s1", S, 10_000);
    const gap = e.place(spec("buy", 1, { type: "limit", price: 100 }), "s1", { createdTime: 0 });
    const later = e.place(spec("buy", 1, { type: "limit", price: 95 }), "s1", { createdTime: 0 });
    const stop = e.place(spec("sell", 1, { type: "stop", price: 90 }), "s1", { createdTime: 0 });
    e.onTrade(V, S, trade(1, 98));
    e.onTrade(V, S, trade(2, 93));
    e.onTrade(V, S, trade(3, 88));
    expect([gap.avgPrice, later.avgPrice, stop.avgPrice]).toEqual([98, 95, 88]);
  });

  it("brackets: the entry's fill places reduce-only OCO children; the take-profit's fill cancels the stop", () => {
    const e = engine();
    e.openLedger(V, "s1", S, 10_000);
    const entry = e.place(spec("buy", 1, { stopLoss: 90, takeProfit: 110 }), "s1", { createdTime: 0, strategyOrderId: 1, childStrategyIds: [2, 3] });
    e.onTrade(V, S, trade(1, 100));
    const [sl, tp] = e.allOrders().filter((o) => o.parentId === entry.id);
    expect(sl).toMatchObject({ type: "stop", side: "sell", price: 90, reduceOnly: true, strategyOrderId: 2, ocoId: tp!.id });
    e.onTrade(V, S, trade(2, 111));
    expect(tp).toMatchObject({ status: "filled", avgPrice: 110 });
    expect(sl).toMatchObject({ status: "canceled" });
    expect(e.account(V).ledger("s1", S).size).toBe(0);
  });

  it("refuses at fill time what the sub-ledger cannot pay for, as a backtest does", () => {
    const e = engine();
    e.openLedger(V, "s1", S, 50);
    const o = e.place(spec("buy", 1), "s1", { createdTime: 0 });
    e.onTrade(V, S, trade(1, 100));
    expect(o.status).toBe("rejected");
    expect(o.reason).toMatch(/insufficient cash/);
  });
});

describe("paper broker, book model", () => {
  it("a market order walks the book at once; a resting limit fills by traded size after the queue ahead", () => {
    const e = engine({ fillModel: "book" });
    e.openLedger(V, "s1", S, 100_000);
    e.onBook(V, S, [[99, 2], [98, 5]], [[101, 1], [102, 3]], 10);
    const m = e.place(spec("buy", 2), "s1", { createdTime: 10 });
    expect(m).toMatchObject({ status: "filled", filledSize: 2, avgPrice: 101.5 });
    const l = e.place(spec("buy", 3, { type: "limit", price: 99 }), "s1", { createdTime: 10 });
    e.onTrade(V, S, trade(11, 99, 1.5));
    expect(l.filledSize).toBe(0);
    e.onTrade(V, S, trade(12, 99, 1));
    expect(l).toMatchObject({ status: "partially_filled", filledSize: 0.5 });
    e.onTrade(V, S, trade(13, 98.5, 10));
    expect(l).toMatchObject({ status: "filled", filledSize: 3 });
  });

  it("IOC: what the book cannot fill at once expires", () => {
    const e = engine({ fillModel: "book" });
    e.openLedger(V, "s1", S, 100_000);
    e.onBook(V, S, [[99, 2]], [[101, 1]], 10);
    const o = e.place(spec("buy", 3, { type: "limit", price: 101, tif: "IOC" }), "s1", { createdTime: 10 });
    expect(o).toMatchObject({ status: "expired", filledSize: 1 });
  });
});

describe("risk gate", () => {
  it("names the rule it refuses by; the kill switch halts (cancelling all) and reduce-only lets only reductions through", () => {
    const e = engine({ limits: { ...DEFAULT_RISK_LIMITS, maxOrderNotional: 1000, priceBand: 0.1 } });
    e.openLedger(V, "s1", S, 100_000);
    e.onTrade(V, S, trade(1, 100));
    expect(e.place(spec("buy", 20), "s1", { createdTime: 2 }).reason).toMatch(/^max-order-notional: the order is worth 2000/);
    expect(e.place(spec("buy", 1, { type: "limit", price: 50 }), "s1", { createdTime: 2 }).reason).toMatch(/^price-band:/);
    const open = e.place(spec("buy", 1, { type: "limit", price: 95 }), "s1", { createdTime: 2 });
    e.place(spec("buy", 1), "s1", { createdTime: 2 });
    e.onTrade(V, S, trade(3, 100));
    e.setMode("reduce-only", 4);
    expect(e.place(spec("buy", 1), "s1", { createdTime: 4 }).reason).toMatch(/^reduce-only:/);
    expect(e.place(spec("sell", 1), "s1", { createdTime: 4 }).status).toBe("accepted");
    e.setMode("halt", 5);
    expect(open.status).toBe("canceled");
    expect(e.place(spec("sell", 1), "s1", { createdTime: 5 }).reason).toMatch(/^kill-switch:/);
  });
});

describe("durable state", () => {
  it("a restart from the app database resumes: ledgers from the fills, open orders working, kill switch kept, no fill lost or doubled", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trading-"));
    dirs.push(dir);
    const app = openAppDb(dir);
    const first = engine({ store: new SqliteTradingStore(app.db) });
    first.openLedger(V, "s1", S, 10_000);
    first.place(spec("buy", 2), "s1", { createdTime: 0 });
    const resting = first.place(spec("sell", 1, { type: "limit", price: 120 }), "s1", { createdTime: 0 });
    first.onTrade(V, S, trade(1, 100));
    first.setMode("reduce-only", 2);
    app.close();

    const again = openAppDb(dir);
    const second = engine({ store: new SqliteTradingStore(again.db) });
    second.restore();
    expect(second.mode).toBe("reduce-only");
    expect(second.account(V).ledger("s1", S).size).toBe(2);
    expect(second.order(resting.id)!.status).toBe("accepted");
    second.onTrade(V, S, trade(3, 121));
    expect(second.order(resting.id)).toMatchObject({ status: "filled", avgPrice: 120 });
    expect(second.account(V).ledger("s1", S).size).toBe(1);
    const next = second.place(spec("sell", 1), "s1", { createdTime: 4 });
    expect(next.id).not.toBe(resting.id);
    const fills = again.db.prepare("SELECT id FROM fills ORDER BY seq").all();
    expect(fills).toEqual([{ id: "paper-1.1" }, { id: "paper-2.1" }]);
    again.close();
  });
});

describe("fill settings per sub-ledger", () => {
  it("a session's own fill model, fees, slippage and latency apply to its orders only, and to its resting orders after a restore", () => {
    const store = new MemoryTradingStore();
    const e = engine({ fillModel: "book", commission: 0.001, store });
    e.setLedgerFill("nt", { fillModel: "next-trade", makerFee: 0.002, takerFee: 0.002, slippageBps: 0, latencyMs: 0 });
    e.setLedgerFill("slow", { fillModel: "next-trade", makerFee: 0, takerFee: 0.001, slippageBps: 100, latencyMs: 1000 });
    for (const l of ["book", "nt", "slow"]) e.openLedger(V, l, S, 10_000);
    e.onTrade(V, S, trade(1_000, 100));
    e.onBook(V, S, [[99, 5]], [[101, 5]], 1_000);
    const byBook = e.place(spec("buy", 1), "book", { createdTime: 2_000 });
    expect(byBook).toMatchObject({ status: "filled", avgPrice: 101 });
    const nextTrade = e.place(spec("buy", 1), "nt", { createdTime: 2_000 });
    const slow = e.place(spec("buy", 1), "slow", { createdTime: 2_000 });
    expect(nextTrade.status).toBe("accepted");
    e.onTrade(V, S, trade(2_500, 100));
    expect(nextTrade).toMatchObject({ status: "filled", avgPrice: 100 });
    expect(slow.status).toBe("accepted");
    e.onTrade(V, S, trade(3_000, 100));
    expect(slow).toMatchObject({ status: "filled", avgPrice: 101 });
    expect(e.fillsOf([byBook.id, nextTrade.id, slow.id]).map((f) => f.fee)).toEqual([0.101, 0.2, 0.101]);
    const resting = e.place(spec("sell", 1, { type: "limit", price: 110 }), "nt", { createdTime: 3_000 });

    const again = engine({ fillModel: "book", commission: 0.001, store });
    again.setLedgerFill("nt", { fillModel: "next-trade", makerFee: 0.002, takerFee: 0.002, slippageBps: 0, latencyMs: 0 });
    again.restore();
    again.onTrade(V, S, trade(4_000, 111));
    expect(again.order(resting.id)).toMatchObject({ status: "filled", avgPrice: 110 });
    expect(again.fillsOf([resting.id])[0]!.fee).toBe(0.22);
  });
});
