import { afterEach, describe, expect, it } from "vitest";
import { KrakenPrivateClient } from "./client.ts";
import { DecayingCounter, KrakenTradingCounters, REST_LIMITS, restCost, tradingCost } from "./rate-counter.ts";
import { KrakenPrivateSim } from "./simulator.ts";

const KEY = { apiKey: "krakenSimKey0000000000000000001", secret: Buffer.from("krakenSimSecret-0000000000000001").toString("base64") };

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe("Kraken REST call counter", () => {
  it("costs 2 for ledger/trade-history queries, 0 for AddOrder/CancelOrder, 1 otherwise", () => {
    expect(restCost("TradesHistory")).toBe(2);
    expect(restCost("Ledgers")).toBe(2);
    expect(restCost("QueryLedgers")).toBe(2);
    expect(restCost("AddOrder")).toBe(0);
    expect(restCost("CancelOrder")).toBe(0);
    expect(restCost("OpenOrders")).toBe(1);
    expect(REST_LIMITS.starter).toEqual({ max: 15, decayPerS: 0.33 });
  });

  it("lets calls go up to the tier's maximum, then says how long to wait, and decays continuously", () => {
    const c = clock();
    const counter = new DecayingCounter(REST_LIMITS.starter.max, REST_LIMITS.starter.decayPerS, c.now);
    for (let i = 0; i < 15; i++) expect(counter.reserve(1, 0)).toBe(0);
    expect(counter.value()).toBe(15);
    expect(counter.waitMs(1)).toBe(Math.ceil(1000 / 0.33));
    expect(counter.reserve(1, 2000)).toBeNull();
    expect(counter.value()).toBe(15);
    c.advance(3000);
    expect(counter.value()).toBeCloseTo(15 - 0.99, 9);
    expect(counter.waitMs(1)).toBe(Math.ceil((0.01 / 0.33) * 1000));
    c.advance(100_000);
    expect(counter.value()).toBe(0);
  });

  it("queues reservations: each one waits behind the previous", () => {
    const c = clock();
    const counter = new DecayingCounter(REST_LIMITS.pro.max, REST_LIMITS.pro.decayPerS, c.now);
    for (let i = 0; i < 20; i++) counter.add(1);
    expect(counter.reserve(1, 2000)).toBe(1000);
    expect(counter.reserve(1, 2000)).toBe(2000);
    expect(counter.reserve(1, 2000)).toBeNull();
    c.advance(1000);
    expect(counter.reserve(1, 2000)).toBe(2000);
  });
});

describe("Kraken per-pair trading counter", () => {
  it("charges a cancel by the order's age (8/6/5/4/2/1 under 5/10/15/45/90/300 s, then 0) and amends/edits their fixed +1", () => {
    expect([0, 4_999, 5_000, 9_999, 10_000, 14_999, 15_000, 44_999, 45_000, 89_999, 90_000, 299_999, 300_000].map((ms) => tradingCost("cancel", ms))).toEqual([8, 8, 6, 6, 5, 5, 4, 4, 2, 2, 1, 1, 0]);
    expect([0, 5_000, 10_000, 15_000].map((ms) => tradingCost("amend", ms))).toEqual([4, 3, 2, 1]);
    expect([0, 5_000, 10_000, 15_000, 45_000, 90_000].map((ms) => tradingCost("edit", ms))).toEqual([7, 6, 5, 3, 2, 1]);
    expect(tradingCost("add", 0)).toBe(1);
  });

  it("counts adds and age-based cancel penalties per pair and holds orders at the tier's threshold", () => {
    const c = clock();
    const t = new KrakenTradingCounters("starter", c.now);
    expect(t.reserveAdd("XBTUSD", "a", 0)).toBe(0);
    c.advance(2000);
    expect(t.cancelled("XBTUSD", "a")).toBe(8);
    expect(t.counter("XBTUSD").value()).toBe(8);
    expect(t.reserveAdd("XBTUSD", "b", 0)).toBe(0);
    c.advance(50_000);
    expect(t.cancelled("XBTUSD", "b")).toBe(2);
    expect(t.counter("ETHUSD").value()).toBe(0);
    expect(t.cancelled("ETHUSD", "never-seen")).toBe(8);
    for (let i = 0; i < 60; i++) t.counter("XBTUSD").add(1);
    expect(t.reserveAdd("XBTUSD", "c", 2000)).toBeNull();
    expect(t.counter("XBTUSD").waitMs(1)).toBeGreaterThan(2000);
  });
});

let sim: KrakenPrivateSim | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

describe("Kraken client against the simulator's call counter", () => {
  it("paces a burst of queries so that the venue refuses none", async () => {
    sim = new KrakenPrivateSim([{ symbol: "XBTUSD", baseAsset: "XBT", quoteAsset: "USD", tickSize: "0.1", stepSize: "0.00000001", minQty: "0.0001", minNotional: "0.5", price: 50_000 }], [KEY], { USD: 10_000 });
    sim.restTier = "pro";
    const urls = await sim.start();
    // A second client of the same key does not see the first one's calls: the venue refuses it.
    const unpaced = new KrakenPrivateClient({ baseUrl: urls.rest, key: KEY, tier: "pro" });
    const client = new KrakenPrivateClient({ baseUrl: urls.rest, key: KEY, tier: "pro" });
    const burst = await Promise.all(Array.from({ length: 21 }, () => client.call("OpenOrders")));
    expect(burst.map((r) => r.kind)).toEqual(Array.from({ length: 21 }, () => "ok"));
    expect(sim.rateRefusals).toBe(0);
    expect(await unpaced.call("Balance")).toMatchObject({ kind: "throttled", reason: "kraken EAPI:Rate limit exceeded" });
    expect(sim.rateRefusals).toBe(1);
  });
});

describe("Kraken client holds", () => {
  it("answers a call past the 2 s hold `throttled` without sending it", async () => {
    sim = new KrakenPrivateSim([], [KEY], {});
    const urls = await sim.start();
    const c = clock();
    const client = new KrakenPrivateClient({ baseUrl: urls.rest, key: KEY, now: c.now });
    const sent: unknown[] = [];
    for (let i = 0; i < 14; i++) sent.push((await client.call("Balance")).kind);
    expect(sent.every((k) => k === "ok")).toBe(true);
    const r = await client.call("Balance");
    expect(r).toMatchObject({ kind: "throttled", reason: expect.stringContaining("not sent") as unknown });
    expect(r.kind === "throttled" && r.retryAfterMs).toBe(Math.ceil(1000 / 0.33));
    c.advance(3100);
    expect((await client.call("Balance")).kind).toBe("ok");
  });
});
