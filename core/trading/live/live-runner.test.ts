import { afterEach, describe, expect, it } from "vitest";
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
