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
import { KrakenExecutionAdapter } from "./adapter.ts";
import { KrakenPrivateSim } from "./simulator.ts";

const KEY = { apiKey: "krakenContractKey000000000000001", secret: Buffer.from("krakenContractSecret-000000001").toString("base64") };
const MARKET: OrderSpec = { venue: "kraken", symbol: "BTC/USD", side: "buy", type: "market", size: 0.01, price: null, tif: "GTC" };
const LIMIT: OrderSpec = { ...MARKET, type: "limit", price: 49_000 };

let sim: KrakenPrivateSim | null = null;
const brokers: LiveBroker[] = [];
afterEach(async () => {
  for (const b of brokers.splice(0)) b.stop();
  await sim?.close();
  sim = null;
});

async function setup(transport: "ws" | "rest") {
  sim = new KrakenPrivateSim([{ symbol: "XBTUSD", baseAsset: "XBT", quoteAsset: "USD", tickSize: "0.1", stepSize: "0.00000001", minQty: "0.0001", minNotional: "0.5", price: 50_000 }], [KEY], { USD: 10_000, XBT: 1 });
  const urls = await sim.start();
  const lines: string[] = [];
  const adapter = new KrakenExecutionAdapter(urls, KEY, { transport, wsTimeoutMs: 300, log: (l) => lines.push(l) });
  const store: TradingStore = new MemoryTradingStore();
  const broker = new LiveBroker({ store, adapter, limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USD"], settleMs: 0, maxRetryWaitMs: 100, retryMs: 50, log: (l) => lines.push(l) });
  brokers.push(broker);
  await broker.start();
  return { sim, broker, store, lines, urls };
}

/** Exactly one order at the venue and in the store, and the position equals the stored fills' sum. */
function expectOneOrder(broker: LiveBroker, store: TradingStore, filled: number) {
  const snap = store.load();
  expect(snap.orders).toHaveLength(1);
  expect(sim!.orderRequests.length).toBeLessThanOrEqual(1);
  expect(snap.fills.reduce((s, f) => s + f.size, 0)).toBeCloseTo(filled, 12);
  expect(broker.account.ledger("manual", "BTC/USD").size).toBeCloseTo(filled, 12);
}

describe.each(["ws", "rest"] as const)("LiveBroker on the Kraken simulator, orders over %s: never twice, never lost", (transport) => {
  it("fills a market order once though the answer's query and the executions stream both carry the fill", async () => {
    const { broker, store } = await setup(transport);
    expect((await broker.place(MARKET)).status).toBe("filled");
    expectOneOrder(broker, store, 0.01);
  });

  it.each([
    ["the answer is lost after the fill", { kind: "lose-answer" } as const],
    ["a 503 after the fill", { kind: "error-after-execute", status: 503 } as const],
  ])("%s: unknown, found by cl_ord_id, not re-sent", async (_name, fault) => {
    const { broker, store, sim: s } = await setup(transport);
    s.inject(fault);
    const o = await broker.place(MARKET);
    expect(o.status).toBe("filled");
    expect(s.orderRequests).toEqual([o.id]);
    expectOneOrder(broker, store, 0.01);
  });

  it("an answer that does not parse is logged raw with the key redacted and leaves the order unknown, resolved by query", async () => {
    const { broker, store, sim: s, lines } = await setup(transport);
    s.muteStreams = true;
    s.inject({ kind: "malformed-answer" });
    const o = await broker.place(MARKET);
    expect(o.status).toBe("filled");
    const expected = transport === "rest" ? /kraken AddOrder answer did not parse \(descr: expected an object\): \{"descr":5,"txid":\["OSIM\d+-KRAKN-SIMULA"\],"echo":"\d+"\}/ : /kraken add_order answer did not parse \(add_order result: expected an object\): 5/;
    expect(lines.join("\n")).toMatch(expected);
    expect(lines.join("\n")).not.toContain(KEY.apiKey);
    expectOneOrder(broker, store, 0.01);
  });

  it("a rate-limit refusal is not executed: the order is rejected as throttled, nothing sent twice", async () => {
    const { broker, store, sim: s } = await setup(transport);
    s.inject({ kind: "error", error: "EOrder:Rate limit exceeded" });
    const o = await broker.place(MARKET);
    expect(o).toMatchObject({ status: "rejected", reason: "kraken EOrder:Rate limit exceeded" });
    expect(s.orderRequests).toEqual([]);
    expectOneOrder(broker, store, 0);
  });

  it("a refusal is rejected with Kraken's error; an order under ordermin never leaves", async () => {
    const { broker, sim: s } = await setup(transport);
    s.inject({ kind: "error", error: "EOrder:Insufficient funds" });
    expect((await broker.place(MARKET)).reason).toBe("kraken EOrder:Insufficient funds");
    expect((await broker.place({ ...MARKET, size: 0.00001 })).reason).toMatch(/^ordermin: /);
    expect(s.orderRequests).toEqual([]);
  });

  it("duplicate executions apply once", async () => {
    const { broker, store, sim: s } = await setup(transport);
    const o = await broker.place(LIMIT);
    s.inject({ kind: "duplicate-events" });
    s.setPrice("XBTUSD", 48_500);
    await vi.waitFor(() => expect(broker.order(o.id)?.status).toBe("filled"));
    expectOneOrder(broker, store, 0.01);
  });

  it("an executions disconnect with a fill in the gap is reconciled before trading resumes", async () => {
    const { broker, store, sim: s } = await setup(transport);
    const o = await broker.place(LIMIT);
    s.dropStreams();
    s.setPrice("XBTUSD", 48_500);
    await vi.waitFor(() => expect(broker.reconciliations).toBe(2));
    expect(broker.order(o.id)?.status).toBe("filled");
    expectOneOrder(broker, store, 0.01);
  });
});

describe("kill -9 of core on Kraken, then restart", () => {
  it.each([
    ["between persist and send", "before-send", 0, "rejected"],
    ["between send and acknowledgement", "none", 0.01, "filled"],
  ])("%s: reconciled by cl_ord_id, nothing doubled", async (_name, moment, filled, status) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kraken-crash-"));
    const { sim: s, broker: first, urls } = await setup("ws");
    first.stop();
    const child = spawn(process.execPath, [path.join(import.meta.dirname, "fixtures", "crash-child.ts"), dir, urls.rest, urls.wsAuth, moment], { stdio: "ignore", env: { ...process.env, KRAKEN_KEY: KEY.apiKey, KRAKEN_SECRET: KEY.secret } });
    s.onExecuted = () => void (s.inject({ kind: "lose-answer" }), s.muteStreams = true, child.kill("SIGKILL"));
    const [, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
    Object.assign(s, { onExecuted: null, muteStreams: false });
    expect(signal).toBe("SIGKILL");
    const app = openAppDb(dir);
    const store = new SqliteTradingStore(app.db);
    expect(store.load().orders.map((o) => o.status)).toEqual(["submitted"]);
    const broker = new LiveBroker({ store, adapter: new KrakenExecutionAdapter(urls, KEY, { log: () => {} }), limits: REPLAY_RISK_LIMITS, symbols: ["BTC/USD"], settleMs: 0 });
    brokers.push(broker);
    await broker.start();
    const snap = store.load();
    expect(snap.orders.map((o) => o.status)).toEqual([status]);
    expect(s.orderRequests).toHaveLength(moment === "none" ? 1 : 0);
    expect(snap.fills.reduce((t, f) => t + f.size, 0)).toBeCloseTo(filled, 12);
    expect(broker.account.ledger("manual", "BTC/USD").size).toBeCloseTo(filled, 12);
    broker.stop();
    app.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
