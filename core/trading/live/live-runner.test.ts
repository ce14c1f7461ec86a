import { afterEach, describe, expect, it } from "vitest";
import type { StrategyContext } from "../../../common/strategy/api.ts";
import type { TradingOrder } from "../../../common/trading/orders.ts";
import type { BinancePrivateSim } from "../../venues/binance/private/simulator.ts";
import { startBinanceSim } from "../../venues/binance/private/testing.ts";
import { inProcessHost } from "../in-process-host.ts";
import { REPLAY_RISK_LIMITS } from "../risk.ts";
import { MemoryTradingStore } from "../store.ts";
import type { ExecutionAdapter } from "./adapter.ts";
import { LiveBroker } from "./live-broker.ts";
import { LiveRunner } from "./live-runner.ts";

const trade = (ts: number, price: string) => ({ ts, priceText: price, sizeText: "1" });
const bar = trade;
const tick = (ts: number, price: number) => ({ ts, price, size: 1, receiveTime: ts });

let sim: BinancePrivateSim | null = null;
const brokers: LiveBroker[] = [];
afterEach(async () => {
  for (const b of brokers.splice(0)) b.stop();
  await sim?.close();
  sim = null;
});

describe("LiveRunner: a strategy on the live order layer", () => {
  it("ctx.buy returns at once, the order is stored before it is sent, and its fill reaches the strategy", async () => {
    const s = await startBinanceSim();
    sim = s.sim;
    const store = new MemoryTradingStore();
    const storedAtSend: string[] = [];
    const broker = new LiveBroker({ store, adapter: s.adapter, limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USDT"], hooks: { beforeSend: (o) => storedAtSend.push(...store.load().orders.filter((x) => x.id === o.id).map((x) => x.id)) } });
    brokers.push(broker);
    await broker.start();
    const positions: number[] = [];
    const host = inProcessHost({ params: {}, onBar: (_bar, ctx) => (positions.push(ctx.position.size), ctx.position.size === 0 && ctx.openOrders.length === 0 ? void ctx.buy(0.01) : undefined) });
    const runner = new LiveRunner({ broker, ledger: "s1", venue: "binance", symbol: "BTC/USDT", tfMs: 60_000, host });
    await runner.start();
    await runner.barOn(trade(1_000, "50000"));
    await runner.barOn(trade(61_000, "50000"));
    // The step returned with the order stored (its client order id assigned) and not yet answered.
    const [placed] = broker.allOrders();
    expect(placed).toMatchObject({ ledger: "s1", strategyOrderId: expect.any(Number), status: expect.stringMatching(/^(new|submitted)$/) });
    expect(store.load().orders.map((o) => o.id)).toEqual([placed!.id]);
    await broker.idle();
    expect(storedAtSend).toEqual([placed!.id]);
    expect(broker.order(placed!.id)!.status).toBe("filled");
    await runner.barOn(trade(121_000, "50000"));
    await runner.barOn(trade(181_000, "50000"));
    expect(positions).toEqual([0, 0.01, 0.01]);
    expect(broker.allOrders()).toHaveLength(1);
    expect(s.sim.orderRequests).toHaveLength(1);
    await runner.stop();
  });

  it("after a private-stream drop the next bar waits for reconciliation, so the strategy sees the gap's fill before it trades", async () => {
    const s = await startBinanceSim();
    sim = s.sim;
    let dropStream: ((why: string) => void) | null = null;
    const a = s.adapter;
    const adapter: ExecutionAdapter = {
      venue: a.venue,
      prepare: () => a.prepare(),
      check: (o, ref) => a.check(o, ref),
      place: (o) => a.place(o),
      query: (o) => a.query(o),
      cancel: (o) => a.cancel(o),
      openOrders: (symbols) => a.openOrders(symbols),
      balances: () => a.balances(),
      openStream: (h) => ((dropStream = h.closed), a.openStream(h)),
    };
    const broker = new LiveBroker({ store: new MemoryTradingStore(), adapter, limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USDT"], settleMs: 0 });
    brokers.push(broker);
    await broker.start();
    const seen: number[] = [];
    const host = inProcessHost({ params: {}, onBar: (_bar, ctx) => (seen.push(ctx.position.size), ctx.barIndex === 0 ? void ctx.buy(0.01, { type: "limit", price: 49_000 }) : undefined) });
    const runner = new LiveRunner({ broker, ledger: "s1", venue: "binance", symbol: "BTC/USDT", tfMs: 60_000, host });
    await runner.start();
    await runner.barOn(trade(1_000, "50000"));
    await runner.barOn(trade(61_000, "50000"));
    await broker.idle();
    expect(broker.allOrders()[0]!.status).toBe("accepted");
    // The limit fills while the stream says nothing; then the stream drops and a bar closes at once.
    s.sim.muteStreams = true;
    s.sim.setPrice("BTCUSDT", 48_500);
    dropStream!("test drop");
    await runner.barOn(trade(121_000, "48500"));
    expect(broker.reconciliations).toBe(2);
    expect(seen).toEqual([0, 0.01]);
    await runner.stop();
  });

  it("an order whose outcome is unknown blocks the strategy's next order until it is resolved", async () => {
    const unknownAdapter: ExecutionAdapter = {
      venue: "binance",
      prepare: async () => undefined,
      check: () => null,
      place: async () => ({ kind: "unknown", reason: "timeout" }),
      query: async () => ({ kind: "unknown", reason: "timeout" }),
      cancel: async () => ({ kind: "unknown", reason: "timeout" }),
      openOrders: async () => [],
      balances: async () => ({}),
      openStream: async () => ({ close: () => undefined }),
    };
    const broker = new LiveBroker({ store: new MemoryTradingStore(), adapter: unknownAdapter, limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USDT"], retryMs: 60_000 });
    brokers.push(broker);
    await broker.start();
    const spec = { venue: "binance", symbol: "BTC/USDT", side: "buy", type: "market", size: 0.01, price: null, tif: "GTC" } as const;
    const first = broker.submit(spec, "s1", { strategyOrderId: 1 });
    await expect.poll(() => first.status).toBe("unknown");
    const second: TradingOrder = broker.submit(spec, "s1", { strategyOrderId: 2 });
    await expect.poll(() => second.status).toBe("rejected");
    expect(second.reason).toMatch(new RegExp(`^unknown-order: order ${first.id}'s outcome at the venue is not known yet`));
    // Another strategy's ledger is not blocked by it.
    const other = broker.submit(spec, "s2", { strategyOrderId: 1 });
    await expect.poll(() => other.status).toBe("unknown");
  }, 20_000);
});

/** A runner on the simulator whose strategy does `act(barIndex, ctx)` and records what it sees. */
async function start(act: (i: number, ctx: StrategyContext) => void) {
  const s = await startBinanceSim();
  sim = s.sim;
  const broker = new LiveBroker({ store: new MemoryTradingStore(), adapter: s.adapter, limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USDT"] });
  brokers.push(broker);
  await broker.start();
  const seen: { size: number; open: string[] }[] = [];
  const host = inProcessHost({ params: {}, onBar: (_b, ctx) => (seen.push({ size: ctx.position.size, open: ctx.openOrders.map((o) => `${o.type} ${o.side} ${o.price}`) }), act(ctx.barIndex, ctx)) });
  const runner = new LiveRunner({ broker, ledger: "s1", venue: "binance", symbol: "BTC/USDT", tfMs: 60_000, host });
  await runner.start();
  return { s, broker, runner, seen };
}

/**
 * A live strategy's brackets and `ctx.close()`: emulated by core on the trade feed — the entry is
 * sent bare, its children shown to the strategy once it fills, the first level a trade reaches is
 * sent as a market order and the other cancelled; close-all is a market order for the position.
 */
describe("live brackets, emulated on the trade feed", () => {
  it("arms stop-loss and take-profit once the entry fills; the take-profit level sends a market close and cancels the stop", async () => {
    const { s, broker, runner, seen } = await start((i, ctx) => (i === 0 ? void ctx.buy(0.01, { stopLoss: 49_000, takeProfit: 51_000 }) : undefined));
    await runner.barOn(bar(1_000, "50000"));
    await runner.barOn(bar(61_000, "50000"));
    await broker.idle();
    const [entry] = broker.allOrders();
    expect(entry).toMatchObject({ side: "buy", type: "market", status: "filled" });
    expect(entry!.stopLoss).toBeUndefined();
    await runner.barOn(bar(121_000, "50000"));
    expect(seen[1]).toEqual({ size: 0.01, open: ["stop sell 49000", "limit sell 51000"] });
    // A trade below the take-profit changes nothing; one at it closes the position.
    runner.marketSink.onTrade("binance", "BTC/USDT", tick(130_000, 50_500));
    expect(broker.allOrders()).toHaveLength(1);
    s.sim.setPrice("BTCUSDT", 51_000);
    runner.marketSink.onTrade("binance", "BTC/USDT", tick(140_000, 51_000));
    await broker.idle();
    const close = broker.allOrders()[1]!;
    expect(close).toMatchObject({ side: "sell", type: "market", size: 0.01, status: "filled", reduceOnly: true, strategyOrderId: entry!.childStrategyIds[1] });
    await runner.barOn(bar(181_000, "51000"));
    expect(seen[2]).toEqual({ size: 0, open: [] });
    // Once closed nothing more is watched: a later drop through the stop sends nothing.
    runner.marketSink.onTrade("binance", "BTC/USDT", tick(190_000, 48_000));
    await broker.idle();
    expect(s.sim.orderRequests).toHaveLength(2);
    await runner.stop();
  });

  it("a short's stop-loss triggers at or above its level", async () => {
    const { broker, runner } = await start((i, ctx) => (i === 0 ? void ctx.sell(0.01, { stopLoss: 50_500 }) : undefined));
    await runner.barOn(bar(1_000, "50000"));
    await runner.barOn(bar(61_000, "50000"));
    await broker.idle();
    runner.marketSink.onTrade("binance", "BTC/USDT", tick(70_000, 50_400));
    expect(broker.allOrders()).toHaveLength(1);
    runner.marketSink.onTrade("binance", "BTC/USDT", tick(80_000, 50_600));
    await broker.idle();
    expect(broker.allOrders()[1]).toMatchObject({ side: "buy", type: "market", size: 0.01, reduceOnly: true });
    await runner.stop();
  });

  it("ctx.close() sends a market order for the whole position; with no position nothing is sent", async () => {
    const { s, broker, runner, seen } = await start((i, ctx) => (i === 0 ? void ctx.close() : i === 1 ? void ctx.buy(0.02) : i === 2 ? void ctx.close() : undefined));
    for (const [k, t] of [1_000, 61_000, 121_000, 181_000].entries()) {
      await runner.barOn(bar(t, "50000"));
      if (k > 0) await broker.idle();
    }
    await runner.barOn(bar(241_000, "50000"));
    expect(s.sim.orderRequests).toHaveLength(2);
    expect(broker.allOrders().map((o) => [o.side, o.type, o.size, o.status])).toEqual([
      ["buy", "market", 0.02, "filled"],
      ["sell", "market", 0.02, "filled"],
    ]);
    expect(seen.map((x) => x.size)).toEqual([0, 0, 0.02, 0]);
    await runner.stop();
  });
});
