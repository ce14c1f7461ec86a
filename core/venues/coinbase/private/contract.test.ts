import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openAppDb } from "../../../store/app-db.ts";
import type { OrderSpec } from "../../../../common/trading/orders.ts";
import { LiveBroker } from "../../../trading/live/live-broker.ts";
import { REPLAY_RISK_LIMITS } from "../../../trading/risk.ts";
import { MemoryTradingStore, SqliteTradingStore, type TradingStore } from "../../../trading/store.ts";
import { CoinbaseExecution } from "./adapter.ts";
import type { CoinbasePrivateSim } from "./simulator.ts";
import { CDP_TEST_KEY, startCoinbaseSim } from "./testing.ts";

const MARKET: OrderSpec = { venue: "coinbase", symbol: "BTC/USD", side: "buy", type: "market", size: 0.01, price: null, tif: "GTC" };
const LIMIT: OrderSpec = { ...MARKET, type: "limit", price: 49_000 };

let sim: CoinbasePrivateSim | null = null;
const brokers: LiveBroker[] = [];
afterEach(async () => {
  for (const b of brokers.splice(0)) b.stop();
  await sim?.close();
  sim = null;
});

async function setup() {
  const s = await startCoinbaseSim();
  sim = s.sim;
  const store: TradingStore = new MemoryTradingStore();
  const broker = new LiveBroker({ store, adapter: s.adapter, limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USD"], settleMs: 0, maxRetryWaitMs: 2000, retryMs: 50, log: (l) => s.lines.push(l) });
  brokers.push(broker);
  await broker.start();
  return { ...s, broker, store };
}

/** Exactly one order at the venue and in the store, and the position equals the stored fills' sum. */
function expectOneOrder(broker: LiveBroker, store: TradingStore, filled: number) {
  const snap = store.load();
  expect(snap.orders).toHaveLength(1);
  expect(sim!.orderRequests.length).toBeLessThanOrEqual(1);
  expect(snap.fills.reduce((s, f) => s + f.size, 0)).toBeCloseTo(filled, 12);
  expect(broker.account.ledger("manual", "BTC/USD").size).toBeCloseTo(filled, 12);
}

describe("LiveBroker on the Coinbase simulator: never twice, never lost", () => {
  it("fills a market order once even though the answer's query and the user channel both report it", async () => {
    const { broker, store } = await setup();
    const o = await broker.place(MARKET);
    expect(o).toMatchObject({ status: "filled", avgPrice: 50_000 });
    expectOneOrder(broker, store, 0.01);
    // The answer's query listed the execution: the venue's trade id and liquidity, not a cumulative delta.
    expect(store.load().fills).toMatchObject([{ id: expect.stringMatching(/:trade-\d+$/) as unknown as string, liquidity: "taker" }]);
  });

  it.each([
    ["the answer is lost after the fill", { kind: "lose-answer" } as const],
    ["a 503 after the fill", { kind: "error-after-execute", status: 503 } as const],
  ])("%s: unknown, found by client_order_id, not re-sent", async (_name, fault) => {
    const { broker, store, sim: s } = await setup();
    s.inject(fault);
    const o = await broker.place(MARKET);
    expect(o.status).toBe("filled");
    expect(s.orderRequests).toEqual([o.id]);
    expectOneOrder(broker, store, 0.01);
  });

  it("an answer that does not parse is logged with the JWT redacted and leaves the order unknown, resolved by query", async () => {
    const { broker, store, sim: s, lines } = await setup();
    s.muteStreams = true;
    s.inject({ kind: "malformed-answer" });
    const o = await broker.place(MARKET);
    expect(o.status).toBe("filled");
    const log = lines.join("\n");
    expect(log).toMatch(/coinbase order answer did not parse \(field "success": expected a boolean\): \{"success":"yes","order_id":"[^"]+","jwt":"<jwt>"\}/);
    expect(log).not.toMatch(/eyJ/);
    expect(log).not.toContain(CDP_TEST_KEY.name);
    expectOneOrder(broker, store, 0.01);
  });

  it("a 429 waits out Retry-After and the order is sent once", async () => {
    const { broker, store, sim: s } = await setup();
    s.inject({ kind: "throttle", retryAfterS: 1 });
    const o = await broker.place(MARKET);
    expect(o.status).toBe("filled");
    expect(s.orderRequests).toEqual([o.id]);
    expectOneOrder(broker, store, 0.01);
  });

  it("a venue refusal is rejected with Coinbase's error; off-grid orders never leave", async () => {
    const { broker, sim: s } = await setup();
    s.inject({ kind: "reject", error: "INSUFFICIENT_FUND", message: "Insufficient balance in source account" });
    expect((await broker.place(MARKET)).reason).toBe("coinbase INSUFFICIENT_FUND: Insufficient balance in source account");
    expect((await broker.place({ ...LIMIT, price: 49_000.001 })).reason).toMatch(/^price_increment: /);
    expect(s.orderRequests).toEqual([]);
  });

  it("duplicate user messages apply once; out-of-order ones make the stream reconnect and reconcile", async () => {
    const { broker, store, sim: s } = await setup();
    const o = await broker.place(LIMIT);
    expect(o.status).toBe("accepted");
    s.inject({ kind: "duplicate-events" });
    s.inject({ kind: "reorder-events" });
    s.setPrice("BTC-USD", 48_500);
    await vi.waitFor(() => expect(broker.order(o.id)?.status).toBe("filled"));
    expect(broker.order(o.id)?.avgPrice).toBe(49_000);
    expectOneOrder(broker, store, 0.01);
  });

  it("a user-channel disconnect with a fill in the gap is reconciled before trading resumes", async () => {
    const { broker, store, sim: s } = await setup();
    const o = await broker.place(LIMIT);
    s.dropStreams();
    s.setPrice("BTC-USD", 48_500);
    await vi.waitFor(() => expect(broker.reconciliations).toBe(2));
    expect(broker.order(o.id)?.status).toBe("filled");
    expectOneOrder(broker, store, 0.01);
    expect(store.load().fills).toMatchObject([{ id: expect.stringMatching(/:trade-\d+$/) as unknown as string, liquidity: "maker" }]);
  });

  it("a fill pushed during a gap the client does not notice is found at the next reconciliation", async () => {
    const { broker, store, sim: s } = await setup();
    const o = await broker.place(LIMIT);
    s.muteStreams = true;
    s.setPrice("BTC-USD", 48_500);
    s.muteStreams = false;
    await broker.reconcile();
    expect(broker.order(o.id)?.status).toBe("filled");
    expectOneOrder(broker, store, 0.01);
  });

  it("shows orders it did not place as external and never cancels them", async () => {
    const s = await startCoinbaseSim();
    sim = s.sim;
    s.sim.placeExternal("BTC-USD", "SELL", 0.5, 60_000, "web_manual1");
    const broker = new LiveBroker({ store: new MemoryTradingStore(), adapter: s.adapter, limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USD"], settleMs: 0 });
    brokers.push(broker);
    await broker.start();
    expect([...broker.external.keys()]).toEqual(["web_manual1"]);
    broker.setMode("halt");
    expect(s.sim.account.byClientId("web_manual1")?.status).toBe("NEW");
  });

  it("refuses to start with a clock past the venue's window", async () => {
    const s = await startCoinbaseSim();
    sim = s.sim;
    s.sim.clockSkewMs = -45_000;
    const broker = new LiveBroker({ store: new MemoryTradingStore(), adapter: new CoinbaseExecution(s.urls, CDP_TEST_KEY, () => {}), limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USD"] });
    await expect(broker.start()).rejects.toThrow(/^clock-skew: this computer's clock is \d+ ms ahead of coinbase's/);
  });
});

const CHILD = path.join(import.meta.dirname, "fixtures", "crash-child.ts");

describe("kill -9 of core on Coinbase, then restart", () => {
  it.each([
    ["between persist and send", "before-send", 0, "rejected"],
    ["between send and acknowledgement", "none", 0.01, "filled"],
  ])("%s: reconciled by client_order_id, nothing doubled", async (_name, moment, filled, status) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coinbase-crash-"));
    const s = await startCoinbaseSim();
    sim = s.sim;
    const child = spawn(process.execPath, [CHILD, dir, s.urls.rest, s.urls.wsUser, moment], { stdio: "ignore", env: { ...process.env, CDP_KEY_NAME: CDP_TEST_KEY.name, CDP_KEY_SECRET: CDP_TEST_KEY.secret } });
    const killAtExecution = (): void => void (s.sim.dropStreams(), s.sim.inject({ kind: "lose-answer" }), child.kill("SIGKILL"));
    s.sim.onExecuted = killAtExecution;
    const [, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
    s.sim.onExecuted = null;
    expect(signal).toBe("SIGKILL");
    const app = openAppDb(dir);
    const store = new SqliteTradingStore(app.db);
    expect(store.load().orders.map((o) => o.status)).toEqual(["submitted"]);
    const broker = new LiveBroker({ store, adapter: s.adapter, limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USD"], settleMs: 0 });
    brokers.push(broker);
    await broker.start();
    const snap = store.load();
    expect(snap.orders.map((o) => o.status)).toEqual([status]);
    expect(s.sim.orderRequests.length).toBe(moment === "none" ? 1 : 0);
    expect(snap.fills.reduce((t, f) => t + f.size, 0)).toBeCloseTo(filled, 12);
    expect(broker.account.ledger("manual", "BTC/USD").size).toBeCloseTo(filled, 12);
    broker.stop();
    app.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
