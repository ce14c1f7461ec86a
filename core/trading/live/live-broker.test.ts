import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { OrderSpec } from "../../../common/trading/orders.ts";
import { openAppDb } from "../../store/app-db.ts";
import type { BinancePrivateSim } from "../../venues/binance/private/simulator.ts";
import { BinanceExecution } from "../../venues/binance/private/adapter.ts";
import { startBinanceSim, TEST_KEY } from "../../venues/binance/private/testing.ts";
import { REPLAY_RISK_LIMITS } from "../risk.ts";
import { MemoryTradingStore, SqliteTradingStore, type TradingStore } from "../store.ts";
import { LiveBroker } from "./live-broker.ts";

const MARKET: OrderSpec = { venue: "binance", symbol: "BTC/USDT", side: "buy", type: "market", size: 0.01, price: null, tif: "GTC" };
const LIMIT: OrderSpec = { ...MARKET, type: "limit", price: 49_000 };

let sim: BinancePrivateSim | null = null;
const brokers: LiveBroker[] = [];
afterEach(async () => {
  for (const b of brokers.splice(0)) b.stop();
  await sim?.close();
  sim = null;
});

async function setup(store: TradingStore = new MemoryTradingStore()) {
  const s = await startBinanceSim();
  sim = s.sim;
  const broker = new LiveBroker({ store, adapter: s.adapter, limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USDT"], settleMs: 0, maxRetryWaitMs: 2000, retryMs: 50 });
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
  expect(broker.account.ledger("manual", "BTC/USDT").size).toBeCloseTo(filled, 12);
}

describe("LiveBroker on the Binance simulator: never twice, never lost", () => {
  it("fills a market order once even though the answer and the stream both carry the fill", async () => {
    const { broker, store } = await setup();
    const o = await broker.place(MARKET);
    expect(o.status).toBe("filled");
    expectOneOrder(broker, store, 0.01);
  });

  it.each([
    ["the answer is lost after the fill", { kind: "lose-answer" } as const],
    ["a 503 after the fill", { kind: "error-after-execute", status: 503, code: -1001, msg: "Internal error" } as const],
    ["-1007 after the fill", { kind: "error-after-execute", status: 408, code: -1007, msg: "Timeout waiting for response from backend server. Send status unknown; execution status unknown." } as const],
  ])("%s: unknown, resolved by client order id, not re-sent", async (_name, fault) => {
    const { broker, store, sim: s } = await setup();
    s.inject(fault);
    const o = await broker.place(MARKET);
    expect(o.status).toBe("filled");
    expect(s.orderRequests).toEqual([o.id]);
    expectOneOrder(broker, store, 0.01);
  });

  it("an answer that does not parse is logged redacted and leaves the order unknown, resolved by query", async () => {
    const s = await startBinanceSim();
    sim = s.sim;
    const lines: string[] = [];
    const adapter = new BinanceExecution(s.urls, TEST_KEY, (l) => lines.push(l));
    await adapter.prepare();
    const store = new MemoryTradingStore();
    const broker = new LiveBroker({ store, adapter, limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USDT"], settleMs: 0, log: (l) => lines.push(l) });
    brokers.push(broker);
    await broker.start();
    s.sim.muteStreams = true;
    s.sim.inject({ kind: "malformed-answer" });
    const o = await broker.place(MARKET);
    expect(o.status).toBe("filled");
    expect(lines.join("\n")).toMatch(/binance order answer did not parse \(field "time": expected an integer\): \{"orderId":"not a number","apiKeyEcho":"<api-key>"\}/);
    expect(lines.join("\n")).not.toContain(TEST_KEY.apiKey);
    expectOneOrder(broker, store, 0.01);
  });

  it("an order whose queries fail stays unknown and is queried again until the venue answers", async () => {
    const { broker, store, sim: s } = await setup();
    s.muteStreams = true;
    s.inject({ kind: "lose-answer" });
    for (let i = 0; i < 5; i++) s.inject({ kind: "query-error" });
    const o = await broker.place(MARKET);
    expect(o.status).toBe("unknown");
    await vi.waitFor(() => expect(broker.order(o.id)?.status).toBe("filled"), { timeout: 5000 });
    expect(s.orderRequests).toEqual([o.id]);
    expectOneOrder(broker, store, 0.01);
  });

  it("429 waits out Retry-After; 418 then rejects the order and halts", async () => {
    const { broker, store, sim: s } = await setup();
    s.inject({ kind: "throttle", status: 429, retryAfterS: 1 });
    s.inject({ kind: "throttle", status: 418, retryAfterS: 120 });
    const o = await broker.place(MARKET);
    expect(o).toMatchObject({ status: "rejected", reason: expect.stringMatching(/^rate-limit: HTTP 418/) });
    expect(broker.mode).toBe("halt");
    expectOneOrder(broker, store, 0);
    const after = await broker.place(MARKET);
    expect(after.reason).toMatch(/^kill-switch/);
  });

  it("a venue rejection is rejected with the venue's code; off-grid orders never leave", async () => {
    const { broker, sim: s } = await setup();
    s.inject({ kind: "reject", code: -2010, msg: "Account has insufficient balance for requested action." });
    expect((await broker.place(MARKET)).reason).toBe("binance -2010: Account has insufficient balance for requested action.");
    expect((await broker.place({ ...LIMIT, price: 49_000.001 })).reason).toMatch(/^PRICE_FILTER: /);
    expect(s.orderRequests).toEqual([]);
  });

  it("duplicate and out-of-order execution events apply once", async () => {
    const { broker, store, sim: s } = await setup();
    const o = await broker.place(LIMIT);
    expect(o.status).toBe("accepted");
    s.inject({ kind: "duplicate-events" });
    s.inject({ kind: "reorder-events" });
    s.setPrice("BTCUSDT", 48_500);
    await vi.waitFor(() => expect(broker.order(o.id)?.status).toBe("filled"));
    expect(broker.order(o.id)?.avgPrice).toBe(49_000);
    expectOneOrder(broker, store, 0.01);
  });

  it("a private-stream disconnect with a fill in the gap is reconciled before trading resumes", async () => {
    const { broker, store, sim: s } = await setup();
    const o = await broker.place(LIMIT);
    s.dropStreams();
    s.setPrice("BTCUSDT", 48_500);
    await vi.waitFor(() => expect(broker.reconciliations).toBe(2));
    expect(broker.order(o.id)?.status).toBe("filled");
    expectOneOrder(broker, store, 0.01);
  });

  it("shows venue orders it did not place as external and never cancels them", async () => {
    const s = await startBinanceSim();
    sim = s.sim;
    s.sim.placeExternal("BTCUSDT", "SELL", 0.5, 60_000, "web_manual1");
    const broker = new LiveBroker({ store: new MemoryTradingStore(), adapter: s.adapter, limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USDT"], settleMs: 0 });
    brokers.push(broker);
    await broker.start();
    expect([...broker.external.keys()]).toEqual(["web_manual1"]);
    broker.setMode("halt");
    expect(s.sim.account.byClientId("web_manual1")?.status).toBe("NEW");
  });

  it("refuses to start with a clock past the venue's window", async () => {
    const s = await startBinanceSim();
    sim = s.sim;
    s.sim.clockSkewMs = -30_000;
    const broker = new LiveBroker({ store: new MemoryTradingStore(), adapter: s.adapter, limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USDT"] });
    await expect(broker.start()).rejects.toThrow(/^clock-skew: /);
  });
});

const CHILD = path.join(import.meta.dirname, "fixtures", "crash-child.ts");

describe("kill -9 of core, then restart", () => {
  it.each([
    ["between persist and send", "before-send", 0, "rejected"],
    ["between send and acknowledgement", "none", 0.01, "filled"],
  ])("%s: reconciled, nothing doubled", async (_name, moment, filled, status) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "live-crash-"));
    const s = await startBinanceSim();
    sim = s.sim;
    const child = spawn(process.execPath, [CHILD, dir, s.urls.rest, s.urls.wsApi, moment], { stdio: ["ignore", "pipe", "pipe"] });
    s.sim.onExecuted = () => {
      s.sim.dropStreams();
      s.sim.inject({ kind: "lose-answer" });
      child.kill("SIGKILL");
    };
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, sig) => resolve(sig)));
    expect(signal, stderr).toBe("SIGKILL");
    const app = openAppDb(dir);
    const store = new SqliteTradingStore(app.db);
    expect(store.load().orders.map((o) => o.status)).toEqual(["submitted"]);
    const broker = new LiveBroker({ store, adapter: s.adapter, limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USDT"], settleMs: 0 });
    brokers.push(broker);
    s.sim.onExecuted = null;
    await broker.start();
    expect(store.load().orders.map((o) => o.status)).toEqual([status]);
    expectOneOrder(broker, store, filled);
    app.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
